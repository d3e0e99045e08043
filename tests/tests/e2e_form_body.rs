//! A nested `application/x-www-form-urlencoded` body as a generated Rust
//! client sends it (the rust-engine snapshot's `createCharge`, Stripe's
//! pattern: `metadata` an object, `expand` an array), read back by a
//! loopback server: the fields the TypeScript and Python SDKs send for the
//! same value (`tests/data/form-bodies.json` rules, the spec's `encoding`
//! styles included), where progenitor's serde_urlencoded refused the body.

use snapshot_rust_engine::hooks::Hooks;
use snapshot_rust_engine::{Client, types};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Accepts one connection, reads one request (head and `Content-Length`
/// body), answers 500 and returns (head, body).
async fn one_request(listener: tokio::net::TcpListener) -> (String, String) {
    let (mut socket, _) = listener.accept().await.expect("accept");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = socket.read(&mut chunk).await.expect("read");
        assert!(n > 0, "the connection closed before the request ended");
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0)))
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                socket.write_all(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await.expect("write");
                return (text[..end].to_ascii_lowercase(), text[end + 4..].to_owned());
            }
        }
    }
}

#[tokio::test]
async fn nested_fields_are_sent_in_brackets() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let server = tokio::spawn(one_request(listener));
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let mut body = types::CreateChargeBody::new(2000);
    body.expand = vec!["customer".to_owned(), "invoice".to_owned()];
    body.metadata.insert("order id".to_owned(), "6735/a".to_owned());
    let result = client.create_charge().body(body).send().await;
    assert!(result.is_err(), "the server answers 500");
    let (head, body) = server.await.expect("server");
    assert!(head.starts_with("post /form "), "{head}");
    assert!(head.contains("content-type: application/x-www-form-urlencoded"), "{head}");
    // `expand` and `metadata` have `encoding: {style: deepObject}`: Stripe's `expand[0]`.
    assert_eq!(body, "amount=2000&expand%5B0%5D=customer&expand%5B1%5D=invoice&metadata%5Border+id%5D=6735%2Fa");
}
