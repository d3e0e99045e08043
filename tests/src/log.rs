//! The request log: every request the server received, as received.

/// One request, recorded before any handling (scripts included).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// Upper-case HTTP method.
    pub method: String,
    /// The path exactly as sent on the request line: percent-encoding kept,
    /// prefix (`/api/v1`) included.
    pub path: String,
    /// The raw query string, without `?`, if any.
    pub query: Option<String>,
    /// Header names (lower case) and values, in the order received. Values
    /// that are not UTF-8 are decoded lossily.
    pub headers: Vec<(String, String)>,
    /// The request body.
    pub body: Vec<u8>,
    /// The `X-Request-Id` the server answered with.
    pub request_id: String,
    /// The status the server answered with; `None` while it is answering.
    pub status: Option<u16>,
}

impl RecordedRequest {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of header `name` (any case).
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The path without the server's `/api/v1` prefix, still raw.
    pub fn route(&self) -> &str {
        self.path
            .strip_prefix(crate::FakeServer::PREFIX)
            .unwrap_or(&self.path)
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// Decoded query parameters, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let q = self.query.as_deref().unwrap_or("");
        form_urlencoded::parse(q.as_bytes()).into_owned().collect()
    }
}
