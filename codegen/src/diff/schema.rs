//! Schema comparison, keyword by keyword, in the direction of use.
//!
//! Schemas are compared as JSON (the `openapiv3` form serialized), so every
//! keyword, `x-` extensions included, is seen the same way. `$ref`s resolve
//! through the API's component schemas; a pair of references compared once
//! under one root is not compared again, which also stops recursion.
//! `allOf` members are merged when properties are compared.

use std::collections::{BTreeSet, HashSet};

use indexmap::IndexMap;
use serde_json::Value;

use super::{Findings, Level};
use crate::model::Api;
use crate::pointer;

/// Component schemas as JSON, by name.
pub type Schemas = IndexMap<String, Value>;

/// The component schemas of an API as JSON.
pub fn schemas_of(api: &Api) -> Schemas {
    api.schemas.iter().filter_map(|(name, s)| Some((name.clone(), serde_json::to_value(s).ok()?))).collect()
}

/// Where the compared schema sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    /// A request or response body.
    Body,
    /// A parameter; `header` when it is a header parameter.
    Param {
        /// A header parameter?
        header: bool,
    },
}

/// What a comparison needs to name its findings.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// Component schemas of the old spec.
    pub old: &'a Schemas,
    /// Component schemas of the new spec.
    pub new: &'a Schemas,
    /// Sent by the client (request) rather than received (response)?
    pub request: bool,
    /// Body or parameter.
    pub root: Root,
    /// `GET /path`, if in an operation.
    pub operation: Option<&'a str>,
    /// Human name of the root (`request body`, `query parameter limit`).
    pub what: &'a str,
}

const MAX_DEPTH: usize = 24;

/// Compares two schemas (each possibly a `$ref`) rooted at a body or parameter.
pub fn compare(ctx: &Ctx<'_>, out: &mut Findings, old: &Value, old_ptr: String, new: &Value, new_ptr: String) {
    let mut w = Walker { ctx, out, seen: HashSet::new(), raw: false };
    w.walk(old, old_ptr, new, new_ptr, "", 0);
}

/// Compares two schemas of the documents as written (before normalization)
/// and reports only the keywords normalization removes: 3.1 validation
/// keywords (`contains`, `prefixItems`, `if`/`then`/`else`, ...),
/// `contentMediaType`/`contentEncoding` and `x-sunset` on properties.
pub fn compare_raw(ctx: &Ctx<'_>, out: &mut Findings, old: &Value, old_ptr: String, new: &Value, new_ptr: String) {
    let mut w = Walker { ctx, out, seen: HashSet::new(), raw: true };
    w.walk(old, old_ptr, new, new_ptr, "", 0);
}

struct Walker<'c, 'a, 'o> {
    ctx: &'c Ctx<'a>,
    out: &'o mut Findings,
    seen: HashSet<(String, String)>,
    /// Comparing documents as written: only [`Walker::keywords_31`] reports.
    raw: bool,
}

/// Follows `$ref`s (a few hops at most); returns the schema, its pointer and
/// the last reference followed.
fn resolve<'v>(schemas: &'v Schemas, mut v: &'v Value, mut ptr: String) -> (&'v Value, String, Option<String>) {
    let mut last = None;
    for _ in 0..8 {
        let Some(r) = v.get("$ref").and_then(Value::as_str) else { break };
        let Some(name) = crate::refs::component_schema_name(r) else { break };
        let Some(target) = schemas.get(name) else { break };
        ptr = pointer::join(["components", "schemas", name]);
        last = Some(r.to_owned());
        v = target;
    }
    (v, ptr, last)
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// The type of a schema: `type`, or `a|b` for an `anyOf` of plain types (a
/// 3.1 type list), or `object` for an `allOf` of objects.
fn type_of(schemas: &Schemas, v: &Value) -> Option<String> {
    if let Some(t) = v.get("type").and_then(Value::as_str) {
        return Some(t.to_owned());
    }
    if let Some(Value::Array(branches)) = v.get("anyOf") {
        let types: Option<BTreeSet<&str>> = branches.iter().map(plain_type).collect();
        if let Some(types) = types.filter(|t| !t.is_empty()) {
            return Some(types.into_iter().collect::<Vec<_>>().join("|"));
        }
    }
    if let Some(Value::Array(members)) = v.get("allOf") {
        for m in members {
            let (m, _, _) = resolve(schemas, m, String::new());
            if let Some(t) = m.get("type").and_then(Value::as_str) {
                return Some(t.to_owned());
            }
        }
    }
    None
}

/// The type of a branch that says nothing but its type (a 3.1 type list
/// rewritten into `anyOf`).
fn plain_type(v: &Value) -> Option<&str> {
    v.as_object().filter(|m| m.len() == 1)?.get("type")?.as_str()
}

type Props<'v> = IndexMap<String, (&'v Value, String)>;

