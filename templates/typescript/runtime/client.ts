/**
 * The HTTP core every generated resource calls: `fetch` with the bearer
 * token (OAuth2 client credentials, cached, single-flight, refreshed once on
 * a 401), the default `X-Namespace` header, automatic `Idempotency-Key`s,
 * retries with full-jitter backoff and `Retry-After`, per-attempt timeouts
 * through `AbortSignal`, typed errors, pagination as async iterators and
 * Server-Sent Events with `Last-Event-ID` resume. A port of the Rust
 * overlay (`interactor/src/transport.rs`, `stream.rs`, `paginate.rs`).
 *
 * Tokens only ever travel in the `Authorization` header: never in URLs,
 * error messages, `JSON.stringify` or `util.inspect` output.
 */

import { APIConnectionError, APIError, APITimeoutError, AuthenticationError, DecodeError, SDKError, InvalidRequestError, errorFromResponse } from "./errors.js";
import { type QueryParamStyle, queryString } from "./query.js";
import { inspectSymbol } from "./redact.js";
import { RetryBudget, RetryStrategy, classify, retryAfter, sleep, type RetryOptions } from "./retry.js";
import { SseParser } from "./sse.js";
import { AccessToken, TokenCache, type TokenGrant } from "./token.js";

/** How a client is set up. Every field is optional except a way to authenticate. */
export interface ClientOptions {
  /** The API's base URL (default: the spec's first server). */
  baseURL?: string;
  /**
   * The account server (token endpoint and operations the spec puts on it).
   * Default: the spec's account server matching `baseURL` (production or
   * sandbox), else `baseURL` itself.
   */
  authURL?: string;
  /** OAuth2 client id (client credentials grant). */
  clientId?: string;
  /** OAuth2 client secret. */
  clientSecret?: string;
  /** Space-separated scopes to ask for. */
  scopes?: string;
  /** A ready access token instead of client credentials. */
  token?: string;
  /** Default `X-Namespace` header; a call may override it. */
  namespace?: string;
  /** Per-attempt timeout in ms, until the response headers arrive (default 60000). */
  timeoutMs?: number;
  /** Retry settings. */
  retry?: RetryOptions;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>;
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
}

/** Per-call settings, the last argument of every method. */
export interface RequestOptions {
  /** Cancels the call (and any retry wait). */
  signal?: AbortSignal;
  /** Per-attempt timeout in ms (until the response headers arrive), instead of the client's. */
  timeoutMs?: number;
  /** `X-Namespace` for this call; `null` sends none. */
  namespace?: string | null;
  /** `Idempotency-Key` for this call (one is generated when the operation takes one). */
  idempotencyKey?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Extra query parameters. */
  query?: Record<string, unknown>;
  /** Attempts in all, instead of the client's setting. */
  maxAttempts?: number;
}

/** What a generated method knows about its operation. */
export interface OperationRequest {
  /** The spec's operationId. */
  operationId: string;
  /** Upper-case HTTP method. */
  method: string;
  /** The path with parameters already encoded (see `encodePathSegment`). */
  path: string;
  /** Query parameters by wire name. */
  query?: Record<string, unknown>;
  /** The style of each query parameter not written as `form`, exploded (OpenAPI's default). */
  queryStyles?: Record<string, QueryParamStyle>;
  /** Header parameters by wire name. */
  headers?: Record<string, string | number | boolean | undefined>;
  /** A JSON body. */
  body?: unknown;
  /** A body sent as is (form data, text); `contentType` undefined lets `fetch` choose (multipart). */
  rawBody?: { contentType: string | undefined; data: Blob | FormData | URLSearchParams | string } | undefined;
  /** The operation is served by the account server, without a bearer token or namespace. */
  authServer?: boolean;
  /** The operation accepts an `Idempotency-Key` (so a POST may be retried). */
  idempotent?: boolean;
}

/** The spec's servers, as the generated client passes them. */
export interface ApiServers {
  /** API servers; the first is the default. */
  base: readonly string[];
  /** Account servers, in the same order (production, sandbox). */
  auth: readonly string[];
}

/** How a page is read (the spec's `x-pagination`). */
export type Pagination =
  | { style: "page"; items: string; hasMore: string; pageParam: string; perPageParam: string }
  | { style: "cursor"; items: string; cursorParam: string; nextCursor: string };

const TOKEN_PATH = "/oauth/token";

