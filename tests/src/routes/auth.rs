//! The account server's endpoints (`/oauth/token`, `/oauth/revoke`,
//! `/oauth/jwks`) and the bearer-token guard in front of every other route.
//!
//! Tokens are opaque strings issued by this server; they expire after
//! [`Config::token_ttl`](crate::Config::token_ttl). The token request is JSON
//! and the token comes back in the `data` envelope, as the spec says.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use std::time::Instant;

use crate::error::{ApiError, json_response};
use crate::extract::JsonBody;
use crate::server::Config;
use crate::state::{App, lock};
use crate::validate::{Kind, check, opt, req};

/// Scopes of the spec's `oauth2` security scheme. A token request without
/// `scope` gets all of them but `admin`.
pub(crate) const SCOPES: &[&str] = &[
    "credentials:read",
    "credentials:write",
    "credentials:token",
    "assistants:read",
    "assistants:write",
    "rooms:read",
    "rooms:write",
    "tools:read",
    "tools:write",
    "workflows:read",
    "workflows:write",
    "workflows:execute",
    "webhooks:read",
    "webhooks:write",
    "admin",
    "webhooks:manage",
];

/// Scopes granted when a token request names none.
pub(crate) fn default_scopes() -> Vec<String> {
    SCOPES
        .iter()
        .filter(|s| **s != "admin")
        .map(|s| s.to_string())
        .collect()
}

/// State of the guard on one route: the scope it needs.
#[derive(Clone)]
pub(crate) struct Guard {
    pub app: App,
    pub scope: &'static str,
}

/// 401 without a valid, unexpired bearer token; 403 when the token lacks
/// the route's scope.
pub(crate) async fn require(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    match authorize(&guard, &request) {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

fn authorize(guard: &Guard, request: &Request) -> Result<(), ApiError> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthorized("Authentication failed: no Authorization header"))?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .ok_or_else(|| {
            ApiError::unauthorized(
                "Authentication failed: expected `Authorization: Bearer <token>`",
            )
        })?;
    let mut tokens = lock(&guard.app.tokens);
    let grant =
        tokens.access.get(token).cloned().ok_or_else(|| {
            ApiError::unauthorized("Authentication failed: unknown or revoked token")
        })?;
    if grant.expires_at <= Instant::now() {
        tokens.access.remove(token);
        return Err(ApiError::unauthorized(
            "Authentication failed: token expired",
        ));
    }
    if !grant
        .scopes
        .iter()
        .any(|s| s == guard.scope || s == "admin")
    {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            format!("Permission denied: the token lacks scope {}", guard.scope),
        ));
    }
    Ok(())
}

/// `createAccessToken`: `client_credentials` and `refresh_token` grants.
/// Malformed requests are 400 (the operation documents no 422); wrong
/// credentials are 401 `AUTH_ERROR`.
pub(crate) async fn token(
    State(app): State<App>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let bad = StatusCode::BAD_REQUEST;
    check(
        bad,
        &body,
        &[req(
            "grant_type",
            Kind::OneOf(&["client_credentials", "refresh_token"]),
        )],
    )?;
    let config = &app.config;
    let scopes = if body.get("grant_type").and_then(Value::as_str) == Some("client_credentials") {
        check(
            bad,
            &body,
            &[
                req("client_id", Kind::Str),
                req("client_secret", Kind::Str),
                opt("scope", Kind::Str),
            ],
        )?;
        if !client_matches(&body, config) {
            return Err(ApiError::unauthorized(
                "Authentication failed: invalid client credentials",
            ));
        }
        match body.get("scope").and_then(Value::as_str) {
            None => default_scopes(),
            Some(requested) => {
                let scopes: Vec<String> =
                    requested.split_whitespace().map(str::to_string).collect();
                let unknown: Vec<&str> = scopes
                    .iter()
                    .map(String::as_str)
                    .filter(|s| !SCOPES.contains(s))
                    .collect();
                if !unknown.is_empty() {
                    let problem = format!("unknown scope(s): {}", unknown.join(" "));
                    return Err(ApiError::invalid(bad, vec![("scope".into(), problem)]));
                }
                scopes
            }
        }
    } else {
        check(
            bad,
            &body,
            &[
                req("refresh_token", Kind::Str),
                req("client_id", Kind::Str),
                opt("client_secret", Kind::Str),
            ],
        )?;
        let refresh = text(&body, "refresh_token");
        let owner = lock(&app.tokens).refresh.remove(refresh);
        if owner.as_deref() != Some(text(&body, "client_id")) {
            return Err(ApiError::unauthorized(
                "Authentication failed: invalid refresh token",
            ));
        }
        default_scopes()
    };
    let (access_token, refresh_token) = app.issue(scopes.clone());
    let data = json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": config.token_ttl.as_secs(),
        "scope": scopes.join(" "),
        "refresh_token": refresh_token,
    });
    Ok(json_response(StatusCode::OK, &json!({ "data": data })))
}

/// `revokeAccessToken`: 204 whether or not the token was valid (RFC 7009).
pub(crate) async fn revoke(
    State(app): State<App>,
    JsonBody(body): JsonBody,
) -> Result<StatusCode, ApiError> {
    check(
        StatusCode::BAD_REQUEST,
        &body,
        &[
            req("token", Kind::Str),
            req("client_id", Kind::Str),
            req("client_secret", Kind::Str),
            opt(
                "token_type_hint",
                Kind::OneOf(&["access_token", "refresh_token"]),
            ),
        ],
    )?;
    if !client_matches(&body, &app.config) {
        return Err(ApiError::unauthorized(
            "Authentication failed: invalid client credentials",
        ));
    }
    let token = text(&body, "token");
    let mut tokens = lock(&app.tokens);
    tokens.access.remove(token);
    tokens.refresh.remove(token);
    Ok(StatusCode::NO_CONTENT)
}

/// A string field of `body`; `""` when absent or not a string.
fn text<'a>(body: &'a Map<String, Value>, name: &str) -> &'a str {
    body.get(name).and_then(Value::as_str).unwrap_or_default()
}

fn client_matches(body: &Map<String, Value>, config: &Config) -> bool {
    text(body, "client_id") == config.client_id
        && text(body, "client_secret") == config.client_secret
}

/// `getJwks`: one fixed RSA key (the fake's tokens are not JWTs).
pub(crate) async fn jwks() -> Response {
    let key = json!({"kty": "RSA", "kid": "fake_key_1", "use": "sig", "alg": "RS256", "n": "0vx7agoebGcQSuuPiLJXZpt", "e": "AQAB"});
    json_response(StatusCode::OK, &json!({ "keys": [key] }))
}
