//! The OAuth2 access token cache, generic over how a token is fetched.
//!
//! [`TokenCache::get`] returns the cached token while it is fresh and
//! otherwise runs the caller's fetch, **once** for all the tasks that ask at
//! the same time (single flight): a thousand requests on a cold cache make
//! one token request. A token counts as fresh until `expires_in` minus a
//! refresh buffer (60 s by default; a token living no longer than the buffer
//! is fresh for half its life). A failed fetch is returned to every task
//! that waited for it and is not cached: the next call fetches again.
//!
//! ```
//! # tokio_test_shim::block_on(async {
//! use std::time::Duration;
//! use interactor::token::{TokenCache, TokenGrant};
//!
//! let cache: TokenCache<String> = TokenCache::new();
//! let token = cache
//!     .get(|| async { Ok(TokenGrant::new("eyJ...", Some(Duration::from_secs(3600)))) })
//!     .await?;
//! assert_eq!(token.secret(), "eyJ...");
//! assert_eq!(format!("{token:?}").contains("eyJ"), false);
//! # Ok::<(), String>(())
//! # });
//! # mod tokio_test_shim {
//! #     pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
//! #         tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
//! #     }
//! # }
//! ```
//!
//! After a `401`, call [`TokenCache::invalidate`] with the token that was
//! rejected: it clears the cache only if that token is still the cached
//! one, so a late `401` for an old token does not discard a newer one.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use tokio::sync::OnceCell;

use crate::clock::{Clock, SystemClock};

/// The default time before expiry at which a token is refreshed.
pub const DEFAULT_REFRESH_BUFFER: Duration = Duration::from_secs(60);

/// The lifetime assumed when the server sends no `expires_in` (Interactor
/// tokens live one hour).
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// Lifetimes are clamped to this, so that expiry arithmetic cannot overflow.
const MAX_LIFETIME: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

/// What a fetch returns: the token endpoint's answer.
#[derive(Clone)]
pub struct TokenGrant {
    access_token: String,
    expires_in: Option<Duration>,
}

impl TokenGrant {
    /// A grant of `access_token`, valid for `expires_in` from now (`None`
    /// when the server did not say).
    pub fn new(access_token: impl Into<String>, expires_in: Option<Duration>) -> Self {
        TokenGrant {
            access_token: access_token.into(),
            expires_in,
        }
    }
}

impl fmt::Debug for TokenGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenGrant")
            .field("access_token", &"***")
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// A cached access token. Cheap to clone; its `Debug` hides the secret.
#[derive(Clone)]
pub struct AccessToken {
    value: Arc<str>,
    expires_at: SystemTime,
    refresh_at: SystemTime,
}

impl AccessToken {
    /// The token itself, for the `Authorization: Bearer` header.
    pub fn secret(&self) -> &str {
        &self.value
    }

    /// When the server said it expires (or the assumed default lifetime).
    pub fn expires_at(&self) -> SystemTime {
        self.expires_at
    }

    /// From when the cache fetches a new one.
    pub fn refresh_at(&self) -> SystemTime {
        self.refresh_at
    }
}

impl PartialEq for AccessToken {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for AccessToken {}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &"***")
            .field("expires_at", &self.expires_at)
            .field("refresh_at", &self.refresh_at)
            .finish()
    }
}

/// The result of one fetch, shared by every task waiting for it.
type Flight<E> = Arc<OnceCell<Result<AccessToken, E>>>;

struct State<E> {
    token: Option<AccessToken>,
    /// The fetch in progress, if any.
    flight: Option<Flight<E>>,
}

/// Caches one access token and refreshes it with single flight. `E` is the
/// fetch's error type; it is cloned to every waiting task (wrap it in an
/// `Arc` if it is not `Clone`).
pub struct TokenCache<E> {
    state: Mutex<State<E>>,
    refresh_buffer: Duration,
    default_lifetime: Duration,
    clock: Arc<dyn Clock>,
}

