//! `$ref` resolution.
//!
//! After this pass every `$ref` left in the document points at
//! `#/components/schemas/<name>` and resolves. All other local references
//! (parameters, responses, request bodies, headers, path items, schemas at
//! deeper pointers) are replaced by a copy of their target, so later passes
//! and the engines never chase references themselves.
//!
//! JSON Schema 2020-12 identifiers are honoured: a `$ref` naming a `$id`
//! of the document (`/components/schemas/pet#name`) or an `$anchor`
//! (`#name`) is rewritten to the JSON pointer of its target first.
//!
//! **Invariant:** a dangling or external `$ref` is an error naming the
//! pointer of the `$ref` and its target; nothing is silently dropped.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::pointer;

/// Resolves references in `doc` in place.
pub fn resolve_refs(origin: &str, doc: &mut Value) -> Result<()> {
    let mut ids = Ids::default();
    ids.collect(doc, &mut Vec::new(), "");
    if !ids.is_empty() {
        ids.rewrite(doc);
    }
    let original = doc.clone();
    let mut path = Vec::new();
    let mut stack = Vec::new();
    let mut budget = nodes(&original).saturating_mul(GROWTH).saturating_add(SLACK);
    walk(origin, &original, doc, &mut path, &mut stack, &mut budget)
}

/// Inlining may grow a document to `GROWTH` times its size plus `SLACK`
/// values. References that refer to others several times each grow it
/// exponentially (a few hundred bytes can ask for 2^40 copies); past the
/// budget that is an error instead of an out-of-memory kill.
const GROWTH: usize = 16;
const SLACK: usize = 100_000;

/// Number of JSON values in `v`.
fn nodes(v: &Value) -> usize {
    match v {
        Value::Object(m) => 1 + m.values().map(nodes).sum::<usize>(),
        Value::Array(a) => 1 + a.iter().map(nodes).sum::<usize>(),
        _ => 1,
    }
}

/// `$id`s and `$anchor`s of a document, by the pointer they stand for.
#[derive(Default)]
struct Ids {
    ids: std::collections::HashMap<String, String>,
    anchors: std::collections::HashMap<(String, String), String>,
}

impl Ids {
    fn is_empty(&self) -> bool {
        self.ids.is_empty() && self.anchors.is_empty()
    }

