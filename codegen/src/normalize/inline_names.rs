//! Names typify gives inline schemas, made distinct (Rust engine only).
//!
//! typify names a component schema after its key and an inline schema after
//! where it sits: property `conditions` of `repository-ruleset` becomes
//! `RepositoryRulesetConditions`, array items `…Item`, a map's values
//! `…Value`. It never checks those names against each other or against the
//! components, so GitHub's `repository-ruleset.conditions` and its component
//! `repository-ruleset-conditions` become two items of one name (E0428).
//!
//! This pass predicts the names the same way, components first (they keep
//! theirs), then inline schemas in document order, and gives every inline
//! schema whose name is already taken a `title` (typify's naming source of
//! first choice) that is free: `<Name>Inline`, `<Name>Inline2`, ... (a
//! nullable `oneOf`/`anyOf` gets it on a copy inside a nullable `allOf`,
//! where progenitor's `Option` wrapper cannot take it away). Only
//! schemas that become a named Rust type claim a name; the prediction may
//! miss exotic shapes (compositions are not descended), never rename what
//! does not clash.

use std::collections::HashSet;

use heck::{ToPascalCase, ToSnakeCase};
use serde_json::Value;

use crate::report::Report;

/// Whether typify makes a named type of this schema.
pub(crate) fn is_named(s: &Value) -> bool {
    let Value::Object(o) = s else { return false };
    if o.contains_key("$ref") {
        return false;
    }
    let non_empty = |k: &str| o.get(k).and_then(Value::as_array).is_some_and(|a| !a.is_empty());
    let many = |k: &str| o.get(k).and_then(Value::as_array).is_some_and(|a| a.len() > 1);
    o.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty())
        || (non_empty("enum") && o.get("type").and_then(Value::as_str) != Some("boolean"))
        || many("oneOf")
        || many("anyOf")
        || many("allOf")
}

struct Names<'r> {
    taken: HashSet<String>,
    report: &'r mut Report,
}

impl Names<'_> {
    /// Claims `name` for the inline schema `s` at `ptr`, retitling it when
    /// taken; returns the name its children derive from.
    fn claim(&mut self, s: &mut Value, name: String, ptr: &str) -> String {
        if !is_named(s) {
            return name;
        }
        if self.taken.insert(name.clone()) {
            return name;
        }
        let base = format!("{name}Inline");
        let mut free = base.clone();
        let mut n = 2;
        while self.taken.contains(&free) {
            free = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(free.clone());
        if let Value::Object(o) = s {
            let nullable_composition = o.get("nullable") == Some(&Value::Bool(true)) && (o.contains_key("oneOf") || o.contains_key("anyOf"));
            if nullable_composition {
                // progenitor wraps a nullable composition in `oneOf: [null,
                // …]` and moves the title to that wrapper, where typify
                // does not name the composition after it: the title goes on
                // a non-nullable copy inside a nullable `allOf`.
                let mut inner = std::mem::take(o);
                inner.remove("nullable");
                if let Some(d) = inner.get("description").cloned() {
                    o.insert("description".into(), d);
                }
                inner.insert("title".into(), Value::String(free.clone()));
                o.insert("nullable".into(), Value::Bool(true));
                o.insert("allOf".into(), Value::Array(vec![Value::Object(inner)]));
            } else {
                o.insert("title".into(), Value::String(free.clone()));
            }
        }
        self.report.rewrite("inline schema retitled: its Rust name was taken", ptr);
        free
    }

    /// Descends into the inline schemas of `s`, named `name`.
    fn children(&mut self, s: &mut Value, name: &str, ptr: &str) {
        let Value::Object(o) = s else { return };
        // typify merges `allOf` branches into one type: their properties
        // are named after the parent.
        if let Some(Value::Array(branches)) = o.get_mut("allOf") {
            for (i, b) in branches.iter_mut().enumerate() {
                self.children(b, name, &format!("{ptr}/allOf/{i}"));
            }
        }
        if let Some(Value::Object(props)) = o.get_mut("properties") {
            for (p, sub) in props.iter_mut() {
                let child = format!("{name}_{}", p.to_snake_case()).to_pascal_case();
                let cptr = format!("{ptr}/properties/{}", crate::pointer::escape(p));
                let child = self.claim(sub, child, &cptr);
                self.children(sub, &child, &cptr);
            }
        }
        if let Some(items) = o.get_mut("items").filter(|i| i.is_object()) {
            let cptr = format!("{ptr}/items");
            let child = self.claim(items, format!("{name}Item"), &cptr);
            self.children(items, &child, &cptr);
        }
        if let Some(values) = o.get_mut("additionalProperties").filter(|i| i.is_object()) {
            let cptr = format!("{ptr}/additionalProperties");
            let child = self.claim(values, format!("{name}Value"), &cptr);
            self.children(values, &child, &cptr);
        }
    }
}

/// Keywords that only annotate: a branch of nothing else adds no type.
const ANNOTATIONS: &[&str] = &["description", "title", "example", "examples", "deprecated", "externalDocs"];

