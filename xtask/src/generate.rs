//! `cargo xtask gen SPEC OUT [--lang rust|typescript|python]...`: one spec
//! into SDKs under OUT, without sdk.toml.
//!
//! The building block of `corpus` and `bench-peers`: they run it as a child
//! process so its wall time and peak memory are measured like a peer's.
//! Names come from the spec's file stem (`corpus-<stem>` for the crate,
//! `@corpus/<stem>` and `corpus_<stem>` for the packages); each language goes
//! to `OUT/<lang>/`.
//!
//! Standard output is a [`Summary`]: a first line for people, then one
//! `key: value` line per count and per note, which `corpus` parses back
//! ([`Summary::parse`]), so both sides of the format live here.

use std::path::{Path, PathBuf};

use codegen::Severity;

/// The three languages, as named on the command line.
pub const LANGS: &[&str] = &["rust", "typescript", "python"];

/// Package names derived from a spec's file stem.
pub struct Names {
    pub crate_name: String,
    pub npm: String,
    pub py_module: String,
}

impl Names {
    pub fn from_stem(stem: &str) -> Names {
        let kebab: String = stem.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        let kebab = kebab.trim_matches('-').to_owned();
        Names { crate_name: format!("corpus-{kebab}"), npm: format!("@corpus/{kebab}"), py_module: format!("corpus_{}", kebab.replace('-', "_")) }
    }
}

/// The codegen configuration for `langs`, paths relative to OUT.
pub fn config(spec: &Path, langs: &[&str]) -> codegen::Config {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
    let n = Names::from_stem(stem);
    let want = |l: &str| langs.contains(&l);
    codegen::Config {
        spec_path: spec.file_name().and_then(|f| f.to_str()).unwrap_or_default().to_owned(),
        package_version: None,
        rust: want("rust").then(|| codegen::rust::RustConfig { crate_name: n.crate_name.clone(), dir: format!("rust/{}", n.crate_name), license: "MIT".into(), repository: None, shard_budget: None }),
        typescript: want("typescript").then(|| codegen::typescript::TsConfig { package: n.npm.clone(), dir: format!("typescript/{}", n.crate_name) }),
        python: want("python").then(|| codegen::python::PyConfig { package: n.crate_name.clone(), module: n.py_module.clone(), dir: format!("python/{}", n.crate_name) }),
    }
}

pub fn run(_root: &Path, args: &[String]) -> Result<(), String> {
    const USAGE: &str = "usage: cargo xtask gen SPEC OUT [--lang rust|typescript|python]...";
    let mut positional = Vec::new();
    let mut langs: Vec<&str> = Vec::new();
    let mut args = args.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--lang" => {
                let l = args.next().ok_or(USAGE)?;
                langs.push(LANGS.iter().find(|x| **x == l.as_str()).ok_or_else(|| format!("unknown language {l:?}; {USAGE}"))?);
            }
            s if !s.starts_with('-') => positional.push(PathBuf::from(s)),
            _ => return Err(USAGE.into()),
        }
    }
    let [spec, out] = positional.as_slice() else { return Err(USAGE.into()) };
    if langs.is_empty() {
        langs = LANGS.to_vec();
    }
    crate::alloc::prefault_for_spec(spec, langs.contains(&"rust"));
    let bytes = std::fs::read(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let generated = codegen::generate(&config(spec, &langs), &bytes).map_err(|e| format!("{}: {e}", spec.display()))?;
    codegen::output::ensure(out, &generated.files, &[], false).map_err(|e| e.to_string())?;
    let summary = Summary {
        operations: generated.api.operations.len(),
        webhooks: generated.api.webhooks.len(),
        files: generated.files.len(),
        // TypeScript and Python generate every operation; Rust says how many it did.
        generated: langs
            .iter()
            .map(|l| (l.to_string(), if *l == "rust" { generated.rust.as_ref().map_or(0, |r| r.operations) } else { generated.api.operations.len() }))
            .collect(),
        skipped: generated.report.of(Severity::Skipped).map(|n| format!("{}: {}", n.pointer, n.message)).collect(),
        degraded: generated.report.of(Severity::Degraded).map(|n| format!("{}: {}", n.pointer, n.message)).collect(),
    };
    print!("{}", summary.render());
    Ok(())
}

/// What one `gen` run did, as printed on standard output.
#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    /// Operations in the spec (after normalization).
    pub operations: usize,
    /// Webhooks in the spec.
    pub webhooks: usize,
    /// Files written.
    pub files: usize,
    /// Operations generated, per language.
    pub generated: Vec<(String, usize)>,
    /// Skipped notes, `pointer: message`.
    pub skipped: Vec<String>,
    /// Degraded notes, `pointer: message`.
    pub degraded: Vec<String>,
}

impl Summary {
    /// The text `gen` prints; messages are kept on one line each.
    pub fn render(&self) -> String {
        let one_line = |s: &str| s.replace(['\r', '\n'], " ");
        let mut out = format!("{} operations, {} skipped, {} files\n", self.operations, self.skipped.len(), self.files);
        out.push_str(&format!("operations: {}\nwebhooks: {}\n", self.operations, self.webhooks));
        for (lang, n) in &self.generated {
            out.push_str(&format!("generated {lang}: {n}\n"));
        }
        for s in &self.skipped {
            out.push_str(&format!("skipped: {}\n", one_line(s)));
        }
        for d in &self.degraded {
            out.push_str(&format!("degraded: {}\n", one_line(d)));
        }
        out
    }

    /// Reads [`Summary::render`]'s text back; unknown lines are ignored.
    pub fn parse(text: &str) -> Summary {
        let mut s = Summary::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once(": ") else { continue };
            let count = || value.trim().parse::<usize>().unwrap_or(0);
            match key {
                "operations" => s.operations = count(),
                "webhooks" => s.webhooks = count(),
                "skipped" => s.skipped.push(value.to_owned()),
                "degraded" => s.degraded.push(value.to_owned()),
                k => {
                    if let Some(lang) = k.strip_prefix("generated ") {
                        s.generated.push((lang.to_owned(), count()));
                    }
                }
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_round_trips() {
        let s = Summary {
            operations: 12,
            webhooks: 3,
            files: 40,
            generated: vec![("rust".into(), 10)],
            skipped: vec!["#/paths/~1a/get: operation a not generated in Rust: boom".into(), "#/paths/~1b/get: second".into()],
            degraded: vec!["#/components/schemas/X: untyped".into()],
        };
        let text = s.render();
        assert!(text.starts_with("12 operations, 2 skipped, 40 files\n"), "{text}");
        // `files` is only in the human line; everything else comes back.
        assert_eq!(Summary::parse(&text), Summary { files: 0, ..s });
    }

    #[test]
    fn messages_stay_on_one_line() {
        let s = Summary { skipped: vec!["#/p: first\nsecond".into()], ..Summary::default() };
        assert_eq!(Summary::parse(&s.render()).skipped, ["#/p: first second"]);
    }
}
