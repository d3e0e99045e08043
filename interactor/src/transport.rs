//! The [`Transport`] the generated client sends every request through:
//! authentication, default namespace, idempotency keys, retry, routing of
//! the OAuth endpoints to the account server, and a `tracing` span.
//!
//! **Architecture Invariant**: tokens only ever travel in the
//! `Authorization` header; they are never put in URLs, span fields or
//! error messages.

use std::time::{Duration, SystemTime};

use interactor_api::hooks::{ResponseFuture, Transport};
use interactor_api::operations::{self, Operation};
use progenitor_client::OperationInfo;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use reqwest::{Request, Response};
use tracing::Instrument;

use crate::error::SDK_ERROR_HEADER;
use crate::retry::{RetryAction, RetryStrategy, classify};
use crate::token::{AccessToken, TokenCache, TokenGrant};

const NAMESPACE: HeaderName = HeaderName::from_static("x-namespace");
const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// A token-endpoint failure, shared with every task waiting on the fetch.
#[derive(Clone, Debug)]
pub(crate) struct TokenFailure {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: bytes::Bytes,
}

/// How requests are authenticated.
pub(crate) enum Auth {
    /// A fixed bearer token.
    Static(String),
    /// OAuth 2.0 client credentials, exchanged for cached tokens.
    Credentials {
        client_id: String,
        client_secret: String,
        scopes: Option<String>,
        cache: TokenCache<TokenFailure>,
    },
}

/// The overlay's transport.
pub(crate) struct OverlayTransport {
    pub(crate) auth: Auth,
    /// Base URL of the Core API, as given to the generated client.
    pub(crate) base_url: String,
    /// Base URL of the account server (token, revoke, JWKS).
    pub(crate) auth_url: String,
    pub(crate) namespace: Option<HeaderValue>,
    pub(crate) retry: RetryStrategy,
}

impl Transport for OverlayTransport {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        info: &'a OperationInfo,
    ) -> ResponseFuture<'a> {
        let op = operations::find(info.operation_id);
        let span = tracing::info_span!(
            "interactor.request",
            method = %request.method(),
            path = op.map_or("", |o| o.path),
            operation = info.operation_id,
            status = tracing::field::Empty,
            attempt = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        Box::pin(self.send(client, request, op).instrument(span))
    }
}

impl OverlayTransport {
    async fn send(
        &self,
        client: &reqwest::Client,
        mut request: Request,
        op: Option<&'static Operation>,
    ) -> reqwest::Result<Response> {
        let on_auth_server = op.is_some_and(|o| !o.servers.is_empty());
        if on_auth_server {
            self.route_to_auth_server(&mut request);
        }
        let headers = request.headers_mut();
        if !on_auth_server
            && let Some(ns) = &self.namespace
            && !headers.contains_key(NAMESPACE)
        {
            headers.insert(NAMESPACE, ns.clone());
        }
        if op.is_some_and(|o| o.idempotency_key) && !headers.contains_key(IDEMPOTENCY_KEY) {
            headers.insert(IDEMPOTENCY_KEY, new_idempotency_key());
        }
        let has_key = request.headers().contains_key(IDEMPOTENCY_KEY);
        let wants_auth = !on_auth_server && !request.headers().contains_key(AUTHORIZATION);

        let mut attempt: u32 = 0;
        let mut refreshed = false;
        loop {
            attempt += 1;
            // Keep the original for another attempt when it can be cloned;
            // a streaming body cannot, and is sent exactly once.
            let (mut this, spare) = match request.try_clone() {
                Some(copy) => (copy, Some(request)),
                None => (request, None),
            };
            let token = if wants_auth {
                match self.token(client).await {
                    Ok(t) => t,
                    Err(failure) => return Ok(failure),
                }
            } else {
                None
            };
            if let Some(bearer) = &token {
                this.headers_mut()
                    .insert(AUTHORIZATION, bearer.header.clone());
            }
            let method = this.method().clone();
            let result = client.execute(this).await;
            let span = tracing::Span::current();
            span.record("attempt", attempt);
            if let Ok(resp) = &result {
                span.record("status", resp.status().as_u16());
                if let Some(id) = resp
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                {
                    span.record("request_id", id);
                }
            }
            let Some(next) = spare else { return result };
            request = next;

            // A rejected cached token: drop it and try once more with a fresh one.
            if let (Ok(resp), Some(bearer)) = (&result, &token)
                && resp.status() == 401
                && !refreshed
                && let (Auth::Credentials { cache, .. }, Some(tok)) = (&self.auth, &bearer.token)
            {
                refreshed = true;
                cache.invalidate(tok);
                attempt -= 1;
                tracing::debug!("401 with a cached token; refreshing it once");
                continue;
            }

            let (status, connect, hint) = match &result {
                Ok(resp) => (
                    Some(resp.status().as_u16()),
                    false,
                    crate::retry::retry_after(
                        resp.headers(),
                        SystemTime::now(),
                        self.retry.config().retry_after_cap(),
                    ),
                ),
                Err(e) => (None, e.is_connect(), None),
            };
            let decision = classify(status, connect, &method, has_key);
            match self.retry.should_retry(attempt, decision, hint) {
                RetryAction::RetryAfter(wait) => {
                    tracing::debug!(?wait, ?status, "retrying");
                    tokio::time::sleep(wait).await;
                }
                _ => {
                    if status.is_some_and(|s| s < 400) {
                        self.retry.on_success();
                    }
                    return result;
                }
            }
        }
    }

