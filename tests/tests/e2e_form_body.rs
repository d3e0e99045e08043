//! A nested `application/x-www-form-urlencoded` body as a generated Rust
//! client sends it (the rust-engine snapshot's `createCharge`, Stripe's
//! pattern: `metadata` an object, `expand` an array), read back by a
//! loopback server: the fields the TypeScript and Python SDKs send for the
//! same value (`tests/data/form-bodies.json` rules, the spec's `encoding`
//! styles included), where progenitor's serde_urlencoded refused the body.

use interactor_tests::loopback;
use snapshot_rust_engine::hooks::Hooks;
use snapshot_rust_engine::{Client, types};

#[tokio::test]
async fn nested_fields_are_sent_in_brackets() {
    let (listener, base) = loopback::bind().await;
    let server = tokio::spawn(async move { loopback::answer_once(&listener, loopback::SERVER_ERROR).await });
    let client = Client::new_with_client(&base, reqwest::Client::new(), Hooks::default());
    let mut body = types::CreateChargeBody::new(2000);
    body.expand = vec!["customer".to_owned(), "invoice".to_owned()];
    body.metadata.insert("order id".to_owned(), "6735/a".to_owned());
    let result = client.create_charge().body(body).send().await;
    assert!(result.is_err(), "the server answers 500");
    let request = server.await.expect("server");
    let (head, body) = (request.head.to_ascii_lowercase(), String::from_utf8(request.body).expect("a url-encoded body is ASCII"));
    assert!(head.starts_with("post /form "), "{head}");
    assert!(head.contains("content-type: application/x-www-form-urlencoded"), "{head}");
    // `expand` and `metadata` have `encoding: {style: deepObject}`: Stripe's `expand[0]`.
    assert_eq!(body, "amount=2000&expand%5B0%5D=customer&expand%5B1%5D=invoice&metadata%5Border+id%5D=6735%2Fa");
}
