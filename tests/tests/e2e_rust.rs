//! The generated Rust client (`interactor-api`) against the fake server:
//! namespaces, pagination, typed errors, 204s, path encoding and the token
//! endpoint, end to end over loopback HTTP.

use std::num::NonZeroU64;

use interactor_api::hooks::Hooks;
use interactor_api::{Client, Error, ResponseValue, types};
use interactor_tests::{Canned, FakeServer};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

type ApiResult<T> = Result<ResponseValue<T>, Error<types::ErrorResponse>>;

/// A client that sends a fresh valid token from `server`.
fn client(server: &FakeServer) -> Client {
    client_with_token(server, Some(&server.issue_token()))
}

fn client_with_token(server: &FakeServer, token: Option<&str>) -> Client {
    let mut headers = HeaderMap::new();
    if let Some(token) = token {
        let value = HeaderValue::from_str(&format!("Bearer {token}")).expect("header value");
        headers.insert(AUTHORIZATION, value);
    }
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("reqwest client");
    Client::new_with_client(&server.base_url(), http, Hooks::default())
}

fn create_request(name: &str) -> types::CreateAssistantRequest {
    types::CreateAssistantRequest::builder()
        .name(name)
        .model("gpt-4")
        .system_prompt("You are terse.")
        .try_into()
        .expect("valid request")
}

async fn create_assistant(client: &Client, ns: &str, name: &str) -> types::Assistant {
    let created = client
        .create_assistant()
        .x_namespace(ns)
        .body(create_request(name))
        .send()
        .await
        .expect("create");
    assert_eq!(created.status(), StatusCode::CREATED);
    created.into_inner().data
}

/// The spec's error envelope of a failed call, with status and headers;
/// panics on success or on any other kind of error.
fn api_error<T: std::fmt::Debug>(result: ApiResult<T>) -> (StatusCode, HeaderMap, types::Error) {
    match result {
        Err(Error::ErrorResponse(rv)) => {
            let (status, headers) = (rv.status(), rv.headers().clone());
            (status, headers, rv.into_inner().error)
        }
        other => panic!("expected an error envelope, got {other:?}"),
    }
}

/// Every response carries `X-Request-Id` and the `X-RateLimit-*` headers.
fn assert_common_headers(headers: &HeaderMap) {
    for name in [
        "x-request-id",
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "x-ratelimit-scope",
    ] {
        assert!(headers.contains_key(name), "missing {name} in {headers:?}");
    }
    let id = headers["x-request-id"].to_str().expect("ascii");
    assert!(id.starts_with("req_"), "{id}");
}

/// A 404 (or other) envelope whose `request_id` is the `X-Request-Id` header.
fn assert_envelope(
    result: ApiResult<impl std::fmt::Debug>,
    status: StatusCode,
    code: &str,
) -> types::Error {
    let (got_status, headers, error) = api_error(result);
    assert_eq!(got_status, status, "{error:?}");
    assert_eq!(error.code.to_string(), code, "{error:?}");
    assert_common_headers(&headers);
    assert_eq!(
        headers["x-request-id"].to_str().ok(),
        Some(error.request_id.as_str())
    );
    error
}

