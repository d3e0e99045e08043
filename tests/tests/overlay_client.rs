//! The overlay client (`interactor::Client`) against the fake server:
//! token single flight and refresh, retries (429, 503, budget), idempotency
//! keys, the default namespace, routing of the OAuth endpoints, errors and
//! redaction.

use std::time::Duration;

use interactor::api::types;
use interactor::retry::RetryConfig;
use interactor::{Client, ClientBuilder, ErrorKind};
use interactor_tests::{Canned, FakeServer, RecordedRequest};

fn builder(server: &FakeServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.base_url())
        .credentials(FakeServer::CLIENT_ID, FakeServer::CLIENT_SECRET)
        .retry(
            RetryConfig::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(20)),
        )
}

fn client(server: &FakeServer) -> Client {
    builder(server).build().expect("client")
}

/// Requests to `route` (relative to the base URL) with `method`.
fn sent(server: &FakeServer, method: &str, route: &str) -> Vec<RecordedRequest> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.method == method && r.route() == route)
        .collect()
}

fn create_request(name: &str) -> types::CreateAssistantRequest {
    types::CreateAssistantRequest::builder()
        .name(name)
        .model("gpt-4")
        .system_prompt("You are terse.")
        .try_into()
        .expect("valid request")
}

/// `?` converts the generated error into `interactor::Error`.
async fn create(client: &Client, ns: &str, name: &str) -> Result<String, interactor::Error> {
    let created = client
        .assistants()
        .create()
        .x_namespace(ns)
        .body(create_request(name))
        .send()
        .await?;
    Ok(created.into_inner().data.id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cold_cache_fetches_one_token_for_a_thousand_calls() {
    let server = FakeServer::start().await;
    let client = client(&server);
    let calls = (0..1000).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .assistants()
                .list()
                .x_namespace("ns")
                .send()
                .await
                .map(|r| r.status().as_u16())
                .map_err(interactor::Error::from)
        })
    });
    let mut ok = 0;
    for call in calls.collect::<Vec<_>>() {
        let status = call.await.expect("join").expect("list");
        assert_eq!(status, 200);
        ok += 1;
    }
    assert_eq!((ok, server.token_requests()), (1000, 1));
    let token_bodies: Vec<_> = sent(&server, "POST", "/oauth/token")
        .iter()
        .filter_map(RecordedRequest::json)
        .collect();
    assert_eq!(token_bodies.len(), 1);
    assert_eq!(token_bodies[0]["grant_type"], "client_credentials");
    // The token travels in the header only, never in a URL.
    let lists = sent(&server, "GET", "/assistants");
    assert!(lists.iter().all(|r| {
        r.header("authorization")
            .is_some_and(|a| a.starts_with("Bearer "))
            && !r.query.as_deref().unwrap_or("").contains("token")
    }));
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_succeeds() {
    let server = FakeServer::start().await;
    let client = client(&server);
    create(&client, "ns", "first").await.expect("first call");
    server.expire_tokens();
    let id = create(&client, "ns", "second")
        .await
        .expect("after refresh");
    assert!(!id.is_empty());
    let statuses: Vec<_> = sent(&server, "POST", "/assistants")
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [Some(201), Some(401), Some(201)]);
    assert_eq!(server.token_requests(), 2);
}

#[tokio::test]
async fn a_401_with_a_fresh_token_is_returned_after_one_refresh() {
    let server = FakeServer::start().await;
    let client = client(&server);
    for _ in 0..2 {
        server.script(
            "GET",
            "/assistants",
            Canned::error(401, "UNAUTHORIZED", "no"),
        );
    }
    let err = interactor::Error::from(
        client
            .assistants()
            .list()
            .x_namespace("ns")
            .send()
            .await
            .expect_err("401"),
    );
    assert_eq!((err.kind(), err.status()), (ErrorKind::Auth, Some(401)));
    assert_eq!(sent(&server, "GET", "/assistants").len(), 2);
    assert_eq!(server.token_requests(), 2);
}

#[tokio::test]
async fn static_tokens_are_sent_as_is() {
    let server = FakeServer::start().await;
    let token = server.issue_token();
    let client = Client::builder()
        .base_url(server.base_url())
        .token(token.clone())
        .build()
        .expect("client");
    client
        .assistants()
        .list()
        .x_namespace("ns")
        .send()
        .await
        .expect("list");
    let lists = sent(&server, "GET", "/assistants");
    assert_eq!(
        lists[0].header("authorization"),
        Some(format!("Bearer {token}").as_str())
    );
    assert_eq!(server.token_requests(), 0);
    assert!(!format!("{client:?}").contains(&token));
}

