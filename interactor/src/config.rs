//! [`ClientBuilder`]: everything a [`Client`](crate::Client) is configured
//! with, and reading it from the environment.
//!
//! Setters never fail; [`ClientBuilder::build`] reports every problem.

use std::fmt;
use std::time::Duration;

use crate::error::Error;
use crate::retry::RetryConfig;

/// The production Core API.
pub const PRODUCTION_BASE_URL: &str = "https://core.interactor.com/api/v1";
/// The sandbox Core API.
pub const SANDBOX_BASE_URL: &str = "https://sandbox-core.interactor.com/api/v1";
/// The production account server (token, revoke, JWKS).
pub const PRODUCTION_AUTH_URL: &str = "https://auth.interactor.com/api/v1";
/// The sandbox account server.
pub const SANDBOX_AUTH_URL: &str = "https://sandbox-auth.interactor.com/api/v1";

/// Environment variables [`Client::from_env`](crate::Client::from_env) reads.
pub mod env {
    /// OAuth client id.
    pub const CLIENT_ID: &str = "INTERACTOR_CLIENT_ID";
    /// OAuth client secret.
    pub const CLIENT_SECRET: &str = "INTERACTOR_CLIENT_SECRET";
    /// A static bearer token, instead of client credentials.
    pub const TOKEN: &str = "INTERACTOR_TOKEN";
    /// Core API base URL (default: production).
    pub const BASE_URL: &str = "INTERACTOR_BASE_URL";
    /// Account server base URL.
    pub const AUTH_URL: &str = "INTERACTOR_AUTH_URL";
    /// Default namespace.
    pub const NAMESPACE: &str = "INTERACTOR_NAMESPACE";
    /// Space-separated OAuth scopes.
    pub const SCOPES: &str = "INTERACTOR_SCOPES";
}

/// Builds a [`Client`](crate::Client).
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    pub(crate) base_url: String,
    pub(crate) auth_url: Option<String>,
    pub(crate) client_id: Option<String>,
    pub(crate) client_secret: Option<String>,
    pub(crate) token: Option<String>,
    pub(crate) scopes: Option<String>,
    pub(crate) namespace: Option<String>,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) retry: RetryConfig,
    pub(crate) budget: Option<(u32, u32, u32)>,
    pub(crate) user_agent: String,
    pub(crate) max_sse_event_size: usize,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: PRODUCTION_BASE_URL.to_string(),
            auth_url: None,
            client_id: None,
            client_secret: None,
            token: None,
            scopes: None,
            namespace: None,
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            retry: RetryConfig::default(),
            budget: None,
            user_agent: format!("interactor-rust/{}", env!("CARGO_PKG_VERSION")),
            max_sse_event_size: crate::sse::DEFAULT_MAX_EVENT_SIZE,
        }
    }
}

