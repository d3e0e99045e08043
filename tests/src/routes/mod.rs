//! The operations the fake implements, as one table (spec operationId,
//! method, path, scope, handler); the router is built from it.
//!
//! **Architecture Invariant**: every route is a spec operation with the
//! spec's method, path and scope (checked against the generated client's
//! operation table in `tests/e2e_rust.rs`); anything else gets a 404 or 405
//! error envelope.

mod assistants;
mod auth;
mod history;
mod messages;
mod rooms;
mod stream;

use axum::Router;
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::from_fn_with_state;
use axum::routing::{MethodRouter, delete, get, patch, post};

pub(crate) use auth::default_scopes;

use crate::error::ApiError;
use crate::pipeline;
use crate::server::FakeServer;
use crate::state::App;

/// A spec operation the fake server implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// operationId as written in the spec.
    pub id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path template, relative to [`FakeServer::base_url`].
    pub path: &'static str,
    /// OAuth scope the bearer token needs; `None` for the public
    /// authentication endpoints. A token with `admin` passes every check.
    pub scope: Option<&'static str>,
}

struct Entry {
    op: Operation,
    handler: fn() -> MethodRouter<App>,
}

const fn op(
    id: &'static str,
    method: &'static str,
    path: &'static str,
    scope: Option<&'static str>,
) -> Operation {
    Operation {
        id,
        method,
        path,
        scope,
    }
}

const TABLE: &[Entry] = &[
    Entry {
        op: op("createAccessToken", "POST", "/oauth/token", None),
        handler: || post(auth::token),
    },
    Entry {
        op: op("revokeAccessToken", "POST", "/oauth/revoke", None),
        handler: || post(auth::revoke),
    },
    Entry {
        op: op("getJwks", "GET", "/oauth/jwks", None),
        handler: || get(auth::jwks),
    },
    Entry {
        op: op(
            "createAssistant",
            "POST",
            "/assistants",
            Some("assistants:write"),
        ),
        handler: || post(assistants::create),
    },
    Entry {
        op: op(
            "listAssistants",
            "GET",
            "/assistants",
            Some("assistants:read"),
        ),
        handler: || get(assistants::list),
    },
    Entry {
        op: op(
            "getAssistant",
            "GET",
            "/assistants/{assistant_id}",
            Some("assistants:read"),
        ),
        handler: || get(assistants::get),
    },
    Entry {
        op: op(
            "updateAssistant",
            "PATCH",
            "/assistants/{assistant_id}",
            Some("assistants:write"),
        ),
        handler: || patch(assistants::update),
    },
    Entry {
        op: op(
            "deleteAssistant",
            "DELETE",
            "/assistants/{assistant_id}",
            Some("assistants:write"),
        ),
        handler: || delete(assistants::delete),
    },
    Entry {
        op: op("createRoom", "POST", "/rooms", Some("rooms:write")),
        handler: || post(rooms::create),
    },
    Entry {
        op: op("listRooms", "GET", "/rooms", Some("rooms:read")),
        handler: || get(rooms::list),
    },
    Entry {
        op: op("getRoom", "GET", "/rooms/{room_id}", Some("rooms:read")),
        handler: || get(rooms::get),
    },
    Entry {
        op: op(
            "updateRoom",
            "PATCH",
            "/rooms/{room_id}",
            Some("rooms:write"),
        ),
        handler: || patch(rooms::update),
    },
    Entry {
        op: op(
            "deleteRoom",
            "DELETE",
            "/rooms/{room_id}",
            Some("rooms:write"),
        ),
        handler: || delete(rooms::delete),
    },
    Entry {
        op: op(
            "sendMessage",
            "POST",
            "/rooms/{room_id}/messages",
            Some("rooms:write"),
        ),
        handler: || post(messages::send),
    },
    Entry {
        op: op(
            "listMessages",
            "GET",
            "/rooms/{room_id}/messages",
            Some("rooms:read"),
        ),
        handler: || get(messages::list),
    },
    Entry {
        op: op(
            "streamRoomEvents",
            "GET",
            "/rooms/{room_id}/stream",
            Some("rooms:read"),
        ),
        handler: || get(stream::stream),
    },
    Entry {
        op: op(
            "listWorkflowInstanceHistory",
            "GET",
            "/workflows/instances/{instance_id}/history",
            Some("workflows:read"),
        ),
        handler: || get(history::list),
    },
];

/// Every operation the fake server implements, in table order.
pub fn operations() -> impl Iterator<Item = &'static Operation> {
    TABLE.iter().map(|e| &e.op)
}

/// The whole application: the table's routes under [`FakeServer::PREFIX`],
/// the envelope fallbacks, and the pipeline around everything.
pub(crate) fn router(app: App) -> Router {
    let mut router = Router::new();
    for entry in TABLE {
        let mut route = (entry.handler)();
        if let Some(scope) = entry.op.scope {
            route = route.route_layer(from_fn_with_state(
                auth::Guard {
                    app: app.clone(),
                    scope,
                },
                auth::require,
            ));
        }
        router = router.route(&format!("{}{}", FakeServer::PREFIX, entry.op.path), route);
    }
    router
        .fallback(no_route)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(app.clone(), pipeline::handle))
        .with_state(app)
}

async fn no_route(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("route {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "API_ERROR",
        format!("method {method} not allowed on {}", uri.path()),
    )
}
