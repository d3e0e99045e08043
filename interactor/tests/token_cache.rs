//! The token cache: single flight, expiry with a refresh buffer,
//! `invalidate` semantics, and errors that are shared but not cached.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use interactor::clock::{Clock, ManualClock};
use interactor::token::{AccessToken, TokenCache, TokenGrant};
use tokio::sync::Barrier;

type Cache = TokenCache<String>;

fn cache() -> (Arc<Cache>, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::from_unix(1_700_000_000));
    (Arc::new(Cache::new().with_clock(Arc::clone(&clock))), clock)
}

/// A fetch that counts its calls and returns `token-N` valid for `secs`.
async fn fetch(calls: &AtomicUsize, secs: u64) -> Result<TokenGrant, String> {
    let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
    tokio::task::yield_now().await;
    Ok(TokenGrant::new(
        format!("token-{n}"),
        Some(Duration::from_secs(secs)),
    ))
}

async fn get(cache: &Cache, calls: &AtomicUsize, secs: u64) -> String {
    cache
        .get(|| fetch(calls, secs))
        .await
        .unwrap()
        .secret()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_tasks_on_a_cold_cache_fetch_once() {
    let (cache, _) = cache();
    let calls = Arc::new(AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(1_000));
    let tasks: Vec<_> = (0..1_000)
        .map(|_| {
            let (cache, calls, barrier) =
                (Arc::clone(&cache), Arc::clone(&calls), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                cache
                    .get(|| async {
                        calls.fetch_add(1, Ordering::SeqCst);
                        // Slow enough that every task arrives while it runs.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok(TokenGrant::new(
                            "the-token",
                            Some(Duration::from_secs(3600)),
                        ))
                    })
                    .await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().secret(), "the-token");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn fresh_until_expiry_minus_buffer() {
    let (cache, clock) = cache();
    let calls = AtomicUsize::new(0);
    assert_eq!(get(&cache, &calls, 3600).await, "token-1");
    clock.advance(Duration::from_secs(3539));
    assert_eq!(
        get(&cache, &calls, 3600).await,
        "token-1",
        "still fresh 61 s before expiry"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        get(&cache, &calls, 3600).await,
        "token-2",
        "refreshed 60 s before expiry"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn short_lived_token_is_fresh_for_half_its_life() {
    for (expires_in, fresh_ms) in [(60, 30_000), (40, 20_000), (61, 1_000), (1, 500)] {
        let (cache, clock) = cache();
        let calls = AtomicUsize::new(0);
        let token = cache.get(|| fetch(&calls, expires_in)).await.unwrap();
        assert_eq!(
            token.refresh_at().duration_since(clock.now()).unwrap(),
            Duration::from_millis(fresh_ms),
            "expires_in {expires_in}"
        );
        assert_eq!(
            token.expires_at().duration_since(clock.now()).unwrap(),
            Duration::from_secs(expires_in)
        );
    }
}

#[tokio::test]
async fn custom_buffer_and_default_lifetime() {
    let clock = Arc::new(ManualClock::from_unix(0));
    let cache: Cache = TokenCache::new()
        .with_clock(Arc::clone(&clock))
        .with_refresh_buffer(Duration::from_secs(10))
        .with_default_lifetime(Duration::from_secs(100));
    let calls = AtomicUsize::new(0);
    let no_expiry = || async {
        calls.fetch_add(1, Ordering::SeqCst);
        Ok(TokenGrant::new("t", None))
    };
    cache.get(no_expiry).await.unwrap();
    clock.advance(Duration::from_secs(89));
    assert!(cache.cached().is_some());
    cache.get(no_expiry).await.unwrap();
    clock.advance(Duration::from_secs(1));
    assert!(cache.cached().is_none());
    cache.get(no_expiry).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn invalidate_only_clears_the_failed_token() {
    let (cache, _) = cache();
    let calls = AtomicUsize::new(0);
    let first = cache.get(|| fetch(&calls, 3600)).await.unwrap();
    assert!(cache.invalidate(&first), "the cached token is cleared");
    assert!(cache.cached().is_none());
    let second = cache.get(|| fetch(&calls, 3600)).await.unwrap();
    assert_eq!(second.secret(), "token-2");
    // A late 401 for the first token must not discard the second.
    assert!(!cache.invalidate(&first));
    assert_eq!(
        cache.cached().as_ref().map(AccessToken::secret),
        Some("token-2")
    );
    assert_eq!(get(&cache, &calls, 3600).await, "token-2");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_fetch_reaches_every_waiter_and_is_not_cached() {
    let (cache, _) = cache();
    let calls = Arc::new(AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(100));
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let (cache, calls, barrier) =
                (Arc::clone(&cache), Arc::clone(&calls), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                cache
                    .get(|| async {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Err::<TokenGrant, _>("invalid_client".to_owned())
                    })
                    .await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap_err(), "invalid_client");
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "one fetch, its error shared"
    );
    assert!(cache.cached().is_none());
    let calls = AtomicUsize::new(0);
    assert_eq!(
        get(&cache, &calls, 3600).await,
        "token-1",
        "the next call fetches again"
    );
}

#[tokio::test]
async fn a_cancelled_fetch_is_taken_over() {
    let (cache, _) = cache();
    let started = Arc::new(tokio::sync::Notify::new());
    let stuck = {
        let (cache, started) = (Arc::clone(&cache), Arc::clone(&started));
        tokio::spawn(async move {
            cache
                .get(|| async move {
                    started.notify_one();
                    std::future::pending::<Result<TokenGrant, String>>().await
                })
                .await
        })
    };
    started.notified().await;
    stuck.abort();
    assert!(stuck.await.unwrap_err().is_cancelled());
    let calls = AtomicUsize::new(0);
    assert_eq!(get(&cache, &calls, 3600).await, "token-1");
}

#[tokio::test]
async fn debug_redacts() {
    let (cache, _) = cache();
    let token = cache
        .get(|| async {
            Ok::<_, String>(TokenGrant::new(
                "super-secret-token",
                Some(Duration::from_secs(60)),
            ))
        })
        .await
        .unwrap();
    for debug in [
        format!("{token:?}"),
        format!("{cache:?}"),
        format!("{:?}", TokenGrant::new("super-secret-token", None)),
    ] {
        assert!(!debug.contains("super-secret"), "{debug}");
        assert!(debug.contains("***"), "{debug}");
    }
}