#[tokio::test]
async fn assistant_crud_is_scoped_by_namespace() {
    let server = FakeServer::start().await;
    let client = client(&server);

    let created = create_assistant(&client, "ns_a", "Support").await;
    assert!(created.id.starts_with("asst_"), "{}", created.id);
    assert_eq!(
        (created.name.as_str(), created.model.as_str()),
        ("Support", "gpt-4")
    );

    let got = client
        .get_assistant()
        .assistant_id(&created.id)
        .x_namespace("ns_a")
        .send()
        .await
        .expect("get");
    assert_common_headers(got.headers());
    assert_eq!(got.into_inner().data, created);

    let listed = client
        .list_assistants()
        .x_namespace("ns_a")
        .send()
        .await
        .expect("list")
        .into_inner();
    assert_eq!(listed.data, vec![created.clone()]);
    assert_eq!(listed.meta.total, 1);

    let mut patch = types::UpdateAssistantRequest::new();
    patch.name = Some("Renamed".into());
    let updated = client
        .update_assistant()
        .assistant_id(&created.id)
        .x_namespace("ns_a")
        .body(patch)
        .send()
        .await
        .expect("update")
        .into_inner()
        .data;
    assert_eq!(
        (updated.name.as_str(), updated.system_prompt.as_str()),
        ("Renamed", "You are terse.")
    );
    assert!(updated.updated_at >= created.updated_at);

    // Another namespace sees nothing of it.
    let other = client
        .get_assistant()
        .assistant_id(&created.id)
        .x_namespace("ns_b")
        .send()
        .await;
    assert_envelope(other, StatusCode::NOT_FOUND, "NOT_FOUND");
    let other_list = client
        .list_assistants()
        .x_namespace("ns_b")
        .send()
        .await
        .expect("list b")
        .into_inner();
    assert!(other_list.data.is_empty());
    let other_delete = client
        .delete_assistant()
        .assistant_id(&created.id)
        .x_namespace("ns_b")
        .send()
        .await;
    assert_envelope(other_delete, StatusCode::NOT_FOUND, "NOT_FOUND");

    client
        .delete_assistant()
        .assistant_id(&created.id)
        .x_namespace("ns_a")
        .send()
        .await
        .expect("delete");
    let gone = client
        .get_assistant()
        .assistant_id(&created.id)
        .x_namespace("ns_a")
        .send()
        .await;
    assert_envelope(gone, StatusCode::NOT_FOUND, "NOT_FOUND");

    // The server saw the namespace header and the token on every call.
    let log = server.requests();
    let namespaces: Vec<(&str, &str, Option<&str>)> = log
        .iter()
        .map(|r| (r.method.as_str(), r.route(), r.header("x-namespace")))
        .collect();
    let one = format!("/assistants/{}", created.id);
    assert_eq!(
        namespaces,
        vec![
            ("POST", "/assistants", Some("ns_a")),
            ("GET", one.as_str(), Some("ns_a")),
            ("GET", "/assistants", Some("ns_a")),
            ("PATCH", one.as_str(), Some("ns_a")),
            ("GET", one.as_str(), Some("ns_b")),
            ("GET", "/assistants", Some("ns_b")),
            ("DELETE", one.as_str(), Some("ns_b")),
            ("DELETE", one.as_str(), Some("ns_a")),
            ("GET", one.as_str(), Some("ns_a")),
        ]
    );
    assert!(log.iter().all(|r| {
        r.header("authorization")
            .is_some_and(|v| v.starts_with("Bearer tok_"))
    }));
    assert_eq!(log[0].json().expect("json body")["name"], "Support");
}

#[tokio::test]
async fn pages_walk_every_assistant_once_in_order() {
    let server = FakeServer::start().await;
    let client = client(&server);
    let mut expected = Vec::new();
    for i in 0..25 {
        expected.push(
            create_assistant(&client, "paged", &format!("bot-{i:02}"))
                .await
                .id,
        );
    }
    create_assistant(&client, "elsewhere", "not in the walk").await;

    let mut seen = Vec::new();
    let mut flags = Vec::new();
    let mut page = 1u64;
    loop {
        let list = client
            .list_assistants()
            .x_namespace("paged")
            .page(NonZeroU64::new(page).expect("page"))
            .per_page(NonZeroU64::new(10).expect("per_page"))
            .send()
            .await
            .expect("list")
            .into_inner();
        assert_eq!(
            (
                list.meta.page.get(),
                list.meta.per_page.get(),
                list.meta.total
            ),
            (page, 10, 25)
        );
        assert_eq!(list.meta.total_pages, Some(3));
        seen.extend(list.data.into_iter().map(|a| a.id));
        flags.push(list.meta.has_more);
        if !list.meta.has_more {
            break;
        }
        page += 1;
        assert!(page <= 10, "has_more never became false");
    }
    assert_eq!(flags, [true, true, false]);
    assert_eq!(
        seen, expected,
        "every assistant exactly once, in creation order"
    );

    let queries: Vec<Vec<(String, String)>> = server
        .requests()
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.query_pairs())
        .collect();
    assert_eq!(
        queries[0],
        [
            ("page".to_string(), "1".to_string()),
            ("per_page".to_string(), "10".to_string())
        ]
    );
}

