//! Releases: the next SDK version from the spec diff, and everything a
//! release writes. `cargo xtask release` is its front door.
//!
//! A release of one API of `sdk.toml`:
//!
//! 1. finds the last released spec: the highest semver directory of
//!    `history/` next to the API's spec (`spec/history/<version>/openapi.yaml`);
//! 2. if the current spec is byte for byte that spec, there is nothing to
//!    release (running twice is idempotent);
//! 3. diffs the two ([`crate::diff::diff_documents`]) and decides the bump
//!    ([`decide`]): any ERR → major, a new operation, type, webhook or
//!    stream → minor, anything else → patch; below 1.0.0 as cargo reads
//!    versions ([`Version::bump`]): breaking → minor, else patch;
//! 4. writes the version into `sdk.toml` (`version = "…"` of the API's
//!    `[[api]]` table, which every back end reads as `api.package_version`),
//!    copies the spec to `history/<version>/openapi.yaml` and prepends a
//!    `CHANGELOG.md` entry written from the diff. The caller regenerates.
//!
//! The SDK version is the SDK's own semver: it follows from the diff, not
//! from the spec's `info.version` (the API's label, which providers bump as
//! they like). When the two differ, [`Plan::info_version`] lets the front
//! door say so.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diff::{Finding, Level};
use crate::workspace::{ApiEntry, Manifest};

/// What can go wrong in a release.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A spec or manifest could not be loaded.
    #[error(transparent)]
    Codegen(#[from] crate::Error),
    /// Anything else, said in full.
    #[error("{0}")]
    Other(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.to_path_buf(), source }
}

/// `MAJOR.MINOR.PATCH`. Hand-written rather than the `semver` crate:
/// releases only ever need three numbers, compared and bumped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// Incompatible changes (from 1.0.0 on).
    pub major: u64,
    /// Additions (below 1.0.0: incompatible changes).
    pub minor: u64,
    /// Everything else.
    pub patch: u64,
}

impl Version {
    /// Parses `1.2.3` (a leading `v` is accepted); `None` for anything else.
    pub fn parse(s: &str) -> Option<Version> {
        let mut it = s.trim().trim_start_matches('v').split('.').map(|p| if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) { p.parse().ok() } else { None });
        let v = Version { major: it.next()??, minor: it.next()??, patch: it.next()?? };
        it.next().is_none().then_some(v)
    }

    /// The next version after a change of kind `bump`, as cargo reads
    /// compatibility: `1.2.3` → `2.0.0` / `1.3.0` / `1.2.4`; below 1.0.0
    /// the leftmost non-zero number is the "major" one: `0.3.1` → `0.4.0`
    /// for a breaking change, `0.3.2` otherwise; `0.0.3` → `0.0.4` always.
    pub fn bump(self, bump: Bump) -> Version {
        let Version { major, minor, patch } = self;
        match (major, minor, bump) {
            (0, 0, _) => Version { major, minor, patch: patch + 1 },
            (0, _, Bump::Major) => Version { major, minor: minor + 1, patch: 0 },
            (0, _, _) => Version { major, minor, patch: patch + 1 },
            (_, _, Bump::Major) => Version { major: major + 1, minor: 0, patch: 0 },
            (_, _, Bump::Minor) => Version { major, minor: minor + 1, patch: 0 },
            (_, _, Bump::Patch) => Version { major, minor, patch: patch + 1 },
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The kind of change a release is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Bug fixes, documentation, compatible tightening.
    Patch,
    /// New operations, types, webhooks or streams.
    Minor,
    /// At least one ERR finding.
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::Major => "major",
            Bump::Minor => "minor",
            Bump::Patch => "patch",
        })
    }
}

/// Rules that add something users can call or name: they make a minor release.
pub const ADDITIONS: &[&str] = &["endpoint-added", "api-schema-added", "webhook-added", "sse-stream-added", "sse-event-type-added"];

/// The bump a set of findings calls for.
pub fn decide(findings: &[Finding]) -> Bump {
    if findings.iter().any(|f| f.level == Level::Err) {
        Bump::Major
    } else if findings.iter().any(|f| ADDITIONS.contains(&f.rule.as_str())) {
        Bump::Minor
    } else {
        Bump::Patch
    }
}

