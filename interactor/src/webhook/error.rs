//! The one error type of webhook verification.

use std::time::Duration;

/// Why a webhook request was rejected (or a verifier could not be built).
///
/// Each variant names the header at fault and the message says what to do.
/// Answer any of them with `400`/`401` and do not process the body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the scheme needs is absent.
    #[error(
        "missing header `{name}`: the request is not signed with this scheme, or a proxy dropped the header"
    )]
    MissingHeader {
        /// The header, in lowercase.
        name: &'static str,
    },
    /// A header is present but cannot be parsed.
    #[error("malformed header `{name}`: {reason}")]
    MalformedHeader {
        /// The header, in lowercase.
        name: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The signed timestamp is too far in the past or the future.
    #[error(
        "timestamp {timestamp} in `{name}` is {} s {}, beyond the tolerance of {} s: a replayed request, or a clock out of sync",
        .now.abs_diff(*.timestamp),
        if .now >= .timestamp { "in the past" } else { "in the future" },
        .tolerance.as_secs()
    )]
    TimestampOutOfTolerance {
        /// The header holding the timestamp, in lowercase.
        name: &'static str,
        /// The signed timestamp, in seconds since the Unix epoch.
        timestamp: u64,
        /// The verifier's clock, in seconds since the Unix epoch.
        now: u64,
        /// The largest difference accepted.
        tolerance: Duration,
    },
    /// No signature in the header matches the body with any secret.
    #[error(
        "no signature in `{name}` matches the body with any configured secret: check the secret (during a rotation configure both), and verify the raw body bytes before any parsing"
    )]
    NoMatchingSignature {
        /// The signature header, in lowercase.
        name: &'static str,
    },
    /// The verifier was built without a secret.
    #[error("no webhook secret configured: add one with `VerifierBuilder::secret`")]
    NoSecret,
    /// A configured secret cannot be used.
    #[error("invalid webhook secret: {reason}")]
    InvalidSecret {
        /// What is wrong with it (never the secret itself).
        reason: &'static str,
    },
    /// The verified body is not JSON of the requested type.
    #[error("the verified webhook body is not the expected JSON: {0}")]
    Json(#[from] serde_json::Error),
}
