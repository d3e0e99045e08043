//! `cargo xtask corpus [--only SUBSTR] [--lang L]... [--no-check] [DIR]`:
//! the generator against real-world specs, in every language.
//!
//! Every `*.json`/`*.yaml` in DIR (default `../shared/corpus`; with
//! `--only`, those whose name contains SUBSTR) is generated once per
//! language (all three unless `--lang` is given) by a child process
//! (`xtask gen SPEC target/corpus --lang L`), so each language's generation
//! time and peak memory are its own, and a generator that fails or crashes
//! on a spec costs that row only. Then each output is checked
//! ([`check`]): `cargo check` (all crates in one scratch workspace,
//! `target/corpus/Cargo.toml`, so dependencies compile once), `tsc` with
//! the package's strict tsconfig, `mypy --strict`. One row per spec and
//! language ([`table`]) goes to stdout and to `target/bench/corpus.md`.
//!
//! Plain progenitor (the Rust engine without our normalizer) is no longer a
//! column: it is a peer, measured as one by `bench-peers`.

mod check;
mod table;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::generate::{LANGS, Names, Summary};
use check::Check;
use table::Row;

const USAGE: &str = "usage: cargo xtask corpus [--only SUBSTR] [--lang rust|typescript|python]... [--no-check] [DIR]";

#[derive(Debug)]
struct Options {
    dir: PathBuf,
    only: Option<String>,
    langs: Vec<&'static str>,
    check: bool,
}

fn options(root: &Path, args: &[String]) -> Result<Options, String> {
    let mut o = Options { dir: root.join("../shared/corpus"), only: None, langs: Vec::new(), check: true };
    let mut args = args.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--only" => o.only = Some(args.next().ok_or(USAGE)?.clone()),
            "--no-check" => o.check = false,
            "--lang" => {
                let l = args.next().ok_or(USAGE)?;
                let l = LANGS.iter().copied().find(|x| *x == l.as_str()).ok_or_else(|| format!("unknown language {l:?}; {USAGE}"))?;
                if !o.langs.contains(&l) {
                    o.langs.push(l);
                }
            }
            d if !d.starts_with('-') => o.dir = PathBuf::from(d),
            _ => return Err(USAGE.into()),
        }
    }
    if o.langs.is_empty() {
        o.langs = LANGS.to_vec();
    }
    Ok(o)
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let o = options(root, args)?;
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&o.dir)
        .map_err(|e| format!("{}: {e}", o.dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml")))
        .filter(|p| o.only.as_ref().is_none_or(|only| p.file_name().is_some_and(|f| f.to_string_lossy().contains(only.as_str()))))
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!("no *.json or *.yaml spec in {}{}", o.dir.display(), o.only.as_ref().map(|s| format!(" whose name contains {s:?}")).unwrap_or_default()));
    }
    let out = root.join("target/corpus");
    remove_old_outputs(&out)?;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the xtask binary: {e}"))?;

    let mut rows = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        for &lang in &o.langs {
            let row = generate(&exe, spec, &out, lang);
            eprintln!("[{}/{}] {} {lang}: {} of {} operations in {:.2} s, {:.0} MiB", i + 1, specs.len(), row.spec, row.generated, row.operations, row.gen_secs, row.gen_mib);
            rows.push(row);
        }
    }
    let bench = root.join("target/bench");
    std::fs::create_dir_all(&bench).map_err(|e| format!("{}: {e}", bench.display()))?;
    let file = bench.join("corpus.md");
    // The file is rewritten after every check, so a long run that is
    // stopped still leaves what it found.
    let save = |rows: &[Row], state: &str| {
        let title = format!("# cargo xtask corpus\n\n{} specs from {}, {} ({state}).\n\n", specs.len(), o.dir.display(), o.langs.join(", "));
        std::fs::write(&file, title + &table::render(rows)).map_err(|e| format!("{}: {e}", file.display()))
    };
    save(&rows, "checks running")?;
    if o.check {
        check_all(root, &out, &mut rows, |rows| save(rows, "checks running"))?;
    } else {
        for r in rows.iter_mut().filter(|r| r.check == Check::Pending) {
            r.check = Check::NotRun("not checked (--no-check)".into());
        }
    }
    std::io::Write::write_all(&mut std::io::stdout(), table::render(&rows).as_bytes()).map_err(|e| format!("cannot print the table: {e}"))?;
    save(&rows, "done")?;
    eprintln!("written to {}", file.display());
    Ok(())
}

/// Outputs of earlier runs go (a spec since removed must not linger in
/// the Rust workspace); the scratch workspace's `target/` stays, so
/// dependencies compile once across runs.
fn remove_old_outputs(out: &Path) -> Result<(), String> {
    for dir in [out.to_path_buf(), out.join("rust"), out.join("typescript"), out.join("python")] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with("corpus-") {
                std::fs::remove_dir_all(entry.path()).map_err(|e| format!("cannot remove {}: {e}", entry.path().display()))?;
            }
        }
    }
    Ok(())
}