/// Scripts `canned` on `GET /assistants`, lists once; returns the statuses
/// the server sent and whether the call succeeded.
async fn list_after(
    canned: Vec<Canned>,
    retry: RetryConfig,
) -> (Vec<Option<u16>>, Result<(), interactor::Error>) {
    let server = FakeServer::start().await;
    let client = builder(&server).retry(retry).build().expect("client");
    for c in canned {
        server.script("GET", "/assistants", c);
    }
    let result = client
        .assistants()
        .list()
        .x_namespace("ns")
        .send()
        .await
        .map(|_| ())
        .map_err(interactor::Error::from);
    let statuses = sent(&server, "GET", "/assistants")
        .iter()
        .map(|r| r.status)
        .collect();
    (statuses, result)
}

fn fast() -> RetryConfig {
    RetryConfig::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

#[tokio::test]
async fn retries_follow_the_status_sequence() {
    /// Scripted answers, the statuses the server sends, success.
    type Case = (Vec<Canned>, &'static [Option<u16>], bool);
    let cases: Vec<Case> = vec![
        (
            vec![Canned::rate_limited(1).header("retry-after-ms", "20")],
            &[Some(429), Some(200)],
            true,
        ),
        (
            vec![Canned::unavailable(0), Canned::unavailable(0)],
            &[Some(503), Some(503), Some(200)],
            true,
        ),
        (
            vec![Canned::status(502), Canned::status(504)],
            &[Some(502), Some(504), Some(200)],
            true,
        ),
        (
            vec![
                Canned::unavailable(0),
                Canned::unavailable(0),
                Canned::unavailable(0),
            ],
            &[Some(503), Some(503), Some(503)],
            false,
        ),
        (
            vec![Canned::error(500, "API_ERROR", "boom")],
            &[Some(500)],
            false,
        ),
        (
            vec![Canned::error(404, "NOT_FOUND", "gone")],
            &[Some(404)],
            false,
        ),
    ];
    for (canned, expect, ok) in cases {
        let (statuses, result) = list_after(canned, fast()).await;
        assert_eq!(
            (statuses.as_slice(), result.is_ok()),
            (expect, ok),
            "{result:?}"
        );
    }
}

#[tokio::test]
async fn retry_after_ms_is_honoured_and_capped() {
    let started = std::time::Instant::now();
    let (statuses, result) = list_after(
        vec![Canned::rate_limited(30)],
        fast().max_retry_after(Duration::from_millis(50)),
    )
    .await;
    assert!(result.is_ok());
    assert_eq!(statuses, [Some(429), Some(200)]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "Retry-After: 30 was not capped"
    );
}

#[tokio::test]
async fn giving_up_returns_the_last_error_with_its_headers() {
    let (_, result) = list_after(vec![Canned::rate_limited(0); 3], fast()).await;
    let err = result.expect_err("429s");
    assert_eq!(
        (err.kind(), err.status(), err.code(), err.is_retryable()),
        (ErrorKind::Api, Some(429), Some("RATE_LIMITED"), true)
    );
    assert_eq!(err.rate_limit().remaining, Some(0));
    assert_eq!(err.retry_after(), Some(Duration::ZERO));
    assert!(err.request_id().is_some_and(|id| id.starts_with("req_")));
}

#[tokio::test]
async fn a_patch_without_idempotency_key_is_never_resent() {
    let server = FakeServer::start().await;
    let client = client(&server);
    let id = create(&client, "ns", "a").await.expect("create");
    server.script("PATCH", "/assistants/{id}", Canned::unavailable(0));
    let body: types::UpdateAssistantRequest = types::UpdateAssistantRequest::builder()
        .name(Some("b".to_string()))
        .try_into()
        .expect("body");
    let err = client
        .assistants()
        .update()
        .assistant_id(&id)
        .x_namespace("ns")
        .body(body)
        .send()
        .await
        .expect_err("503");
    assert_eq!(interactor::Error::from(err).status(), Some(503));
    let patches = sent(&server, "PATCH", &format!("/assistants/{id}"));
    assert_eq!(patches.len(), 1);
    assert_eq!(patches[0].header("idempotency-key"), None);
}

#[tokio::test]
async fn a_retried_post_carries_the_same_idempotency_key() {
    let server = FakeServer::start().await;
    let client = client(&server);
    server.script("POST", "/assistants", Canned::unavailable(0));
    server.script("POST", "/assistants", Canned::status(502));
    create(&client, "ns", "a").await.expect("create");
    let keys: Vec<String> = sent(&server, "POST", "/assistants")
        .iter()
        .map(|r| r.header("idempotency-key").unwrap_or("").to_string())
        .collect();
    assert_eq!(keys.len(), 3);
    assert!(keys.iter().all(|k| k == &keys[0]), "{keys:?}");
    assert!(keys[0].len() == 32 && keys[0].bytes().all(|b| b.is_ascii_hexdigit()));

    // A key the caller sets is kept.
    server.clear_requests();
    server.script("POST", "/assistants", Canned::unavailable(0));
    client
        .assistants()
        .create()
        .x_namespace("ns")
        .idempotency_key("my-key-1")
        .body(create_request("b"))
        .send()
        .await
        .expect("create");
    let keys: Vec<_> = sent(&server, "POST", "/assistants")
        .iter()
        .map(|r| r.header("idempotency-key").map(str::to_string))
        .collect();
    assert_eq!(
        keys,
        [Some("my-key-1".to_string()), Some("my-key-1".to_string())]
    );
}

#[tokio::test]
async fn the_default_namespace_is_sent_and_a_per_call_one_wins() {
    let server = FakeServer::start().await;
    let client = builder(&server)
        .namespace("team-a")
        .build()
        .expect("client");
    client.assistants().list().send().await.expect("default");
    client
        .assistants()
        .list()
        .x_namespace("team-b")
        .send()
        .await
        .expect("override");
    let namespaces: Vec<_> = sent(&server, "GET", "/assistants")
        .iter()
        .map(|r| r.header_all("x-namespace").join(","))
        .collect();
    assert_eq!(namespaces, ["team-a", "team-b"]);
    let agents: Vec<_> = sent(&server, "GET", "/assistants")
        .iter()
        .map(|r| r.header("user-agent").unwrap_or("").to_string())
        .collect();
    assert!(
        agents.iter().all(|a| a.starts_with("interactor-rust/")),
        "{agents:?}"
    );
    // The account server gets no namespace.
    let token = &sent(&server, "POST", "/oauth/token")[0];
    assert_eq!(token.header("x-namespace"), None);
}

#[tokio::test]
async fn an_empty_budget_stops_retries() {
    let server = FakeServer::start().await;
    let client = builder(&server)
        .retry(fast().max_attempts(5))
        .retry_budget(5, 5, 0)
        .build()
        .expect("client");
    for _ in 0..4 {
        server.script("GET", "/assistants", Canned::unavailable(0));
    }
    let first = client.assistants().list().x_namespace("ns").send().await;
    let second = client.assistants().list().x_namespace("ns").send().await;
    assert!(first.is_err() && second.is_err());
    // One retry fits in the budget; then every failure is returned at once.
    assert_eq!(sent(&server, "GET", "/assistants").len(), 3);
    assert_eq!(server.pending_scripts(), 1);
}

#[tokio::test]
async fn oauth_operations_go_to_the_auth_server() {
    let server = FakeServer::start().await;
    let client = Client::builder()
        .base_url("http://127.0.0.1:9/api/v1")
        .auth_url(server.base_url())
        .credentials(FakeServer::CLIENT_ID, FakeServer::CLIENT_SECRET)
        .build()
        .expect("client");
    let jwks = client.authentication().get_jwks().send().await;
    assert!(
        jwks.is_ok(),
        "{:?}",
        jwks.map(|_| ()).map_err(interactor::Error::from)
    );
    let jwks_requests = sent(&server, "GET", "/oauth/jwks");
    assert_eq!(jwks_requests.len(), 1);
    assert_eq!(jwks_requests[0].header("authorization"), None);
}

#[tokio::test]
async fn bad_credentials_are_an_auth_error_without_secrets() {
    let server = FakeServer::start().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .credentials(FakeServer::CLIENT_ID, "wrong-secret-value")
        .build()
        .expect("client");
    let err = create(&client, "ns", "a").await.expect_err("bad secret");
    assert_eq!((err.kind(), err.status()), (ErrorKind::Auth, Some(401)));
    for text in [format!("{err}"), format!("{err:?}"), format!("{client:?}")] {
        assert!(!text.contains("wrong-secret-value"), "{text}");
    }
    assert!(sent(&server, "POST", "/assistants").is_empty());
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error() {
    let client = Client::builder()
        .base_url("http://127.0.0.1:9/api/v1")
        .token("tok-secret")
        .retry(fast().max_attempts(2))
        .build()
        .expect("client");
    let err = create(&client, "ns", "a").await.expect_err("unreachable");
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.is_retryable());
    assert!(!format!("{err} {err:?}").contains("tok-secret"));
}

#[test]
fn configuration_errors_name_what_is_missing() {
    let err = ClientBuilder::from_lookup(|_| None).expect_err("nothing set");
    assert_eq!(err.kind(), ErrorKind::Config);
    for var in [
        "INTERACTOR_CLIENT_ID",
        "INTERACTOR_CLIENT_SECRET",
        "INTERACTOR_TOKEN",
    ] {
        assert!(err.to_string().contains(var), "{err}");
    }
    let err = Client::builder().build().expect_err("no credentials");
    assert_eq!(err.kind(), ErrorKind::Config);
    let err = Client::builder()
        .token("t")
        .base_url("not a url")
        .build()
        .expect_err("bad url");
    assert_eq!(err.kind(), ErrorKind::Config);
}

#[test]
fn debug_redacts_secrets() {
    let client = Client::builder()
        .credentials("client_abc", "s3cr3t-value")
        .namespace("ns")
        .build()
        .expect("client");
    let debug = format!("{client:?}");
    assert!(!debug.contains("s3cr3t-value"), "{debug}");
    assert!(
        debug.contains("client_abc") && debug.contains("<redacted>"),
        "{debug}"
    );
}

#[tokio::test]
async fn paginate_yields_every_item_once_in_order() {
    use futures_util::TryStreamExt;
    let server = FakeServer::start().await;
    let client = client(&server);
    let mut ids = Vec::new();
    for i in 0..25 {
        ids.push(
            create(&client, "ns", &format!("a{i:02}"))
                .await
                .expect("create"),
        );
    }
    for per_page in [10u64, 25, 100] {
        server.clear_requests();
        let all: Vec<types::Assistant> = client
            .paginate(|page| {
                client
                    .assistants()
                    .list()
                    .x_namespace("ns")
                    .page(page)
                    .per_page(per_page)
                    .send()
            })
            .try_collect()
            .await
            .expect("pages");
        let got: Vec<_> = all.iter().map(|a| a.id.clone()).collect();
        let mut expect = ids.clone();
        // The fake lists newest first or oldest first; either way, each once.
        if got.first() != expect.first() {
            expect.reverse();
        }
        assert_eq!(got, expect, "per_page {per_page}");
        let pages = sent(&server, "GET", "/assistants").len() as u64;
        assert_eq!(pages, 25u64.div_ceil(per_page), "per_page {per_page}");
    }
    // The operations-table variant finds the same pointers.
    let all: Vec<types::Assistant> = client
        .paginate_pages("list_assistants", |page| {
            client
                .assistants()
                .list()
                .x_namespace("ns")
                .page(page)
                .per_page(7)
                .send()
        })
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(all.len(), 25);
    let err = client
        .paginate_cursor::<_, _, _, types::Assistant>("list_assistants", |_| {
            client.assistants().list().x_namespace("ns").send()
        })
        .try_collect::<Vec<_>>()
        .await
        .expect_err("not a cursor list");
    assert_eq!(err.kind(), ErrorKind::InvalidRequest);
}

#[tokio::test]
async fn timeouts_are_retried_for_gets_and_reported_as_timeouts() {
    let server = FakeServer::start().await;
    let slow = || Canned::json(200, serde_json::json!({})).delay(Duration::from_secs(2));
    for (attempts, ok) in [(2, true), (1, false)] {
        server.clear_requests();
        server.script("GET", "/assistants", slow());
        let client = builder(&server)
            .timeout(Duration::from_millis(200))
            .retry(fast().max_attempts(attempts))
            .build()
            .expect("client");
        let result = client.assistants().list().x_namespace("ns").send().await;
        match result {
            Ok(_) => assert!(ok, "attempts {attempts}"),
            Err(e) => {
                let e = interactor::Error::from(e);
                assert!(!ok && e.is_timeout() && e.is_retryable(), "{e:?}");
            }
        }
        assert_eq!(sent(&server, "GET", "/assistants").len(), attempts as usize);
    }
}
