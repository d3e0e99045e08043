//! Rewrites that keep the Rust engine (progenitor) inside what it supports.
//!
//! progenitor asserts or `todo!`s on many ordinary specs. Each rule below
//! removes one such pattern while keeping the wire behaviour; where the SDK
//! becomes less typed, or an operation cannot be generated, a note says so.
//!
//! - Path-level parameters are copied into each operation (operation ones win).
//! - A missing `operationId`, or one with no letter or digit, is made from
//!   method and path; one that starts with a digit once snake-cased gets an
//!   `op_` prefix; duplicates, and ids equal once snake-cased, get a numeric
//!   suffix.
//! - Path parameters are required; a template variable without a parameter
//!   gets a string one; a path parameter missing from the template is removed.
//! - Cookie parameters and `Accept`/`Content-Type`/`Authorization` headers
//!   are removed (the latter three are ignored by OpenAPI itself).
//! - A parameter given by `content` gets that media type's schema.
//! - Styles a location does not allow become its default one (noted).
//!   Query styles (`form`, `spaceDelimited`, `pipeDelimited`,
//!   `deepObject`), path styles (`simple`, `label`, `matrix`) and `explode`
//!   stay: every SDK encodes them; on the Rust engine's copy [`rust`] hides
//!   them from progenitor.
//! - A header parameter whose value has no one-line text (an object, a
//!   composition, an array of those) becomes a string (noted); an array of
//!   scalars stays typed and is sent comma-separated (`rust::post`).
//! - A query or path parameter that is an object with properties gets a
//!   newtype component of its own (`<Op><Name>Param`, its inline schema
//!   moved to `<Op><Name>`): progenitor panics on optional parameters whose
//!   type has a builder, and newtypes have none.
//! - A request body with several media types keeps one, preferring JSON,
//!   then form, then multipart, then binary, then text; one in another
//!   media type with another schema becomes an operation of its own
//!   ([`super::siblings`]), another encoding of the same schema is only
//!   noted. `*+json` is sent as
//!   `application/json`. A `multipart/form-data` body is given to progenitor
//!   as a form (it has no multipart) with its binary properties in the
//!   [`FILE_FORMAT`] format (`crate::hooks::FilePart` in Rust); the
//!   operation is listed so that `rust::post` sends it as multipart.
//! - Responses: a JSON-like media type is kept as `application/json`, others
//!   as raw bytes; `default` beside explicit 2xx becomes `4XX` and `5XX`.
//! - `null` among other `enum` values becomes `nullable: true` (typify
//!   would wrap the enum in an `Option` newtype of the enum's own name).
//! - `minLength`, `minItems` and `minProperties` of 0 are removed (typify
//!   would check `len < 0`, which rustc warns about).
//! - A `format` beside `type: object`, `array` or `boolean` is removed
//!   (typify `todo!`s on it; formats qualify strings and numbers).
//! - Defaults that contradict their schema are read as its type, or
//!   dropped (noted) ([`super::defaults`]: typify fails the type on them).
//! - `additionalProperties: false` is dropped but on union branches
//!   ([`super::closed`]: typify's `deny_unknown_fields` would refuse a
//!   response field a newer server adds).
//! - An `anyOf` with a branch that is no object becomes a `oneOf`
//!   ([`super::unions`]: typify would flatten a string into a struct).
//! - Schema `title`s are removed (typify names inline types after them, and
//!   they collide); types are named after component keys and positions.
//! - Success (and error) responses of several schemas share one synthesized
//!   `oneOf` schema. Responses without a body beside typed ones get the
//!   typed ones' schema and are listed ([`EmptyResponses`]): the Rust back
//!   end types the group `Option<T>`. JSON beside non-JSON bodies, or an
//!   empty `default` beside typed codes, is returned as raw bytes.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use heck::{ToPascalCase, ToSnakeCase};
use serde_json::{Map, Value, json};

use super::walk::resolve;
use crate::pointer;
use crate::report::{Report, Severity};

/// HTTP methods an OpenAPI path item may hold, in document order.
pub const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// An operation the engine cannot generate, with the reason.
#[derive(Debug, Clone)]
pub struct Skip {
    /// Its operationId (after normalization).
    pub operation_id: String,
    /// Its pointer in the input.
    pub pointer: String,
    /// Why.
    pub reason: String,
}

/// Applies the language-neutral rules (ids, parameters) to the `paths` of a
/// 3.0-shaped document: every back end and the model see their result.
pub fn common(doc: &mut Value, report: &mut Report) {
    let mut ids = IdAllocator::default();
    for_each_operation(doc, |mut ctx, shared| {
        if matches!(ctx.op.get("responses"), None | Some(Value::Null)) {
            // Optional in 3.1, required by 3.0 readers; `responses:` with no
            // value is read the same way.
            ctx.op.insert("responses".into(), json!({}));
        }
        if let Some(Value::Object(responses)) = ctx.op.get_mut("responses") {
            for r in responses.values_mut() {
                if let Value::Object(r) = r
                    && !r.contains_key("$ref") && !r.get("description").is_some_and(Value::is_string) {
                        // Required by the spec, but only documentation.
                        r.insert("description".into(), json!(""));
                    }
            }
        }
        ctx.operation_id(&mut ids);
        ctx.merge_parameters(shared);
        ctx.fix_parameters();
    }, report);
}

/// A parameter renamed for the engine: (name given to progenitor, wire name).
pub type WireRename = (String, String);

/// The string `format` of a file in a multipart body, on the engine's copy
/// only: the Rust engine maps it to `crate::hooks::FilePart`.
pub const FILE_FORMAT: &str = "x-multipart-file";

/// What the Rust engine's rules leave for the Rust back end.
#[derive(Debug, Default)]
pub struct RustRules {
    /// Operations the engine cannot generate.
    pub skips: Vec<Skip>,
    /// Parameters renamed for the engine.
    pub renames: Vec<WireRename>,
    /// Operation ids whose body is sent as `multipart/form-data`.
    pub multipart: BTreeSet<String>,
    /// Operation ids with responses without a body beside typed ones.
    pub empty_responses: BTreeMap<String, EmptyResponses>,
    /// Enum values given to typify as sentinels (`normalize::names`).
    pub enum_sentinels: super::names::Sentinels,
    /// Operations made of another body media type ([`super::siblings`]).
    pub siblings: Vec<super::siblings::Sibling>,
}

/// The status codes (`"204"`, `"5XX"`) of an operation's responses that
/// have no body but share their group with typed ones: the Rust back end
/// returns `None` for them (`rust::empty`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmptyResponses {
    /// Among the success responses.
    pub success: Vec<String>,
    /// Among the error responses.
    pub error: Vec<String>,
}

