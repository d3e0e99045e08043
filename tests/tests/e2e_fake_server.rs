//! The fake server itself, below any SDK: hostile input over raw HTTP, the
//! envelope fallbacks, and the `fake-interactor` binary that the TypeScript
//! and Python suites start.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use interactor_tests::FakeServer;
use reqwest::StatusCode;
use serde_json::Value;

/// Sends `method path` with `body` and the given headers; returns status,
/// `X-Request-Id` and the body as JSON (`Null` when empty).
async fn send(
    server: &FakeServer,
    method: &str,
    route: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (StatusCode, String, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{route}", server.base_url()))
        .body(body.to_vec());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("send");
    let status = response.status();
    let id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = response.bytes().await.expect("body");
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("JSON body")
    };
    (status, id, json)
}

/// Bad bodies get an envelope (400 unreadable, 422 invalid), never a crash.
#[tokio::test]
async fn malformed_bodies_get_error_envelopes() {
    let server = FakeServer::start().await;
    let token = format!("Bearer {}", server.issue_token());
    let auth = [
        ("authorization", token.as_str()),
        ("content-type", "application/json"),
    ];
    let cases: &[(&[u8], u16, &str)] = &[
        (b"", 400, "API_ERROR"),
        (b"{", 400, "API_ERROR"),
        (b"\xff\xfe", 400, "API_ERROR"),
        (b"[]", 422, "VALIDATION_ERROR"),
        (b"null", 422, "VALIDATION_ERROR"),
        (b"\"x\"", 422, "VALIDATION_ERROR"),
        (b"{}", 422, "VALIDATION_ERROR"),
        (
            br#"{"name": 1, "model": "m", "system_prompt": "s"}"#,
            422,
            "VALIDATION_ERROR",
        ),
        (
            br#"{"name": "n", "model": "m", "system_prompt": "s", "tools": ["tool_x"]}"#,
            422,
            "VALIDATION_ERROR",
        ),
        (
            br#"{"name": "n", "model": "m", "system_prompt": "s", "max_tokens": 0}"#,
            422,
            "VALIDATION_ERROR",
        ),
    ];
    for (body, status, code) in cases {
        let (got, id, json) = send(&server, "POST", "/assistants", &auth, body).await;
        let shown = String::from_utf8_lossy(body);
        assert_eq!(got.as_u16(), *status, "{shown}: {json}");
        assert_eq!(json["error"]["code"], *code, "{shown}");
        assert_eq!(json["error"]["request_id"], id.as_str(), "{shown}");
    }
    // Still serving, and nothing was created.
    let (status, _, json) = send(&server, "GET", "/assistants", &auth, b"").await;
    assert_eq!(
        (status, &json["meta"]["total"]),
        (StatusCode::OK, &Value::from(0))
    );
}

/// Query, header and route problems are envelopes too.
#[tokio::test]
async fn other_bad_requests_get_error_envelopes() {
    let server = FakeServer::start().await;
    let token = format!("Bearer {}", server.issue_token());
    let auth = [("authorization", token.as_str())];
    let empty_ns = [("authorization", token.as_str()), ("x-namespace", "")];
    let not_bearer = [("authorization", "Basic dXNlcjpwYXNz")];
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], u16, &'a str);
    let cases: &[Case] = &[
        (
            "GET",
            "/assistants?per_page=0",
            &auth,
            400,
            "VALIDATION_ERROR",
        ),
        (
            "GET",
            "/assistants?per_page=101",
            &auth,
            400,
            "VALIDATION_ERROR",
        ),
        ("GET", "/assistants?page=x", &auth, 400, "VALIDATION_ERROR"),
        ("GET", "/assistants", &empty_ns, 400, "VALIDATION_ERROR"),
        ("GET", "/assistants", &not_bearer, 401, "AUTH_ERROR"),
        ("GET", "/assistants/%FF", &auth, 400, "API_ERROR"),
        ("GET", "/nowhere", &auth, 404, "NOT_FOUND"),
        ("GET", "/assistants/a/b", &auth, 404, "NOT_FOUND"),
        ("PUT", "/assistants", &auth, 405, "API_ERROR"),
        ("POST", "/oauth/token", &[], 400, "API_ERROR"),
        (
            "GET",
            "/rooms/room_x/messages?order=sideways",
            &auth,
            404,
            "NOT_FOUND",
        ),
    ];
    for (method, route, headers, status, code) in cases {
        let (got, id, json) = send(&server, method, route, headers, b"").await;
        assert_eq!(got.as_u16(), *status, "{method} {route}: {json}");
        assert_eq!(json["error"]["code"], *code, "{method} {route}");
        assert_eq!(json["error"]["request_id"], id.as_str(), "{method} {route}");
    }
}

