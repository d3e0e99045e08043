//! `additionalProperties: false`, on the Rust engine's copy: kept only
//! where it tells the branches of a union apart.
//!
//! typify writes a closed object as a struct with
//! `#[serde(deny_unknown_fields)]`. On a response that is a trap: a server
//! that adds a field (a change our own diff, like oasdiff, calls
//! non-breaking) makes every SDK built before it fail to read the response.
//! Jira closes 449 types, Stripe 468, Adyen 242, GitHub 76, OpenAI 63.
//! TypeScript and Python read such a response as they always did; Rust
//! should too.
//!
//! A closed object that is a branch of a `oneOf` or `anyOf` with another
//! branch that may be an object (directly, through `$ref`s, or as a part
//! of a branch's `allOf`) stays closed: serde tries an untagged enum's
//! variants in order, and the Interactor workflow conditions (`{field,
//! equals}` beside `{field, operator, value}`) are told apart only because
//! each rejects the others' keys. Beside strings or arrays only (Stripe's
//! expandable fields, `anyOf: [$ref, enum: [""]]`) the JSON type tells the
//! branches apart, and the object is opened.
//! An object closed with no properties at all stays closed too: without
//! `false` it would be a map, not the empty struct the spec means.
//!
//! Everything else is opened (a rewrite): requests are written the same,
//! responses read with more fields than the spec knew. The branches of a
//! union the Rust back end reads by a tag or by keys are opened there
//! (`rust::union_read`): serde no longer needs their closure.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::pointer;
use crate::report::Report;

/// Opens every closed object of `doc` that is no union branch.
#[cfg(test)]
pub fn open(doc: &mut Value, report: &mut Report) {
    let mut found = Found::default();
    super::walk::for_each_schema(doc, &mut |s, ptr| found.look(s, ptr));
    found.open(doc, report);
}

/// What the engine's one walk collects for [`Found::open`].
#[derive(Debug, Default)]
pub struct Found {
    /// Schemas with `additionalProperties: false` and properties.
    closed: Vec<String>,
    /// Every `oneOf` and `anyOf` of two branches or more (`…/oneOf`).
    unions: Vec<String>,
}

impl Found {
    /// Notes what [`Found::open`] needs of the schema at `ptr`.
    pub fn look(&mut self, schema: &Value, ptr: &str) {
        if schema.get("additionalProperties") == Some(&Value::Bool(false))
            && schema.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty())
        {
            self.closed.push(ptr.to_owned());
        }
        for key in ["oneOf", "anyOf"] {
            if schema.get(key).and_then(Value::as_array).is_some_and(|b| b.len() > 1) {
                self.unions.push(pointer::append(ptr, [key]));
            }
        }
    }

    /// Removes `additionalProperties: false` from the closed schemas found
    /// that are no union branch. Runs before any rewrite that moves
    /// branches (`unions`), so the pointers are still right.
    pub fn open(self, doc: &mut Value, report: &mut Report) {
        let components = doc.pointer("/components/schemas").unwrap_or(&Value::Null);
        let branches = self
            .unions
            .iter()
            .filter_map(|ptr| Some((ptr, doc.pointer(&ptr[1..])?.as_array()?)))
            .filter(|(_, branches)| branches.iter().filter(|b| may_be_object(b, components)).count() > 1)
            .flat_map(|(ptr, branches)| (0..branches.len()).map(move |i| pointer::append(ptr, [i.to_string().as_str()])))
            .collect();
        let kept = branch_schemas(doc, branches);
        for ptr in self.closed {
            if kept.contains(&pointer::percent_decode(&ptr)) {
                continue;
            }
            if let Some(Value::Object(node)) = doc.pointer_mut(&ptr[1..]) {
                node.remove("additionalProperties");
                report.rewrite(
                    "additionalProperties: false dropped in Rust: the struct reads fields a newer server adds (it stays on union branches, which it tells apart, unless the union is read by a tag or by keys: rust::union_read)",
                    &ptr,
                );
            }
        }
    }
}

/// Whether `branch` may hold an object: one that says it is, or says
/// nothing of its type (`allOf`, untyped).
fn may_be_object(branch: &Value, components: &Value) -> bool {
    matches!(super::unions::json_kind(branch, components), None | Some("object"))
}

/// The pointers (percent-decoded) of every schema a union branch is made
/// of: the branch, what its `$ref`s lead to, and the parts of its `allOf`s.
fn branch_schemas(doc: &Value, mut work: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    while let Some(ptr) = work.pop() {
        let ptr = pointer::percent_decode(&ptr);
        if !seen.insert(ptr.clone()) {
            continue;
        }
        let Some(node) = pointer::resolve(doc, &ptr) else { continue };
        if let Some(target) = node.get("$ref").and_then(Value::as_str) {
            work.push(target.to_owned());
        }
        if let Some(Value::Array(parts)) = node.get("allOf") {
            work.extend((0..parts.len()).map(|i| pointer::append(&ptr, ["allOf", i.to_string().as_str()])));
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Which of `schemas`' closed objects stay closed, by pointer below
    /// `components/schemas`, and how many rewrites were noted.
    fn still_closed(schemas: Value) -> (Vec<String>, usize) {
        let mut doc = json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": schemas}});
        let mut report = Report::default();
        open(&mut doc, &mut report);
        let mut closed = Vec::new();
        super::super::walk::for_each_schema(&mut doc, &mut |s, ptr| {
            if s.get("additionalProperties") == Some(&Value::Bool(false)) {
                closed.push(ptr.trim_start_matches("#/components/schemas/").to_owned());
            }
        });
        (closed, report.rewrites.values().map(|(n, _)| *n).sum())
    }

    fn closed(extra: Value) -> Value {
        let mut s = json!({"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string"}}});
        if let (Value::Object(s), Value::Object(extra)) = (&mut s, extra) {
            s.extend(extra);
        }
        s
    }

    #[test]
    fn only_what_union_branches_are_made_of_stays_closed() {
        let (kept, opened) = still_closed(json!({
            "Response": closed(json!({"properties": {"nested": closed(json!({}))}})),
            "Equals": closed(json!({})),
            "Part": closed(json!({})),
            "a/b": closed(json!({})),
            "a~b": closed(json!({})),
            "Condition": {"oneOf": [
                {"$ref": "#/components/schemas/Equals"},
                {"allOf": [{"$ref": "#/components/schemas/Part"}, closed(json!({}))]},
                closed(json!({"properties": {"inner": closed(json!({}))}})),
            ]},
            "Untyped": {"anyOf": [{"$ref": "#/components/schemas/a%7E1b"}, {"description": "anything"}]},
            "Charge": closed(json!({})),
            "Expandable": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/Charge"}, {"type": "array"}]},
            "Empty": {"type": "object", "additionalProperties": false},
        }));
        // `a/b` is reached by a percent-encoded `$ref`, beside a branch that
        // may be an object; `a~b` by none.
        assert_eq!(kept, ["Equals", "Part", "a~1b", "Condition/oneOf/1/allOf/1", "Condition/oneOf/2", "Empty"]);
        // `Response`, its `nested`, the branch's `inner`, `a~b`, and
        // `Charge`, the one object beside a string and an array.
        assert_eq!(opened, 5);
    }
}
