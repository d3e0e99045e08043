//! Errors in the spec's envelope: `{"error": {code, message, details,
//! request_id}}`.
//!
//! Handlers and extractors return [`ApiError`]; it leaves the body empty and
//! travels in the response extensions, and the pipeline renders it once the
//! request id is known, so `error.request_id` always equals `X-Request-Id`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// An error response waiting for its request id.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    /// Boxed: `Value` is large, and every handler returns `Result<_, ApiError>`.
    pub details: Option<Box<Value>>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_string(),
            message: message.into(),
            details: None,
        }
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = Some(Box::new(details));
        self
    }

    /// 404 `NOT_FOUND` for `what` (e.g. `assistant "asst_1"`).
    pub fn not_found(what: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("{what} not found"),
        )
    }

    /// 400 `API_ERROR`: the request could not be read at all.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "API_ERROR", message)
    }

    /// `VALIDATION_ERROR` with `details` as the spec's `FieldError` array.
    pub fn invalid(status: StatusCode, problems: Vec<(String, String)>) -> Self {
        let details: Vec<Value> = problems
            .iter()
            .map(|(field, message)| json!({"field": field, "message": message}))
            .collect();
        let summary = problems
            .iter()
            .map(|(f, m)| format!("{f}: {m}"))
            .collect::<Vec<_>>()
            .join("; ");
        Self::new(
            status,
            "VALIDATION_ERROR",
            format!("Invalid request parameters: {summary}"),
        )
        .details(Value::Array(details))
    }

    /// 401 `AUTH_ERROR`.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "AUTH_ERROR", message)
    }

    /// The envelope for `request_id`.
    pub fn envelope(&self, request_id: &str) -> Value {
        let mut error =
            json!({"code": self.code, "message": self.message, "request_id": request_id});
        if let (Some(details), Some(obj)) = (&self.details, error.as_object_mut()) {
            obj.insert("details".into(), (**details).clone());
        }
        json!({ "error": error })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response.extensions_mut().insert(self);
        response
    }
}

/// A JSON response with `status`.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body.to_string(),
    )
        .into_response()
}
