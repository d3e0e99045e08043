//! SSE with reconnection (`interactor::Client::sse`) against the fake
//! server's room stream, which drops connections at seeded random points.

use futures_util::StreamExt;
use interactor::api::events::RoomStreamEvent;
use interactor::{Client, ErrorKind};
use interactor_tests::{Canned, FakeServer};

const EVENTS: usize = 10_000;

fn client(server: &FakeServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .credentials(FakeServer::CLIENT_ID, FakeServer::CLIENT_SECRET)
        .build()
        .expect("client")
}

/// The `content` of each delta, in arrival order.
async fn contents(client: &Client, path: &str, n: usize) -> Vec<String> {
    client
        .sse(path, Some("ns"), RoomStreamEvent::decode)
        .take(n)
        .map(|event| match event.expect("event") {
            RoomStreamEvent::MessageDelta(delta) => delta.content,
            other => panic!("unexpected event {other:?}"),
        })
        .collect()
        .await
}

#[tokio::test]
async fn every_event_arrives_once_in_order_across_random_drops() {
    for seed in [1u64, 2, 3] {
        let server = FakeServer::start().await;
        let client = client(&server);
        let path = format!("/rooms/room_1/stream?events={EVENTS}&drop_seed={seed}&ids=true");
        let got = contents(&client, &path, EVENTS).await;
        let expect: Vec<String> = (0..EVENTS).map(|n| n.to_string()).collect();
        assert!(
            got == expect,
            "seed {seed}: first difference at {:?}",
            got.iter().zip(&expect).position(|(a, b)| a != b)
        );

        let streams: Vec<_> = server
            .requests()
            .into_iter()
            .filter(|r| r.route() == "/rooms/room_1/stream")
            .collect();
        assert!(
            streams.len() > 10,
            "seed {seed}: only {} connections",
            streams.len()
        );
        assert_eq!(streams[0].header("last-event-id"), None);
        for r in &streams {
            assert!(
                r.header("authorization")
                    .is_some_and(|a| a.starts_with("Bearer "))
            );
            assert!(!r.query.as_deref().unwrap_or("").contains("token"));
            assert_eq!(r.header("x-namespace"), Some("ns"));
            assert_eq!(r.header("accept"), Some("text/event-stream"));
        }
        // Every reconnection resumes after an id the client had received.
        let resumes: Vec<usize> = streams[1..]
            .iter()
            .map(|r| {
                r.header("last-event-id")
                    .and_then(|v| v.parse().ok())
                    .expect("Last-Event-ID")
            })
            .collect();
        assert!(
            resumes.windows(2).all(|w| w[0] <= w[1]),
            "seed {seed}: {resumes:?}"
        );
        assert_eq!(server.token_requests(), 1);
    }
}

#[tokio::test]
async fn a_clean_stream_is_read_whole() {
    let server = FakeServer::start().await;
    let client = client(&server);
    let got = contents(&client, "/rooms/r/stream?events=3", 3).await;
    assert_eq!(got, ["0", "1", "2"]);
    let typed: Vec<_> = client.room_events("r").take(2).collect().await;
    assert!(
        typed
            .iter()
            .all(|e| matches!(e, Ok(RoomStreamEvent::MessageDelta(_))))
    );
}

#[tokio::test]
async fn a_refused_stream_ends_with_the_error() {
    let server = FakeServer::start().await;
    let token = server.issue_token_with_scopes("assistants:read");
    let client = Client::builder()
        .base_url(server.base_url())
        .token(token)
        .build()
        .expect("client");
    let items: Vec<_> = client.room_events("r").collect().await;
    assert_eq!(items.len(), 1);
    let err = items
        .into_iter()
        .next()
        .and_then(Result::err)
        .expect("an error");
    assert_eq!((err.kind(), err.status()), (ErrorKind::Api, Some(403)));
    assert!(err.code().is_some());
    // A bad id never reaches the server.
    let items: Vec<_> = client.room_events("..").collect().await;
    assert!(matches!(&items[..], [Err(e)] if e.kind() == ErrorKind::InvalidRequest));
}

#[tokio::test]
async fn an_expired_token_is_refreshed_on_reconnect() {
    let server = FakeServer::start().await;
    let client = client(&server);
    let mut events = client.sse(
        "/rooms/r/stream?events=3000&drop_seed=9&ids=true",
        None,
        RoomStreamEvent::decode,
    );
    let mut got = Vec::new();
    while got.len() < 3000 {
        match events.next().await {
            Some(Ok(RoomStreamEvent::MessageDelta(d))) => got.push(d.content),
            other => panic!("after {} events: {other:?}", got.len()),
        }
        if got.len() == 1000 {
            server.expire_tokens();
        }
    }
    let expect: Vec<String> = (0..3000).map(|n| n.to_string()).collect();
    assert!(got == expect);
    assert_eq!(server.token_requests(), 2);
    let statuses: Vec<_> = server
        .requests()
        .iter()
        .filter(|r| r.route() == "/rooms/r/stream")
        .filter_map(|r| r.status)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        1,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn a_stream_without_ids_reports_each_gap_and_never_sends_last_event_id() {
    // The spec's streams are `resumable: false`, and so is the fake by
    // default: no `id` field, every connection starts over.
    let server = FakeServer::start().await;
    let client = client(&server);
    let items: Vec<_> = client
        .sse(
            "/rooms/r/stream?events=2000&drop_seed=4",
            None,
            RoomStreamEvent::decode,
        )
        .take(1500)
        .collect()
        .await;
    let gaps = items
        .iter()
        .filter(|i| matches!(i, Err(e) if e.kind() == ErrorKind::StreamGap))
        .count();
    assert!(gaps >= 1, "no gap reported in {} items", items.len());
    let events = items.iter().filter(|i| i.is_ok()).count();
    assert_eq!(events + gaps, items.len(), "only events and gaps");
    // After each gap the stream starts over at event 0.
    for (i, item) in items.iter().enumerate().skip(1) {
        if items[i - 1].is_err() {
            assert!(
                matches!(item, Ok(RoomStreamEvent::MessageDelta(d)) if d.content == "0"),
                "item {i} after a gap: {item:?}"
            );
        }
    }
    let streams: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.route() == "/rooms/r/stream")
        .collect();
    assert_eq!(streams.len(), gaps + 1);
    assert!(streams.iter().all(|r| r.header("last-event-id").is_none()));
}

#[tokio::test]
async fn an_event_past_the_size_limit_ends_the_stream_with_an_error_naming_it() {
    let server = FakeServer::start().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .credentials(FakeServer::CLIENT_ID, FakeServer::CLIENT_SECRET)
        .max_sse_event_size(1024)
        .build()
        .expect("client");
    let mut body = b"event: message.delta\ndata: {\"content\": \"ok\"}\n\ndata: ".to_vec();
    body.extend(std::iter::repeat_n(b'x', 4096));
    server.script(
        "GET",
        "/rooms/{id}/stream",
        Canned::raw(200, body).header("content-type", "text/event-stream"),
    );
    let items: Vec<_> = client.room_events("r").collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(&items[0], Ok(RoomStreamEvent::MessageDelta(d)) if d.content == "ok"));
    let err = items[1].as_ref().expect_err("the limit");
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.message().contains("1024-byte limit"), "{err}");
    // The stream ended: no reconnection.
    let streams = server
        .requests()
        .iter()
        .filter(|r| r.route() == "/rooms/r/stream")
        .count();
    assert_eq!(streams, 1);
}
