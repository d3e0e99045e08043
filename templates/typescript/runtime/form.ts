/**
 * Form bodies from plain values, for operations whose request is
 * `application/x-www-form-urlencoded` or `multipart/form-data`: the method
 * takes the spec's typed object and these encode it (the same rules as the
 * Python runtime's `url_encoded_fields` and the Rust crates'
 * `hooks::form_urlencoded_body`; `tests/data/form-bodies.json` holds all
 * three to them).
 *
 * - `undefined` and `null` fields are left out;
 * - booleans are `true` / `false`, numbers and strings their text;
 * - an array repeats its key (`tag=a&tag=b`, OpenAPI's `form` style);
 * - url-encoded: a nested object is deepObject style (`card[number]=4242`),
 *   an array holding objects is indexed (`items[0][price]=p1`);
 * - multipart: a `Blob` (or `File`) is a file part, a nested object one
 *   part of JSON text (OpenAPI's default for object fields);
 * - url-encoded: a field with a style in the spec's `encoding` follows it
 *   (deepObject: `expand[0]=a`, nested `a[b][0]=c`).
 */

import { InvalidRequestError } from "./errors.js";
import { type QueryParamStyle, styledPairs } from "./query.js";

/** A body for `OperationRequest.rawBody`. */
export interface EncodedBody {
  /** `undefined` lets `fetch` write it (a multipart boundary). */
  contentType: string | undefined;
  data: FormData | URLSearchParams | string;
}

/**
 * `value` (an object, or an already encoded `URLSearchParams` or string) as
 * a url-encoded body. A field the spec's `encoding` gives a style (Stripe's
 * `expand: {style: deepObject}` → `expand[0]=a`) is written in it, as a
 * query parameter would be (`styledPairs`).
 */
export function urlEncodedBody(value: unknown, encoding: Record<string, QueryParamStyle> = {}): EncodedBody {
  const contentType = "application/x-www-form-urlencoded";
  if (typeof value === "string" || value instanceof URLSearchParams) return { contentType, data: value };
  const search = new URLSearchParams();
  for (const [key, field] of fields(value, contentType)) {
    const style = encoding[key];
    if (style === undefined) appendUrlEncoded(search, key, field);
    else for (const [k, v] of styledPairs(key, field, style)) search.append(k, v);
  }
  return { contentType, data: search };
}

/** `value` (an object, or an already built `FormData`) as a multipart body. */
export function multipartBody(value: unknown): EncodedBody {
  if (value instanceof FormData) return { contentType: undefined, data: value };
  const form = new FormData();
  for (const [key, field] of fields(value, "multipart/form-data")) {
    for (const item of Array.isArray(field) ? field : [field]) {
      if (item === undefined || item === null) continue;
      if (item instanceof Blob) form.append(key, item);
      else if (typeof item === "object") form.append(key, JSON.stringify(item));
      else form.append(key, String(item));
    }
  }
  return { contentType: undefined, data: form };
}

function fields(value: unknown, mediaType: string): [string, unknown][] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidRequestError(`a ${mediaType} body must be an object of fields, not ${Array.isArray(value) ? "an array" : typeof value}`);
  }
  return Object.entries(value);
}

function appendUrlEncoded(search: URLSearchParams, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (value instanceof Blob) throw new InvalidRequestError(`form field \`${key}\` is a file: files need a multipart/form-data body`);
  if (Array.isArray(value)) {
    const indexed = value.some((v) => typeof v === "object" && v !== null && !Array.isArray(v));
    value.forEach((v, i) => appendUrlEncoded(search, indexed ? `${key}[${i}]` : key, v));
  } else if (typeof value === "object") {
    for (const [k, v] of Object.entries(value)) appendUrlEncoded(search, `${key}[${k}]`, v);
  } else {
    search.append(key, String(value));
  }
}