/// Applies the Rust engine's rules (bodies, responses) after [`common`].
/// Returns the operations to skip, the parameters renamed because their
/// names are equal once snake-cased (`StartTime<` and `StartTime>`; the
/// Rust back end restores their wire names in the generated code) and the
/// multipart operations.
pub fn rust(doc: &mut Value, report: &mut Report) -> RustRules {
    let mut renames = Vec::new();
    let mut multipart = BTreeSet::new();
    let mut empty_responses = BTreeMap::new();
    let mut all_names: HashSet<String> = HashSet::new();
    for_each_operation(doc, |ctx, _| {
        if let Some(Value::Array(ps)) = ctx.op.get_mut("parameters") {
            all_names.extend(ps.iter().filter_map(|p| p.get("name").and_then(Value::as_str)).map(str::to_owned));
            // Every query parameter becomes `form` with `explode: true`, and
            // every path parameter `simple`, the only styles progenitor
            // generates. The model keeps the spec's style, and `rust::query`
            // and `rust::path` send the others through the crate's own
            // encoders (`hooks::append_query`, `hooks::encode_path_param`),
            // so nothing is noted.
            for p in ps.iter_mut().filter_map(Value::as_object_mut).filter(|p| matches!(p.get("in").and_then(Value::as_str), Some("query" | "path"))) {
                p.remove("style");
                p.remove("explode");
            }
        }
    }, &mut Report::default());
    // typify names inline types after their `title`; titles repeat across a
    // spec ("File (Base)" on a component and on inline copies) and the
    // resulting types collide. Without titles, inline types are named after
    // where they are, and components after their keys.
    let mut dropped_formats: Vec<String> = Vec::new();
    let (mut defaults, mut any_ofs, mut closed) = (Vec::new(), Vec::new(), super::closed::Found::default());
    super::walk::for_each_schema(doc, &mut |s, ptr| {
        closed.look(s, ptr);
        if super::defaults::has_default(s) {
            defaults.push(ptr.to_owned());
        }
        if super::unions::has_any_of(s) {
            any_ofs.push(ptr.to_owned());
        }
        if let Value::Object(o) = s {
            o.remove("title");
            null_value_to_nullable(o);
            // typify checks `len < 0` for these, a comparison rustc warns
            // is useless; they constrain nothing.
            for k in ["minLength", "minItems", "minProperties"] {
                if o.get(k).and_then(Value::as_u64) == Some(0) {
                    o.remove(k);
                }
            }
            // typify `todo!`s on a `format` beside `type: object` (Twilio's
            // `uri-map`, `phone-number-capabilities`: 24 schemas were
            // untyped JSON). OpenAPI's formats qualify strings and numbers;
            // on an object, array or boolean it names nothing a Rust type
            // could keep.
            if matches!(o.get("type").and_then(Value::as_str), Some("object" | "array" | "boolean")) && o.remove("format").is_some() {
                dropped_formats.push(ptr.to_owned());
            }
        }
    });
    for ptr in &dropped_formats {
        report.rewrite("format beside type object, array or boolean dropped (typify cannot take it)", ptr);
    }
    // These only change what is below the pointers found above; `closed`
    // first, since `unions` moves branches.
    closed.open(doc, report);
    super::defaults::settle_at(doc, report, defaults);
    super::unions::split_scalar_any_of_at(doc, report, &any_ofs);
    let enum_sentinels = super::names::make_rust_safe(doc, report);
    split_nullable_compositions(doc, report);
    super::inline_names::merge_annotation_branches(doc, report);
    super::dedupe::merge(doc, report);
    super::inline_names::make_distinct(doc, report);
    let components = doc.pointer("/components/schemas").cloned().unwrap_or(Value::Null);
    let siblings = super::siblings::add(doc, &components, report);
    let mut skips = Vec::new();
    let mut new_schemas: BTreeMap<String, Value> = BTreeMap::new();
    let existing: HashSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().map(|k| k.to_pascal_case()).collect())
        .unwrap_or_default();
    for_each_operation(doc, |mut ctx, _| {
        let id = ctx.op.get("operationId").and_then(Value::as_str).unwrap_or_default().to_owned();
        ctx.fix_parameter_schemas(&id, &components, &existing, &mut new_schemas);
        let skip = match ctx.fix_request_body(&components) {
            Ok(true) => {
                multipart.insert(id.clone());
                None
            }
            Ok(false) => None,
            Err(reason) => Some(reason),
        };
        let empty = ctx.fix_responses(&id, &existing, &mut new_schemas);
        if !empty.success.is_empty() || !empty.error.is_empty() {
            empty_responses.insert(id.clone(), empty);
        }
        renames.extend(ctx.rename_clashing_parameters(&mut all_names));
        if let Some(reason) = skip {
            skips.push(Skip { operation_id: id, pointer: ctx.ptr.to_owned(), reason });
        }
    }, report);
    if !new_schemas.is_empty() {
        let components = doc.as_object_mut().map(|d| d.entry("components").or_insert_with(|| json!({})));
        if let Some(Value::Object(c)) = components
            && let Value::Object(schemas) = c.entry("schemas").or_insert_with(|| json!({})) {
                schemas.extend(new_schemas);
            }
    }
    RustRules { skips, renames, multipart, empty_responses, enum_sentinels, siblings }
}

/// `enum: [a, b, null]` → `enum: [a, b], nullable: true`: typify makes a
/// component of the first `struct X(Option<X>)` beside `enum X` (E0428),
/// of the second `struct X(Option<XInner>)`.
fn null_value_to_nullable(o: &mut Map<String, Value>) {
    let Some(Value::Array(values)) = o.get_mut("enum") else { return };
    if values.iter().any(Value::is_null) && values.iter().any(|v| !v.is_null()) {
        values.retain(|v| !v.is_null());
        o.insert("nullable".into(), Value::Bool(true));
    }
}

/// typify turns a nullable component schema with `oneOf`/`anyOf`/`allOf`
/// into `struct S(Option<S>)` beside `enum S`: two items of one name. The
/// composition moves to a new component `<S>Value` and `S` becomes a
/// nullable reference to it.
fn split_nullable_compositions(doc: &mut Value, report: &mut Report) {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else { return };
    let names: Vec<String> = schemas
        .iter()
        .filter(|(_, s)| {
            s.get("nullable") == Some(&Value::Bool(true)) && ["oneOf", "anyOf", "allOf"].iter().any(|k| s.get(*k).is_some_and(Value::is_array))
                && !(s.get("allOf").and_then(Value::as_array).is_some_and(|a| a.len() == 1) && s.get("oneOf").is_none() && s.get("anyOf").is_none())
        })
        .map(|(k, _)| k.clone())
        .collect();
    for name in names {
        let taken: HashSet<String> = schemas.keys().map(|k| k.to_pascal_case()).collect();
        let mut value_name = format!("{name}Value");
        let mut n = 2;
        while taken.contains(&value_name.to_pascal_case()) {
            value_name = format!("{name}Value{n}");
            n += 1;
        }
        let Some(Value::Object(mut inner)) = schemas.remove(&name) else { continue };
        inner.remove("nullable");
        let description = inner.get("description").cloned();
        let mut outer = serde_json::Map::new();
        outer.insert("nullable".into(), json!(true));
        outer.insert("allOf".into(), json!([{"$ref": format!("#/components/schemas/{value_name}")}]));
        if let Some(d) = description {
            outer.insert("description".into(), d);
        }
        schemas.insert(value_name, Value::Object(inner));
        schemas.insert(name.clone(), Value::Object(outer));
        report.rewrite("nullable composition split into a nullable reference", &format!("#/components/schemas/{}", crate::pointer::escape(&name)));
    }
}

