//! A fake Epsimo server on loopback: the second API of the workspace
//! (`spec/epsimo/openapi.yaml`), for the end-to-end test of the generated
//! `epsimo-api` crate and the `fake-epsimo` binary.
//!
//! All state is in memory. It does what the spec describes and no more:
//! password sign-up and login issue JWT-shaped user tokens (three
//! dot-separated parts; nothing checks a signature), `GET /projects/{id}`
//! hands out a project token, account operations take only user tokens and
//! project operations only project tokens (of their own project), lists are
//! top-level JSON arrays, `POST /threads/{id}/run` streams Server-Sent
//! Events without `event:` fields (the seed's wire format, split into small
//! chunks so clients must reassemble lines), and every error is the seed's
//! `{error, detail, code?, field?}` with the `X-RateLimit-*` headers.
//!
//! Routing is one function over the path segments rather than axum's
//! router, so malformed JSON and unknown paths get the spec's error body
//! instead of axum's plain-text rejections.
//!
//! **Architecture Invariant**: nothing a client sends can make the server
//! panic; bad input becomes a 4xx error body.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use futures_util::stream;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// One request the server saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpsimoRequest {
    /// Method, upper case.
    pub method: String,
    /// The raw path, as sent (percent-encoding kept).
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// Which kind of token authorized it: `"user"`, `"project"`, `"unknown"`
    /// (a token the server never issued) or `"none"`.
    pub token: &'static str,
}

#[derive(Debug, Default)]
struct Data {
    counter: u64,
    users: BTreeMap<String, (String, String)>, // email -> (password, user_id)
    user_tokens: BTreeMap<String, String>,     // token -> user_id
    project_tokens: BTreeMap<String, String>,  // token -> project_id
    projects: BTreeMap<String, (String, Value)>, // project_id -> (owner user_id, project)
    assistants: BTreeMap<String, (String, Value)>, // assistant_id -> (project_id, assistant)
    threads: BTreeMap<String, (String, Value)>, // thread_id -> (project_id, thread)
    messages: BTreeMap<String, Vec<Value>>,    // thread_id -> messages
    log: Vec<EpsimoRequest>,
}

type App = Arc<Mutex<Data>>;

fn lock(app: &App) -> MutexGuard<'_, Data> {
    // A panicking test thread must not poison the server for the others.
    app.lock().unwrap_or_else(|e| e.into_inner())
}

/// The fake Epsimo server; stops when dropped.
pub struct FakeEpsimo {
    app: App,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl FakeEpsimo {
    /// Starts on `127.0.0.1` and an ephemeral port.
    pub async fn start() -> std::io::Result<Self> {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts on `addr`.
    pub async fn start_on(addr: SocketAddr) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let app: App = Arc::default();
        let router = Router::new().fallback(handle).with_state(app.clone());
        let (shutdown, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                eprintln!("fake epsimo: {e}");
            }
        });
        Ok(Self { app, addr, shutdown: Some(shutdown), task })
    }

    /// The base URL the generated client takes (the API is at the root).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<EpsimoRequest> {
        lock(&self.app).log.clone()
    }
}

impl Drop for FakeEpsimo {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.abort();
    }
}

/// An error answer: status and the seed's error body.
struct Failure(StatusCode, Value);

fn fail(status: StatusCode, error: &str, detail: &str) -> Failure {
    Failure(status, json!({"error": error, "detail": detail}))
}

fn unauthorized(detail: &str) -> Failure {
    Failure(StatusCode::UNAUTHORIZED, json!({"error": "Unauthorized", "detail": detail, "code": "TOKEN_EXPIRED"}))
}

fn not_found(what: &str) -> Failure {
    fail(StatusCode::NOT_FOUND, "Not Found", &format!("{what} not found"))
}

fn invalid(field: &str, detail: &str) -> Failure {
    Failure(StatusCode::UNPROCESSABLE_ENTITY, json!({"error": "Validation Error", "detail": detail, "field": field}))
}

/// Who a request's bearer token belongs to.
enum Caller {
    User(String),
    Project(String),
    Nobody,
}

fn with_rate_limits(builder: axum::http::response::Builder) -> axum::http::response::Builder {
    builder.header("x-ratelimit-limit", "300").header("x-ratelimit-remaining", "299").header("x-ratelimit-reset", "1672531200")
}

fn reply(status: StatusCode, body: Option<Value>) -> Response {
    let builder = with_rate_limits(Response::builder().status(status));
    let response = match body {
        Some(v) => builder.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string())),
        None => builder.body(Body::empty()),
    };
    response.unwrap_or_else(|_| Response::new(Body::empty()))
}

