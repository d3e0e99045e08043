//! How long to wait before a retry, and whether to retry at all.

use std::sync::Mutex;
use std::time::Duration;

use super::budget::RetryBudget;
use super::classify::{NoRetry, RetryDecision};

/// Limits and timings of a [`RetryStrategy`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryConfig {
    /// 3 attempts in all, backoff from 500 ms up to 8 s, server hints
    /// honoured up to 60 s.
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryConfig {
    /// Attempts in all, the first included (1 disables retries).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n;
        self
    }

    /// The base of the exponential backoff.
    pub fn initial_backoff(mut self, base: Duration) -> Self {
        self.initial_backoff = base;
        self
    }

    /// The cap on one computed backoff.
    pub fn max_backoff(mut self, cap: Duration) -> Self {
        self.max_backoff = cap;
        self
    }

    /// The cap on a wait asked for by `Retry-After` or `retry-after-ms`.
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// The cap on a wait asked for by the server.
    pub fn retry_after_cap(&self) -> Duration {
        self.max_retry_after
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryAction {
    /// Sleep this long, then send the request again.
    RetryAfter(Duration),
    /// Return the failure to the caller.
    GiveUp(GiveUpReason),
}

/// Why a failure is returned instead of retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GiveUpReason {
    /// The classification forbids a retry.
    NotRetryable(NoRetry),
    /// The attempts allowed by the configuration are used up.
    MaxAttempts,
    /// The shared retry budget is empty: the service is failing broadly.
    BudgetExhausted,
}

/// Exponential backoff with full jitter, a maximum number of attempts and
/// a shared [`RetryBudget`]. Thread-safe; share one per client.
#[derive(Debug)]
pub struct RetryStrategy {
    config: RetryConfig,
    budget: RetryBudget,
    rng: Mutex<fastrand::Rng>,
}

impl RetryStrategy {
    /// A strategy with the default budget and an RNG seeded from entropy.
    pub fn new(config: RetryConfig) -> Self {
        Self::with_rng(config, fastrand::Rng::new())
    }

    /// A strategy whose jitter is the same on every run; for tests.
    pub fn with_seed(config: RetryConfig, seed: u64) -> Self {
        Self::with_rng(config, fastrand::Rng::with_seed(seed))
    }

    fn with_rng(config: RetryConfig, rng: fastrand::Rng) -> Self {
        RetryStrategy {
            config,
            budget: RetryBudget::default(),
            rng: Mutex::new(rng),
        }
    }

    /// Replaces the default budget.
    #[must_use]
    pub fn with_budget(mut self, budget: RetryBudget) -> Self {
        self.budget = budget;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &RetryConfig {
        &self.config
    }

    /// The shared retry budget.
    pub fn budget(&self) -> &RetryBudget {
        &self.budget
    }

    /// Decides after attempt number `attempts` (1 for the first) failed as
    /// `decision`. `retry_after` is the server's hint (see
    /// [`retry_after`](super::retry_after)); it replaces the computed
    /// backoff, capped by [`RetryConfig::max_retry_after`]. A retry takes
    /// its cost from the budget.
    pub fn should_retry(
        &self,
        attempts: u32,
        decision: RetryDecision,
        retry_after: Option<Duration>,
    ) -> RetryAction {
        if let RetryDecision::DoNotRetry(why) = decision {
            return RetryAction::GiveUp(GiveUpReason::NotRetryable(why));
        }
        if attempts >= self.config.max_attempts {
            return RetryAction::GiveUp(GiveUpReason::MaxAttempts);
        }
        if !self.budget.try_acquire() {
            return RetryAction::GiveUp(GiveUpReason::BudgetExhausted);
        }
        let wait = match retry_after {
            Some(hint) => hint.min(self.config.max_retry_after),
            None => self.backoff(attempts.saturating_sub(1)),
        };
        RetryAction::RetryAfter(wait)
    }

    /// Reports a successful request, refilling the budget a little.
    pub fn on_success(&self) {
        self.budget.on_success();
    }

    /// The full-jitter backoff before retry number `retry` (0 for the
    /// first): uniform in `[0, min(max_backoff, initial_backoff * 2^retry)]`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self.ceiling(retry).as_nanos();
        let ceiling = u64::try_from(ceiling).unwrap_or(u64::MAX);
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        Duration::from_nanos(rng.u64(0..=ceiling))
    }

    /// `min(max_backoff, initial_backoff * 2^retry)`.
    fn ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry).unwrap_or(0);
        let exp = if factor == 0 {
            Duration::MAX
        } else {
            self.config.initial_backoff.saturating_mul(factor)
        };
        exp.min(self.config.max_backoff)
    }
}