fn for_each_operation(doc: &mut Value, mut f: impl FnMut(OpCtx<'_>, Option<&Value>), report: &mut Report) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else { return };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        let shared = item.remove("parameters");
        // A sibling ([`super::siblings`]) is at its operation's pointer; what
        // is to be said of it was said of the operation.
        let sibling = path.split_once(super::siblings::MARK);
        let mut quiet = Report::default();
        for method in METHODS {
            let Some(Value::Object(op)) = item.get_mut(*method) else { continue };
            let ptr = pointer::join(["paths", sibling.map_or(path.as_str(), |(p, _)| p), method]);
            let report = if sibling.is_some() { &mut quiet } else { &mut *report };
            f(OpCtx { path, method, ptr: &ptr, report, op }, shared.as_ref());
        }
    }
}

#[derive(Default)]
pub(super) struct IdAllocator {
    raw: HashSet<String>,
    snake: HashSet<String>,
}

impl IdAllocator {
    pub(super) fn take(&mut self, wanted: &str) -> String {
        let mut candidate = wanted.to_owned();
        let mut n = 2;
        while self.raw.contains(&candidate) || self.snake.contains(&candidate.to_snake_case()) {
            candidate = format!("{wanted}_{n}");
            n += 1;
        }
        self.raw.insert(candidate.clone());
        self.snake.insert(candidate.to_snake_case());
        candidate
    }
}

struct OpCtx<'a> {
    path: &'a str,
    method: &'a str,
    ptr: &'a str,
    report: &'a mut Report,
    op: &'a mut Map<String, Value>,
}

