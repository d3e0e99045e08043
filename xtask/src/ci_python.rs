//! The Python part of `cargo xtask ci`: installs the pinned Python
//! packages (`ci/requirements-python.txt`) into `target/py-venv`, type-checks
//! every generated Python package (`generated/python/*`,
//! `tests/snapshots-python/*`) and the suite with `mypy --strict`, runs
//! `tests/python` with pytest (against the fake server binary and Prism,
//! which the TypeScript step installs in `tests/prism`), then builds the
//! main package's wheel and imports it from outside the source tree, so a
//! release never fails at its last step.
//!
//! Nothing is written inside generated directories: bytecode is off
//! (`PYTHONDONTWRITEBYTECODE`), caches live under `target/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::ci::{cargo, run_cmd};

/// A generated package: its directory (holding `pyproject.toml`) and its
/// import name (the one directory under `src/`).
struct Package {
    dir: PathBuf,
    module: String,
}

fn packages(root: &Path) -> Result<Vec<Package>, String> {
    let mut out = Vec::new();
    for parent in ["generated/python", "tests/snapshots-python"] {
        let Ok(entries) = std::fs::read_dir(root.join(parent)) else { continue };
        let mut dirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.join("pyproject.toml").exists()).collect();
        dirs.sort();
        for dir in dirs {
            let src = dir.join("src");
            let module = std::fs::read_dir(&src)
                .map_err(|e| format!("{}: {e}", src.display()))?
                .flatten()
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().into_string().ok())
                .find(|n| !n.starts_with('.') && n != "__pycache__")
                .ok_or_else(|| format!("{}: no package directory under src/; run `cargo xtask regen`", src.display()))?;
            out.push(Package { dir, module });
        }
    }
    if out.is_empty() {
        return Err("no generated Python package found; run `cargo xtask regen`".into());
    }
    Ok(out)
}

/// `python` of the venv, run in `dir`, writing no bytecode.
pub fn python(venv: &Path, dir: &Path) -> Command {
    let mut cmd = Command::new(venv.join("bin/python"));
    cmd.current_dir(dir).env("PYTHONDONTWRITEBYTECODE", "1");
    cmd
}

/// The venv at `target/py-venv` (created if missing) with the pinned
/// packages of `ci/requirements-python.txt`; returns its directory. pip's
/// output goes to stderr, so a caller's stdout stays clean.
pub fn install_venv(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join("target/py-venv");
    if !venv.join("bin/python").exists() {
        run_cmd(Command::new("python3").args(["-m", "venv"]).arg(&venv).stdout(std::io::stderr()))?;
    }
    run_cmd(
        python(&venv, root)
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(root.join("ci/requirements-python.txt"))
            .stdout(std::io::stderr()),
    )?;
    Ok(venv)
}

pub fn run(root: &Path) -> Result<(), String> {
    let venv = install_venv(root)?;
    cargo(root, &["build", "--quiet", "-p", "interactor-tests", "--bin", "fake-interactor"])?;

    let packages = packages(root)?;
    let cache = root.join("target/py-mypy-cache");
    for p in &packages {
        eprintln!("mypy --strict {}", p.module);
        run_cmd(python(&venv, &p.dir.join("src")).args(["-m", "mypy", "--strict", "--cache-dir"]).arg(&cache).args(["-p", &p.module]))?;
    }
    let path = std::env::join_paths(packages.iter().map(|p| p.dir.join("src"))).map_err(|e| e.to_string())?;
    run_cmd(python(&venv, &root.join("tests/python")).env("MYPYPATH", &path).args(["-m", "mypy", "--strict", "--cache-dir"]).arg(&cache).arg("."))?;

    let fake = root.join("target/debug/fake-interactor");
    run_cmd(
        python(&venv, root)
            .env("FAKE_INTERACTOR_BIN", &fake)
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/python"]),
    )?;

    // The release artifact: a wheel of the main package, installed and
    // imported away from the source tree.
    let main = packages.iter().find(|p| p.dir.starts_with(root.join("generated"))).ok_or("no package under generated/python")?;
    let dist = root.join("target/py-dist");
    let _ = std::fs::remove_dir_all(&dist);
    run_cmd(python(&venv, root).args(["-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--disable-pip-version-check", "-w"]).arg(&dist).arg(&main.dir))?;
    let wheel = std::fs::read_dir(&dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or("pip wheel produced no .whl")?;
    run_cmd(python(&venv, root).args(["-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", "--disable-pip-version-check"]).arg(&wheel))?;
    let check = format!("import {m}, {m}.models, {m}.resources; assert {m}.__file__ and 'site-packages' in {m}.__file__, {m}.__file__; print('wheel ok:', {m}.__version__)", m = main.module);
    run_cmd(python(&venv, &dist).args(["-c", &check]))
}
