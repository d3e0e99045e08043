//! `cargo xtask diff OLD NEW`: what changed between two specs and whether it
//! breaks clients; `cargo xtask diff-cases [DIR]`: the scoreboard against
//! oasdiff's cases (`cases.tsv`, `rules.tsv`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use codegen::diff::{self, Finding, Level};

const USAGE: &str = "usage: cargo xtask diff OLD NEW [--format text|markdown|json] [--fail-on ERR|WARN|INFO]
  OLD, NEW: a file, spec/history/<version>, or git:REV (spec/openapi.yaml at REV)";

/// Reads a spec named the way `diff` takes it; returns its origin and bytes.
fn read_spec(root: &Path, arg: &str) -> Result<(String, Vec<u8>), String> {
    if let Some(rev) = arg.strip_prefix("git:") {
        let out = std::process::Command::new("git")
            .current_dir(root)
            .args(["show", &format!("{rev}:spec/openapi.yaml")])
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(format!("git show {rev}:spec/openapi.yaml failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
        }
        return Ok((format!("{rev}:spec/openapi.yaml"), out.stdout));
    }
    let mut path = root.join(arg);
    if !path.exists() {
        path = arg.into();
    }
    if path.is_dir() {
        path = path.join("openapi.yaml");
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok((arg.to_owned(), bytes))
}

/// A spec's model and its document as written.
type Loaded = (codegen::model::Api, codegen::load::Document);

fn load(origin: &str, bytes: &[u8]) -> Result<Loaded, String> {
    let mut report = codegen::Report::default();
    codegen::analyze(origin, bytes, &mut report).map(|(doc, _, api)| (api, doc)).map_err(|e| e.to_string())
}

fn diff_loaded(old: &Loaded, new: &Loaded) -> Vec<Finding> {
    diff::diff_documents(&old.0, &old.1.value, &new.0, &new.1.value)
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut format = "text".to_owned();
    let mut fail_on = Level::Err;
    let mut specs = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" => format = it.next().ok_or(USAGE)?.clone(),
            "--fail-on" => {
                let l = it.next().ok_or(USAGE)?;
                fail_on = Level::parse(l).ok_or_else(|| format!("--fail-on takes ERR, WARN or INFO, not {l:?}"))?;
            }
            _ => specs.push(a.clone()),
        }
    }
    let [old, new] = specs.as_slice() else { return Err(USAGE.into()) };
    if !matches!(format.as_str(), "text" | "markdown" | "md" | "json") {
        return Err(format!("unknown format {format:?}; use text, markdown or json"));
    }
    let (oo, ob) = read_spec(root, old)?;
    let (no, nb) = read_spec(root, new)?;
    let findings = diff_loaded(&load(&oo, &ob)?, &load(&no, &nb)?);
    let rendered = match format.as_str() {
        "text" => diff::render::text(&findings),
        "markdown" | "md" => diff::render::markdown(&findings, &format!("Changes from {old} to {new}")),
        "json" => diff::render::json(&findings),
        other => return Err(format!("unknown format {other:?}; use text, markdown or json")),
    };
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = writeln!(std::io::stdout().lock(), "{}", rendered.trim_end());
    let failing = findings.iter().filter(|f| f.level >= fail_on).count();
    if failing > 0 {
        return Err(format!("{failing} finding(s) at or above {fail_on}"));
    }
    Ok(())
}

#[derive(Default)]
struct Score {
    found: usize,
    missed: usize,
    wrong_level: usize,
}

pub fn run_cases(root: &Path, args: &[String]) -> Result<(), String> {
    let dir = match args.first() {
        Some(d) => Path::new(d).to_path_buf(),
        None => root.join("../shared/oasdiff"),
    };
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).map_err(|e| format!("cannot read {}: {e}", dir.join(name).display()));
    let rules = read("rules.tsv")?;
    let area: BTreeMap<&str, &str> = rules.lines().skip(1).filter_map(|l| {
        let cols: Vec<&str> = l.split('\t').collect();
        Some((*cols.first()?, *cols.get(3)?))
    }).collect();
    let cases = read("cases.tsv")?;
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    let mut false_alarms = Vec::new();
    let mut misses = Vec::new();
    let mut cache: BTreeMap<String, Result<Loaded, String>> = BTreeMap::new();
    for line in cases.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [base, rev, expect, level] = cols.as_slice() else { continue };
        let mut api = |p: &str| -> Result<Loaded, String> {
            cache
                .entry(p.to_owned())
                .or_insert_with(|| std::fs::read(dir.join(p)).map_err(|e| e.to_string()).and_then(|b| load(p, &b)))
                .clone()
        };
        let findings: Result<Vec<Finding>, String> = api(base).and_then(|o| Ok(diff_loaded(&o, &api(rev)?)));
        if *expect == "no-breaking-change" {
            let s = scores.entry("(no-breaking-change)".into()).or_default();
            match findings {
                Ok(f) => {
                    let bad: Vec<&Finding> = f.iter().filter(|f| f.level >= Level::Warn).collect();
                    if bad.is_empty() {
                        s.found += 1;
                    } else {
                        s.wrong_level += 1;
                        for b in bad {
                            false_alarms.push(format!("{base} → {rev}: {} {} {}", b.level, b.rule, b.message));
                        }
                    }
                }
                Err(e) => {
                    s.missed += 1;
                    misses.push(format!("{base} → {rev}: cannot load: {e}"));
                }
            }
            continue;
        }
        let s = scores.entry(area.get(expect).copied().unwrap_or("?").to_owned()).or_default();
        match findings {
            Ok(f) => match f.iter().filter(|f| f.rule == *expect).map(|f| f.level).max() {
                Some(l) if l.as_str() == *level => s.found += 1,
                Some(l) => {
                    s.wrong_level += 1;
                    misses.push(format!("{expect} {level}: raised at {l} ({base} → {rev})"));
                }
                None => {
                    s.missed += 1;
                    misses.push(format!("{expect} {level}: missed ({base} → {rev})"));
                }
            },
            Err(e) => {
                s.missed += 1;
                misses.push(format!("{expect} {level}: cannot load: {e}"));
            }
        }
    }
    println!("{:<22} {:>5} {:>6} {:>11}", "area", "found", "missed", "wrong-level");
    let mut total = Score::default();
    for (a, s) in &scores {
        println!("{a:<22} {:>5} {:>6} {:>11}", s.found, s.missed, s.wrong_level);
        total.found += s.found;
        total.missed += s.missed;
        total.wrong_level += s.wrong_level;
    }
    println!("{:<22} {:>5} {:>6} {:>11}", "total", total.found, total.missed, total.wrong_level);
    if !misses.is_empty() {
        println!("\nmissed or wrong level:");
        for m in &misses {
            println!("  {m}");
        }
    }
    if !false_alarms.is_empty() {
        println!("\nERR/WARN raised on no-breaking-change rows:");
        for m in &false_alarms {
            println!("  {m}");
        }
    }
    Ok(())
}
