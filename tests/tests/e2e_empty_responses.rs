//! Responses without a body beside typed ones of the same group, as a
//! generated Rust client returns them (`codegen::rust::empty`): the
//! edge-cases snapshot's `getThing` (200 `Thing` or 202 without a body;
//! 404 `Problem` or 409 without one) and `createThing` (201 `Thing` or 204),
//! answered by a loopback server. The typed codes parse into `Some`, the
//! empty ones are `None`, and an empty body on a typed code is still an
//! error, as before.

use interactor_tests::loopback;
use snapshot_edge_cases::hooks::Hooks;
use snapshot_edge_cases::{Client, Error, types};

/// Serves one answer, `status` with `body` (JSON unless empty), to what
/// `send` sends; returns `send`'s result.
async fn with_answer<T>(status: &str, body: &str, send: impl AsyncFnOnce(Client) -> T) -> T {
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&format!("{base}/v1"), reqwest::Client::new(), Hooks::default());
    let reply = loopback::json_reply(status, body);
    let (request, out) = tokio::join!(loopback::answer_once(&listener, &reply), send(client));
    let line = request.line();
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
