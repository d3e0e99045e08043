//! Server-Sent Events as a [`futures_util::Stream`] of typed events, with
//! reconnection.
//!
//! [`Client::sse`] opens `GET {base}{path}` with the bearer token in the
//! `Authorization` header (never `?token=`), parses the body with
//! [`SseParser`] and decodes each event with the caller's function (the
//! generated `RoomStreamEvent::decode`, for example). When the connection
//! drops it waits (the server's `retry:` or a backoff) and reconnects with
//! `Last-Event-ID`; a partial event is discarded, so with a server that
//! resumes after that id no event is yielded twice or lost.
//!
//! Connection failures are retried as the client's retry policy allows
//! (counted per run of consecutive failures); a `401` refreshes the token
//! once. A failure that is not retried ends the stream with an error.
//! Decode failures are yielded as errors and the stream goes on.

use std::fmt::Display;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use futures_util::Stream;
use futures_util::stream::BoxStream;
use http::Method;
use interactor_api::events::{RoomStreamEvent, WorkflowStreamEvent};
use reqwest::header::{ACCEPT, HeaderMap, HeaderValue};

use crate::error::Error;
use crate::retry::{RetryAction, classify};
use crate::sse::SseParser;
use crate::{Client, retry};

/// A stream of decoded events; see the [module docs](self).
pub struct EventStream<T> {
    inner: BoxStream<'static, Result<T, Error>>,
}

impl<T> Stream for EventStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

impl Client {
    /// Streams `GET {base_url}{path}` (path and query, already encoded),
    /// decoding each event with `decode(event, data)`. `namespace`
    /// overrides the client's default `X-Namespace`.
    pub fn sse<T, D, E>(&self, path: &str, namespace: Option<&str>, decode: D) -> EventStream<T>
    where
        T: Send + 'static,
        D: Fn(&str, &str) -> Result<T, E> + Send + 'static,
        E: Display + 'static,
    {
        let state = State {
            client: self.clone(),
            url: format!("{}{path}", self.base_url()),
            namespace: namespace.map(str::to_string),
            decode,
            parser: SseParser::new().with_max_event_size(self.max_sse_event_size()),
            response: None,
            failures: 0,
            delay: None,
            pending: None,
            done: false,
        };
        EventStream {
            inner: Box::pin(futures_util::stream::unfold(state, State::next)),
        }
    }

    /// The events of a room (`GET /rooms/{room_id}/stream`).
    pub fn room_events(&self, room_id: &str) -> EventStream<RoomStreamEvent> {
        self.typed_stream("/rooms/{}/stream", room_id, RoomStreamEvent::decode)
    }

    /// The events of a workflow instance
    /// (`GET /workflows/instances/{instance_id}/stream`).
    pub fn workflow_events(&self, instance_id: &str) -> EventStream<WorkflowStreamEvent> {
        self.typed_stream(
            "/workflows/instances/{}/stream",
            instance_id,
            WorkflowStreamEvent::decode,
        )
    }

    fn typed_stream<T: Send + 'static>(
        &self,
        template: &str,
        id: &str,
        decode: fn(&str, &str) -> Result<T, serde_json::Error>,
    ) -> EventStream<T> {
        match interactor_api::hooks::encode_path_segment(id) {
            Ok(segment) => self.sse(&template.replace("{}", &segment), None, decode),
            Err(problem) => EventStream {
                inner: Box::pin(futures_util::stream::once(async move {
                    Err(Error::invalid_request(problem))
                })),
            },
        }
    }
}

struct State<D> {
    client: Client,
    url: String,
    namespace: Option<String>,
    decode: D,
    parser: SseParser,
    response: Option<reqwest::Response>,
    /// Consecutive failed connection attempts.
    failures: u32,
    /// Wait before the next connection attempt.
    delay: Option<Duration>,
    /// An error to yield once the queued events are taken.
    pending: Option<Error>,
    done: bool,
}

