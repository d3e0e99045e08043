//! API diff: what changed between two versions of a spec, and whether it
//! breaks clients.
//!
//! [`diff`] compares two [`Api`] models and returns [`Finding`]s. Rule ids
//! are oasdiff's where oasdiff has the same rule (see [`rules`]), so users
//! can move between tools; changes oasdiff does not know about (operationId
//! renamed, SSE event types, schema renamed) have ids of our own.
//!
//! Direction matters: a change that narrows what a request accepts breaks
//! clients, the same change on a response does not, and the reverse.
//!
//! Modules: [`rules`] (ids and levels), [`schema`] (schema comparison),
//! [`operations`] (paths, parameters, bodies, responses, webhooks),
//! [`render`] (text, markdown, JSON).
//!
//! **Invariant:** the order of findings is deterministic (document order of
//! the new spec, then what the old one had alone).

pub mod operations;
pub mod raw;
pub mod render;
pub mod rules;
pub mod schema;

use serde::Serialize;

use crate::model::Api;

/// How much a change matters to existing clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Level {
    /// Informational: compatible change.
    #[serde(rename = "INFO")]
    Info,
    /// May break some clients.
    #[serde(rename = "WARN")]
    Warn,
    /// Breaks clients.
    #[serde(rename = "ERR")]
    Err,
}

impl Level {
    /// `ERR`, `WARN` or `INFO`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Err => "ERR",
            Level::Warn => "WARN",
            Level::Info => "INFO",
        }
    }

    /// Parses `ERR`, `WARN` or `INFO` (any case).
    pub fn parse(s: &str) -> Option<Level> {
        match s.to_ascii_uppercase().as_str() {
            "ERR" | "ERROR" => Some(Level::Err),
            "WARN" | "WARNING" => Some(Level::Warn),
            "INFO" => Some(Level::Info),
            _ => None,
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change between two specs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Rule id: oasdiff's where the same rule exists, else our own.
    pub rule: String,
    /// How much it matters.
    pub level: Level,
    /// The operation concerned (`GET /path`), if any.
    pub operation: Option<String>,
    /// What changed, for people.
    pub message: String,
    /// JSON pointer into the old spec.
    pub old_pointer: Option<String>,
    /// JSON pointer into the new spec.
    pub new_pointer: Option<String>,
}

/// Compares two APIs.
pub fn diff(old: &Api, new: &Api) -> Vec<Finding> {
    let mut out = Findings::default();
    operations::diff_api(old, new, &mut out);
    out.items
}

/// A message with the status code after `response` taken out, so the same
/// component change reached through different responses groups together.
pub(crate) fn without_status(message: &str) -> String {
    let mut out = Vec::new();
    let mut skip = false;
    for word in message.split(' ') {
        if skip {
            skip = false;
            continue;
        }
        skip = word == "response";
        out.push(word);
    }
    out.join(" ")
}

/// What makes two findings the same: rule, operation, message (status
/// codes aside: a shared schema reached through several responses of one
/// operation is reported once), pointers.
type FindingKey = (String, Option<String>, String, Option<String>, Option<String>);


/// Compares two APIs and the documents they were loaded from (the
/// `value` of [`crate::load::Document`], before normalization): adds what
/// only the documents hold (security, stability, sunset dates, 3.1
/// keywords; see [`raw`]). This is what `cargo xtask diff` runs.
pub fn diff_documents(old: &Api, old_doc: &serde_json::Value, new: &Api, new_doc: &serde_json::Value) -> Vec<Finding> {
    let mut out = Findings::default();
    operations::diff_api(old, new, &mut out);
    raw::diff_raw(old_doc, new_doc, &mut out);
    // A header the document says was required is reported as such, not as optional.
    let required: Vec<Option<String>> = out.items.iter().filter(|f| f.rule == "required-response-header-removed").map(|f| f.old_pointer.clone()).collect();
    out.items.retain(|f| f.rule != "optional-response-header-removed" || !required.contains(&f.old_pointer));
    raw::drop_unstable(out.items, &raw::unstable_operations(old_doc))
}

/// Findings being collected; drops exact duplicates.
#[derive(Debug, Default)]
pub struct Findings {
    items: Vec<Finding>,
    seen: std::collections::HashSet<FindingKey>,
}

impl Findings {
    /// Adds a finding for `rule`, at the level [`rules::level`] gives it;
    /// ids neither oasdiff nor we define are dropped.
    pub fn push(&mut self, rule: &str, operation: Option<&str>, message: String, old_pointer: Option<String>, new_pointer: Option<String>) {
        self.push_or(rule, None, operation, message, old_pointer, new_pointer);
    }

    /// Like [`Findings::push`], but an id neither oasdiff nor we list is
    /// kept at `fallback` (for keyword rules oasdiff lacks on one side, such
    /// as `request-property-max-items-decreased`).
    pub fn push_or(&mut self, rule: &str, fallback: Option<Level>, operation: Option<&str>, message: String, old_pointer: Option<String>, new_pointer: Option<String>) {
        let Some(level) = rules::level(rule).or(fallback) else { return };
        let key = (rule.to_owned(), operation.map(str::to_owned), without_status(&message), old_pointer.clone(), new_pointer.clone());
        if !self.seen.insert(key) {
            return;
        }
        self.items.push(Finding { rule: rule.to_owned(), level, operation: operation.map(str::to_owned), message, old_pointer, new_pointer });
    }

    /// The findings so far.
    pub fn items(&self) -> &[Finding] {
        &self.items
    }
}