    /// Adds the default namespace and a bearer token to a request the
    /// generated client does not make (a stream); returns the cached token
    /// used, to invalidate it after a `401`.
    pub(crate) async fn authorize(
        &self,
        client: &reqwest::Client,
        headers: &mut reqwest::header::HeaderMap,
    ) -> Result<Option<AccessToken>, crate::Error> {
        if let Some(ns) = &self.namespace
            && !headers.contains_key(NAMESPACE)
        {
            headers.insert(NAMESPACE, ns.clone());
        }
        match self.token(client).await {
            Ok(Some(bearer)) => {
                headers.insert(AUTHORIZATION, bearer.header);
                Ok(bearer.token)
            }
            Ok(None) => Ok(None),
            Err(resp) => Err(crate::Error::from_response(
                resp.status().as_u16(),
                resp.headers(),
                None,
            )),
        }
    }

    /// Drops a cached token the server rejected.
    pub(crate) fn invalidate(&self, token: &AccessToken) {
        if let Auth::Credentials { cache, .. } = &self.auth {
            cache.invalidate(token);
        }
    }

    /// The retry policy.
    pub(crate) fn retry(&self) -> &RetryStrategy {
        &self.retry
    }

    /// Points an account-server operation at the configured auth URL.
    fn route_to_auth_server(&self, request: &mut Request) {
        let url = request.url().as_str();
        if let Some(rest) = url.strip_prefix(self.base_url.trim_end_matches('/')) {
            let target = format!("{}{rest}", self.auth_url.trim_end_matches('/'));
            if let Ok(parsed) = reqwest::Url::parse(&target) {
                *request.url_mut() = parsed;
            }
        }
    }

    /// The `Authorization` value to send, or a synthesized error response
    /// when no token could be obtained.
    async fn token(&self, client: &reqwest::Client) -> Result<Option<Bearer>, Response> {
        match &self.auth {
            Auth::Static(token) => Ok(Some(Bearer {
                header: bearer_header(token),
                token: None,
            })),
            Auth::Credentials { cache, .. } => match cache.get(|| self.fetch_token(client)).await {
                Ok(token) => Ok(Some(Bearer {
                    header: bearer_header(token.secret()),
                    token: Some(token),
                })),
                Err(failure) => Err(failure.into_response()),
            },
        }
    }

    /// `POST {auth_url}/oauth/token` with the client-credentials grant.
    async fn fetch_token(&self, client: &reqwest::Client) -> Result<TokenGrant, TokenFailure> {
        let Auth::Credentials {
            client_id,
            client_secret,
            scopes,
            ..
        } = &self.auth
        else {
            return Err(TokenFailure::sdk("no client credentials configured"));
        };
        let mut body = serde_json::json!({
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        });
        if let Some(scope) = scopes {
            body["scope"] = serde_json::Value::String(scope.clone());
        }
        let url = format!("{}/oauth/token", self.auth_url.trim_end_matches('/'));
        let resp = client
            .post(url)
            .json(&body)
            .send()
            .instrument(tracing::info_span!("interactor.token"))
            .await
            .map_err(|e| {
                TokenFailure::sdk(&format!("token request failed: {}", e.without_url()))
            })?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.map_err(|e| {
            TokenFailure::sdk(&format!("token response unreadable: {}", e.without_url()))
        })?;
        if status >= 400 {
            return Err(TokenFailure {
                status,
                headers,
                body: bytes,
            });
        }
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|_| TokenFailure::sdk("token response is not JSON"))?;
        let data = value.get("data").unwrap_or(&value);
        let token = data
            .get("access_token")
            .and_then(|t| t.as_str())
            .ok_or_else(|| TokenFailure::sdk("token response has no data.access_token"))?;
        let expires_in = data
            .get("expires_in")
            .and_then(|e| e.as_u64())
            .map(Duration::from_secs);
        Ok(TokenGrant::new(token, expires_in))
    }
}

