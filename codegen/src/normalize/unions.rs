//! `anyOf` with a branch that is no object, on the Rust engine's copy.
//!
//! typify turns an `anyOf` whose branches may overlap into a struct of
//! flattened optional fields, one per branch (`struct ModelIds { #[serde(
//! flatten)] subtype_0: Option<String>, #[serde(flatten)] subtype_1:
//! Option<ChatModel> }`). serde can flatten only what is written as a map:
//! for a string, a number, a boolean, an array or a string enum the type
//! compiles but cannot be sent (`can only flatten structs and maps`) nor
//! read (`invalid type: string, expected struct`). OpenAI's open enums
//! (`anyOf: [string, enum]`, its `model` in every request), GitHub's
//! `anyOf` of two arrays, Stripe's `anyOf: [string, enum: [""]]`: 55 types
//! of the corpus were of that kind.
//!
//! Such an `anyOf` becomes a `oneOf`, which typify writes as an untagged
//! enum. When its branches are of different JSON types (`string` beside an
//! array or an object), typify would have done the same, and their order
//! stays. Otherwise serde tries the variants in order, so the branches are ordered
//! from the narrowest (an `enum` or `const`, then a constrained scalar,
//! integers before numbers) to the widest (a plain `string`, then a schema
//! that says nothing of its type). Branches that are objects keep what
//! `anyOf` gives them: two or more stay one nested `anyOf` (typify's
//! flattened struct, which is right for objects), first in the `oneOf`.
//!
//! A value that matches several branches is read as the first of them; it
//! is sent as it was read. TypeScript and Python are unchanged (`string |
//! ChatModel` already).

use serde_json::{Map, Value, json};

use crate::report::Report;

/// How deep `$ref`s and compositions are followed to tell an object.
const DEPTH: usize = 8;

/// Rewrites every such `anyOf` of `doc` (a 3.0-shaped document).
#[cfg(test)]
pub fn split_scalar_any_of(doc: &mut Value, report: &mut Report) {
    let mut found: Vec<String> = Vec::new();
    super::walk::for_each_schema(doc, &mut |s, ptr| {
        if has_any_of(s) {
            found.push(ptr.to_owned());
        }
    });
    split_scalar_any_of_at(doc, report, &found);
}

/// Whether `schema` has an `anyOf` of two or more branches.
pub fn has_any_of(schema: &Value) -> bool {
    schema.get("anyOf").and_then(Value::as_array).is_some_and(|b| b.len() > 1)
}

/// Rewrites such `anyOf`s among the schemas at `found` (JSON pointers,
/// `#/...`, parents before children, as the engine's walk finds them): the
/// children first, each from the document as it is by then, since a
/// rewrite moves branches, never the node itself.
pub fn split_scalar_any_of_at(doc: &mut Value, report: &mut Report, found: &[String]) {
    // A rewrite leaves whether a schema is an object as it was, so the
    // components are read as they are at each step (no copy).
    for ptr in found.iter().rev() {
        let components = doc.pointer("/components/schemas").unwrap_or(&Value::Null);
        let Some(one_of) = doc.pointer(&ptr[1..]).and_then(|n| n.get("anyOf")).and_then(Value::as_array).and_then(|b| one_of(b, components)) else { continue };
        let Some(Value::Object(node)) = doc.pointer_mut(&ptr[1..]) else { continue };
        node.remove("anyOf");
        node.insert("oneOf".into(), one_of);
        report.rewrite("anyOf with a branch that is no object made a oneOf (typify would flatten the branches into a struct serde cannot write)", ptr);
    }
}

/// The `oneOf` that replaces `branches`, or `None` if they are all objects.
fn one_of(branches: &[Value], components: &Value) -> Option<Value> {
    let (objects, mut others): (Vec<&Value>, Vec<&Value>) = branches.iter().partition(|b| is_object(b, components, 0));
    if others.is_empty() {
        return None;
    }
    // Branches of different JSON types cannot both match: typify makes
    // that `anyOf` an untagged enum itself, in the spec's order, which
    // stays (variant names and order are the users' API).
    let mut kinds: Vec<&str> = others.iter().filter_map(|b| json_kind(b, components)).collect();
    let typed = kinds.len() == others.len();
    kinds.sort_unstable();
    kinds.dedup();
    if typed && kinds.len() == others.len() && objects.len() <= 1 {
        return Some(Value::Array(branches.to_vec()));
    }
    others.sort_by_key(|b| rank(b, components));
    let mut out: Vec<Value> = Vec::with_capacity(others.len() + 1);
    match objects.as_slice() {
        [] => {}
        [one] => out.push((*one).clone()),
        many => out.push(json!({"anyOf": many})),
    }
    out.extend(others.into_iter().cloned());
    Some(Value::Array(out))
}

/// The JSON type a branch accepts (integers are numbers here: `5` is
/// both), if it says.
pub(super) fn json_kind<'v>(s: &'v Value, components: &'v Value) -> Option<&'v str> {
    match super::walk::resolve(s, components)?.get("type")?.as_str()? {
        "integer" => Some("number"),
        other => Some(other),
    }
}

