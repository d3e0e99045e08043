//! Smaller documents for the engine's culprit search: some component
//! schemas or operations, with every component they reach through `$ref`.
//!
//! progenitor makes a type of every component schema it is given, so a
//! probe of the whole document costs a whole run (OpenAI: about 100 ms,
//! and a search needs a hundred probes or more). A probe of a few items and
//! what they reference costs a fraction of that.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};

use crate::normalize::engine::METHODS;

/// A component entry: its kind (`schemas`, `parameters`, …) and name.
type Entry = (String, String);

/// Who references what, read once from the document.
pub struct Graph {
    /// The direct references of each component entry.
    components: HashMap<Entry, Vec<Entry>>,
    /// Each operation by id: its path, method and direct references
    /// (those of its path item's shared keys included).
    operations: HashMap<String, (String, String, Vec<Entry>)>,
    /// Some `$ref` points elsewhere than at a component entry; subsets
    /// then keep every component.
    loose: bool,
}

impl Graph {
    pub fn new(doc: &Value) -> Graph {
        let mut loose = false;
        let mut components = HashMap::new();
        if let Some(Value::Object(kinds)) = doc.get("components") {
            for (kind, entries) in kinds {
                let Value::Object(entries) = entries else { continue };
                for (name, v) in entries {
                    components.insert((kind.clone(), name.clone()), references(v, &mut loose));
                }
            }
        }
        let mut operations = HashMap::new();
        for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
            let Value::Object(item) = item else { continue };
            let shared: Vec<Entry> = item.iter().filter(|(k, _)| !is_method(k)).flat_map(|(_, v)| references(v, &mut loose)).collect();
            for method in METHODS {
                let Some(op) = item.get(*method) else { continue };
                let Some(id) = op.get("operationId").and_then(Value::as_str) else { continue };
                let mut refs = references(op, &mut loose);
                refs.extend(shared.iter().cloned());
                operations.insert(id.to_owned(), (path.clone(), (*method).to_owned(), refs));
            }
        }
        Graph { components, operations, loose }
    }

    /// Where operation `id` is: its path and method.
    pub fn operation(&self, id: &str) -> Option<(&str, &str)> {
        self.operations.get(id).map(|(path, method, _)| (path.as_str(), method.as_str()))
    }

    /// The component schema names, those a schema references before it
    /// (a depth-first post-order; a cycle is cut where it closes). Probing
    /// in this order finds a bad schema before the schemas that use it.
    pub fn schemas_dependencies_first(&self, doc: &Value) -> Vec<String> {
        fn visit<'g>(g: &'g Graph, e: &'g Entry, seen: &mut BTreeSet<&'g Entry>, out: &mut Vec<String>) {
            if !seen.insert(e) {
                return;
            }
            for next in g.components.get(e).into_iter().flatten() {
                if next.0 == "schemas" && g.components.contains_key(next) {
                    visit(g, next, seen, out);
                }
            }
            out.push(e.1.clone());
        }
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for name in doc.pointer("/components/schemas").and_then(Value::as_object).into_iter().flat_map(|m| m.keys()) {
            if let Some((e, _)) = self.components.get_key_value(&("schemas".to_owned(), name.clone())) {
                visit(self, e, &mut seen, &mut out);
            }
        }
        out
    }

    /// `doc` with only the component `schemas` and the `operations` (by
    /// id) given, and the components they reach. Security schemes and the
    /// document's other top-level keys are kept whole; the order of what is
    /// kept is the document's.
    pub fn subset(&self, doc: &Value, schemas: &[String], operations: &[String]) -> Value {
        let mut out = Map::new();
        for (k, v) in doc.as_object().into_iter().flatten() {
            if k != "paths" && k != "components" {
                out.insert(k.clone(), v.clone());
            }
        }
        let mut roots: Vec<Entry> = schemas.iter().map(|s| ("schemas".to_owned(), s.clone())).collect();
        let mut paths = Map::new();
        for id in operations {
            let Some((path, method, refs)) = self.operations.get(id) else { continue };
            let Some(Value::Object(item)) = doc.get("paths").and_then(|p| p.get(path)) else { continue };
            let Some(op) = item.get(method) else { continue };
            let kept = paths
                .entry(path.clone())
                .or_insert_with(|| Value::Object(item.iter().filter(|(k, _)| !is_method(k)).map(|(k, v)| (k.clone(), v.clone())).collect()));
            if let Value::Object(kept) = kept {
                kept.insert(method.clone(), op.clone());
            }
            roots.extend(refs.iter().cloned());
        }
        out.insert("paths".into(), Value::Object(paths));
        let Some(Value::Object(kinds)) = doc.get("components") else { return Value::Object(out) };
        if self.loose {
            out.insert("components".into(), Value::Object(kinds.clone()));
            return Value::Object(out);
        }
        let reached = self.reach(roots);
        let mut components = Map::new();
        for (kind, entries) in kinds {
            let kept = match entries {
                Value::Object(entries) if kind != "securitySchemes" => {
                    Value::Object(entries.iter().filter(|(name, _)| reached.contains(&(kind.clone(), (*name).clone()))).map(|(k, v)| (k.clone(), v.clone())).collect())
                }
                other => other.clone(),
            };
            components.insert(kind.clone(), kept);
        }
        out.insert("components".into(), Value::Object(components));
        Value::Object(out)
    }

    /// The entries `roots` reach, themselves included.
    fn reach(&self, mut stack: Vec<Entry>) -> BTreeSet<Entry> {
        let mut reached = BTreeSet::new();
        while let Some(e) = stack.pop() {
            if reached.contains(&e) {
                continue;
            }
            stack.extend(self.components.get(&e).into_iter().flatten().filter(|n| !reached.contains(*n)).cloned());
            reached.insert(e);
        }
        reached
    }
}