impl OpCtx<'_> {
    fn operation_id(&mut self, ids: &mut IdAllocator) {
        let given = self.op.get("operationId").and_then(Value::as_str).map(str::to_owned);
        let wanted = match given.filter(|id| !id.to_snake_case().is_empty()) {
            // An identifier cannot start with a digit in any target language.
            Some(id) if id.to_snake_case().starts_with(|c: char| c.is_ascii_digit()) => {
                let fixed = format!("op_{}", id.to_snake_case());
                self.report.add(
                    Severity::Degraded,
                    format!("{}/operationId", self.ptr),
                    format!("operationId {id:?} starts with a digit once snake-cased; generated as {fixed:?}"),
                );
                fixed
            }
            Some(id) => id,
            _ => {
                let words: Vec<&str> = self.path.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
                let id = format!("{}_{}", self.method, words.join("_")).to_snake_case();
                self.report.rewrite("operationId synthesized from method and path", self.ptr);
                id
            }
        };
        let id = ids.take(&wanted);
        if id != wanted && self.op.contains_key("operationId") {
            self.report.add(
                Severity::Degraded,
                format!("{}/operationId", self.ptr),
                format!("operationId {wanted:?} is already used (or equal once snake-cased); generated as {id:?}: make operationIds unique"),
            );
        }
        self.op.insert("operationId".into(), json!(id));
    }

    fn merge_parameters(&mut self, shared: Option<&Value>) {
        let Some(Value::Array(shared)) = shared else { return };
        let own = self.op.entry("parameters").or_insert_with(|| json!([]));
        let Value::Array(own) = own else { return };
        let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
        let have: HashSet<_> = own.iter().map(key).collect();
        for p in shared {
            if !have.contains(&key(p)) {
                own.push(p.clone());
            }
        }
    }

    fn fix_parameters(&mut self) {
        let template: Vec<String> = template_names(self.path);
        let Some(Value::Array(params)) = self.op.get_mut("parameters") else {
            if !template.is_empty() {
                self.op.insert("parameters".into(), json!([]));
                return self.fix_parameters();
            }
            return;
        };
        let ptr = self.ptr;
        let report = &mut *self.report;
        params.retain(|p| {
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
            match p.get("in").and_then(Value::as_str) {
                Some("cookie") => {
                    report.add(Severity::Degraded, format!("{ptr}/parameters"), format!("cookie parameter {name:?} is not generated in any SDK (progenitor has no cookie support, and the three SDKs share one parameter list); send it yourself in a `Cookie` header"));
                    false
                }
                Some("header") if ["accept", "content-type", "authorization"].contains(&name.to_ascii_lowercase().as_str()) => {
                    report.rewrite("ignored header parameter removed", ptr);
                    false
                }
                Some("path") if !template.iter().any(|t| t == name) => {
                    report.add(Severity::Rewrite, format!("{ptr}/parameters"), format!("path parameter {name:?} is not in the path template; removed"));
                    false
                }
                Some("path" | "query" | "header") => true,
                _ => {
                    report.add(Severity::Degraded, format!("{ptr}/parameters"), format!("parameter {name:?} has no valid `in`; removed"));
                    false
                }
            }
        });
        for name in &template {
            if !params.iter().any(|p| p.get("in").and_then(Value::as_str) == Some("path") && p.get("name").and_then(Value::as_str) == Some(name)) {
                report.add(Severity::Rewrite, format!("{ptr}/parameters"), format!("path template variable {{{name}}} has no parameter; added as a string"));
                params.push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}));
            }
        }
        for p in params.iter_mut() {
            let Value::Object(p) = p else { continue };
            let location = p.get("in").and_then(Value::as_str).unwrap_or_default().to_owned();
            if location == "path" {
                p.insert("required".into(), json!(true));
            }
            if !p.contains_key("schema") {
                let from_content = p.get("content").and_then(Value::as_object).and_then(|c| c.values().next()).and_then(|m| m.get("schema")).cloned();
                p.insert("schema".into(), from_content.unwrap_or_else(|| json!({"type": "string"})));
            }
            p.remove("content");
            // A parameter is absent or has a value: `null` has no spelling in
            // a path, query or header, so a nullable parameter schema only
            // doubles the Option.
            if let Some(Value::Object(schema)) = p.get_mut("schema")
                && schema.remove("nullable").is_some()
            {
                report.rewrite("nullable removed from a parameter schema", ptr);
            }
            // Query and path styles are the model's (every SDK encodes
            // them); anything a location does not allow is not.
            let (default_style, supported): (&str, &[&str]) = match location.as_str() {
                "query" => ("form", &["form", "spaceDelimited", "pipeDelimited", "deepObject"]),
                "path" => ("simple", &["simple", "label", "matrix"]),
                _ => ("simple", &["simple"]),
            };
            if let Some(style) = p.get("style").and_then(Value::as_str)
                && !supported.contains(&style) {
                    let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
                    report.add(Severity::Degraded, format!("{ptr}/parameters"), format!("parameter {name:?} uses style {style:?}; sent with the default style {default_style:?}"));
                    p.insert("style".into(), json!(default_style));
                }
        }
    }

    fn fix_parameter_schemas(&mut self, id: &str, components: &Value, existing: &HashSet<String>, new_schemas: &mut BTreeMap<String, Value>) {
        let ptr = self.ptr;
        let Some(Value::Array(params)) = self.op.get_mut("parameters") else { return };
        for p in params.iter_mut().filter(|p| p.get("in").and_then(Value::as_str) == Some("header")) {
            let renderable = p.get("schema").is_some_and(|s| match resolve(s, components) {
                Some(s) if s.get("type").and_then(Value::as_str) == Some("array") => s.get("items").is_some_and(|i| is_scalar(i, components)),
                _ => is_scalar(s, components),
            });
            if !renderable {
                let name = p.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
                p["schema"] = json!({"type": "string"});
                self.report.add(Severity::Degraded, format!("{ptr}/parameters"), format!("header parameter {name:?} has no plain-text form in the Rust SDK; it takes the header's text as a string"));
            }
        }
        let free = |wanted: String, new_schemas: &BTreeMap<String, Value>| free_name(wanted, existing, new_schemas);
        for p in params.iter_mut() {
            if !matches!(p.get("in").and_then(Value::as_str), Some("query" | "path")) {
                continue;
            }
            let is_struct = p.get("schema").and_then(|s| resolve(s, components)).is_some_and(|s| s.get("properties").and_then(Value::as_object).is_some_and(|m| !m.is_empty()));
            if !is_struct {
                continue;
            }
            // progenitor panics on an optional parameter whose type has a
            // typify builder (every struct has one). A newtype has none: the
            // parameter gets one of its own, `<Op><Name>Param(<Op><Name>)`,
            // and the setter takes the struct itself (`From`).
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default().to_pascal_case();
            let Some(schema) = p.get_mut("schema") else { continue };
            let target = schema.get("$ref").and_then(Value::as_str).and_then(crate::refs::component_schema_name).and_then(|n| components.get(n));
            if target.is_some_and(|t| t.get("allOf").and_then(Value::as_array).is_some_and(|a| a.len() == 1) && t.get("properties").is_none()) {
                continue; // a newtype already
            }
            let inner = match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => r.to_owned(),
                None => {
                    let inner = free(format!("{}{name}", id.to_pascal_case()), new_schemas);
                    new_schemas.insert(inner.clone(), schema.take());
                    format!("#/components/schemas/{inner}")
                }
            };
            let wrapper = free(format!("{}{name}Param", id.to_pascal_case()), new_schemas);
            new_schemas.insert(wrapper.clone(), json!({"allOf": [{"$ref": inner}]}));
            *schema = json!({"$ref": format!("#/components/schemas/{wrapper}")});
            self.report.rewrite("object parameter given to progenitor as a newtype (it panics on optional struct parameters)", &format!("{ptr}/parameters"));
        }
    }

    fn rename_clashing_parameters(&mut self, all_names: &mut HashSet<String>) -> Vec<WireRename> {
        let mut out = Vec::new();
        let has_body = self.op.contains_key("requestBody");
        let ptr = self.ptr.to_owned();
        let Some(Value::Array(params)) = self.op.get_mut("parameters") else { return out };
        let mut seen = HashSet::new();
        if has_body {
            seen.insert("body".to_owned());
        }
        for p in params.iter_mut() {
            let Some(name) = p.get("name").and_then(Value::as_str).map(str::to_owned) else { continue };
            if seen.insert(name.to_snake_case()) {
                continue;
            }
            let base: String = name.chars().filter(|c| c.is_alphanumeric() || *c == '_').collect();
            let mut n = 2;
            let mut candidate = format!("{base}_{n}");
            while all_names.contains(&candidate) || seen.contains(&candidate.to_snake_case()) {
                n += 1;
                candidate = format!("{base}_{n}");
            }
            seen.insert(candidate.to_snake_case());
            all_names.insert(candidate.clone());
            p["name"] = json!(candidate);
            self.report.add(Severity::Rewrite, format!("{ptr}/parameters"), format!("parameter {name:?} has the same Rust name as another parameter; its Rust name is {:?} (still sent as {name:?})", candidate.to_snake_case()));
            out.push((candidate, name));
        }
        out
    }

    /// Keeps one request media type; `Ok(true)` when it is multipart.
    fn fix_request_body(&mut self, components: &Value) -> Result<bool, String> {
        let Some(Value::Object(body)) = self.op.get_mut("requestBody") else { return Ok(false) };
        let Some(Value::Object(content)) = body.get_mut("content") else {
            self.op.remove("requestBody");
            return Ok(false);
        };
        if content.is_empty() {
            self.op.remove("requestBody");
            return Ok(false);
        }
        let offered: Vec<String> = content.keys().cloned().collect();
        let Some((chosen, r)) = chosen_media_type(content) else {
            return Err(format!("request body media type(s) {} not supported by the Rust engine", offered.join(", ")));
        };
        let mut media = content.get(&chosen).cloned().unwrap_or_else(|| json!({}));
        if offered.len() > 1 {
            // Another encoding of the same schema (petstore's XML and form
            // beside JSON) takes nothing from the SDK: a rewrite. Another
            // schema (a file upload beside JSON ids) is less than the spec.
            let schema_of = |mt: &str| content.get(mt).and_then(|m| m.get("schema")).map(|s| resolve(s, components));
            // Files in a schema are sent only as multipart parts.
            let no_files = |m: &str| schema_of(m).flatten().is_none_or(|s| files(s, components) == Files::None);
            let (same, other): (Vec<&str>, Vec<&str>) = offered.iter().filter(|m| **m != chosen).map(String::as_str).partition(|m| schema_of(m) == schema_of(&chosen) && no_files(m));
            let at = format!("{}/requestBody/content", self.ptr);
            if !other.is_empty() {
                self.report.add(Severity::Degraded, at.clone(), format!("the SDKs send {chosen}; also accepted but not offered: {}", other.join(", ")));
            }
            if !same.is_empty() {
                self.report.add(Severity::Rewrite, at, format!("the SDKs send {chosen}; {} take the same schema", same.join(", ")));
            }
        }
        let Value::Object(m) = &mut media else { return Err("request body media type is not an object".into()) };
        m.remove("encoding");
        m.remove("examples");
        let key = match r {
            0 => {
                m.entry("schema").or_insert_with(|| json!({}));
                "application/json".to_owned()
            }
            1 => {
                m.entry("schema").or_insert_with(|| json!({}));
                "application/x-www-form-urlencoded".to_owned()
            }
            2 => {
                let schema = m.get("schema").and_then(|s| resolve(s, components)).cloned().unwrap_or_else(|| json!({}));
                m.insert("schema".into(), multipart_schema(schema, components));
                "application/x-www-form-urlencoded".to_owned()
            }
            3 => {
                m.insert("schema".into(), json!({"type": "string", "format": "binary"}));
                "application/octet-stream".to_owned()
            }
            _ => {
                m.insert("schema".into(), json!({"type": "string"}));
                chosen.split(';').next().unwrap_or("text/plain").trim().to_owned()
            }
        };
        content.clear();
        content.insert(key, media);
        Ok(r == 2)
    }

    /// Fixes the responses; returns the codes without a body that share a
    /// group (success, error) with typed ones.
    fn fix_responses(&mut self, id: &str, existing: &HashSet<String>, new_schemas: &mut BTreeMap<String, Value>) -> EmptyResponses {
        let Some(Value::Object(responses)) = self.op.get_mut("responses") else { return EmptyResponses::default() };
        for (code, resp) in responses.iter_mut() {
            let Value::Object(resp) = resp else { continue };
            let Some(Value::Object(content)) = resp.get_mut("content") else { continue };
            let json_key = content.keys().find(|mt| is_json(mt)).cloned();
            if let Some(k) = json_key {
                let mut media = content.get(&k).cloned().unwrap_or_else(|| json!({}));
                if let Value::Object(m) = &mut media {
                    m.remove("encoding");
                    m.entry("schema").or_insert_with(|| json!({}));
                }
                content.clear();
                content.insert("application/json".into(), media);
            } else if let Some(first) = content.keys().next().cloned() {
                let _ = code;
                let media = content.get(&first).cloned().unwrap_or_else(|| json!({}));
                content.clear();
                content.insert(first, media);
            } else {
                resp.remove("content");
            }
        }
        let has_2xx = responses.keys().any(|k| k.starts_with('2'));
        if has_2xx && responses.contains_key("default")
            && let Some(d) = responses.remove("default") {
                for range in ["4XX", "5XX"] {
                    responses.entry(range.to_owned()).or_insert_with(|| d.clone());
                }
                self.report.rewrite("default response beside 2xx → 4XX/5XX", self.ptr);
            }
        let ptr = self.ptr;
        type Member = fn(&str) -> bool;
        let groups: [(&str, Member); 2] = [
            ("Response", |c| c.starts_with('2') || c == "default"),
            ("Error", |c| c.starts_with('4') || c.starts_with('5') || c == "default"),
        ];
        let mut empty = EmptyResponses::default();
        for (suffix, member) in groups {
            let codes: Vec<String> = responses.keys().filter(|c| member(c)).cloned().collect();
            let kinds: BTreeSet<String> = codes.iter().map(|c| kind_of(&responses[c])).collect();
            if kinds.len() <= 1 {
                continue;
            }
            let empties: Vec<String> = codes.iter().filter(|c| kind_of(&responses[*c]) == "none").cloned().collect();
            // A body that is not JSON (text, binary) is bytes; `default`
            // without a body cannot be told from the arms progenitor writes
            // for other codes (`_`, or `200..=299` among successes).
            let raw = kinds.contains("raw");
            if raw || empties.iter().any(|c| c == "default") {
                for c in &codes {
                    if let Some(Value::Object(r)) = responses.get_mut(c) {
                        r.insert("content".into(), json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}));
                    }
                }
                let present: Vec<&str> = [(kinds.iter().any(|k| k.starts_with("type:")), "JSON"), (raw, "non-JSON"), (!empties.is_empty(), "empty")]
                    .into_iter()
                    .filter_map(|(is, what)| is.then_some(what))
                    .collect();
                self.report.add(Severity::Degraded, format!("{ptr}/responses"), format!("{} responses {} mix {} bodies; the Rust SDK returns them as raw bytes", group_label(suffix), codes.join(", "), present.join(" and ")));
                continue;
            }
            let typed_codes: Vec<&String> = codes.iter().filter(|c| !empties.contains(c)).collect();
            let mut unique: Vec<Value> = Vec::new();
            for c in &typed_codes {
                if let Some(s) = responses[c.as_str()].pointer("/content/application~1json/schema")
                    && !unique.contains(s) {
                        unique.push(s.clone());
                    }
            }
            let schema = if unique.len() > 1 {
                // A union of components only is one type for every
                // operation with it, named after its members
                // (`BasicErrorOrValidationError`): GitHub has 173 operations
                // with those two errors. Any other union is the operation's.
                let members: Option<Vec<String>> = unique.iter().map(|s| s.get("$ref").and_then(Value::as_str).and_then(crate::refs::component_schema_name).map(|n| n.to_pascal_case())).collect();
                let union = json!({"oneOf": unique});
                let shared = members.as_ref().and_then(|_| new_schemas.iter().find(|(_, s)| **s == union)).map(|(n, _)| n.clone());
                let name = match shared {
                    Some(name) => name,
                    None => {
                        let mut name = match &members {
                            Some(m) => m.join("Or"),
                            None => format!("{}{suffix}", id.to_pascal_case()),
                        };
                        name = free_name(name, existing, new_schemas);
                        new_schemas.insert(name.clone(), union);
                        name
                    }
                };
                let typed: Vec<&str> = typed_codes.iter().map(|c| c.as_str()).collect();
                self.report.add(Severity::Rewrite, format!("{ptr}/responses"), format!("{} responses {} have different schemas; typed as one oneOf `{name}`", group_label(suffix), typed.join(", ")));
                json!({"$ref": format!("#/components/schemas/{name}")})
            } else {
                unique.pop().unwrap_or_else(|| json!({}))
            };
            for c in &typed_codes {
                if let Some(Value::Object(m)) = responses.get_mut(c.as_str()).and_then(|r| r.pointer_mut("/content/application~1json")) {
                    m.insert("schema".into(), schema.clone());
                }
            }
            if empties.is_empty() {
                continue;
            }
            // progenitor wants one type per group: the empty responses get
            // the typed ones' schema here, and `rust::empty` makes the group
            // `Option<T>` with `None` for them (TypeScript and Python type
            // the same responses `T | undefined` and `T | None`).
            for c in &empties {
                if let Some(Value::Object(r)) = responses.get_mut(c) {
                    r.insert("content".into(), json!({"application/json": {"schema": schema.clone()}}));
                }
            }
            self.report.rewrite("typed beside empty responses → Option<T> in Rust", ptr);
            if suffix == "Error" {
                empty.error = empties;
            } else {
                empty.success = empties;
            }
        }
        empty
    }
}