/// Whether every value `s` accepts is a JSON object (what serde can
/// flatten). A schema that cannot be followed counts as one: typify's own
/// choice stands for it.
fn is_object(s: &Value, components: &Value, depth: usize) -> bool {
    if depth > DEPTH {
        return true;
    }
    let Some(o) = s.as_object() else { return false };
    if let Some(r) = o.get("$ref").and_then(Value::as_str) {
        return match r.strip_prefix("#/components/schemas/").and_then(|name| components.get(crate::pointer::unescape(name).as_str())) {
            Some(target) => is_object(target, components, depth + 1),
            None => true,
        };
    }
    match o.get("type").and_then(Value::as_str) {
        Some("object") => return true,
        Some(_) => return false,
        None => {}
    }
    if o.contains_key("properties") || o.contains_key("additionalProperties") {
        return true;
    }
    let all = |k: &str| o.get(k).and_then(Value::as_array).is_some_and(|bs| !bs.is_empty() && bs.iter().all(|b| is_object(b, components, depth + 1)));
    let any = |k: &str| o.get(k).and_then(Value::as_array).is_some_and(|bs| bs.iter().any(|b| is_object(b, components, depth + 1)));
    all("oneOf") || all("anyOf") || any("allOf")
}

/// Narrowest first: an `enum`/`const`, a constrained scalar, a plain one,
/// one that says nothing of its type; integers before numbers.
fn rank(s: &Value, components: &Value) -> (u8, u8) {
    let target = super::walk::resolve(s, components).unwrap_or(s);
    let Some(o) = target.as_object() else { return (3, 2) };
    let kind = match o.get("type").and_then(Value::as_str) {
        Some("integer") => 0,
        Some("number") => 1,
        _ => 2,
    };
    const CONSTRAINTS: &[&str] = &["pattern", "format", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "items"];
    let width = if o.contains_key("enum") || o.contains_key("const") {
        0
    } else if CONSTRAINTS.iter().any(|k| o.contains_key(*k)) {
        1
    } else if o.contains_key("type") || has_composition(o) {
        2
    } else {
        3
    };
    (width, kind)
}

fn has_composition(o: &Map<String, Value>) -> bool {
    ["oneOf", "anyOf", "allOf"].iter().any(|k| o.contains_key(*k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(schemas: Value) -> (Value, Report) {
        let mut doc = json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": schemas}});
        let mut report = Report::default();
        split_scalar_any_of(&mut doc, &mut report);
        (doc["components"]["schemas"].clone(), report)
    }

    #[test]
    fn open_enums_become_untagged_enums_known_values_first() {
        let (s, report) = run(json!({
            "ChatModel": {"type": "string", "enum": ["gpt-4", "gpt-5"]},
            "ModelIds": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/ChatModel"}], "description": "d"},
            "Size": {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["auto"]}], "default": "auto"},
        }));
        assert_eq!(s["ModelIds"], json!({"oneOf": [{"$ref": "#/components/schemas/ChatModel"}, {"type": "string"}], "description": "d"}));
        assert_eq!(s["Size"], json!({"oneOf": [{"type": "string", "enum": ["auto"]}, {"type": "string"}], "default": "auto"}));
        assert_eq!(report.rewrites.values().map(|(n, _)| *n).sum::<usize>(), 2);
    }

    #[test]
    fn objects_keep_their_any_of_beside_the_others() {
        let (s, _) = run(json!({
            "A": {"type": "object", "properties": {"a": {"type": "string"}}},
            "B": {"allOf": [{"$ref": "#/components/schemas/A"}, {"properties": {"b": {"type": "integer"}}}]},
            "Both": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]},
            "Mixed": {"anyOf": [{"type": "number"}, {"$ref": "#/components/schemas/A"}, {"type": "integer"}, {"$ref": "#/components/schemas/B"}, {}]},
        }));
        assert_eq!(s["Both"]["anyOf"].as_array().map(Vec::len), Some(2), "objects only: typify's flattened struct is right");
        assert_eq!(
            s["Mixed"]["oneOf"],
            json!([{"anyOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]}, {"type": "integer"}, {"type": "number"}, {}])
        );
    }

    #[test]
    fn arrays_and_nested_any_of_are_rewritten_inner_first() {
        let (s, _) = run(json!({
            "Starred": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "string", "pattern": "^x"}]}}]},
        }));
        assert_eq!(s["Starred"]["oneOf"][0]["items"], json!({"type": "string"}), "spec order among equals");
        assert_eq!(s["Starred"]["oneOf"][1]["items"]["oneOf"], json!([{"type": "string", "pattern": "^x"}, {"type": "string"}]));
    }

    #[test]
    fn branches_of_different_json_types_keep_their_order() {
        let (s, _) = run(json!({
            "O": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Expandable": {"anyOf": [{"type": "string", "maxLength": 5000}, {"$ref": "#/components/schemas/O"}]},
            "Numbers": {"anyOf": [{"type": "number"}, {"type": "integer"}]},
        }));
        assert_eq!(s["Expandable"]["oneOf"], json!([{"type": "string", "maxLength": 5000}, {"$ref": "#/components/schemas/O"}]));
        assert_eq!(s["Numbers"]["oneOf"], json!([{"type": "integer"}, {"type": "number"}]), "5 is both: integers first");
    }

    #[test]
    fn a_reference_it_cannot_follow_counts_as_an_object() {
        let (s, _) = run(json!({"X": {"anyOf": [{"$ref": "#/components/schemas/Missing"}, {"$ref": "other.yaml#/Y"}]}}));
        assert!(s["X"].get("anyOf").is_some());
    }
}