fn is_method(key: &str) -> bool {
    METHODS.contains(&key)
}

/// The component entries `v` references; a `$ref` to anything else sets
/// `loose`.
fn references(v: &Value, loose: &mut bool) -> Vec<Entry> {
    fn walk(v: &Value, loose: &mut bool, out: &mut Vec<Entry>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    match component(r) {
                        Some(e) => out.push(e),
                        None => *loose = true,
                    }
                }
                map.values().for_each(|c| walk(c, loose, out));
            }
            Value::Array(items) => items.iter().for_each(|c| walk(c, loose, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, loose, &mut out);
    out.sort();
    out.dedup();
    out
}

/// The component entry a `$ref` names (`#/components/<kind>/<name>`, a
/// place inside that entry too).
fn component(reference: &str) -> Option<Entry> {
    let rest = crate::pointer::percent_decode(reference.strip_prefix("#/components/")?);
    let mut tokens = rest.split('/');
    let kind = tokens.next().filter(|k| !k.is_empty())?;
    let name = tokens.next()?;
    Some((crate::pointer::unescape(kind), crate::pointer::unescape(name)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/pets/{id}": {
                    "summary": "one pet",
                    "get": {"operationId": "getPet", "responses": {"200": {"$ref": "#/components/responses/Pet"}}},
                    "delete": {"operationId": "deletePet", "responses": {"204": {"description": "gone"}}}
                },
                "/owners": {
                    "get": {"operationId": "listOwners", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Owner"}}}}}}
                }
            },
            "components": {
                "schemas": {
                    "Pet": {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/Owner"}, "tag": {"$ref": "#/components/schemas/a~1b/properties/x"}}},
                    "Owner": {"type": "object", "properties": {"pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}},
                    "a/b": {"type": "object", "properties": {"x": {"type": "string"}}},
                    "Lonely": {"type": "string", "default": "x"}
                },
                "responses": {
                    "Pet": {"description": "a pet", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                    "Unused": {"description": "no"}
                },
                "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
            }
        })
    }

    fn names(v: &Value, kind: &str) -> Vec<String> {
        v["components"][kind].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
    }

    #[test]
    fn an_operation_brings_what_it_reaches_through_every_kind_of_component() {
        let d = doc();
        let sub = Graph::new(&d).subset(&d, &[], &["getPet".to_owned()]);
        assert_eq!(names(&sub, "responses"), ["Pet"]);
        // Pet → Owner → Pet (a cycle), and a ref into `a/b`'s properties.
        assert_eq!(names(&sub, "schemas"), ["Pet", "Owner", "a/b"]);
        assert_eq!(names(&sub, "securitySchemes"), ["key"]);
        // The path item keeps its shared keys, and only the operation asked for.
        assert_eq!(sub["paths"].as_object().map(|m| m.len()), Some(1));
        assert_eq!(sub["paths"]["/pets/{id}"]["summary"], "one pet");
        assert!(sub["paths"]["/pets/{id}"].get("delete").is_none());
        assert_eq!(sub["info"], d["info"]);
    }

    #[test]
    fn schemas_alone_bring_no_operations() {
        let d = doc();
        let sub = Graph::new(&d).subset(&d, &["Lonely".to_owned()], &[]);
        assert_eq!(names(&sub, "schemas"), ["Lonely"]);
        assert_eq!(sub["paths"], json!({}));
        assert!(names(&sub, "responses").is_empty());
    }

    #[test]
    fn a_reference_outside_the_components_keeps_them_all() {
        let mut d = doc();
        d["components"]["schemas"]["Lonely"] = json!({"$ref": "#/paths/~1owners/get/responses/200/content/application~1json/schema"});
        let sub = Graph::new(&d).subset(&d, &["Lonely".to_owned()], &[]);
        assert_eq!(names(&sub, "schemas").len(), 4);
        assert_eq!(names(&sub, "responses"), ["Pet", "Unused"]);
    }

    #[test]
    fn dependencies_come_first_and_cycles_end() {
        let d = doc();
        let order = Graph::new(&d).schemas_dependencies_first(&d);
        assert_eq!(order, ["Owner", "a/b", "Pet", "Lonely"]);
        let at = |n: &str| order.iter().position(|o| o == n);
        assert!(at("a/b") < at("Pet"));
    }

    #[test]
    fn references_are_unescaped_and_percent_decoded() {
        assert_eq!(component("#/components/schemas/a~1b%7Bc%7D/properties/x"), Some(("schemas".into(), "a/b{c}".into())));
        assert_eq!(component("#/components/schemas/"), Some(("schemas".into(), String::new())));
        assert_eq!(component("#/paths/~1a"), None);
        assert_eq!(component("#/components/"), None);
    }
}
