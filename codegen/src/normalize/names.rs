//! Names that are equal once cased would become one Rust item.
//!
//! - Component schemas (`user` and `User`, `a-b` and `a_b`): later ones are
//!   renamed with a numeric suffix, every reference updated, and noted
//!   ([`make_distinct`], for every language: type names are cased in all).
//!
//! The Rust engine's copy only ([`make_rust_safe`]); TypeScript and Python
//! keep wire names and string literals, which never collide:
//! - String enum values equal once cased: where the values differ in
//!   punctuation (`name`, `-name`, `+name`; `=`, `!=`; `Etc/GMT-0`,
//!   `Etc/GMT0`) or in case (`FORBIDDEN`, `forbidden`), typify is given
//!   sentinels named after the spelled-out text (`\u{1}minus name\u{1}`,
//!   so `MinusName`; `\u{1}FORBIDDEN upper case\u{1}`, so
//!   `ForbiddenUpperCase`), which `rust::wire_values` turns back into the
//!   wire values in its output; where nothing tells them apart (`fooBar`,
//!   `foo_bar`) the enum is generated as a plain string; noted.
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

/// Enum values given to typify in place of their wire text (module doc),
/// to be restored in its output: sentinel → wire value.
pub type Sentinels = BTreeMap<String, String>;

