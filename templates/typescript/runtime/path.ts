/**
 * Path parameters: each value becomes exactly one percent-encoded path
 * segment, so an id can never change which route a request goes to.
 */

import { InvalidRequestError } from "./errors.js";

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

/** A query string (without `?`) from the defined values of `params`; arrays repeat the key. */
export function queryString(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const v of value) search.append(key, scalar(v));
    } else {
      search.append(key, scalar(value));
    }
  }
  return search.toString();
}

function scalar(value: unknown): string {
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}
