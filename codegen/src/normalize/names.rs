//! Names that are equal once cased would become one Rust item.
//!
//! - Component schemas (`user` and `User`, `a-b` and `a_b`): later ones are
//!   renamed with a numeric suffix, every reference updated, and noted
//!   ([`make_distinct`], for every language: type names are cased in all).
//!
//! The Rust engine's copy only ([`make_rust_safe`]); TypeScript and Python
//! keep wire names and string literals, which never collide:
//! - String enum values (`FORBIDDEN` and `forbidden`): the enum cannot get
//!   distinct variants, so it is generated as a plain string; noted.
//! - Properties of one object (`user` and `User`): the wire name cannot
//!   change, so later ones leave `properties` and are kept, untyped, in the
//!   object's additional-properties map; noted. No data is lost.
//!
//! "Equal" is as typify names them ([`typify_name`]): `+1` and `-1`
//! (GitHub's reactions) are `plus1` and `minus1` there, so they stay typed.

use std::collections::{BTreeMap, HashSet};

use heck::{ToPascalCase, ToSnakeCase};
use serde_json::Value;

use crate::report::{Report, Severity};

/// Renames colliding component schemas in `doc` (and references to them in
/// `extra`, the webhooks).
pub fn make_distinct(doc: &mut Value, extra: &mut Value, report: &mut Report) {
    distinct_schemas(doc, extra, report);
}

/// On the Rust engine's copy: moves colliding properties aside and makes
/// enums with colliding values plain strings.
pub fn make_rust_safe(doc: &mut Value, report: &mut Report) {
    super::walk::for_each_schema(doc, &mut |schema, ptr| {
        distinct_properties(schema, ptr, report);
        distinct_enum_values(schema, ptr, report);
    });
}

fn distinct_properties(schema: &mut Value, ptr: &str, report: &mut Report) {
    let Some(Value::Object(props)) = schema.get("properties") else { return };
    let mut seen = HashSet::new();
    let clashing: Vec<String> = props.keys().filter(|k| !seen.insert(typify_name(k, false))).cloned().collect();
    if clashing.is_empty() {
        return;
    }
    let Value::Object(obj) = schema else { return };
    if let Some(Value::Object(props)) = obj.get_mut("properties") {
        for k in &clashing {
            props.remove(k);
        }
    }
    if let Some(Value::Array(req)) = obj.get_mut("required") {
        req.retain(|r| !r.as_str().is_some_and(|r| clashing.iter().any(|c| c == r)));
    }
    if !obj.get("additionalProperties").is_some_and(Value::is_object) {
        obj.insert("additionalProperties".into(), Value::Bool(true));
    }
    for k in clashing {
        report.add(
            Severity::Degraded,
            format!("{ptr}/properties/{}", crate::pointer::escape(&k)),
            format!("property {k:?} has the same Rust name as another property; it is kept untyped in the additional-properties map"),
        );
    }
}

fn distinct_enum_values(schema: &mut Value, ptr: &str, report: &mut Report) {
    let Some(Value::Array(values)) = schema.get("enum") else { return };
    let mut seen = HashSet::new();
    let clash = values.iter().filter_map(Value::as_str).find(|v| !seen.insert(typify_name(v, true))).map(str::to_owned);
    let Some(clash) = clash else { return };
    if let Value::Object(obj) = schema {
        obj.remove("enum");
        obj.entry("type").or_insert_with(|| Value::String("string".into()));
    }
    report.add(
        Severity::Degraded,
        ptr.to_owned(),
        format!("enum values equal once cased (such as {clash:?}) cannot be distinct Rust variants; generated as a string"),
    );
}

/// The name typify gives a property (snake case) or an enum variant
/// (`pascal`), as far as telling two apart goes: its `sanitize` (typify-impl
/// `util.rs`) names GitHub's reactions `+1` and `-1` `plus1` and `minus1`
/// before casing, where heck alone makes both `1`. Its keyword suffix
/// (`type_`) is left out: no two inputs meet through it that heck keeps apart.
fn typify_name(input: &str, pascal: bool) -> String {
    let case = |s: &str| if pascal { s.to_pascal_case() } else { s.to_snake_case() };
    let out = match input {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => case(&input.replace('\'', "").replace(|c: char| !(c.is_alphanumeric() || c == '_'), "-")),
    };
    match out.chars().next() {
        Some(c) if c.is_alphabetic() => out,
        _ => format!("{}{out}", case("x")),
    }
}