/// How the Rust engine sends a request media type, best first: JSON (0),
/// url-encoded form (1), multipart (2), bytes (3), text (4); `None`: not
/// at all (XML, SDP). The TypeScript and Python SDKs choose by the same
/// rank ([`crate::model::Operation::chosen_body`]).
pub fn media_rank(mt: &str) -> Option<u8> {
    let mt = crate::model::media_essence(mt);
    Some(if is_json(&mt) {
        0
    } else if mt == "application/x-www-form-urlencoded" {
        1
    } else if mt == "multipart/form-data" {
        2
    } else if mt == "application/octet-stream" || mt.starts_with("image/") || mt.starts_with("audio/") || mt.starts_with("video/") || mt == "*/*" || mt == "application/pdf" || mt == "application/zip" {
        3
    } else if mt.starts_with("text/") {
        4
    } else {
        return None;
    })
}

/// The media type of `content` the Rust engine sends, with its rank.
pub(super) fn chosen_media_type(content: &Map<String, Value>) -> Option<(String, u8)> {
    content.keys().filter_map(|mt| media_rank(mt).map(|r| (mt.clone(), r))).min_by_key(|(_, r)| *r)
}

fn is_binary(s: &Value) -> bool {
    s.get("type").and_then(Value::as_str) == Some("string") && s.get("format").and_then(Value::as_str) == Some("binary")
}

