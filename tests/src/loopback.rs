//! A one-request raw HTTP/1.1 server on loopback, for the end-to-end tests
//! that must see a generated client's request byte for byte (the request
//! line's exact encoding, a multipart body that is not UTF-8), which a
//! server framework would decode first, and answer with exact bytes.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Request {
    /// The request head, up to the blank line, as sent.
    pub head: String,
    /// The body (`Content-Length` bytes).
    pub body: Vec<u8>,
}

impl Request {
    /// The request line (`GET /v1/things?a=1 HTTP/1.1`).
    pub fn line(&self) -> &str {
        self.head.lines().next().unwrap_or_default()
    }

    /// The request target (`/v1/things?a=1`).
    pub fn target(&self) -> &str {
        self.line().split(' ').nth(1).unwrap_or_default()
    }
}

/// Binds a listener on `127.0.0.1`; returns it and its `http://` address.
pub async fn bind() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("the listener's address"));
    (listener, base)
}

/// Accepts one connection, reads one request (head and `Content-Length`
/// body), answers `reply` as is and returns the request.
pub async fn answer_once(listener: &TcpListener, reply: &[u8]) -> Request {
    let (mut socket, _) = listener.accept().await.expect("accept");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let (head_end, length) = loop {
        let n = socket.read(&mut chunk).await.expect("read");
        assert!(n > 0, "the connection closed before the request head ended");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]);
            let length = head
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
                .unwrap_or(0);
            break (end, length);
        }
    };
    while buf.len() < head_end + 4 + length {
        let n = socket.read(&mut chunk).await.expect("read");
        assert!(n > 0, "the connection closed before the request body ended");
        buf.extend_from_slice(&chunk[..n]);
    }
    socket.write_all(reply).await.expect("write");
    Request {
        head: String::from_utf8_lossy(&buf[..head_end]).into_owned(),
        body: buf[head_end + 4..head_end + 4 + length].to_vec(),
    }
}

/// A `500` with no body; the connection closes after it.
pub const SERVER_ERROR: &[u8] = b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

/// An HTTP/1.1 response with `status` (`200 OK`) and, unless empty, a JSON
/// body; the connection closes after it.
pub fn json_reply(status: &str, body: &str) -> Vec<u8> {
    json_reply_with(status, "", body)
}

/// [`json_reply`] with more header lines, each ending in `\r\n`
/// (`"retry-after: 3\r\n"`).
pub fn json_reply_with(status: &str, headers: &str, body: &str) -> Vec<u8> {
    let kind = if body.is_empty() { "" } else { "content-type: application/json\r\n" };
    format!("HTTP/1.1 {status}\r\n{kind}{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}", body.len()).into_bytes()
}