/// A release decided, not yet written.
#[derive(Debug)]
pub struct Plan {
    /// The API's name in `sdk.toml`.
    pub api: String,
    /// The last released version; `None` on the first release.
    pub previous: Option<Version>,
    /// The version to release; `None`: the spec is the last released one.
    pub next: Option<Version>,
    /// The bump (`Major` on a first release).
    pub bump: Bump,
    /// The diff from the previous release.
    pub findings: Vec<Finding>,
    /// The spec's `info.version`.
    pub info_version: String,
    /// The spec file, relative to the workspace root.
    pub spec: String,
    /// The history directory, relative to the workspace root.
    pub history: String,
}

impl Plan {
    /// The CHANGELOG entry of this release (markdown, starting `## <version>`).
    pub fn changelog_entry(&self) -> String {
        let Some(next) = self.next else { return String::new() };
        let mut out = match self.previous {
            Some(prev) => format!("## {next}\n\n{} release of `{}`, from {prev} (spec `info.version` {}).\n", capitalized(self.bump), self.api, self.info_version),
            None => format!("## {next}\n\nFirst release of `{}` (spec `info.version` {}).\n", self.api, self.info_version),
        };
        // Breaking first, then possibly breaking, additions, the rest.
        let section = |f: &Finding| match f.level {
            Level::Err => 0,
            Level::Warn => 1,
            Level::Info if ADDITIONS.contains(&f.rule.as_str()) => 2,
            Level::Info => 3,
        };
        for (i, heading) in ["Breaking changes", "Possibly breaking changes", "Additions", "Other changes"].into_iter().enumerate() {
            let items: Vec<&Finding> = self.findings.iter().filter(|f| section(f) == i).collect();
            if !items.is_empty() {
                out.push_str(&format!("\n### {heading}\n\n{}", crate::diff::render::bullets(&items)));
            }
        }
        out
    }
}

fn capitalized(bump: Bump) -> &'static str {
    match bump {
        Bump::Major => "Major",
        Bump::Minor => "Minor",
        Bump::Patch => "Patch",
    }
}

/// The released versions in `history` (directories named `X.Y.Z` holding
/// an `openapi.yaml`), lowest first.
pub fn released(history: &Path) -> Result<Vec<Version>, Error> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(history) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(io(history)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io(history))?;
        if let Some(v) = entry.file_name().to_str().and_then(Version::parse)
            && entry.path().join("openapi.yaml").is_file()
        {
            out.push(v);
        }
    }
    out.sort();
    Ok(out)
}

/// The `[[api]]` entry named `api` (or the first one) of `sdk.toml`.
pub fn entry(root: &Path, api: Option<&str>) -> Result<ApiEntry, Error> {
    let manifest = Manifest::load(root)?;
    let names: Vec<String> = manifest.api.iter().map(|a| a.name.clone()).collect();
    match api {
        Some(name) => manifest.api.into_iter().find(|a| a.name == name),
        None => manifest.api.into_iter().next(),
    }
    .ok_or_else(|| Error::Other(format!("sdk.toml has no [[api]] named {api:?}; it has {names:?}")))
}

/// The history directory of a spec: `history/` next to it.
pub fn history_dir(spec: &str) -> String {
    match Path::new(spec).parent().and_then(Path::to_str) {
        Some(p) if !p.is_empty() => format!("{p}/history"),
        _ => "history".to_owned(),
    }
}

fn analyze(origin: &str, bytes: &[u8]) -> Result<(crate::model::Api, serde_json::Value), Error> {
    let mut report = crate::Report::default();
    let (doc, _, api) = crate::analyze(origin, bytes, &mut report)?;
    Ok((api, doc.value))
}

/// Decides the release of `api` (default: the first API of `sdk.toml`)
/// of the workspace at `root`; writes nothing.
pub fn plan(root: &Path, api: Option<&str>) -> Result<Plan, Error> {
    plan_from(root, api, None)
}

