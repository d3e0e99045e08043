//! OpenAPI 3.1 → 3.0 rewrites, so that `openapiv3` (3.0 only) and the Rust
//! engine accept 3.1 documents. Each rewrite keeps the meaning on the wire:
//!
//! | 3.1 | becomes (3.0) |
//! | --- | --- |
//! | `type: [T, "null"]` | `type: T, nullable: true` |
//! | `type: [A, B]` | `anyOf: [{type: A, ..}, {type: B, ..}]` |
//! | `type: "null"` | `nullable: true, enum: [null]` |
//! | `oneOf`/`anyOf` with a `{type: "null"}` branch | the other branch(es), `nullable: true` |
//! | `const: v` | `enum: [v]` |
//! | `examples: [a, ..]` in a schema | `example: a` |
//! | `exclusiveMinimum: n` | `minimum: n, exclusiveMinimum: true` (same for maximum) |
//! | `$ref` with `nullable`/`default` siblings | `allOf: [{$ref}]` with the siblings |
//! | boolean schema `true` / `false` | `{}` / `{not: {}}` |
//! | `contentEncoding: base64` | `format: byte` |
//! | `contentMediaType: application/octet-stream` (or `image/png`, any media type of bytes) | `format: binary` |
//! | `prefixItems`, `$defs`, `if`/`then`/`else`, `dependent*`, `unevaluated*`, `patternProperties`, `propertyNames`, `contains`, `$schema`, `$id`, `$anchor`, `$comment` | removed (validation only; no SDK type depends on them) |
//! | `mutualTLS` security schemes, top-level `jsonSchemaDialect`, `components/pathItems`, `info/summary`, `info/license/identifier` | removed (`webhooks` are taken out before, see `normalize`) |
//! | `openapi: 3.1.x` | `openapi: 3.0.3` |

use serde_json::{Map, Value, json};

use super::walk::for_each_schema;
use crate::report::Report;

const DROPPED: &[&str] = &[
    "prefixItems", "$defs", "definitions", "if", "then", "else", "dependentSchemas", "dependentRequired",
    "unevaluatedItems", "unevaluatedProperties", "patternProperties", "propertyNames", "contains",
    "minContains", "maxContains", "$schema", "$id", "$anchor", "$dynamicAnchor", "$dynamicRef", "$comment",
    "contentSchema",
];

/// Rewrites a 3.1 document in place into its 3.0 spelling.
pub fn downgrade(doc: &mut Value, report: &mut Report) {
    if let Some(root) = doc.as_object_mut() {
        root.insert("openapi".into(), json!("3.0.3"));
        for key in ["jsonSchemaDialect"] {
            if root.remove(key).is_some() {
                report.rewrite("removed 3.1-only top-level field", &format!("#/{key}"));
            }
        }
        root.entry("paths").or_insert_with(|| json!({}));
        if let Some(Value::Object(c)) = root.get_mut("components") {
            c.remove("pathItems");
            if let Some(Value::Object(schemes)) = c.get_mut("securitySchemes") {
                // `mutualTLS` is new in 3.1; it is configured on the TLS
                // client, not sent in requests, so no SDK code depends on it.
                schemes.retain(|_, s| s.get("type").and_then(Value::as_str) != Some("mutualTLS"));
            }
        }
        if let Some(Value::Object(info)) = root.get_mut("info") {
            info.remove("summary");
            if let Some(Value::Object(l)) = info.get_mut("license") {
                l.remove("identifier");
            }
        }
    }
    for_each_schema(doc, &mut |schema, ptr| rewrite_schema(schema, ptr, report));
}

/// Rewrites one schema node (not its children).
pub fn rewrite_schema(schema: &mut Value, ptr: &str, report: &mut Report) {
    if let Value::Bool(b) = schema {
        *schema = if *b { json!({}) } else { json!({"not": {}}) };
        report.rewrite("boolean schema", ptr);
        return;
    }
    let Value::Object(map) = schema else { return };
    for key in DROPPED {
        if map.remove(*key).is_some() {
            report.rewrite("removed validation-only 3.1 keyword", ptr);
        }
    }
    if let Some(v) = map.remove("const") {
        if !map.contains_key("type")
            && let Some(t) = json_type(&v) {
                map.insert("type".into(), json!(t));
            }
        map.insert("enum".into(), json!([v]));
        report.rewrite("const → enum", ptr);
    }
    if let Some(Value::Array(ex)) = map.get("examples") {
        let first = ex.first().cloned();
        map.remove("examples");
        if let Some(first) = first {
            map.entry("example").or_insert(first);
        }
        report.rewrite("schema examples → example", ptr);
    }
    for (ex, plain) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(n) = map.get(ex).filter(|v| v.is_number()).cloned() {
            map.insert(plain.into(), n);
            map.insert(ex.into(), json!(true));
            report.rewrite("numeric exclusive bound", ptr);
        }
    }
    match map.get("contentEncoding").and_then(Value::as_str) {
        Some("base64" | "base64url") if !map.contains_key("format") => {
            map.insert("format".into(), json!("byte"));
        }
        _ => {}
    }
    // Raw bytes of a media type (`image/png`, `application/octet-stream`):
    // a file. With a `contentEncoding` it is text (above); text and
    // structured media types (`text/html`, `application/json`) are strings.
    let raw_bytes = map.get("contentMediaType").and_then(Value::as_str).map(crate::model::media_essence).is_some_and(|mt| {
        !(mt.starts_with("text/") || mt.ends_with("json") || mt.ends_with("xml") || mt == "application/x-www-form-urlencoded")
    });
    let string = map.get("type").is_none_or(|t| t == "string");
    if raw_bytes && string && !map.contains_key("format") && !map.contains_key("contentEncoding") {
        map.insert("format".into(), json!("binary"));
    }
    map.remove("contentEncoding");
    map.remove("contentMediaType");
    rewrite_type_array(map, ptr, report);
    rewrite_null_branch(map, "oneOf", ptr, report);
    rewrite_null_branch(map, "anyOf", ptr, report);
    if map.contains_key("$ref") && (map.contains_key("nullable") || map.contains_key("default")) {
        let reference = map.remove("$ref").unwrap_or(Value::Null);
        map.insert("allOf".into(), json!([{"$ref": reference}]));
        report.rewrite("$ref with siblings → allOf", ptr);
    }
}

