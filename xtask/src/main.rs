//! `cargo xtask`: the workspace's one front door. Each subcommand is a thin
//! wrapper over the `codegen` library; see `cargo xtask help`.

mod bench;
mod bench_peers;
mod ci;
mod ci_features;
mod ci_python;
mod ci_typescript;
mod corpus;
mod diff;
mod feature_builds;
mod fetch;
mod generate;
mod inspect;
mod measure;
mod regen;
mod release;

mod alloc;

use std::path::PathBuf;
use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <command>

  regen [--check]         regenerate every SDK from sdk.toml; --check changes
                          nothing and fails if any generated file is stale
  fetch [URL|PATH] [--api NAME]
                          bring a spec from a URL or file (default: the URL in
                          the API's source.toml), check it, then replace it
  corpus [--only SUBSTR] [--lang L]... [--no-check] [DIR]
                          generate every spec in DIR (default ../shared/corpus)
                          in each language and check it (cargo check, tsc,
                          mypy --strict); prints a table, writes
                          target/bench/corpus.md
  gen SPEC OUT [--lang L]...
                          one spec into SDKs under OUT/<lang>/ (no sdk.toml);
                          all three languages unless --lang is given
  feature-builds SPEC [--tags a,b]
                          debug build time and peak memory of the generated
                          Rust crate: all features, and single tags (default:
                          smallest, median, largest); target/bench/feature-builds.md
  inspect PATH            load and normalize a spec; print its notes (writes nothing)
  diff OLD NEW [--format text|markdown|json] [--fail-on ERR|WARN]
                          breaking changes between two specs (a file,
                          spec/history/<version> or git:REV); fails at --fail-on
  diff-cases [DIR]        score the diff against oasdiff's cases (default
                          ../shared/oasdiff)
  bench [ARGS]            overlay criterion benchmarks (release); prints ratios
                          to peers, writes target/bench/overlay.md
  bench-peers [--runs N] [--only SUBSTR] [--tools A,B] [--corpus DIR] [--timeout SECS] [--no-install]
                          our generator (release) against progenitor,
                          openapi-generator, openapi-typescript, hey-api and
                          openapi-python-client on the same specs (peers
                          installed into ~/.cache/sdk-peers); writes
                          target/bench/peers.md and peers.svg; not in CI
  release [--api NAME] [--dry-run] [--verify]
                          next SDK version from the diff against the last
                          release in spec/history/: sdk.toml, history,
                          CHANGELOG.md, regen; --verify: cargo semver-checks
  ci                      every check and test (what .ci/run runs): spec
                          validation, regen --check, clippy, cargo test
  ci-typescript           only the TypeScript part of ci (npm ci, tsc, node --test
                          with the fake server and Prism, npm pack --dry-run)
  ci-python               only the Python part of ci (venv, mypy --strict, pytest
                          with the fake server and Prism, wheel build)
  help                    this text
";

fn main() -> ExitCode {
    alloc::configure();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen::run(&root, &args[1..]),
        Some("fetch") => fetch::run(&root, &args[1..]),
        Some("corpus") => corpus::run(&root, &args[1..]),
        Some("ci") => ci::run(&root, &args[1..]),
        Some("bench") => bench::run(&root, &args[1..]),
        Some("bench-peers") => bench_peers::run(&root, &args[1..]),
        Some("ci-typescript") => ci_typescript::run(&root),
        Some("ci-python") => ci_python::run(&root),
        Some("gen") => generate::run(&root, &args[1..]),
        Some("feature-builds") => feature_builds::run(&root, &args[1..]),
        Some("inspect") => inspect::run(&root, &args[1..]),
        Some("diff") => diff::run(&root, &args[1..]),
        Some("release") => release::run(&root, &args[1..]),
        Some("diff-cases") => diff::run_cases(&root, &args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: `SDK_WORKSPACE_ROOT` if set (tests point it at a
/// scratch copy), else xtask's manifest directory's parent.
fn workspace_root() -> PathBuf {
    if let Some(root) = std::env::var_os("SDK_WORKSPACE_ROOT") {
        return PathBuf::from(root);
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.parent().map(PathBuf::from).unwrap_or(dir)
}
