//! Responses without a body beside typed ones of the same group, as a
//! generated Rust client returns them (`codegen::rust::empty`): the
//! edge-cases snapshot's `getThing` (200 `Thing` or 202 without a body;
//! 404 `Problem` or 409 without one) and `createThing` (201 `Thing` or 204),
//! answered by a loopback server. The typed codes parse into `Some`, the
//! empty ones are `None`, and an empty body on a typed code is still an
//! error, as before.

use snapshot_edge_cases::hooks::Hooks;
use snapshot_edge_cases::{Client, Error, types};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Accepts one connection and answers it with `status` and `body` (JSON
/// when there is one); returns the request line.
async fn answer(listener: &tokio::net::TcpListener, status: &str, body: &str) -> String {
    let (mut socket, _) = listener.accept().await.expect("accept");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = socket.read(&mut chunk).await.expect("read");
        assert!(n > 0, "the connection closed before the request head ended");
        buf.extend_from_slice(&chunk[..n]);
    }
    let kind = if body.is_empty() { "" } else { "content-type: application/json\r\n" };
    let reply = format!("HTTP/1.1 {status}\r\n{kind}content-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
    socket.write_all(reply.as_bytes()).await.expect("write");
    let head = String::from_utf8(buf).expect("an ASCII request head");
    head.lines().next().expect("a request line").to_owned()
}

/// Serves one answer to what `send` sends; returns `send`'s result.
async fn with_answer<T>(status: &str, body: &str, send: impl AsyncFnOnce(Client) -> T) -> T {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}/v1", listener.local_addr().expect("address"));
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let (line, out) = tokio::join!(answer(&listener, status, body), send(client));
    assert!(line.starts_with("GET /v1/things/t1 ") || line.starts_with("POST /v1/things "), "{line}");
    out
}

const THING: &str = r#"{"id":"t1","kind":"thing","shape":{"type":"circle","radius":1.0}}"#;

#[tokio::test]
async fn a_typed_success_is_some() {
    let got = with_answer("200 OK", THING, async |c| c.get_thing().id("t1").send().await).await.expect("200");
    assert_eq!(got.status(), 200);
    let thing: Option<types::Thing> = got.into_inner();
    assert_eq!(thing.expect("a thing").id, "t1");
}

#[tokio::test]
async fn an_empty_success_is_none() {
    let got = with_answer("202 Accepted", "", async |c| c.get_thing().id("t1").send().await).await.expect("202");
    assert_eq!(got.status(), 202);
    assert!(got.into_inner().is_none());
}

#[tokio::test]
async fn a_typed_error_is_some() {
    let err = with_answer("404 Not Found", r#"{"code":"missing"}"#, async |c| c.get_thing().id("t1").send().await).await.expect_err("404");
    let Error::ErrorResponse(problem) = err else { panic!("not an error response: {err}") };
    assert_eq!(problem.status(), 404);
    let problem: Option<types::Problem> = problem.into_inner();
    assert_eq!(problem.expect("a problem").code, "missing");
}

#[tokio::test]
async fn an_empty_error_is_none() {
    let err = with_answer("409 Conflict", "", async |c| c.get_thing().id("t1").send().await).await.expect_err("409");
    let Error::ErrorResponse(problem) = err else { panic!("not an error response: {err}") };
    assert_eq!(problem.status(), 409);
    assert!(problem.into_inner().is_none());
}

#[tokio::test]
async fn an_empty_body_on_a_typed_code_is_still_an_error() {
    let err = with_answer("200 OK", "", async |c| c.get_thing().id("t1").send().await).await.expect_err("200 without a body");
    assert!(matches!(err, Error::InvalidResponsePayload(..)), "{err}");
}

#[tokio::test]
async fn create_answers_some_or_none() {
    let body = || serde_json::from_str::<types::Thing>(THING).expect("a thing");
    let created = with_answer("201 Created", THING, async |c| c.create_thing().body(body()).send().await).await.expect("201");
    assert_eq!(created.into_inner().map(|t| t.id).as_deref(), Some("t1"));
    let existed = with_answer("204 No Content", "", async |c| c.create_thing().body(body()).send().await).await.expect("204");
    assert!(existed.into_inner().is_none());
}
