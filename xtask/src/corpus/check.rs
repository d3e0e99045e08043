//! The type checkers `corpus` runs over generated output, one per language,
//! each measured (wall time and peak memory, `crate::measure`), and the
//! reading of their output: how many errors, and the first one.
//!
//! - Rust: `cargo check --message-format=short -p <crate>` in the scratch
//!   workspace (`target/corpus/rust`), so dependencies compile once;
//! - TypeScript: `tsc --noEmit -p <package>/tsconfig.json`, the package's
//!   own strict configuration;
//! - Python: `mypy --strict -p <module>` from the package's `src/`, as
//!   `ci-python` does.

use std::path::Path;
use std::process::Command;

use crate::measure::{self, Measured};

/// The result of checking one output.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// Generated; the checker has not run yet.
    Pending,
    /// Not run, and why (`not generated`, `--no-check`, a setup failure).
    NotRun(String),
    /// Clean (Rust may still warn).
    Ok { warnings: usize, secs: f64, mib: f64 },
    /// The checker failed: its error count and first error (or, when it
    /// printed none it could count, how it ended).
    Failed { errors: usize, first: String, secs: f64, mib: f64 },
}

/// `cargo check` of `krate` in the scratch workspace `workspace`.
pub fn rust(workspace: &Path, krate: &str) -> Check {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["check", "--quiet", "--message-format=short", "-p", krate]).current_dir(workspace);
    outcome("rust", measure::run(&mut cmd))
}

/// `tsc --noEmit` with the package's own `tsconfig.json`.
pub fn typescript(tsc: &Path, package: &Path) -> Check {
    let mut cmd = Command::new(tsc);
    cmd.arg("--noEmit").arg("-p").arg(package.join("tsconfig.json")).current_dir(package);
    outcome("typescript", measure::run(&mut cmd))
}

/// `mypy --strict` on the package `module` under `package/src`.
pub fn python(venv: &Path, package: &Path, module: &str, cache: &Path) -> Check {
    let mut cmd = crate::ci_python::python(venv, &package.join("src"));
    cmd.args(["-m", "mypy", "--strict", "--cache-dir"]).arg(cache).args(["-p", module]);
    outcome("python", measure::run(&mut cmd))
}

fn outcome(lang: &str, measured: Result<Measured, String>) -> Check {
    let m = match measured {
        Ok(m) => m,
        Err(e) => return Check::NotRun(e),
    };
    let secs = m.wall.as_secs_f64();
    let mib = m.max_rss_mib();
    let output = format!("{}\n{}", String::from_utf8_lossy(&m.stdout), String::from_utf8_lossy(&m.stderr));
    let errors = output.lines().filter(|l| is_error(lang, l)).count();
    if m.status.success() {
        let warnings = output.lines().filter(|l| lang == "rust" && l.contains(": warning")).count();
        return Check::Ok { warnings, secs, mib };
    }
    let first = output
        .lines()
        .find(|l| is_error(lang, l))
        .or_else(|| output.lines().find(|l| l.trim_start().starts_with("error")))
        .or_else(|| output.lines().rev().find(|l| !l.trim().is_empty()))
        .unwrap_or("no output")
        .trim();
    let first = match output.lines().find_map(|l| l.find("(signal: ").map(|at| &l[at..])) {
        // cargo names the compiler it lost (to the OOM killer, say) after a
        // long command line: keep the part that says how.
        Some(signal) if errors == 0 => format!("{}, compiler killed {signal}: {first}", m.status),
        _ if errors == 0 => format!("{}: {first}", m.status),
        _ => first.to_owned(),
    };
    Check::Failed { errors, first, secs, mib }
}