/// Files among a body schema's properties (references resolved).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Files {
    /// None.
    None,
    /// Properties that are files or arrays of files (or a choice between
    /// the two), which the Rust SDK sends as parts (`crate::hooks::FilePart`).
    Sent,
    /// Files inside a property's `oneOf`/`anyOf` beside branches that are
    /// not files, which it cannot send.
    Hidden,
}

/// The branch lists of a schema's `oneOf` and `anyOf`.
fn branches(p: &Value) -> impl Iterator<Item = &Vec<Value>> {
    ["oneOf", "anyOf"].into_iter().filter_map(move |k| p.get(k)?.as_array())
}

/// A file (`format: binary`) or an array of files.
fn file_or_files(p: &Value, components: &Value) -> bool {
    resolve(p, components).is_some_and(|p| is_binary(p) || p.get("items").and_then(|i| resolve(i, components)).is_some_and(is_binary))
}

/// A `oneOf`/`anyOf` whose every branch is a file or files: OpenAI's skill
/// uploads take one zip or a directory's files. On the wire both are parts
/// of the property's name, one or several, so it is an array of files.
fn files_choice(p: &Value, components: &Value) -> bool {
    branches(p).any(|bs| !bs.is_empty() && bs.iter().all(|b| file_or_files(b, components)))
}

pub(super) fn files(schema: &Value, components: &Value) -> Files {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else { return Files::None };
    let props: Vec<&Value> = props.values().filter_map(|p| resolve(p, components)).collect();
    if props.iter().any(|p| file_or_files(p, components) || files_choice(p, components)) {
        return Files::Sent;
    }
    let hidden = props.iter().any(|p| branches(p).flatten().any(|b| file_or_files(b, components)));
    if hidden { Files::Hidden } else { Files::None }
}

/// A multipart body's schema (references resolved) with its binary
/// properties, and arrays of them, in the [`FILE_FORMAT`] format. A
/// property that is a `$ref` to a binary schema (or to an array of them) is
/// a file too: [`files`] counts it as one, so it must be sent as one. A
/// choice between a file and files ([`files_choice`]) is an array of files.
fn multipart_schema(mut schema: Value, components: &Value) -> Value {
    let file = |s: &Value| {
        let mut f = json!({"type": "string", "format": FILE_FORMAT});
        if let Some(d) = s.get("description") {
            f["description"] = d.clone();
        }
        f
    };
    if let Some(Value::Object(props)) = schema.get_mut("properties") {
        for p in props.values_mut() {
            let Some(resolved) = resolve(p, components) else { continue };
            // The property's own description first, then its schema's.
            let described = if p.get("description").is_some() { &*p } else { resolved };
            let replacement = if is_binary(resolved) {
                Some(file(described))
            } else if let Some(items) = resolved.get("items").and_then(|i| resolve(i, components)).filter(|i| is_binary(i)) {
                let mut array = resolved.clone();
                array["items"] = file(items);
                Some(array)
            } else if files_choice(resolved, components) {
                let mut array = json!({"type": "array", "items": file(&Value::Null)});
                if let Some(d) = described.get("description") {
                    array["description"] = d.clone();
                }
                Some(array)
            } else {
                None
            };
            if let Some(r) = replacement {
                *p = r;
            }
        }
    }
    schema
}

/// `wanted`, or `wanted2`, `wanted3`, ...: a component name free among the
/// existing ones (Pascal-cased, as typify names them) and the new ones. A
/// suffix typify drops (`_`) would not do.
fn free_name(wanted: String, existing: &HashSet<String>, new_schemas: &BTreeMap<String, Value>) -> String {
    // New names are made Pascal-cased already.
    let taken = |n: &str| existing.contains(&n.to_pascal_case()) || new_schemas.contains_key(n);
    if !taken(&wanted) {
        return wanted;
    }
    (2..).map(|i| format!("{wanted}{i}")).find(|n| !taken(n)).unwrap_or(wanted)
}

/// Whether a parameter schema becomes a Rust type whose `Display` is its
/// wire text: a string, number, integer or boolean, or a string enum.
fn is_scalar(s: &Value, components: &Value) -> bool {
    let Some(s) = resolve(s, components) else { return false };
    let composed = ["oneOf", "anyOf", "allOf", "properties"].iter().any(|k| s.get(*k).is_some());
    let typed = matches!(s.get("type").and_then(Value::as_str), Some("string" | "integer" | "number" | "boolean"));
    !composed && (typed || s.get("enum").and_then(Value::as_array).is_some_and(|e| e.iter().all(Value::is_string)))
}

fn group_label(suffix: &str) -> &'static str {
    if suffix == "Error" { "error" } else { "success" }
}

fn is_json(mt: &str) -> bool {
    let mt = crate::model::media_essence(mt);
    mt == "application/json" || mt.ends_with("+json")
}

fn kind_of(resp: &Value) -> String {
    match resp.get("content").and_then(Value::as_object) {
        None => "none".into(),
        Some(c) if c.is_empty() => "none".into(),
        Some(c) => match c.get("application/json").and_then(|m| m.get("schema")) {
            Some(s) => format!("type:{s}"),
            None => "raw".into(),
        },
    }
}

