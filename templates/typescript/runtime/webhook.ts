/**
 * Webhook signature verification on Web Crypto (`crypto.subtle`), so it runs
 * in Node 20+ and browsers alike; a port of `interactor/src/webhook/`.
 *
 * Schemes:
 * - `interactor-v1`: `X-Interactor-Signature: sha256=<hex>`, HMAC-SHA256 of
 *   the raw body (bare hex is accepted too);
 * - `interactor-v2`: the same header over `"{timestamp}.{body}"` with
 *   `X-Interactor-Timestamp`, within a tolerance (5 minutes by default);
 * - `standard-webhooks`: `webhook-id`/`webhook-timestamp`/`webhook-signature`
 *   (or the `svix-` names), secrets `whsec_<base64>`, several `v1,<base64>`
 *   signatures;
 * - `github` (`X-Hub-Signature-256`) and `stripe` (`Stripe-Signature`).
 *
 * Several secrets may be configured (rotation): a signature made with any
 * of them passes, and {@link VerifiedWebhook.secretIndex} tells which.
 * Comparison is constant-time (`crypto.subtle.verify`). Verify the raw body
 * bytes before any JSON parsing.
 */

import { SDKError } from "./errors.js";
import { inspectSymbol } from "./redact.js";

/** A signature scheme. */
export type WebhookScheme = "interactor-v1" | "interactor-v2" | "standard-webhooks" | "github" | "stripe";

/** Why a webhook was rejected. */
export type WebhookErrorKind = "missing-header" | "malformed-header" | "timestamp-out-of-tolerance" | "no-matching-signature" | "no-secret" | "invalid-secret" | "json";

/** A rejected webhook (or a verifier that cannot be built). */
export class WebhookVerificationError extends SDKError {
  constructor(
    readonly kind: WebhookErrorKind,
    message: string,
    /** The header concerned, lower case, when there is one. */
    readonly header?: string,
  ) {
    super(message);
  }
}

/** Headers in any of the shapes servers hand out. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined> | Iterable<readonly [string, string]>;

/** A verified delivery. */
export interface VerifiedWebhook {
  scheme: WebhookScheme;
  /** The raw body. */
  body: Uint8Array;
  /** Delivery id (`X-Interactor-Delivery`, `webhook-id`, `X-GitHub-Delivery`), if sent. */
  id: string | undefined;
  /** Event type (`X-Interactor-Event`, `X-GitHub-Event`), if sent. */
  eventType: string | undefined;
  /** The signed timestamp (Unix seconds), for timestamped schemes. */
  timestamp: number | undefined;
  /** Which configured secret matched. */
  secretIndex: number;
  /** The body parsed as JSON. */
  json<T = unknown>(): T;
}

/** Verifier settings. */
export interface WebhookVerifierOptions {
  scheme: WebhookScheme;
  /** One or more secrets, newest or oldest first: any may match. */
  secrets: ReadonlyArray<string | Uint8Array>;
  /** Largest accepted clock difference, in seconds (default 300). */
  toleranceSeconds?: number;
  /** The current time in ms since the epoch (for tests). */
  now?: () => number;
}

/** Default tolerance of timestamped schemes, in seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const INTERACTOR_SIGNATURE = "x-interactor-signature";
const INTERACTOR_TIMESTAMP = "x-interactor-timestamp";
const INTERACTOR_DELIVERY = "x-interactor-delivery";
const INTERACTOR_EVENT = "x-interactor-event";
const STANDARD_ID = ["webhook-id", "svix-id"] as const;
const STANDARD_TIMESTAMP = ["webhook-timestamp", "svix-timestamp"] as const;
const STANDARD_SIGNATURE = ["webhook-signature", "svix-signature"] as const;

const encoder = new TextEncoder();

/** Bytes backed by an `ArrayBuffer` (what `crypto.subtle` takes). */
type Bytes = Uint8Array<ArrayBuffer>;

interface Signed {
  content: Bytes;
  tags: Bytes[];
  header: string;
  timestamp: number | undefined;
  id: string | undefined;
  eventType: string | undefined;
}

/** Verifies webhook deliveries with one scheme and one or more secrets. */
export class WebhookVerifier {
  readonly scheme: WebhookScheme;
  readonly #keys: Bytes[];
  readonly #tolerance: number;
  readonly #now: () => number;
  #imported: Promise<CryptoKey[]> | undefined;

