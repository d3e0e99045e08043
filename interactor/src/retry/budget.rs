//! The retry budget: a token bucket that only retries drain.

use std::sync::atomic::{AtomicU32, Ordering};

/// A token bucket shared by every request of a client. Each retry takes
/// [`retry_cost`](Self::new) tokens and each success puts back
/// `success_refund`, up to the capacity. When an outage makes most requests
/// fail, the bucket empties and further failures are returned at once
/// instead of multiplying the load (smithy-rs's standard strategy: 500
/// tokens, 5 per retry, 1 back per success).
#[derive(Debug)]
pub struct RetryBudget {
    tokens: AtomicU32,
    capacity: u32,
    retry_cost: u32,
    success_refund: u32,
}

impl RetryBudget {
    /// The default capacity.
    pub const DEFAULT_CAPACITY: u32 = 500;
    /// The default cost of one retry.
    pub const DEFAULT_RETRY_COST: u32 = 5;
    /// The default refund for one success.
    pub const DEFAULT_SUCCESS_REFUND: u32 = 1;

    /// A full bucket of `capacity` tokens.
    pub fn new(capacity: u32, retry_cost: u32, success_refund: u32) -> Self {
        RetryBudget {
            tokens: AtomicU32::new(capacity),
            capacity,
            retry_cost,
            success_refund,
        }
    }

    /// Takes the cost of one retry; `false` (and nothing taken) when the
    /// bucket holds less.
    pub fn try_acquire(&self) -> bool {
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                t.checked_sub(self.retry_cost)
            })
            .is_ok()
    }

    /// Puts back the refund for one successful request.
    pub fn on_success(&self) {
        // The closure always returns `Some`, so this cannot fail.
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                Some(t.saturating_add(self.success_refund).min(self.capacity))
            });
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

impl Default for RetryBudget {
    fn default() -> Self {
        Self::new(
            Self::DEFAULT_CAPACITY,
            Self::DEFAULT_RETRY_COST,
            Self::DEFAULT_SUCCESS_REFUND,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exhaustion_and_refill() {
        let budget = RetryBudget::default();
        let granted = (0..1_000).filter(|_| budget.try_acquire()).count();
        assert_eq!(granted, 100, "500 tokens at 5 per retry");
        assert_eq!(budget.available(), 0);
        for _ in 0..4 {
            budget.on_success();
        }
        assert!(!budget.try_acquire(), "4 tokens are not enough");
        assert_eq!(budget.available(), 4);
        budget.on_success();
        assert!(budget.try_acquire());
        assert_eq!(budget.available(), 0);
    }

    #[test]
    fn refill_stops_at_capacity() {
        let budget = RetryBudget::new(10, 5, 3);
        budget.on_success();
        assert_eq!(budget.available(), 10);
        assert!(budget.try_acquire());
        budget.on_success();
        budget.on_success();
        assert_eq!(budget.available(), 10);
    }

    #[test]
    fn concurrent_acquires_never_overdraw() {
        let budget = RetryBudget::new(1_000, 7, 0);
        let granted: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| s.spawn(|| (0..1_000).filter(|_| budget.try_acquire()).count()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(granted, 1_000 / 7);
        assert_eq!(budget.available(), 1_000 % 7);
    }
}