impl<D> State<D> {
    async fn next<T, E>(mut self) -> Option<(Result<T, Error>, Self)>
    where
        D: Fn(&str, &str) -> Result<T, E>,
        E: Display,
    {
        loop {
            if let Some(ev) = self.parser.next_event() {
                let item = (self.decode)(&ev.event, &ev.data)
                    .map_err(|e| Error::decode(format!("cannot decode {:?} event: {e}", ev.event)));
                return Some((item, self));
            }
            if let Some(e) = self.pending.take() {
                return Some((Err(e), self));
            }
            if self.done {
                return None;
            }
            match self.response.as_mut() {
                Some(resp) => match resp.chunk().await {
                    Ok(Some(bytes)) => {
                        if let Err(e) = self.parser.feed(&bytes) {
                            self.response = None;
                            self.done = true;
                            self.pending = Some(Error::decode(e.to_string()));
                        }
                    }
                    Ok(None) | Err(_) => {
                        tracing::debug!(
                            last_event_id = self.parser.last_event_id(),
                            "stream dropped"
                        );
                        self.response = None;
                        if self.parser.last_event_id().is_empty() {
                            self.pending = Some(Error::stream_gap(
                                "the event stream dropped and the server sent no event id to \
                                 resume from: events sent while reconnecting may be missing; \
                                 re-read the state (listMessages, getWorkflowInstance)",
                            ));
                        }
                        self.parser.reconnect();
                        self.delay = Some(match self.parser.retry() {
                            Some(ms) => Duration::from_millis(ms),
                            None => self.client.transport().retry().backoff(0),
                        });
                    }
                },
                None => {
                    if let Some(wait) = self.delay.take() {
                        tokio::time::sleep(wait).await;
                    }
                    if let Err(e) = self.connect().await {
                        self.done = true;
                        return Some((Err(e), self));
                    }
                }
            }
        }
    }

    /// Opens the stream, retrying failures as the retry policy allows.
    async fn connect(&mut self) -> Result<(), Error> {
        let mut refreshed = false;
        loop {
            let transport = self.client.transport();
            let mut headers = HeaderMap::new();
            headers.insert(ACCEPT, HeaderValue::from_static("text/event-stream"));
            if let Some(ns) = &self.namespace {
                let value = HeaderValue::from_str(ns)
                    .map_err(|_| Error::invalid_request("namespace is not a valid header value"))?;
                headers.insert("x-namespace", value);
            }
            let last = self.parser.last_event_id();
            if !last.is_empty()
                && let Ok(value) = HeaderValue::from_str(last)
            {
                headers.insert("last-event-id", value);
            }
            let token = transport
                .authorize(self.client.http(), &mut headers)
                .await?;
            let sent = self
                .client
                .http()
                .get(&self.url)
                .headers(headers)
                // The client's timeout covers a whole body; a stream is long.
                .timeout(Duration::from_secs(24 * 3600))
                .send()
                .await;
            let (status, connect, hint, error) = match sent {
                Ok(resp) if resp.status().is_success() => {
                    self.response = Some(resp);
                    self.failures = 0;
                    return Ok(());
                }
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let hint = retry::retry_after(
                        resp.headers(),
                        SystemTime::now(),
                        transport.retry().config().retry_after_cap(),
                    );
                    let headers = resp.headers().clone();
                    let body = resp.bytes().await.unwrap_or_default();
                    let envelope = serde_json::from_slice(&body).ok();
                    let error = Error::from_response(status, &headers, envelope.as_ref());
                    (Some(status), false, hint, error)
                }
                Err(e) => (None, e.is_connect(), None, Error::from_reqwest(e)),
            };
            if status == Some(401)
                && !refreshed
                && let Some(token) = &token
            {
                refreshed = true;
                transport.invalidate(token);
                continue;
            }
            self.failures += 1;
            let decision = classify(status, connect, &Method::GET, false);
            match transport
                .retry()
                .should_retry(self.failures, decision, hint)
            {
                RetryAction::RetryAfter(wait) => tokio::time::sleep(wait).await,
                _ => return Err(error),
            }
        }
    }
}
