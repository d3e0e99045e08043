//! Running progenitor without ever letting it take the generator down.
//!
//! progenitor (and typify below it) report some unsupported input as errors
//! and panic on the rest. Every run happens under `catch_unwind` with the
//! panic message captured instead of printed. When a run fails, the culprits
//! are found by bisection: first over component schemas (a culprit is
//! replaced by an untyped JSON value), then over operations (a culprit is
//! left out). Each culprit becomes a note naming it, its pointer and the
//! engine's message. With k culprits among n items this costs about
//! `k·log2(n)` extra runs; the normal case is one run.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::normalize::engine::METHODS;

/// What one successful progenitor run produced, and what it had to leave out.
pub struct EngineOutput {
    /// The client, as progenitor wrote it.
    pub tokens: TokenStream,
    /// Operations left out: (operationId, pointer, engine message).
    pub skipped: Vec<(String, String, String)>,
    /// Schemas replaced by untyped JSON: (name, pointer, engine message).
    pub degraded: Vec<(String, String, String)>,
    /// Schemas and operations kept once their defaults were dropped:
    /// (name or operationId, pointer, engine message).
    pub defaults_dropped: Vec<(String, String, String)>,
    /// How many times progenitor ran (1 unless something had to be bisected away).
    pub runs: usize,
}

thread_local! {
    static CAPTURE: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let captured = CAPTURE.with(|c| {
                let mut c = c.borrow_mut();
                match c.as_mut() {
                    Some(slot) => {
                        let msg = info
                            .payload()
                            .downcast_ref::<&str>()
                            .map(|s| (*s).to_owned())
                            .or_else(|| info.payload().downcast_ref::<String>().cloned())
                            .unwrap_or_else(|| "panic".to_owned());
                        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
                        *slot = Some(format!("{msg}{at}"));
                        true
                    }
                    None => false,
                }
            });
            if !captured {
                previous(info);
            }
        }));
    });
}

fn settings() -> GenerationSettings {
    let mut s = GenerationSettings::new();
    s.with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(crate::hooks::Hooks))
        .with_derive("PartialEq")
        // A file of a multipart body (see `normalize::engine`).
        .with_conversion(
            schemars::schema::SchemaObject {
                instance_type: Some(schemars::schema::InstanceType::String.into()),
                format: Some(crate::normalize::engine::FILE_FORMAT.to_owned()),
                ..Default::default()
            },
            "crate::hooks::FilePart",
            std::iter::empty(),
        );
    s
}

/// Whether `doc` has something [`exclude`] would take out.
fn needs_edit(doc: &Value, skip_ops: &BTreeSet<String>, degrade: &BTreeSet<String>) -> bool {
    let paths = || doc.get("paths").and_then(Value::as_object).into_iter().flat_map(|p| p.values()).filter_map(Value::as_object);
    !degrade.is_empty() || paths().any(|item| METHODS.iter().any(|m| skipped(item, m, skip_ops)))
}

fn skipped(item: &Map<String, Value>, method: &str, skip_ops: &BTreeSet<String>) -> bool {
    item.get(method).and_then(|o| o.get("operationId")).and_then(Value::as_str).is_some_and(|id| skip_ops.contains(id))
}

/// Takes the excluded operations out of `doc` and makes the degraded
/// schemas untyped (their descriptions kept).
fn exclude(doc: &mut Value, skip_ops: &BTreeSet<String>, degrade: &BTreeSet<String>) {
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for name in degrade {
            if let Some(s) = schemas.get_mut(name) {
                let description = s.get("description").cloned();
                *s = json!({});
                if let Some(d) = description {
                    s["description"] = d;
                }
            }
        }
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for item in paths.values_mut() {
            let Value::Object(item) = item else { continue };
            for m in METHODS {
                if skipped(item, m, skip_ops) {
                    item.remove(*m);
                }
            }
        }
    }
}

fn read(doc: &Value) -> Result<openapiv3::OpenAPI, String> {
    openapiv3::OpenAPI::deserialize(doc).map_err(|e| format!("openapiv3 rejected the document: {e}"))
}

/// One progenitor run on `doc` without the excluded operations and with the
/// degraded schemas untyped.
fn run_once(doc: &Value, skip_ops: &BTreeSet<String>, degrade: &BTreeSet<String>) -> Result<TokenStream, String> {
    // Read in place when there is nothing to take out: a copy of GitHub's
    // document costs 70 ms.
    let spec = if needs_edit(doc, skip_ops, degrade) {
        let mut doc = doc.clone();
        exclude(&mut doc, skip_ops, degrade);
        read(&doc)
    } else {
        read(doc)
    }?;
    run_spec(&spec)
}

