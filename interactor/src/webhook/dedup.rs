//! At-most-once processing of redelivered webhooks.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use crate::clock::{Clock, SystemClock};

/// A bounded, thread-safe set of recently seen event ids or idempotency
/// keys, each remembered for a time-to-live.
///
/// Webhook senders retry deliveries, so the same event can arrive twice.
/// Call [`first_time`](Self::first_time) with the event id after verifying
/// the signature and skip the event when it returns `false`. If processing
/// then fails, call [`forget`](Self::forget) so the sender's retry is
/// processed. When full, the oldest id is forgotten first. The set lives in
/// this process only: several replicas need a shared store instead.
pub struct Deduplicator {
    state: Mutex<State>,
    capacity: usize,
    ttl: Duration,
    clock: Arc<dyn Clock>,
}

#[derive(Default)]
struct State {
    /// Each remembered id and when it was first seen.
    seen: HashMap<Arc<str>, Entry>,
    /// The same entries in insertion order, plus stale ones left by
    /// `forget`; an entry is current when `seen` has the same `Entry`.
    order: VecDeque<(Arc<str>, Entry)>,
    /// Numbers entries, so a stale one never looks current.
    next_seq: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    at: SystemTime,
    seq: u64,
}

impl Deduplicator {
    /// Remembers up to `capacity` ids (at least one), each for `ttl`.
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        Deduplicator {
            state: Mutex::default(),
            capacity: capacity.max(1),
            ttl,
            clock: Arc::new(SystemClock),
        }
    }

    /// Reads time from `clock` instead of the system clock.
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Whether `id` is new (then it is remembered) or was seen within the
    /// time-to-live.
    pub fn first_time(&self, id: &str) -> bool {
        let now = self.clock.now();
        let mut state = self.lock();
        state.expire(now, self.ttl);
        if let Some(seen) = state.seen.get(id)
            && !expired(seen.at, now, self.ttl)
        {
            return false;
        }
        let entry = Entry {
            at: now,
            seq: state.next_seq,
        };
        state.next_seq += 1;
        let key: Arc<str> = Arc::from(id);
        state.seen.insert(Arc::clone(&key), entry);
        state.order.push_back((key, entry));
        while state.seen.len() > self.capacity {
            state.pop_oldest();
        }
        if state.order.len() > 2 * self.capacity {
            let State { seen, order, .. } = &mut *state;
            order.retain(|(k, e)| seen.get(k) == Some(e));
        }
        true
    }

    /// Forgets `id`, so that its next delivery counts as the first.
    pub fn forget(&self, id: &str) {
        self.lock().seen.remove(id);
    }

    /// How many ids are remembered (expired ones may still count until the
    /// next call to [`first_time`](Self::first_time)).
    pub fn len(&self) -> usize {
        self.lock().seen.len()
    }

    /// Whether no id is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the maps inconsistent
        // in a way that matters here, so a poisoned lock is still used.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    fn expire(&mut self, now: SystemTime, ttl: Duration) {
        while let Some((_, entry)) = self.order.front() {
            if !expired(entry.at, now, ttl) {
                break;
            }
            self.pop_oldest();
        }
    }

    fn pop_oldest(&mut self) {
        if let Some((k, entry)) = self.order.pop_front()
            && self.seen.get(&k) == Some(&entry)
        {
            self.seen.remove(&k);
        }
    }
}

/// Seen at `seen`, is it past `ttl` at `now`? A clock that went back
/// counts as not expired.
fn expired(seen: SystemTime, now: SystemTime, ttl: Duration) -> bool {
    now.duration_since(seen).is_ok_and(|age| age >= ttl)
}

impl fmt::Debug for Deduplicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Deduplicator")
            .field("len", &self.len())
            .field("capacity", &self.capacity)
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    fn dedup(capacity: usize, ttl_secs: u64) -> (Deduplicator, Arc<ManualClock>) {
        let clock = Arc::new(ManualClock::from_unix(1_000));
        let d = Deduplicator::new(capacity, Duration::from_secs(ttl_secs))
            .with_clock(Arc::clone(&clock));
        (d, clock)
    }

    #[test]
    fn second_delivery_is_not_first() {
        let (d, _) = dedup(10, 60);
        assert!(d.first_time("evt_1"));
        assert!(!d.first_time("evt_1"));
        assert!(d.first_time("evt_2"));
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn ttl_expiry() {
        let (d, clock) = dedup(10, 60);
        assert!(d.first_time("a"));
        clock.advance(Duration::from_secs(59));
        assert!(!d.first_time("a"));
        clock.advance(Duration::from_secs(1));
        assert!(d.first_time("a"), "remembered for exactly the ttl");
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn capacity_evicts_oldest() {
        let (d, _) = dedup(2, 60);
        assert!(d.first_time("a"));
        assert!(d.first_time("b"));
        assert!(d.first_time("c"));
        assert_eq!(d.len(), 2);
        assert!(!d.first_time("c"));
        assert!(!d.first_time("b"));
        assert!(d.first_time("a"), "a was evicted");
    }

    #[test]
    fn forget_allows_redelivery_and_stays_bounded() {
        let (d, _) = dedup(3, 60);
        for _ in 0..100 {
            assert!(d.first_time("x"));
            d.forget("x");
        }
        assert!(d.lock().order.len() <= 6);
        assert!(d.first_time("x"));
        assert!(!d.first_time("x"));
    }

    #[test]
    fn shared_between_threads() {
        let (d, _) = dedup(1_000, 60);
        let firsts: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| (0..100).filter(|i| d.first_time(&i.to_string())).count()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
        });
        assert_eq!(firsts, 100, "each id is first exactly once");
    }
}
