//! `GET /workflows/instances/{instance_id}/history`: cursor-paginated
//! workflow history (seed 002's History API), for the pagination tests.
//!
//! The fake runs no workflows; a test gives an instance a synthetic history
//! with [`FakeServer::add_workflow_history`](crate::FakeServer::add_workflow_history)
//! (event `n` is `evt_<n>`, types cycling lifecycle, transition, step). Any
//! other instance id is a 404. `limit` is 1 to 1000 (default 100); the
//! cursor is opaque to clients (`cur_<offset>` here) and a cursor the
//! server did not issue is a 400. The filters (`types`, `since`, `until`,
//! `thread`) are accepted and ignored.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::error::{ApiError, json_response};
use crate::extract::{Id, Query};
use crate::state::{App, lock};

/// The spec's `Limit` parameter: default 100, 1 to 1000.
const DEFAULT_LIMIT: u64 = 100;
const MAX_LIMIT: u64 = 1000;

const TYPES: [&str; 3] = ["lifecycle", "transition", "step"];

/// Event `n` of a synthetic history.
fn event(n: u64) -> Value {
    json!({
        "id": format!("evt_{n:06}"),
        "type": TYPES[(n % 3) as usize],
        "subtype": "synthetic",
        "timestamp": format!("2026-01-20T12:{:02}:{:02}Z", (n / 60) % 60, n % 60),
    })
}

pub(crate) async fn list(
    State(app): State<App>,
    Id(instance): Id,
    query: Query,
) -> Result<Response, ApiError> {
    let total = lock(&app.histories)
        .get(&instance)
        .copied()
        .ok_or_else(|| ApiError::not_found(format!("workflow instance {instance:?}")))?;
    let limit = match query.get("limit") {
        None => DEFAULT_LIMIT,
        Some(raw) => raw
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| invalid("limit", format!("must be an integer from 1 to {MAX_LIMIT}")))?,
    };
    let offset = match query.get("cursor") {
        None => 0,
        Some(raw) => raw
            .strip_prefix("cur_")
            .and_then(|n| n.parse::<u64>().ok())
            .filter(|n| (1..total).contains(n))
            .ok_or_else(|| invalid("cursor", "is not a cursor this server issued".into()))?,
    };
    let end = offset.saturating_add(limit).min(total);
    let has_more = end < total;
    let body = json!({
        "data": {
            "instance_id": instance,
            "status": "completed",
            "events": (offset..end).map(event).collect::<Vec<_>>(),
            "pagination": {
                "has_more": has_more,
                "next_cursor": has_more.then(|| format!("cur_{end}")),
            }
        }
    });
    Ok(json_response(StatusCode::OK, &body))
}

fn invalid(field: &str, problem: String) -> ApiError {
    ApiError::invalid(StatusCode::BAD_REQUEST, vec![(field.to_string(), problem)])
}
