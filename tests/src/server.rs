//! [`FakeServer`]: starting, addressing, inspecting and scripting the fake
//! Interactor server.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::log::RecordedRequest;
use crate::script::Canned;
use crate::state::{App, Shared, lock};

/// How a [`FakeServer`] is set up.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// The one OAuth client the token endpoint accepts.
    pub client_id: String,
    /// Its secret.
    pub client_secret: String,
    /// Lifetime of issued access tokens (`expires_in`).
    pub token_ttl: Duration,
    /// Where to listen; port 0 picks a free one.
    pub addr: SocketAddr,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            client_id: FakeServer::CLIENT_ID.to_string(),
            client_secret: FakeServer::CLIENT_SECRET.to_string(),
            token_ttl: Duration::from_secs(3600),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    }
}

/// The fake Interactor API on loopback, in memory. Stops when dropped.
///
/// ```no_run
/// # async fn demo() {
/// let server = interactor_tests::FakeServer::start().await;
/// let client = interactor_api::Client::new(&server.base_url(), Default::default());
/// # }
/// ```
pub struct FakeServer {
    app: App,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl FakeServer {
    /// Path prefix of every route, as in the spec's server URLs.
    pub const PREFIX: &'static str = "/api/v1";
    /// Default OAuth client id.
    pub const CLIENT_ID: &'static str = "client_test";
    /// Default OAuth client secret.
    pub const CLIENT_SECRET: &'static str = "secret_test";

    /// Starts a server with the default [`Config`] on `127.0.0.1:0`.
    ///
    /// # Panics
    /// If no loopback port can be bound.
    pub async fn start() -> Self {
        Self::start_with(Config::default())
            .await
            .unwrap_or_else(|e| panic!("fake server: cannot listen: {e}"))
    }

    /// Starts a server with `config`.
    pub async fn start_with(config: Config) -> std::io::Result<Self> {
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let app = Arc::new(Shared::new(config));
        let router = crate::routes::router(app.clone());
        let (shutdown, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                eprintln!("fake server: {e}");
            }
        });
        Ok(Self {
            app,
            addr,
            shutdown: Some(shutdown),
            task,
        })
    }

    /// The URL a client uses as its base: `http://127.0.0.1:PORT/api/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}{}", self.addr, Self::PREFIX)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The configuration the server runs with.
    pub fn config(&self) -> &Config {
        &self.app.config
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.app.log).clone()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        lock(&self.app.log).clear();
    }

    /// How many requests reached `POST /oauth/token`, scripted ones included.
    pub fn token_requests(&self) -> usize {
        self.app.token_requests.load(Ordering::SeqCst)
    }

    /// A valid access token with the default scopes, issued without a
    /// request (not counted in [`token_requests`](Self::token_requests)).
    pub fn issue_token(&self) -> String {
        self.app.issue(crate::routes::default_scopes()).0
    }

    /// A valid access token with exactly `scopes` (space-separated).
    pub fn issue_token_with_scopes(&self, scopes: &str) -> String {
        self.app
            .issue(scopes.split_whitespace().map(str::to_string).collect())
            .0
    }

    /// Makes every issued access token expired: the next request with one
    /// gets 401 (for token-refresh tests). Refresh tokens stay valid.
    pub fn expire_tokens(&self) {
        let now = Instant::now();
        for grant in lock(&self.app.tokens).access.values_mut() {
            grant.expires_at = now;
        }
    }

    /// Queues `canned` for the next request with `method` (`"*"` for any) on
    /// `route`, a path relative to [`base_url`](Self::base_url) compared raw,
    /// where a `{name}` segment matches any one segment and a final `*` any
    /// rest: `server.script("POST", "/assistants", Canned::rate_limited(1))`.
    /// Each queued response is used once, before normal handling.
    pub fn script(&self, method: &str, route: &str, canned: Canned) {
        lock(&self.app.scripts).push(method, route, canned);
    }

    /// Gives workflow instance `instance_id` a synthetic history of
    /// `events` events (`evt_000000`, ...), served cursor-paginated by
    /// `GET /workflows/instances/{instance_id}/history`.
    pub fn add_workflow_history(&self, instance_id: &str, events: u64) {
        lock(&self.app.histories).insert(instance_id.to_string(), events);
    }

    /// Canned responses queued and not yet used.
    pub fn pending_scripts(&self) -> usize {
        lock(&self.app.scripts).pending()
    }
}

impl std::fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeServer")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        // Graceful shutdown waits for idle keep-alive connections; stop now.
        self.task.abort();
    }
}
