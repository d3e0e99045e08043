//! The TypeScript part of `cargo xtask ci`: installs the pinned npm
//! packages, type-checks the generated package and the snapshot packages,
//! runs the `node --test` suites (runtime units, vectors, the client
//! against the fake server, the Prism contract test) and checks that the
//! package builds and packs.
//!
//! 1. `npm ci` in `tests/typescript` (typescript, @types/node) and
//!    `tests/prism` (Prism), from their lock files;
//! 2. `tsc --noEmit` with each package's own strict `tsconfig.json`:
//!    `generated/typescript/*` and `tests/snapshots-typescript/*`;
//! 3. `tsc` on `tests/typescript` into `target/ts-tests`, then
//!    `node --test` there with `REPO_ROOT` and `FAKE_INTERACTOR` set (the
//!    fake server binary is built first);
//! 4. the generated package copied to `target/ts-pack`, built, and
//!    `npm pack --dry-run`: the tarball must hold `dist/index.js` and
//!    `dist/index.d.ts` (the generated directory itself stays output-only).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::ci::{cargo, run_cmd};

const NPM_CI: &[&str] = &["ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];

/// `npm ci` in `tests/typescript` (the pinned typescript and @types/node);
/// returns the path of `tsc`. npm's chatter goes to stderr, so a caller's
/// stdout (`corpus` prints its table there) stays clean.
pub fn install_tsc(root: &Path) -> Result<PathBuf, String> {
    run_cmd(Command::new("npm").args(NPM_CI).current_dir(root.join("tests/typescript")).stdout(std::io::stderr()))?;
    Ok(root.join("tests/typescript/node_modules/.bin/tsc"))
}

pub fn run(root: &Path) -> Result<(), String> {
    let tsc = install_tsc(root)?;
    run_cmd(Command::new("npm").args(NPM_CI).current_dir(root.join("tests/prism")))?;

    let mut packages = subdirs(&root.join("generated/typescript"));
    packages.extend(subdirs(&root.join("tests/snapshots-typescript")));
    if packages.is_empty() {
        return Err("no TypeScript package under generated/typescript: run `cargo xtask regen`".into());
    }
    for package in &packages {
        eprintln!("tsc --noEmit -p {}", package.display());
        run_cmd(Command::new(&tsc).arg("--noEmit").arg("-p").arg(package.join("tsconfig.json")))?;
    }

    cargo(root, &["build", "--quiet", "-p", "interactor-tests", "--bin", "fake-interactor"])?;
    let out = root.join("target/ts-tests");
    remove_dir(&out)?;
    run_cmd(Command::new(&tsc).arg("-p").arg(root.join("tests/typescript/tsconfig.json")).arg("--outDir").arg(&out))?;
    run_cmd(
        Command::new("node")
            .args(["--test", "--test-reporter=spec"])
            .arg(out.join("tests/typescript/src"))
            .env("REPO_ROOT", root)
            .env("FAKE_INTERACTOR", root.join("target/debug/fake-interactor"))
            .current_dir(root),
    )?;

    for package in subdirs(&root.join("generated/typescript")) {
        pack(root, &tsc, &package)?;
    }
    Ok(())
}

/// Builds a copy of `package` and checks what `npm pack` would publish.
fn pack(root: &Path, tsc: &Path, package: &Path) -> Result<(), String> {
    let name = package.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let copy = root.join("target/ts-pack").join(&name);
    remove_dir(&copy)?;
    copy_dir(package, &copy)?;
    run_cmd(Command::new(tsc).arg("-p").arg(copy.join("tsconfig.json")))?;
    let output = Command::new("npm")
        .args(["pack", "--dry-run", "--json", "--ignore-scripts", "--loglevel=error"])
        .current_dir(&copy)
        .output()
        .map_err(|e| format!("cannot run npm pack: {e}"))?;
    if !output.status.success() {
        return Err(format!("npm pack --dry-run in {} failed: {}", copy.display(), String::from_utf8_lossy(&output.stderr)));
    }
    let listing = String::from_utf8_lossy(&output.stdout);
    for want in ["\"dist/index.js\"", "\"dist/index.d.ts\"", "\"package.json\"", "\"README.md\""] {
        if !listing.contains(want) {
            return Err(format!("npm pack of {name} lacks {want}; listing:\n{listing}"));
        }
    }
    eprintln!("npm pack --dry-run {name}: ok");
    Ok(())
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).filter(|p| p.join("tsconfig.json").exists()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

fn remove_dir(dir: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", dir.display())),
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            if entry.file_name() != "node_modules" && entry.file_name() != "dist" {
                copy_dir(&path, &target)?;
            }
        } else {
            std::fs::copy(&path, &target).map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}
