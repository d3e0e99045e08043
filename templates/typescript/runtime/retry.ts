/**
 * Retries: classification (is this failure retryable?) apart from strategy
 * (how long to wait, is there budget left?), as in the Rust overlay
 * (`interactor/src/retry/`).
 *
 * - Retryable: 429, 502, 503, 504 and network errors, for idempotent
 *   methods (GET, HEAD, PUT, DELETE, OPTIONS) or a request that carries an
 *   `Idempotency-Key`. A POST or PATCH without one is never sent twice.
 * - Wait: `retry-after-ms`, else `Retry-After` (seconds or an HTTP date),
 *   capped at `maxRetryAfterMs`; without a hint, full jitter: uniform in
 *   `[0, min(maxBackoffMs, initialBackoffMs * 2^retry)]`.
 * - Budget: a token bucket shared by the client; each retry costs 5, each
 *   success refunds 1, so a failing server is not hammered by every call.
 */

/** Why a failure is or is not retried. */
export type RetryDecision = "throttled" | "unavailable" | "connect" | "success" | "not-retryable" | "not-idempotent";

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/** Whether `method` may be repeated without an idempotency key. */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/**
 * Classifies an attempt: `status` is the response status, or `undefined`
 * when the request got no response (a network error).
 */
export function classify(status: number | undefined, method: string, hasIdempotencyKey: boolean): RetryDecision {
  let kind: RetryDecision;
  if (status === undefined) kind = "connect";
  else if (status < 400) return "success";
  else if (status === 429) kind = "throttled";
  else if (status >= 502 && status <= 504) kind = "unavailable";
  else return "not-retryable";
  return isIdempotent(method) || hasIdempotencyKey ? kind : "not-idempotent";
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date (past dates are 0). */
export function parseRetryAfter(value: string, nowMs: number): number | undefined {
  const v = value.trim();
  if (/^[0-9]+$/.test(v)) return Number(v) * 1000;
  // Only IMF-fixdate and the obsolete forms Date.parse reads; anything
  // else (including bare numbers with signs or decimals) is no hint.
  if (!/^[A-Za-z]{3,9},? /.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** `retry-after-ms`: non-negative milliseconds, possibly fractional. */
export function parseRetryAfterMs(value: string): number | undefined {
  const v = value.trim();
  if (!/^[0-9]+(\.[0-9]+)?$/.test(v)) return undefined;
  const ms = Number(v);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The server's hint in `headers`, capped at `capMs`. */
export function retryAfter(headers: Headers, nowMs: number, capMs: number): number | undefined {
  const ms = headers.get("retry-after-ms");
  const hint = (ms !== null ? parseRetryAfterMs(ms) : undefined) ?? fromRetryAfter(headers.get("retry-after"), nowMs);
  return hint === undefined ? undefined : Math.min(hint, capMs);
}

function fromRetryAfter(value: string | null, nowMs: number): number | undefined {
  return value === null ? undefined : parseRetryAfter(value, nowMs);
}

/** A token bucket that only retries drain. */
export class RetryBudget {
  private tokens: number;
  constructor(
    readonly capacity = 500,
    readonly retryCost = 5,
    readonly successRefund = 1,
  ) {
    this.tokens = capacity;
  }
  /** Takes the cost of one retry; `false` when the bucket is too low. */
  tryAcquire(): boolean {
    if (this.tokens < this.retryCost) return false;
    this.tokens -= this.retryCost;
    return true;
  }
  /** A success refills the bucket a little. */
  onSuccess(): void {
    this.tokens = Math.min(this.capacity, this.tokens + this.successRefund);
  }
  /** Tokens left. */
  get available(): number {
    return this.tokens;
  }
}

/** Retry settings; every field is optional when passed to the client. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 3; 1 disables retries). */
  maxAttempts?: number;
  /** Backoff ceiling of the first retry, in ms (default 500). */
  initialBackoffMs?: number;
  /** Largest backoff ceiling, in ms (default 8000). */
  maxBackoffMs?: number;
  /** Largest wait a server hint may ask for, in ms (default 60000). */
  maxRetryAfterMs?: number;
}

/** What to do after a failed attempt. */
export type RetryAction = { retry: true; waitMs: number } | { retry: false; reason: RetryDecision | "max-attempts" | "budget-exhausted" };

/** How long to wait before a retry, and whether to retry at all. */
export class RetryStrategy {
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxRetryAfterMs: number;

  constructor(
    options: RetryOptions = {},
    readonly budget: RetryBudget = new RetryBudget(),
    private readonly random: () => number = Math.random,
  ) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.initialBackoffMs = options.initialBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 8000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  }

  /** After attempt number `attempts` (1-based) ended with `decision`. */
  shouldRetry(attempts: number, decision: RetryDecision, retryAfterMs: number | undefined): RetryAction {
    if (decision === "success" || decision === "not-retryable" || decision === "not-idempotent") return { retry: false, reason: decision };
    if (attempts >= this.maxAttempts) return { retry: false, reason: "max-attempts" };
    if (!this.budget.tryAcquire()) return { retry: false, reason: "budget-exhausted" };
    const waitMs = retryAfterMs !== undefined ? Math.min(retryAfterMs, this.maxRetryAfterMs) : this.backoff(attempts - 1);
    return { retry: true, waitMs };
  }

  /** Reports a success (refills the budget). */
  onSuccess(): void {
    this.budget.onSuccess();
  }

  /** Full jitter before retry number `retry` (0 for the first). */
  backoff(retry: number): number {
    const ceiling = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(retry, 30));
    return this.random() * ceiling;
  }
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
