//! `cargo xtask release [--api NAME] [--dry-run] [--verify]`: decide the
//! next SDK version from the diff against the last release in
//! `spec/history/`, write it (sdk.toml, history, CHANGELOG.md), regenerate.
//! The logic is `codegen::release`; `--verify` cross-checks the verdict
//! with `cargo semver-checks` on the generated Rust crate.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::release::{self, Bump, Plan};

const USAGE: &str = "usage: cargo xtask release [--api NAME] [--dry-run] [--verify]";

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let (mut dry_run, mut verify, mut api) = (false, false, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--dry-run" => dry_run = true,
            "--verify" => verify = true,
            "--api" => api = Some(it.next().ok_or(USAGE)?.clone()),
            _ => return Err(USAGE.into()),
        }
    }
    let plan = release::plan(root, api.as_deref()).map_err(|e| e.to_string())?;
    let Some(next) = plan.next else {
        if verify {
            // Nothing new: cross-check the last release against the one before.
            let history = root.join(&plan.history);
            let versions = release::released(&history).map_err(|e| e.to_string())?;
            if let [.., before, last] = versions.as_slice() {
                println!("{}: nothing new to release; verifying {before} → {last}", plan.api);
                let last_plan = release::plan_from(root, Some(&plan.api), Some(*before)).map_err(|e| e.to_string())?;
                return verify_with_semver_checks(root, &last_plan);
            }
        }
        println!(
            "{}: {} is the last released spec ({}); nothing to release",
            plan.api,
            plan.spec,
            plan.previous.map(|v| v.to_string()).unwrap_or_default()
        );
        return Ok(());
    };
    let errs = plan.findings.iter().filter(|f| f.level == codegen::diff::Level::Err).count();
    match plan.previous {
        Some(prev) => println!("{}: {prev} → {next} ({} release: {} findings, {errs} ERR)", plan.api, plan.bump, plan.findings.len()),
        None => println!("{}: first release {next}", plan.api),
    }
    if codegen::rust::crate_version(&plan.info_version) != next.to_string() {
        println!("note: the spec's info.version is {:?}; the SDK version follows the diff, not info.version", plan.info_version);
    }
    if verify {
        verify_with_semver_checks(root, &plan)?;
    }
    if dry_run {
        println!("\n{}", plan.changelog_entry().trim_end());
        println!("\n(dry run: nothing written)");
        return Ok(());
    }
    release::write(root, &plan).map_err(|e| e.to_string())?;
    crate::regen::run(root, &[])?;
    println!("released {next}: sdk.toml, {}/{next}/openapi.yaml, CHANGELOG.md, generated packages", plan.history);
    Ok(())
}

/// Runs `cargo semver-checks` between the Rust crate generated from the
/// previous release (into `target/release-baseline/`) and the current
/// one, and says whether its verdict agrees with the spec's.
fn verify_with_semver_checks(root: &Path, plan: &Plan) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let installed = Command::new(&cargo).args(["semver-checks", "--version"]).output().is_ok_and(|o| o.status.success());
    if !installed {
        return Err("--verify needs cargo-semver-checks; install it with `cargo install cargo-semver-checks --locked` (several minutes), then run again".into());
    }
    let Some(prev) = plan.previous else {
        println!("verify: first release, no previous crate to compare with");
        return Ok(());
    };
    let entry = release::entry(root, Some(&plan.api)).map_err(|e| e.to_string())?;
    let Some(rust) = entry.rust.clone() else {
        return Err(format!("--verify: API {} has no [api.rust] crate", plan.api));
    };
    // The baseline: the previous spec generated with the previous version,
    // as a standalone crate (its own empty [workspace], so the workspace
    // here does not claim it).
    let base = root.join("target/release-baseline");
    let old_rel = format!("{}/{prev}/openapi.yaml", plan.history);
    let bytes = std::fs::read(root.join(&old_rel)).map_err(|e| format!("{old_rel}: {e}"))?;
    let mut config = entry.config();
    config.spec_path = old_rel;
    config.package_version = Some(prev.to_string());
    config.typescript = None;
    config.python = None;
    let generated = codegen::generate(&config, &bytes).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&base);
    for f in &generated.files {
        let path = base.join(&f.path);
        std::fs::create_dir_all(path.parent().unwrap_or(&base)).map_err(|e| format!("{}: {e}", path.display()))?;
        std::fs::write(&path, &f.contents).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let base_crate: PathBuf = base.join(&rust.dir);
    let manifest = base_crate.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    std::fs::write(&manifest, format!("{text}\n[workspace]\n")).map_err(|e| format!("{}: {e}", manifest.display()))?;
    // The current crate must be generated from the current spec: the plan
    // regenerates only after writing, so check the one on disk first.
    crate::regen::run(root, &["--check".to_owned()]).map_err(|e| format!("--verify compares the crate on disk: {e}"))?;
    // Ask whether the change is compatible with a minor release: a failure
    // means cargo-semver-checks wants a major one.
    println!("verify: cargo semver-checks against {} generated from {prev} ...", base_crate.display());
    let status = Command::new(&cargo)
        .current_dir(root)
        .args(["semver-checks", "check-release", "--package", &rust.crate_name, "--baseline-root"])
        .arg(&base_crate)
        .args(["--release-type", "minor"])
        .status()
        .map_err(|e| format!("cannot run cargo semver-checks: {e}"))?;
    let rust_major = !status.success();
    let spec_major = plan.bump == Bump::Major;
    match (spec_major, rust_major) {
        (true, true) => println!("verify: agree: both the spec diff and the Rust API call for a major release"),
        (false, false) => println!("verify: agree: neither the spec diff nor the Rust API breaks compatibility"),
        (true, false) => println!(
            "verify: DISAGREE: the spec diff has ERR findings but the Rust API is compatible (wire-only breaks: e.g. constraints, status codes, formats the types do not express)"
        ),
        (false, true) => {
            return Err("verify: DISAGREE: the Rust API breaks (see cargo-semver-checks above) but the spec diff has no ERR: a generator change broke the crate, or the diff misses a rule".into());
        }
    }
    Ok(())
}
