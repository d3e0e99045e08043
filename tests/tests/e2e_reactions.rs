//! Properties and enum values `+1` and `-1` (GitHub's reactions), and enum
//! values told apart by punctuation only (Jira's `created`, `-created`,
//! `+created`; `=`, `!=`, `>=`), as a generated Rust client sends and reads
//! them: the rust-engine snapshot's `getReactions`, answered by a loopback
//! server. typify names `+1` and `-1` `plus1` and `minus1`, so the
//! normalizer keeps them typed; the other values get variants named after
//! their spelled-out punctuation (`MinusCreated`, `NotEq`) and keep their
//! wire text (`normalize::names`, `rust::wire_values`). Before, `-1` was
//! moved into an untyped additional-properties map and these enums were
//! plain strings.

use snapshot_rust_engine::hooks::Hooks;
use snapshot_rust_engine::{Client, types};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BODY: &str = r#"{"total_count":3,"+1":2,"-1":1,"content":"-1","operator":"!="}"#;

/// Accepts one connection and answers it with [`BODY`]; returns the request line.
async fn answer(listener: tokio::net::TcpListener) -> String {
    let (mut socket, _) = listener.accept().await.expect("accept");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = socket.read(&mut chunk).await.expect("read");
        assert!(n > 0, "the connection closed before the request head ended");
        buf.extend_from_slice(&chunk[..n]);
    }
    let reply = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{BODY}", BODY.len());
    socket.write_all(reply.as_bytes()).await.expect("write");
    String::from_utf8(buf).expect("ASCII").lines().next().expect("a request line").to_owned()
}

#[tokio::test]
async fn plus_one_and_minus_one_are_typed_fields_and_variants() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let server = tokio::spawn(answer(listener));
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let rollup = client.get_reactions().order(types::GetReactionsOrder::MinusCreated).send().await.expect("200").into_inner();
    assert!(server.await.expect("server").starts_with("GET /reactions?order=-created "));
    assert_eq!((rollup.total_count, rollup.plus1, rollup.minus1), (3, 2, 1));
    assert_eq!(rollup.content, Some(types::ReactionRollupContent::Minus1));
    assert_eq!(types::ReactionRollupContent::Plus1.to_string(), "+1");
    assert_eq!(rollup.operator, Some(types::ReactionRollupOperator::NotEq));
    let spelled = [types::ReactionRollupOperator::Eq, types::ReactionRollupOperator::GtEq, types::ReactionRollupOperator::NotIn];
    assert_eq!(spelled.map(|o| o.to_string()), ["=", ">=", "not in"]);
    assert_eq!("+created".parse::<types::GetReactionsOrder>().ok(), Some(types::GetReactionsOrder::PlusCreated));
    // And back to the wire names.
    let again = serde_json::to_value(&rollup).expect("serializes");
    assert_eq!(again, serde_json::from_str::<serde_json::Value>(BODY).expect("JSON"));
}