/// progenitor on a read document; its panics are caught and told.
fn run_spec(spec: &openapiv3::OpenAPI) -> Result<TokenStream, String> {
    install_hook();
    CAPTURE.with(|c| *c.borrow_mut() = Some(None));
    let result = panic::catch_unwind(AssertUnwindSafe(|| Generator::new(&settings()).generate_tokens(spec)));
    let captured = CAPTURE.with(|c| c.borrow_mut().take().flatten());
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("progenitor panicked: {}", captured.unwrap_or_else(|| "no message".into()))),
    }
}

/// The first run, as a rule the only one: `doc` (its skipped operations
/// taken out in place) is read and dropped before progenitor builds its
/// trees, so that memory serves them (GitHub: the JSON is 100 MB). When
/// progenitor fails, the JSON of what it read comes back for the
/// bisection; when openapiv3 cannot read it, `doc` itself.
fn first_run(mut doc: Value, skip_ops: &BTreeSet<String>) -> Result<TokenStream, Value> {
    exclude(&mut doc, skip_ops, &BTreeSet::new());
    let Ok(spec) = read(&doc) else { return Err(doc) };
    drop(doc);
    run_spec(&spec).map_err(|_| serde_json::to_value(&spec).unwrap_or(Value::Null))
}

/// Plain progenitor on a spec, as its own CLI would run it: no
/// normalization, no bisection. For comparison tables only.
pub fn plain(bytes: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    let spec: openapiv3::OpenAPI = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| format!("openapiv3 cannot parse it: {e}"))?
    } else {
        serde_norway::from_str(text).map_err(|e| format!("openapiv3 cannot parse it: {e}"))?
    };
    install_hook();
    CAPTURE.with(|c| *c.borrow_mut() = Some(None));
    let result = panic::catch_unwind(AssertUnwindSafe(|| Generator::default().generate_tokens(&spec)));
    let captured = CAPTURE.with(|c| c.borrow_mut().take().flatten());
    match result {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(format!("error: {e}")),
        Err(_) => Err(format!("panic: {}", captured.unwrap_or_else(|| "no message".into()))),
    }
}

/// Runs progenitor, bisecting away what it cannot take.
pub fn generate(doc: Value, pre_skipped: &BTreeSet<String>) -> EngineOutput {
    let runs = std::cell::Cell::new(1);
    let run_once = |doc: &Value, skip_ops: &BTreeSet<String>, degrade: &BTreeSet<String>| {
        runs.set(runs.get() + 1);
        run_once(doc, skip_ops, degrade)
    };
    let mut skip_ops = pre_skipped.clone();
    let mut degrade = BTreeSet::new();
    let mut skipped = Vec::new();
    let mut degraded = Vec::new();
    let mut rescued = Vec::new();
    let owned = match first_run(doc, &skip_ops) {
        Ok(tokens) => return EngineOutput { tokens, skipped, degraded, defaults_dropped: rescued, runs: runs.get() },
        Err(doc) => doc,
    };
    let doc = &owned;
    let ops = operations(doc, &skip_ops);
    let schemas: Vec<String> = doc.pointer("/components/schemas").and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default();
    let all_ops: BTreeSet<String> = ops.iter().map(|(id, _)| id.clone()).collect();

    // Schemas first, with no operations at all.
    let no_ops: BTreeSet<String> = skip_ops.union(&all_ops).cloned().collect();
    let without_defaults: Value;
    let mut doc = doc;
    if run_once(doc, &no_ops, &degrade).is_err() {
        let find_bad = |doc: &Value| {
            bisect(&schemas, &mut |kept: &[String]| {
                let excluded: BTreeSet<String> = schemas.iter().filter(|s| !kept.contains(s)).cloned().collect();
                run_once(doc, &no_ops, &excluded).err()
            })
        };
        let mut bad = find_bad(doc);
        if !bad.is_empty() {
            let pointer = |name: &str| crate::pointer::join(["components", "schemas", name]);
            let strip = |s: &mut Value| crate::normalize::walk::walk_schema(s, &mut Vec::new(), &mut drop_default);
            let (copy, still_bad) = retry_without_defaults(doc, &bad, &pointer, &strip, &find_bad, &mut rescued);
            without_defaults = copy;
            doc = &without_defaults;
            bad = still_bad;
        }
        for (name, message) in bad {
            degraded.push((name.clone(), crate::pointer::join(["components", "schemas", &name]), message));
            degrade.insert(name);
        }
    }
    let ids: Vec<String> = ops.iter().map(|(id, _)| id.clone()).collect();
    let find_bad = |doc: &Value| {
        bisect(&ids, &mut |kept: &[String]| {
            let mut excluded = skip_ops.clone();
            excluded.extend(ids.iter().filter(|i| !kept.contains(i)).cloned());
            run_once(doc, &excluded, &degrade).err()
        })
    };
    let mut bad = find_bad(doc);
    // The same for an operation: a multipart body is the component inlined
    // (`normalize::engine`), defaults and all.
    let ops_without_defaults: Value;
    if !bad.is_empty() {
        let pointer = |id: &str| ops.iter().find(|(i, _)| i == id).map(|(_, p)| p.clone()).unwrap_or_default();
        let strip = |op: &mut Value| crate::normalize::walk::for_each_schema(op, &mut drop_default);
        let (copy, still_bad) = retry_without_defaults(doc, &bad, &pointer, &strip, &find_bad, &mut rescued);
        ops_without_defaults = copy;
        doc = &ops_without_defaults;
        bad = still_bad;
    }
    for (id, message) in bad {
        let pointer = ops.iter().find(|(i, _)| *i == id).map(|(_, p)| p.clone()).unwrap_or_default();
        skipped.push((id.clone(), pointer, message));
        skip_ops.insert(id);
    }
    match run_once(doc, &skip_ops, &degrade) {
        Ok(tokens) => EngineOutput { tokens, skipped, degraded, defaults_dropped: rescued, runs: runs.get() },
        Err(message) => {
            // Failures that only show with several items together: give up on
            // every operation rather than emit nothing or crash.
            let all: BTreeSet<String> = skip_ops.union(&all_ops).cloned().collect();
            for (id, pointer) in &ops {
                if !skip_ops.contains(id) {
                    skipped.push((id.clone(), pointer.clone(), format!("left out with the rest after a combined failure: {message}")));
                }
            }
            let degrade_all: BTreeSet<String> = schemas.iter().cloned().collect();
            let tokens = run_once(doc, &all, &degrade).or_else(|_| run_once(doc, &all, &degrade_all)).unwrap_or_default();
            EngineOutput { tokens, skipped, degraded, defaults_dropped: rescued, runs: runs.get() }
        }
    }
}