fn json_type(v: &Value) -> Option<&'static str> {
    Some(match v {
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => return None,
    })
}

fn rewrite_type_array(map: &mut Map<String, Value>, ptr: &str, report: &mut Report) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Array(ts)) => ts.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect(),
        Some(Value::String(t)) if t == "null" => vec!["null".to_owned()],
        _ => return,
    };
    report.rewrite("type array", ptr);
    map.remove("type");
    let nullable = types.iter().any(|t| t == "null");
    let mut rest: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
    rest.dedup();
    if nullable {
        map.insert("nullable".into(), json!(true));
    }
    match rest.as_slice() {
        [] => {
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                values.retain(Value::is_null);
            } else {
                map.insert("enum".into(), json!([null]));
            }
        }
        [one] => {
            map.insert("type".into(), json!(one));
        }
        many if composition_says_the_types(map, many) => {
            // `type: [null, string, array]` beside `oneOf: [string, array]`
            // (GitHub's webhooks, 71 times): the branches say the types
            // already; a second composition would make the engine panic.
        }
        many => {
            // Keywords of the instance stay on the node; the alternatives only
            // say which JSON type each branch is, plus the keywords that apply to it.
            let branches: Vec<Value> = many
                .iter()
                .map(|t| {
                    let mut b = Map::new();
                    b.insert("type".into(), json!(t));
                    for k in keywords_for(t) {
                        if let Some(v) = map.get(*k) {
                            b.insert((*k).to_owned(), v.clone());
                        }
                    }
                    if let Some(Value::Array(values)) = map.get("enum") {
                        let kept: Vec<Value> = values.iter().filter(|v| json_type(v).is_some_and(|vt| vt == t.as_str() || (vt == "integer" && t.as_str() == "number"))).cloned().collect();
                        if !kept.is_empty() {
                            b.insert("enum".into(), Value::Array(kept));
                        }
                    }
                    Value::Object(b)
                })
                .collect();
            for t in many {
                for k in keywords_for(t) {
                    map.remove(*k);
                }
            }
            map.remove("enum");
            // A composition already there stays, and both must hold: the
            // engine takes one composition per node, so they meet in `allOf`.
            let existing: Vec<Value> = ["anyOf", "oneOf"].iter().filter_map(|k| map.remove(*k).map(|v| json!({*k: v}))).collect();
            if existing.is_empty() {
                map.insert("anyOf".into(), Value::Array(branches));
            } else {
                let parts = std::iter::once(json!({"anyOf": branches})).chain(existing);
                match map.get_mut("allOf") {
                    Some(Value::Array(all)) => all.extend(parts),
                    _ => {
                        map.insert("allOf".into(), Value::Array(parts.collect()));
                    }
                }
            }
        }
    }
}

/// Whether the node's `oneOf` or `anyOf` has only branches that say their
/// type (or are references), each one of `types`: the type array then
/// adds nothing but `null`.
fn composition_says_the_types(map: &Map<String, Value>, types: &[&String]) -> bool {
    let allowed = |t: &str| types.iter().any(|a| a.as_str() == t || (t == "integer" && a.as_str() == "number"));
    ["oneOf", "anyOf"].iter().filter_map(|k| map.get(*k)).any(|branches| {
        branches.as_array().is_some_and(|bs| {
            !bs.is_empty()
                && bs.iter().all(|b| b.get("$ref").is_some() || b.get("type").and_then(Value::as_str).is_some_and(allowed) || b.get("type").and_then(Value::as_str) == Some("null"))
        })
    })
}

fn keywords_for(t: &str) -> &'static [&'static str] {
    match t {
        "string" => &["format", "pattern", "minLength", "maxLength"],
        "integer" | "number" => &["format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"],
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &["properties", "required", "additionalProperties", "minProperties", "maxProperties"],
        _ => &[],
    }
}