#[cfg(test)]
mod tests {
    use super::super::classify::RetryKind;
    use super::*;

    const RETRY: RetryDecision = RetryDecision::Retry(RetryKind::ServerUnavailable);

    fn strategy(max_attempts: u32) -> RetryStrategy {
        let config = RetryConfig::default()
            .max_attempts(max_attempts)
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_secs(2));
        RetryStrategy::with_seed(config, 42)
    }

    #[test]
    fn ceilings_double_then_cap() {
        let s = strategy(10);
        let ms: Vec<u128> = (0..8).map(|r| s.ceiling(r).as_millis()).collect();
        assert_eq!(ms, [100, 200, 400, 800, 1600, 2000, 2000, 2000]);
        assert_eq!(s.ceiling(31), Duration::from_secs(2));
        assert_eq!(s.ceiling(32), Duration::from_secs(2), "no overflow");
        assert_eq!(s.ceiling(u32::MAX), Duration::from_secs(2));
    }

    #[test]
    fn full_jitter_stays_in_bounds_and_spreads() {
        let s = strategy(10);
        for retry in 0..6 {
            let ceiling = s.ceiling(retry);
            let waits: Vec<Duration> = (0..2_000).map(|_| s.backoff(retry)).collect();
            assert!(waits.iter().all(|w| *w <= ceiling), "retry {retry}");
            // Full jitter: waits cover the whole range, not just its top.
            assert!(waits.iter().any(|w| *w < ceiling / 10), "retry {retry}");
            assert!(waits.iter().any(|w| *w > ceiling * 9 / 10), "retry {retry}");
        }
    }

    #[test]
    fn seeded_jitter_is_reproducible() {
        let a: Vec<_> = (0..5).map(|r| strategy(10).backoff(r)).collect();
        let b: Vec<_> = (0..5).map(|r| strategy(10).backoff(r)).collect();
        assert_eq!(a, b);
        let other = RetryStrategy::with_seed(strategy(10).config.clone(), 7);
        assert_ne!(a, (0..5).map(|r| other.backoff(r)).collect::<Vec<_>>());
    }

    #[test]
    fn max_attempts() {
        let s = strategy(3);
        assert!(
            matches!(s.should_retry(1, RETRY, None), RetryAction::RetryAfter(w) if w <= Duration::from_millis(100))
        );
        assert!(
            matches!(s.should_retry(2, RETRY, None), RetryAction::RetryAfter(w) if w <= Duration::from_millis(200))
        );
        assert_eq!(
            s.should_retry(3, RETRY, None),
            RetryAction::GiveUp(GiveUpReason::MaxAttempts)
        );
        assert_eq!(s.budget().available(), 490, "two retries at 5 tokens");
        assert_eq!(
            strategy(1).should_retry(1, RETRY, None),
            RetryAction::GiveUp(GiveUpReason::MaxAttempts)
        );
    }

    #[test]
    fn not_retryable_costs_nothing() {
        let s = strategy(3);
        let decision = RetryDecision::DoNotRetry(NoRetry::NotIdempotent);
        assert_eq!(
            s.should_retry(1, decision, None),
            RetryAction::GiveUp(GiveUpReason::NotRetryable(NoRetry::NotIdempotent))
        );
        assert_eq!(s.budget().available(), 500);
    }

    #[test]
    fn retry_after_replaces_backoff_and_is_capped() {
        let s = strategy(5);
        let hint = Duration::from_millis(1_234);
        assert_eq!(
            s.should_retry(1, RETRY, Some(hint)),
            RetryAction::RetryAfter(hint)
        );
        assert_eq!(
            s.should_retry(1, RETRY, Some(Duration::from_secs(3_600))),
            RetryAction::RetryAfter(Duration::from_secs(60))
        );
    }

    #[test]
    fn budget_exhaustion_stops_a_retry_storm_and_success_refills() {
        let s = strategy(u32::MAX).with_budget(RetryBudget::new(20, 5, 1));
        let retried = (0..100)
            .filter(|_| matches!(s.should_retry(1, RETRY, None), RetryAction::RetryAfter(_)))
            .count();
        assert_eq!(retried, 4);
        assert_eq!(
            s.should_retry(1, RETRY, None),
            RetryAction::GiveUp(GiveUpReason::BudgetExhausted)
        );
        for _ in 0..5 {
            s.on_success();
        }
        assert!(matches!(
            s.should_retry(1, RETRY, None),
            RetryAction::RetryAfter(_)
        ));
        assert_eq!(
            s.should_retry(1, RETRY, None),
            RetryAction::GiveUp(GiveUpReason::BudgetExhausted)
        );
    }
}
