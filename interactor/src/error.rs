//! The one error type users of the crate see.
//!
//! [`Error`] carries what went wrong ([`ErrorKind`]), the HTTP status, the
//! API's error envelope (`code`, `message`, `details`), the request id and
//! the rate-limit headers. It converts from the generated client's error,
//! so `?` works on every `send().await` in a function returning
//! [`Error`]. Its `Display` and `Debug` never contain tokens, secrets or
//! URLs (URLs may carry secrets).

use std::fmt;
use std::time::{Duration, SystemTime};

use interactor_api::types::{ErrorDetails, ErrorResponse};
use reqwest::header::HeaderMap;

/// Header the SDK puts on responses it synthesizes for token failures, so
/// the conversion from the generated error can tell them apart.
pub(crate) const SDK_ERROR_HEADER: &str = "x-interactor-sdk-error";

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The API answered with an error status.
    Api,
    /// Authentication failed: the token endpoint refused the credentials,
    /// could not be reached, or the API answered `401`.
    Auth,
    /// The request failed in transit (connection refused, reset, ...).
    Transport,
    /// The request or connection timed out.
    Timeout,
    /// The client is misconfigured (missing credentials, bad URL, ...).
    Config,
    /// A response body could not be decoded.
    Decode,
    /// The request was rejected before it was sent (a missing or invalid
    /// parameter).
    InvalidRequest,
    /// An event stream whose server sends no event ids (the spec's
    /// `x-sse: {resumable: false}`) dropped and was reopened: events sent
    /// while it was down may be missing, so re-read the state
    /// (`listMessages`, `getWorkflowInstance`). The stream goes on.
    StreamGap,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Api => "API error",
            ErrorKind::Auth => "authentication error",
            ErrorKind::Transport => "transport error",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Config => "configuration error",
            ErrorKind::Decode => "decode error",
            ErrorKind::InvalidRequest => "invalid request",
            ErrorKind::StreamGap => "stream gap",
        })
    }
}

/// The `X-RateLimit-*` and `Retry-After` headers of a response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// `X-RateLimit-Limit`.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset` (as sent: Unix seconds).
    pub reset: Option<u64>,
    /// `retry-after-ms` or `Retry-After`, uncapped.
    pub retry_after: Option<Duration>,
}

impl RateLimit {
    /// Reads the rate-limit headers of a response.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let num = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok())
        };
        RateLimit {
            limit: num("x-ratelimit-limit"),
            remaining: num("x-ratelimit-remaining"),
            reset: num("x-ratelimit-reset"),
            retry_after: crate::retry::retry_after(headers, SystemTime::now(), Duration::MAX),
        }
    }
}