/// Names of the `{variables}` in a path template.
pub fn template_names(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        out.push(rest[start + 1..start + len].to_owned());
        rest = &rest[start + len + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_files_are_parts_through_references_too() {
        let components = json!({
            "Binary": {"type": "string", "format": "binary", "description": "the bytes"},
            "Binaries": {"type": "array", "items": {"$ref": "#/components/schemas/Binary"}},
            "Name": {"type": "string"},
        });
        let schema = json!({"type": "object", "properties": {
            "inline": {"type": "string", "format": "binary"},
            "by_ref": {"$ref": "#/components/schemas/Binary"},
            "described": {"allOf": [{"$ref": "#/components/schemas/Binary"}], "description": "mine"},
            "many": {"$ref": "#/components/schemas/Binaries"},
            "name": {"$ref": "#/components/schemas/Name"},
        }});
        assert_eq!(files(&schema, &components), Files::Sent);
        let file = |d: Option<&str>| match d {
            Some(d) => json!({"type": "string", "format": FILE_FORMAT, "description": d}),
            None => json!({"type": "string", "format": FILE_FORMAT}),
        };
        let out = multipart_schema(schema, &components);
        assert_eq!(out["properties"]["inline"], file(None));
        assert_eq!(out["properties"]["by_ref"], file(Some("the bytes")));
        assert_eq!(out["properties"]["described"], file(Some("mine")));
        assert_eq!(out["properties"]["many"], json!({"type": "array", "items": file(Some("the bytes"))}));
        assert_eq!(out["properties"]["name"], json!({"$ref": "#/components/schemas/Name"}), "not a file: left as it is");

        // One zip or a directory's files: parts of one name either way.
        let choice = json!({"type": "object", "properties": {"files": {"oneOf": [
            {"type": "array", "items": {"type": "string", "format": "binary"}},
            {"$ref": "#/components/schemas/Binary"},
        ]}}});
        assert_eq!(files(&choice, &components), Files::Sent);
        let out = multipart_schema(choice, &components);
        assert_eq!(out["properties"]["files"], json!({"type": "array", "items": file(None)}));
        // A file beside text: the SDK cannot say which it is sending.
        let mixed = json!({"type": "object", "properties": {"files": {"anyOf": [{"$ref": "#/components/schemas/Binary"}, {"type": "string"}]}}});
        assert_eq!(files(&mixed, &components), Files::Hidden);
        assert_eq!(multipart_schema(mixed.clone(), &components), mixed);
    }

    fn run(doc: Value) -> (Value, Vec<Skip>, Report) {
        let mut doc = doc;
        let mut report = Report::default();
        common(&mut doc, &mut report);
        let rules = rust(&mut doc, &mut report);
        (doc, rules.skips, report)
    }

    #[test]
    fn error_unions_of_components_are_shared_and_named_after_their_members() {
        let err = |a: &str| json!({"content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{a}")}}}});
        let inline = json!({"content": {"application/json": {"schema": {"type": "object", "properties": {"m": {"type": "string"}}}}}});
        let (doc, _, _) = run(json!({"paths": {
            "/a": {"get": {"operationId": "a", "responses": {"404": err("basic-error"), "422": err("validation-error")}}},
            "/b": {"get": {"operationId": "b", "responses": {"403": err("basic-error"), "422": err("validation-error")}}},
            "/c": {"get": {"operationId": "c", "responses": {"404": err("basic-error"), "500": inline}}}
        }, "components": {"schemas": {
            "basic-error": {"type": "object", "properties": {"message": {"type": "string"}}},
            "validation-error": {"type": "object", "properties": {"errors": {"type": "array", "items": {"type": "string"}}}}
        }}}));
        let schema = |p: &str| doc.pointer(&format!("/paths/~1{p}/content/application~1json/schema/$ref")).cloned();
        let shared = Some(json!("#/components/schemas/BasicErrorOrValidationError"));
        assert_eq!(schema("a/get/responses/404"), shared);
        assert_eq!(schema("b/get/responses/422"), shared);
        assert_eq!(schema("c/get/responses/500"), Some(json!("#/components/schemas/CError")), "a union with an inline member is the operation's own");
        let schemas = doc.pointer("/components/schemas").and_then(Value::as_object).map(|m| m.keys().cloned().collect::<Vec<_>>());
        assert_eq!(schemas, Some(vec!["basic-error".into(), "validation-error".into(), "BasicErrorOrValidationError".into(), "CError".into()]));
    }

    #[test]
    fn ids_become_identifiers() {
        // Found by the `analyze` fuzz target: "-0bss" made an invalid Rust ident.
        let (doc, _, report) = run(json!({"paths": {"/a": {
            "get": {"operationId": "-0bss", "responses": {}},
            "put": {"operationId": "🦀", "responses": {}},
            "post": {"operationId": "0", "responses": {}}
        }}}));
        assert_eq!(doc.pointer("/paths/~1a/get/operationId"), Some(&json!("op_0bss")));
        assert_eq!(doc.pointer("/paths/~1a/put/operationId"), Some(&json!("put_a")));
        assert_eq!(doc.pointer("/paths/~1a/post/operationId"), Some(&json!("op_0")));
        assert!(report.notes.iter().any(|n| n.pointer == "#/paths/~1a/get/operationId" && n.message.contains("starts with a digit")), "{:?}", report.notes);
    }

    #[test]
    fn fills_ids_and_path_parameters() {
        let (doc, skips, _) = run(json!({"paths": {"/a/{id}/b": {
            "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
            "get": {"responses": {}},
            "post": {"operationId": "get_a_id_b", "parameters": [{"name": "x", "in": "cookie"}], "responses": {}}
        }}}));
        assert!(skips.is_empty());
        assert_eq!(doc.pointer("/paths/~1a~1{id}~1b/get/operationId"), Some(&json!("get_a_id_b")));
        assert_eq!(doc.pointer("/paths/~1a~1{id}~1b/post/operationId"), Some(&json!("get_a_id_b_2")));
        let params = doc.pointer("/paths/~1a~1{id}~1b/post/parameters").unwrap();
        assert_eq!(params, &json!([{"name": "q", "in": "query", "schema": {"type": "string"}}, {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}]));
    }

    #[test]
    fn parameters_progenitor_cannot_take() {
        let (doc, _, report) = run(json!({
            "paths": {"/a": {"get": {"operationId": "g", "responses": {}, "parameters": [
                {"name": "list", "in": "header", "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Kind"}}},
                {"name": "obj", "in": "header", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
                {"name": "objs", "in": "header", "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Obj"}}},
                {"name": "n", "in": "header", "schema": {"type": "integer"}},
                {"name": "scope", "in": "query", "schema": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string"}}}},
                {"name": "created", "in": "query", "schema": {"anyOf": [{"type": "object", "properties": {"gt": {"type": "integer"}}}, {"type": "integer"}]}}
            ]}}},
            "components": {"schemas": {"Kind": {"type": "string", "enum": ["a", "b"]}, "Obj": {"type": "object"}}}
        }));
        let params = doc.pointer("/paths/~1a/get/parameters").unwrap();
        assert_eq!(params[0]["schema"]["type"], "array", "an array of scalars stays typed");
        assert_eq!(params[1]["schema"], json!({"type": "string"}));
        assert_eq!(params[2]["schema"], json!({"type": "string"}));
        assert_eq!(params[3]["schema"], json!({"type": "integer"}));
        assert_eq!(params[4]["schema"], json!({"$ref": "#/components/schemas/GScopeParam"}), "progenitor panics on optional struct parameters");
        assert_eq!(doc.pointer("/components/schemas/GScopeParam"), Some(&json!({"allOf": [{"$ref": "#/components/schemas/GScope"}]})), "a newtype has no builder");
        assert_eq!(doc.pointer("/components/schemas/GScope/required"), Some(&json!(["type"])), "the inline struct, moved whole");
        assert_eq!(params[5]["schema"]["oneOf"][1], json!({"type": "integer"}), "an untagged enum is no struct");
        assert_eq!(report.notes.iter().filter(|n| n.message.contains("no plain-text form")).count(), 2);
    }

    #[test]
    fn null_enum_value_becomes_nullable() {
        let (doc, _, _) = run(json!({"paths": {}, "components": {"schemas": {
            "Freq": {"type": "string", "enum": ["weekly", null]},
            "Null": {"enum": [null]}
        }}}));
        assert_eq!(doc.pointer("/components/schemas/Freq"), Some(&json!({"type": "string", "enum": ["weekly"], "nullable": true})));
        assert_eq!(doc.pointer("/components/schemas/Null"), Some(&json!({"enum": [null]})), "only null stays as it is");
    }

    #[test]
    fn formats_of_objects_arrays_and_booleans_are_dropped() {
        let (doc, _, report) = run(json!({"paths": {}, "components": {"schemas": {
            "Caps": {"type": "object", "format": "phone-number-capabilities", "properties": {"mms": {"type": "boolean", "format": "flag"}}},
            "Urls": {"type": "array", "format": "uri-list", "items": {"type": "string", "format": "uri"}},
            "When": {"type": "string", "format": "date-time"}
        }}}));
        assert_eq!(doc.pointer("/components/schemas/Caps"), Some(&json!({"type": "object", "properties": {"mms": {"type": "boolean"}}})));
        assert_eq!(doc.pointer("/components/schemas/Urls"), Some(&json!({"type": "array", "items": {"type": "string", "format": "uri"}})));
        assert_eq!(doc.pointer("/components/schemas/When/format"), Some(&json!("date-time")));
        let (count, first) = &report.rewrites["format beside type object, array or boolean dropped (typify cannot take it)"];
        assert_eq!((*count, first.as_str()), (3, "#/components/schemas/Caps"));
    }

    #[test]
    fn zero_minimum_lengths_are_dropped() {
        let (doc, _, _) = run(json!({"paths": {}, "components": {"schemas": {
            "Ref": {"type": "string", "minLength": 0, "maxLength": 256},
            "List": {"type": "array", "items": {"type": "string"}, "minItems": 0},
            "One": {"type": "string", "minLength": 1}
        }}}));
        assert_eq!(doc.pointer("/components/schemas/Ref"), Some(&json!({"type": "string", "maxLength": 256})));
        assert_eq!(doc.pointer("/components/schemas/List"), Some(&json!({"type": "array", "items": {"type": "string"}})));
        assert_eq!(doc.pointer("/components/schemas/One/minLength"), Some(&json!(1)));
    }

    #[test]
    fn unifies_responses() {
        let (doc, _, report) = run(json!({"paths": {"/a": {"get": {"operationId": "getA", "responses": {
            "200": {"description": "", "content": {"application/json": {"schema": {"type": "string"}}}},
            "201": {"description": "", "content": {"application/json": {"schema": {"type": "integer"}}}},
            "default": {"description": "", "content": {"application/problem+json": {"schema": {"type": "object"}}}}
        }}}}}));
        assert_eq!(doc.pointer("/components/schemas/GetAResponse"), Some(&json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})));
        assert!(doc.pointer("/paths/~1a/get/responses/4XX/content/application~1json").is_some());
        assert!(doc.pointer("/paths/~1a/get/responses/default").is_none());
        assert!(report.notes.iter().any(|n| n.message.contains("oneOf `GetAResponse`")));
    }

    #[test]
    fn empty_responses_beside_typed_ones_share_their_schema_and_are_listed() {
        let mut doc = json!({"paths": {"/a": {"delete": {"operationId": "d", "responses": {
            "200": {"description": "", "content": {"application/json": {"schema": {"type": "string"}}}},
            "201": {"description": "", "content": {"application/json": {"schema": {"type": "integer"}}}},
            "204": {"description": ""},
            "404": {"description": "", "content": {"application/json": {"schema": {"type": "object"}}}},
            "5XX": {"description": ""}
        }}, "get": {"operationId": "g", "responses": {
            "404": {"description": "", "content": {"application/json": {"schema": {"type": "string"}}}},
            "default": {"description": ""}
        }}}}});
        let mut report = Report::default();
        common(&mut doc, &mut report);
        let rules = rust(&mut doc, &mut report);
        let union = json!({"$ref": "#/components/schemas/DResponse"});
        for code in ["200", "201", "204"] {
            assert_eq!(doc.pointer(&format!("/paths/~1a/delete/responses/{code}/content/application~1json/schema")), Some(&union), "{code}");
        }
        assert_eq!(doc.pointer("/paths/~1a/delete/responses/5XX/content/application~1json/schema"), Some(&json!({"type": "object"})));
        let want = EmptyResponses { success: vec!["204".into()], error: vec!["5XX".into()] };
        assert_eq!(rules.empty_responses.get("d"), Some(&want));
        // An empty `default` has no arm of its own: raw bytes, noted.
        assert!(!rules.empty_responses.contains_key("g"));
        assert!(doc.pointer("/paths/~1a/get/responses/404/content/application~1octet-stream").is_some());
        assert!(report.notes.iter().any(|n| n.pointer == "#/paths/~1a/get/responses" && n.message.contains("mix JSON and empty bodies")), "{:?}", report.notes);
    }

    #[test]
    fn picks_one_request_media_type() {
        let (doc, skips, _) = run(json!({"paths": {"/a": {"post": {"operationId": "p", "responses": {}, "requestBody": {"content": {
            "application/x-www-form-urlencoded": {"schema": {"type": "object"}},
            "application/vnd.api+json": {"schema": {"type": "object", "description": "j"}}
        }}}}}}));
        assert!(skips.is_empty());
        assert_eq!(doc.pointer("/paths/~1a/post/requestBody/content"), Some(&json!({"application/json": {"schema": {"type": "object", "description": "j"}}})));
        let (_, skips, _) = run(json!({"paths": {"/a": {"post": {"operationId": "up", "responses": {}, "requestBody": {"content": {"application/x-foo": {}}}}}}}));
        assert_eq!(skips.len(), 1);
        assert!(skips[0].reason.contains("application/x-foo"));
    }

    #[test]
    fn multipart_bodies_become_forms_with_files() {
        let mut doc = json!({
            "paths": {"/up": {"post": {"operationId": "upload", "responses": {}, "requestBody": {"content": {"multipart/form-data": {
                "schema": {"$ref": "#/components/schemas/Upload"},
                "encoding": {"file": {"contentType": "audio/*"}}
            }}}}}},
            "components": {"schemas": {"Upload": {"type": "object", "required": ["file"], "properties": {
                "file": {"type": "string", "format": "binary", "description": "the audio"},
                "more": {"type": "array", "items": {"type": "string", "format": "binary"}},
                "model": {"type": "string"}
            }}}}
        });
        let mut report = Report::default();
        common(&mut doc, &mut report);
        let rules = rust(&mut doc, &mut report);
        assert!(rules.skips.is_empty());
        assert_eq!(rules.multipart.iter().collect::<Vec<_>>(), ["upload"]);
        let media = doc.pointer("/paths/~1up/post/requestBody/content/application~1x-www-form-urlencoded").expect("sent to the engine as a form");
        assert_eq!(media, &json!({"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": FILE_FORMAT, "description": "the audio"},
            "more": {"type": "array", "items": {"type": "string", "format": FILE_FORMAT}},
            "model": {"type": "string"}
        }}}));
        assert_eq!(doc.pointer("/components/schemas/Upload/properties/file/format"), Some(&json!("binary")), "the component stays as it is");
    }
}
