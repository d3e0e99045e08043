//! The fake Epsimo server as a process, for the TypeScript and Python
//! suites: `fake-epsimo [--port N]`. Prints `listening on
//! http://127.0.0.1:PORT` on stdout once it accepts connections (the API is
//! at the root), then serves until killed.

use std::io::Write;
use std::net::SocketAddr;

use interactor_tests::epsimo::FakeEpsimo;

const USAGE: &str = "usage: fake-epsimo [--port N]";

fn parse(mut args: impl Iterator<Item = String>) -> Result<u16, String> {
    let mut port = 0;
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--port" => {
                let value = args.next().ok_or_else(|| format!("--port needs a value\n{USAGE}"))?;
                port = value.parse().map_err(|_| format!("--port: not a port number: {value}"))?;
            }
            _ => return Err(USAGE.to_owned()),
        }
    }
    Ok(port)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let port = match parse(std::env::args().skip(1)) {
        Ok(port) => port,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let server = match FakeEpsimo::start_on(SocketAddr::from(([127, 0, 0, 1], port))).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("fake-epsimo: cannot listen: {e}");
            std::process::exit(1);
        }
    };
    println!("listening on {}", server.base_url());
    let _ = std::io::stdout().flush();
    std::future::pending::<()>().await;
}
