//! OpenAPI-driven SDK generator.
//!
//! The pipeline, one module each:
//! [`load`] (YAML/JSON, 3.0/3.1) → [`refs`] (local `$ref`s) →
//! [`normalize`] (3.1 → 3.0, engine constraints) → [`model`]
//! (language-neutral) → back ends ([`rust`], [`typescript`], [`python`]) → [`output`] (files, drift
//! check). [`generate`] runs it all; `xtask` is only its front door.
#![deny(missing_docs)]

pub mod diff;
pub mod error;
pub mod load;
pub mod model;
pub mod naming;
pub mod normalize;
pub mod output;
pub mod pointer;
pub mod python;
pub mod refs;
pub mod release;
pub mod report;
pub mod rust;
pub mod typescript;
pub mod workspace;

use std::time::{Duration, Instant};

pub use error::{Error, Result};
pub use output::File;
pub use report::{Note, Report, Severity};

/// What to generate for one API.
#[derive(Debug, Clone)]
pub struct Config {
    /// Spec path as shown in headers (relative to the workspace root).
    pub spec_path: String,
    /// Version of the generated packages; `None`: from `info.version`.
    pub package_version: Option<String>,
    /// The Rust crate, if wanted.
    pub rust: Option<rust::RustConfig>,
    /// The TypeScript package, if wanted.
    pub typescript: Option<typescript::TsConfig>,
    /// The Python package, if wanted.
    pub python: Option<python::PyConfig>,
}

/// Everything one run produced.
#[derive(Debug)]
pub struct Generated {
    /// The model the back ends read.
    pub api: model::Api,
    /// Files to write.
    pub files: Vec<File>,
    /// Notes (rewrites, degradations, skipped operations).
    pub report: Report,
    /// Counts from the Rust back end.
    pub rust: Option<rust::RustStats>,
    /// sha256 of the input.
    pub sha256: String,
    /// Time spent per phase (the Rust back end's steps included).
    pub timings: Vec<(String, Duration)>,
}

/// Loads, normalizes and models a spec without generating code.
pub fn analyze(origin: &str, bytes: &[u8], report: &mut Report) -> Result<(load::Document, normalize::Normalized, model::Api)> {
    let doc = load::load(origin, bytes)?;
    let (normalized, api) = model_of(&doc, doc.value.clone(), report)?;
    Ok((doc, normalized, api))
}

/// Normalizes and models `value`, the loaded `doc`'s document (or a copy).
fn model_of(doc: &load::Document, mut value: serde_json::Value, report: &mut Report) -> Result<(normalize::Normalized, model::Api)> {
    refs::resolve_refs(&doc.origin, &mut value)?;
    let normalized = normalize::normalize(doc, value, report)?;
    let api = model::Api::from_normalized(&normalized);
    api.check_extensions(&normalized, report);
    Ok((normalized, api))
}

/// What a back end run returns besides its files: its notes and timings.
type BackEndRun = (Vec<File>, Report, Vec<(String, Duration)>);

/// Runs the whole pipeline on the bytes of a spec.
pub fn generate(config: &Config, bytes: &[u8]) -> Result<Generated> {
    let mut report = Report::default();
    let mut timings = Vec::new();
    let t = Instant::now();
    let mut doc = load::load(&config.spec_path, bytes)?;
    // Nothing reads the loaded document after this: no copy (GitHub: 50 ms).
    let value = std::mem::take(&mut doc.value);
    let (normalized, mut api) = model_of(&doc, value, &mut report)?;
    if let Some(v) = &config.package_version {
        api.package_version = v.clone();
    }
    timings.push(("load+normalize".into(), t.elapsed()));
    let source = format!("{} (sha256 {})", config.spec_path, doc.sha256);
    // What the SDKs offer: the spec's operations and a method per second
    // request media type (`normalize::siblings`). `api` stays the spec's.
    let sdk = api.with_siblings(&normalized.siblings);
    let mut files = Vec::new();
    let mut rust_stats = None;
    // The Rust back end (progenitor, syn) takes most of the time on big
    // specs; TypeScript and Python run beside it on a second thread. Each
    // side notes into its own report, merged in a fixed order, so the
    // output does not depend on which finishes first.
    let (rust, others) = std::thread::scope(|scope| {
        let others = scope.spawn(|| -> Result<BackEndRun> {
            let mut files = Vec::new();
            let mut report = Report::default();
            let mut timings = Vec::new();
            if let Some(tc) = &config.typescript {
                let t = Instant::now();
                files.extend(typescript::generate(&sdk, tc, &source, &mut report)?);
                timings.push(("typescript".into(), t.elapsed()));
            }
            if let Some(pc) = &config.python {
                let t = Instant::now();
                files.extend(python::generate(&sdk, pc, &source, &mut report)?);
                timings.push(("python".into(), t.elapsed()));
            }
            Ok((files, report, timings))
        });
        let rust = config.rust.as_ref().map(|rc| {
            let t = Instant::now();
            let mut report = Report::default();
            rust::generate(&sdk, normalized, rc, &source, &mut report).map(|(f, stats)| (f, stats, report, t.elapsed()))
        });
        (rust, others.join())
    });
    if let Some(rust) = rust {
        let (f, stats, rust_report, elapsed) = rust?;
        files.extend(f);
        report.merge(rust_report);
        timings.push(("rust".into(), elapsed));
        timings.extend(stats.timings.iter().cloned());
        rust_stats = Some(stats);
    }
    let (f, others_report, others_timings) = others.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    files.extend(f);
    report.merge(others_report);
    timings.extend(others_timings);
    Ok(Generated { api, files, report, rust: rust_stats, sha256: doc.sha256, timings })
}
