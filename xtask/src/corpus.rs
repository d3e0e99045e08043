//! `cargo xtask corpus [--only SUBSTR] [--no-check] [DIR]`: the generator
//! against real-world specs.
//!
//! Every `*.json`/`*.yaml` in DIR (whose name contains SUBSTR) is generated into `target/corpus/<name>`,
//! all crates in one scratch workspace so dependencies compile once, then
//! each is `cargo check`ed. One row per spec: operations in the spec,
//! generated, skipped (with the first reasons), generation time, check result.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use codegen::Severity;

struct Row {
    spec: String,
    operations: usize,
    generated: usize,
    skipped: Vec<String>,
    degraded: usize,
    millis: u128,
    check: String,
    plain: String,
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    const USAGE: &str = "usage: cargo xtask corpus [--only SUBSTR] [--no-check] [DIR]";
    let mut dir = root.join("../shared/corpus");
    let mut only = None;
    let mut check = true;
    let mut args = args.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--only" => only = Some(args.next().ok_or(USAGE)?.clone()),
            "--no-check" => check = false,
            d if !d.starts_with('-') => dir = PathBuf::from(d),
            _ => return Err(USAGE.into()),
        }
    }
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml")))
        .filter(|p| only.as_ref().is_none_or(|o| p.file_name().is_some_and(|f| f.to_string_lossy().contains(o.as_str()))))
        .collect();
    specs.sort();
    let out = root.join("target/corpus");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    // Old crates go; the scratch workspace's `target/` stays, so dependencies
    // compile once across runs.
    for entry in std::fs::read_dir(&out).map_err(|e| format!("{}: {e}", out.display()))?.flatten() {
        if entry.file_name().to_string_lossy().starts_with("corpus-") {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let mut rows = Vec::new();
    let mut members = Vec::new();
    for spec in &specs {
        let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec").to_owned();
        let crate_name = format!("corpus-{}", stem.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
        eprintln!("generating {stem}");
        let bytes = std::fs::read(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
        let config = codegen::Config {
            spec_path: spec.file_name().and_then(|f| f.to_str()).unwrap_or_default().to_owned(),
            package_version: None,
            rust: Some(codegen::rust::RustConfig { crate_name: crate_name.clone(), dir: crate_name.clone(), license: "MIT".into(), repository: None }),
            typescript: None,
            python: None,
        };
        let t = Instant::now();
        let result = codegen::generate(&config, &bytes);
        let millis = t.elapsed().as_millis();
        let t = Instant::now();
        let plain = match codegen::rust::engine::plain(&bytes) {
            Ok(()) => format!("ok ({} ms)", t.elapsed().as_millis()),
            Err(e) => e.replace('|', "\\|").lines().next().unwrap_or_default().chars().take(90).collect(),
        };
        match result {
            Err(e) => rows.push(Row { spec: stem, operations: 0, generated: 0, skipped: vec![e.to_string()], degraded: 0, millis, check: "not generated".into(), plain }),
            Ok(g) => {
                codegen::output::ensure(&out, &g.files, &[], false).map_err(|e| e.to_string())?;
                members.push(crate_name.clone());
                rows.push(Row {
                    spec: stem,
                    operations: g.api.operations.len(),
                    generated: g.rust.as_ref().map_or(0, |r| r.operations),
                    skipped: g.report.of(Severity::Skipped).map(|n| n.message.clone()).collect(),
                    degraded: g.report.of(Severity::Degraded).count(),
                    millis,
                    check: crate_name,
                    plain,
                });
            }
        }
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
        members.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", ")
    );
    std::fs::write(out.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    for row in rows.iter_mut().filter(|r| check && members.contains(&r.check)) {
        eprintln!("checking {}", row.spec);
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["check", "--quiet", "--message-format=short", "-p", &row.check])
            .current_dir(&out)
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let stderr = String::from_utf8_lossy(&status.stderr);
        let errors = stderr.lines().filter(|l| l.contains(": error")).count();
        let warnings = stderr.lines().filter(|l| l.contains(": warning")).count();
        row.check = if status.status.success() {
            if warnings == 0 { "ok".into() } else { format!("ok, {warnings} warnings") }
        } else {
            format!("FAILED: {errors} errors ({})", stderr.lines().find(|l| l.contains(": error")).unwrap_or("").chars().take(120).collect::<String>())
        };
    }
    println!("| spec | operations | generated | skipped | degraded | generation | cargo check | plain progenitor |");
    println!("| --- | ---: | ---: | --- | ---: | ---: | --- | --- |");
    for r in &rows {
        let skipped = if r.skipped.is_empty() {
            "0".to_owned()
        } else {
            format!("{}: {}", r.skipped.len(), r.skipped.iter().take(2).map(|s| s.chars().take(100).collect::<String>()).collect::<Vec<_>>().join("; "))
        };
        println!("| {} | {} | {} | {} | {} | {} ms | {} | {} |", r.spec, r.operations, r.generated, skipped.replace('|', "\\|"), r.degraded, r.millis, r.check, r.plain);
    }
    Ok(())
}
