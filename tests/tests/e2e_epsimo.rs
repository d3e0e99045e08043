//! The generated Epsimo client (`epsimo-api`, generated from
//! `spec/epsimo/openapi.yaml` by configuration alone) against the fake
//! Epsimo server over loopback: password login → user JWT → project token
//! → top-level-array lists → the streaming run (SSE), typed errors, path
//! encoding and required query parameters.
//!
//! Authentication goes through [`SchemeAuth`], a `hooks::Transport` that
//! knows nothing of Epsimo: it reads the generated operation table
//! (`operations::find(..).security`, `SECURITY_SCHEMES[..].token_source`)
//! to pick the token each request needs and to take tokens out of the
//! responses that issue them. The same code would serve any API whose spec
//! declares `x-token-source`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use epsimo_api::events::RunStreamEvent;
use epsimo_api::hooks::{Hooks, ResponseFuture, Transport};
use epsimo_api::operations::{self, SchemeKind};
use epsimo_api::{Client, Error, types};
use futures_util::StreamExt;
use interactor::sse::SseParser;
use interactor_tests::epsimo::{EpsimoRequest, FakeEpsimo};
use progenitor_client::OperationInfo;
use reqwest::StatusCode;
use serde_json::json;

/// Bearer tokens by security scheme name, attached per operation from the
/// generated table. Generic: no API-specific names.
#[derive(Default)]
struct SchemeAuth {
    tokens: Mutex<HashMap<&'static str, String>>,
}

impl SchemeAuth {
    /// Stores the tokens `operation_id`'s response issues, as the spec's
    /// `x-token-source` pointers say; returns the schemes it filled.
    fn take_tokens(&self, operation_id: &str, response: &impl serde::Serialize) -> Vec<&'static str> {
        let body = serde_json::to_value(response).expect("response serializes");
        let mut filled = Vec::new();
        for scheme in &operations::SECURITY_SCHEMES {
            let Some(source) = scheme.token_source.filter(|s| s.operation == operation_id) else { continue };
            if let Some(token) = body.pointer(source.token).and_then(|t| t.as_str()) {
                self.tokens.lock().expect("lock").insert(scheme.name, token.to_owned());
                filled.push(scheme.name);
            }
        }
        filled
    }

    /// The `Authorization` value for an operation: the first security
    /// alternative whose schemes all have a token (only bearer schemes
    /// are handled here).
    fn authorization(&self, operation_id: &str) -> Option<String> {
        let op = operations::find(operation_id)?;
        let tokens = self.tokens.lock().expect("lock");
        op.security.iter().find_map(|alternative| {
            let [name] = alternative else { return None };
            let scheme = operations::security_scheme(name)?;
            matches!(scheme.kind, SchemeKind::Http { scheme: "bearer" }).then(|| tokens.get(name).map(|t| format!("Bearer {t}")))?
        })
    }
}

impl Transport for SchemeAuth {
    fn execute<'a>(&'a self, client: &'a reqwest::Client, mut request: reqwest::Request, info: &'a OperationInfo) -> ResponseFuture<'a> {
        if let Some(value) = self.authorization(info.operation_id) {
            let value = reqwest::header::HeaderValue::from_str(&value).expect("header value");
            request.headers_mut().insert(reqwest::header::AUTHORIZATION, value);
        }
        Box::pin(client.execute(request))
    }
}

fn client(server: &FakeEpsimo, auth: &Arc<SchemeAuth>) -> Client {
    Client::new_with_client(&server.base_url(), reqwest::Client::new(), Hooks::with_transport(auth.clone()))
}

fn credentials(email: &str, password: &str) -> types::Credentials {
    types::Credentials::new(email.to_owned(), password.to_owned())
}

/// The error body of a failed call; panics on success or another error.
fn error_body<T: std::fmt::Debug>(result: Result<epsimo_api::ResponseValue<T>, Error<types::ErrorResponse>>) -> (StatusCode, types::ErrorResponse) {
    match result {
        Err(Error::ErrorResponse(rv)) => (rv.status(), rv.into_inner()),
        other => panic!("expected an error response, got {other:?}"),
    }
}

