//! `Idempotency-Key` on creating POSTs: a repeat with the same key and body
//! gets the original response again without a second resource; the same
//! key with another body (or another operation) is 409 Conflict. Keys are
//! scoped to the namespace (the fake has one client).

use std::collections::HashMap;

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use serde_json::{Map, Value};

use crate::error::{ApiError, json_response};
use crate::state::{App, lock};

/// The request's `Idempotency-Key`, if it sent one (1 to 255 characters).
#[derive(Debug, Clone)]
pub(crate) struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get("idempotency-key") else {
            return Ok(Self(None));
        };
        match value.to_str() {
            Ok(key) if (1..=255).contains(&key.len()) => Ok(Self(Some(key.to_string()))),
            _ => Err(ApiError::invalid(
                StatusCode::BAD_REQUEST,
                vec![(
                    "Idempotency-Key".into(),
                    "must be 1 to 255 visible ASCII characters".into(),
                )],
            )),
        }
    }
}

/// What was answered the first time a key was used.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    operation: &'static str,
    request: Map<String, Value>,
    status: StatusCode,
    response: Value,
}

/// Remembered keys by (namespace, key).
pub(crate) type Keys = HashMap<(String, String), Stored>;

/// Runs `create` once per key: a repeat replays the stored response.
pub(crate) fn once(
    app: &App,
    ns: &str,
    key: IdempotencyKey,
    operation: &'static str,
    request: &Map<String, Value>,
    create: impl FnOnce() -> Result<(StatusCode, Value), ApiError>,
) -> Result<Response, ApiError> {
    let Some(key) = key.0 else {
        let (status, value) = create()?;
        return Ok(json_response(status, &value));
    };
    let slot = (ns.to_string(), key);
    // Held across `create` so that two concurrent repeats create only once.
    let mut keys = lock(&app.idempotency);
    if let Some(stored) = keys.get(&slot) {
        if stored.operation != operation || &stored.request != request {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "API_ERROR",
                "Conflict: Idempotency-Key reused with a different request",
            ));
        }
        return Ok(json_response(stored.status, &stored.response));
    }
    let (status, response) = create()?;
    keys.insert(
        slot,
        Stored {
            operation,
            request: request.clone(),
            status,
            response: response.clone(),
        },
    );
    Ok(json_response(status, &response))
}
