//! A sans-IO parser for `text/event-stream` (Server-Sent Events).
//!
//! It follows the WHATWG HTML "event stream interpretation" rules exactly and
//! does no I/O: feed it bytes as they arrive, in chunks of any size, and take
//! the events out.
//!
//! ```
//! use interactor::sse::SseParser;
//!
//! let mut parser = SseParser::new();
//! parser.feed(b"id: 7\nevent: delta\ndata: hel")?;
//! parser.feed(b"lo\r\n\r\n")?;
//! let event = parser.next_event().expect("one event");
//! assert_eq!((event.event.as_str(), event.data.as_str()), ("delta", "hello"));
//! assert_eq!(parser.last_event_id(), "7");
//! # Ok::<(), interactor::sse::SseError>(())
//! ```
//!
//! **Architecture Invariant**: parsing never panics, and its only failure is
//! a line or an event larger than the parser's size limit
//! ([`SseParser::with_max_event_size`], 16 MiB by default), so a hostile or
//! broken server cannot make the client buffer without bound. Invalid UTF-8
//! is replaced with U+FFFD, unknown fields are ignored, and an event cut off
//! by the end of the stream is discarded, as the standard says.
//!
//! **Architecture Invariant**: the result does not depend on how the input is
//! split into chunks (a CR at the end of one chunk and an LF at the start of
//! the next are one line ending; a BOM may arrive one byte at a time).
//!
//! Throughput: lines are found with `memchr` and complete lines are parsed
//! straight from the caller's chunk; only a line that straddles two chunks is
//! copied into an internal buffer. The one allocation per event is the
//! event's own `data` (and `event`/`id` strings when present).

use std::collections::VecDeque;
use std::mem;

use memchr::{memchr, memchr2};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Capacity kept for the next event's data buffer, at most.
const KEEP_CAPACITY: usize = 64 * 1024;

/// The default [`SseParser::max_event_size`]: 16 MiB.
pub const DEFAULT_MAX_EVENT_SIZE: usize = 16 * 1024 * 1024;

/// The one way parsing fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SseError {
    /// A line, or the data of one event, grew past the parser's limit.
    #[error(
        "SSE {what} longer than the {limit}-byte limit; the server sent an unbounded \
         line or event (raise the limit with `max_sse_event_size` on the client \
         builder or `SseParser::with_max_event_size` if such events are expected)"
    )]
    TooLarge {
        /// `"line"` or `"event data"`.
        what: &'static str,
        /// The limit in bytes.
        limit: usize,
    },
}

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The event type: the last `event` field, or `"message"`.
    pub event: String,
    /// The `data` lines joined with LF.
    pub data: String,
    /// The stream's last event ID when this event was dispatched; `None`
    /// when it is empty. It persists across events until an `id` field
    /// changes it.
    pub id: Option<String>,
    /// A reconnection time in milliseconds set by a valid `retry` field since
    /// the previous dispatched event (including in blocks that dispatched
    /// nothing), so that no update is lost. [`SseParser::retry`] always has
    /// the latest value.
    pub retry: Option<u64>,
}

/// The parser state for one event source, across reconnections.
#[derive(Debug)]
pub struct SseParser {
    /// The largest line, and the largest data of one event, in bytes.
    max_event_size: usize,
    /// An incomplete line, or the bytes of a possible BOM at stream start.
    line: Vec<u8>,
    /// The stream start has been checked for a BOM.
    bom_checked: bool,
    /// The last line ended with CR: an LF that comes next belongs to it.
    skip_lf: bool,
    /// The data buffer: each `data` value followed by LF.
    data: Vec<u8>,
    /// The event type buffer.
    event_type: Vec<u8>,
    /// The last event ID buffer, set by `id` fields.
    id_buffer: String,
    /// The event source's last event ID, set from the buffer at dispatch.
    last_event_id: String,
    /// The latest reconnection time.
    retry: Option<u64>,
    /// A reconnection time not yet reported on an event.
    pending_retry: Option<u64>,
    /// Dispatched events not yet taken.
    queue: VecDeque<SseEvent>,
}

impl Default for SseParser {
    fn default() -> Self {
        SseParser {
            max_event_size: DEFAULT_MAX_EVENT_SIZE,
            line: Vec::new(),
            bom_checked: false,
            skip_lf: false,
            data: Vec::new(),
            event_type: Vec::new(),
            id_buffer: String::new(),
            last_event_id: String::new(),
            retry: None,
            pending_retry: None,
            queue: VecDeque::new(),
        }
    }
}