/// The header to send and, for cached tokens, the token to invalidate.
struct Bearer {
    header: HeaderValue,
    token: Option<AccessToken>,
}

fn bearer_header(token: &str) -> HeaderValue {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
        .unwrap_or_else(|_| HeaderValue::from_static("Bearer invalid-token"));
    value.set_sensitive(true);
    value
}

impl TokenFailure {
    /// A failure with no token-endpoint response; surfaced as a `503`
    /// marked with [`SDK_ERROR_HEADER`].
    fn sdk(message: &str) -> Self {
        let mut headers = reqwest::header::HeaderMap::new();
        let clean: String = message
            .chars()
            .map(|c| {
                if c.is_ascii_graphic() || c == ' ' {
                    c
                } else {
                    '?'
                }
            })
            .collect();
        if let Ok(v) = HeaderValue::from_str(&clean) {
            headers.insert(SDK_ERROR_HEADER, v);
        }
        let body = serde_json::json!({
            "error": {"code": "AUTH_FAILED", "message": clean, "request_id": ""}
        });
        TokenFailure {
            status: 503,
            headers,
            body: bytes::Bytes::from(body.to_string()),
        }
    }

    fn into_response(self) -> Response {
        let mut builder = http::Response::builder().status(self.status);
        for (k, v) in &self.headers {
            builder = builder.header(k, v);
        }
        if !self.headers.contains_key(SDK_ERROR_HEADER) {
            builder = builder.header(
                SDK_ERROR_HEADER,
                "the token endpoint refused the credentials",
            );
        }
        match builder.body(self.body) {
            Ok(r) => Response::from(r),
            Err(_) => Response::from(http::Response::new(bytes::Bytes::new())),
        }
    }
}

/// A random 128-bit key, 32 lowercase hex digits.
fn new_idempotency_key() -> HeaderValue {
    let key = format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
    HeaderValue::from_str(&key).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport() -> OverlayTransport {
        OverlayTransport {
            auth: Auth::Static("t".into()),
            base_url: "https://core.example/api/v1".into(),
            auth_url: "https://auth.example/api/v1/".into(),
            namespace: None,
            retry: RetryStrategy::new(crate::retry::RetryConfig::default()),
        }
    }

    /// `expect` is the URL after routing to the auth server.
    fn check(url: &str, expect: &str) {
        let mut request = Request::new(http::Method::POST, reqwest::Url::parse(url).unwrap());
        transport().route_to_auth_server(&mut request);
        assert_eq!(request.url().as_str(), expect);
    }

    #[test]
    fn routing() {
        check(
            "https://core.example/api/v1/oauth/token",
            "https://auth.example/api/v1/oauth/token",
        );
        check(
            "https://core.example/api/v1/oauth/jwks?x=1",
            "https://auth.example/api/v1/oauth/jwks?x=1",
        );
        // Not under the base URL: left alone.
        check(
            "https://other.example/oauth/token",
            "https://other.example/oauth/token",
        );
    }

    #[test]
    fn idempotency_keys_are_128_bit_hex_and_distinct() {
        let keys: std::collections::HashSet<_> = (0..1000)
            .map(|_| new_idempotency_key().to_str().unwrap().to_string())
            .collect();
        assert_eq!(keys.len(), 1000);
        assert!(
            keys.iter()
                .all(|k| k.len() == 32 && k.bytes().all(|b| b.is_ascii_hexdigit()))
        );
    }

    #[test]
    fn bearer_headers_are_sensitive() {
        assert!(bearer_header("abc").is_sensitive());
        let failure = TokenFailure::sdk("token request failed: refused\n").into_response();
        assert_eq!(failure.status().as_u16(), 503);
        assert!(failure.headers().contains_key(SDK_ERROR_HEADER));
    }
}