/// Signs up, logs in and opens a project; returns the client and the
/// project id, with both tokens in `auth`.
async fn signed_in_project(server: &FakeEpsimo, auth: &Arc<SchemeAuth>) -> (Client, String) {
    let client = client(server, auth);
    client.signup().body(credentials("ada@example.com", "pw-1")).send().await.expect("signup");
    let login = client.login().body(credentials("ada@example.com", "pw-1")).send().await.expect("login").into_inner();
    assert_eq!(auth.take_tokens("login", &login), ["userToken"]);
    let project = client
        .create_project()
        .body(types::CreateProjectRequest::builder().name("Support").description("bots".to_owned()))
        .send()
        .await
        .expect("create project");
    assert_eq!(project.status(), StatusCode::CREATED);
    let project_id = project.into_inner().project_id;
    let with_token = client.get_project().project_id(&project_id).send().await.expect("get project").into_inner();
    assert_eq!(auth.take_tokens("get_project", &with_token), ["projectToken"]);
    (client, project_id)
}

#[tokio::test]
async fn login_project_token_lists_and_streaming_run() {
    let server = FakeEpsimo::start().await.expect("fake epsimo");
    let auth = Arc::new(SchemeAuth::default());
    let (client, project_id) = signed_in_project(&server, &auth).await;

    // Account level, with the user token.
    let info = client.get_thread_info().send().await.expect("thread info").into_inner();
    assert_eq!((info.email.as_str(), info.thread_max), ("ada@example.com", 100));
    assert_eq!(info.subscription_tier, Some(types::SubscriptionTier::Standard));
    let projects = client.list_projects().send().await.expect("list projects").into_inner();
    assert_eq!(projects.iter().map(|p| p.project_id.as_str()).collect::<Vec<_>>(), [project_id.as_str()]);

    // Project level, with the project token: the seed's assistant, tools included.
    let request: types::CreateAssistantRequest = serde_json::from_value(json!({
        "name": "Research Assistant",
        "config": {"instructions": "You help", "model": "gpt-4o", "configurable": {"type": "agent", "agent_type": "agent"},
                   "tools": [{"type": "search_tavily", "max_results": 5},
                             {"type": "function", "name": "update_database", "parameters": {"type": "object"}}]},
        "public": false
    }))
    .expect("assistant request");
    let assistant = client.create_assistant().body(request).send().await.expect("create assistant").into_inner();
    let tools = &assistant.config.as_ref().expect("config").tools;
    assert!(matches!(&tools[0], types::Tool::SearchTavilyTool(t) if t.max_results == Some(std::num::NonZeroU64::new(5).expect("5"))), "{tools:?}");
    assert!(matches!(&tools[1], types::Tool::FunctionTool(t) if t.name == "update_database"), "{tools:?}");
    let assistants = client.list_assistants().send().await.expect("list assistants").into_inner();
    assert_eq!(assistants.len(), 1);
    assert_eq!(assistants[0].assistant_id, assistant.assistant_id);

    let thread = client
        .create_thread()
        .body(types::CreateThreadRequest::builder().assistant_id(assistant.assistant_id.clone()).name("Order #17".to_owned()))
        .send()
        .await
        .expect("create thread")
        .into_inner();
    assert_eq!(client.list_threads().send().await.expect("list threads").into_inner().len(), 1);

    // The streaming run: SSE without `event:` fields, in 7-byte chunks.
    let run = client
        .run_thread()
        .thread_id(&thread.thread_id)
        .body(types::RunThreadRequest::new("where is my order".to_owned()))
        .send()
        .await
        .expect("run");
    assert_eq!(run.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("text/event-stream"));
    let mut bytes = run.into_inner();
    let mut parser = SseParser::new();
    let mut events = Vec::new();
    while let Some(chunk) = bytes.next().await {
        parser.feed(&chunk.expect("stream chunk")).expect("events within the size limit");
        for e in parser.events() {
            events.push(RunStreamEvent::decode(&e.event, &e.data).expect("decodes"));
        }
    }
    let names: Vec<&str> = events.iter().map(RunStreamEvent::name).collect();
    assert_eq!(names.first(), Some(&"start"));
    assert_eq!(&names[names.len() - 2..], ["tool_call", "done"]);
    let text: String = events.iter().filter_map(|e| if let RunStreamEvent::Content(c) = e { Some(c.delta.as_str()) } else { None }).collect();
    assert_eq!(text, "You said: where is my order");
    assert!(matches!(&events[0], RunStreamEvent::Start(s) if s.run_id.starts_with("run_")));
    assert!(matches!(&events[names.len() - 2], RunStreamEvent::ToolCall(t) if t.name == "database_query" && t.args.contains_key("query")));

    // The run stored both messages.
    let page = client.list_messages().thread_id(&thread.thread_id).limit(std::num::NonZeroU64::new(10).expect("10")).send().await.expect("messages").into_inner();
    assert!(!page.has_more);
    let roles: Vec<types::MessageRole> = page.messages.iter().map(|m| m.role.clone()).collect();
    assert_eq!(roles, [types::MessageRole::User, types::MessageRole::Assistant]);
    let detail = client.get_thread().thread_id(&thread.thread_id).send().await.expect("get thread").into_inner();
    assert_eq!(detail.messages.len(), 2);

    // Each request carried the token its security requirement names.
    let token_of = |path: &str| server.requests().iter().filter(|r| r.path == path).map(|r| r.token).collect::<Vec<_>>();
    assert_eq!(token_of("/auth/login"), ["none"]);
    assert_eq!(token_of("/projects/"), ["user", "user"]);
    assert_eq!(token_of("/assistants/"), ["project", "project"]);
    assert_eq!(token_of(&format!("/threads/{}/run", thread.thread_id)), ["project"]);
}

