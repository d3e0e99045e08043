//! Request extractors whose rejections are [`ApiError`]s, so that a bad
//! path, header, query or body gets the spec's envelope and never axum's
//! plain-text rejection.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// The namespace a request acts in: `X-Namespace`, else the `namespace`
/// query parameter, else `default`.
#[derive(Debug, Clone)]
pub(crate) struct Ns(pub String);

/// Namespace used when a request names none.
pub(crate) const DEFAULT_NAMESPACE: &str = "default";

impl<S: Send + Sync> FromRequestParts<S> for Ns {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        if let Some(value) = parts.headers.get("x-namespace") {
            let value = value
                .to_str()
                .map_err(|_| invalid_namespace("is not visible ASCII"))?;
            if value.is_empty() {
                return Err(invalid_namespace("must not be empty"));
            }
            return Ok(Ns(value.to_string()));
        }
        let query = Query::parse(parts.uri.query());
        match query.get("namespace") {
            Some("") => Err(invalid_namespace("must not be empty")),
            Some(ns) => Ok(Ns(ns.to_string())),
            None => Ok(Ns(DEFAULT_NAMESPACE.to_string())),
        }
    }
}

fn invalid_namespace(problem: &str) -> ApiError {
    ApiError::invalid(
        StatusCode::BAD_REQUEST,
        vec![("X-Namespace".into(), problem.into())],
    )
}

/// The one path parameter of a route, percent-decoded.
#[derive(Debug, Clone)]
pub(crate) struct Id(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| Id(id))
            .map_err(|e| ApiError::bad_request(format!("Invalid request: bad path parameter: {e}")))
    }
}

/// Decoded query parameters; the first value of a repeated name wins.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query(HashMap<String, String>);

impl Query {
    pub fn parse(raw: Option<&str>) -> Self {
        let mut map = HashMap::new();
        for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            map.entry(k.into_owned()).or_insert_with(|| v.into_owned());
        }
        Query(map)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(Query::parse(parts.uri.query()))
    }
}

/// A JSON object body. Not JSON: 400 `API_ERROR`; JSON but not an object:
/// 422 `VALIDATION_ERROR`.
#[derive(Debug, Clone)]
pub(crate) struct JsonBody(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(request, state).await.map_err(|e| {
            ApiError::bad_request(format!("Invalid request: could not read the body: {e}"))
        })?;
        if bytes.is_empty() {
            return Err(ApiError::bad_request(
                "Invalid request: a JSON body is required",
            ));
        }
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => Ok(JsonBody(map)),
            Ok(_) => Err(ApiError::invalid(
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![("body".into(), "must be a JSON object".into())],
            )),
            Err(e) => Err(ApiError::bad_request(format!(
                "Invalid request: the body is not JSON: {e}"
            ))),
        }
    }
}
