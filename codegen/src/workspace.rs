//! The workspace's `sdk.toml`: which APIs to generate, from which spec, into
//! which crates and packages; and [`regen`], which runs them all.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::output::{self, Outcome};
use crate::report::Report;
use crate::rust::{RustConfig, RustStats};

/// `sdk.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// One entry per API.
    pub api: Vec<ApiEntry>,
}

/// One `[[api]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiEntry {
    /// Short name (`interactor`).
    pub name: String,
    /// Spec path, relative to the workspace root.
    pub spec: String,
    /// Where `fetch` records provenance.
    pub source: Option<String>,
    /// Version of every generated package (`cargo xtask release` writes
    /// it); absent: the spec's `info.version`.
    pub version: Option<String>,
    /// The Rust crate.
    pub rust: Option<RustEntry>,
    /// The TypeScript package.
    pub typescript: Option<TsEntry>,
    /// The Python package.
    pub python: Option<PyEntry>,
}

/// `[api.typescript]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TsEntry {
    /// npm package name.
    pub package: String,
    /// Output directory.
    pub dir: String,
}

/// `[api.python]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PyEntry {
    /// Distribution name.
    pub package: String,
    /// Import name.
    pub module: String,
    /// Output directory.
    pub dir: String,
}

/// `[api.rust]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RustEntry {
    /// Package name.
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// Output directory.
    pub dir: String,
    /// Weight budget of a type shard crate; 0: one crate however large
    /// (see the README, "Large APIs").
    #[serde(default, rename = "shard-budget")]
    pub shard_budget: Option<usize>,
}

/// The manifests `regen` reads: the APIs the workspace ships, then the
/// snapshot fixtures of the test suite.
pub const MANIFESTS: &[&str] = &["sdk.toml", "tests/snapshots.toml"];

impl Manifest {
    /// Reads `<root>/sdk.toml`.
    pub fn load(root: &Path) -> Result<Manifest> {
        Self::load_file(root, "sdk.toml")
    }

    /// Reads a manifest at `<root>/<name>`.
    pub fn load_file(root: &Path, name: &str) -> Result<Manifest> {
        let path = root.join(name);
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
        toml::from_str(&text).map_err(|e| Error::Syntax { origin: path.display().to_string(), message: e.to_string() })
    }
}

impl ApiEntry {
    /// The generator configuration of this entry.
    pub fn config(&self) -> crate::Config {
        crate::Config {
            spec_path: self.spec.clone(),
            package_version: self.version.clone(),
            rust: self.rust.as_ref().map(|r| RustConfig {
                crate_name: r.crate_name.clone(),
                dir: r.dir.clone(),
                license: "MIT OR Apache-2.0".into(),
                repository: None,
                shard_budget: r.shard_budget,
            }),
            typescript: self.typescript.as_ref().map(|t| crate::typescript::TsConfig { package: t.package.clone(), dir: t.dir.clone() }),
            python: self.python.as_ref().map(|p| crate::python::PyConfig { package: p.package.clone(), module: p.module.clone(), dir: p.dir.clone() }),
        }
    }

    /// Output directories this entry owns entirely.
    pub fn owned_dirs(&self) -> Vec<String> {
        let mut dirs: Vec<String> = self.rust.iter().map(|r| r.dir.clone()).collect();
        dirs.extend(self.typescript.iter().map(|t| t.dir.clone()));
        dirs.extend(self.python.iter().map(|p| p.dir.clone()));
        dirs
    }
}

/// What regenerating one API did.
#[derive(Debug)]
pub struct ApiSummary {
    /// The API's name.
    pub name: String,
    /// Operations in the spec.
    pub operations: usize,
    /// Rust counts.
    pub rust: Option<RustStats>,
    /// Files written/compared.
    pub outcome: Outcome,
    /// Files generated.
    pub files: usize,
    /// Notes.
    pub report: Report,
    /// Wall time.
    pub elapsed: Duration,
}

/// Regenerates every API of the workspace at `root` (or, with `check`,
/// only compares).
pub fn regen(root: &Path, check: bool) -> Result<Vec<ApiSummary>> {
    let mut entries = Vec::new();
    for name in MANIFESTS {
        if name == &"sdk.toml" || root.join(name).exists() {
            entries.extend(Manifest::load_file(root, name)?.api);
        }
    }
    let mut out = Vec::new();
    for entry in &entries {
        let t = Instant::now();
        let spec_path: PathBuf = root.join(&entry.spec);
        let bytes = std::fs::read(&spec_path).map_err(|source| Error::Io { path: spec_path.clone(), source })?;
        let generated = crate::generate(&entry.config(), &bytes)?;
        let outcome = output::ensure(root, &generated.files, &entry.owned_dirs(), check)?;
        out.push(ApiSummary {
            name: entry.name.clone(),
            operations: generated.api.operations.len(),
            rust: generated.rust,
            files: generated.files.len(),
            outcome,
            report: generated.report,
            elapsed: t.elapsed(),
        });
    }
    Ok(out)
}
