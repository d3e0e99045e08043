//! Finding every schema in a document.
//!
//! A schema root is the value of a `schema` key (parameters, media types,
//! headers) or an entry of `components/schemas`; below a root, subschemas
//! are reached through the JSON Schema keywords only, so example payloads
//! are never mistaken for schemas.

use serde_json::{Map, Value};

use crate::pointer;

/// Keywords whose value is one subschema.
const ONE: &[&str] = &["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "additionalItems"];
/// Keywords whose value is a list of subschemas.
const LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value maps names to subschemas.
const MAP: &[&str] = &["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
/// Keys whose value is data, never schema or spec structure.
const DATA: &[&str] = &["example", "examples", "default", "enum", "const", "x-examples"];

/// Calls `f` on every schema of the document, parents before children, with
/// the schema's JSON pointer. `f` may rewrite the schema; its children are
/// visited after the rewrite.
pub fn for_each_schema(doc: &mut Value, f: &mut dyn FnMut(&mut Value, &str)) {
    let mut path = Vec::new();
    walk_spec(doc, &mut path, f);
}

fn walk_spec(v: &mut Value, path: &mut Vec<String>, f: &mut dyn FnMut(&mut Value, &str)) {
    let Value::Object(map) = v else {
        if let Value::Array(items) = v {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                walk_spec(item, path, f);
                path.pop();
            }
        }
        return;
    };
    let in_components = path.len() == 1 && path[0] == "components";
    for (k, child) in map.iter_mut() {
        if DATA.contains(&k.as_str()) || k.starts_with("x-") {
            continue;
        }
        path.push(k.clone());
        if k == "schema" {
            walk_schema(child, path, f);
        } else if in_components && k == "schemas" {
            if let Value::Object(schemas) = child {
                for (name, s) in schemas.iter_mut() {
                    path.push(name.clone());
                    walk_schema(s, path, f);
                    path.pop();
                }
            }
        } else {
            walk_spec(child, path, f);
        }
        path.pop();
    }
}

/// Visits one schema and its subschemas.
pub fn walk_schema(v: &mut Value, path: &mut Vec<String>, f: &mut dyn FnMut(&mut Value, &str)) {
    f(v, &pointer::join(path.iter().map(String::as_str)));
    let Value::Object(map) = v else { return };
    walk_children(map, path, f);
}

fn walk_children(map: &mut Map<String, Value>, path: &mut Vec<String>, f: &mut dyn FnMut(&mut Value, &str)) {
    for (k, child) in map.iter_mut() {
        let key = k.as_str();
        if ONE.contains(&key) && !child.is_array() {
            if child.is_object() || child.is_boolean() && key != "additionalProperties" {
                path.push(k.clone());
                walk_schema(child, path, f);
                path.pop();
            }
        } else if LIST.contains(&key) || key == "items" /* draft-04 tuple form */ {
            if let Value::Array(items) = child {
                path.push(k.clone());
                for (i, item) in items.iter_mut().enumerate() {
                    path.push(i.to_string());
                    walk_schema(item, path, f);
                    path.pop();
                }
                path.pop();
            }
        } else if MAP.contains(&key)
            && let Value::Object(entries) = child {
                path.push(k.clone());
                for (name, s) in entries.iter_mut() {
                    path.push(name.clone());
                    walk_schema(s, path, f);
                    path.pop();
                }
                path.pop();
            }
    }
}

/// `s` with `$ref`s to components (`#/components/schemas/<name>`) and
/// one-branch `allOf`s followed, a few levels deep; `None` for a reference
/// that leads nowhere (or too deep: a cycle).
pub fn resolve<'v>(mut s: &'v Value, components: &'v Value) -> Option<&'v Value> {
    for _ in 0..8 {
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            s = components.get(pointer::unescape(r.strip_prefix("#/components/schemas/")?).as_str())?;
        } else if let Some([one]) = s.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
            s = one;
        } else {
            return Some(s);
        }
    }
    None
}
