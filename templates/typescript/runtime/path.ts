/**
 * Path parameters: each value becomes exactly one percent-encoded path
 * segment, so an id can never change which route a request goes to.
 */

import { InvalidRequestError } from "./errors.js";
import { encodeQueryComponent as encodeComponent } from "./query.js";

/**
 * `value` as one path segment: percent-encoded with `encodeURIComponent`
 * (so `/`, `?`, `#` and `%` are encoded). The empty string, `.` and `..` are
 * refused: URL normalization would drop or climb them even when encoded.
 */
export function encodePathSegment(name: string, value: string | number | boolean): string {
  const text = String(value);
  if (text === "" || text === "." || text === "..") {
    throw new InvalidRequestError(`path parameter \`${name}\` cannot be ${JSON.stringify(text)}: it would not name one path segment`);
  }
  return encodeURIComponent(text);
}

/** How a path parameter is written (OpenAPI `style`). */
export type PathStyle = "simple" | "label" | "matrix";

/**
 * One path parameter in its OpenAPI `style` and `explode` (RFC 6570's
 * `{x}`, `{.x}` and `{;x}`, as OpenAPI 3.1.1 states them), byte for byte
 * like the Python runtime (`encode_path_param`) and the Rust crates
 * (`hooks::encode_path_param`); the shared table
 * `tests/data/path-styles.json` holds all three to it.
 *
 * - Names, keys and values are percent-encoded except RFC 3986's
 *   unreserved characters; the separators (`,`, `.`, `;`, `=`) are literal,
 *   and the same character inside a value is encoded (`a%2Cb`), except `.`.
 * - simple: `blue`; arrays `blue,black`; objects `R,100,G,200`, exploded
 *   `R=100,G=200`.
 * - label: a `.` first; arrays `.blue,black`, exploded `.blue.black`;
 *   objects `.R,100,G,200`, exploded `.R=100.G=200`.
 * - matrix: `;color=blue`; arrays `;color=blue,black`, exploded
 *   `;color=blue;color=black`; objects `;color=R,100,G,200`, exploded
 *   `;R=100;G=200`; `null`, an empty string, array or object `;color`, and
 *   an empty item or property exploded `;color` or `;R`.
 * - `null` items and properties are left out; properties are sorted by
 *   key (what the Rust crates' maps give); scalars are their text, an
 *   object or array where only a scalar fits is its JSON text.
 * - A result that is empty, `.` or `..` is refused: URL normalization would
 *   drop or climb it.
 */
export function encodePathParam(name: string, value: unknown, style: PathStyle, explode: boolean): string {
  const text = styledPathParam(name, value, style, explode);
  if (text === "" || text === "." || text === "..") {
    throw new InvalidRequestError(`path parameter \`${name}\` cannot be ${JSON.stringify(value ?? null)}: it would not name one path segment`);
  }
  return text;
}

function styledPathParam(name: string, value: unknown, style: PathStyle, explode: boolean): string {
  const key = encodeComponent(name);
  const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
  const items: string[] = Array.isArray(value)
    ? value.filter((v) => v !== undefined && v !== null).map((v) => encodeComponent(pathText(v)))
    : value === undefined || value === null || isObject
      ? []
      : [encodeComponent(pathText(value))];
  const pairs: [string, string][] = isObject
    ? Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined && v !== null)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]): [string, string] => [encodeComponent(k), encodeComponent(pathText(v))])
    : [];
  const object = (join: string) => (explode ? pairs.map(([k, v]) => `${k}=${v}`).join(join) : pairs.flat().join(","));
  switch (style) {
    case "simple":
      return isObject ? object(",") : items.join(",");
    case "label":
      return "." + (isObject ? object(".") : items.join(explode ? "." : ","));
    case "matrix": {
      const empty = isObject ? pairs.length === 0 : items.every((v) => v === "");
      if (empty) return `;${key}`;
      if (isObject && explode) return pairs.map(([k, v]) => (v === "" ? `;${k}` : `;${k}=${v}`)).join("");
      if (isObject) return `;${key}=${object(",")}`;
      if (explode) return items.map((v) => (v === "" ? `;${key}` : `;${key}=${v}`)).join("");
      return `;${key}=${items.join(",")}`;
    }
  }
}

function pathText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}
