//! Assistants: `/assistants` and `/assistants/{assistant_id}`.
//!
//! The fake has no tools or data sources, so an assistant may reference
//! none: non-empty `tools` or `data_sources` is a 422 naming the unknown id.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::error::{ApiError, json_response};
use crate::extract::{Id, JsonBody, Ns, Query};
use crate::idempotency::{IdempotencyKey, once};
use crate::paging::PageParams;
use crate::state::{App, lock};
use crate::time::now_rfc3339;
use crate::validate::{Field, Kind, check, opt, req};

const TEMPERATURE: Kind = Kind::Number { min: 0.0, max: 2.0 };
const MAX_TOKENS: Kind = Kind::Integer { min: 1 };

/// `CreateAssistantRequest`.
const CREATE: &[Field] = &[
    req("name", Kind::Str),
    req("model", Kind::Str),
    req("system_prompt", Kind::Str),
    opt("tools", Kind::StrList),
    opt("data_sources", Kind::StrList),
    opt("temperature", TEMPERATURE),
    opt("max_tokens", MAX_TOKENS),
];

/// `UpdateAssistantRequest` (`minProperties: 1`).
const UPDATE: &[Field] = &[
    opt("name", Kind::Str),
    opt("model", Kind::Str),
    opt("system_prompt", Kind::Str),
    opt("tools", Kind::StrList),
    opt("data_sources", Kind::StrList),
    opt("temperature", TEMPERATURE),
    opt("max_tokens", MAX_TOKENS),
];

/// Fields an update may change (every `UPDATE` field but the references,
/// which can only be empty here).
const MUTABLE: &[&str] = &[
    "name",
    "model",
    "system_prompt",
    "temperature",
    "max_tokens",
];

const UNPROCESSABLE: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

pub(crate) async fn create(
    State(app): State<App>,
    Ns(ns): Ns,
    key: IdempotencyKey,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    check(UNPROCESSABLE, &body, CREATE)?;
    no_references(&body)?;
    once(&app, &ns, key, "createAssistant", &body, || {
        let now = now_rfc3339();
        let assistant = json!({
            "id": format!("asst_{:08}", app.next_id()),
            "name": body.get("name"),
            "model": body.get("model"),
            "system_prompt": body.get("system_prompt"),
            "tools": [],
            "data_sources": [],
            "temperature": body.get("temperature").cloned().unwrap_or(json!(0.7)),
            "max_tokens": body.get("max_tokens").cloned().unwrap_or(json!(4096)),
            "created_at": now,
            "updated_at": now,
        });
        if let Value::Object(map) = &assistant {
            lock(&app.store).ns(&ns).assistants.insert(map.clone());
        }
        Ok((StatusCode::CREATED, json!({ "data": assistant })))
    })
}

pub(crate) async fn list(
    State(app): State<App>,
    Ns(ns): Ns,
    query: Query,
) -> Result<Response, ApiError> {
    let page = PageParams::from_query(&query)?;
    let items = lock(&app.store)
        .ns(&ns)
        .assistants
        .iter()
        .cloned()
        .map(Value::Object)
        .collect();
    Ok(json_response(StatusCode::OK, &page.envelope(items)))
}

pub(crate) async fn get(
    State(app): State<App>,
    Ns(ns): Ns,
    Id(id): Id,
) -> Result<Response, ApiError> {
    let mut store = lock(&app.store);
    let assistant = store
        .ns(&ns)
        .assistants
        .get(&id)
        .ok_or_else(|| not_found(&id))?;
    Ok(json_response(StatusCode::OK, &json!({ "data": assistant })))
}

pub(crate) async fn update(
    State(app): State<App>,
    Ns(ns): Ns,
    Id(id): Id,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let mut store = lock(&app.store);
    let assistant = store
        .ns(&ns)
        .assistants
        .get_mut(&id)
        .ok_or_else(|| not_found(&id))?;
    if body.is_empty() {
        return Err(ApiError::invalid(
            UNPROCESSABLE,
            vec![("body".into(), "must change at least one field".into())],
        ));
    }
    check(UNPROCESSABLE, &body, UPDATE)?;
    no_references(&body)?;
    for field in MUTABLE {
        if let Some(value) = body.get(*field) {
            assistant.insert(field.to_string(), value.clone());
        }
    }
    assistant.insert("updated_at".into(), Value::String(now_rfc3339()));
    Ok(json_response(StatusCode::OK, &json!({ "data": assistant })))
}

pub(crate) async fn delete(
    State(app): State<App>,
    Ns(ns): Ns,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    match lock(&app.store).ns(&ns).assistants.remove(&id) {
        Some(_) => Ok(StatusCode::NO_CONTENT),
        None => Err(not_found(&id)),
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Assistant {id:?}"))
}

/// 422 for the first tool or data source id: none exists in the fake.
fn no_references(body: &Map<String, Value>) -> Result<(), ApiError> {
    let problems: Vec<(String, String)> = ["tools", "data_sources"]
        .iter()
        .filter_map(|field| {
            let first = body.get(*field)?.as_array()?.first()?.as_str()?;
            Some((format!("{field}[0]"), format!("no such id: {first:?}")))
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(UNPROCESSABLE, problems))
    }
}
