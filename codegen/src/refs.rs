//! `$ref` resolution.
//!
//! After this pass every `$ref` left in the document points at
//! `#/components/schemas/<name>` and resolves. All other local references
//! (parameters, responses, request bodies, headers, path items, schemas at
//! deeper pointers) are replaced by a copy of their target, so later passes
//! and the engines never chase references themselves.
//!
//! **Invariant:** a dangling or external `$ref` is an error naming the
//! pointer of the `$ref` and its target; nothing is silently dropped.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::pointer;

/// Resolves references in `doc` in place.
pub fn resolve_refs(origin: &str, doc: &mut Value) -> Result<()> {
    let original = doc.clone();
    let mut path = Vec::new();
    let mut stack = Vec::new();
    walk(origin, &original, doc, &mut path, &mut stack)
}

/// Name of the component schema a `$ref` points at, if it is one.
pub fn component_schema_name(reference: &str) -> Option<&str> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    (!name.contains('/')).then_some(name)
}

fn walk(origin: &str, original: &Value, v: &mut Value, path: &mut Vec<String>, stack: &mut Vec<String>) -> Result<()> {
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
                let mut replacement = target.clone();
                // Siblings of `$ref` (3.1 allows `description`, `summary`) override the target's.
                if let (Value::Object(repl), true) = (&mut replacement, map.len() > 1) {
                    for (k, val) in map.iter().filter(|(k, _)| k.as_str() != "$ref") {
                        repl.insert(k.clone(), val.clone());
                    }
                }
                *v = replacement;
                stack.push(reference);
                let result = walk(origin, original, v, path, stack);
                stack.pop();
                return result;
            }
            walk_map(origin, original, map, path, stack)
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                walk(origin, original, item, path, stack)?;
                path.pop();
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn walk_map(origin: &str, original: &Value, map: &mut Map<String, Value>, path: &mut Vec<String>, stack: &mut Vec<String>) -> Result<()> {
    for (k, child) in map.iter_mut() {
        // Examples, defaults, enums and consts are data: a `$ref` key inside
        // one is a value, not a reference.
        if matches!(k.as_str(), "example" | "default" | "enum" | "const") || (k == "examples" && child.is_array()) {
            continue;
        }
        path.push(k.clone());
        walk(origin, original, child, path, stack)?;
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
}