/// `allOf: [{$ref}, {description: ...}]` (a reference with a sibling
/// description, spelled the 3.0 way) becomes `allOf: [{$ref}]` with the
/// annotations on the parent. typify would otherwise merge the two into a
/// copy of the referenced type named after the property, a copy that can
/// clash and that users cannot convert from the real type.
fn drop_annotation_branches(s: &mut Value, ptr: &str, report: &mut Report) {
    let Value::Object(o) = s else { return };
    let Some(Value::Array(branches)) = o.get_mut("allOf") else { return };
    let is_annotation = |b: &Value| b.as_object().is_some_and(|m| !m.is_empty() && m.keys().all(|k| ANNOTATIONS.contains(&k.as_str())));
    if branches.len() < 2 || !branches.iter().any(|b| !is_annotation(b)) || !branches.iter().any(is_annotation) {
        return;
    }
    let mut moved = serde_json::Map::new();
    branches.retain(|b| {
        if is_annotation(b) {
            if let Value::Object(m) = b {
                moved.extend(m.clone());
            }
            false
        } else {
            true
        }
    });
    for (k, v) in moved {
        o.entry(k).or_insert(v);
    }
    report.rewrite("allOf branch holding only annotations merged into its parent", ptr);
}

/// Merges `allOf` branches holding only annotations into their parents
/// (see [`drop_annotation_branches`]).
pub fn merge_annotation_branches(doc: &mut Value, report: &mut Report) {
    super::walk::for_each_schema(doc, &mut |s, ptr| drop_annotation_branches(s, ptr, report));
}

/// Retitles inline schemas whose Rust name would clash.
pub fn make_distinct(doc: &mut Value, report: &mut Report) {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else { return };
    let taken: HashSet<String> = schemas.keys().map(|k| k.to_pascal_case()).collect();
    let mut names = Names { taken, report };
    for (key, s) in schemas.iter_mut() {
        let ptr = format!("#/components/schemas/{}", crate::pointer::escape(key));
        names.children(s, &key.to_pascal_case(), &ptr);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn run(mut doc: serde_json::Value) -> serde_json::Value {
        let mut report = crate::report::Report::default();
        super::merge_annotation_branches(&mut doc, &mut report);
        super::make_distinct(&mut doc, &mut report);
        doc
    }

    #[test]
    fn inline_schema_named_like_a_component_is_retitled() {
        let doc = run(json!({"components": {"schemas": {
            "repository-ruleset": {"type": "object", "properties": {
                "conditions": {"type": "object", "properties": {"ref_name": {"type": "string"}}},
                "plain": {"type": "string"},
                "list": {"type": "array", "items": {"type": "object", "properties": {"a": {"type": "string"}}}}
            }},
            "repository-ruleset-conditions": {"type": "object", "properties": {"x": {"type": "string"}}},
            "RepositoryRulesetListItem": {"type": "string"}
        }}}));
        let props = &doc["components"]["schemas"]["repository-ruleset"]["properties"];
        assert_eq!(props["conditions"]["title"], "RepositoryRulesetConditionsInline");
        assert_eq!(props["plain"].get("title"), None, "not a named type");
        assert_eq!(props["list"]["items"]["title"], "RepositoryRulesetListItemInline");
        assert_eq!(doc["components"]["schemas"]["repository-ruleset-conditions"].get("title"), None, "components keep their names");
    }

    #[test]
    fn annotation_branches_and_merged_properties() {
        let doc = run(json!({"components": {"schemas": {
            "C": {"type": "object", "properties": {
                "item": {"allOf": [{"$ref": "#/components/schemas/CItem"}, {"description": "d"}], "nullable": true}
            }},
            "CItem": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "S": {"allOf": [{"$ref": "#/components/schemas/C"}, {"properties": {
                "v": {"anyOf": [{"$ref": "#/components/schemas/S_v"}, {"type": "string"}]}
            }}]},
            "S_v": {"type": "object", "properties": {"x": {"type": "string"}}}
        }}}));
        let item = &doc["components"]["schemas"]["C"]["properties"]["item"];
        assert_eq!(item["allOf"], json!([{"$ref": "#/components/schemas/CItem"}]));
        assert_eq!(item["description"], "d");
        assert_eq!(doc["components"]["schemas"]["S"]["allOf"][1]["properties"]["v"]["title"], "SVInline");
    }

    #[test]
    fn nullable_composition_is_retitled_inside_an_all_of() {
        // Stripe's expandable fields: `subscription.schedule` is the ID or the
        // `subscription_schedule` object, named like that component.
        let doc = run(json!({"components": {"schemas": {
            "subscription": {"type": "object", "properties": {"schedule": {
                "anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/subscription_schedule"}],
                "nullable": true, "description": "d"
            }}},
            "subscription_schedule": {"type": "object", "properties": {"id": {"type": "string"}}}
        }}}));
        assert_eq!(doc["components"]["schemas"]["subscription"]["properties"]["schedule"], json!({
            "nullable": true, "description": "d",
            "allOf": [{"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/subscription_schedule"}], "description": "d", "title": "SubscriptionScheduleInline"}]
        }));
    }

    #[test]
    fn two_inline_schemas_of_one_name() {
        let doc = run(json!({"components": {"schemas": {
            "Foo": {"type": "object", "properties": {"bar_baz": {"type": "string", "enum": ["x"]}}},
            "FooBar": {"type": "object", "properties": {"baz": {"type": "string", "enum": ["y"]}}}
        }}}));
        assert_eq!(doc["components"]["schemas"]["Foo"]["properties"]["bar_baz"].get("title"), None, "first keeps the name");
        assert_eq!(doc["components"]["schemas"]["FooBar"]["properties"]["baz"]["title"], "FooBarBazInline");
    }
}
