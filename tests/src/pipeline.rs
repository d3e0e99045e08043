//! The layer every request passes through, outermost: it assigns the
//! request id, buffers and logs the request, counts token requests, answers
//! from a script when one is queued, renders [`ApiError`]s into the error
//! envelope and adds `X-Request-Id` and the `X-RateLimit-*` headers.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::Ordering;

use crate::error::{ApiError, json_response};
use crate::log::RecordedRequest;
use crate::script::{Canned, CannedBody};
use crate::server::FakeServer;
use crate::state::{App, lock};
use crate::time::unix_now;

/// Largest request body the server reads.
const MAX_BODY: usize = 4 << 20;
/// `X-RateLimit-Limit`: 600 requests a minute per client (spec `info`).
const RATE_LIMIT: u64 = 600;
const RATE_WINDOW_SECS: u64 = 60;

pub(crate) async fn handle(State(app): State<App>, request: Request, next: Next) -> Response {
    let request_id = format!("req_{:08}", app.next_id());
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, MAX_BODY).await;
    let path = parts.uri.path().to_string();
    let index = {
        let mut log = lock(&app.log);
        log.push(RecordedRequest {
            method: parts.method.to_string(),
            path: path.clone(),
            query: parts.uri.query().map(str::to_string),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: body.as_ref().map(|b| b.to_vec()).unwrap_or_default(),
            request_id: request_id.clone(),
            status: None,
        });
        log.len() - 1
    };
    if parts.method == Method::POST && path == format!("{}/oauth/token", FakeServer::PREFIX) {
        app.token_requests.fetch_add(1, Ordering::SeqCst);
    }

    let response = match body {
        Err(e) => {
            ApiError::bad_request(format!("could not read the request body: {e}")).into_response()
        }
        Ok(bytes) => {
            let route = path.strip_prefix(FakeServer::PREFIX).unwrap_or(&path);
            let canned = lock(&app.scripts).take(parts.method.as_str(), route);
            match canned {
                Some(canned) => {
                    if let Some(delay) = canned.delay {
                        tokio::time::sleep(delay).await;
                    }
                    canned_response(canned)
                }
                None => {
                    next.run(Request::from_parts(parts, Body::from(bytes)))
                        .await
                }
            }
        }
    };

    let response = finish(&app, response, &request_id);
    if let Some(entry) = lock(&app.log).get_mut(index) {
        entry.status = Some(response.status().as_u16());
    }
    response
}

fn canned_response(canned: Canned) -> Response {
    let status = StatusCode::from_u16(canned.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match canned.body {
        CannedBody::Empty => status.into_response(),
        CannedBody::Json(value) => json_response(status, &value),
        CannedBody::Raw(bytes) => (status, bytes).into_response(),
        CannedBody::Error { code, message } => {
            ApiError::new(status, &code, message).into_response()
        }
    };
    for (name, value) in canned.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// Renders a pending [`ApiError`] and adds the headers every response
/// carries, keeping any a script set.
fn finish(app: &App, mut response: Response, request_id: &str) -> Response {
    if let Some(error) = response.extensions_mut().remove::<ApiError>() {
        let mut rendered = json_response(response.status(), &error.envelope(request_id));
        for (name, value) in response.headers() {
            if !rendered.headers().contains_key(name) {
                rendered.headers_mut().append(name.clone(), value.clone());
            }
        }
        response = rendered;
    }
    let (remaining, reset) = {
        let mut window = lock(&app.rate);
        let now = unix_now();
        if now >= window.start + RATE_WINDOW_SECS {
            window.start = now;
            window.used = 0;
        }
        window.used += 1;
        (
            RATE_LIMIT.saturating_sub(window.used),
            window.start + RATE_WINDOW_SECS,
        )
    };
    let headers = response.headers_mut();
    set_default(headers, "x-request-id", request_id);
    set_default(headers, "x-ratelimit-limit", &RATE_LIMIT.to_string());
    set_default(headers, "x-ratelimit-remaining", &remaining.to_string());
    set_default(headers, "x-ratelimit-reset", &reset.to_string());
    set_default(headers, "x-ratelimit-scope", "client");
    response
}

fn set_default(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if let (false, Ok(value)) = (headers.contains_key(name), HeaderValue::from_str(value)) {
        headers.insert(HeaderName::from_static(name), value);
    }
}
