//! Is a failed request retryable?

use http::Method;

/// The classification of one attempt's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryDecision {
    /// The request may be sent again.
    Retry(RetryKind),
    /// The request must not be sent again.
    DoNotRetry(NoRetry),
}

/// Why a request may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryKind {
    /// `429 Too Many Requests`.
    Throttled,
    /// `502`, `503` or `504`: a gateway or the server is briefly unavailable.
    ServerUnavailable,
    /// The connection could not be established; nothing was sent.
    Connect,
    /// The request failed in transit with no response (a reset or a
    /// timeout); the server may have acted on it.
    Transport,
}

/// Why a request must not be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NoRetry {
    /// The status is below 400: nothing to retry.
    Success,
    /// The status is not one that a retry can fix.
    NotRetryable,
    /// The failure is retryable, but the method is not idempotent and the
    /// request has no `Idempotency-Key`: send one to make it retryable.
    NotIdempotent,
}

/// Whether sending `method` twice has the effect of sending it once
/// (GET, HEAD, PUT, DELETE, OPTIONS). POST, PATCH and unknown methods are not.
pub fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
    ]
    .contains(method)
}

/// Classifies an attempt.
///
/// `status` is the response status, or `None` when there was no response.
/// `is_connect_error` means the connection was never established, so the
/// request was not sent and is safe to retry whatever its method. Other
/// retryable failures (429, 502, 503, 504, and transport errors with no
/// response) are retried only for idempotent methods or when the request
/// carries an idempotency key.
pub fn classify(
    status: Option<u16>,
    is_connect_error: bool,
    method: &Method,
    has_idempotency_key: bool,
) -> RetryDecision {
    let kind = match status {
        None if is_connect_error => return RetryDecision::Retry(RetryKind::Connect),
        None => RetryKind::Transport,
        Some(..400) => return RetryDecision::DoNotRetry(NoRetry::Success),
        Some(429) => RetryKind::Throttled,
        Some(502..=504) => RetryKind::ServerUnavailable,
        Some(_) => return RetryDecision::DoNotRetry(NoRetry::NotRetryable),
    };
    if is_idempotent(method) || has_idempotency_key {
        RetryDecision::Retry(kind)
    } else {
        RetryDecision::DoNotRetry(NoRetry::NotIdempotent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expect` is the decision's `Debug` form.
    fn check(status: Option<u16>, connect: bool, method: &str, key: bool, expect: &str) {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let got = format!("{:?}", classify(status, connect, &method, key));
        assert_eq!(
            got, expect,
            "{status:?} connect={connect} {method} key={key}"
        );
    }

    #[test]
    fn table() {
        check(Some(200), false, "POST", false, "DoNotRetry(Success)");
        check(Some(304), false, "GET", false, "DoNotRetry(Success)");
        check(Some(400), false, "GET", false, "DoNotRetry(NotRetryable)");
        check(Some(401), false, "GET", false, "DoNotRetry(NotRetryable)");
        check(Some(404), false, "GET", false, "DoNotRetry(NotRetryable)");
        check(Some(409), false, "PUT", true, "DoNotRetry(NotRetryable)");
        check(Some(500), false, "GET", false, "DoNotRetry(NotRetryable)");
        check(Some(501), false, "GET", false, "DoNotRetry(NotRetryable)");
        check(Some(505), false, "GET", false, "DoNotRetry(NotRetryable)");
        check(Some(429), false, "GET", false, "Retry(Throttled)");
        check(Some(502), false, "HEAD", false, "Retry(ServerUnavailable)");
        check(Some(503), false, "PUT", false, "Retry(ServerUnavailable)");
        check(
            Some(504),
            false,
            "DELETE",
            false,
            "Retry(ServerUnavailable)",
        );
        check(
            Some(503),
            false,
            "OPTIONS",
            false,
            "Retry(ServerUnavailable)",
        );
        check(Some(429), false, "POST", false, "DoNotRetry(NotIdempotent)");
        check(
            Some(503),
            false,
            "PATCH",
            false,
            "DoNotRetry(NotIdempotent)",
        );
        check(Some(429), false, "POST", true, "Retry(Throttled)");
        check(Some(504), false, "PATCH", true, "Retry(ServerUnavailable)");
        check(
            Some(503),
            false,
            "QUERY",
            false,
            "DoNotRetry(NotIdempotent)",
        );
        check(None, true, "POST", false, "Retry(Connect)");
        check(None, true, "GET", false, "Retry(Connect)");
        check(None, false, "GET", false, "Retry(Transport)");
        check(None, false, "POST", false, "DoNotRetry(NotIdempotent)");
        check(None, false, "POST", true, "Retry(Transport)");
    }
}
