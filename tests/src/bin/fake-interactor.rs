//! The fake Interactor server as a process, for the TypeScript and Python
//! suites: `fake-interactor [--port N] [--client-id ID] [--client-secret S]
//! [--token-ttl SECS]`. Prints `listening on http://127.0.0.1:PORT` on
//! stdout once it accepts connections (the API is under `/api/v1`), then
//! serves until killed.
//!
//! A second line, `control on http://127.0.0.1:PORT`, gives the address of
//! a control API on its own loopback port (never under the API's prefix, so
//! it cannot be mistaken for a spec route): the process-level equivalent of
//! [`FakeServer::script`], [`FakeServer::requests`],
//! [`FakeServer::token_requests`] and friends, with JSON bodies. See
//! [`control`] for the routes.

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use interactor_tests::{Config, FakeServer};

const USAGE: &str = "usage: fake-interactor [--port N] [--client-id ID] [--client-secret SECRET] [--token-ttl SECS]";

fn parse(args: impl Iterator<Item = String>) -> Result<Config, String> {
    let mut config = Config::default();
    let mut args = args.peekable();
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.to_string());
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--port" => {
                let port: u16 = value
                    .parse()
                    .map_err(|_| format!("--port: not a port number: {value}"))?;
                config.addr = SocketAddr::from(([127, 0, 0, 1], port));
            }
            "--client-id" => config.client_id = value,
            "--client-secret" => config.client_secret = value,
            "--token-ttl" => {
                let secs: u64 = value
                    .parse()
                    .map_err(|_| format!("--token-ttl: not a number of seconds: {value}"))?;
                config.token_ttl = Duration::from_secs(secs);
            }
            _ => return Err(format!("unknown argument {flag}\n{USAGE}")),
        }
    }
    Ok(config)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = match parse(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let server = match FakeServer::start_with(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("fake-interactor: cannot listen: {e}");
            std::process::exit(1);
        }
    };
    println!("listening on http://{}", server.addr());
    let server = std::sync::Arc::new(server);
    let control = match tokio::net::TcpListener::bind(("127.0.0.1", 0)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("fake-interactor: cannot listen for control: {e}");
            std::process::exit(1);
        }
    };
    match control.local_addr() {
        Ok(addr) => println!("control on http://{addr}"),
        Err(e) => {
            eprintln!("fake-interactor: control address: {e}");
            std::process::exit(1);
        }
    }
    let _ = std::io::stdout().flush();
    if let Err(e) = axum::serve(control, control::router(server)).await {
        eprintln!("fake-interactor: control: {e}");
        std::process::exit(1);
    }
}

/// The control API (JSON in, JSON out):
///
/// - `POST /script` `{"method", "route", "status", "headers": [[name, value]],
///   "json" | "error": {"code", "message"} | "raw": text, "delay_ms"}`
///   queues a [`Canned`](interactor_tests::Canned) response;
/// - `GET /requests`: the request log (`body` as UTF-8, lossy);
/// - `POST /clear-requests`, `POST /expire-tokens`;
/// - `GET /token-requests`, `GET /pending-scripts`: `{"count": n}`;
/// - `POST /issue-token` `{"scopes": "a b"}`: `{"token": "..."}`.
///
/// A malformed command is a 400 whose body says what is wrong.
mod control {
    use std::sync::Arc;
    use std::time::Duration;

    use axum::Router;
    use axum::body::Bytes;
    use axum::extract::State;
    use axum::http::StatusCode;
    use axum::routing::{get, post};
    use interactor_tests::{Canned, FakeServer};
    use serde_json::{Value, json};

    type Server = State<Arc<FakeServer>>;
    type Reply = (StatusCode, String);

    pub fn router(server: Arc<FakeServer>) -> Router {
        Router::new()
            .route("/script", post(script))
            .route("/requests", get(requests))
            .route("/clear-requests", post(clear_requests))
            .route("/expire-tokens", post(expire_tokens))
            .route("/token-requests", get(token_requests))
            .route("/pending-scripts", get(pending_scripts))
            .route("/issue-token", post(issue_token))
            .with_state(server)
    }

    fn ok(value: Value) -> Reply {
        (StatusCode::OK, value.to_string())
    }

    fn bad(message: String) -> Reply {
        (StatusCode::BAD_REQUEST, json!({ "error": message }).to_string())
    }

    fn canned(cmd: &Value) -> Result<(String, String, Canned), String> {
        let text = |key: &str| {
            cmd.get(key)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("/{key}: expected a string"))
        };
        let (method, route) = (text("method")?, text("route")?);
        let status = cmd
            .get("status")
            .and_then(Value::as_u64)
            .and_then(|s| u16::try_from(s).ok())
            .filter(|s| (100..=999).contains(s))
            .ok_or("/status: expected an HTTP status code")?;
        let mut canned = if let Some(body) = cmd.get("json") {
            Canned::json(status, body.clone())
        } else if let Some(err) = cmd.get("error") {
            let field = |k: &str| err.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
            Canned::error(status, &field("code"), &field("message"))
        } else if let Some(raw) = cmd.get("raw") {
            Canned::raw(status, raw.as_str().ok_or("/raw: expected a string")?.as_bytes().to_vec())
        } else {
            Canned::status(status)
        };
        for (i, pair) in cmd.get("headers").and_then(Value::as_array).into_iter().flatten().enumerate() {
            match (pair.get(0).and_then(Value::as_str), pair.get(1).and_then(Value::as_str)) {
                (Some(name), Some(value)) => canned = canned.header(name, value),
                _ => return Err(format!("/headers/{i}: expected [name, value]")),
            }
        }
        if let Some(ms) = cmd.get("delay_ms") {
            let ms = ms.as_u64().ok_or("/delay_ms: expected milliseconds")?;
            canned = canned.delay(Duration::from_millis(ms));
        }
        Ok((method, route, canned))
    }

    async fn script(State(server): Server, body: Bytes) -> Reply {
        let cmd: Value = match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => return bad(format!("body: not JSON: {e}")),
        };
        match canned(&cmd) {
            Ok((method, route, canned)) => {
                server.script(&method, &route, canned);
                ok(json!({ "pending": server.pending_scripts() }))
            }
            Err(message) => bad(message),
        }
    }

    async fn requests(State(server): Server) -> Reply {
        let log: Vec<Value> = server
            .requests()
            .into_iter()
            .map(|r| {
                json!({
                    "method": r.method,
                    "path": r.path,
                    "query": r.query,
                    "headers": r.headers,
                    "body": String::from_utf8_lossy(&r.body),
                    "request_id": r.request_id,
                    "status": r.status,
                })
            })
            .collect();
        ok(Value::Array(log))
    }

    async fn clear_requests(State(server): Server) -> Reply {
        server.clear_requests();
        ok(json!({}))
    }

    async fn expire_tokens(State(server): Server) -> Reply {
        server.expire_tokens();
        ok(json!({}))
    }

    async fn token_requests(State(server): Server) -> Reply {
        ok(json!({ "count": server.token_requests() }))
    }

    async fn pending_scripts(State(server): Server) -> Reply {
        ok(json!({ "count": server.pending_scripts() }))
    }

    async fn issue_token(State(server): Server, body: Bytes) -> Reply {
        let cmd: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let token = match cmd.get("scopes").and_then(Value::as_str) {
            Some(scopes) => server.issue_token_with_scopes(scopes),
            None => server.issue_token(),
        };
        ok(json!({ "token": token }))
    }
}
