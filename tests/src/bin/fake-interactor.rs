//! The fake Interactor server as a process, for the TypeScript and Python
//! suites: `fake-interactor [--port N] [--client-id ID] [--client-secret S]
//! [--token-ttl SECS]`. Prints `listening on http://127.0.0.1:PORT` on
//! stdout once it accepts connections (the API is under `/api/v1`), then
//! serves until killed.

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
    let _ = std::io::stdout().flush();
    std::future::pending::<()>().await;
}
