//! How a generated client reads a response body: `codegen::rust::send`
//! replaces progenitor's `ResponseValue::from_response` with the crate's
//! `hooks::read_body` and `hooks::json_response`, which must answer what
//! it answered, error for error. The edge-cases snapshot's `getThing`
//! (200 `Thing`, 404 `Problem`) against one loopback answer each.

use interactor_tests::loopback;
use snapshot_edge_cases::hooks::Hooks;
use snapshot_edge_cases::{Client, Error, ResponseValue, types};

type Got = Result<ResponseValue<Option<types::Thing>>, Error<Option<types::Problem>>>;

/// Answers `getThing` with `reply`, bytes as they are.
async fn get_thing(reply: &[u8]) -> Got {
    let (listener, base) = loopback::bind().await;
    let client = Client::new_with_client(&format!("{base}/v1"), reqwest::Client::new(), Hooks::default());
    let (request, out) = tokio::join!(loopback::answer_once(&listener, reply), client.get_thing().id("t1").send());
    assert!(request.line().starts_with("GET /v1/things/t1 "), "{}", request.line());
    out
}

const THING: &str = r#"{"id":"t1","kind":"thing","shape":{"type":"circle","radius":1.0}}"#;

#[tokio::test]
async fn a_typed_success_keeps_its_status_and_headers() {
    let got = get_thing(&loopback::json_reply_with("200 OK", "x-request-id: req-7\r\n", THING)).await.expect("200");
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers().get("x-request-id").map(|v| v.to_str().ok()), Some(Some("req-7")));
    assert_eq!(got.into_inner().expect("a thing").id, "t1");
}

#[tokio::test]
async fn a_typed_error_keeps_its_status_and_headers() {
    let err = get_thing(&loopback::json_reply_with("404 Not Found", "retry-after: 3\r\n", r#"{"code":"missing"}"#)).await.expect_err("404");
    let Error::ErrorResponse(problem) = err else { panic!("not an error response: {err}") };
    assert_eq!(problem.status(), 404);
    assert_eq!(problem.headers().get("retry-after").map(|v| v.as_bytes()), Some(&b"3"[..]));
    assert_eq!(problem.into_inner().expect("a problem").code, "missing");
}

#[tokio::test]
async fn a_body_that_does_not_parse_is_kept_whole_in_the_error() {
    let body = r#"{"id": 7, "kind": "thing"}"#;
    let err = get_thing(&loopback::json_reply_with("200 OK", "", body)).await.expect_err("a number for a string");
    let Error::InvalidResponsePayload(bytes, e) = err else { panic!("not an invalid payload: {err}") };
    assert_eq!(&bytes[..], body.as_bytes());
    assert!(e.to_string().contains("invalid type: integer `7`, expected a string"), "{e}");
}

#[tokio::test]
async fn an_error_body_that_does_not_parse_is_an_invalid_payload_too() {
    let err = get_thing(&loopback::json_reply_with("404 Not Found", "", r#"{"code": ["a"]}"#)).await.expect_err("404 misfit");
    assert!(matches!(&err, Error::InvalidResponsePayload(bytes, _) if &bytes[..] == br#"{"code": ["a"]}"#), "{err}");
}

#[tokio::test]
async fn a_body_cut_short_is_a_body_error() {
    // Promises 200 bytes, sends 13, closes.
    let cut = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 200\r\nconnection: close\r\n\r\n{\"id\":\"t1\",\"";
    let err = get_thing(cut).await.expect_err("cut short");
    assert!(matches!(err, Error::ResponseBodyError(_)), "{err}");
}

#[tokio::test]
async fn a_status_the_spec_does_not_list_is_unread() {
    let err = get_thing(&loopback::json_reply_with("418 I'm a teapot", "", r#"{"tea":true}"#)).await.expect_err("418");
    let Error::UnexpectedResponse(response) = err else { panic!("not unexpected: {err}") };
    assert_eq!(response.status(), 418);
    assert_eq!(response.text().await.expect("the body is still there"), r#"{"tea":true}"#);
}
