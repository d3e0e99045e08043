//! Running progenitor without ever letting it take the generator down.
//!
//! progenitor (and typify below it) report some unsupported input as errors
//! and panic on the rest. Every run happens under `catch_unwind` with the
//! panic message captured instead of printed. When the first run fails,
//! [`Search`] finds the culprits: first among component schemas (a culprit
//! is retried without its defaults, else replaced by an untyped JSON
//! value), then among operations (retried without defaults, else left
//! out). Each culprit becomes a note naming it, its pointer and the
//! engine's message. The probes run on small documents ([`subdoc`]), so a
//! search costs a few whole runs; the normal case is one run.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::subdoc;
use crate::normalize::engine::METHODS;

/// What one successful progenitor run produced, and what it had to leave out.
#[derive(Default)]
pub struct EngineOutput {
    /// The client, as progenitor wrote it.
    pub tokens: TokenStream,
    /// Operations left out: (operationId, pointer, engine message).
    pub skipped: Vec<(String, String, String)>,
    /// Schemas replaced by untyped JSON: (name, pointer, engine message).
    pub degraded: Vec<(String, String, String)>,
    /// Defaults dropped so that their schema or operation could be kept:
    /// (schema name or operationId, pointer of the schema that had the
    /// default, engine message).
    pub defaults_dropped: Vec<(String, String, String)>,
    /// How many times progenitor ran (1 unless something had to be searched out).
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

fn skipped(item: &Map<String, Value>, method: &str, skip_ops: &BTreeSet<String>) -> bool {
    item.get(method).and_then(|o| o.get("operationId")).and_then(Value::as_str).is_some_and(|id| skip_ops.contains(id))
}

/// Makes component schema `name` untyped (its description kept).
fn degrade(doc: &mut Value, name: &str) {
    if let Some(s) = doc.pointer_mut("/components/schemas").and_then(|m| m.get_mut(name)) {
        let description = s.get("description").cloned();
        *s = json!({});
        if let Some(d) = description {
            s["description"] = d;
        }
    }
}

/// Takes operations (by id) out of `doc`.
fn leave_out(doc: &mut Value, ids: &BTreeSet<String>) {
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for item in paths.values_mut() {
            let Value::Object(item) = item else { continue };
            for m in METHODS {
                if skipped(item, m, ids) {
                    item.remove(*m);
                }
            }
        }
    }
}

fn read(doc: &Value) -> Result<openapiv3::OpenAPI, String> {
    openapiv3::OpenAPI::deserialize(doc).map_err(|e| format!("openapiv3 rejected the document: {e}"))
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
    leave_out(&mut doc, skip_ops);
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

/// Runs progenitor, setting aside what it cannot take.
pub fn generate(doc: Value, pre_skipped: &BTreeSet<String>) -> EngineOutput {
    match first_run(doc, pre_skipped) {
        Ok(tokens) => EngineOutput { tokens, runs: 1, ..EngineOutput::default() },
        Err(doc) => search(doc, &|doc| run_spec(&read(doc)?)),
    }
}

/// After a failed first run: finds what `engine` fails on, sets it aside
/// and runs once more on the rest.
fn search(mut doc: Value, engine: &dyn Fn(&Value) -> Result<TokenStream, String>) -> EngineOutput {
    let search = Search { graph: subdoc::Graph::new(&doc), engine, runs: Cell::new(1) };
    let mut notes = EngineOutput::default();
    // Schemas first, with no operations at all: a bad schema would fail
    // every operation that uses it.
    search.settle(&mut doc, Phase::Schemas, &mut notes);
    search.settle(&mut doc, Phase::Operations, &mut notes);
    let tokens = match search.run(&doc) {
        Ok(tokens) => tokens,
        Err(message) => {
            // Failures no search could pin on anything: give up on every
            // operation rather than emit nothing or crash.
            for (id, pointer) in operations(&doc, &BTreeSet::new()) {
                notes.skipped.push((id, pointer, format!("left out with the rest after a combined failure: {message}")));
            }
            doc["paths"] = json!({});
            search
                .run(&doc)
                .or_else(|_| {
                    let all: Vec<String> = doc.pointer("/components/schemas").and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default();
                    all.iter().for_each(|name| degrade(&mut doc, name));
                    search.run(&doc)
                })
                .unwrap_or_default()
        }
    };
    EngineOutput { tokens, runs: search.runs.get(), ..notes }
}

/// What a search phase narrows down to: component schemas (probed with no
/// operations) or operations.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Phase {
    Schemas,
    Operations,
}

