//! `cargo xtask ci`: every check and test of the workspace, in the order a
//! failure is cheapest to find. `.ci/run` runs exactly this.
//!
//! 1. the specs pass an independent validator (`openapi-spec-validator`,
//!    installed from the pinned `ci/requirements.txt` into `target/ci-venv`);
//! 2. generated files are up to date (`regen --check`);
//! 3. clippy, warnings denied, over every crate including generated ones;
//! 4. each API-area feature of the generated crates alone (`ci_features.rs`);
//! 5. `cargo test --workspace`, then `cargo package` of the Rust crates
//!    (they package and build as they would publish), and the generator's
//!    cargo-fuzz targets compile and pass clippy on stable;
//! 6. the TypeScript package: type check and tests (`ci_typescript.rs`);
//! 7. the Python package: type check and tests (`ci_python.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    if !args.is_empty() {
        return Err("usage: cargo xtask ci".into());
    }
    step("validate specs", || validate_specs(root))?;
    step("regen --check", || crate::regen::run(root, &["--check".to_owned()]))?;
    step("clippy", || cargo(root, &["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"]))?;
    step("features", || crate::ci_features::run(root))?;
    step("test", || cargo(root, &["test", "--workspace"]))?;
    step("package", || package(root))?;
    step("fuzz targets compile", || fuzz_targets(root))?;
    step("typescript", || crate::ci_typescript::run(root))?;
    step("python", || crate::ci_python::run(root))?;
    Ok(())
}

fn step(name: &str, f: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    eprintln!("==> {name}");
    let t = std::time::Instant::now();
    f().map_err(|e| format!("{name} failed: {e}"))?;
    eprintln!("==> {name}: ok in {:.1?}", t.elapsed());
    Ok(())
}

pub(crate) fn cargo(root: &Path, args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run_cmd(Command::new(cargo).args(args).current_dir(root))
}

pub(crate) fn run_cmd(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    if status.success() { Ok(()) } else { Err(format!("{:?} exited with {status}", cmd.get_program())) }
}

/// `cargo package` for the generated crate and the overlay, so a release
/// never fails at the last step: the manifests are publishable (versions on
/// path dependencies, metadata), the file lists are complete, and each
/// packaged crate builds on its own from its `.crate`.
///
/// The overlay depends on the generated crate by path *and* version. Alone,
/// `cargo package -p interactor` would resolve `interactor-api` on
/// crates.io, where this version is not published yet; packaged together in
/// one invocation, cargo (1.90+) verifies the overlay against the
/// `interactor-api` it has just packaged, through a temporary local
/// registry. That is what `cargo publish` of both does, in the same order,
/// so no `--no-verify` is needed. `--allow-dirty`: a developer running the
/// CI locally has uncommitted work; CI itself runs on a clean clone.
///
/// The sharded snapshot crate is packaged with its shard crates the same
/// way: a sharded SDK is published as `cargo publish -p <crate> -p
/// <crate>-types-0 …`, and cargo orders the shards before the crate.
fn package(root: &Path) -> Result<(), String> {
    let sharded = root.join("tests/snapshots/sharded");
    let shards = crate::feature_builds::shard_packages(&sharded, "snapshot-sharded");
    if shards.is_empty() {
        return Err(format!("{}: no type shards; the snapshot is meant to have some", sharded.display()));
    }
    let ours: Vec<&str> = ["interactor-api", "interactor", "snapshot-sharded"].into_iter().chain(shards.iter().map(|(_, n)| n.as_str())).collect();
    forget_unpacked(&ours);
    cargo(root, &["package", "--quiet", "--allow-dirty", "-p", "interactor-api", "-p", "interactor"])?;
    let mut args = vec!["package", "--quiet", "--allow-dirty", "-p", "snapshot-sharded"];
    for (_, name) in &shards {
        args.extend(["-p", name.as_str()]);
    }
    cargo(root, &args)
}