/// Whether `line` of a checker's output reports one error:
/// `src/lib.rs:3:5: error[E0308]: …` (cargo, short format),
/// `src/a.ts(3,5): error TS2322: …` (tsc), `m/models.py:3: error: …` (mypy).
/// Summaries (`error: could not compile`, `Found 3 errors`) are not errors.
pub fn is_error(lang: &str, line: &str) -> bool {
    match lang {
        "rust" => line.contains(": error"),
        "typescript" => line.contains("error TS"),
        _ => line.contains(": error:"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(lang: &str, output: &str) -> usize {
        output.lines().filter(|l| is_error(lang, l)).count()
    }

    #[test]
    fn counts_each_checkers_error_lines_but_not_its_summaries() {
        let cargo = "corpus-a/src/lib.rs:3:5: error[E0308]: mismatched types\n\
                     corpus-a/src/lib.rs:9:1: warning: unused import\n\
                     error: could not compile `corpus-a` (lib) due to 1 previous error";
        assert_eq!(count("rust", cargo), 1);
        let tsc = "src/types.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'.\n\
                   error TS5058: The specified path does not exist: 'x/tsconfig.json'.\n\
                   \x20 Types of property 'a' are incompatible.";
        assert_eq!(count("typescript", tsc), 2);
        let mypy = "corpus_a/models.py:3: error: Name \"X\" is not defined  [name-defined]\n\
                    corpus_a/models.py:3: note: see https://mypy.rtfd.io\n\
                    Found 1 error in 1 file (checked 9 source files)";
        assert_eq!(count("python", mypy), 1);
    }

    fn failed(lang: &str, code: i32, stdout: &str) -> Check {
        use std::os::unix::process::ExitStatusExt as _;
        let m = Measured {
            status: std::process::ExitStatus::from_raw(code << 8),
            wall: std::time::Duration::from_millis(1500),
            max_rss_kib: 2048,
            sys: Default::default(),
            stdout: stdout.as_bytes().to_vec(),
            stderr: Vec::new(),
            timed_out: false,
            group_peak_kib: None,
        };
        outcome(lang, Ok(m))
    }

    #[test]
    fn a_failure_names_its_first_error() {
        let out = "\nsrc/a.ts(1,1): error TS1005: ';' expected.\nsrc/b.ts(2,2): error TS2304: Cannot find name 'X'.\n";
        assert_eq!(failed("typescript", 2, out), Check::Failed { errors: 2, first: "src/a.ts(1,1): error TS1005: ';' expected.".into(), secs: 1.5, mib: 2.0 });
    }

    #[test]
    fn a_failure_without_error_lines_says_how_it_ended() {
        let Check::Failed { errors, first, .. } = failed("python", 2, "mypy: can't read file 'x': No such file\n\n") else { panic!("not a failure") };
        assert_eq!(errors, 0);
        assert_eq!(first, "exit status: 2: mypy: can't read file 'x': No such file");
    }

    #[test]
    fn a_killed_compiler_says_so() {
        let out = "error: could not compile `corpus-a` (lib); 2 warnings emitted\n\nCaused by:\n  process didn't exit successfully: `rustc --crate-name corpus_a --edition=2024 src/lib.rs` (signal: 9, SIGKILL: kill)\n";
        let Check::Failed { errors: 0, first, .. } = failed("rust", 101, out) else { panic!("not a failure without errors") };
        assert_eq!(first, "exit status: 101, compiler killed (signal: 9, SIGKILL: kill): error: could not compile `corpus-a` (lib); 2 warnings emitted");
    }

    #[test]
    fn success_counts_rust_warnings_only() {
        use std::os::unix::process::ExitStatusExt as _;
        let m = |out: &str| Measured { status: std::process::ExitStatus::from_raw(0), wall: Default::default(), max_rss_kib: 0, sys: Default::default(), stdout: Vec::new(), stderr: out.as_bytes().to_vec(), timed_out: false, group_peak_kib: None };
        assert_eq!(outcome("rust", Ok(m("a/src/lib.rs:1:1: warning: unused\n"))), Check::Ok { warnings: 1, secs: 0.0, mib: 0.0 });
        assert_eq!(outcome("python", Ok(m("a.py:1: warning: x\n"))), Check::Ok { warnings: 0, secs: 0.0, mib: 0.0 });
    }
}