impl<E: Clone> Default for TokenCache<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Clone> TokenCache<E> {
    /// An empty cache with the default refresh buffer and the system clock.
    pub fn new() -> Self {
        TokenCache {
            state: Mutex::new(State {
                token: None,
                flight: None,
            }),
            refresh_buffer: DEFAULT_REFRESH_BUFFER,
            default_lifetime: DEFAULT_LIFETIME,
            clock: Arc::new(SystemClock),
        }
    }

    /// Refreshes tokens `buffer` before they expire.
    #[must_use]
    pub fn with_refresh_buffer(mut self, buffer: Duration) -> Self {
        self.refresh_buffer = buffer;
        self
    }

    /// Assumes this lifetime for grants without `expires_in`.
    #[must_use]
    pub fn with_default_lifetime(mut self, lifetime: Duration) -> Self {
        self.default_lifetime = lifetime;
        self
    }

    /// Reads "now" from `clock` instead of the system clock.
    #[must_use]
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The cached token if it is fresh; otherwise the result of `fetch`,
    /// run once however many tasks ask at the same time. `fetch` is not
    /// called when the token is fresh or another task's fetch is used. If
    /// the task running the fetch is cancelled, a waiting task runs its own.
    pub async fn get<F, Fut>(&self, fetch: F) -> Result<AccessToken, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<TokenGrant, E>>,
    {
        let flight = {
            let now = self.clock.now();
            let mut state = self.lock();
            if let Some(token) = &state.token
                && now < token.refresh_at
            {
                return Ok(token.clone());
            }
            Arc::clone(state.flight.get_or_insert_with(Flight::default))
        };
        let this_flight = &flight;
        flight
            .get_or_init(|| async move {
                let result = fetch().await.map(|grant| self.token_from(grant));
                // Publish before the waiters wake, so that a task arriving
                // after this finds the token, or (after an error) starts a
                // new flight instead of joining the failed one.
                let mut state = self.lock();
                if state
                    .flight
                    .as_ref()
                    .is_some_and(|f| Arc::ptr_eq(f, this_flight))
                {
                    state.flight = None;
                }
                if let Ok(token) = &result {
                    state.token = Some(token.clone());
                }
                result
            })
            .await
            .clone()
    }

    /// The cached token, if there is one and it is fresh.
    pub fn cached(&self) -> Option<AccessToken> {
        let now = self.clock.now();
        self.lock().token.clone().filter(|t| now < t.refresh_at)
    }

    /// Forgets `rejected` (say, after a `401`) if it is still the cached
    /// token; returns whether it was. A newer token is kept.
    pub fn invalidate(&self, rejected: &AccessToken) -> bool {
        let mut state = self.lock();
        if state.token.as_ref() == Some(rejected) {
            state.token = None;
            true
        } else {
            false
        }
    }

    fn token_from(&self, grant: TokenGrant) -> AccessToken {
        let now = self.clock.now();
        let lifetime = grant
            .expires_in
            .unwrap_or(self.default_lifetime)
            .min(MAX_LIFETIME);
        let fresh_for = match lifetime.checked_sub(self.refresh_buffer) {
            Some(left) if !left.is_zero() => left,
            _ => lifetime / 2,
        };
        AccessToken {
            value: grant.access_token.into(),
            expires_at: now.checked_add(lifetime).unwrap_or(now),
            refresh_at: now.checked_add(fresh_for).unwrap_or(now),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<E>> {
        // The state is two `Option`s written in single statements; a panic
        // elsewhere cannot leave it half-updated, so poisoning is ignored.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<E> fmt::Debug for TokenCache<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        f.debug_struct("TokenCache")
            .field("token", &state.token)
            .field("refreshing", &state.flight.is_some())
            .field("refresh_buffer", &self.refresh_buffer)
            .finish_non_exhaustive()
    }
}
