//! Defaults that contradict their schema, on the Rust engine's copy.
//!
//! typify checks every `default` against its schema and fails the whole
//! type when one does not fit; `rust::engine` then finds the culprit by
//! running progenitor on halves of the spec (OpenAI: 245 runs, 3.4 s of its
//! 5 s). The plain contradictions are settled here first, each the way a
//! reader of the spec would settle it:
//!
//! - a default written as text for a boolean or a number (`"false"`,
//!   `"1024"`, as Hugging Face's utoipa-made spec writes them) is read as
//!   that boolean or number (a rewrite);
//! - `null`, or `"null"` on a nullable schema that is no string, means "no
//!   default" and goes (a rewrite: an absent field is `None` either way);
//! - a default of another JSON type than the schema's (`default: []` on a
//!   string enum), or a value outside the schema's `enum`, is dropped, with
//!   a note: an absent field stays `None` and the server's default applies.
//!
//! Anything subtler (a default that fails a nested schema) is still left
//! to typify and the culprit search.

use serde_json::{Value, json};

use crate::report::{Report, Severity};

/// Settles the contradicting defaults of `doc` (a 3.0-shaped document).
#[cfg(test)]
pub fn settle(doc: &mut Value, report: &mut Report) {
    let mut found: Vec<String> = Vec::new();
    super::walk::for_each_schema(doc, &mut |s, ptr| {
        if has_default(s) {
            found.push(ptr.to_owned());
        }
    });
    settle_at(doc, report, found);
}

/// Whether `schema` has a default ([`settle_at`] looks at those).
pub fn has_default(schema: &Value) -> bool {
    schema.get("default").is_some()
}

/// Settles the contradicting defaults of the schemas at `found` (JSON
/// pointers, `#/...`), which the engine collects in its one walk.
pub fn settle_at(doc: &mut Value, report: &mut Report, found: Vec<String>) {
    for ptr in found {
        let components = doc.pointer("/components/schemas").unwrap_or(&Value::Null);
        let Some(schema) = doc.pointer(&ptr[1..]) else { continue };
        let Some(verdict) = judge(schema, components) else { continue };
        let Some(node) = doc.pointer_mut(&ptr[1..]).and_then(Value::as_object_mut) else { continue };
        match verdict {
            Verdict::Read(value) => {
                node.insert("default".into(), value);
                report.rewrite("a default written as text read as the boolean or number its schema is", &ptr);
            }
            Verdict::NoDefault => {
                node.remove("default");
                report.rewrite("a null default removed (it is no default)", &ptr);
            }
            Verdict::Drop(why) => {
                let default = node.remove("default").unwrap_or_default();
                report.add(Severity::Degraded, ptr.as_str(), format!("default {default} dropped in Rust: {why}; an absent field stays `None` and the server's default applies"));
            }
        }
    }
}

#[derive(Debug, PartialEq)]
enum Verdict {
    /// The default, read as its schema's type.
    Read(Value),
    /// A null meaning "no default".
    NoDefault,
    /// A contradiction, and why.
    Drop(String),
}

fn judge(schema: &Value, components: &Value) -> Option<Verdict> {
    let default = schema.get("default")?;
    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
    let target = super::walk::resolve(schema, components)?;
    let ty = target.get("type").and_then(Value::as_str);
    let is_null_text = default.as_str() == Some("null");
    if default.is_null() || nullable && is_null_text && ty != Some("string") && !target.get("enum").and_then(Value::as_array).is_some_and(|e| e.contains(default)) {
        return Some(Verdict::NoDefault);
    }
    let ty = ty?;
    let fits = match ty {
        "string" => default.is_string(),
        "integer" => default.is_i64() || default.is_u64(),
        "number" => default.is_number(),
        "boolean" => default.is_boolean(),
        "array" => default.is_array(),
        "object" => default.is_object(),
        _ => return None,
    };
    if !fits {
        if let Some(text) = default.as_str() {
            let read = match ty {
                "boolean" => text.parse::<bool>().ok().map(Value::Bool),
                "integer" => text.parse::<i64>().ok().map(|n| json!(n)),
                "number" => text.parse::<f64>().ok().filter(|n| n.is_finite()).and_then(|n| serde_json::Number::from_f64(n).map(Value::Number)),
                _ => None,
            };
            if let Some(value) = read.filter(|v| in_enum(target, v)) {
                return Some(Verdict::Read(value));
            }
        }
        return Some(Verdict::Drop(format!("it is no {ty}")));
    }
    if !in_enum(target, default) {
        return Some(Verdict::Drop("it is none of the schema's enum values".into()));
    }
    None
}

/// Whether `value` is among the `enum` of `schema` (or it has none).
fn in_enum(schema: &Value, value: &Value) -> bool {
    schema.get("enum").and_then(Value::as_array).is_none_or(|values| values.contains(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each row: a schema with a default, and the default it has after.
    #[test]
    fn contradictions_are_settled_the_way_a_reader_would() {
        let rows: &[(Value, Option<Value>)] = &[
            (json!({"type": "boolean", "default": "false"}), Some(json!(false))),
            (json!({"type": "integer", "default": "1024", "nullable": true}), Some(json!(1024))),
            (json!({"type": "number", "default": "0.5"}), Some(json!(0.5))),
            (json!({"type": "integer", "default": "null", "nullable": true}), None),
            (json!({"allOf": [{"$ref": "#/components/schemas/Grammar"}], "default": "null", "nullable": true}), None),
            (json!({"type": "string", "nullable": true, "default": null}), None),
            (json!({"type": "object", "default": null}), None),
            (json!({"type": "string", "enum": ["logprobs"], "default": []}), None),
            (json!({"type": "string", "enum": ["a", "b"], "default": "c"}), None),
            (json!({"type": "integer", "default": "many"}), None),
            (json!({"type": "integer", "enum": [1, 2], "default": "3"}), None),
            // Left as they are:
            (json!({"type": "string", "nullable": true, "default": "null"}), Some(json!("null"))),
            (json!({"type": "string", "enum": ["a", "b"], "default": "b"}), Some(json!("b"))),
            (json!({"$ref": "#/components/schemas/Grammar", "default": {"type": "json"}}), Some(json!({"type": "json"}))),
            (json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "default": 3}), Some(json!(3))),
        ];
        for (schema, after) in rows {
            let mut doc = json!({"components": {"schemas": {"Grammar": {"type": "object"}, "S": schema}}});
            let mut report = Report::default();
            settle(&mut doc, &mut report);
            assert_eq!(doc["components"]["schemas"]["S"].get("default"), after.as_ref(), "{schema}");
            assert_eq!(doc["components"]["schemas"]["Grammar"], json!({"type": "object"}));
        }
    }

    #[test]
    fn a_dropped_default_is_noted_where_it_was() {
        let mut doc = json!({"components": {"schemas": {"S": {"type": "object", "properties": {"m": {"type": "string", "enum": ["text"], "default": ["text"]}}}}}});
        let mut report = Report::default();
        settle(&mut doc, &mut report);
        let notes: Vec<String> = report.of(Severity::Degraded).map(ToString::to_string).collect();
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("#/components/schemas/S/properties/m") && notes[0].contains("default [\"text\"] dropped in Rust: it is no string"), "{notes:?}");
    }
}
