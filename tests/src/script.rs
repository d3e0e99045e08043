//! Scripted responses: fault injection ahead of normal handling.
//!
//! A test queues [`Canned`] responses for a method and route pattern with
//! [`FakeServer::script`](crate::FakeServer::script). The next matching
//! request takes the first one off the queue and gets it instead of the
//! normal answer (no auth check, no state change); once the queue is empty
//! the route behaves normally again. The request is still logged and still
//! gets `X-Request-Id` and the rate-limit headers.

use std::collections::VecDeque;
use std::time::Duration;

use serde_json::Value;

/// What a canned response carries as its body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CannedBody {
    /// No body.
    Empty,
    /// This JSON document, as is.
    Json(Value),
    /// The spec's error envelope with this code and message; the server
    /// fills in `request_id`.
    Error {
        /// `error.code`.
        code: String,
        /// `error.message`.
        message: String,
    },
    /// These bytes, as is (for malformed-response tests).
    Raw(Vec<u8>),
}

/// One canned response.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Canned {
    /// HTTP status.
    pub status: u16,
    /// Extra headers; they replace the server's own headers of the same name.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: CannedBody,
    /// How long to wait before answering.
    pub delay: Option<Duration>,
}

impl Canned {
    /// `status` with no body.
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: CannedBody::Empty,
            delay: None,
        }
    }

    /// `status` with a JSON body.
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            body: CannedBody::Json(body),
            ..Self::status(status)
        }
    }

    /// `status` with raw bytes as the body.
    pub fn raw(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            body: CannedBody::Raw(body.into()),
            ..Self::status(status)
        }
    }

    /// `status` with the spec's error envelope.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        let body = CannedBody::Error {
            code: code.to_string(),
            message: message.to_string(),
        };
        Self {
            body,
            ..Self::status(status)
        }
    }

    /// 429 `RATE_LIMITED` with `Retry-After: secs` and no requests remaining.
    pub fn rate_limited(secs: u64) -> Self {
        Self::error(429, "RATE_LIMITED", "Rate limit exceeded")
            .retry_after(secs)
            .header("X-RateLimit-Remaining", "0")
    }

    /// 503 `API_ERROR` with `Retry-After: secs`.
    pub fn unavailable(secs: u64) -> Self {
        Self::error(503, "API_ERROR", "Service unavailable").retry_after(secs)
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Adds `Retry-After: secs`.
    pub fn retry_after(self, secs: u64) -> Self {
        self.header("Retry-After", &secs.to_string())
    }

    /// Waits `delay` before answering (for timeout tests).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

/// Queues of canned responses by method and route pattern.
#[derive(Debug, Default)]
pub(crate) struct Scripts {
    rules: Vec<Rule>,
}

#[derive(Debug)]
struct Rule {
    method: String,
    pattern: String,
    queue: VecDeque<Canned>,
}

impl Scripts {
    pub fn push(&mut self, method: &str, pattern: &str, canned: Canned) {
        let method = method.to_ascii_uppercase();
        match self
            .rules
            .iter_mut()
            .find(|r| r.method == method && r.pattern == pattern)
        {
            Some(rule) => rule.queue.push_back(canned),
            None => self.rules.push(Rule {
                method,
                pattern: pattern.to_string(),
                queue: VecDeque::from([canned]),
            }),
        }
    }

    /// Takes the next canned response for `method` on `route` (raw path
    /// without the prefix), if one is queued.
    pub fn take(&mut self, method: &str, route: &str) -> Option<Canned> {
        self.rules
            .iter_mut()
            .filter(|r| r.method == "*" || r.method.eq_ignore_ascii_case(method))
            .find(|r| !r.queue.is_empty() && matches(&r.pattern, route))
            .and_then(|r| r.queue.pop_front())
    }

    pub fn pending(&self) -> usize {
        self.rules.iter().map(|r| r.queue.len()).sum()
    }
}

/// Whether `route` matches `pattern`: segment by segment, where a pattern
/// segment `{name}` matches any one segment and `*` as the last segment
/// matches the rest.
fn matches(pattern: &str, route: &str) -> bool {
    let mut p = pattern.split('/');
    let mut r = route.split('/');
    loop {
        match (p.next(), r.next()) {
            (None, None) => return true,
            (Some("*"), _) => return p.next().is_none(),
            (Some(ps), Some(rs)) if ps == rs || (ps.starts_with('{') && ps.ends_with('}')) => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    fn check(pattern: &str, route: &str, expect: bool) {
        assert_eq!(
            super::matches(pattern, route),
            expect,
            "{pattern} vs {route}"
        );
    }

    #[test]
    fn route_patterns() {
        check("/assistants", "/assistants", true);
        check("/assistants", "/assistants/x", false);
        check("/assistants/{id}", "/assistants/asst_1", true);
        check("/assistants/{id}", "/assistants", false);
        check("/assistants/{id}", "/assistants/a/b", false);
        check("/rooms/{id}/messages", "/rooms/r1/messages", true);
        check("/*", "/anything/at/all", true);
        check("/rooms/*", "/assistants/x", false);
    }

    #[test]
    fn queue_is_first_in_first_out_then_empty() {
        let mut s = super::Scripts::default();
        s.push("post", "/assistants", super::Canned::status(503));
        s.push("POST", "/assistants", super::Canned::status(429));
        assert_eq!(s.pending(), 2);
        assert_eq!(s.take("GET", "/assistants"), None);
        assert_eq!(s.take("POST", "/assistants").map(|c| c.status), Some(503));
        assert_eq!(s.take("POST", "/assistants").map(|c| c.status), Some(429));
        assert_eq!(s.take("POST", "/assistants"), None);
    }
}
