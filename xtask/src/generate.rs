//! `cargo xtask gen SPEC OUT [--lang rust|typescript|python]...`: one spec
//! into SDKs under OUT, without sdk.toml.
//!
//! The building block of `corpus` and `bench-peers`: they run it as a child
//! process so its wall time and peak memory are measured like a peer's.
//! Names come from the spec's file stem (`corpus-<stem>` for the crate,
//! `@corpus/<stem>` and `corpus_<stem>` for the packages); each language goes
//! to `OUT/<lang>/`.

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
        rust: want("rust").then(|| codegen::rust::RustConfig { crate_name: n.crate_name.clone(), dir: format!("rust/{}", n.crate_name), license: "MIT".into(), repository: None }),
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
    let bytes = std::fs::read(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let generated = codegen::generate(&config(spec, &langs), &bytes).map_err(|e| format!("{}: {e}", spec.display()))?;
    codegen::output::ensure(out, &generated.files, &[], false).map_err(|e| e.to_string())?;
    let skipped = generated.report.of(Severity::Skipped).count();
    println!(
        "{} operations, {} skipped, {} files",
        generated.api.operations.len(),
        skipped,
        generated.files.len()
    );
    Ok(())
}