#[tokio::test]
async fn not_found_is_a_typed_error_with_the_request_id() {
    let server = FakeServer::start().await;
    let client = client(&server);
    let result = client
        .get_assistant()
        .assistant_id("asst_missing")
        .x_namespace("ns")
        .send()
        .await;
    let (status, headers, error) = api_error(result);
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error.code, types::ErrorCode::NotFound);
    assert_eq!(error.message, "Assistant \"asst_missing\" not found");
    assert_eq!(error.details, None);
    assert_eq!(
        headers["x-request-id"].to_str().ok(),
        Some(error.request_id.as_str())
    );
    assert_eq!(headers["content-type"], "application/json");
    assert_common_headers(&headers);
    let log = server.requests();
    assert_eq!(
        log.last().map(|r| (r.request_id.as_str(), r.status)),
        Some((error.request_id.as_str(), Some(404)))
    );
}

#[tokio::test]
async fn delete_is_204_and_maps_to_success_without_a_body() {
    let server = FakeServer::start().await;
    let client = client(&server);
    let assistant = create_assistant(&client, "ns", "Short-lived").await;

    let deleted = client
        .delete_assistant()
        .assistant_id(&assistant.id)
        .x_namespace("ns")
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        deleted.headers().get("content-type"),
        None,
        "a 204 has no body"
    );
    assert_common_headers(deleted.headers());
    let () = deleted.into_inner();

    let again = client
        .delete_assistant()
        .assistant_id(&assistant.id)
        .x_namespace("ns")
        .send()
        .await;
    assert_envelope(again, StatusCode::NOT_FOUND, "NOT_FOUND");
    let statuses: Vec<Option<u16>> = server.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(201), Some(204), Some(404)]);
}

/// Each id reaches the server as exactly one path segment, which the server
/// decodes back to the id: a 404 for that id, never another route.
#[tokio::test]
async fn path_parameters_are_percent_encoded_into_one_segment() {
    let server = FakeServer::start().await;
    let client = client(&server);
    let cases = [
        ("../x", "..%2Fx"),
        ("a/b", "a%2Fb"),
        ("a b", "a%20b"),
        ("%2F", "%252F"),
        ("..%2F..", "..%252F.."),
        ("a?b=c", "a%3Fb%3Dc"),
        ("a\\b", "a%5Cb"),
        ("..\\rooms", "..%5Crooms"),
        ("a#b", "a%23b"),
        ("ü", "%C3%BC"),
        ("...", "..."),
    ];
    for (id, raw) in cases {
        server.clear_requests();
        let result = client
            .get_assistant()
            .assistant_id(id)
            .x_namespace("ns")
            .send()
            .await;
        let error = assert_envelope(result, StatusCode::NOT_FOUND, "NOT_FOUND");
        assert_eq!(
            error.message,
            format!("Assistant {id:?} not found"),
            "id {id:?}"
        );
        let log = server.requests();
        assert_eq!(log.len(), 1, "id {id:?}");
        assert_eq!(
            log[0].path,
            format!("/api/v1/assistants/{raw}"),
            "id {id:?}"
        );
        assert_eq!(log[0].query, None, "id {id:?}");
    }
}

