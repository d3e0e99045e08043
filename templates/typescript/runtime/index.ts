/** The runtime's public surface, re-exported by the package. */

export * from "./client.js";
export * from "./errors.js";
export * from "./form.js";
export * from "./path.js";
export * from "./query.js";
export * from "./retry.js";
export * from "./sse.js";
export * from "./token.js";
export * from "./webhook.js";