/** The client core; the generated client extends it with one property per resource. */
export class BaseClient {
  readonly baseURL: string;
  readonly authURL: string;
  readonly namespace: string | undefined;
  readonly timeoutMs: number;
  readonly retry: RetryStrategy;
  readonly #credentials: { clientId: string; clientSecret: string; scopes: string | undefined } | undefined;
  readonly #staticToken: string | undefined;
  readonly #tokens = new TokenCache();
  readonly #fetch: typeof fetch;
  readonly #defaultHeaders: Record<string, string>;
  readonly #userAgent: string;

  constructor(options: ClientOptions, servers: ApiServers, userAgent: string) {
    const base = trimSlash(options.baseURL ?? servers.base[0] ?? "");
    if (base === "") throw new InvalidRequestError("no base URL: pass `baseURL`");
    this.baseURL = base;
    this.authURL = trimSlash(options.authURL ?? authFor(base, servers));
    if (options.token !== undefined) {
      this.#staticToken = options.token;
    } else if (options.clientId !== undefined && options.clientSecret !== undefined) {
      this.#credentials = { clientId: options.clientId, clientSecret: options.clientSecret, scopes: options.scopes };
    } else if (options.clientId !== undefined || options.clientSecret !== undefined) {
      throw new InvalidRequestError("client credentials need both `clientId` and `clientSecret`");
    }
    this.namespace = options.namespace;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.retry = new RetryStrategy(options.retry, new RetryBudget());
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#defaultHeaders = { ...options.defaultHeaders };
    this.#userAgent = userAgent;
  }

  /** Sends an operation and returns its JSON body (`undefined` when there is none). */
  async request<T>(op: OperationRequest, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(op, options);
    return (await readBody(response)) as T;
  }

  /**
   * Sends an operation with retries and returns the successful response
   * (its body unread); an error status throws the typed {@link APIError}.
   */
  async send(op: OperationRequest, options: RequestOptions = {}, accept = "application/json"): Promise<Response> {
    const url = this.urlFor(op, options);
    const headers = this.headersFor(op, options, accept);
    let body: string | Blob | FormData | URLSearchParams | undefined;
    if (op.body !== undefined) {
      body = JSON.stringify(op.body);
      headers.set("content-type", "application/json");
    } else if (op.rawBody !== undefined) {
      body = op.rawBody.data;
      if (op.rawBody.contentType !== undefined) headers.set("content-type", op.rawBody.contentType);
    }
    const hasKey = headers.has("idempotency-key");
    const wantsAuth = !op.authServer && !headers.has("authorization");
    const strategy = options.maxAttempts === undefined ? this.retry : new RetryStrategy({ ...this.retryOptions(), maxAttempts: options.maxAttempts }, this.retry.budget);
    let attempt = 0;
    let refreshed = false;
    for (;;) {
      attempt++;
      const token = wantsAuth ? await this.bearer(options.signal) : undefined;
      if (token !== undefined) headers.set("authorization", `Bearer ${token.value}`);
      let response: Response | undefined;
      let failure: SDKError | undefined;
      try {
        response = await this.fetchOnce(url, { method: op.method, headers, body }, options);
      } catch (e) {
        if (!(e instanceof APIConnectionError)) throw e;
        failure = e;
      }
      if (response !== undefined && response.status === 401 && token?.cached !== undefined && !refreshed) {
        refreshed = true;
        this.#tokens.invalidate(token.cached);
        await discard(response);
        attempt--;
        continue;
      }
      const status = response?.status;
      const decision = classify(status, op.method, hasKey);
      const hint = response === undefined ? undefined : retryAfter(response.headers, Date.now(), strategy.maxRetryAfterMs);
      const action = strategy.shouldRetry(attempt, decision, hint);
      if (action.retry) {
        if (response !== undefined) await discard(response);
        await sleep(action.waitMs, options.signal);
        continue;
      }
      if (response === undefined) throw failure ?? new APIConnectionError("request failed");
      if (response.status < 400) {
        strategy.onSuccess();
        return response;
      }
      throw errorFromResponse(response.status, response.headers, await readBody(response).catch(() => undefined));
    }
  }