/// Properties and required names, `allOf` members merged.
fn object_view<'v>(schemas: &'v Schemas, v: &'v Value, ptr: &str, depth: usize, props: &mut Props<'v>, required: &mut BTreeSet<String>) {
    if depth > 8 {
        return;
    }
    if let Some(Value::Object(p)) = v.get("properties") {
        for (name, s) in p {
            props.entry(name.clone()).or_insert((s, format!("{ptr}/properties/{}", pointer::escape(name))));
        }
    }
    if let Some(Value::Array(r)) = v.get("required") {
        required.extend(r.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    if let Some(Value::Array(members)) = v.get("allOf") {
        for (i, m) in members.iter().enumerate() {
            let (m, mptr, _) = resolve(schemas, m, format!("{ptr}/allOf/{i}"));
            object_view(schemas, m, &mptr, depth + 1, props, required);
        }
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn variant_key(v: &Value) -> String {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => r.to_owned(),
        None => v.to_string(),
    }
}

impl Walker<'_, '_, '_> {
    fn prefix(&self, path: &str) -> &'static str {
        // Array items of a parameter are the parameter itself to oasdiff.
        let root = path.is_empty() || (matches!(self.ctx.root, Root::Param { .. }) && path.split('/').all(|s| s == "items"));
        match (self.ctx.request, self.ctx.root, root) {
            (true, Root::Body, true) => "request-body",
            (true, Root::Body, false) => "request-property",
            (true, Root::Param { .. }, true) => "request-parameter",
            (true, Root::Param { .. }, false) => "request-parameter-property",
            (false, _, true) => "response-body",
            (false, _, false) => "response-property",
        }
    }

    fn place(&self, path: &str) -> String {
        if path.is_empty() { self.ctx.what.to_owned() } else { format!("property `{path}` of the {}", self.ctx.what) }
    }

    fn emit(&mut self, rule: &str, message: String, optr: &str, nptr: &str) {
        if self.raw {
            return;
        }
        self.emit_kw(rule, message, optr, nptr);
    }

    fn emit_kw(&mut self, rule: &str, message: String, optr: &str, nptr: &str) {
        self.out.push(rule, self.ctx.operation, message, Some(optr.to_owned()), Some(nptr.to_owned()));
    }

    fn walk(&mut self, old: &Value, optr: String, new: &Value, nptr: String, path: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let (o, optr, oref) = resolve(self.ctx.old, old, optr);
        let (n, nptr, nref) = resolve(self.ctx.new, new, nptr);
        if oref.is_some() || nref.is_some() {
            let key = (optr.clone(), nptr.clone());
            if !self.seen.insert(key) {
                return;
            }
        }
        // No `o == n` shortcut: equal text may hold `$ref`s whose targets differ.
        let p = self.prefix(path);
        let place = self.place(path);
        // Type.
        let (ot, nt) = (type_of(self.ctx.old, o), type_of(self.ctx.new, n));
        if let (Some(ot), Some(nt)) = (&ot, &nt)
            && ot != nt
        {
            let kind = match (ot.as_str(), nt.as_str()) {
                ("integer", "number") => "type-generalized",
                ("number", "integer") => "type-specialized",
                _ if ot.contains('|') || nt.contains('|') => {
                    let os: BTreeSet<&str> = ot.split('|').collect();
                    let ns: BTreeSet<&str> = nt.split('|').collect();
                    if ns.is_subset(&os) {
                        "list-of-types-narrowed"
                    } else if os.is_subset(&ns) {
                        "list-of-types-widened"
                    } else {
                        "type-changed"
                    }
                }
                _ => "type-changed",
            };
            self.emit(&format!("{p}-{kind}"), format!("type of the {place} changed from {ot} to {nt}"), &optr, &nptr);
            if !self.raw && matches!(kind, "type-changed" | "list-of-types-narrowed" | "list-of-types-widened") {
                // Also under the plain id oasdiff uses for parameters.
                if kind != "type-changed" && p == "request-parameter" {
                    self.emit("request-parameter-type-changed", format!("type of the {place} changed from {ot} to {nt}"), &optr, &nptr);
                }
                return;
            }
        }
        // Format.
        let (of, nf) = (o.get("format").and_then(Value::as_str), n.get("format").and_then(Value::as_str));
        if of != nf && ot == nt && of.is_some() && nf.is_some() {
            self.emit(&format!("{p}-format-changed"), format!("format of the {place} changed from {} to {}", of.unwrap_or("none"), nf.unwrap_or("none")), &optr, &nptr);
        }
        // Nullable.
        match (flag(o, "nullable"), flag(n, "nullable")) {
            (false, true) => self.emit(&format!("{p}-became-nullable"), format!("the {place} became nullable"), &optr, &nptr),
            (true, false) => self.emit(&format!("{p}-became-not-nullable"), format!("the {place} is no longer nullable"), &optr, &nptr),
            _ => {}
        }
        self.enums(o, n, "enum", "enum", p, &place, &optr, &nptr, path);
        self.enums(o, n, "x-extensible-enum", "x-extensible-enum", p, &place, &optr, &nptr, path);
        if !self.raw {
            self.bounds(o, n, p, &place, &optr, &nptr);
        }
        self.keywords_31(o, n, p, &place, &optr, &nptr, path);
        // Pattern.
        match (o.get("pattern").and_then(Value::as_str), n.get("pattern").and_then(Value::as_str)) {
            (None, Some(np)) => self.emit(&format!("{p}-pattern-added"), format!("pattern `{np}` added to the {place}"), &optr, &nptr),
            (Some(op), None) => self.emit(&format!("{p}-pattern-removed"), format!("pattern `{op}` removed from the {place}"), &optr, &nptr),
            (Some(op), Some(np)) if op != np => {
                let kind = if matches!(np, ".*" | "^.*$") { "pattern-generalized" } else { "pattern-changed" };
                self.emit(&format!("{p}-{kind}"), format!("pattern of the {place} changed from `{op}` to `{np}`"), &optr, &nptr)
            }
            _ => {}
        }
        // Default.
        match (o.get("default"), n.get("default")) {
            (None, Some(d)) => self.emit(&format!("{p}-default-value-added"), format!("default `{}` added to the {place}", show(d)), &optr, &nptr),
            (Some(d), None) => self.emit(&format!("{p}-default-value-removed"), format!("default `{}` removed from the {place}", show(d)), &optr, &nptr),
            (Some(a), Some(b)) if a != b => self.emit(&format!("{p}-default-value-changed"), format!("default of the {place} changed from `{}` to `{}`", show(a), show(b)), &optr, &nptr),
            _ => {}
        }
        // Deprecation of properties.
        if !path.is_empty() {
            match (flag(o, "deprecated"), flag(n, "deprecated")) {
                (false, true) => self.emit(&format!("{p}-deprecated"), format!("the {place} was deprecated"), &optr, &nptr),
                (true, false) => self.emit(&format!("{p}-reactivated"), format!("the {place} is no longer deprecated"), &optr, &nptr),
                _ => {}
            }
        }
        self.discriminator(o, n, p, &place, &optr, &nptr);
        for (key, id) in [("oneOf", "one-of"), ("anyOf", "any-of"), ("allOf", "all-of")] {
            self.composition(o, n, key, id, p, &place, &optr, &nptr, path, depth);
        }
        self.properties(o, &optr, n, &nptr, path, depth);
        if let (Some(oi), Some(ni)) = (o.get("items"), n.get("items")) {
            let sub = if path.is_empty() { "items".to_owned() } else { format!("{path}/items") };
            self.walk(oi, format!("{optr}/items"), ni, format!("{nptr}/items"), &sub, depth + 1);
        }
        if let (Some(oa @ Value::Object(_)), Some(na @ Value::Object(_))) = (o.get("additionalProperties"), n.get("additionalProperties")) {
            let sub = if path.is_empty() { "additionalProperties".to_owned() } else { format!("{path}/additionalProperties") };
            self.walk(oa, format!("{optr}/additionalProperties"), na, format!("{nptr}/additionalProperties"), &sub, depth + 1);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn enums(&mut self, o: &Value, n: &Value, key: &str, id: &str, p: &str, place: &str, optr: &str, nptr: &str, path: &str) {
        let values = |v: &Value| -> Vec<Value> { v.get(key).and_then(Value::as_array).cloned().unwrap_or_default() };
        let (ov, nv) = (values(o), values(n));
        if ov.is_empty() && !nv.is_empty() && key == "enum" {
            let rule = match self.ctx.root {
                Root::Param { header: true } if !path.is_empty() => "request-header-property-became-enum".to_owned(),
                _ => format!("{p}-became-enum"),
            };
            self.emit(&rule, format!("the {place} became an enum"), optr, nptr);
            return;
        }
        if ov.is_empty() || nv.is_empty() {
            return;
        }
        for v in ov.iter().filter(|v| !nv.contains(v)) {
            self.emit(&format!("{p}-{id}-value-removed"), format!("{key} value `{}` removed from the {place}", show(v)), optr, nptr);
        }
        for v in nv.iter().filter(|v| !ov.contains(v)) {
            self.emit(&format!("{p}-{id}-value-added"), format!("{key} value `{}` added to the {place}", show(v)), optr, nptr);
        }
    }

    fn bounds(&mut self, o: &Value, n: &Value, p: &str, place: &str, optr: &str, nptr: &str) {
        for (key, id, exclusive) in [
            ("minimum", "min", Some("exclusiveMinimum")),
            ("maximum", "max", Some("exclusiveMaximum")),
            ("minLength", "min-length", None),
            ("maxLength", "max-length", None),
            ("minItems", "min-items", None),
            ("maxItems", "max-items", None),
        ] {
            let num = |v: &Value| v.get(key).and_then(Value::as_f64);
            let id = match exclusive {
                Some(ex) if flag(n, ex) || (num(n).is_none() && flag(o, ex)) => format!("exclusive-{id}"),
                _ => id.to_owned(),
            };
            // Levels for ids oasdiff lacks: narrowing breaks requests,
            // widening breaks responses.
            let is_min = id.contains("min");
            let level = |narrows: bool| Some(if narrows == self.ctx.request { Level::Err } else { Level::Info });
            let (rule, message, narrows) = match (num(o), num(n)) {
                (None, Some(b)) => (format!("{p}-{id}-set"), format!("{key} {b} set on the {place}"), true),
                (Some(a), None) => (format!("{p}-{id}-unset"), format!("{key} {a} removed from the {place}"), false),
                (Some(a), Some(b)) if b > a => (format!("{p}-{id}-increased"), format!("{key} of the {place} increased from {a} to {b}"), is_min),
                (Some(a), Some(b)) if b < a => (format!("{p}-{id}-decreased"), format!("{key} of the {place} decreased from {a} to {b}"), !is_min),
                _ => continue,
            };
            let fallback = level(narrows).map(|l| if l == Level::Err && rule.ends_with("-set") { Level::Warn } else { l });
            self.out.push_or(&rule, fallback, self.ctx.operation, message, Some(optr.to_owned()), Some(nptr.to_owned()));
        }
    }

    /// Keywords only the documents as written carry (see [`compare_raw`]).
    #[allow(clippy::too_many_arguments)]
    fn keywords_31(&mut self, o: &Value, n: &Value, p: &str, place: &str, optr: &str, nptr: &str, path: &str) {
        for (key, id) in [
            ("contains", "contains"),
            ("prefixItems", "prefix-items"),
            ("propertyNames", "property-names"),
            ("if", "if"),
            ("then", "then"),
            ("else", "else"),
            ("unevaluatedItems", "unevaluated-items"),
            ("unevaluatedProperties", "unevaluated-properties"),
            ("contentSchema", "content-schema"),
            ("dependentRequired", "dependent-required"),
            ("dependentSchemas", "dependent-schema"),
            ("patternProperties", "pattern-property"),
        ] {
            match (o.get(key), n.get(key)) {
                (None, Some(_)) => self.emit_kw(&format!("{p}-{id}-added"), format!("`{key}` added to the {place}"), optr, nptr),
                (Some(_), None) => self.emit_kw(&format!("{p}-{id}-removed"), format!("`{key}` removed from the {place}"), optr, nptr),
                (Some(a), Some(b)) if a != b && key == "dependentRequired" => {
                    self.emit_kw(&format!("{p}-{id}-changed"), format!("`{key}` of the {place} changed"), optr, nptr)
                }
                _ => {}
            }
        }
        for (key, id) in [("contentMediaType", "content-media-type"), ("contentEncoding", "content-encoding")] {
            let (a, b) = (o.get(key), n.get(key));
            if a != b {
                let show = |v: Option<&Value>| v.map(show).unwrap_or_else(|| "none".into());
                self.emit_kw(&format!("{p}-{id}-changed"), format!("`{key}` of the {place} changed from {} to {}", show(a), show(b)), optr, nptr);
            }
        }
        for (key, id) in [("minContains", "min-contains"), ("maxContains", "max-contains")] {
            let num = |v: &Value| v.get(key).and_then(Value::as_f64);
            match (num(o), num(n)) {
                (Some(a), Some(b)) if b > a => self.emit_kw(&format!("{p}-{id}-increased"), format!("{key} of the {place} increased from {a} to {b}"), optr, nptr),
                (Some(a), Some(b)) if b < a => self.emit_kw(&format!("{p}-{id}-decreased"), format!("{key} of the {place} decreased from {a} to {b}"), optr, nptr),
                _ => {}
            }
        }
        if self.raw && !path.is_empty() && !flag(o, "deprecated") && flag(n, "deprecated") {
            match n.get("x-sunset").and_then(Value::as_str) {
                Some(date) if super::raw::parse_date(date).is_some() => {
                    self.emit_kw(&format!("{p}-deprecated-with-sunset"), format!("the {place} was deprecated, sunset {date}"), optr, nptr)
                }
                Some(date) => self.emit_kw(&format!("{p}-deprecated-sunset-invalid"), format!("the {place} was deprecated with an invalid sunset date `{date}`"), optr, nptr),
                None => {}
            }
        }
    }

    fn discriminator(&mut self, o: &Value, n: &Value, p: &str, place: &str, optr: &str, nptr: &str) {
        match (o.get("discriminator"), n.get("discriminator")) {
            (None, Some(_)) => self.emit(&format!("{p}-discriminator-added"), format!("discriminator added to the {place}"), optr, nptr),
            (Some(_), None) => self.emit(&format!("{p}-discriminator-removed"), format!("discriminator removed from the {place}"), optr, nptr),
            (Some(a), Some(b)) => {
                let (ap, bp) = (a.get("propertyName"), b.get("propertyName"));
                if ap != bp {
                    self.emit(&format!("{p}-discriminator-property-name-changed"), format!("discriminator property of the {place} changed"), optr, nptr);
                }
                let keys = |d: &Value| -> BTreeSet<String> { d.get("mapping").and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default() };
                let (ak, bk) = (keys(a), keys(b));
                for k in ak.difference(&bk) {
                    self.emit(&format!("{p}-discriminator-mapping-deleted"), format!("discriminator mapping `{k}` removed from the {place}"), optr, nptr);
                }
                for k in bk.difference(&ak) {
                    self.emit(&format!("{p}-discriminator-mapping-added"), format!("discriminator mapping `{k}` added to the {place}"), optr, nptr);
                }
            }
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn composition(&mut self, o: &Value, n: &Value, key: &str, id: &str, p: &str, place: &str, optr: &str, nptr: &str, path: &str, depth: usize) {
        let list = |v: &Value| -> Vec<Value> { v.get(key).and_then(Value::as_array).cloned().unwrap_or_default() };
        let (ol, nl) = (list(o), list(n));
        // A 3.1 type list is an anyOf of plain types: compared as a type.
        let plain = |l: &[Value]| !l.is_empty() && l.iter().all(|b| plain_type(b).is_some());
        if key == "anyOf" && (plain(&ol) || plain(&nl)) {
            return;
        }
        if ol.is_empty() && nl.is_empty() {
            return;
        }
        if ol.is_empty() && key == "oneOf" {
            self.emit(&format!("{p}-wrapped-in-one-of"), format!("the {place} was wrapped in oneOf"), optr, nptr);
            return;
        }
        let ok: Vec<String> = ol.iter().map(variant_key).collect();
        let nk: Vec<String> = nl.iter().map(variant_key).collect();
        let is_ref = |v: &Value| v.get("$ref").is_some();
        let (oi, ni) = (ol.iter().filter(|v| !is_ref(v)).count(), nl.iter().filter(|v| !is_ref(v)).count());
        // Inline variants have no identity: as many on both sides are paired
        // by position (below), not counted as added and removed.
        let counted = |v: &Value| is_ref(v) || oi != ni;
        let removed = ol.iter().zip(&ok).filter(|(v, k)| counted(v) && !nk.contains(k)).count();
        let added = nl.iter().zip(&nk).filter(|(v, k)| counted(v) && !ok.contains(k)).count();
        if removed > 0 {
            self.emit(&format!("{p}-{id}-removed"), format!("{removed} {key} schema(s) removed from the {place}"), optr, nptr);
        }
        if added > 0 {
            self.emit(&format!("{p}-{id}-added"), format!("{added} {key} schema(s) added to the {place}"), optr, nptr);
        }
        // Same references on both sides: compare what they point at.
        for (i, k) in ok.iter().enumerate() {
            if let Some(j) = nk.iter().position(|x| x == k)
                && let (Some(a), Some(b)) = (ol.get(i), nl.get(j))
                && key != "allOf"
            {
                self.walk(a, format!("{optr}/{key}/{i}"), b, format!("{nptr}/{key}/{j}"), path, depth + 1);
            }
        }
        // Inline variants paired by position among the inline ones.
        if oi == ni && key != "allOf" {
            let inline = |l: &[Value]| -> Vec<(usize, Value)> { l.iter().enumerate().filter(|(_, v)| !is_ref(v)).map(|(i, v)| (i, v.clone())).collect() };
            for ((i, a), (j, b)) in inline(&ol).into_iter().zip(inline(&nl)) {
                if a != b {
                    self.walk(&a, format!("{optr}/{key}/{i}"), &b, format!("{nptr}/{key}/{j}"), path, depth + 1);
                }
            }
        }
    }

    fn properties(&mut self, o: &Value, optr: &str, n: &Value, nptr: &str, path: &str, depth: usize) {
        let (mut op, mut oreq) = (Props::new(), BTreeSet::new());
        let (mut np, mut nreq) = (Props::new(), BTreeSet::new());
        object_view(self.ctx.old, o, optr, 0, &mut op, &mut oreq);
        object_view(self.ctx.new, n, nptr, 0, &mut np, &mut nreq);
        let request = self.ctx.request;
        let header = matches!(self.ctx.root, Root::Param { header: true });
        let param = matches!(self.ctx.root, Root::Param { .. });
        let what = self.ctx.what;
        for (name, (nv, nvptr)) in &np {
            let sub = if path.is_empty() { name.clone() } else { format!("{path}/{name}") };
            let (nres, _, _) = resolve(self.ctx.new, nv, String::new());
            let (ro, wo) = (flag(nres, "readOnly"), flag(nres, "writeOnly"));
            let req = nreq.contains(name);
            let Some((ov, ovptr)) = op.get(name) else {
                let rule = match (request, req) {
                    (true, _) if ro => continue,
                    (true, true) if header => "new-required-request-header-property",
                    (true, _) if param => continue,
                    (true, true) if nres.get("default").is_some() => "new-required-request-property-with-default",
                    (true, true) => "new-required-request-property",
                    (true, false) => "new-optional-request-property",
                    (false, true) if wo => "response-required-write-only-property-added",
                    (false, false) if wo => "response-optional-write-only-property-added",
                    (false, true) => "response-required-property-added",
                    (false, false) => "response-optional-property-added",
                };
                let kind = if req { "required" } else { "optional" };
                self.emit(rule, format!("{kind} property `{sub}` added to the {what}"), optr, nvptr);
                continue;
            };
            let (ores, _, _) = resolve(self.ctx.old, ov, String::new());
            let (oro, owo) = (flag(ores, "readOnly"), flag(ores, "writeOnly"));
            let oldreq = oreq.contains(name);
            let side = if request { "request" } else { "response" };
            let p = self.prefix(&sub);
            if oldreq != req {
                let rule = match (request, req) {
                    (true, true) if ro => None,
                    (true, true) if header => Some("request-header-property-became-required".to_owned()),
                    (true, true) if nres.get("default").is_some() => Some(format!("{p}-became-required-with-default")),
                    (true, true) => Some(format!("{p}-became-required")),
                    (true, false) => Some(format!("{p}-became-optional")),
                    (false, true) if wo => Some("response-write-only-property-became-required".to_owned()),
                    (false, false) if wo => Some("response-write-only-property-became-optional".to_owned()),
                    (false, true) => Some(format!("{p}-became-required")),
                    (false, false) => Some(format!("{p}-became-optional")),
                };
                if let Some(rule) = rule {
                    let kind = if req { "required" } else { "optional" };
                    self.emit(&rule, format!("property `{sub}` of the {what} became {kind}"), ovptr, nvptr);
                }
            }
            let reqword = if req { "required" } else { "optional" };
            for (was, is, word) in [(oro, ro, "read-only"), (owo, wo, "write-only")] {
                if was != is {
                    let not = if is { "" } else { "not-" };
                    let rule = format!("{side}-{reqword}-property-became-{not}{word}");
                    self.emit(&rule, format!("property `{sub}` of the {what} became {not}{word}"), ovptr, nvptr);
                }
            }
            self.walk(ov, ovptr.clone(), nv, nvptr.clone(), &sub, depth + 1);
        }
        for (name, (ov, ovptr)) in &op {
            if np.contains_key(name) {
                continue;
            }
            let sub = if path.is_empty() { name.clone() } else { format!("{path}/{name}") };
            let (ores, _, _) = resolve(self.ctx.old, ov, String::new());
            let req = oreq.contains(name);
            let rule = match (request, req) {
                (true, _) if param => "request-parameter-property-removed",
                (true, _) => "request-property-removed",
                (false, true) if flag(ores, "writeOnly") => "response-required-write-only-property-removed",
                (false, false) if flag(ores, "writeOnly") => "response-optional-write-only-property-removed",
                (false, true) => "response-required-property-removed",
                (false, false) => "response-optional-property-removed",
            };
            self.emit(rule, format!("property `{sub}` removed from the {what}"), ovptr, nptr);
        }
    }
}