async fn handle(State(app): State<App>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let mut data = lock(&app);
    let caller = match &token {
        None => Caller::Nobody,
        Some(t) => match (data.user_tokens.get(t), data.project_tokens.get(t)) {
            (Some(user), _) => Caller::User(user.clone()),
            (_, Some(project)) => Caller::Project(project.clone()),
            _ => Caller::Nobody,
        },
    };
    let kind = match (&caller, &token) {
        (Caller::User(_), _) => "user",
        (Caller::Project(_), _) => "project",
        (Caller::Nobody, Some(_)) => "unknown",
        (Caller::Nobody, None) => "none",
    };
    data.log.push(EpsimoRequest { method: method.to_string(), path: uri.path().to_owned(), query: uri.query().map(str::to_owned), token: kind });
    let result = route(&mut data, &method, &uri, &caller, &body);
    drop(data);
    match result {
        Ok(Answer::Json(status, v)) => reply(status, Some(v)),
        Ok(Answer::Empty) => reply(StatusCode::NO_CONTENT, None),
        Ok(Answer::Stream(chunks)) => with_rate_limits(Response::builder())
            .header(header::CONTENT_TYPE, "text/event-stream")
            .header(header::CACHE_CONTROL, "no-cache")
            .body(Body::from_stream(stream::iter(chunks.into_iter().map(Ok::<_, std::io::Error>))))
            .unwrap_or_else(|_| Response::new(Body::empty())),
        Err(Failure(status, v)) => reply(status, Some(v)),
    }
}

enum Answer {
    Json(StatusCode, Value),
    Empty,
    Stream(Vec<Bytes>),
}

fn ok(v: Value) -> Result<Answer, Failure> {
    Ok(Answer::Json(StatusCode::OK, v))
}

fn created(v: Value) -> Result<Answer, Failure> {
    Ok(Answer::Json(StatusCode::CREATED, v))
}

/// The JSON object of a request body.
fn object(body: &[u8]) -> Result<serde_json::Map<String, Value>, Failure> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(o)) => Ok(o),
        Ok(_) => Err(fail(StatusCode::BAD_REQUEST, "Bad Request", "Request body must be a JSON object")),
        Err(e) => Err(fail(StatusCode::BAD_REQUEST, "Bad Request", &format!("Request body is not valid JSON: {e}"))),
    }
}

fn string(o: &serde_json::Map<String, Value>, field: &str) -> Result<String, Failure> {
    match o.get(field) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(invalid(field, &format!("Field '{field}' is required"))),
    }
}

/// A JWT-shaped token: three dot-separated parts; nothing checks it.
fn jwt(data: &mut Data, kind: &str) -> String {
    data.counter += 1;
    format!("eyJhbGciOiJIUzI1NiJ9.{kind}{:06}.sig{:x}", data.counter, fastrand::u64(..))
}

fn next_id(data: &mut Data, prefix: &str) -> String {
    data.counter += 1;
    format!("{prefix}_{:06}", data.counter)
}

const NOW: &str = "2024-01-15T12:00:00Z";

fn user_of(caller: &Caller) -> Result<&str, Failure> {
    match caller {
        Caller::User(u) => Ok(u),
        Caller::Project(_) => Err(unauthorized("This operation needs a user token (from login), not a project token")),
        Caller::Nobody => Err(unauthorized("Token has expired or is invalid")),
    }
}

fn project_of(caller: &Caller) -> Result<&str, Failure> {
    match caller {
        Caller::Project(p) => Ok(p),
        Caller::User(_) => Err(unauthorized("This operation needs a project token (from GET /projects/{project_id})")),
        Caller::Nobody => Err(unauthorized("Token has expired or is invalid")),
    }
}

/// An item of `table` that belongs to `project`.
fn owned<'a>(table: &'a BTreeMap<String, (String, Value)>, id: &str, project: &str, what: &str) -> Result<&'a Value, Failure> {
    match table.get(id) {
        Some((p, v)) if p == project => Ok(v),
        _ => Err(not_found(what)),
    }
}

fn listed(table: &BTreeMap<String, (String, Value)>, project: &str) -> Value {
    Value::Array(table.values().filter(|(p, _)| p == project).map(|(_, v)| v.clone()).collect())
}