/// The culprit search after a failed first run.
///
/// Each phase first splits its items in halves down to single failing
/// items, probing each half in a document of its own ([`subdoc`]: the
/// items and what they reference), and deals with a culprit as soon as it
/// is found. Schemas are taken dependencies first, so a schema that fails
/// is set aside before the probes of the schemas using it. With k culprits
/// among n items the probes add up to a few whole runs rather than
/// `k·log2(n)` whole runs (OpenAI's progenitor step: 15.0 s before, 2.4 s
/// now). What still fails only beside something else is found by the
/// whole-document [`bisect`].
struct Search<'e> {
    graph: subdoc::Graph,
    /// progenitor (read and run), or a stand-in in the tests.
    engine: &'e dyn Fn(&Value) -> Result<TokenStream, String>,
    runs: Cell<usize>,
}

impl Search<'_> {
    fn run(&self, doc: &Value) -> Result<TokenStream, String> {
        self.runs.set(self.runs.get() + 1);
        (self.engine)(doc)
    }

    /// The failure of a run on only `kept` (schemas with no operations, or
    /// operations) and what they reference, if it fails.
    fn probe(&self, doc: &Value, phase: Phase, kept: &[String]) -> Option<String> {
        let sub = match phase {
            Phase::Schemas => self.graph.subset(doc, kept, &[]),
            Phase::Operations => self.graph.subset(doc, &[], kept),
        };
        self.run(&sub).err()
    }

    /// The same on the whole document: the schemas not kept untyped (and
    /// no operations), or the operations not kept left out.
    fn probe_whole(&self, doc: &Value, phase: Phase, kept: &[String], all: &[String]) -> Option<String> {
        let kept: BTreeSet<&String> = kept.iter().collect();
        let others: BTreeSet<String> = all.iter().filter(|i| !kept.contains(i)).cloned().collect();
        let mut copy = doc.clone();
        match phase {
            Phase::Schemas => {
                copy["paths"] = json!({});
                others.iter().for_each(|name| degrade(&mut copy, name));
            }
            Phase::Operations => leave_out(&mut copy, &others),
        }
        self.run(&copy).err()
    }

    /// Sets aside what fails in `phase` until a probe of all its items passes.
    fn settle(&self, doc: &mut Value, phase: Phase, notes: &mut EngineOutput) {
        let items: Vec<String> = match phase {
            Phase::Schemas => self.graph.schemas_dependencies_first(doc),
            Phase::Operations => operations(doc, &BTreeSet::new()).into_iter().map(|(id, _)| id).collect(),
        };
        let mut rescued_once = BTreeSet::new();
        self.isolate(doc, phase, &items, notes, &mut rescued_once);
        // Each round sets aside at least one item, and an item twice at most.
        for _ in 0..=2 * items.len() {
            if self.probe(doc, phase, &items).is_none() {
                return;
            }
            let bad = bisect(&items, &mut |kept| self.probe_whole(doc, phase, kept, &items));
            if bad.is_empty() {
                return;
            }
            for (item, message) in bad {
                self.set_aside(doc, phase, &item, message, notes, &mut rescued_once);
            }
        }
    }

    fn isolate(&self, doc: &mut Value, phase: Phase, items: &[String], notes: &mut EngineOutput, rescued_once: &mut BTreeSet<String>) {
        let Some(message) = self.probe(doc, phase, items) else { return };
        match items {
            [] => {}
            [item] => self.set_aside(doc, phase, item, message, notes, rescued_once),
            _ => {
                let (a, b) = items.split_at(items.len() / 2);
                self.isolate(doc, phase, a, notes, rescued_once);
                self.isolate(doc, phase, b, notes, rescued_once);
            }
        }
    }

    /// Deals with an item that failed alone with `message`: kept without
    /// the defaults that fail if that is enough (typify checks a default
    /// against its schema and cannot for some: OpenAI's `anyOf: [string,
    /// enum]` with a default), else the schema made untyped or the
    /// operation left out. A schema whose probe still fails once it is
    /// made untyped fails because of another one (a cycle through a bad
    /// schema) and is left for that one.
    fn set_aside(&self, doc: &mut Value, phase: Phase, item: &str, message: String, notes: &mut EngineOutput, rescued_once: &mut BTreeSet<String>) {
        let pointer = match phase {
            Phase::Schemas => crate::pointer::join(["components", "schemas", item]),
            Phase::Operations => match self.graph.operation(item) {
                Some((path, method)) => crate::pointer::join(["paths", path, method]),
                None => return,
            },
        };
        if phase == Phase::Schemas {
            let mut sub = self.graph.subset(doc, &[item.to_owned()], &[]);
            degrade(&mut sub, item);
            if self.run(&sub).is_err() {
                return;
            }
        }
        // An item found again after its defaults went fails for more.
        if rescued_once.insert(item.to_owned())
            && let Some(dropped) = self.drop_failing_defaults(doc, phase, item, &pointer, &message)
        {
            for (at, message) in dropped {
                notes.defaults_dropped.push(match phase {
                    Phase::Schemas => (item.to_owned(), at, message),
                    // The engine's copy of an operation is not the input's
                    // (a multipart body is the component inlined as a
                    // form): the note names the operation.
                    Phase::Operations => (format!("{item} ({})", within_operation(&at[pointer.len()..])), pointer.clone(), message),
                });
            }
            return;
        }
        notes.defaults_dropped.retain(|(_, at, _)| !at.strip_prefix(pointer.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')));
        match phase {
            Phase::Schemas => {
                degrade(doc, item);
                notes.degraded.push((item.to_owned(), pointer, message));
            }
            Phase::Operations => {
                leave_out(doc, &BTreeSet::from([item.to_owned()]));
                notes.skipped.push((item.to_owned(), pointer, message));
            }
        }
    }

    /// If `item` (at `pointer`) passes without its defaults: takes out
    /// those that fail (bisected on the item's own document; all of them if
    /// only all together fail) and returns where each was, with the
    /// engine's message. Else leaves `doc` as it was.
    fn drop_failing_defaults(&self, doc: &mut Value, phase: Phase, item: &str, pointer: &str, message: &str) -> Option<Vec<(String, String)>> {
        let kept = [item.to_owned()];
        let defaults = take_defaults(doc, phase, pointer);
        if defaults.is_empty() || self.probe(doc, phase, &kept).is_some() {
            defaults.iter().for_each(|(at, d)| put_default(doc, at, Some(d)));
            return None;
        }
        let places: Vec<String> = defaults.iter().map(|(at, _)| at.clone()).collect();
        let mut failing = bisect(&places, &mut |back| {
            defaults.iter().filter(|(at, _)| back.contains(at)).for_each(|(at, d)| put_default(doc, at, Some(d)));
            let failure = self.probe(doc, phase, &kept);
            defaults.iter().for_each(|(at, _)| put_default(doc, at, None));
            failure
        });
        defaults.iter().filter(|(at, _)| !failing.iter().any(|(f, _)| f == at)).for_each(|(at, d)| put_default(doc, at, Some(d)));
        if failing.is_empty() || self.probe(doc, phase, &kept).is_some() {
            defaults.iter().for_each(|(at, _)| put_default(doc, at, None));
            failing = places.into_iter().map(|at| (at, message.to_owned())).collect();
        }
        Some(failing)
    }
}

/// Takes the defaults out of the schemas of the item at `pointer`, with
/// the pointer of each schema that had one.
fn take_defaults(doc: &mut Value, phase: Phase, pointer: &str) -> Vec<(String, Value)> {
    let mut taken = Vec::new();
    let mut take = |s: &mut Value, at: &str| {
        if let Some(d) = s.as_object_mut().and_then(|o| o.remove("default")) {
            taken.push((format!("{pointer}{}", &at[1..]), d));
        }
    };
    if let Some(v) = doc.pointer_mut(&pointer[1..]) {
        match phase {
            Phase::Schemas => crate::normalize::walk::walk_schema(v, &mut Vec::new(), &mut take),
            Phase::Operations => crate::normalize::walk::for_each_schema(v, &mut take),
        }
    }
    taken
}

/// Where in an operation a schema is, for a note: `/requestBody/content/
/// <type>/schema/properties/a` is "request body /properties/a".
fn within_operation(relative: &str) -> String {
    match relative.strip_prefix("/requestBody/content/").and_then(|r| r.split_once("/schema")) {
        Some((_, "")) => "request body".to_owned(),
        Some((_, rest)) => format!("request body {rest}"),
        None => relative.to_owned(),
    }
}

/// Puts a default back into the schema at `at` (or takes it out: `None`).
fn put_default(doc: &mut Value, at: &str, default: Option<&Value>) {
    if let Some(o) = doc.pointer_mut(&at[1..]).and_then(Value::as_object_mut) {
        match default {
            Some(d) => o.insert("default".into(), d.clone()),
            None => o.remove("default"),
        };
    }
}

/// Items whose addition to the items before them makes a probe fail:
/// `probe(kept)` runs with only `kept` and returns the failure message, if
/// any. Finds failures that need two items together, at about `2·log2(n)`
/// probes per culprit.
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

    /// A stand-in for progenitor with failures of the kinds it has,
    /// adding up the schemas it is given (`work`).
    fn stand_in(work: &Cell<usize>) -> impl Fn(&Value) -> Result<TokenStream, String> + '_ {
        move |doc| {
            let schemas = doc.pointer("/components/schemas").and_then(Value::as_object).cloned().unwrap_or_default();
            work.set(work.get() + schemas.len());
            for (name, s) in &schemas {
                // A schema the engine cannot take.
                if s.get("x-bad").is_some() {
                    return Err(format!("{name} is bad"));
                }
                // A default checked against the schema its property references.
                for p in s.get("properties").and_then(Value::as_object).into_iter().flat_map(|m| m.values()) {
                    let target = p.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/"));
                    if p.get("default").is_some() && target.and_then(|t| schemas.get(t)).is_some_and(|t| t.get("x-strict").is_some()) {
                        return Err(format!("{name}: the default does not conform"));
                    }
                }
            }
            // Two schemas that fail only together.
            if ["P", "Q"].iter().all(|n| schemas.get(*n).is_some_and(|s| s.get("type").is_some())) {
                return Err("P and Q collide".into());
            }
            for item in doc.get("paths").and_then(Value::as_object).into_iter().flat_map(|p| p.values()) {
                for op in METHODS.iter().filter_map(|m| item.get(*m)) {
                    if op.get("x-bad").is_some() {
                        return Err(format!("{} is bad", op["operationId"]));
                    }
                }
            }
            Ok(quote!(ok))
        }
    }

    /// `n` schemas `S0…` (each referencing the one at half its index), the
    /// given `extra` schemas, and two operations: `good` and `badOp`.
    fn document(n: usize, extra: Value) -> Value {
        let mut schemas = Map::new();
        for i in 0..n {
            schemas.insert(format!("S{i}"), json!({"type": "object", "properties": {"up": {"$ref": format!("#/components/schemas/S{}", i / 2)}}}));
        }
        schemas.extend(extra.as_object().cloned().unwrap_or_default());
        let op = |id: &str, bad: bool| {
            let mut op = json!({"operationId": id, "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S7"}}}}}});
            if bad {
                op["x-bad"] = json!(true);
            }
            op
        };
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": op("good", false), "post": op("badOp", true)}},
            "components": {"schemas": schemas}
        })
    }

    fn names(notes: &[(String, String, String)]) -> Vec<&str> {
        notes.iter().map(|(name, _, _)| name.as_str()).collect()
    }

    #[test]
    fn each_culprit_is_set_aside_and_what_uses_it_keeps_its_type() {
        let n = 512;
        // The users come first in the document: a search adding items in
        // document order would blame `Strict`, which is fine alone, for
        // the default `Session` gives a property of its type.
        let doc = document(
            n,
            json!({
                "UsesBad": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/Bad"}}},
                "Session": {"type": "object", "properties": {"v": {"$ref": "#/components/schemas/Strict", "default": "x"}, "w": {"type": "number", "default": 1}}},
                "Bad": {"type": "string", "x-bad": true, "description": "kept"},
                "Strict": {"type": "string", "x-strict": true}
            }),
        );
        let work = Cell::new(0);
        let out = search(doc, &stand_in(&work));
        assert_eq!(out.tokens.to_string(), "ok");
        assert_eq!(names(&out.degraded), ["Bad"]);
        assert_eq!(out.degraded[0].1, "#/components/schemas/Bad");
        assert_eq!(out.degraded[0].2, "Bad is bad");
        // Only the default that fails goes, named by its place.
        assert_eq!(names(&out.defaults_dropped), ["Session"]);
        assert_eq!(out.defaults_dropped[0].1, "#/components/schemas/Session/properties/v");
        assert_eq!(names(&out.skipped), ["badOp"]);
        assert_eq!(out.skipped[0].1, "#/paths/~1a/post");
        // Every probe together cost a few whole runs (here a half of the
        // schemas reaches about as many again through its references); the
        // whole-document bisection takes about 2·log2(n) = 18 per culprit.
        let whole_runs = work.get() as f64 / n as f64;
        assert!(whole_runs < 8.0, "the probes cost {whole_runs:.1} whole runs ({} runs)", out.runs);
    }

    #[test]
    fn failures_only_together_are_found_on_the_whole_document() {
        let doc = document(64, json!({"P": {"type": "string"}, "Q": {"type": "integer"}}));
        let out = search(doc, &stand_in(&Cell::new(0)));
        assert_eq!(out.tokens.to_string(), "ok");
        let degraded = names(&out.degraded);
        assert!(degraded == ["P"] || degraded == ["Q"], "{degraded:?}");
        assert_eq!(names(&out.skipped), ["badOp"]);
    }

    #[test]
    fn what_nothing_explains_costs_the_operations_not_a_crash() {
        let engine = |doc: &Value| match doc.get("paths").and_then(Value::as_object).is_some_and(|p| !p.is_empty()) {
            true if doc.pointer("/paths/~1a/get").is_some() && doc.pointer("/paths/~1a/post").is_some() => Err("all or nothing".to_owned()),
            _ => Ok(quote!(ok)),
        };
        let out = search(document(8, json!({})), &engine);
        assert_eq!(out.tokens.to_string(), "ok");
        // `badOp` alone passes here; only both together fail.
        assert_eq!(out.skipped.len(), 1, "{:?}", out.skipped);
        assert!(out.degraded.is_empty());
    }

    #[test]
    fn an_operation_names_the_place_of_its_dropped_default() {
        let mut doc = document(4, json!({}));
        doc["paths"]["/a"]["put"] = json!({"operationId": "upload", "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
            "type": "object",
            "properties": {"ok": {"type": "integer", "default": 1}, "n": {"type": "integer", "default": 2}}
        }}}}, "responses": {"204": {"description": "ok"}}});
        // The engine rejects the default of `ok` only.
        let engine = |doc: &Value| match doc.pointer("/paths/~1a/put/requestBody/content/application~1x-www-form-urlencoded/schema/properties/ok/default") {
            Some(_) => Err("ok: the default does not conform".to_owned()),
            None => Ok(quote!(ok)),
        };
        let out = search(doc, &engine);
        assert_eq!(out.defaults_dropped.len(), 1, "{:?}", out.defaults_dropped);
        assert_eq!(out.defaults_dropped[0].0, "upload (request body /properties/ok)");
        assert_eq!(out.defaults_dropped[0].1, "#/paths/~1a/put");
        assert!(out.skipped.is_empty() && out.degraded.is_empty());
    }

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