/// Removes cargo's unpacked copies of `packages` (`<name>-<version>` under
/// `$CARGO_HOME/registry/src/*/`). `cargo package` verifies each package
/// against the others through a temporary local registry, whose unpacked
/// sources cargo keeps and reuses by name and version without checking
/// their contents: a generated crate that changed at the same version
/// (`snapshot-sharded-types-9` 1.0.0 gained a dependency) was verified
/// against its old copy and failed. Cargo re-extracts what is missing.
fn forget_unpacked(packages: &[&str]) {
    let home = std::env::var_os("CARGO_HOME").map(PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let Some(Ok(registries)) = home.map(|h| std::fs::read_dir(h.join("registry/src"))) else { return };
    for registry in registries.flatten() {
        let Ok(entries) = std::fs::read_dir(registry.path()) else { continue };
        for entry in entries.flatten() {
            if is_unpacked_copy(&entry.file_name().to_string_lossy(), packages) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// Whether `dir` is `<one of packages>-<version>`.
fn is_unpacked_copy(dir: &str, packages: &[&str]) -> bool {
    packages.iter().any(|p| dir.strip_prefix(p).and_then(|rest| rest.strip_prefix('-')).is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit())))
}

/// Specs the validator checks: the spec of every API in `sdk.toml` and
/// every released version of it (`<spec dir>/history/<version>/openapi.yaml`).
fn specs(root: &Path) -> Result<Vec<PathBuf>, String> {
    let manifest = codegen::workspace::Manifest::load(root).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for api in &manifest.api {
        let spec = root.join(&api.spec);
        if let Some(dir) = spec.parent()
            && let Ok(entries) = std::fs::read_dir(dir.join("history"))
        {
            let mut hist: Vec<PathBuf> = entries.flatten().map(|e| e.path().join("openapi.yaml")).filter(|p| p.exists()).collect();
            hist.sort();
            out.push(spec);
            out.extend(hist);
        } else {
            out.push(spec);
        }
    }
    Ok(out)
}

/// Clippy over `codegen/fuzz` (its own workspace, built in `target/fuzz`),
/// so the fuzz targets cannot rot while CI has no nightly to run them.
fn fuzz_targets(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run_cmd(
        Command::new(cargo)
            .args(["clippy", "--quiet", "--all-targets", "--manifest-path", "codegen/fuzz/Cargo.toml", "--", "-D", "warnings"])
            .env("CARGO_TARGET_DIR", root.join("target/fuzz"))
            .current_dir(root),
    )
}

fn validate_specs(root: &Path) -> Result<(), String> {
    let venv = root.join("target/ci-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        run_cmd(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    run_cmd(Command::new(&python).args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"]).arg(root.join("ci/requirements.txt")))?;
    run_cmd(Command::new(venv.join("bin/openapi-spec-validator")).args(specs(root)?))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn only_unpacked_copies_of_our_packages_are_forgotten() {
        let ours = ["interactor", "interactor-api", "snapshot-sharded", "snapshot-sharded-types-1"];
        let cases = [
            ("interactor-api-2.0.0", true),
            ("interactor-0.3.1", true),
            ("snapshot-sharded-types-1-1.0.0", true),
            ("snapshot-sharded-1.0.0", true),
            ("snapshot-sharded-types-10-1.0.0", false),
            ("interactor-apix-1.0.0", false),
            ("serde-1.0.200", false),
            ("interactor", false),
        ];
        for (dir, want) in cases {
            assert_eq!(super::is_unpacked_copy(dir, &ours), want, "{dir}");
        }
    }

    #[test]
    fn every_api_spec_and_its_history_is_validated() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root");
        let specs: Vec<String> = super::specs(root)
            .expect("sdk.toml loads")
            .iter()
            .map(|p| p.strip_prefix(root).expect("under root").display().to_string())
            .collect();
        for expected in ["spec/openapi.yaml", "spec/history/1.0.0/openapi.yaml", "spec/epsimo/openapi.yaml"] {
            assert!(specs.iter().any(|s| s == expected), "{expected} missing from {specs:?}");
        }
    }
}
