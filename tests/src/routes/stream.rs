//! `GET /rooms/{room_id}/stream`: a synthetic Server-Sent Events stream for
//! reconnect tests.
//!
//! Any room id is accepted. The stream serves events `0..events` (query
//! parameter, default 100), each `message.delta` with data
//! `{"content": "<n>"}`.
//!
//! Like the spec (`x-sse: {resumable: false}`: no seed documents event ids
//! or `Last-Event-ID`), the stream sends no `id` field by default and every
//! connection starts over. The test-only query parameter `ids=true` makes
//! it a resumable server instead: each event carries `id: <n>` and a
//! connection resumes after the `Last-Event-ID` header, which is how the
//! client's resume is tested. With a
//! `drop_seed` query parameter the connection is dropped at random points
//! (between events and in the middle of one, cleanly or by aborting),
//! chosen from an RNG seeded with the seed and the resume point, so runs
//! are reproducible. Each connection sends `retry: 1` and at least one
//! whole event, so a client that resumes correctly always makes progress.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use futures_util::{StreamExt, stream};

use crate::error::ApiError;
use crate::extract::{Id, Query};

const DEFAULT_EVENTS: u64 = 100;
const MAX_EVENTS: u64 = 1_000_000;

/// One event on the wire, with its id when `ids`.
fn event(n: u64, ids: bool) -> String {
    let data = format!("event: message.delta\ndata: {{\"content\": \"{n}\"}}\n\n");
    if ids {
        format!("id: {n}\n{data}")
    } else {
        data
    }
}

/// A chunk of the body, or the error that aborts the connection.
type Chunk = Result<Bytes, std::io::Error>;

pub(crate) async fn stream(
    Id(_room): Id,
    query: Query,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let total = match query.get("events") {
        None => DEFAULT_EVENTS,
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|n| *n <= MAX_EVENTS)
            .ok_or_else(|| ApiError::bad_request(format!("Invalid request: events={v:?}")))?,
    };
    let ids = match query.get("ids") {
        None | Some("false") => false,
        Some("true") => true,
        Some(v) => {
            return Err(ApiError::bad_request(format!(
                "Invalid request: ids={v:?} (true or false)"
            )));
        }
    };
    let resume_from = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .filter(|_| ids);
    let start =
        match resume_from {
            None | Some("") => 0,
            Some(id) => id.trim().parse::<u64>().map(|n| n + 1).map_err(|_| {
                ApiError::bad_request(format!("Invalid request: Last-Event-ID {id:?}"))
            })?,
        };
    let seed = query.get("drop_seed").and_then(|s| s.parse::<u64>().ok());
    let (chunks, abort) = match seed {
        None => (whole(start, total, ids), false),
        Some(seed) => dropping(start, total, seed, ids),
    };
    // The abort comes after a pause, so the bytes before it are flushed
    // (an error polled together with them would discard them unsent).
    let abort = stream::iter(abort.then_some(())).then(|()| async {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        Err(std::io::Error::other("connection dropped"))
    });
    let body = Body::from_stream(stream::iter(chunks).chain(abort));
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(body)
        .map_err(|e| ApiError::bad_request(format!("Invalid request: {e}")))
}

/// Every event from `start`, then a clean end.
fn whole(start: u64, total: u64, ids: bool) -> Vec<Chunk> {
    let mut out = vec![Ok(Bytes::from_static(b"retry: 1\n\n"))];
    out.extend((start..total).map(|n| Ok(Bytes::from(event(n, ids)))));
    out
}

/// Events from `start` in random-sized chunks, cut at a random point, and
/// whether to abort the connection there (rather than end it cleanly).
fn dropping(start: u64, total: u64, seed: u64, ids: bool) -> (Vec<Chunk>, bool) {
    let mut rng = fastrand::Rng::with_seed(seed ^ start.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let whole_events = rng.u64(1..=300);
    let end = start.saturating_add(whole_events).min(total);
    let mut bytes = b"retry: 1\n\n".to_vec();
    for n in start..end {
        bytes.extend_from_slice(event(n, ids).as_bytes());
    }
    if end < total {
        // Part of the next event: never its blank line, so it never completes.
        let next = event(end, ids);
        let cut = rng.usize(0..next.len() - 1);
        bytes.extend_from_slice(&next.as_bytes()[..cut]);
    }
    let mut out: Vec<Chunk> = Vec::new();
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        let size = rng.usize(1..=rest.len().min(4096));
        out.push(Ok(Bytes::copy_from_slice(&rest[..size])));
        rest = &rest[size..];
    }
    (out, end < total && rng.bool())
}