/// typify checks a default against its schema and cannot for some (OpenAI:
/// `anyOf: [string, enum]` with a default). The failing items (`bad`: name
/// and message; `pointer` locates one, `strip` takes the defaults out of
/// it) are tried again without their defaults. Returns the document
/// without them and the items still failing; the others go to `rescued`
/// (name, pointer, message).
fn retry_without_defaults(
    doc: &Value,
    bad: &[(String, String)],
    pointer: &dyn Fn(&str) -> String,
    strip: &dyn Fn(&mut Value),
    find_bad: &dyn Fn(&Value) -> Vec<(String, String)>,
    rescued: &mut Vec<(String, String, String)>,
) -> (Value, Vec<(String, String)>) {
    let mut copy = doc.clone();
    for (name, _) in bad {
        if let Some(v) = copy.pointer_mut(pointer(name).trim_start_matches('#')) {
            strip(v);
        }
    }
    let still_bad = find_bad(&copy);
    for (name, message) in bad {
        if !still_bad.iter().any(|(n, _)| n == name) {
            rescued.push((name.clone(), pointer(name), message.clone()));
        }
    }
    (copy, still_bad)
}

fn drop_default(s: &mut Value, _: &str) {
    if let Value::Object(o) = s {
        o.remove("default");
    }
}

/// Items that fail on their own: `probe(kept)` runs with only `kept` and
/// returns the failure message, if any.
fn bisect(items: &[String], probe: &mut dyn FnMut(&[String]) -> Option<String>) -> Vec<(String, String)> {
    fn go(base: &mut Vec<String>, candidates: &[String], probe: &mut dyn FnMut(&[String]) -> Option<String>, bad: &mut Vec<(String, String)>) {
        let mut trial = base.clone();
        trial.extend_from_slice(candidates);
        let Some(message) = probe(&trial) else {
            base.extend_from_slice(candidates);
            return;
        };
        if candidates.len() == 1 {
            bad.push((candidates[0].clone(), message));
            return;
        }
        let (a, b) = candidates.split_at(candidates.len() / 2);
        go(base, a, probe, bad);
        go(base, b, probe, bad);
    }
    let mut base = Vec::new();
    let mut bad = Vec::new();
    if !items.is_empty() {
        go(&mut base, items, probe, &mut bad);
    }
    bad
}

fn operations(doc: &Value, skip: &BTreeSet<String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return out };
    for (path, item) in paths {
        for m in METHODS {
            if let Some(id) = item.get(*m).and_then(|o| o.get("operationId")).and_then(Value::as_str)
                && !skip.contains(id) {
                    out.push((id.to_owned(), crate::pointer::join(["paths", path, m])));
                }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bisect_finds_each_culprit() {
        let items: Vec<String> = (0..20).map(|i| i.to_string()).collect();
        let mut runs = 0;
        let bad = bisect(&items, &mut |kept| {
            runs += 1;
            kept.iter().find(|k| *k == "3" || *k == "17").map(|k| format!("bad {k}"))
        });
        assert_eq!(bad, vec![("3".to_owned(), "bad 3".to_owned()), ("17".to_owned(), "bad 17".to_owned())]);
        assert!(runs < 20, "{runs} runs");
    }
}
