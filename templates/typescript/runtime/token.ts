/**
 * The access-token cache: OAuth2 client credentials, refreshed a little
 * before expiry, with single-flight refresh (many concurrent calls that find
 * no fresh token wait on one token request), as in `interactor/src/token.rs`.
 */

import { inspectSymbol, redacted } from "./redact.js";

/** What the token endpoint granted. */
export interface TokenGrant {
  accessToken: string;
  /** Lifetime in seconds, when the server said. */
  expiresIn?: number | undefined;
}

/** A cached access token. Its value never shows in logs (see {@link redacted}). */
export class AccessToken {
  readonly #value: string;
  /** When the server says it expires (ms since the epoch). */
  readonly expiresAt: number;
  /** When the cache stops handing it out and refreshes (ms since the epoch). */
  readonly refreshAt: number;

  constructor(value: string, expiresAt: number, refreshAt: number) {
    this.#value = value;
    this.expiresAt = expiresAt;
    this.refreshAt = refreshAt;
  }

  /** The token itself, for the `Authorization` header only. */
  secret(): string {
    return this.#value;
  }

  toJSON(): unknown {
    return { value: "***", expiresAt: this.expiresAt, refreshAt: this.refreshAt };
  }

  toString(): string {
    return "AccessToken(***)";
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

/** Refresh this long before expiry (ms). */
export const DEFAULT_REFRESH_BUFFER_MS = 60_000;
/** Assumed lifetime when the server gives none (ms). */
export const DEFAULT_LIFETIME_MS = 3_600_000;
const MAX_LIFETIME_MS = 10 * 365 * 24 * 3_600_000;

/** Caches one token; `get` fetches at most once at a time. */
export class TokenCache {
  private token: AccessToken | undefined;
  private flight: Promise<AccessToken> | undefined;

  constructor(
    private readonly refreshBufferMs = DEFAULT_REFRESH_BUFFER_MS,
    private readonly defaultLifetimeMs = DEFAULT_LIFETIME_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A fresh token: the cached one, the one being fetched, or a new fetch.
   * A failed fetch is not cached: every waiter gets the error and the next
   * call tries again.
   */
  get(fetch: () => Promise<TokenGrant>): Promise<AccessToken> {
    const token = this.token;
    if (token !== undefined && this.now() < token.refreshAt) return Promise.resolve(token);
    if (this.flight === undefined) {
      const flight = (async () => {
        try {
          const grant = await fetch();
          const fresh = this.tokenFrom(grant);
          this.token = fresh;
          return fresh;
        } finally {
          this.flight = undefined;
        }
      })();
      this.flight = flight;
    }
    return this.flight;
  }

  /**
   * Drops `token` if it is still the cached one (a 401 showed the server
   * no longer takes it); a newer token is kept.
   */
  invalidate(token: AccessToken): void {
    if (this.token === token) this.token = undefined;
  }

  private tokenFrom(grant: TokenGrant): AccessToken {
    const now = this.now();
    const lifetime = Math.min(grant.expiresIn !== undefined ? grant.expiresIn * 1000 : this.defaultLifetimeMs, MAX_LIFETIME_MS);
    const left = lifetime - this.refreshBufferMs;
    const freshFor = left > 0 ? left : lifetime / 2;
    return new AccessToken(grant.accessToken, now + lifetime, now + freshFor);
  }

  toJSON(): unknown {
    return redacted("TokenCache");
  }
}