fn route(data: &mut Data, method: &Method, uri: &Uri, caller: &Caller, body: &[u8]) -> Result<Answer, Failure> {
    // Percent-decoding is not needed: ids the server issues are plain, and
    // an encoded id simply matches nothing (404), which tests rely on.
    let segments: Vec<&str> = uri.path().trim_start_matches('/').split('/').collect();
    let query = uri.query().unwrap_or("");
    match (method.as_str(), segments.as_slice()) {
        ("POST", ["auth", "signup"]) => {
            let o = object(body)?;
            let (email, password) = (string(&o, "email")?, string(&o, "password")?);
            if data.users.contains_key(&email) {
                return Err(fail(StatusCode::CONFLICT, "Conflict", "Email already registered"));
            }
            let user_id = next_id(data, "usr");
            data.users.insert(email.clone(), (password, user_id.clone()));
            let token = jwt(data, "user");
            data.user_tokens.insert(token.clone(), user_id.clone());
            ok(json!({"access_token": token, "token_type": "Bearer", "expires_in": 3600, "user": {"email": email, "user_id": user_id}}))
        }
        ("POST", ["auth", "login"]) => {
            let o = object(body)?;
            let (email, password) = (string(&o, "email")?, string(&o, "password")?);
            let Some(user_id) = data.users.get(&email).filter(|(p, _)| *p == password).map(|(_, u)| u.clone()) else {
                return Err(fail(StatusCode::UNAUTHORIZED, "Invalid credentials", "Email or password is incorrect"));
            };
            let token = jwt(data, "user");
            data.user_tokens.insert(token.clone(), user_id);
            ok(json!({"access_token": token, "token": token, "jwt_token": token, "expires_in": 3600}))
        }
        ("GET", ["auth", "thread-info"]) => {
            let user = user_of(caller)?.to_owned();
            let email = data.users.iter().find(|(_, (_, u))| *u == user).map(|(e, _)| e.clone()).unwrap_or_default();
            let used = data.threads.values().filter(|(p, _)| data.projects.get(p).is_some_and(|(o, _)| *o == user)).count();
            ok(json!({"email": email, "user_id": user, "thread_counter": used, "thread_max": 100, "subscription_tier": "standard"}))
        }
        ("GET", ["credits", "balance"]) => {
            let user = user_of(caller)?.to_owned();
            let used = data.threads.values().filter(|(p, _)| data.projects.get(p).is_some_and(|(o, _)| *o == user)).count();
            ok(json!({"thread_counter": used, "thread_max": 100, "threads_remaining": 100 - used, "subscription_tier": "standard"}))
        }
        ("GET", ["projects", ""]) => {
            let user = user_of(caller)?;
            ok(Value::Array(data.projects.values().filter(|(o, _)| o == user).map(|(_, p)| p.clone()).collect()))
        }
        ("POST", ["projects", ""]) => {
            let user = user_of(caller)?.to_owned();
            let o = object(body)?;
            let name = string(&o, "name")?;
            let id = next_id(data, "proj");
            let token = jwt(data, "project");
            data.project_tokens.insert(token.clone(), id.clone());
            let mut project = json!({"project_id": id, "name": name, "created_at": NOW, "access_token": token});
            for field in ["description", "metadata"] {
                if let Some(v) = o.get(field) {
                    project[field] = v.clone();
                }
            }
            data.projects.insert(id, (user, project.clone()));
            created(project)
        }
        ("GET", ["projects", id]) => {
            let user = user_of(caller)?;
            let (owner, project) = data.projects.get(*id).ok_or_else(|| not_found("Project"))?;
            if owner != user {
                return Err(fail(StatusCode::FORBIDDEN, "Forbidden", "Not your project"));
            }
            let mut project = project.clone();
            let token = project["access_token"].clone();
            project["token"] = token.clone();
            project["jwt_token"] = token;
            ok(project)
        }
        ("DELETE", ["projects", id]) => {
            let user = user_of(caller)?;
            if !query.split('&').any(|p| p == "confirm=true") {
                return Err(fail(StatusCode::BAD_REQUEST, "Bad Request", "Deleting a project needs confirm=true"));
            }
            match data.projects.get(*id) {
                Some((owner, _)) if owner == user => {}
                _ => return Err(not_found("Project")),
            }
            data.projects.remove(*id);
            data.project_tokens.retain(|_, p| p.as_str() != *id);
            Ok(Answer::Empty)
        }
        ("GET", ["assistants", ""]) => ok(listed(&data.assistants, project_of(caller)?)),
        ("POST", ["assistants", ""]) => {
            let project = project_of(caller)?.to_owned();
            let o = object(body)?;
            let name = string(&o, "name")?;
            let config = o.get("config").filter(|c| c.is_object()).cloned().ok_or_else(|| invalid("config", "Field 'config' is required"))?;
            let id = next_id(data, "asst");
            let public = o.get("public").and_then(Value::as_bool).unwrap_or(false);
            let assistant = json!({"assistant_id": id, "name": name, "config": config, "public": public, "created_at": NOW});
            data.assistants.insert(id, (project, assistant.clone()));
            created(assistant)
        }
        ("GET", ["assistants", id]) => ok(owned(&data.assistants, id, project_of(caller)?, "Assistant")?.clone()),
        ("DELETE", ["assistants", id]) => {
            owned(&data.assistants, id, project_of(caller)?, "Assistant")?;
            data.assistants.remove(*id);
            Ok(Answer::Empty)
        }
        ("GET", ["threads", ""]) => ok(listed(&data.threads, project_of(caller)?)),
        ("POST", ["threads", ""]) => {
            let project = project_of(caller)?.to_owned();
            let o = object(body)?;
            let assistant_id = string(&o, "assistant_id")?;
            owned(&data.assistants, &assistant_id, &project, "Assistant")?;
            let id = next_id(data, "thread");
            let mut thread = json!({"thread_id": id, "assistant_id": assistant_id, "created_at": NOW});
            for field in ["name", "metadata"] {
                if let Some(v) = o.get(field) {
                    thread[field] = v.clone();
                }
            }
            data.threads.insert(id.clone(), (project, thread.clone()));
            data.messages.insert(id, Vec::new());
            created(thread)
        }
        ("GET", ["threads", id]) => {
            let mut thread = owned(&data.threads, id, project_of(caller)?, "Thread")?.clone();
            let messages: Vec<Value> = data.messages.get(*id).into_iter().flatten().map(|m| json!({"role": m["role"], "content": m["content"], "timestamp": m["timestamp"]})).collect();
            thread["messages"] = Value::Array(messages);
            ok(thread)
        }
        ("DELETE", ["threads", id]) => {
            owned(&data.threads, id, project_of(caller)?, "Thread")?;
            data.threads.remove(*id);
            data.messages.remove(*id);
            Ok(Answer::Empty)
        }
        ("GET", ["threads", id, "messages"]) => {
            owned(&data.threads, id, project_of(caller)?, "Thread")?;
            let limit = query.split('&').find_map(|p| p.strip_prefix("limit=")).map_or(Ok(50), str::parse::<usize>).map_err(|_| invalid("limit", "limit must be a positive integer"))?;
            let all = data.messages.get(*id).cloned().unwrap_or_default();
            let page: Vec<Value> = all.iter().rev().take(limit).rev().cloned().collect();
            ok(json!({"messages": page, "has_more": all.len() > limit}))
        }
        ("POST", ["threads", id, "messages"]) => {
            owned(&data.threads, id, project_of(caller)?, "Thread")?;
            let o = object(body)?;
            let (role, content) = (string(&o, "role")?, string(&o, "content")?);
            if role != "user" && role != "assistant" {
                return Err(invalid("role", "role must be user or assistant"));
            }
            let message = push_message(data, id, &role, &content);
            created(message)
        }
        ("POST", ["threads", id, "run"]) => {
            owned(&data.threads, id, project_of(caller)?, "Thread")?;
            let o = object(body)?;
            let message = string(&o, "message")?;
            push_message(data, id, "user", &message);
            let reply = format!("You said: {message}");
            push_message(data, id, "assistant", &reply);
            let run_id = next_id(data, "run");
            Ok(Answer::Stream(run_events(&run_id, &message, &reply)))
        }
        _ => Err(not_found("Route")),
    }
}

fn push_message(data: &mut Data, thread: &str, role: &str, content: &str) -> Value {
    let id = next_id(data, "msg");
    let message = json!({"message_id": id, "role": role, "content": content, "timestamp": NOW});
    data.messages.entry(thread.to_owned()).or_default().push(message.clone());
    message
}

/// The run's event stream as the seed shows it (`data:` lines only, the
/// name in `data.type`), cut into 7-byte chunks.
fn run_events(run_id: &str, message: &str, reply: &str) -> Vec<Bytes> {
    let mut events = vec![json!({"type": "start", "run_id": run_id})];
    let mut words = reply.split_inclusive(' ');
    events.extend(words.by_ref().map(|w| json!({"type": "content", "delta": w})));
    if message.contains("order") {
        events.push(json!({"type": "tool_call", "name": "database_query", "args": {"query": message}}));
    }
    events.push(json!({"type": "done"}));
    let wire: String = events.iter().map(|e| format!("data: {e}\n\n")).collect();
    wire.as_bytes().chunks(7).map(Bytes::copy_from_slice).collect()
}
