//! Normalization: from a loaded document (3.0 or 3.1, references resolved)
//! to the `openapiv3` structures every back end reads.
//!
//! Passes, in order:
//! 1. take out `webhooks` (3.1) or `x-webhooks` (3.0 convention);
//! 2. [`v31`]: 3.1 spellings become 3.0 ones (schema rewrites on every
//!    document, since 3.0 specs in the wild use 3.1 spellings too);
//! 3. [`names`]: schema names equal once cased are made distinct;
//! 4. [`engine::common`]: operation ids and parameters made regular;
//! 5. parse into `openapiv3` (a failure names the pointer it happened at):
//!    this is the language-neutral form;
//! 6. [`engine::rust`]: on a copy, patterns the Rust engine cannot take are
//!    rewritten (query styles among them: `rust::query` encodes those).

pub mod closed;
pub mod dedupe;
pub mod defaults;
pub mod engine;
pub mod inline_names;
pub mod names;
pub mod siblings;
pub mod unions;
pub mod v31;
pub mod walk;

use indexmap::IndexMap;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::load::{Document, SpecVersion};
use crate::report::Report;

/// A normalized spec.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The 3.0-shaped document after the language-neutral passes: what the
    /// model, the TypeScript and Python back ends and the diff read.
    pub openapi: openapiv3::OpenAPI,
    /// The same after the Rust engine's passes, as JSON (what progenitor is given).
    pub engine_value: Value,
    /// Webhooks by name, parsed as path items.
    pub webhooks: IndexMap<String, openapiv3::PathItem>,
    /// Operations the Rust engine cannot generate.
    pub skips: Vec<engine::Skip>,
    /// Parameters renamed for the Rust engine, to restore in its output.
    pub wire_renames: Vec<engine::WireRename>,
    /// Operation ids whose body the Rust engine sends as multipart.
    pub multipart: std::collections::BTreeSet<String>,
    /// Operations with responses without a body beside typed ones.
    pub empty_responses: std::collections::BTreeMap<String, engine::EmptyResponses>,
    /// Enum values the Rust engine was given as sentinels: sentinel → wire value.
    pub enum_sentinels: names::Sentinels,
    /// Operations made of another request media type, for the Rust back
    /// end's engine copy ([`siblings`]).
    pub siblings: Vec<siblings::Sibling>,
    /// Wire names of properties declared secret anywhere in the document
    /// (`format: password`, `x-sensitive: true`): the Rust back end
    /// redacts them in `Debug`.
    pub sensitive: std::collections::BTreeSet<String>,
}

/// Runs every pass over a document whose references are resolved.
pub fn normalize(doc: &Document, mut value: Value, report: &mut Report) -> Result<Normalized> {
    let mut webhooks_value = value
        .as_object_mut()
        .and_then(|o| o.remove("webhooks").or_else(|| o.remove("x-webhooks")))
        .unwrap_or(Value::Object(Default::default()));
    if doc.version == SpecVersion::V31 {
        v31::downgrade(&mut value, report);
    } else {
        // 3.0 specs in the wild use 3.1 spellings too (numeric
        // `exclusiveMinimum`, type arrays); the schema rewrites are no-ops on
        // valid 3.0, so they run on every document.
        walk::for_each_schema(&mut value, &mut |s, p| v31::rewrite_schema(s, p, report));
    }
    walk::for_each_schema(&mut webhooks_value, &mut |s, p| v31::rewrite_schema(s, &format!("#/webhooks{}", &p[1..]), report));
    names::make_distinct(&mut value, &mut webhooks_value, report);
    engine::common(&mut value, report);
    let sensitive = sensitive_properties(&mut value);
    let openapi: openapiv3::OpenAPI = parse(&doc.origin, "", &value)?;
    let webhooks: IndexMap<String, openapiv3::PathItem> = parse(&doc.origin, "/webhooks", &webhooks_value)?;
    let mut engine_value = value;
    let rules = engine::rust(&mut engine_value, report);
    Ok(Normalized { openapi, engine_value, webhooks, skips: rules.skips, wire_renames: rules.renames, multipart: rules.multipart, empty_responses: rules.empty_responses, enum_sentinels: rules.enum_sentinels, siblings: rules.siblings, sensitive })
}

/// See [`Normalized::sensitive`]. Read from the JSON document (the same
/// content as `openapi`, before the Rust engine's passes), not from a JSON
/// copy of `openapi` (GitHub: 100 MB and 0.1 s).
fn sensitive_properties(value: &mut Value) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    walk::for_each_schema(value, &mut |s, _| {
        if let Some(props) = s.get("properties").and_then(Value::as_object) {
            for (name, p) in props {
                let secret = p.get("format").and_then(Value::as_str) == Some("password") || p.get("x-sensitive").and_then(Value::as_bool) == Some(true);
                if secret {
                    out.insert(name.clone());
                }
            }
        }
    });
    out
}

fn parse<T: serde::de::DeserializeOwned>(origin: &str, prefix: &str, value: &Value) -> Result<T> {
    // Plain serde first: only an error needs the path, and tracking it
    // takes GitHub's document from 65 to 150 ms.
    if let Ok(parsed) = T::deserialize(value) {
        return Ok(parsed);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        // Untagged and flattened maps in openapiv3 hide the path; look for
        // the smallest part that fails on its own to name it exactly.
        let (pointer, message) = locate(value).unwrap_or_else(|| {
            let path = e.path().iter().map(|seg| format!("/{}", crate::pointer::escape(&seg.to_string()))).collect::<String>();
            (format!("#{prefix}{path}"), e.inner().to_string())
        });
        Error::invalid(origin, pointer, format!("not a valid OpenAPI value: {message}"))
    })
}

fn try_part<T: serde::de::DeserializeOwned>(pointer: String, v: &Value) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(v).err().map(|e| {
        let inner = e.path().iter().map(|seg| format!("/{}", crate::pointer::escape(&seg.to_string()))).collect::<String>();
        let inner = if inner == "/." { String::new() } else { inner };
        (format!("{pointer}{inner}"), e.inner().to_string())
    })
}

fn locate(doc: &Value) -> Option<(String, String)> {
    use crate::pointer::escape;
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else { continue };
            for (method, op) in item {
                if engine::METHODS.contains(&method.as_str()) {
                    let base = format!("#/paths/{}/{method}", escape(path));
                    if let Some(responses) = op.get("responses")
                        && let Some(found) = try_part::<openapiv3::Responses>(format!("{base}/responses"), responses) {
                            return Some(found);
                        }
                    if let Some(found) = try_part::<openapiv3::Operation>(base, op) {
                        return Some(found);
                    }
                }
            }
        }
    }
    if let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, s) in schemas {
            if let Some(found) = try_part::<openapiv3::ReferenceOr<openapiv3::Schema>>(format!("#/components/schemas/{}", escape(name)), s) {
                return Some(found);
            }
        }
    }
    None
}
