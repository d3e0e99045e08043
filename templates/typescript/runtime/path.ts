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