impl SseParser {
    /// A parser at the start of a new stream, with the default size limit
    /// ([`DEFAULT_MAX_EVENT_SIZE`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the largest line, and the largest `data` of one event, in bytes
    /// (at least 1). Past it [`feed`](Self::feed) fails with
    /// [`SseError::TooLarge`].
    #[must_use]
    pub fn with_max_event_size(mut self, bytes: usize) -> Self {
        self.max_event_size = bytes.max(1);
        self
    }

    /// The size limit; see [`with_max_event_size`](Self::with_max_event_size).
    pub fn max_event_size(&self) -> usize {
        self.max_event_size
    }

    /// A parser resuming after a stream whose last event ID was `id` (sent
    /// as `Last-Event-ID` when reconnecting).
    pub fn with_last_event_id(id: impl Into<String>) -> Self {
        let id = id.into();
        SseParser {
            id_buffer: id.clone(),
            last_event_id: id,
            ..Self::default()
        }
    }

    /// Parses the next chunk of the stream. Complete events are queued for
    /// [`next_event`](Self::next_event) or [`events`](Self::events).
    ///
    /// Fails when a line or an event's data exceeds the size limit; the
    /// events dispatched before stay queued, the oversized event is
    /// discarded and the parser is left as after [`reconnect`](Self::reconnect).
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), SseError> {
        let fed = self.feed_inner(chunk);
        if fed.is_err() {
            self.reconnect();
        }
        fed
    }

    fn feed_inner(&mut self, mut chunk: &[u8]) -> Result<(), SseError> {
        if !self.bom_checked {
            // `line` holds only a prefix of the BOM here.
            let take = (BOM.len() - self.line.len()).min(chunk.len());
            self.line.extend_from_slice(&chunk[..take]);
            chunk = &chunk[take..];
            if !BOM.starts_with(&self.line) {
                // Not a BOM: the held bytes are ordinary input.
                self.bom_checked = true;
                let held = mem::take(&mut self.line);
                self.feed_lines(&held)?;
            } else if self.line.len() == BOM.len() {
                self.bom_checked = true;
                self.line.clear();
            } else {
                return Ok(());
            }
        }
        self.feed_lines(chunk)
    }

    /// Takes the oldest dispatched event, if any.
    pub fn next_event(&mut self) -> Option<SseEvent> {
        self.queue.pop_front()
    }

    /// Takes all dispatched events, oldest first.
    pub fn events(&mut self) -> impl Iterator<Item = SseEvent> + '_ {
        self.queue.drain(..)
    }

    /// The last event ID to send as `Last-Event-ID` on reconnection; empty
    /// when none. It changes when an event block ends (a blank line), also
    /// when the block had no data.
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// The latest reconnection time in milliseconds from a `retry` field.
    pub fn retry(&self) -> Option<u64> {
        self.retry
    }

    /// Prepares for a new connection: discards the partial line and the
    /// partial event of the old stream and expects a BOM again, but keeps
    /// the last event ID, the reconnection time and any events not taken.
    pub fn reconnect(&mut self) {
        self.line.clear();
        self.bom_checked = false;
        self.skip_lf = false;
        self.data.clear();
        self.event_type.clear();
        self.id_buffer.clone_from(&self.last_event_id);
    }

    fn feed_lines(&mut self, mut chunk: &[u8]) -> Result<(), SseError> {
        if self.skip_lf {
            match chunk.first() {
                None => return Ok(()),
                Some(b'\n') => chunk = &chunk[1..],
                Some(_) => {}
            }
            self.skip_lf = false;
        }
        while let Some(i) = memchr2(b'\n', b'\r', chunk) {
            if self.line.is_empty() {
                self.process_line(&chunk[..i])?;
            } else {
                self.line.extend_from_slice(&chunk[..i]);
                let mut line = mem::take(&mut self.line);
                self.process_line(&line)?;
                line.clear();
                self.line = line;
            }
            let mut next = i + 1;
            if chunk[i] == b'\r' {
                match chunk.get(next) {
                    Some(b'\n') => next += 1,
                    Some(_) => {}
                    None => self.skip_lf = true,
                }
            }
            chunk = &chunk[next..];
        }
        if self.line.len() + chunk.len() > self.max_event_size {
            return Err(self.too_large("line"));
        }
        self.line.extend_from_slice(chunk);
        Ok(())
    }

    fn too_large(&self, what: &'static str) -> SseError {
        SseError::TooLarge {
            what,
            limit: self.max_event_size,
        }
    }

    fn process_line(&mut self, line: &[u8]) -> Result<(), SseError> {
        if line.len() > self.max_event_size {
            return Err(self.too_large("line"));
        }
        if line.is_empty() {
            self.dispatch();
            return Ok(());
        }
        let (field, value) = match memchr(b':', line) {
            Some(0) => return Ok(()), // a comment
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &[][..]),
        };
        match field {
            b"data" => {
                // The data buffer holds each value and an LF.
                if self.data.len() + value.len() > self.max_event_size {
                    return Err(self.too_large("event data"));
                }
                self.data.extend_from_slice(value);
                self.data.push(b'\n');
            }
            b"event" => {
                self.event_type.clear();
                self.event_type.extend_from_slice(value);
            }
            // An id containing NUL is ignored.
            b"id" if memchr(0, value).is_none() => {
                self.id_buffer = String::from_utf8_lossy(value).into_owned();
            }
            b"retry" => {
                if let Some(ms) = parse_digits(value) {
                    self.retry = Some(ms);
                    self.pending_retry = Some(ms);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn dispatch(&mut self) {
        self.last_event_id.clone_from(&self.id_buffer);
        if self.data.is_empty() {
            self.event_type.clear();
            return;
        }
        // Every data line appended an LF; the last one is removed.
        self.data.pop();
        let keep = self.data.len().min(KEEP_CAPACITY);
        let data = decode(mem::replace(&mut self.data, Vec::with_capacity(keep)));
        let event = if self.event_type.is_empty() {
            "message".to_owned()
        } else {
            String::from_utf8_lossy(&self.event_type).into_owned()
        };
        self.event_type.clear();
        let id = (!self.last_event_id.is_empty()).then(|| self.last_event_id.clone());
        self.queue.push_back(SseEvent {
            event,
            data,
            id,
            retry: self.pending_retry.take(),
        });
    }
}

/// UTF-8 decoding that replaces invalid sequences with U+FFFD. Decoding line
/// by line gives the same result as decoding the whole stream, since CR, LF
/// and `:` never occur inside a multi-byte sequence.
fn decode(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A `retry` value: one or more ASCII digits, saturating at `u64::MAX`.
fn parse_digits(value: &[u8]) -> Option<u64> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(value.iter().fold(0u64, |n, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `input` whole and renders each event as `type|data|id|retry`.
    fn check(input: &str, expect: &[&str]) {
        let mut parser = SseParser::new();
        parser.feed(input.as_bytes()).expect("within the limit");
        let got: Vec<String> = parser
            .events()
            .map(|e| {
                let id = e.id.unwrap_or_else(|| "-".into());
                let retry = e.retry.map_or("-".into(), |r| r.to_string());
                format!("{}|{}|{id}|{retry}", e.event, e.data)
            })
            .collect();
        assert_eq!(got, expect, "input {input:?}");
    }

    #[test]
    fn id_is_reported_on_later_events() {
        check(
            "id: 1\ndata: a\n\ndata: b\n\n",
            &["message|a|1|-", "message|b|1|-"],
        );
    }

    #[test]
    fn retry_is_reported_once_on_the_next_event() {
        check(
            "retry: 5\n\ndata: a\n\ndata: b\n\n",
            &["message|a|-|5", "message|b|-|-"],
        );
    }

    #[test]
    fn retry_saturates() {
        let mut parser = SseParser::new();
        parser
            .feed(b"retry: 99999999999999999999999\n\n")
            .expect("within the limit");
        assert_eq!(parser.retry(), Some(u64::MAX));
    }

    #[test]
    fn id_from_an_undispatched_block_is_not_the_last_event_id() {
        let mut parser = SseParser::new();
        parser
            .feed(b"id: 1\ndata: a\n\nid: 2\ndata: b\n")
            .expect("within the limit");
        assert_eq!(parser.last_event_id(), "1");
    }

    #[test]
    fn reconnect_keeps_id_and_expects_a_new_bom() {
        let mut parser = SseParser::new();
        parser
            .feed(b"id: 9\ndata: a\n\ndata: partial")
            .expect("within the limit");
        parser.reconnect();
        parser
            .feed(b"\xEF\xBB\xBFdata: b\n\n")
            .expect("within the limit");
        let events: Vec<_> = parser.events().map(|e| (e.data, e.id)).collect();
        assert_eq!(
            events,
            [
                ("a".to_owned(), Some("9".to_owned())),
                ("b".to_owned(), Some("9".to_owned()))
            ]
        );
    }

    #[test]
    fn resume_from_a_known_id() {
        let mut parser = SseParser::with_last_event_id("41");
        parser.feed(b"data: x\n\n").expect("within the limit");
        assert_eq!(
            parser.next_event().and_then(|e| e.id).as_deref(),
            Some("41")
        );
    }

    #[test]
    fn partial_bom_then_other_bytes() {
        check("\u{FEFF}data: a\n\n", &["message|a|-|-"]);
        let mut parser = SseParser::new();
        parser
            .feed(b"\xEF\xBBdata: a\n\n")
            .expect("within the limit");
        assert_eq!(
            parser.next_event().map(|e| e.data),
            None,
            "garbled field name"
        );
        let mut parser = SseParser::new();
        parser.feed(b"\xEF").expect("within the limit");
        parser.feed(b"").expect("within the limit");
        parser.feed(b"\xBB").expect("within the limit");
        parser.feed(b"\xBF").expect("within the limit");
        parser.feed(b"data: a\n\n").expect("within the limit");
        assert_eq!(parser.next_event().map(|e| e.data).as_deref(), Some("a"));
    }

    #[test]
    fn cr_then_empty_chunk_then_lf() {
        let mut parser = SseParser::new();
        parser.feed(b"data: a\r").expect("within the limit");
        parser.feed(b"").expect("within the limit");
        parser.feed(b"\n\r").expect("within the limit");
        parser.feed(b"\n").expect("within the limit");
        let events: Vec<_> = parser.events().map(|e| e.data).collect();
        assert_eq!(events, ["a"]);
    }

    #[test]
    fn a_line_longer_than_the_limit_fails_and_names_the_limit() {
        // Straddling chunks, never terminated: a hostile server.
        let mut parser = SseParser::new().with_max_event_size(16);
        parser
            .feed(b"data: ok\n\n: comment that")
            .expect("15 bytes held");
        let err = parser.feed(b" goes on").expect_err("23 bytes");
        assert_eq!(
            err,
            SseError::TooLarge {
                what: "line",
                limit: 16
            }
        );
        assert!(err.to_string().contains("16-byte limit"), "{err}");
        // The event before the failure is kept; the parser can go on.
        assert_eq!(parser.next_event().map(|e| e.data).as_deref(), Some("ok"));
        parser.feed(b"data: b\n\n").expect("a small event");
        assert_eq!(parser.next_event().map(|e| e.data).as_deref(), Some("b"));
        // A whole line inside one chunk is checked too.
        let mut parser = SseParser::new().with_max_event_size(16);
        let err = parser
            .feed(b"data: 0123456789abcdef\n\n")
            .expect_err("22-byte line");
        assert_eq!(
            err,
            SseError::TooLarge {
                what: "line",
                limit: 16
            }
        );
        assert_eq!(parser.next_event(), None);
    }

    #[test]
    fn event_data_is_limited_across_lines() {
        // Every line fits in 10 bytes; the joined data may not exceed 10.
        let mut parser = SseParser::new().with_max_event_size(10);
        parser
            .feed(b"data: 123\ndata: 456\ndata: 78\n\n")
            .expect("10 bytes");
        assert_eq!(
            parser.next_event().map(|e| e.data).as_deref(),
            Some("123\n456\n78")
        );
        let err = parser
            .feed(b"data: 123\ndata: 456\ndata: 789\n\n")
            .expect_err("11 bytes");
        assert_eq!(
            err,
            SseError::TooLarge {
                what: "event data",
                limit: 10
            }
        );
        assert_eq!(
            parser.next_event(),
            None,
            "the oversized event is discarded"
        );
    }

    #[test]
    fn the_default_limit_is_16_mib() {
        let mut parser = SseParser::new();
        assert_eq!(parser.max_event_size(), DEFAULT_MAX_EVENT_SIZE);
        let big = vec![b'x'; DEFAULT_MAX_EVENT_SIZE];
        parser.feed(b"data: ").expect("prefix");
        // The line is "data: " plus 16 MiB: 6 bytes too long.
        let err = parser.feed(&big).expect_err("past 16 MiB");
        assert_eq!(
            err,
            SseError::TooLarge {
                what: "line",
                limit: 16 << 20
            }
        );
    }
}
