//! Messages: `/rooms/{room_id}/messages`. Sending stores the message as
//! sent and returns it; the fake has no model, so no assistant reply is
//! added.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::rooms::not_found;
use crate::error::{ApiError, json_response};
use crate::extract::{Id, JsonBody, Ns, Query};
use crate::idempotency::{IdempotencyKey, once};
use crate::paging::PageParams;
use crate::state::{App, lock};
use crate::time::now_rfc3339;
use crate::validate::{Field, Kind, check, opt, req};

/// `MessageRole`.
const ROLES: &[&str] = &["user", "assistant", "system", "tool"];

/// `SendMessageRequest`.
const SEND: &[Field] = &[
    req("content", Kind::Str),
    opt("role", Kind::OneOf(ROLES)),
    opt("stream", Kind::Bool),
];

pub(crate) async fn send(
    State(app): State<App>,
    Ns(ns): Ns,
    Id(room_id): Id,
    key: IdempotencyKey,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    if lock(&app.store).ns(&ns).rooms.get(&room_id).is_none() {
        return Err(not_found(&room_id));
    }
    check(StatusCode::UNPROCESSABLE_ENTITY, &body, SEND)?;
    once(&app, &ns, key, "sendMessage", &body, || {
        let message = json!({
            "id": format!("msg_{:08}", app.next_id()),
            "room_id": room_id,
            "role": body.get("role").cloned().unwrap_or_else(|| json!("user")),
            "content": body.get("content"),
            "tool_calls": null,
            "created_at": now_rfc3339(),
        });
        let mut store = lock(&app.store);
        let space = store.ns(&ns);
        // The room may have gone since the check above.
        if space.rooms.get(&room_id).is_none() {
            return Err(not_found(&room_id));
        }
        if let Value::Object(map) = &message {
            space.messages.insert(map.clone());
        }
        Ok((StatusCode::CREATED, json!({ "data": message })))
    })
}

pub(crate) async fn list(
    State(app): State<App>,
    Ns(ns): Ns,
    Id(room_id): Id,
    query: Query,
) -> Result<Response, ApiError> {
    let mut store = lock(&app.store);
    let space = store.ns(&ns);
    if space.rooms.get(&room_id).is_none() {
        return Err(not_found(&room_id));
    }
    let page = PageParams::from_query(&query)?;
    let newest_first = match query.get("order") {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(_) => {
            return Err(ApiError::invalid(
                StatusCode::BAD_REQUEST,
                vec![("order".into(), "must be asc or desc".into())],
            ));
        }
    };
    let in_room = |m: &&serde_json::Map<String, Value>| {
        m.get("room_id").and_then(Value::as_str) == Some(&room_id)
    };
    let items: Vec<Value> = if newest_first {
        space
            .messages
            .iter()
            .rev()
            .filter(in_room)
            .cloned()
            .map(Value::Object)
            .collect()
    } else {
        space
            .messages
            .iter()
            .filter(in_room)
            .cloned()
            .map(Value::Object)
            .collect()
    };
    Ok(json_response(StatusCode::OK, &page.envelope(items)))
}
