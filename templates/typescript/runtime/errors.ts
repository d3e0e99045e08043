/**
 * Error classes: one per HTTP status the API documents, plus connection and
 * timeout errors, all under {@link SDKError}.
 *
 * An {@link APIError} carries the status, the API's error envelope
 * (`error.code`, `error.message`, `error.details`, `error.request_id`), the
 * request id (envelope or `X-Request-Id` header) and the response headers.
 * Messages never contain tokens or URLs with query strings.
 */

/** The `{"error": {...}}` envelope every API error response carries. */
export interface ErrorEnvelope {
  code?: string;
  message?: string;
  details?: unknown;
  request_id?: string;
}

/**
 * Base class of every error this SDK throws. The package's index also
 * exports it under the client's name (`InteractorError`, `EpsimoError`).
 */
export class SDKError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The server answered with an error status. */
export class APIError extends SDKError {
  /** HTTP status. */
  readonly status: number;
  /** `error.code` from the envelope, when the body had one. */
  readonly code: string | undefined;
  /** The whole `error` object of the envelope, when the body had one. */
  readonly error: ErrorEnvelope | undefined;
  /** `error.details`. */
  readonly details: unknown;
  /** The request id (envelope first, then the `X-Request-Id` header). */
  readonly requestId: string | undefined;
  /** Response headers. */
  readonly headers: Headers;
  /** The body as parsed JSON, or as text when it is not JSON. */
  readonly body: unknown;

  constructor(status: number, headers: Headers, body: unknown, message?: string) {
    const envelope = envelopeOf(body);
    const requestId = envelope?.request_id || headers.get("x-request-id") || undefined;
    const text = message ?? envelope?.message ?? (typeof body === "string" && body.length > 0 ? body.slice(0, 200) : "no message");
    super(`${status}${envelope?.code ? ` ${envelope.code}` : ""}: ${text}${requestId ? ` (request id ${requestId})` : ""}`);
    this.status = status;
    this.code = envelope?.code;
    this.error = envelope;
    this.details = envelope?.details;
    this.requestId = requestId;
    this.headers = headers;
    this.body = body;
  }
}

/** 400. */
export class BadRequestError extends APIError {}
/** 401. */
export class AuthenticationError extends APIError {}
/** 403. */
export class PermissionDeniedError extends APIError {}
/** 404. */
export class NotFoundError extends APIError {}
/** 409. */
export class ConflictError extends APIError {}
/** 422. */
export class UnprocessableEntityError extends APIError {}
/** 429. */
export class RateLimitError extends APIError {}
/** 5xx. */
export class InternalServerError extends APIError {}

/** The request never got an answer (DNS, refused connection, reset, ...). */
export class APIConnectionError extends SDKError {}

/** The request took longer than its timeout. */
export class APITimeoutError extends APIConnectionError {}

/**
 * The call was refused before anything was sent: a bad path parameter, a
 * missing required argument.
 */
export class InvalidRequestError extends SDKError {}

/** A response arrived but could not be read as the spec describes. */
export class DecodeError extends SDKError {}

/** The envelope's `error` object, if `body` is `{"error": {...}}`. */
export function envelopeOf(body: unknown): ErrorEnvelope | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as Record<string, unknown>;
  const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
  return { code: text(e["code"]), message: text(e["message"]), details: e["details"], request_id: text(e["request_id"]) };
}

/** The error class for `status`. */
export function errorClassFor(status: number): typeof APIError {
  switch (status) {
    case 400:
      return BadRequestError;
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionDeniedError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 422:
      return UnprocessableEntityError;
    case 429:
      return RateLimitError;
    default:
      return status >= 500 ? InternalServerError : APIError;
  }
}

/** The typed error for a response with an error status. */
export function errorFromResponse(status: number, headers: Headers, body: unknown): APIError {
  const Class = errorClassFor(status);
  return new Class(status, headers, body);
}