fn is_null_schema(v: &Value) -> bool {
    match v.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => ts.len() == 1 && ts[0] == "null",
        _ => v.get("enum").and_then(Value::as_array).is_some_and(|e| e.len() == 1 && e[0].is_null()),
    }
}

fn rewrite_null_branch(map: &mut Map<String, Value>, key: &str, ptr: &str, report: &mut Report) {
    let Some(Value::Array(branches)) = map.get_mut(key) else { return };
    let before = branches.len();
    branches.retain(|b| !is_null_schema(b));
    if branches.len() == before {
        return;
    }
    report.rewrite("null branch → nullable", ptr);
    map.insert("nullable".into(), json!(true));
    let Some(Value::Array(branches)) = map.get(key) else { return };
    if branches.len() == 1 {
        let only = branches[0].clone();
        map.remove(key);
        match only {
            Value::Object(o) if !o.contains_key("$ref") && !map.contains_key("type") && !map.contains_key("properties") => {
                for (k, v) in o {
                    map.entry(k).or_insert(v);
                }
            }
            other => {
                map.insert("allOf".into(), json!([other]));
            }
        }
    } else if branches.is_empty() {
        map.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: Value, expect: Value) {
        let mut v = input;
        rewrite_schema(&mut v, "#", &mut Report::default());
        assert_eq!(v, expect);
    }

    #[test]
    fn rewrites_type_arrays() {
        check(json!({"type": ["string", "null"], "maxLength": 3}), json!({"type": "string", "nullable": true, "maxLength": 3}));
        check(json!({"type": ["null"]}), json!({"nullable": true, "enum": [null]}));
        check(json!({"type": "null"}), json!({"nullable": true, "enum": [null]}));
        check(
            json!({"type": ["string", "integer"], "maxLength": 3, "minimum": 1, "description": "d"}),
            json!({"description": "d", "anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "minimum": 1}]}),
        );
    }

    #[test]
    fn a_type_array_beside_a_composition_keeps_the_composition() {
        // The branches say the types: only `null` is news.
        check(
            json!({"type": ["null", "string", "array"], "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
            json!({"nullable": true, "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
        );
        check(
            json!({"type": ["null", "number", "string"], "anyOf": [{"type": "integer"}, {"$ref": "#/components/schemas/S"}]}),
            json!({"nullable": true, "anyOf": [{"type": "integer"}, {"$ref": "#/components/schemas/S"}]}),
        );
        // Branches that do not say their type: both constraints hold, the
        // original branches are not lost.
        check(
            json!({"type": ["string", "integer"], "anyOf": [{"minLength": 2}, {"minimum": 3}]}),
            json!({"allOf": [{"anyOf": [{"type": "string"}, {"type": "integer"}]}, {"anyOf": [{"minLength": 2}, {"minimum": 3}]}]}),
        );
        // A branch of another type: not said by the branches either.
        check(
            json!({"type": ["string", "integer"], "oneOf": [{"type": "string"}, {"type": "boolean"}], "allOf": [{"description": "x"}]}),
            json!({"allOf": [{"description": "x"}, {"anyOf": [{"type": "string"}, {"type": "integer"}]}, {"oneOf": [{"type": "string"}, {"type": "boolean"}]}]}),
        );
    }

    #[test]
    fn rewrites_keywords() {
        check(json!({"const": "a"}), json!({"type": "string", "enum": ["a"]}));
        check(json!({"type": "integer", "exclusiveMinimum": 0}), json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true}));
        check(json!({"type": "string", "examples": ["x", "y"]}), json!({"type": "string", "example": "x"}));
        check(json!({"type": "string", "contentEncoding": "base64"}), json!({"type": "string", "format": "byte"}));
        // Bytes of any media type are a file; encoded or textual, a string.
        check(json!({"type": "string", "contentMediaType": "application/octet-stream"}), json!({"type": "string", "format": "binary"}));
        check(json!({"type": "string", "contentMediaType": "image/png"}), json!({"type": "string", "format": "binary"}));
        check(json!({"contentMediaType": "application/pdf"}), json!({"format": "binary"}));
        check(json!({"type": "string", "contentMediaType": "image/png", "contentEncoding": "base64"}), json!({"type": "string", "format": "byte"}));
        check(json!({"type": "string", "contentMediaType": "text/html"}), json!({"type": "string"}));
        check(json!({"type": "string", "contentMediaType": "application/problem+json"}), json!({"type": "string"}));
        check(json!({"type": "string", "contentMediaType": "image/png", "contentEncoding": "7bit"}), json!({"type": "string"}));
        check(json!({"type": "object", "contentMediaType": "image/png"}), json!({"type": "object"}));
        check(json!({"$ref": "#/components/schemas/A", "nullable": true}), json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]}));
        check(json!(true), json!({}));
        check(json!(false), json!({"not": {}}));
    }

    #[test]
    fn rewrites_null_branches() {
        check(
            json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}),
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]}),
        );
        check(json!({"anyOf": [{"type": "string"}, {"type": "null"}]}), json!({"nullable": true, "type": "string"}));
        check(
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true}),
        );
    }
}
