/**
 * Query strings: each parameter written in its OpenAPI `style` and
 * `explode` (default `form`, exploded), byte for byte like the Python
 * runtime (`_query.py`) and the Rust crates (`hooks::append_query`); the
 * shared table `tests/data/query-styles.json` holds all three to it.
 *
 * - Names, keys and values are percent-encoded except RFC 3986's
 *   unreserved characters (`A-Z a-z 0-9 - . _ ~`); a space is `%20`.
 * - Separators are literal: `&`, `=`, `,` (form), `|` (pipeDelimited), the
 *   brackets of deepObject keys; spaceDelimited's is `%20`. The same
 *   character inside a value is encoded (`a%2Cb`), so a server that splits
 *   before decoding reads every item back.
 * - `undefined` and `null` (a parameter, an array item, a property) send
 *   nothing; empty arrays and objects send nothing.
 * - form, explode: arrays repeat the name, objects spread `prop=value`;
 *   form: `name=a,b` and `name=k1,v1,k2,v2`; spaceDelimited and
 *   pipeDelimited the same with their separator (exploded, they are form).
 * - deepObject: `name[prop]=v`, nested `name[a][b]=v`, arrays indexed
 *   `name[0]=v` (what Stripe's own SDKs send: `expand[0]=…`), a scalar (an
 *   `anyOf` of integer and object) `name=v`.
 * - Scalars: booleans `true`/`false`, numbers and strings their text; an
 *   object or array where only a scalar fits (an object item of a form
 *   array) is its JSON text.
 */

/** How a query parameter is written (OpenAPI `style` and `explode`). */
export interface QueryParamStyle {
  style: "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
  explode: boolean;
}

const FORM: QueryParamStyle = { style: "form", explode: true };

/** A query string (without `?`) from the defined values of `params`, each in its style (default: form, exploded). */
export function queryString(params: Record<string, unknown>, styles: Record<string, QueryParamStyle> = {}): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(params)) parts.push(...encodeQueryParam(name, value, styles[name] ?? FORM));
  return parts.join("&");
}

/** The `name=value` pairs (already encoded) of one parameter. */
export function encodeQueryParam(name: string, value: unknown, style: QueryParamStyle): string[] {
  return pairs(name, value, style, encodeQueryComponent, "%20").map(([k, v]) => `${k}=${v}`);
}

/** `text` percent-encoded except RFC 3986's unreserved characters (`encodeURIComponent` leaves `!'()*` too). */
export function encodeQueryComponent(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The `[name, value]` pairs of one field in its style, not yet encoded: a
 * url-encoded body's field with an `encoding` (`form.ts`). Delimited
 * styles join with a plain `,`, space or `|`; deepObject keys are
 * `name[prop]`, arrays indexed.
 */
export function styledPairs(name: string, value: unknown, style: QueryParamStyle): [string, string][] {
  return pairs(name, value, style, (t) => t, " ");
}

/**
 * The pairs of one value in its style, names, keys and values passed
 * through `enc` and joined by literal separators (`space` is
 * spaceDelimited's): the query encodes each part and keeps the separators
 * and brackets as they are, a form body encodes the whole pair later.
 */
function pairs(name: string, value: unknown, { style, explode }: QueryParamStyle, enc: (text: string) => string, space: string): [string, string][] {
  const out: [string, string][] = [];
  if (value === undefined || value === null) return out;
  const key = enc(name);
  if (style === "deepObject") {
    deep(out, key, value, enc);
    return out;
  }
  const separator = style === "form" ? "," : style === "spaceDelimited" ? space : "|";
  if (Array.isArray(value)) {
    const items = value.filter((v) => v !== undefined && v !== null).map((v) => enc(text(v)));
    if (explode) for (const v of items) out.push([key, v]);
    else if (items.length > 0) out.push([key, items.join(separator)]);
  } else if (typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]): [string, string] => [enc(k), enc(text(v))]);
    if (explode) out.push(...entries);
    else if (entries.length > 0) out.push([key, entries.flat().join(separator)]);
  } else {
    out.push([key, enc(text(value))]);
  }
  return out;
}

/** deepObject: `key[prop]`, nested `key[a][b]`, arrays indexed. */
function deep(out: [string, string][], key: string, value: unknown, enc: (text: string) => string): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => deep(out, `${key}[${i}]`, v, enc));
  } else if (typeof value === "object") {
    for (const [k, v] of Object.entries(value)) deep(out, `${key}[${enc(k)}]`, v, enc);
  } else {
    out.push([key, enc(text(value))]);
  }
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}