/// `.`, `..` and the empty string cannot be sent in one segment: the client
/// refuses them before sending anything.
#[tokio::test]
async fn dot_segments_are_refused_before_sending() {
    let server = FakeServer::start().await;
    let client = client(&server);
    for id in ["", ".", ".."] {
        match client
            .get_assistant()
            .assistant_id(id)
            .x_namespace("ns")
            .send()
            .await
        {
            Err(Error::InvalidRequest(message)) => assert!(
                message.contains("would change the request path"),
                "{message}"
            ),
            other => panic!("id {id:?}: expected InvalidRequest, got {other:?}"),
        }
        match client
            .delete_assistant()
            .assistant_id(id)
            .x_namespace("ns")
            .send()
            .await
        {
            Err(Error::InvalidRequest(_)) => {}
            other => panic!("id {id:?}: expected InvalidRequest, got {other:?}"),
        }
    }
    assert!(server.requests().is_empty(), "nothing may reach the server");
}

#[tokio::test]
async fn token_endpoint_issues_a_working_token() {
    let server = FakeServer::start().await;
    let anonymous = client_with_token(&server, None);
    let mut request = types::ClientCredentialsTokenRequest::new(
        FakeServer::CLIENT_ID.into(),
        FakeServer::CLIENT_SECRET.into(),
        types::ClientCredentialsTokenRequestGrantType::ClientCredentials,
    );
    request.scope = Some("assistants:read".into());
    let response = anonymous
        .create_access_token()
        .body(types::TokenRequest::ClientCredentialsTokenRequest(request))
        .send()
        .await
        .expect("token");
    assert_eq!(response.status(), StatusCode::OK);
    assert_common_headers(response.headers());
    let token = response.into_inner().data;
    assert_eq!(
        (token.token_type.as_str(), token.expires_in),
        ("Bearer", 3600)
    );
    assert_eq!(token.scope.as_deref(), Some("assistants:read"));
    assert!(!token.access_token.is_empty());
    assert_eq!(server.token_requests(), 1);

    let sent = server.requests()[0].json().expect("json body");
    assert_eq!(sent["grant_type"], "client_credentials");
    assert_eq!(sent["client_id"], FakeServer::CLIENT_ID);

    // The token works, within its scope.
    let authed = client_with_token(&server, Some(&token.access_token));
    authed
        .list_assistants()
        .x_namespace("ns")
        .send()
        .await
        .expect("list with the new token");
    let write = authed
        .create_assistant()
        .x_namespace("ns")
        .body(create_request("x"))
        .send()
        .await;
    let error = assert_envelope(write, StatusCode::FORBIDDEN, "FORBIDDEN");
    assert!(
        error.message.contains("assistants:write"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn bad_client_secret_is_a_typed_401() {
    let server = FakeServer::start().await;
    let anonymous = client_with_token(&server, None);
    let request = types::ClientCredentialsTokenRequest::new(
        FakeServer::CLIENT_ID.into(),
        "wrong".into(),
        types::ClientCredentialsTokenRequestGrantType::ClientCredentials,
    );
    let result = anonymous
        .create_access_token()
        .body(types::TokenRequest::from(request))
        .send()
        .await;
    let error = assert_envelope(result, StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    assert!(
        error.message.contains("invalid client credentials"),
        "{}",
        error.message
    );
    assert_eq!(server.token_requests(), 1);
}

#[tokio::test]
async fn missing_invalid_and_expired_tokens_are_401() {
    let server = FakeServer::start().await;
    let cases = [
        (None, "no Authorization header"),
        (Some("tok_forged"), "unknown or revoked token"),
    ];
    for (token, message) in cases {
        let client = client_with_token(&server, token);
        let result = client.list_assistants().x_namespace("ns").send().await;
        let error = assert_envelope(result, StatusCode::UNAUTHORIZED, "AUTH_ERROR");
        assert!(
            error.message.contains(message),
            "{token:?}: {}",
            error.message
        );
    }

    let client = client(&server);
    client
        .list_assistants()
        .x_namespace("ns")
        .send()
        .await
        .expect("valid token");
    server.expire_tokens();
    let result = client.list_assistants().x_namespace("ns").send().await;
    let error = assert_envelope(result, StatusCode::UNAUTHORIZED, "AUTH_ERROR");
    assert!(error.message.contains("expired"), "{}", error.message);
}

#[tokio::test]
async fn rooms_and_messages() {
    let server = FakeServer::start().await;
    let client = client(&server);
    let assistant = create_assistant(&client, "ns", "Chat").await;

    let room_request = types::CreateRoomRequest::new(assistant.id.clone());
    let room = client
        .create_room()
        .x_namespace("ns")
        .body(room_request)
        .send()
        .await
        .expect("room");
    assert_eq!(room.status(), StatusCode::CREATED);
    let room = room.into_inner().data;
    assert_eq!(
        (room.assistant_id.as_str(), room.namespace.as_str()),
        (assistant.id.as_str(), "ns")
    );

    for text in ["one", "two", "three"] {
        let mut body = types::SendMessageRequest::new(text.into());
        body.role = types::MessageRole::User;
        body.stream = false;
        let sent = client
            .send_message()
            .room_id(&room.id)
            .x_namespace("ns")
            .body(body)
            .send()
            .await
            .expect("send");
        assert_eq!(sent.status(), StatusCode::CREATED);
        let message = sent.into_inner().data;
        assert_eq!(
            (message.room_id.as_str(), message.content.as_str()),
            (room.id.as_str(), text)
        );
    }

    let cases = [
        (None, ["one", "two"], true),
        (Some(types::SortOrder::Desc), ["three", "two"], true),
    ];
    for (order, first_page, has_more) in cases {
        let mut call = client
            .list_messages()
            .room_id(&room.id)
            .x_namespace("ns")
            .per_page(NonZeroU64::new(2).expect("2"));
        if let Some(order) = &order {
            call = call.order(order.clone());
        }
        let list = call.send().await.expect("list messages").into_inner();
        let contents: Vec<&str> = list.data.iter().map(|m| m.content.as_str()).collect();
        assert_eq!(contents, first_page, "order {order:?}");
        assert_eq!((list.meta.total, list.meta.has_more), (3, has_more));
    }

    // A room of another namespace is a typed 404 with the envelope.
    let elsewhere = client
        .list_messages()
        .room_id(&room.id)
        .x_namespace("other")
        .send()
        .await;
    assert_envelope(elsewhere, StatusCode::NOT_FOUND, "NOT_FOUND");

    let orphan = types::CreateRoomRequest::new("asst_nope".into());
    let result = client
        .create_room()
        .x_namespace("ns")
        .body(orphan)
        .send()
        .await;
    let error = assert_envelope(result, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    match error.details {
        Some(types::ErrorDetails::Array(fields)) => assert_eq!(fields[0].field, "assistant_id"),
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[tokio::test]
async fn validation_errors_are_422_with_field_details() {
    let server = FakeServer::start().await;
    let client = client(&server);
    let mut request = create_request("Hot");
    request.temperature = 3.5;
    let result = client
        .create_assistant()
        .x_namespace("ns")
        .body(request)
        .send()
        .await;
    let error = assert_envelope(result, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    let Some(types::ErrorDetails::Array(fields)) = error.details else {
        panic!("no field errors: {error:?}")
    };
    let fields: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["temperature"]);
    let listed = client
        .list_assistants()
        .x_namespace("ns")
        .send()
        .await
        .expect("list")
        .into_inner();
    assert!(listed.data.is_empty(), "nothing was created");
}

#[tokio::test]
async fn idempotency_key_replays_the_first_response() {
    let server = FakeServer::start().await;
    let client = client(&server);
    let send = |name: &str| {
        client
            .create_assistant()
            .x_namespace("ns")
            .idempotency_key("key-1")
            .body(create_request(name))
            .send()
    };
    let first = send("Once").await.expect("first").into_inner().data;
    let second = send("Once").await.expect("repeat").into_inner().data;
    assert_eq!(first, second);
    let conflict = send("Other body").await;
    assert_envelope(conflict, StatusCode::CONFLICT, "API_ERROR");
    let listed = client
        .list_assistants()
        .x_namespace("ns")
        .send()
        .await
        .expect("list")
        .into_inner();
    assert_eq!(listed.meta.total, 1);
    let log = server.requests();
    let keys: Vec<Option<&str>> = log
        .iter()
        .take(3)
        .map(|r| r.header("idempotency-key"))
        .collect();
    assert_eq!(keys, [Some("key-1"); 3]);
}

#[tokio::test]
async fn scripted_responses_come_before_normal_handling() {
    let server = FakeServer::start().await;
    let client = client(&server);
    server.script("POST", "/assistants", Canned::rate_limited(2));
    server.script("POST", "/assistants", Canned::unavailable(1));
    assert_eq!(server.pending_scripts(), 2);

    let limited = client
        .create_assistant()
        .x_namespace("ns")
        .body(create_request("a"))
        .send()
        .await;
    let (status, headers, error) = api_error(limited);
    assert_eq!(
        (status, error.code),
        (
            StatusCode::TOO_MANY_REQUESTS,
            types::ErrorCode::RateLimitedUpperCase
        )
    );
    assert_eq!(
        (
            headers["retry-after"].to_str().ok(),
            headers["x-ratelimit-remaining"].to_str().ok()
        ),
        (Some("2"), Some("0"))
    );
    assert_eq!(
        headers["x-request-id"].to_str().ok(),
        Some(error.request_id.as_str())
    );

    let unavailable = client
        .create_assistant()
        .x_namespace("ns")
        .body(create_request("a"))
        .send()
        .await;
    let (status, headers, error) = api_error(unavailable);
    assert_eq!(
        (status, error.code),
        (StatusCode::SERVICE_UNAVAILABLE, types::ErrorCode::ApiError)
    );
    assert_eq!(headers["retry-after"].to_str().ok(), Some("1"));

    create_assistant(&client, "ns", "a").await;
    assert_eq!(server.pending_scripts(), 0);
    let statuses: Vec<Option<u16>> = server.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(429), Some(503), Some(201)]);
}

/// Every route of the fake server is a spec operation with the same method
/// and path as the generated client's operation table.
#[test]
fn fake_routes_are_spec_operations() {
    let mut count = 0;
    for op in interactor_tests::operations() {
        let spec = interactor_api::operations::OPERATIONS
            .iter()
            .find(|s| s.spec_id == op.id)
            .unwrap_or_else(|| panic!("{} is not a spec operation", op.id));
        assert_eq!((op.method, op.path), (spec.method, spec.path), "{}", op.id);
        count += 1;
    }
    assert!(count >= 15, "{count}");
}

/// `ErrorCode` lists both API generations' codes, `FORBIDDEN` and
/// `forbidden` alike: the codes in capitals are the `…UpperCase` variants
/// (`normalize::names`). The spec asks clients to tolerate codes it does
/// not list: a newer one is `Unknown`, not a failed response.
#[test]
fn error_codes_of_both_generations_and_newer_ones_are_read() {
    use types::ErrorCode;
    for (wire, code) in [
        ("FORBIDDEN", ErrorCode::ForbiddenUpperCase),
        ("forbidden", ErrorCode::Forbidden),
        ("VALIDATION_ERROR", ErrorCode::ValidationError),
        ("workflow_not_found", ErrorCode::WorkflowNotFound),
        ("quota_exhausted", ErrorCode::Unknown("quota_exhausted".into())),
    ] {
        let body = serde_json::json!({"error": {"code": wire, "message": "m", "request_id": "req_1"}});
        let read: types::ErrorResponse =
            serde_json::from_value(body).unwrap_or_else(|e| panic!("{wire}: {e}"));
        assert_eq!(read.error.code, code);
        assert_eq!(read.error.code.to_string(), wire);
        assert_eq!(serde_json::to_value(&read.error.code).ok(), Some(serde_json::json!(wire)));
    }
}