/// Like [`plan`], but against the released version `base` instead of the
/// last one (`--verify` re-checks the last release against the one before).
pub fn plan_from(root: &Path, api: Option<&str>, base: Option<Version>) -> Result<Plan, Error> {
    let entry = entry(root, api)?;
    let spec_path = root.join(&entry.spec);
    let current = std::fs::read(&spec_path).map_err(io(&spec_path))?;
    let (new_api, new_doc) = analyze(&entry.spec, &current)?;
    let history = history_dir(&entry.spec);
    let versions = released(&root.join(&history))?;
    let previous = match base {
        Some(b) if versions.contains(&b) => Some(b),
        Some(b) => return Err(Error::Other(format!("{history}/{b}/openapi.yaml does not exist; released: {versions:?}"))),
        None => versions.last().copied(),
    };
    let mut plan = Plan {
        api: entry.name.clone(),
        previous,
        next: None,
        bump: Bump::Major,
        findings: Vec::new(),
        info_version: new_api.version.clone(),
        spec: entry.spec.clone(),
        history: history.clone(),
    };
    let Some(prev) = previous else {
        // First release: the version sdk.toml or the spec already gives.
        let v = entry.version.as_deref().unwrap_or(&new_api.package_version);
        plan.next = Some(Version::parse(v).ok_or_else(|| Error::Other(format!("first release: version {v:?} (from sdk.toml or info.version) is not MAJOR.MINOR.PATCH; set `version = \"0.1.0\"` in the [[api]] table of sdk.toml")))?);
        return Ok(plan);
    };
    let old_rel = format!("{history}/{prev}/openapi.yaml");
    let old_path = root.join(&old_rel);
    let old = std::fs::read(&old_path).map_err(io(&old_path))?;
    if old == current {
        plan.findings.clear();
        return Ok(plan);
    }
    let (old_api, old_doc) = analyze(&old_rel, &old)?;
    plan.findings = crate::diff::diff_documents(&old_api, &old_doc, &new_api, &new_doc);
    plan.bump = decide(&plan.findings);
    plan.next = Some(prev.bump(plan.bump));
    Ok(plan)
}

/// Writes a planned release: the version into `sdk.toml`, the spec into
/// the history, the CHANGELOG entry. Does nothing for a plan without a
/// next version. The caller regenerates afterwards.
pub fn write(root: &Path, plan: &Plan) -> Result<(), Error> {
    let Some(next) = plan.next else { return Ok(()) };
    let manifest = root.join("sdk.toml");
    let text = std::fs::read_to_string(&manifest).map_err(io(&manifest))?;
    let updated = set_version(&text, &plan.api, &next.to_string()).ok_or_else(|| Error::Other(format!("sdk.toml: no [[api]] table with name = {:?}", plan.api)))?;
    std::fs::write(&manifest, updated).map_err(io(&manifest))?;

    if let Some(rust) = Manifest::load(root)?.api.iter().find(|a| a.name == plan.api).and_then(|a| a.rust.clone()) {
        update_dependents(root, &rust.crate_name, &next.to_string())?;
    }

    let dir = root.join(&plan.history).join(next.to_string());
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let spec = root.join(&plan.spec);
    let target = dir.join("openapi.yaml");
    std::fs::copy(&spec, &target).map_err(io(&target))?;

    let changelog = root.join("CHANGELOG.md");
    let old = match std::fs::read_to_string(&changelog) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(io(&changelog)(e)),
    };
    std::fs::write(&changelog, prepend_entry(&old, &plan.changelog_entry())).map_err(io(&changelog))?;
    Ok(())
}

/// Hand-written crates next to the generated one (`<root>/*/Cargo.toml`,
/// such as the overlay) that depend on it by path and version: the
/// version requirement becomes the released version, so the workspace
/// still resolves and `cargo package` of both still works.
fn update_dependents(root: &Path, crate_name: &str, version: &str) -> Result<(), Error> {
    let entries = std::fs::read_dir(root).map_err(io(root))?;
    let mut manifests: Vec<PathBuf> = entries.flatten().map(|e| e.path().join("Cargo.toml")).filter(|p| p.is_file()).collect();
    manifests.sort();
    for path in manifests {
        let text = std::fs::read_to_string(&path).map_err(io(&path))?;
        let updated = set_dependency_version(&text, crate_name, version);
        if updated != text {
            std::fs::write(&path, updated).map_err(io(&path))?;
        }
    }
    Ok(())
}

