//! `cargo xtask fetch` against a real HTTP server on loopback: a good spec
//! replaces the old one and is recorded; a 404, a body that is not a spec,
//! and an unreachable URL each fail with a clear message and leave the old
//! spec and source.toml byte for byte as they were.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

const OLD: &str = "openapi: 3.0.3\ninfo: {title: old, version: '1'}\npaths: {}\n";
const NEW: &str = "openapi: 3.1.0\ninfo: {title: new, version: '2'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: ok}}\n";

/// Serves one canned response per connection, `count` times, on loopback.
fn serve(status: &'static str, body: &'static str, count: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let mut stream = stream.unwrap();
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let response = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
            stream.write_all(response.as_bytes()).unwrap();
        }
    });
    format!("http://{addr}/openapi.yaml")
}

fn workspace() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-fetch-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(dir.join("spec")).unwrap();
    std::fs::write(dir.join("sdk.toml"), "[[api]]\nname = \"t\"\nspec = \"spec/openapi.yaml\"\nsource = \"spec/source.toml\"\n").unwrap();
    std::fs::write(dir.join("spec/openapi.yaml"), OLD).unwrap();
    std::fs::write(dir.join("spec/source.toml"), "url = \"http://127.0.0.1:9/none\"\n").unwrap();
    dir
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

fn fetch(root: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask")).arg("fetch").args(args).env("SDK_WORKSPACE_ROOT", root).output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn assert_untouched(root: &Path) {
    assert_eq!(std::fs::read_to_string(root.join("spec/openapi.yaml")).unwrap(), OLD);
    assert_eq!(std::fs::read_to_string(root.join("spec/source.toml")).unwrap(), "url = \"http://127.0.0.1:9/none\"\n");
}

#[test]
fn good_spec_replaces_and_is_recorded() {
    let root = workspace();
    let url = serve("200 OK", NEW, 1);
    let (ok, out) = fetch(&root, &[&url]);
    assert!(ok, "{out}");
    assert_eq!(std::fs::read_to_string(root.join("spec/openapi.yaml")).unwrap(), NEW);
    let source = std::fs::read_to_string(root.join("spec/source.toml")).unwrap();
    assert!(source.contains(&format!("url = \"{url}\"")), "{source}");
    let sha = codegen::load::sha256_hex(NEW.as_bytes());
    assert!(source.contains(&format!("sha256 = \"{sha}\"")), "{source}");
    assert!(source.contains("fetched = \"20"), "{source}");

    // With no argument, the recorded URL is fetched again.
    let url2 = serve("200 OK", NEW, 1);
    std::fs::write(root.join("spec/source.toml"), format!("url = \"{url2}\"\n")).unwrap();
    let (ok, out) = fetch(&root, &[]);
    assert!(ok, "{out}");
}

#[test]
fn http_error_is_reported_and_changes_nothing() {
    let root = workspace();
    let url = serve("404 Not Found", "nope", 1);
    let (ok, out) = fetch(&root, &[&url]);
    assert!(!ok);
    assert!(out.contains("HTTP 404"), "{out}");
    assert!(out.contains("not replaced"), "{out}");
    assert_untouched(&root);
}

#[test]
fn body_that_is_not_a_spec_is_rejected() {
    let root = workspace();
    let url = serve("200 OK", "<html><body>login</body></html>", 1);
    let (ok, out) = fetch(&root, &[&url]);
    assert!(!ok);
    assert!(out.contains("openapi") || out.contains("OpenAPI"), "{out}");
    assert_untouched(&root);
    let url = serve("200 OK", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/Gone'}]\n", 1);
    let (ok, out) = fetch(&root, &[&url]);
    assert!(!ok);
    assert!(out.contains("#/paths/~1a/get/parameters/0"), "{out}");
    assert_untouched(&root);
}

#[test]
fn unreachable_url_is_reported() {
    let root = workspace();
    // Bind then drop: nothing listens on this port any more.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (ok, out) = fetch(&root, &[&format!("http://127.0.0.1:{port}/openapi.yaml")]);
    assert!(!ok);
    assert!(out.contains("cannot fetch"), "{out}");
    assert_untouched(&root);
}

#[test]
fn local_file_works_and_missing_file_is_reported() {
    let root = workspace();
    let file = root.join("new.yaml");
    std::fs::write(&file, NEW).unwrap();
    let (ok, out) = fetch(&root, &[file.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert_eq!(std::fs::read_to_string(root.join("spec/openapi.yaml")).unwrap(), NEW);
    let (ok, out) = fetch(&root, &[root.join("missing.yaml").to_str().unwrap()]);
    assert!(!ok);
    assert!(out.contains("cannot read"), "{out}");
}