  /**
   * Every item of a paginated list operation, fetching pages as the
   * iteration goes. `page(query)` sends one page's request.
   */
  async *paginate<Item>(op: OperationRequest, pagination: Pagination, options: RequestOptions = {}): AsyncGenerator<Item, void, undefined> {
    const query: Record<string, unknown> = { ...op.query };
    if (pagination.style === "page") {
      let page = typeof query[pagination.pageParam] === "number" ? (query[pagination.pageParam] as number) : 1;
      for (;;) {
        query[pagination.pageParam] = page;
        const body = await this.request<unknown>({ ...op, query }, options);
        const items = pointer(body, pagination.items);
        if (!Array.isArray(items)) throw new DecodeError(`${op.operationId}: no item array at ${pagination.items}`);
        yield* items as Item[];
        if (pointer(body, pagination.hasMore) !== true || items.length === 0) return;
        page++;
      }
    } else {
      const seen = new Set<string>();
      for (;;) {
        const body = await this.request<unknown>({ ...op, query }, options);
        const items = pointer(body, pagination.items);
        if (!Array.isArray(items)) throw new DecodeError(`${op.operationId}: no item array at ${pagination.items}`);
        yield* items as Item[];
        const next = pointer(body, pagination.nextCursor);
        if (typeof next !== "string" || next === "" || seen.has(next)) return;
        seen.add(next);
        query[pagination.cursorParam] = next;
      }
    }
  }

  /**
   * A Server-Sent Events stream: each event decoded with `decode`. When
   * the connection drops the stream waits (the server's `retry:` or a
   * backoff) and reconnects with `Last-Event-ID`; a partial event is
   * discarded, so with a server that resumes after that id nothing is lost
   * or repeated. Connection failures are retried as the retry settings
   * allow (counted per run of consecutive failures); a failure that is not
   * retried ends the iteration with the typed error.
   */
  async *stream<T>(op: OperationRequest, decode: (event: string, data: string, id: string | undefined) => T, options: RequestOptions = {}): AsyncGenerator<T, void, undefined> {
    const parser = new SseParser();
    let failures = 0;
    let delay: number | undefined;
    for (;;) {
      if (delay !== undefined) await sleep(delay, options.signal);
      delay = undefined;
      const headers: Record<string, string> = { ...options.headers };
      if (parser.lastEventId !== "") headers["last-event-id"] = parser.lastEventId;
      let response: Response;
      try {
        // One attempt per connection: the failure count below spans reconnects.
        response = await this.send(op, { ...options, headers, maxAttempts: 1, timeoutMs: options.timeoutMs ?? this.timeoutMs }, "text/event-stream");
      } catch (e) {
        const status = e instanceof APIError ? e.status : e instanceof APIConnectionError ? undefined : -1;
        if (status === -1) throw e;
        failures++;
        const action = this.retry.shouldRetry(failures, classify(status, "GET", true), e instanceof APIError ? retryAfter(e.headers, Date.now(), this.retry.maxRetryAfterMs) : undefined);
        if (!action.retry) throw e;
        delay = action.waitMs;
        continue;
      }
      // 204 No Content: the server asks the client not to reconnect.
      if (response.status === 204 || response.body === null) return;
      failures = 0;
      const reader = response.body.getReader();
      try {
        for (;;) {
          let chunk: ReadableStreamReadResult<Uint8Array>;
          try {
            chunk = await reader.read();
          } catch (e) {
            if (options.signal?.aborted) throw options.signal.reason;
            break; // dropped: reconnect
          }
          if (chunk.done) break;
          parser.feed(chunk.value);
          for (let ev = parser.nextEvent(); ev !== undefined; ev = parser.nextEvent()) yield decode(ev.event, ev.data, ev.id);
        }
      } finally {
        reader.cancel().catch(() => undefined);
      }
      for (let ev = parser.nextEvent(); ev !== undefined; ev = parser.nextEvent()) yield decode(ev.event, ev.data, ev.id);
      parser.reconnect();
      delay = parser.retry ?? this.retry.backoff(0);
    }
  }

  private retryOptions(): RetryOptions {
    return { maxAttempts: this.retry.maxAttempts, initialBackoffMs: this.retry.initialBackoffMs, maxBackoffMs: this.retry.maxBackoffMs, maxRetryAfterMs: this.retry.maxRetryAfterMs };
  }

  private urlFor(op: OperationRequest, options: RequestOptions): string {
    const root = op.authServer ? this.authURL : this.baseURL;
    const query = queryString({ ...op.query, ...options.query }, op.queryStyles);
    return `${root}${op.path}${query === "" ? "" : `?${query}`}`;
  }