/// `Cargo.toml` text where an inline dependency on `crate_name` with both
/// `path` and `version` requires `version`. A line edit, like [`set_version`].
pub fn set_dependency_version(text: &str, crate_name: &str, version: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let is_dep = line.split_once('=').is_some_and(|(k, v)| k.trim() == crate_name && v.trim_start().starts_with('{') && v.contains("path ="));
        match (is_dep, line.find("version = \"")) {
            (true, Some(at)) => {
                let start = at + "version = \"".len();
                let end = line[start..].find('"').map_or(line.len(), |e| start + e);
                out.push(format!("{}{version}{}", &line[..start], &line[end..]));
            }
            _ => out.push(line.to_owned()),
        }
    }
    let mut s = out.join("\n");
    if text.ends_with('\n') {
        s.push('\n');
    }
    s
}

const CHANGELOG_HEAD: &str = "# Changelog\n\nOne entry per release of the generated SDKs (Rust crate, npm package,\nPython package; they share one version). Entries are written by\n`cargo xtask release` from `cargo xtask diff` against the previous release\nin `spec/history/`; rule ids are oasdiff's where oasdiff has the rule.\n";

/// `changelog` with `entry` as its newest entry (after the title and
/// preamble); unchanged if an entry with the same heading exists.
pub fn prepend_entry(changelog: &str, entry: &str) -> String {
    let heading = entry.lines().next().unwrap_or_default();
    if heading.is_empty() || changelog.lines().any(|l| l == heading) {
        return changelog.to_owned();
    }
    let body = if changelog.trim().is_empty() { CHANGELOG_HEAD.to_owned() } else { changelog.to_owned() };
    match body.find("\n## ") {
        Some(at) => format!("{}\n{}\n{}", &body[..at], entry.trim_end(), &body[at..]),
        None => format!("{}\n{}\n", body.trim_end(), entry.trim_end()).replacen("\n## ", "\n\n## ", 1),
    }
}