fn distinct_schemas(doc: &mut Value, extra: &mut Value, report: &mut Report) {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else { return };
    let mut seen = HashSet::new();
    let mut renames = BTreeMap::new();
    for name in schemas.keys() {
        let cased = name.to_pascal_case();
        if seen.insert(cased.clone()) {
            continue;
        }
        let mut n = 2;
        let mut candidate = format!("{name}{n}");
        while seen.contains(&candidate.to_pascal_case()) || schemas.contains_key(&candidate) {
            n += 1;
            candidate = format!("{name}{n}");
        }
        seen.insert(candidate.to_pascal_case());
        renames.insert(name.clone(), candidate);
    }
    if renames.is_empty() {
        return;
    }
    let old = std::mem::take(schemas);
    for (k, v) in old {
        let key = renames.get(&k).cloned().unwrap_or(k);
        schemas.insert(key, v);
    }
    for (from, to) in &renames {
        report.add(
            Severity::Degraded,
            format!("#/components/schemas/{}", crate::pointer::escape(from)),
            format!("schema {from:?} has the same Rust name as another schema; generated as {to:?}"),
        );
    }
    let map: BTreeMap<String, String> = renames
        .into_iter()
        .map(|(f, t)| (format!("#/components/schemas/{f}"), format!("#/components/schemas/{t}")))
        .collect();
    rewrite_refs(doc, &map);
    rewrite_refs(extra, &map);
}

fn rewrite_refs(v: &mut Value, map: &BTreeMap<String, String>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get_mut("$ref")
                && let Some(new) = map.get(r.as_str()) {
                    *r = new.clone();
                }
            o.values_mut().for_each(|c| rewrite_refs(c, map));
        }
        Value::Array(a) => a.iter_mut().for_each(|c| rewrite_refs(c, map)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renames_names_equal_once_cased() {
        let mut doc = json!({"components": {"schemas": {"user": {"type": "string"}, "User": {"$ref": "#/components/schemas/user"}, "a": {"$ref": "#/components/schemas/User"}}}});
        let mut report = Report::default();
        make_distinct(&mut doc, &mut json!({}), &mut report);
        assert_eq!(doc, json!({"components": {"schemas": {"user": {"type": "string"}, "User2": {"$ref": "#/components/schemas/user"}, "a": {"$ref": "#/components/schemas/User2"}}}}));
        assert_eq!(report.notes.len(), 1);
    }

    #[test]
    fn rust_copy_only_loses_what_rust_cannot_name() {
        let original = json!({"components": {"schemas": {
            "E": {"type": "string", "enum": ["FORBIDDEN", "forbidden", "ok"]},
            "O": {"type": "object", "required": ["User"], "properties": {"user": {"type": "string"}, "User": {"type": "integer"}}}
        }}});
        let mut common = original.clone();
        make_distinct(&mut common, &mut json!({}), &mut Report::default());
        assert_eq!(common, original, "the language-neutral pass keeps enum values and properties");
        let mut rust = original.clone();
        let mut report = Report::default();
        make_rust_safe(&mut rust, &mut report);
        assert_eq!(rust["components"]["schemas"]["E"].get("enum"), None, "a plain string in Rust");
        assert_eq!(rust["components"]["schemas"]["O"]["properties"].get("User"), None);
        assert_eq!(rust["components"]["schemas"]["O"]["additionalProperties"], json!(true));
        assert_eq!(report.notes.len(), 2);
    }

    #[test]
    fn reactions_stay_typed_where_typify_tells_them_apart() {
        // GitHub's reaction rollup and reaction content: typify names `+1`
        // and `-1` `plus1` and `minus1`.
        let mut doc = json!({"components": {"schemas": {
            "Rollup": {"type": "object", "properties": {"+1": {"type": "integer"}, "-1": {"type": "integer"}, "laugh": {"type": "integer"}}},
            "Content": {"type": "string", "enum": ["+1", "-1", "laugh"]},
            "Sort": {"type": "string", "enum": ["reactions-+1", "reactions--1"]},
            "Digits": {"type": "object", "properties": {"1": {"type": "integer"}, "x1": {"type": "integer"}}}
        }}});
        let mut report = Report::default();
        make_rust_safe(&mut doc, &mut report);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Rollup"]["properties"].as_object().map(|p| p.len()), Some(3));
        assert_eq!(schemas["Content"]["enum"], json!(["+1", "-1", "laugh"]));
        // These typify does cast alike: `Reactions1`, and `x1` for both.
        assert_eq!(schemas["Sort"].get("enum"), None);
        assert_eq!(schemas["Digits"]["properties"].as_object().map(|p| p.len()), Some(1));
        assert_eq!(report.notes.len(), 2, "{:?}", report.notes);
        assert_eq!(typify_name("+1", true), "plus1");
        assert_eq!(typify_name("it's", false), "its");
    }
}