/// On the Rust engine's copy: moves colliding properties aside, and gives
/// enums whose values collide once cased spelled-out names (`-name` →
/// `MinusName`) or, where that does not tell them apart either, makes them
/// plain strings. Returns the sentinels to restore.
pub fn make_rust_safe(doc: &mut Value, report: &mut Report) -> Sentinels {
    let mut sentinels = Sentinels::new();
    // Component enums whose values were replaced: their `$ref`s' defaults follow.
    let mut components: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    super::walk::for_each_schema(doc, &mut |schema, ptr| {
        distinct_properties(schema, ptr, report);
        // A component's pointer is the text of the `$ref`s to it.
        if let Some(replaced) = distinct_enum_values(schema, ptr, report, &mut sentinels)
            && ptr.strip_prefix("#/components/schemas/").is_some_and(|name| !name.contains('/')) {
                components.insert(ptr.to_owned(), replaced);
            }
    });
    if !components.is_empty() {
        super::walk::for_each_schema(doc, &mut |schema, _| {
            let target = schema.get("$ref").or_else(|| schema.pointer("/allOf/0/$ref").filter(|_| schema["allOf"].as_array().is_some_and(|a| a.len() == 1)));
            let Some(replaced) = target.and_then(Value::as_str).and_then(|r| components.get(r)).cloned() else { return };
            if let Some(Value::String(d)) = schema.get_mut("default")
                && let Some(sentinel) = replaced.get(d.as_str()) {
                    *d = sentinel.clone();
                }
        });
    }
    sentinels
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

/// An enum whose values typify would name alike: the values whose names
/// collide get sentinels that typify names after their spelled-out text,
/// in passes that stop once the names are distinct ([`spell`]): the
/// punctuation that alone tells values apart (`-name`), then all of it
/// (`GMT-0` beside `GMT0`), then the case of a value in capitals
/// (`FORBIDDEN` beside `forbidden`, the Interactor error codes of two API
/// generations). If the names still collide, the enum becomes a plain
/// string, noted. Returns the replaced values (wire value → sentinel).
fn distinct_enum_values(schema: &mut Value, ptr: &str, report: &mut Report, sentinels: &mut Sentinels) -> Option<BTreeMap<String, String>> {
    let Some(Value::Array(values)) = schema.get("enum") else { return None };
    let mut seen = HashSet::new();
    let clash = values.iter().filter_map(Value::as_str).find(|v| !seen.insert(typify_name(v, true))).map(str::to_owned)?;
    let wires: Vec<Option<&str>> = values.iter().map(Value::as_str).collect();
    let mut spelled: Vec<Option<String>> = wires.iter().map(|w| w.map(|w| spell(w, false))).collect();
    let capitals = |w: &str, s: &str| if w.chars().any(char::is_uppercase) && !w.chars().any(char::is_lowercase) { format!("{s} upper case") } else { s.to_owned() };
    for all_punctuation in [true, false] {
        for i in colliding(&spelled) {
            if let (Some(w), Some(s)) = (wires[i], &spelled[i]) {
                spelled[i] = Some(if all_punctuation { spell(w, true) } else { capitals(w, s) });
            }
        }
    }
    // The first value still named like another, if any.
    let left = colliding(&spelled).first().and_then(|&i| wires[i]).map(str::to_owned);
    let odd = wires.iter().flatten().any(|v| v.contains(SENTINEL));
    let Value::Object(obj) = schema else { return None };
    if left.is_some() || odd {
        let clash = left.unwrap_or(clash);
        obj.remove("enum");
        obj.entry("type").or_insert_with(|| Value::String("string".into()));
        report.add(
            Severity::Degraded,
            ptr.to_owned(),
            format!("enum values equal once cased (such as {clash:?}) cannot be distinct Rust variants; generated as a string"),
        );
        return None;
    }
    let mut replaced = BTreeMap::new();
    if let Some(Value::Array(values)) = obj.get_mut("enum") {
        for (v, spelled) in values.iter_mut().zip(spelled) {
            let (Value::String(wire), Some(spelled)) = (&*v, spelled) else { continue };
            if spelled == *wire {
                continue;
            }
            let sentinel = sentinel_for(wire, &spelled, sentinels);
            replaced.insert(wire.clone(), sentinel.clone());
            *v = Value::String(sentinel);
        }
    }
    if let Some(Value::String(d)) = obj.get_mut("default")
        && let Some(sentinel) = replaced.get(d.as_str()) {
            *d = sentinel.clone();
        }
    // typify leaves out values that fail these, and a sentinel would.
    for k in ["pattern", "minLength", "maxLength"] {
        obj.remove(k);
    }
    report.rewrite("enum values named after their spelled-out punctuation or case in Rust (`-name` → `MinusName`, `FORBIDDEN` beside `forbidden` → `ForbiddenUpperCase`)", ptr);
    Some(replaced)
}

/// The indices of the values (spelled) whose typify names are another's.
fn colliding(spelled: &[Option<String>]) -> Vec<usize> {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    let names: Vec<Option<String>> = spelled.iter().map(|s| s.as_deref().map(|s| typify_name(s, true))).collect();
    for n in names.iter().flatten() {
        *count.entry(n.clone()).or_default() += 1;
    }
    names.iter().enumerate().filter(|(_, n)| n.as_ref().is_some_and(|n| count[n] > 1)).map(|(i, _)| i).collect()
}

/// Marks a sentinel: not a character of an identifier, so typify reads it
/// as a word break, and never in an enum value of a real spec.
const SENTINEL: char = '\u{1}';

/// The sentinel of `wire`: its spelled text between [`SENTINEL`]s, made
/// unique with `\u{2}`s (also a word break to typify) if another value
/// spells the same.
fn sentinel_for(wire: &str, spelled: &str, sentinels: &mut Sentinels) -> String {
    let mut pad = String::new();
    loop {
        let sentinel = format!("{SENTINEL}{spelled}{pad}{SENTINEL}");
        match sentinels.get(&sentinel) {
            Some(w) if w != wire => pad.push('\u{2}'),
            _ => {
                sentinels.insert(sentinel.clone(), wire.to_owned());
                return sentinel;
            }
        }
    }
}

/// An enum value with its punctuation spelled out as words (`-name` →
/// `minus name`, `!=` → `not eq`, `reactions-+1` → `reactions-plus 1`).
/// Unless `all`, a `-` or `.` right after a letter or digit stays: typify
/// reads it as a word break, as in `a-b`.
fn spell(value: &str, all: bool) -> String {
    let mut out = String::new();
    let mut after_alphanumeric = false;
    for c in value.chars() {
        let word = match c {
            '-' | '.' if after_alphanumeric && !all => None,
            '+' => Some("plus"),
            '-' => Some("minus"),
            '!' => Some("not"),
            '=' => Some("eq"),
            '<' => Some("lt"),
            '>' => Some("gt"),
            '~' => Some("tilde"),
            '*' => Some("star"),
            '/' => Some("slash"),
            '.' => Some("dot"),
            '@' => Some("at"),
            '#' => Some("hash"),
            '$' => Some("dollar"),
            '%' => Some("percent"),
            '&' => Some("and"),
            '|' => Some("or"),
            '^' => Some("caret"),
            '?' => Some("question"),
            ':' => Some("colon"),
            _ => None,
        };
        match word {
            Some(w) => {
                out.push(' ');
                out.push_str(w);
                out.push(' ');
            }
            None => out.push(c),
        }
        after_alphanumeric = c.is_alphanumeric();
    }
    out
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
            "E": {"type": "string", "enum": ["foo bar", "foo_bar", "ok"]},
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
            "Digits": {"type": "object", "properties": {"1": {"type": "integer"}, "x1": {"type": "integer"}}}
        }}});
        let mut report = Report::default();
        let sentinels = make_rust_safe(&mut doc, &mut report);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Rollup"]["properties"].as_object().map(|p| p.len()), Some(3));
        assert_eq!(schemas["Content"]["enum"], json!(["+1", "-1", "laugh"]));
        assert!(sentinels.is_empty());
        // These typify does name alike: `x1` for both.
        assert_eq!(schemas["Digits"]["properties"].as_object().map(|p| p.len()), Some(1));
        assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
        assert_eq!(typify_name("+1", true), "plus1");
        assert_eq!(typify_name("it's", false), "its");
    }

    #[test]
    fn punctuation_is_spelled_out_where_it_alone_tells_values_apart() {
        // GitHub's issue search sort, Jira's sort orders and JQL operators.
        let mut doc = json!({"components": {"schemas": {
            "Sort": {"type": "string", "enum": ["comments", "reactions-+1", "reactions--1", "reactions-smile"], "default": "reactions--1"},
            "Order": {"type": "string", "maxLength": 5, "enum": ["name", "-name", "+name"]},
            "Operator": {"type": "string", "enum": ["=", "!=", ">=", "in", "not in"]},
            "Uses": {"allOf": [{"$ref": "#/components/schemas/Order"}], "default": "-name"},
            "Cased": {"type": "string", "enum": ["FORBIDDEN", "forbidden", "RATE_LIMITED", "rate_limited", "ok"]},
            "Zones": {"type": "string", "enum": ["Etc/GMT+0", "Etc/GMT-0", "Etc/GMT0", "Etc/GMT-1"]},
            "Alike": {"type": "string", "enum": ["fooBar", "foo_bar"]}
        }}});
        let mut report = Report::default();
        let sentinels = make_rust_safe(&mut doc, &mut report);
        let s = &doc["components"]["schemas"];
        let sentinel = |text: &str| format!("\u{1}{text}\u{1}");
        assert_eq!(s["Sort"]["enum"], json!(["comments", sentinel("reactions- plus 1"), sentinel("reactions- minus 1"), "reactions-smile"]));
        assert_eq!(s["Sort"]["default"], json!(sentinel("reactions- minus 1")));
        assert_eq!(s["Order"]["enum"], json!(["name", sentinel(" minus name"), sentinel(" plus name")]));
        assert_eq!(s["Order"].get("maxLength"), None, "typify would leave out a sentinel longer than it");
        assert_eq!(s["Uses"]["default"], json!(sentinel(" minus name")), "a default follows its $ref");
        assert_eq!(s["Operator"]["enum"], json!([sentinel(" eq "), sentinel(" not  eq "), sentinel(" gt  eq "), "in", "not in"]));
        let names: Vec<String> = s["Operator"]["enum"].as_array().into_iter().flatten().filter_map(Value::as_str).map(|v| typify_name(v, true)).collect();
        assert_eq!(names, ["Eq", "NotEq", "GtEq", "In", "NotIn"]);
        assert_eq!(sentinels.get(&sentinel(" not  eq ")).map(String::as_str), Some("!="));
        // Only case tells these apart: the values in capitals say so.
        assert_eq!(s["Cased"]["enum"], json!([sentinel("FORBIDDEN upper case"), "forbidden", sentinel("RATE_LIMITED upper case"), "rate_limited", "ok"]));
        let names = |e: &str| -> Vec<String> { s[e]["enum"].as_array().into_iter().flatten().filter_map(Value::as_str).map(|v| typify_name(v, true)).collect() };
        assert_eq!(names("Cased"), ["ForbiddenUpperCase", "Forbidden", "RateLimitedUpperCase", "RateLimited", "Ok"]);
        // A `-` after a letter is a word break, until it alone tells two
        // values apart; then the colliding ones spell it out.
        assert_eq!(names("Zones"), ["EtcSlashGmtPlus0", "EtcSlashGmtMinus0", "EtcSlashGmt0", "EtcSlashGmt1"]);
        assert_eq!(sentinels.get(&sentinel("Etc slash GMT minus 0")).map(String::as_str), Some("Etc/GMT-0"));
        assert_eq!(sentinels.len(), 13);
        // Nothing tells these apart: a plain string, noted.
        assert_eq!(s["Alike"].get("enum"), None);
        assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
    }

    #[test]
    fn values_that_spell_alike_get_distinct_sentinels() {
        let mut sentinels = Sentinels::new();
        let a = sentinel_for("-a", " minus a", &mut sentinels);
        let b = sentinel_for("- a", " minus a", &mut sentinels);
        assert_ne!(a, b);
        assert_eq!(sentinel_for("-a", " minus a", &mut sentinels), a, "one value, one sentinel");
        assert_eq!(typify_name(&a, true), typify_name(&b, true), "the padding is a word break");
    }
}
