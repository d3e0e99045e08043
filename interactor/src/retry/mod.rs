//! Retry policy: *classification* apart from *strategy*, as in smithy-rs.
//!
//! - [`classify`] answers "may this request be retried?" from the status,
//!   the kind of failure and whether the request is idempotent.
//! - [`RetryStrategy`] answers "how long to wait, and is there budget left?"
//!   with exponential backoff and full jitter, a maximum number of
//!   attempts, server `Retry-After` hints ([`retry_after`]) and a token
//!   bucket [`RetryBudget`] shared by all requests of a client, so that an
//!   outage cannot turn into a retry storm.
//!
//! Pure logic: no runtime, no sleeping, no HTTP client. The caller sleeps.
//!
//! ```
//! use std::time::Duration;
//! use http::Method;
//! use interactor::retry::{classify, RetryAction, RetryConfig, RetryStrategy};
//!
//! let strategy = RetryStrategy::new(RetryConfig::default());
//! let decision = classify(Some(503), false, &Method::GET, false);
//! match strategy.should_retry(1, decision, None) {
//!     RetryAction::RetryAfter(wait) => assert!(wait <= Duration::from_millis(500)),
//!     other => panic!("{other:?}"),
//! }
//! ```

mod budget;
mod classify;
mod retry_after;
mod strategy;

pub use budget::RetryBudget;
pub use classify::{NoRetry, RetryDecision, RetryKind, classify, is_idempotent};
pub use retry_after::{parse_retry_after, parse_retry_after_ms, retry_after};
pub use strategy::{GiveUpReason, RetryAction, RetryConfig, RetryStrategy};
