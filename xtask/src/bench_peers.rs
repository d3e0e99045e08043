//! `cargo xtask bench-peers [--runs N] [--only SUBSTR] [--tools A,B]
//! [--corpus DIR] [--timeout SECS] [--no-install]`: our generator against
//! the peers on the same specs, as child processes measured alike.
//!
//! Ours is the release `xtask gen` (built first), for all three languages
//! in one run and for each language alone; the peers are installed into a
//! cache outside the repository if missing (`install.rs`). For each spec,
//! every tool runs once per round, round after round (so a change in the
//! machine's load hits all alike), into a fresh directory under
//! `target/bench/peers-out/`. The report (`report.rs`: median wall, peak
//! memory, ratio to ours in the same language, the goals) goes to stdout
//! and `target/bench/peers.md`, the chart (`svg.rs`) to
//! `target/bench/peers.svg`. Not part of CI: installing the peers takes
//! minutes, and so does a run.

mod args;
mod install;
mod report;
mod svg;
mod tools;

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use report::{Row, Run, Status};
use tools::Tool;

/// Where a spec lives.
enum Source {
    /// A file in the corpus directory.
    Corpus(&'static str),
    /// A file in this repository.
    Repo(&'static str),
}

/// (short name, file): the specs of the issue, big to small.
const SPECS: &[(&str, Source)] = &[
    ("github", Source::Corpus("github-api-3.0.json")),
    ("stripe", Source::Corpus("stripe-spec3-2023-08.yaml")),
    ("openai", Source::Corpus("openai.yaml")),
    ("oxide", Source::Corpus("oxide-nexus.json")),
    ("petstore", Source::Corpus("oai-petstore-3.0.yaml")),
    (report::INTERACTOR_SPEC, Source::Repo("spec/openapi.yaml")),
];

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let opts = args::parse(args)?;
    let tools = tools::select(opts.tools.as_deref())?;
    let corpus = opts.corpus.clone().unwrap_or_else(|| root.join("../shared/corpus"));
    let specs: Vec<(&str, PathBuf)> = SPECS
        .iter()
        .map(|(name, src)| match src {
            Source::Corpus(f) => (*name, corpus.join(f)),
            Source::Repo(f) => (*name, root.join(f)),
        })
        .filter(|(name, path)| {
            opts.only
                .as_deref()
                .is_none_or(|o| name.contains(o) || path.to_string_lossy().contains(o))
        })
        .collect();
    if specs.is_empty() {
        return Err(format!(
            "no spec matches --only {:?}",
            opts.only.as_deref().unwrap_or_default()
        ));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    if tools.iter().any(|t| t.is_ours()) {
        build_ours(root)?;
    }
    let cx = tools::Context {
        ours: target.join("release/xtask"),
        cache: install::Cache::locate()?,
    };
    let Peers {
        mut versions,
        unavailable,
    } = install_peers(&cx.cache, &tools, opts.no_install);
    versions.insert(
        0,
        (
            "ours".into(),
            format!("xtask gen (release build) at commit {}", git_head(root)),
        ),
    );
    let load_start = load_average();

    let scratch = target.join("bench/peers-out");
    let mut rows = Vec::new();
    for (spec, path) in &specs {
        let mut spec_rows: Vec<(Row, &Tool)> = tools
            .iter()
            .map(|t| {
                let missing = t.package().and_then(|p| unavailable.get(p.name));
                let status = if !path.exists() {
                    Status::NotRun(format!("spec missing: {}", path.display()))
                } else if let Some(why) = missing {
                    Status::NotRun(why.clone())
                } else {
                    Status::Ok
                };
                let row = Row {
                    spec: spec.to_string(),
                    tool: t.name.into(),
                    lang: t.lang,
                    ours: t.is_ours(),
                    runs: vec![],
                    status,
                };
                (row, *t)
            })
            .collect();
        for round in 1..=opts.runs {
            for (row, tool) in spec_rows.iter_mut() {
                // A tool that failed once fails again: its time is known.
                if row.status != Status::Ok {
                    continue;
                }
                measure_once(&cx, tool, row, path, &scratch.join(spec).join(tool.name), opts.timeout);
                let last = row.runs.last().map_or_else(String::new, |r| report::secs(r.wall));
                eprintln!(
                    "{spec} round {round}/{}: {:<36} {last:>8}  {}",
                    opts.runs,
                    tool.name,
                    report::status_text(&row.status)
                );
            }
        }
        let _ = std::fs::remove_dir_all(scratch.join(spec));
        rows.extend(spec_rows.into_iter().map(|(r, _)| r));
        // After every spec, so an interrupted run keeps what it measured.
        let meta = report::Meta {
            runs: opts.runs,
            versions: versions.clone(),
            notes: tools
                .iter()
                .filter_map(|t| Some((t.name.to_owned(), t.note()?.to_owned())))
                .collect(),
            load: (load_start.clone(), load_average()),
        };
        write_report(
            &target.join("bench"),
            &report::markdown(&meta, &rows),
            &svg::chart(&rows),
        )?;
    }
    let md = std::fs::read_to_string(target.join("bench/peers.md")).unwrap_or_default();
    print!("{md}");
    eprintln!("written to {}", target.join("bench/peers.{md,svg}").display());
    Ok(())
}

fn write_report(dir: &Path, md: &str, svg: &str) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (file, text) in [("peers.md", md), ("peers.svg", svg)] {
        let p = dir.join(file);
        std::fs::write(&p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    }
    Ok(())
}

/// One run of `tool` on `spec` into the fresh directory `out`, recorded in `row`.
fn measure_once(
    cx: &tools::Context,
    tool: &Tool,
    row: &mut Row,
    spec: &Path,
    out: &Path,
    timeout: std::time::Duration,
) {
    let _ = std::fs::remove_dir_all(out);
    if let Some(parent) = out.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let mut cmd = tool.command(cx, spec, &format!("peer-{}", row.spec), out);
    match crate::measure::run_with_timeout(&mut cmd, Some(timeout)) {
        Err(e) => row.status = Status::Failed(e),
        Ok(m) => {
            row.runs.push(Run {
                wall: m.wall,
                mib: m.max_rss_mib(),
                sys: m.sys,
            });
            if m.timed_out {
                row.status = Status::TimedOut(timeout);
            } else if let Some(sig) = m.status.signal() {
                // Not our watchdog: the OOM killer, or a person.
                row.status = Status::Failed(format!(
                    "killed by signal {sig}, not by the time limit (out of memory?)"
                ));
            } else if !m.status.success() {
                let (err, out) = (String::from_utf8_lossy(&m.stderr), String::from_utf8_lossy(&m.stdout));
                let line = if tool.cause_on_stdout() {
                    report::first_error_line(&out, &err)
                } else {
                    report::first_error_line(&err, &out)
                };
                row.status = Status::Failed(line);
            }
        }
    }
}

/// `cargo build --release -p xtask`: ours is measured as the binary users run.
fn build_ours(root: &Path) -> Result<(), String> {
    eprintln!("building ours: cargo build --release -p xtask");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .status()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo build --release -p xtask failed ({status})"))
    }
}

/// What `install_peers` found.
struct Peers {
    /// (package, version) for the report, `java` and `node` included.
    versions: Vec<(String, String)>,
    /// Packages that are not there, with the reason.
    unavailable: BTreeMap<&'static str, String>,
}

/// Installs the selected tools' packages (unless `no_install`).
fn install_peers(cache: &install::Cache, tools: &[&Tool], no_install: bool) -> Peers {
    let packages: BTreeMap<_, _> = tools.iter().filter_map(|t| t.package()).map(|p| (p.name, p)).collect();
    let mut versions = Vec::new();
    let mut unavailable = BTreeMap::new();
    for (name, p) in packages {
        let result = if no_install {
            match cache.installed_version(&p) {
                Some(v) if v == p.version => Ok(()),
                _ => Err(format!(
                    "not installed (pinned {}; run without --no-install)",
                    p.version
                )),
            }
        } else {
            cache.ensure(&p)
        };
        match result {
            Ok(()) => versions.push((name.to_owned(), p.version.to_owned())),
            Err(e) => {
                eprintln!("{name}: {e}");
                versions.push((name.to_owned(), "not installed".to_owned()));
                unavailable.insert(name, e);
            }
        }
    }
    if tools.iter().any(|t| t.name.starts_with("openapi-generator")) {
        versions.push(("java (for openapi-generator)".into(), install::java_version()));
    }
    if tools
        .iter()
        .any(|t| t.package().is_some_and(|p| p.registry == install::Registry::Npm))
    {
        versions.push(("node".into(), tool_version("node", "--version")));
    }
    versions.push(("cache".into(), cache.root.display().to_string()));
    Peers { versions, unavailable }
}

fn git_head(root: &Path) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--short", "HEAD"])
        .output();
    out.ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or_else(|| "unknown".into(), |s| s.trim().to_owned())
}

/// The first line of `cmd args`, or "unknown".
fn tool_version(cmd: &str, args: &str) -> String {
    Command::new(cmd)
        .args(args.split(' '))
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.lines().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

/// The 1, 5 and 15 minute load averages (Linux), or "unknown".
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