/// Generates `spec` in `lang` under `out` in a child process and measures it.
fn generate(exe: &Path, spec: &Path, out: &Path, lang: &'static str) -> Row {
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut row = Row { spec: stem, lang, operations: 0, webhooks: 0, generated: 0, skipped: Vec::new(), degraded: 0, gen_secs: 0.0, gen_mib: 0.0, check: Check::Pending };
    let measured = crate::measure::run(Command::new(exe).arg("gen").arg(spec).arg(out).args(["--lang", lang]));
    let m = match measured {
        Ok(m) => m,
        Err(e) => {
            row.skipped.push(format!("not generated: {e}"));
            row.check = Check::NotRun("not generated".into());
            return row;
        }
    };
    row.gen_secs = m.wall.as_secs_f64();
    row.gen_mib = m.max_rss_mib();
    if !m.status.success() {
        let stderr = String::from_utf8_lossy(&m.stderr);
        // `gen` says why on its last line (`error: …`); a crash says nothing.
        let why = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message");
        row.skipped.push(format!("not generated ({}): {}", m.status, why.trim_start_matches("error: ")));
        row.check = Check::NotRun("not generated".into());
        return row;
    }
    let s = Summary::parse(&String::from_utf8_lossy(&m.stdout));
    row.operations = s.operations;
    row.webhooks = s.webhooks;
    row.generated = s.generated.iter().find(|(l, _)| l == lang).map_or(0, |(_, n)| *n);
    row.skipped = s.skipped.into_iter().filter(|n| table::concerns(n, lang)).collect();
    row.degraded = s.degraded.iter().filter(|n| table::concerns(n, lang)).count();
    row
}

/// Runs each language's checker over the rows still pending. A checker is
/// installed when first needed; one that cannot be marks its rows as not
/// checked, with the reason.
fn check_all(root: &Path, out: &Path, rows: &mut [Row], mut progress: impl FnMut(&[Row]) -> Result<(), String>) -> Result<(), String> {
    let members: Vec<String> =
        rows.iter().filter(|r| r.lang == "rust" && r.check == Check::Pending).map(|r| format!("\"rust/{}\"", Names::from_stem(&r.spec).crate_name)).collect();
    if !members.is_empty() {
        // No incremental state: the crates are new each run, and its
        // files for GitHub-sized crates run to gigabytes.
        let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\nincremental = false\n", members.join(", "));
        std::fs::write(out.join("Cargo.toml"), manifest).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let mut tsc = None;
    let mut venv = None;
    let mypy_cache = root.join("target/corpus-mypy-cache");
    let waiting: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].check == Check::Pending).collect();
    for (done, &i) in waiting.iter().enumerate() {
        let r = &rows[i];
        eprintln!("[{}/{}] checking {} {}", done + 1, waiting.len(), r.spec, r.lang);
        let n = Names::from_stem(&r.spec);
        let check = match r.lang {
            "rust" => check::rust(out, &n.crate_name),
            "typescript" => match tsc.get_or_insert_with(|| crate::ci_typescript::install_tsc(root)) {
                Ok(tsc) => check::typescript(tsc, &out.join("typescript").join(&n.crate_name)),
                Err(e) => Check::NotRun(format!("not checked: {e}")),
            },
            _ => match venv.get_or_insert_with(|| crate::ci_python::install_venv(root)) {
                Ok(venv) => check::python(venv, &out.join("python").join(&n.crate_name), &n.py_module, &mypy_cache),
                Err(e) => Check::NotRun(format!("not checked: {e}")),
            },
        };
        rows[i].check = check;
        progress(rows)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        options(Path::new("/r"), &args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn every_language_unless_some_are_named() {
        assert_eq!(parse(&[]).unwrap().langs, LANGS);
        let o = parse(&["--lang", "python", "--only", "pet", "--lang", "python", "--no-check", "specs"]).unwrap();
        assert_eq!(o.langs, ["python"]);
        assert_eq!(o.only.as_deref(), Some("pet"));
        assert!(!o.check);
        assert_eq!(o.dir, PathBuf::from("specs"));
        assert_eq!(parse(&[]).unwrap().dir, PathBuf::from("/r/../shared/corpus"));
    }

    #[test]
    fn bad_arguments_say_what_is_expected() {
        assert!(parse(&["--lang", "go"]).unwrap_err().starts_with("unknown language \"go\""));
        assert_eq!(parse(&["--lang"]).unwrap_err(), USAGE);
        assert_eq!(parse(&["--fast"]).unwrap_err(), USAGE);
    }
}