    fn collect(&mut self, v: &Value, path: &mut Vec<String>, scope: &str) {
        match v {
            Value::Object(map) => {
                let here = pointer::join(path.iter().map(String::as_str));
                let mut scope = scope.to_owned();
                if let Some(Value::String(id)) = map.get("$id") {
                    self.ids.insert(id.clone(), here.clone());
                    scope = id.clone();
                }
                if let Some(Value::String(anchor)) = map.get("$anchor") {
                    self.anchors.insert((scope.clone(), anchor.clone()), here.clone());
                    self.anchors.entry((String::new(), anchor.clone())).or_insert(here);
                }
                for (k, child) in map {
                    path.push(k.clone());
                    self.collect(child, path, &scope);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(i.to_string());
                    self.collect(item, path, scope);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn target(&self, reference: &str) -> Option<String> {
        let (base, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if base.is_empty() && fragment.starts_with('/') {
            return None;
        }
        let root = if base.is_empty() { "#".to_owned() } else { self.ids.get(base)?.clone() };
        if fragment.is_empty() {
            Some(root)
        } else if fragment.starts_with('/') {
            Some(format!("{root}{fragment}"))
        } else {
            self.anchors.get(&(base.to_owned(), fragment.to_owned())).cloned()
        }
    }

    fn rewrite(&self, v: &mut Value) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get_mut("$ref")
                    && let Some(t) = self.target(r) {
                        *r = t;
                    }
                map.values_mut().for_each(|c| self.rewrite(c));
            }
            Value::Array(items) => items.iter_mut().for_each(|c| self.rewrite(c)),
            _ => {}
        }
    }
}

/// Name of the component schema a `$ref` points at, if it is one.
pub fn component_schema_name(reference: &str) -> Option<&str> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    (!name.contains('/')).then_some(name)
}

fn walk(origin: &str, original: &Value, v: &mut Value, path: &mut Vec<String>, stack: &mut Vec<String>, budget: &mut usize) -> Result<()> {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let reference = reference.clone();
                let here = pointer::join(path.iter().map(String::as_str));
                if !reference.starts_with('#') {
                    return Err(Error::invalid(
                        origin,
                        here,
                        format!("external $ref {reference:?} is not supported; bundle the spec into one file first (for example `redocly bundle`)"),
                    ));
                }
                let Some(target) = pointer::resolve(original, &reference) else {
                    return Err(Error::invalid(
                        origin,
                        here,
                        format!("$ref {reference:?} points at nothing; fix the reference or add the target"),
                    ));
                };
                if component_schema_name(&reference).is_some() {
                    // Kept as a reference: the engines name types after these.
                    return Ok(());
                }
                if stack.contains(&reference) {
                    return Err(Error::invalid(
                        origin,
                        here,
                        format!("$ref {reference:?} is recursive through a location outside components/schemas; move that schema to components/schemas"),
                    ));
                }
                let Some(left) = budget.checked_sub(nodes(target)) else {
                    return Err(Error::invalid(
                        origin,
                        here,
                        format!("inlining $ref {reference:?} here would make the document more than {GROWTH} times larger (references that repeat others multiply); refer to a component schema instead, which is not copied"),
                    ));
                };
                *budget = left;
                let mut replacement = target.clone();
                // Siblings of `$ref` (3.1 allows `description`, `summary`) override the target's.
                if let (Value::Object(repl), true) = (&mut replacement, map.len() > 1) {
                    for (k, val) in map.iter().filter(|(k, _)| k.as_str() != "$ref") {
                        repl.insert(k.clone(), val.clone());
                    }
                }
                *v = replacement;
                stack.push(reference);
                let result = walk(origin, original, v, path, stack, budget);
                stack.pop();
                return result;
            }
            walk_map(origin, original, map, path, stack, budget)
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                walk(origin, original, item, path, stack, budget)?;
                path.pop();
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn walk_map(origin: &str, original: &Value, map: &mut Map<String, Value>, path: &mut Vec<String>, stack: &mut Vec<String>, budget: &mut usize) -> Result<()> {
    for (k, child) in map.iter_mut() {
        // Examples, defaults, enums and consts are data: a `$ref` key inside
        // one is a value, not a reference.
        if matches!(k.as_str(), "example" | "default" | "enum" | "const") || (k == "examples" && child.is_array()) {
            continue;
        }
        path.push(k.clone());
        walk(origin, original, child, path, stack, budget)?;
        path.pop();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(mut doc: Value, expect: Value) {
        resolve_refs("t", &mut doc).unwrap();
        assert_eq!(doc, expect);
    }

    fn check_err(mut doc: Value, expect: &str) {
        let err = resolve_refs("t", &mut doc).unwrap_err().to_string();
        assert!(err.contains(expect), "{err}");
    }

    #[test]
    fn inlines_non_schema_refs_and_keeps_schema_refs() {
        check(
            json!({
                "components": {"parameters": {"P": {"name": "p", "in": "query", "schema": {"$ref": "#/components/schemas/S"}}},
                               "schemas": {"S": {"type": "string"}}},
                "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/P", "description": "d"}]}}}
            }),
            json!({
                "components": {"parameters": {"P": {"name": "p", "in": "query", "schema": {"$ref": "#/components/schemas/S"}}},
                               "schemas": {"S": {"type": "string"}}},
                "paths": {"/a": {"get": {"parameters": [{"name": "p", "in": "query", "schema": {"$ref": "#/components/schemas/S"}, "description": "d"}]}}}
            }),
        );
    }

    #[test]
    fn reports_bad_refs_with_pointers() {
        check_err(json!({"paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/Nope"}]}}}}),
            "t#/paths/~1a/get/parameters/0: $ref \"#/components/parameters/Nope\" points at nothing");
        check_err(json!({"components": {"schemas": {"A": {"$ref": "other.yaml#/A"}}}}), "external $ref");
        check_err(json!({"components": {"responses": {"R": {"$ref": "#/components/responses/R"}}}}), "recursive");
        check_err(json!({"components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}}}}), "points at nothing");
    }

    #[test]
    fn refuses_exponential_inlining() {
        // R{i} refers to R{i-1} twice: 2^40 copies of R0 if inlined.
        let mut responses = serde_json::Map::new();
        responses.insert("R0".into(), json!({"description": "d"}));
        for i in 1..40 {
            let r = json!({"$ref": format!("#/components/responses/R{}", i - 1)});
            responses.insert(format!("R{i}"), json!({"description": "d", "links": {"a": r.clone(), "b": r}}));
        }
        let err = resolve_refs("t", &mut json!({"components": {"responses": responses}})).unwrap_err().to_string();
        assert!(err.starts_with("t#/components/responses/R") && err.contains("more than 16 times larger"), "{err}");
        // Ordinary reuse is fine: one parameter used by 1,000 operations.
        let mut paths = serde_json::Map::new();
        for i in 0..1000 {
            paths.insert(format!("/p{i}"), json!({"get": {"parameters": [{"$ref": "#/components/parameters/P"}]}}));
        }
        let mut doc = json!({"paths": paths, "components": {"parameters": {"P": {"name": "p", "in": "query", "schema": {"type": "string"}}}}});
        resolve_refs("t", &mut doc).unwrap();
        assert_eq!(doc.pointer("/paths/~1p999/get/parameters/0/name"), Some(&json!("p")));
    }

    #[test]
    fn follows_ids_and_anchors() {
        check(
            json!({"components": {"schemas": {
                "P": {"$id": "/s/p", "type": "object", "properties": {"id": {"$anchor": "pid", "type": "integer"}}},
                "A": {"properties": {"x": {"$ref": "/s/p#pid"}, "y": {"$ref": "/s/p"}}}
            }}}),
            json!({"components": {"schemas": {
                "P": {"$id": "/s/p", "type": "object", "properties": {"id": {"$anchor": "pid", "type": "integer"}}},
                "A": {"properties": {"x": {"$anchor": "pid", "type": "integer"}, "y": {"$ref": "#/components/schemas/P"}}}
            }}}),
        );
    }
}
