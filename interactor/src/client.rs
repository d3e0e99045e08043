//! [`Client`]: the generated client behind the overlay's transport.
//!
//! `Client` derefs to [`interactor_api::Client`], so every generated call
//! works on it (`client.assistants().create()`), with authentication,
//! retries and the default namespace applied by the transport.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use interactor_api::hooks::Hooks;
use reqwest::header::HeaderValue;

use crate::config::ClientBuilder;
use crate::error::Error;
use crate::retry::{RetryBudget, RetryStrategy};
use crate::token::TokenCache;
use crate::transport::{Auth, OverlayTransport};

/// An Interactor API client. Cheap to clone: clones share the connection
/// pool, the token cache and the retry budget.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    api: interactor_api::Client,
    transport: Arc<OverlayTransport>,
    config: ClientBuilder,
}

impl Client {
    /// A builder with the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from the `INTERACTOR_*` environment variables
    /// (see [`crate::config::env`]).
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_lookup(|k| std::env::var(k).ok())?.build()
    }

    /// The generated client (also reachable through `Deref`).
    pub fn api(&self) -> &interactor_api::Client {
        &self.inner.api
    }

    /// The Core API base URL.
    pub fn base_url(&self) -> &str {
        &self.inner.transport.base_url
    }

    /// The underlying `reqwest` client (for streaming requests).
    pub(crate) fn http(&self) -> &reqwest::Client {
        progenitor_client::ClientInfo::client(&self.inner.api)
    }

    /// The configured SSE size limit.
    pub(crate) fn max_sse_event_size(&self) -> usize {
        self.inner.config.max_sse_event_size
    }

    /// The overlay transport, for requests the generated client cannot make.
    pub(crate) fn transport(&self) -> &OverlayTransport {
        &self.inner.transport
    }
}

impl Deref for Client {
    type Target = interactor_api::Client;

    fn deref(&self) -> &Self::Target {
        &self.inner.api
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

pub(crate) fn build(config: ClientBuilder) -> Result<Client, Error> {
    let base_url = config.base_url.trim_end_matches('/').to_string();
    reqwest::Url::parse(&base_url)
        .map_err(|e| Error::config(format!("invalid base URL {base_url:?}: {e}")))?;
    let auth_url = config.resolved_auth_url();
    reqwest::Url::parse(&auth_url)
        .map_err(|e| Error::config(format!("invalid auth URL {auth_url:?}: {e}")))?;
    let auth = match (&config.token, &config.client_id, &config.client_secret) {
        (Some(token), _, _) => Auth::Static(token.clone()),
        (None, Some(id), Some(secret)) => Auth::Credentials {
            client_id: id.clone(),
            client_secret: secret.clone(),
            scopes: config.scopes.clone(),
            cache: TokenCache::new(),
        },
        _ => {
            return Err(Error::config(
                "no credentials: call `credentials(client_id, client_secret)` or `token(..)`",
            ));
        }
    };
    let namespace =
        match &config.namespace {
            Some(ns) => Some(HeaderValue::from_str(ns).map_err(|_| {
                Error::config(format!("namespace {ns:?} is not a valid header value"))
            })?),
            None => None,
        };
    let mut retry = RetryStrategy::new(config.retry.clone());
    if let Some((capacity, cost, refund)) = config.budget {
        retry = retry.with_budget(RetryBudget::new(capacity, cost, refund));
    }
    let http = reqwest::Client::builder()
        .timeout(config.timeout)
        .connect_timeout(config.connect_timeout)
        .user_agent(config.user_agent.clone())
        .build()
        .map_err(|e| Error::config(format!("cannot build the HTTP client: {}", e.without_url())))?;
    let transport = Arc::new(OverlayTransport {
        auth,
        base_url: base_url.clone(),
        auth_url,
        namespace,
        retry,
    });
    let hooks = Hooks::with_transport(transport.clone());
    let api = interactor_api::Client::new_with_client(&base_url, http, hooks);
    Ok(Client {
        inner: Arc::new(Inner {
            api,
            transport,
            config,
        }),
    })
}