/// The token grant types and their failures, data-driven.
#[tokio::test]
async fn token_grants() {
    let server = FakeServer::start().await;
    let json = [("content-type", "application/json")];
    let good = r#"{"grant_type": "client_credentials", "client_id": "client_test", "client_secret": "secret_test"}"#;
    let (status, _, issued) = send(&server, "POST", "/oauth/token", &json, good.as_bytes()).await;
    assert_eq!(status, StatusCode::OK);
    let refresh = issued["data"]["refresh_token"]
        .as_str()
        .expect("refresh token")
        .to_string();
    let refresh_body = format!(
        r#"{{"grant_type": "refresh_token", "client_id": "client_test", "refresh_token": "{refresh}"}}"#
    );

    let cases: &[(&str, u16)] = &[
        (&refresh_body, 200),
        // A refresh token is used once.
        (&refresh_body, 401),
        (r#"{"grant_type": "password"}"#, 400),
        (
            r#"{"grant_type": "client_credentials", "client_id": "client_test"}"#,
            400,
        ),
        (
            r#"{"grant_type": "client_credentials", "client_id": "x", "client_secret": "secret_test"}"#,
            401,
        ),
        (
            r#"{"grant_type": "client_credentials", "client_id": "client_test", "client_secret": "secret_test", "scope": "root"}"#,
            400,
        ),
    ];
    for (body, status) in cases {
        let (got, _, json) = send(&server, "POST", "/oauth/token", &json, body.as_bytes()).await;
        assert_eq!(got.as_u16(), *status, "{body}: {json}");
    }
    assert_eq!(server.token_requests(), 1 + cases.len());

    // Revocation makes the token fail.
    let token = issued["data"]["access_token"]
        .as_str()
        .expect("access token");
    let bearer = format!("Bearer {token}");
    let (status, _, _) = send(
        &server,
        "GET",
        "/assistants",
        &[("authorization", &bearer)],
        b"",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let revoke = format!(
        r#"{{"token": "{token}", "client_id": "client_test", "client_secret": "secret_test"}}"#
    );
    let (status, _, body) = send(&server, "POST", "/oauth/revoke", &json, revoke.as_bytes()).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, _, _) = send(
        &server,
        "GET",
        "/assistants",
        &[("authorization", &bearer)],
        b"",
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// The binary prints where it listens, serves the API there, and runs until
/// killed.
#[test]
fn binary_prints_its_address_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-interactor"))
        .args(["--port", "0", "--client-id", "cid"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start fake-interactor");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the first line");
    let result = std::panic::catch_unwind(|| {
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected line {line:?}"));
        let mut stream = TcpStream::connect(addr).expect("connect");
        let body = r#"{"grant_type":"client_credentials","client_id":"cid","client_secret":"secret_test"}"#;
        let request = format!(
            "POST /api/v1/oauth/token HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).expect("write");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(
            response
                .to_ascii_lowercase()
                .contains("\r\nx-request-id: req_"),
            "{response}"
        );
        assert!(response.contains("\"token_type\":\"Bearer\""), "{response}");
    });
    child.kill().expect("kill the child we started");
    let _ = child.wait();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
