//! Rooms: `/rooms` and `/rooms/{room_id}`. A room belongs to an assistant
//! of the same namespace; deleting a room deletes its messages.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::error::{ApiError, json_response};
use crate::extract::{Id, JsonBody, Ns, Query};
use crate::idempotency::{IdempotencyKey, once};
use crate::paging::PageParams;
use crate::state::{App, lock};
use crate::time::now_rfc3339;
use crate::validate::{Field, Kind, check, opt, req};

/// `CreateRoomRequest`.
const CREATE: &[Field] = &[
    req("assistant_id", Kind::Str),
    opt("metadata", Kind::Object),
];
/// `UpdateRoomRequest`.
const UPDATE: &[Field] = &[req("metadata", Kind::Object)];

const UNPROCESSABLE: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

pub(crate) async fn create(
    State(app): State<App>,
    Ns(ns): Ns,
    key: IdempotencyKey,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    check(UNPROCESSABLE, &body, CREATE)?;
    once(&app, &ns, key, "createRoom", &body, || {
        let assistant_id = body
            .get("assistant_id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut store = lock(&app.store);
        let space = store.ns(&ns);
        if space.assistants.get(assistant_id).is_none() {
            let problem = format!("no assistant {assistant_id:?} in this namespace");
            return Err(ApiError::invalid(
                UNPROCESSABLE,
                vec![("assistant_id".into(), problem)],
            ));
        }
        let room = json!({
            "id": format!("room_{:08}", app.next_id()),
            "assistant_id": assistant_id,
            "namespace": ns,
            "metadata": body.get("metadata").cloned().unwrap_or_else(|| json!({})),
            "created_at": now_rfc3339(),
        });
        if let Value::Object(map) = &room {
            space.rooms.insert(map.clone());
        }
        Ok((StatusCode::CREATED, json!({ "data": room })))
    })
}

pub(crate) async fn list(
    State(app): State<App>,
    Ns(ns): Ns,
    query: Query,
) -> Result<Response, ApiError> {
    let page = PageParams::from_query(&query)?;
    let assistant = query.get("assistant_id");
    let items = lock(&app.store)
        .ns(&ns)
        .rooms
        .iter()
        .filter(|room| {
            assistant.is_none_or(|a| room.get("assistant_id").and_then(Value::as_str) == Some(a))
        })
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
    let room = store.ns(&ns).rooms.get(&id).ok_or_else(|| not_found(&id))?;
    Ok(json_response(StatusCode::OK, &json!({ "data": room })))
}

pub(crate) async fn update(
    State(app): State<App>,
    Ns(ns): Ns,
    Id(id): Id,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let mut store = lock(&app.store);
    let room = store
        .ns(&ns)
        .rooms
        .get_mut(&id)
        .ok_or_else(|| not_found(&id))?;
    check(UNPROCESSABLE, &body, UPDATE)?;
    if let Some(metadata) = body.get("metadata") {
        room.insert("metadata".into(), metadata.clone());
    }
    Ok(json_response(StatusCode::OK, &json!({ "data": room })))
}

pub(crate) async fn delete(
    State(app): State<App>,
    Ns(ns): Ns,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    let mut store = lock(&app.store);
    let space = store.ns(&ns);
    space.rooms.remove(&id).ok_or_else(|| not_found(&id))?;
    space
        .messages
        .retain(|m| m.get("room_id").and_then(Value::as_str) != Some(id.as_str()));
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Room {id:?}"))
}