#[tokio::test]
async fn errors_are_typed_and_tokens_stay_out_of_debug() {
    let server = FakeEpsimo::start().await.expect("fake epsimo");
    let auth = Arc::new(SchemeAuth::default());
    let anonymous = client(&server, &auth);
    let (status, body) = error_body(anonymous.login().body(credentials("nobody@example.com", "x")).send().await);
    assert_eq!((status, body.error.as_str()), (StatusCode::UNAUTHORIZED, "Invalid credentials"));
    assert_eq!(body.detail.as_deref(), Some("Email or password is incorrect"));
    // No token yet: the project operation goes out without one and fails.
    let (status, body) = error_body(anonymous.list_assistants().send().await);
    assert_eq!((status, body.code.as_deref()), (StatusCode::UNAUTHORIZED, Some("TOKEN_EXPIRED")));

    let (client, project_id) = signed_in_project(&server, &auth).await;
    let project = client.get_project().project_id(&project_id).send().await.expect("project").into_inner();
    let debug = format!("{project:?}");
    assert!(!debug.contains(&project.access_token) && debug.contains("***"), "{debug}");

    // Path parameters are one encoded segment; the server sees the raw path.
    let (status, _) = error_body(client.get_assistant().assistant_id("../projects/x").send().await);
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(server.requests().iter().any(|r: &EpsimoRequest| r.path == "/assistants/..%2Fprojects%2Fx"), "{:?}", server.requests());

    // A thread for an assistant the project does not have.
    let (status, body) = error_body(client.create_thread().body(types::CreateThreadRequest::builder().assistant_id("asst_none")).send().await);
    assert_eq!((status, body.error.as_str()), (StatusCode::NOT_FOUND, "Not Found"));

    // `confirm` is required: without it nothing is sent.
    let before = server.requests().len();
    let missing = client.delete_project().project_id(&project_id).send().await;
    assert!(matches!(missing, Err(Error::InvalidRequest(ref m)) if m.contains("confirm")), "{missing:?}");
    assert_eq!(server.requests().len(), before);
    let deleted = client.delete_project().project_id(&project_id).confirm(true).send().await.expect("delete");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(server.requests().last().and_then(|r| r.query.clone()).as_deref(), Some("confirm=true"));
    // The project token died with its project.
    let (status, _) = error_body(client.list_threads().send().await);
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[test]
fn operation_table_names_the_token_sources() {
    // Configuration only: these come from the spec's security schemes.
    let user = operations::security_scheme("userToken").and_then(|s| s.token_source).expect("userToken source");
    assert_eq!((user.operation, user.token, user.expires_in), ("login", "/access_token", Some("/expires_in")));
    let project = operations::security_scheme("projectToken").and_then(|s| s.token_source).expect("projectToken source");
    assert_eq!(project.operation, "get_project");
    assert!(operations::find("login").expect("login").security.is_empty());
    assert_eq!(operations::find("list_projects").expect("list").security, [&["userToken"][..]]);
    assert_eq!(operations::find("run_thread").expect("run").security, [&["projectToken"][..]]);
    assert!(operations::find("run_thread").and_then(|o| o.stream).is_some_and(|s| !s.resumable && s.events == ["start", "content", "tool_call", "done"]));
}
