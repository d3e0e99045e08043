//! The examples of `interactor/examples/`, run against loopback servers so
//! they cannot rot: the quickstart and the room stream against the fake
//! server, the webhook receiver against signed, tampered and repeated
//! deliveries. Each example's `main` only reads the environment; the test
//! calls the function `main` calls.

// `main` of each example is not called here.
#[allow(dead_code)]
#[path = "../../interactor/examples/quickstart.rs"]
mod quickstart;
#[allow(dead_code)]
#[path = "../../interactor/examples/stream_room.rs"]
mod stream_room;
#[allow(dead_code)]
#[path = "../../interactor/examples/webhook_receiver.rs"]
mod webhook_receiver;

use std::time::{SystemTime, UNIX_EPOCH};

use interactor::Client;
use interactor::config::env;
use interactor_tests::FakeServer;
use interactor_tests::webhook::signed_headers;

/// A client configured the way the examples' `main` does, from
/// `INTERACTOR_*` variables (looked up in a table, not the process
/// environment, which tests share).
fn client_from_env(server: &FakeServer) -> Client {
    let vars = [
        (env::BASE_URL, server.base_url()),
        (env::CLIENT_ID, FakeServer::CLIENT_ID.to_string()),
        (env::CLIENT_SECRET, FakeServer::CLIENT_SECRET.to_string()),
    ];
    interactor::ClientBuilder::from_lookup(|k| {
        vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())
    })
    .expect("complete environment")
    .build()
    .expect("client")
}

#[tokio::test]
async fn quickstart_creates_a_room_and_sends_a_message() {
    let server = FakeServer::start().await;
    let client = client_from_env(&server);
    let first = quickstart::run(&client, "user_123")
        .await
        .expect("quickstart");
    assert!(first.room_id.starts_with("room_"), "{first:?}");
    // A second run reuses the assistant the first created.
    let second = quickstart::run(&client, "user_123").await.expect("again");
    assert_eq!(second.assistant_id, first.assistant_id);
    assert_ne!(second.room_id, first.room_id);
    let messages: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.route().ends_with("/messages"))
        .collect();
    assert_eq!(messages.len(), 2);
    assert!(
        messages
            .iter()
            .all(|r| r.header("idempotency-key").is_some())
    );
    assert!(
        messages
            .iter()
            .all(|r| r.header("x-namespace") == Some("user_123"))
    );
}

#[tokio::test]
async fn stream_room_prints_the_deltas_in_order() {
    let server = FakeServer::start().await;
    let client = client_from_env(&server);
    let deltas = stream_room::run(&client, "room_1", 50)
        .await
        .expect("stream");
    let expect: Vec<String> = (0..50).map(|n| n.to_string()).collect();
    assert_eq!(deltas, expect);
}

#[tokio::test]
async fn webhook_receiver_verifies_and_deduplicates() {
    let app = webhook_receiver::router(
        webhook_receiver::receiver(&["whsec_new", "whsec_old"]).expect("receiver"),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://{}/webhooks/interactor",
        listener.local_addr().expect("addr")
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    let http = reqwest::Client::new();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let body = br#"{"id":"evt_1","event":"credential.connected","timestamp":"2026-01-20T12:00:00Z","idempotency_key":"idem_1","namespace":"user_123","data":{"credential_id":"cred_1","provider":"google"}}"#;
    let send = |secret: &str, ts: u64, body: &[u8]| {
        let mut request = http.post(&url).body(body.to_vec());
        for (name, value) in signed_headers(secret, ts, "credential.connected", "dlv_1", body) {
            request = request.header(name, value);
        }
        async move {
            let resp = request.send().await.expect("send");
            (resp.status().as_u16(), resp.text().await.expect("text"))
        }
    };
    assert_eq!(
        send("whsec_new", now, body).await,
        (200, "handled idem_1".into())
    );
    // A redelivery (signed with the old secret during rotation) runs once.
    assert_eq!(
        send("whsec_old", now, body).await,
        (200, "duplicate idem_1".into())
    );
    let (status, text) = send("whsec_wrong", now, body).await;
    assert_eq!(status, 401, "{text}");
    let (status, text) = send("whsec_new", now - 600, body).await;
    assert_eq!(status, 401, "stale: {text}");
    let mut tampered = body.to_vec();
    tampered[10] ^= 1;
    let headers = signed_headers("whsec_new", now, "credential.connected", "dlv_2", body);
    let mut request = http.post(&url).body(tampered);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    assert_eq!(request.send().await.expect("send").status().as_u16(), 401);
}
