/**
 * Keeping secrets out of logs: objects that hold one render as a redacted
 * placeholder in `JSON.stringify`, `String()` and Node's `util.inspect`.
 */

/** The placeholder an object holding secrets renders as. */
export function redacted(name: string): string {
  return `${name}(***)`;
}

/** Node's `util.inspect` hook (a registered symbol, so no Node import is needed). */
export const inspectSymbol: unique symbol = Symbol.for("nodejs.util.inspect.custom");
