//! State shared by every handler of one server: configuration, the data
//! store, issued tokens, the request log, scripts and counters.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use crate::idempotency::Keys;
use crate::log::RecordedRequest;
use crate::script::Scripts;
use crate::server::Config;
use crate::store::Store;

/// Handlers receive the state as `State<App>`.
pub(crate) type App = Arc<Shared>;

/// One issued access token.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub scopes: Vec<String>,
    pub expires_at: Instant,
}

/// Tokens the server issued and has not revoked.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    pub access: HashMap<String, Grant>,
    /// Refresh token -> client id.
    pub refresh: HashMap<String, String>,
}

pub(crate) struct Shared {
    pub config: Config,
    pub store: Mutex<Store>,
    pub tokens: Mutex<Tokens>,
    pub log: Mutex<Vec<RecordedRequest>>,
    pub scripts: Mutex<Scripts>,
    pub idempotency: Mutex<Keys>,
    pub token_requests: AtomicUsize,
    /// Workflow instance id -> length of its synthetic history.
    pub histories: Mutex<HashMap<String, u64>>,
    next_id: AtomicU64,
    pub rate: Mutex<RateWindow>,
}

impl Shared {
    pub fn new(config: Config) -> Self {
        Self {
            config,
            store: Mutex::default(),
            tokens: Mutex::default(),
            log: Mutex::default(),
            scripts: Mutex::default(),
            idempotency: Mutex::default(),
            token_requests: AtomicUsize::new(0),
            histories: Mutex::default(),
            next_id: AtomicU64::new(1),
            rate: Mutex::default(),
        }
    }

    /// A fresh number for ids (`req_`, `asst_`, `tok_`, ...): unique within
    /// this server and increasing, so ids sort in creation order.
    pub fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// Issues an access token (and a refresh token) for `scopes`.
    pub fn issue(&self, scopes: Vec<String>) -> (String, String) {
        let n = self.next_id();
        let access = format!("tok_{n:08}_{:08x}", mix(n));
        let refresh = format!("rt_{n:08}_{:08x}", mix(n ^ 0x5eed));
        let grant = Grant {
            scopes,
            expires_at: Instant::now() + self.config.token_ttl,
        };
        let mut tokens = lock(&self.tokens);
        tokens.access.insert(access.clone(), grant);
        tokens
            .refresh
            .insert(refresh.clone(), self.config.client_id.clone());
        (access, refresh)
    }
}

/// Requests counted in the current rate-limit window.
#[derive(Debug, Default)]
pub(crate) struct RateWindow {
    /// Unix second the window started.
    pub start: u64,
    pub used: u64,
}

/// Locks `m`, ignoring poisoning: a panicking test must not take the
/// server down with it.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Scrambles `n` so tokens do not look sequential (not cryptographic).
fn mix(n: u64) -> u32 {
    let x = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (x >> 32) as u32 ^ x as u32
}