/// An error from the Interactor SDK.
#[non_exhaustive]
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    status: Option<u16>,
    code: Option<String>,
    message: String,
    details: Option<serde_json::Value>,
    request_id: Option<String>,
    rate_limit: RateLimit,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                status: None,
                code: None,
                message: message.into(),
                details: None,
                request_id: None,
                rate_limit: RateLimit::default(),
                source: None,
            }),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }

    pub(crate) fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidRequest, message)
    }

    pub(crate) fn decode(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Decode, message)
    }

    pub(crate) fn stream_gap(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::StreamGap, message)
    }

    /// An error from `reqwest`, with its URL removed.
    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        let e = e.without_url();
        let kind = if e.is_timeout() {
            ErrorKind::Timeout
        } else if e.is_decode() {
            ErrorKind::Decode
        } else if e.is_builder() {
            ErrorKind::InvalidRequest
        } else {
            ErrorKind::Transport
        };
        let mut err = Self::new(kind, e.to_string());
        err.inner.status = e.status().map(|s| s.as_u16());
        err.inner.source = Some(Box::new(e));
        err
    }

    pub(crate) fn from_response(
        status: u16,
        headers: &HeaderMap,
        body: Option<&ErrorResponse>,
    ) -> Self {
        let sdk = headers.get(SDK_ERROR_HEADER).and_then(|v| v.to_str().ok());
        let kind = if sdk.is_some() || status == 401 {
            ErrorKind::Auth
        } else {
            ErrorKind::Api
        };
        let message = match (body, sdk) {
            (Some(b), _) => b.error.message.clone(),
            (None, Some(m)) => m.to_string(),
            (None, None) => format!("unexpected response with status {status}"),
        };
        let mut err = Self::new(kind, message);
        err.inner.status = Some(status);
        err.inner.rate_limit = RateLimit::from_headers(headers);
        err.inner.request_id = headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if let Some(body) = body {
            err.inner.code = Some(body.error.code.to_string());
            err.inner.details = body.error.details.as_ref().map(|d| match d {
                ErrorDetails::Array(a) => serde_json::to_value(a).unwrap_or_default(),
                ErrorDetails::Object(o) => serde_json::Value::Object(o.clone()),
            });
            if err.inner.request_id.is_none() && !body.error.request_id.is_empty() {
                err.inner.request_id = Some(body.error.request_id.clone());
            }
        }
        err
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// The API's machine-readable error code (`NOT_FOUND`, `rate_limited`).
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The error envelope's `details` (field errors or an object).
    pub fn details(&self) -> Option<&serde_json::Value> {
        self.inner.details.as_ref()
    }

    /// The `X-Request-Id` of the failed response, for support.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// The rate-limit headers of the failed response.
    pub fn rate_limit(&self) -> &RateLimit {
        &self.inner.rate_limit
    }

    /// How long the server asked to wait before retrying, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.rate_limit.retry_after
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        self.inner.kind == ErrorKind::Timeout
    }

    /// Whether sending the same request later may succeed: `429`, `502`,
    /// `503`, `504`, timeouts and transport failures. (The client already
    /// retried it as its retry policy allows.)
    pub fn is_retryable(&self) -> bool {
        match self.inner.status {
            Some(s) => matches!(s, 429 | 502..=504),
            None => matches!(self.inner.kind, ErrorKind::Transport | ErrorKind::Timeout),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        write!(f, "{}", i.kind)?;
        if let Some(status) = i.status {
            write!(f, " (status {status}")?;
            if let Some(code) = &i.code {
                write!(f, ", {code}")?;
            }
            f.write_str(")")?;
        }
        write!(f, ": {}", i.message)?;
        if let Some(id) = &i.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Error")
            .field("kind", &i.kind)
            .field("status", &i.status)
            .field("code", &i.code)
            .field("message", &i.message)
            .field("details", &i.details)
            .field("request_id", &i.request_id)
            .field("rate_limit", &i.rate_limit)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<progenitor_client::Error<ErrorResponse>> for Error {
    fn from(e: progenitor_client::Error<ErrorResponse>) -> Self {
        use progenitor_client::Error as E;
        match e {
            E::InvalidRequest(m) => Self::new(ErrorKind::InvalidRequest, m),
            E::CommunicationError(e) | E::InvalidUpgrade(e) | E::ResponseBodyError(e) => {
                Self::from_reqwest(e)
            }
            E::ErrorResponse(rv) => {
                Self::from_response(rv.status().as_u16(), rv.headers(), Some(&*rv))
            }
            E::InvalidResponsePayload(_, e) => {
                Self::decode(format!("response body does not match the spec: {e}"))
            }
            E::UnexpectedResponse(r) => Self::from_response(r.status().as_u16(), r.headers(), None),
            E::Custom(m) => Self::new(ErrorKind::Transport, m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    /// `expect` is `(kind, retryable, display)`.
    fn check(status: u16, pairs: &[(&'static str, &str)], expect: (ErrorKind, bool, &str)) {
        let err = Error::from_response(status, &headers(pairs), None);
        assert_eq!(
            (err.kind(), err.is_retryable(), err.to_string().as_str()),
            expect
        );
    }

    #[test]
    fn responses() {
        check(
            429,
            &[("x-request-id", "req_1"), ("retry-after", "3")],
            (
                ErrorKind::Api,
                true,
                "API error (status 429): unexpected response with status 429 [request id req_1]",
            ),
        );
        check(
            404,
            &[],
            (
                ErrorKind::Api,
                false,
                "API error (status 404): unexpected response with status 404",
            ),
        );
        check(
            401,
            &[],
            (
                ErrorKind::Auth,
                false,
                "authentication error (status 401): unexpected response with status 401",
            ),
        );
        check(
            503,
            &[(SDK_ERROR_HEADER, "token endpoint unreachable")],
            (
                ErrorKind::Auth,
                true,
                "authentication error (status 503): token endpoint unreachable",
            ),
        );
    }

    #[test]
    fn rate_limit_headers() {
        let h = headers(&[
            ("x-ratelimit-limit", "100"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1700000000"),
            ("retry-after-ms", "250"),
        ]);
        let rl = RateLimit::from_headers(&h);
        assert_eq!(
            (rl.limit, rl.remaining, rl.reset, rl.retry_after),
            (
                Some(100),
                Some(0),
                Some(1_700_000_000),
                Some(Duration::from_millis(250))
            )
        );
    }
}