  private headersFor(op: OperationRequest, options: RequestOptions, accept: string): Headers {
    const headers = new Headers(this.#defaultHeaders);
    headers.set("accept", accept);
    headers.set("user-agent", this.#userAgent);
    for (const [name, value] of Object.entries(op.headers ?? {})) {
      if (value !== undefined) headers.set(name, String(value));
    }
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    if (!op.authServer && !headers.has("x-namespace")) {
      const namespace = options.namespace === undefined ? this.namespace : options.namespace;
      if (namespace !== null && namespace !== undefined) headers.set("x-namespace", namespace);
    }
    if (options.idempotencyKey !== undefined) headers.set("idempotency-key", options.idempotencyKey);
    else if (op.idempotent && !headers.has("idempotency-key")) headers.set("idempotency-key", newIdempotencyKey());
    return headers;
  }

  /** One fetch with the per-attempt timeout; network failures become {@link APIConnectionError}. */
  private async fetchOnce(url: string, init: { method: string; headers: Headers; body: string | Blob | FormData | URLSearchParams | undefined }, options: RequestOptions): Promise<Response> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = options.signal === undefined ? timeout.signal : anySignal([options.signal, timeout.signal]);
    try {
      const response = await this.#fetch(url, { method: init.method, headers: init.headers, body: init.body ?? null, signal });
      return response;
    } catch (e) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (timeout.signal.aborted) throw new APITimeoutError(`${init.method} timed out after ${timeoutMs} ms`, { cause: e });
      throw new APIConnectionError(`${init.method} failed: ${describe(e)}`, { cause: e });
    } finally {
      clearTimeout(timer);
    }
  }

  private async bearer(signal: AbortSignal | undefined): Promise<{ value: string; cached: AccessToken | undefined } | undefined> {
    if (this.#staticToken !== undefined) return { value: this.#staticToken, cached: undefined };
    if (this.#credentials === undefined) return undefined;
    // The fetch is shared by every waiting call, so one caller's abort must
    // not fail it for the others: the caller only stops waiting.
    const token = await untilAborted(this.#tokens.get(() => this.fetchToken()), signal);
    return { value: token.secret(), cached: token };
  }

  private async fetchToken(): Promise<TokenGrant> {
    const creds = this.#credentials;
    if (creds === undefined) throw new AuthenticationError(401, new Headers(), undefined, "no client credentials configured");
    const body: Record<string, string> = { grant_type: "client_credentials", client_id: creds.clientId, client_secret: creds.clientSecret };
    if (creds.scopes !== undefined) body["scope"] = creds.scopes;
    const headers = new Headers({ "content-type": "application/json", accept: "application/json", "user-agent": this.#userAgent });
    const response = await this.fetchOnce(`${this.authURL}${TOKEN_PATH}`, { method: "POST", headers, body: JSON.stringify(body) }, {});
    const parsed = await readBody(response).catch(() => undefined);
    if (response.status >= 400) throw errorFromResponse(response.status, response.headers, parsed);
    const data = (typeof parsed === "object" && parsed !== null && "data" in parsed ? (parsed as { data: unknown }).data : parsed) as Record<string, unknown> | undefined;
    const accessToken = data?.["access_token"];
    if (typeof accessToken !== "string") throw new DecodeError("token response has no data.access_token");
    const expiresIn = data?.["expires_in"];
    return { accessToken, expiresIn: typeof expiresIn === "number" ? expiresIn : undefined };
  }

  toJSON(): unknown {
    return { baseURL: this.baseURL, authURL: this.authURL, namespace: this.namespace, credentials: this.#credentials === undefined && this.#staticToken === undefined ? "none" : "***" };
  }

  toString(): string {
    return `${this.constructor.name}(${this.baseURL}, credentials ***)`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/** The value at JSON pointer `ptr` in `doc`. */
export function pointer(doc: unknown, ptr: string): unknown {
  if (ptr === "") return doc;
  let node = doc;
  for (const raw of ptr.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

function authFor(base: string, servers: ApiServers): string {
  const i = servers.base.findIndex((s) => trimSlash(s) === base);
  return i >= 0 && servers.auth[i] !== undefined ? servers.auth[i] : base;
}

/** A random UUID v4, for `Idempotency-Key` (the same key is sent on every attempt). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** A signal that aborts when any of `signals` does (AbortSignal.any where available). */
function anySignal(signals: AbortSignal[]): AbortSignal {
  if (typeof AbortSignal.any === "function") return AbortSignal.any(signals);
  const controller = new AbortController();
  for (const s of signals) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener("abort", () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      return JSON.parse(text);
    } catch {
      if (response.status < 400) throw new DecodeError(`response body is not valid JSON (status ${response.status})`);
      return text;
    }
  }
  return text;
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function describe(e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
  return e instanceof Error ? `${e.message}${cause}` : String(e);
}

/** The JSON `data` of an event named `event`; malformed JSON is a {@link DecodeError}. */
export function parseEventData(event: string, data: string): unknown {
  try {
    return JSON.parse(data);
  } catch (e) {
    throw new DecodeError(`cannot decode ${JSON.stringify(event)} event: ${(e as Error).message}`);
  }
}