impl ClientBuilder {
    /// A builder with the defaults: production, 60 s timeout, 3 attempts.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder configured from variables looked up with `lookup` (see
    /// [`env`]); the error names every missing variable.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut b = Self::new();
        if let Some(url) = get(env::BASE_URL) {
            b = b.base_url(url);
        }
        if let Some(url) = get(env::AUTH_URL) {
            b = b.auth_url(url);
        }
        if let Some(ns) = get(env::NAMESPACE) {
            b = b.namespace(ns);
        }
        if let Some(scopes) = get(env::SCOPES) {
            b = b.scopes(scopes);
        }
        if let Some(token) = get(env::TOKEN) {
            return Ok(b.token(token));
        }
        let (id, secret) = (get(env::CLIENT_ID), get(env::CLIENT_SECRET));
        let missing: Vec<&str> = [(env::CLIENT_ID, &id), (env::CLIENT_SECRET, &secret)]
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(n, _)| *n)
            .collect();
        match (id, secret) {
            (Some(id), Some(secret)) => Ok(b.credentials(id, secret)),
            _ => Err(Error::config(format!(
                "missing environment variables: {} (or set {} to a bearer token)",
                missing.join(", "),
                env::TOKEN
            ))),
        }
    }

    /// The Core API base URL: [`PRODUCTION_BASE_URL`],
    /// [`SANDBOX_BASE_URL`] or any other (a proxy, a test server).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The sandbox Core API and account server.
    pub fn sandbox(self) -> Self {
        self.base_url(SANDBOX_BASE_URL)
    }

    /// The account server base URL. Default: the spec's account server
    /// matching the base URL (production or sandbox); for any other base
    /// URL, the base URL itself.
    pub fn auth_url(mut self, url: impl Into<String>) -> Self {
        self.auth_url = Some(url.into());
        self
    }

    /// OAuth 2.0 client credentials, exchanged for cached tokens.
    pub fn credentials(mut self, client_id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self.client_secret = Some(secret.into());
        self
    }

    /// A static bearer token (used instead of client credentials).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Space-separated OAuth scopes to request with client credentials.
    pub fn scopes(mut self, scopes: impl Into<String>) -> Self {
        self.scopes = Some(scopes.into());
        self
    }

    /// The namespace sent as `X-Namespace` when a request sets none.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Timeout of each attempt, from connect to the end of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Timeout of establishing a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The retry policy (attempts, backoff, `Retry-After` cap).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// The retry budget shared by all requests of the client (see
    /// [`RetryBudget::new`](crate::retry::RetryBudget::new)): each retry costs `retry_cost` of `capacity`
    /// tokens, each success refunds `success_refund`.
    pub fn retry_budget(mut self, capacity: u32, retry_cost: u32, success_refund: u32) -> Self {
        self.budget = Some((capacity, retry_cost, success_refund));
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The largest line, and the largest `data` of one event, an SSE stream
    /// may send, in bytes (default 16 MiB). A stream that sends more ends
    /// with a [`Decode`](crate::ErrorKind::Decode) error naming the limit,
    /// instead of buffering without bound.
    pub fn max_sse_event_size(mut self, bytes: usize) -> Self {
        self.max_sse_event_size = bytes;
        self
    }

    /// The account server to use: explicit, or derived from the base URL.
    pub(crate) fn resolved_auth_url(&self) -> String {
        if let Some(url) = &self.auth_url {
            return url.clone();
        }
        let servers =
            interactor_api::operations::find("create_access_token").map_or(&[][..], |o| o.servers);
        let base = self.base_url.trim_end_matches('/');
        let pick =
            |i: usize, fallback: &str| servers.get(i).copied().unwrap_or(fallback).to_string();
        if base == PRODUCTION_BASE_URL {
            pick(0, PRODUCTION_AUTH_URL)
        } else if base == SANDBOX_BASE_URL {
            pick(1, SANDBOX_AUTH_URL)
        } else {
            base.to_string()
        }
    }

    /// Builds the client; fails on missing credentials or a bad URL.
    pub fn build(self) -> Result<crate::Client, Error> {
        crate::client::build(self)
    }
}

fn redact(v: &Option<String>) -> Option<&'static str> {
    v.as_ref().map(|_| "<redacted>")
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("auth_url", &self.auth_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &redact(&self.client_secret))
            .field("token", &redact(&self.token))
            .field("scopes", &self.scopes)
            .field("namespace", &self.namespace)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("max_sse_event_size", &self.max_sse_event_size)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expect` is the error message, or `"ok"`.
    fn check(vars: &[(&str, &str)], expect: &str) {
        let got = ClientBuilder::from_lookup(|k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        });
        let got = match got {
            Ok(_) => "ok".to_string(),
            Err(e) => e.message().to_string(),
        };
        assert_eq!(got, expect, "{vars:?}");
    }

    #[test]
    fn from_lookup() {
        let both = "missing environment variables: INTERACTOR_CLIENT_ID, INTERACTOR_CLIENT_SECRET (or set INTERACTOR_TOKEN to a bearer token)";
        check(&[], both);
        check(&[("INTERACTOR_CLIENT_ID", " ")], both);
        check(
            &[("INTERACTOR_CLIENT_ID", "id")],
            "missing environment variables: INTERACTOR_CLIENT_SECRET (or set INTERACTOR_TOKEN to a bearer token)",
        );
        check(
            &[("INTERACTOR_CLIENT_SECRET", "s")],
            "missing environment variables: INTERACTOR_CLIENT_ID (or set INTERACTOR_TOKEN to a bearer token)",
        );
        check(
            &[
                ("INTERACTOR_CLIENT_ID", "id"),
                ("INTERACTOR_CLIENT_SECRET", "s"),
            ],
            "ok",
        );
        check(&[("INTERACTOR_TOKEN", "t")], "ok");
    }

    #[test]
    fn auth_url_defaults() {
        let cases = [
            (PRODUCTION_BASE_URL, PRODUCTION_AUTH_URL),
            (SANDBOX_BASE_URL, SANDBOX_AUTH_URL),
            ("http://127.0.0.1:9/api/v1/", "http://127.0.0.1:9/api/v1"),
        ];
        for (base, expect) in cases {
            assert_eq!(
                ClientBuilder::new().base_url(base).resolved_auth_url(),
                expect
            );
        }
    }
}