/// `sdk.toml` text with `version = "<version>"` in the `[[api]]` table
/// named `api`: replaced if present, else inserted after `name = …`.
/// A line edit, not a TOML rewrite: the file's comments and layout stay
/// (the `toml` crate would drop them; `toml_edit` would be one more
/// dependency for one key). `None` if there is no such table.
pub fn set_version(text: &str, api: &str, version: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + 1);
    let mut found = false;
    let mut i = 0;
    while i < lines.len() {
        out.push(lines[i].to_owned());
        if lines[i].trim() == "[[api]]" {
            // The table's own keys run to the next header.
            let end = (i + 1..lines.len()).find(|&j| lines[j].trim_start().starts_with('[')).unwrap_or(lines.len());
            let keys = &lines[i + 1..end];
            let key = |l: &str, k: &str| l.split_once('=').is_some_and(|(a, _)| a.trim() == k);
            let is_ours = keys.iter().any(|l| key(l, "name") && l.split_once('=').is_some_and(|(_, v)| v.trim().trim_matches('"') == api));
            if is_ours {
                found = true;
                let line = format!("version = \"{version}\"");
                let has_version = keys.iter().any(|l| key(l, "version"));
                for l in keys {
                    if key(l, "version") {
                        out.push(line.clone());
                    } else {
                        out.push((*l).to_owned());
                        if !has_version && key(l, "name") {
                            out.push("# The SDK version: written by `cargo xtask release`.".to_owned());
                            out.push(line.clone());
                        }
                    }
                }
                i = end;
                continue;
            }
        }
        i += 1;
    }
    let mut s = out.join("\n");
    if text.ends_with('\n') {
        s.push('\n');
    }
    found.then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap_or(Version { major: 99, minor: 99, patch: 99 })
    }

    #[test]
    fn bumps_like_cargo() {
        assert_eq!(v("1.2.3").bump(Bump::Major).to_string(), "2.0.0");
        assert_eq!(v("1.2.3").bump(Bump::Minor).to_string(), "1.3.0");
        assert_eq!(v("1.2.3").bump(Bump::Patch).to_string(), "1.2.4");
        assert_eq!(v("0.3.1").bump(Bump::Major).to_string(), "0.4.0");
        assert_eq!(v("0.3.1").bump(Bump::Minor).to_string(), "0.3.2");
        assert_eq!(v("0.3.1").bump(Bump::Patch).to_string(), "0.3.2");
        assert_eq!(v("0.0.3").bump(Bump::Major).to_string(), "0.0.4");
        assert_eq!(Version::parse("1.2"), None);
        assert_eq!(Version::parse("1.2.3-beta"), None);
        assert_eq!(Version::parse("v1.2.3"), Some(Version { major: 1, minor: 2, patch: 3 }));
        assert!(v("1.10.0") > v("1.9.9"));
    }

    fn finding(rule: &str, level: Level) -> Finding {
        Finding { rule: rule.into(), level, operation: Some("GET /a".into()), message: format!("{rule} happened"), old_pointer: None, new_pointer: None }
    }

    #[test]
    fn decides_the_bump() {
        assert_eq!(decide(&[]), Bump::Patch);
        assert_eq!(decide(&[finding("response-optional-property-added", Level::Info)]), Bump::Patch);
        assert_eq!(decide(&[finding("endpoint-added", Level::Info), finding("response-optional-property-added", Level::Info)]), Bump::Minor);
        assert_eq!(decide(&[finding("endpoint-added", Level::Info), finding("request-parameter-removed", Level::Warn)]), Bump::Minor);
        assert_eq!(decide(&[finding("endpoint-added", Level::Info), finding("endpoint-removed", Level::Err)]), Bump::Major);
    }

    #[test]
    fn sets_the_version_in_its_table_only() {
        let toml = "# c\n[[api]]\nname = \"a\"\nspec = \"a.yaml\"\n\n[api.rust]\nversion = \"keep\"\n\n[[api]]\nname = \"b\"\nversion = \"1.0.0\" # old\nspec = \"b.yaml\"\n";
        let a = set_version(toml, "a", "2.0.0").unwrap_or_default();
        assert!(a.contains("name = \"a\"\n# The SDK version: written by `cargo xtask release`.\nversion = \"2.0.0\"\nspec = \"a.yaml\""), "{a}");
        assert!(a.contains("[api.rust]\nversion = \"keep\""), "{a}");
        let b = set_version(&a, "b", "1.1.0").unwrap_or_default();
        assert!(b.contains("name = \"b\"\nversion = \"1.1.0\"\nspec"), "{b}");
        assert_eq!(set_version(&b, "b", "1.1.0").as_deref(), Some(b.as_str()));
        assert_eq!(set_version(toml, "c", "1.0.0"), None);
    }

    #[test]
    fn updates_path_dependencies_with_a_version() {
        let toml = "[dependencies]\n# c\napi = { path = \"../g\", version = \"1.0.0\" }\napi-x = { path = \"../x\", version = \"1.0.0\" }\nother = { version = \"1.0.0\" }\n";
        let out = set_dependency_version(toml, "api", "2.0.0");
        assert_eq!(out, toml.replacen("../g\", version = \"1.0.0\"", "../g\", version = \"2.0.0\"", 1));
    }

    #[test]
    fn changelog_entries_are_prepended_once() {
        let plan = Plan {
            api: "x".into(),
            previous: Some(v("1.0.0")),
            next: Some(v("2.0.0")),
            bump: Bump::Major,
            findings: vec![finding("endpoint-added", Level::Info), finding("endpoint-removed", Level::Err), finding("response-optional-property-added", Level::Info)],
            info_version: "2.0".into(),
            spec: "spec/openapi.yaml".into(),
            history: "spec/history".into(),
        };
        let entry = plan.changelog_entry();
        let breaking = entry.find("### Breaking changes\n\n- `GET /a`: endpoint-removed happened (`endpoint-removed`)");
        let added = entry.find("### Additions\n\n- `GET /a`: endpoint-added happened (`endpoint-added`)");
        let other = entry.find("### Other changes\n\n- `GET /a`: response-optional-property-added happened");
        assert!(entry.starts_with("## 2.0.0\n\nMajor release of `x`, from 1.0.0"), "{entry}");
        assert!(breaking < added && added < other && breaking.is_some(), "{entry}");
        let once = prepend_entry("", &entry);
        assert!(once.starts_with("# Changelog\n") && once.contains("\n\n## 2.0.0\n"), "{once}");
        assert_eq!(prepend_entry(&once, &entry), once);
        let newer = Plan { previous: Some(v("2.0.0")), next: Some(v("2.0.1")), bump: Bump::Patch, ..plan };
        let twice = prepend_entry(&once, &newer.changelog_entry());
        let (a, b) = (twice.find("## 2.0.1"), twice.find("## 2.0.0"));
        assert!(a.is_some() && a < b, "{twice}");
        assert!(twice.starts_with(CHANGELOG_HEAD), "{twice}");
    }
}