  constructor(options: WebhookVerifierOptions) {
    this.scheme = options.scheme;
    if (options.secrets.length === 0) {
      throw new WebhookVerificationError("no-secret", "no webhook secret configured: pass at least one in `secrets`");
    }
    this.#keys = options.secrets.map((secret) => {
      const key = typeof secret !== "string" ? new Uint8Array(secret) : this.scheme === "standard-webhooks" ? standardSecret(secret) : encoder.encode(secret);
      if (key.length === 0) throw new WebhookVerificationError("invalid-secret", "invalid webhook secret: the secret is empty");
      return key;
    });
    this.#tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
    this.#now = options.now ?? Date.now;
  }

  /** Checks `body` (the raw bytes, or the exact text) against `headers`. */
  async verify(headers: WebhookHeaders, body: Uint8Array | ArrayBuffer | string): Promise<VerifiedWebhook> {
    const raw: Bytes = typeof body === "string" ? encoder.encode(body) : new Uint8Array(body);
    const get = headerGetter(headers);
    const signed = this.signed(get, raw);
    const secretIndex = await this.matchTag(signed);
    return {
      scheme: this.scheme,
      body: raw,
      id: signed.id,
      eventType: signed.eventType,
      timestamp: signed.timestamp,
      secretIndex,
      json<T>(): T {
        try {
          return JSON.parse(new TextDecoder().decode(raw)) as T;
        } catch (e) {
          throw new WebhookVerificationError("json", `the verified webhook body is not JSON: ${(e as Error).message}`);
        }
      },
    };
  }

  private signed(get: (name: string) => string | undefined, body: Bytes): Signed {
    switch (this.scheme) {
      case "interactor-v1":
      case "github": {
        const [header, id, event] = this.scheme === "github" ? ["x-hub-signature-256", "x-github-delivery", "x-github-event"] : [INTERACTOR_SIGNATURE, INTERACTOR_DELIVERY, INTERACTOR_EVENT];
        return { content: body, tags: [sha256Hex(required(get, header), header)], header, timestamp: undefined, id: get(id), eventType: get(event) };
      }
      case "interactor-v2": {
        const rawTs = required(get, INTERACTOR_TIMESTAMP);
        const timestamp = this.checkTime(rawTs, INTERACTOR_TIMESTAMP);
        const tag = sha256Hex(required(get, INTERACTOR_SIGNATURE), INTERACTOR_SIGNATURE);
        return { content: concat(encoder.encode(`${rawTs}.`), body), tags: [tag], header: INTERACTOR_SIGNATURE, timestamp, id: get(INTERACTOR_DELIVERY), eventType: get(INTERACTOR_EVENT) };
      }
      case "standard-webhooks": {
        const [id] = firstOf(get, STANDARD_ID);
        const [rawTs, tsHeader] = firstOf(get, STANDARD_TIMESTAMP);
        const timestamp = this.checkTime(rawTs, tsHeader);
        const [value, header] = firstOf(get, STANDARD_SIGNATURE);
        return { content: concat(encoder.encode(`${id}.${rawTs}.`), body), tags: standardSignatures(value, header), header, timestamp, id, eventType: undefined };
      }
      case "stripe": {
        const header = "stripe-signature";
        const [rawTs, tags] = stripeSignature(required(get, header), header);
        const timestamp = this.checkTime(rawTs, header);
        return { content: concat(encoder.encode(`${rawTs}.`), body), tags, header, timestamp, id: undefined, eventType: undefined };
      }
    }
  }

  private checkTime(raw: string, name: string): number {
    if (!/^[0-9]{1,15}$/.test(raw)) {
      throw new WebhookVerificationError("malformed-header", `malformed header \`${name}\`: expected a Unix timestamp in whole seconds`, name);
    }
    const timestamp = Number(raw);
    const now = Math.floor(this.#now() / 1000);
    if (Math.abs(now - timestamp) > this.#tolerance) {
      const when = now >= timestamp ? "in the past" : "in the future";
      throw new WebhookVerificationError(
        "timestamp-out-of-tolerance",
        `timestamp ${timestamp} in \`${name}\` is ${Math.abs(now - timestamp)} s ${when}, beyond the tolerance of ${this.#tolerance} s: a replayed request, or a clock out of sync`,
        name,
      );
    }
    return timestamp;
  }

  private async matchTag(signed: Signed): Promise<number> {
    this.#imported ??= Promise.all(this.#keys.map((key) => crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["verify"])));
    const keys = await this.#imported;
    for (const [index, key] of keys.entries()) {
      for (const tag of signed.tags) {
        // `subtle.verify` compares in constant time.
        if (await crypto.subtle.verify("HMAC", key, tag, signed.content)) return index;
      }
    }
    throw new WebhookVerificationError(
      "no-matching-signature",
      `no signature in \`${signed.header}\` matches the body with any configured secret: check the secret (during a rotation configure both), and verify the raw body bytes before any parsing`,
      signed.header,
    );
  }

  toJSON(): unknown {
    return { scheme: this.scheme, secrets: `[${this.#keys.length} redacted]` };
  }

  toString(): string {
    return `WebhookVerifier(${this.scheme}, ${this.#keys.length} secrets redacted)`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

function headerGetter(headers: WebhookHeaders): (name: string) => string | undefined {
  const map = new Map<string, string>();
  const put = (name: string, value: string): void => {
    const key = name.toLowerCase();
    if (!map.has(key)) map.set(key, value);
  };
  if (typeof Headers !== "undefined" && headers instanceof Headers) {
    headers.forEach((value, name) => put(name, value));
  } else if (Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<readonly [string, string]>) put(name, value);
  } else {
    for (const [name, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
      if (value === undefined) continue;
      put(name, Array.isArray(value) ? (value[0] ?? "") : value);
    }
  }
  return (name) => {
    const v = map.get(name);
    return v === undefined ? undefined : v.replace(/^[ \t]+|[ \t]+$/g, "");
  };
}

function required(get: (name: string) => string | undefined, name: string): string {
  const v = get(name);
  if (v === undefined) {
    throw new WebhookVerificationError("missing-header", `missing header \`${name}\`: the request is not signed with this scheme, or a proxy dropped the header`, name);
  }
  return v;
}

function firstOf(get: (name: string) => string | undefined, names: readonly [string, string]): [string, string] {
  for (const name of names) {
    const v = get(name);
    if (v !== undefined) return [v, name];
  }
  return [required(get, names[0]), names[0]];
}

function malformed(name: string, reason: string): WebhookVerificationError {
  return new WebhookVerificationError("malformed-header", `malformed header \`${name}\`: ${reason}`, name);
}

function sha256Hex(value: string, name: string): Bytes {
  const eq = value.indexOf("=");
  let hex = value;
  if (eq >= 0) {
    if (value.slice(0, eq) !== "sha256") throw malformed(name, "expected `sha256=<hex>`: unknown algorithm");
    hex = value.slice(eq + 1);
  }
  const tag = decodeHex(hex);
  if (tag === undefined || tag.length !== 32) throw malformed(name, "expected `sha256=` and 64 hex digits");
  return tag;
}

function standardSignatures(value: string, name: string): Bytes[] {
  let anyV1 = false;
  const tags: Bytes[] = [];
  for (const entry of value.split(/[ \t\n\r\f]+/)) {
    const comma = entry.indexOf(",");
    if (comma < 0 || entry.slice(0, comma) !== "v1") continue;
    anyV1 = true;
    const tag = decodeBase64(entry.slice(comma + 1));
    if (tag !== undefined) tags.push(tag);
  }
  if (!anyV1) throw malformed(name, "expected space-separated `v1,<base64>` signatures");
  return tags;
}

function stripeSignature(value: string, name: string): [string, Bytes[]] {
  let t: string | undefined;
  let anyV1 = false;
  const tags: Bytes[] = [];
  for (const item of value.split(",")) {
    const trimmed = item.trim();
    const eq = trimmed.indexOf("=");
    if (eq < 0) continue;
    const [key, v] = [trimmed.slice(0, eq), trimmed.slice(eq + 1)];
    if (key === "t" && t === undefined) t = v;
    else if (key === "v1") {
      anyV1 = true;
      const tag = decodeHex(v);
      if (tag !== undefined) tags.push(tag);
    }
  }
  if (t === undefined) throw malformed(name, "expected `t=<unix seconds>,v1=<hex>`: no `t=`");
  if (!anyV1) throw malformed(name, "expected `t=<unix seconds>,v1=<hex>`: no `v1=`");
  return [t, tags];
}

function standardSecret(secret: string): Bytes {
  const key = decodeBase64(secret.startsWith("whsec_") ? secret.slice(6) : secret);
  if (key === undefined) throw new WebhookVerificationError("invalid-secret", "invalid webhook secret: a Standard Webhooks secret is `whsec_` followed by base64");
  return key;
}

function decodeHex(hex: string): Bytes | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Strict standard base64 (padding required), as the Rust `STANDARD` engine. */
function decodeBase64(text: string): Bytes | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function concat(a: Bytes, b: Bytes): Bytes {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
