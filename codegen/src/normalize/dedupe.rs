//! One Rust type per schema shape (Rust engine only).
//!
//! typify makes a type of every inline object, enum and composition, named
//! after where it sits. Large specs repeat the same inline schema many
//! times: GitHub's webhook payloads inline a whole repository, user or
//! issue in every event, and 6,115 inline schemas there have only 1,546
//! distinct shapes, 1,397 of them identical to a component. Every copy is a
//! struct with serde derives that rustc has to check and compile; this is
//! what took GitHub's crate to 18 GB and six minutes.
//!
//! This pass, run before typify names anything:
//! - replaces an inline schema whose shape is a component's with a
//!   reference to that component;
//! - moves an inline shape that occurs more than once into one new
//!   component and references it from every place it occurred.
//!
//! A shape is the schema without its annotations (`description`, `title`,
//! examples, `externalDocs`); references compare by target. At a use site
//! `nullable` and the description stay where they were (a nullable use
//! becomes a nullable `allOf` of the reference, the form typify reads as
//! `Option<T>`), so a field keeps its doc and its optionality. Nullable
//! components are never targets. Branches of `allOf`, `oneOf` and `anyOf`
//! are never replaced (what is inside them is): typify reads a
//! composition's branches together, merging `allOf` into the parent and
//! making an internally tagged enum of objects with a one-value `type`,
//! which a reference would break.
//!
//! A new component is named after the first place it occurs, the name that
//! place would have had anyway (`WebhookIssuesOpenedIssue`), numbered if
//! taken; shapes used more often claim names first. A one-value enum (a
//! tag such as `event: "error"`) is never replaced: tags spelled alike are
//! not one type. The pass repeats until nothing changes: merging inner copies
//! can make outer ones identical.
//!
//! Schemas under `components/schemas` and inside JSON and form request and
//! response bodies are considered, and parameters' enums (or their arrays'
//! item enums); a body itself keeps the name its operation gives it, and
//! multipart bodies are left alone. An enum only parameters of one name
//! share is named after that name (`Direction`) when it is free.

use std::collections::{BTreeMap, HashMap, HashSet};

use heck::{ToPascalCase, ToSnakeCase};
use serde_json::{Map, Value, json};

use super::inline_names::is_named;
use crate::report::Report;

/// Keys that only annotate a schema: not part of its shape.
const ANNOTATIONS: &[&str] = &["description", "title", "example", "examples", "externalDocs"];

/// Rounds at most; each round only replaces, so this is a guard, not a limit
/// real specs reach (GitHub settles in four).
const MAX_ROUNDS: usize = 16;

/// Merges identical inline schemas (see the module doc).
pub fn merge(doc: &mut Value, report: &mut Report) {
    for _ in 0..MAX_ROUNDS {
        if !round(doc, report) {
            break;
        }
    }
}

/// An interned shape node: equal shapes get equal ids.
#[derive(Hash, PartialEq, Eq)]
enum Node {
    /// A value that is data, not schema (`type`, `enum`, `$ref`, ...).
    Data(String),
    /// A schema object: its keys in order, annotations left out.
    Schema(Vec<(String, u32)>),
    /// A map of schemas (`properties`).
    Map(Vec<(String, u32)>),
    /// A list of schemas (`allOf`, `oneOf`, `anyOf`).
    List(Vec<u32>),
}

#[derive(Default)]
struct Interner {
    ids: HashMap<Node, u32>,
}

impl Interner {
    fn id(&mut self, node: Node) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(node).or_insert(next)
    }

    /// The shape of schema `v`, leaving out the root keys in `drop`.
    fn schema(&mut self, v: &Value, drop: &[&str]) -> u32 {
        let Value::Object(o) = v else { return self.data(v) };
        let mut entries: Vec<(String, u32)> = Vec::with_capacity(o.len());
        for (k, child) in o {
            let key = k.as_str();
            if ANNOTATIONS.contains(&key) || drop.contains(&key) {
                continue;
            }
            let id = match (key, child) {
                ("properties" | "patternProperties", Value::Object(m)) => {
                    let mut props: Vec<(String, u32)> = m.iter().map(|(p, s)| (p.clone(), self.schema(s, &[]))).collect();
                    props.sort_unstable();
                    self.id(Node::Map(props))
                }
                ("items" | "additionalProperties" | "not", Value::Object(_)) => self.schema(child, &[]),
                ("allOf" | "oneOf" | "anyOf", Value::Array(list)) => {
                    let ids = list.iter().map(|s| self.schema(s, &[])).collect();
                    self.id(Node::List(ids))
                }
                _ => self.data(child),
            };
            entries.push((k.clone(), id));
        }
        entries.sort_unstable();
        self.id(Node::Schema(entries))
    }

    fn data(&mut self, v: &Value) -> u32 {
        self.id(Node::Data(v.to_string()))
    }
}

/// An inline schema that could be replaced.
struct Occurrence {
    /// JSON pointer segments from the document root.
    path: Vec<String>,
    shape: u32,
    /// Whether it may be replaced at all (a tag may not).
    replaceable: bool,
}

struct Collector<'a> {
    interner: &'a mut Interner,
    found: Vec<Occurrence>,
}

impl Collector<'_> {
    /// Collects the inline schemas below `s`. (Their names, after their
    /// place, are [`name_at`] their path: computed for the few that become
    /// components, not for every schema in every round.)
    fn children(&mut self, s: &Value, path: &mut Vec<String>) {
        let Value::Object(o) = s else { return };
        if let Some(Value::Array(branches)) = o.get("allOf") {
            // typify merges `allOf` branches into the parent: their
            // properties are named after it, and the branches stay.
            path.push("allOf".into());
            for (i, b) in branches.iter().enumerate() {
                path.push(i.to_string());
                self.children(b, path);
                path.pop();
            }
            path.pop();
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = o.get(key) {
                path.push(key.into());
                for (i, b) in branches.iter().enumerate() {
                    path.push(i.to_string());
                    // A branch itself stays: typify reads the branches
                    // together (an internally tagged enum when every branch
                    // is an object with a one-value `type`), which a
                    // reference would break.
                    self.children(b, path);
                    path.pop();
                }
                path.pop();
            }
        }
        if let Some(Value::Object(props)) = o.get("properties") {
            path.push("properties".into());
            for (p, sub) in props {
                path.push(p.clone());
                self.visit(sub, path);
                path.pop();
            }
            path.pop();
        }
        for key in ["items", "additionalProperties"] {
            if let Some(sub) = o.get(key).filter(|v| v.is_object()) {
                path.push(key.into());
                self.visit(sub, path);
                path.pop();
            }
        }
    }

    /// Collects the inline schemas inside JSON and form request and response
    /// bodies (not the bodies themselves: their types are named after the
    /// operation; multipart bodies are left to the engine).
    fn operations(&mut self, paths: &Map<String, Value>) {
        for (p, item) in paths {
            for method in super::engine::METHODS {
                let Some(op) = item.get(*method) else { continue };
                if op.get("operationId").and_then(Value::as_str).is_none() {
                    continue;
                }
                let mut path = vec!["paths".to_owned(), p.clone(), (*method).to_owned()];
                let params = op.get("parameters").and_then(Value::as_array);
                for (i, param) in params.into_iter().flatten().enumerate() {
                    self.parameter(param, &mut path, i);
                }
                let body = op.pointer("/requestBody/content").and_then(Value::as_object);
                for (mt, media) in body.into_iter().flatten() {
                    self.body(media, &mut path, &["requestBody", "content", mt]);
                }
                let responses = op.get("responses").and_then(Value::as_object);
                for (code, r) in responses.into_iter().flatten() {
                    for (mt, media) in r.get("content").and_then(Value::as_object).into_iter().flatten() {
                        self.body(media, &mut path, &["responses", code, "content", mt]);
                    }
                }
            }
        }
    }

    /// Collects a parameter's inline enum, or its array's item enum
    /// (`direction: asc|desc` on 41 of GitHub's operations): other
    /// parameter schemas are left to the engine's rules (an object query
    /// parameter gets a newtype of its own there).
    fn parameter(&mut self, param: &Value, path: &mut Vec<String>, i: usize) {
        let Some(schema) = param.get("schema") else { return };
        let is_enum = |s: &Value| s.get("enum").is_some_and(Value::is_array);
        let depth = path.len();
        path.extend(["parameters".to_owned(), i.to_string(), "schema".to_owned()]);
        if is_enum(schema) {
            self.visit(schema, path);
        } else if let Some(items) = schema.get("items").filter(|s| is_enum(s)) {
            path.push("items".into());
            self.visit(items, path);
        }
        path.truncate(depth);
    }

    fn body(&mut self, media: &Value, path: &mut Vec<String>, at: &[&str]) {
        let structured = at.last().is_some_and(|mt| mt.starts_with("application/json") || mt.contains("+json") || mt.starts_with("application/x-www-form-urlencoded"));
        let Some(schema) = media.get("schema").filter(|_| structured) else { return };
        let depth = path.len();
        path.extend(at.iter().map(|s| (*s).to_owned()));
        path.push("schema".into());
        self.children(schema, path);
        path.truncate(depth);
    }

    /// Records `s` if typify names it, then what is below it.
    fn visit(&mut self, s: &Value, path: &mut Vec<String>) {
        if is_named(s) {
            let shape = self.interner.schema(s, &["nullable"]);
            // A one-value enum is a tag (`event: "error"`): two tags that
            // happen to be spelled alike are not one type, and typify finds
            // a tagged union by its branches' inline tags.
            let replaceable = s.get("enum").and_then(Value::as_array).is_none_or(|values| values.len() > 1);
            self.found.push(Occurrence { path: path.clone(), shape, replaceable });
        }
        self.children(s, path);
    }
}

/// Where each replaced occurrence points.
enum Target {
    Component(String),
    New(usize),
}

/// One round: replaces what is a copy now; returns whether anything was.
fn round(doc: &mut Value, report: &mut Report) -> bool {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else { return false };
    let mut interner = Interner::default();
    let mut components: HashMap<u32, String> = HashMap::new();
    let mut collector = Collector { interner: &mut interner, found: Vec::new() };
    for (key, s) in schemas {
        let mut path = vec!["components".to_owned(), "schemas".to_owned(), key.clone()];
        collector.children(s, &mut path);
    }
    if let Some(Value::Object(paths)) = doc.get("paths") {
        collector.operations(paths);
    }
    let found = collector.found;
    for (key, s) in schemas {
        // A nullable component keeps `nullable` in its shape, and no use
        // site's shape has it: a non-null use never becomes nullable.
        if is_named(s) {
            let shape = interner.schema(s, &[]);
            components.entry(shape).or_insert_with(|| key.clone());
        }
    }
    let mut count: HashMap<u32, usize> = HashMap::new();
    for o in &found {
        *count.entry(o.shape).or_default() += 1;
    }

    // Top-down: an occurrence inside one being replaced goes with it.
    let mut replaced: Vec<&Occurrence> = Vec::new();
    let mut covered: Option<&[String]> = None;
    for o in &found {
        if covered.is_some_and(|c| o.path.starts_with(c)) {
            continue;
        }
        covered = None;
        let own = o.path[0] == "components";
        let to_component = components.get(&o.shape).is_some_and(|c| !own || c != &o.path[2]);
        if o.replaceable && (to_component || count[&o.shape] > 1) {
            covered = Some(&o.path);
            replaced.push(o);
        }
    }
    if replaced.is_empty() {
        return false;
    }

    // New components: shapes used most claim names first.
    let mut groups: BTreeMap<u32, Vec<&Occurrence>> = BTreeMap::new();
    let mut first: HashMap<u32, usize> = HashMap::new();
    for (i, o) in replaced.iter().enumerate() {
        if !components.contains_key(&o.shape) {
            groups.entry(o.shape).or_default().push(o);
            first.entry(o.shape).or_insert(i);
        }
    }
    let mut order: Vec<(u32, Vec<&Occurrence>)> = groups.into_iter().collect();
    order.sort_by_key(|(shape, members)| (std::cmp::Reverse(members.len()), first[shape]));
    let mut taken: HashSet<String> = schemas.keys().map(|k| name_key(k)).collect();
    let mut new_names: HashMap<u32, (usize, String)> = HashMap::new();
    for (i, (shape, members)) in order.iter().enumerate() {
        let name = choose_name(doc, members, &mut taken);
        new_names.insert(*shape, (i, name));
    }

    let targets: Vec<(Vec<String>, Target)> = replaced
        .iter()
        .map(|o| {
            let t = match components.get(&o.shape) {
                Some(c) => Target::Component(c.clone()),
                None => Target::New(new_names[&o.shape].0),
            };
            (o.path.clone(), t)
        })
        .collect();
    let mut new_schemas: Vec<Option<(String, Value)>> = vec![None; order.len()];
    let names_by_index: Vec<String> = order.iter().map(|(shape, _)| new_names[shape].1.clone()).collect();
    for (path, target) in targets {
        let ptr: String = path.iter().map(|s| format!("/{}", crate::pointer::escape(s))).collect();
        let Some(slot) = doc.pointer_mut(&ptr) else { continue };
        let Value::Object(mut site) = slot.take() else { continue };
        let name = match target {
            Target::Component(c) => {
                report.rewrite("inline schema replaced by the identical component", &format!("#{ptr}"));
                c
            }
            Target::New(i) => {
                report.rewrite("repeated inline schema moved to one new component", &format!("#{ptr}"));
                let name = names_by_index[i].clone();
                if new_schemas[i].is_none() {
                    let mut body: Map<String, Value> = site.clone();
                    body.remove("nullable");
                    body.remove("description");
                    new_schemas[i] = Some((name.clone(), Value::Object(body)));
                }
                name
            }
        };
        *slot = reference(&name, &mut site);
    }
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        schemas.extend(new_schemas.into_iter().flatten());
    }
    true
}

/// The schema that refers to component `name` from a use site, keeping the
/// site's `nullable` and `description`.
fn reference(name: &str, site: &mut Map<String, Value>) -> Value {
    let target = json!({ "$ref": format!("#/components/schemas/{}", crate::pointer::escape(name)) });
    let nullable = site.remove("nullable").filter(|n| n == &Value::Bool(true));
    let description = site.remove("description");
    if nullable.is_none() && description.is_none() {
        return target;
    }
    let mut out = Map::new();
    if let Some(d) = description {
        out.insert("description".into(), d);
    }
    if let Some(n) = nullable {
        out.insert("nullable".into(), n);
    }
    out.insert("allOf".into(), json!([target]));
    Value::Object(out)
}

/// What two names that clash have in common: heck's casing is not
/// idempotent (`a_b` is `AB`, `AB` is `Ab`), so names compare case-blind.
fn name_key(name: &str) -> String {
    name.to_pascal_case().to_lowercase()
}

/// A free name for a new component: the name its first place gives it,
/// which that place would have had anyway; but an enum that only
/// parameters of one name share is named after that name (`Direction`,
/// not the first operation's `AppsListAccountsForPlanDirection`) when it
/// is free.
fn choose_name(doc: &Value, members: &[&Occurrence], taken: &mut HashSet<String>) -> String {
    if let Some(name) = shared_parameter_name(doc, members)
        && taken.insert(name_key(&name))
    {
        return name;
    }
    let base = members.first().map(|o| name_at(doc, &o.path)).filter(|n| !n.is_empty()).unwrap_or_else(|| "Shape".to_owned());
    if taken.insert(name_key(&base)) {
        return base;
    }
    let mut n = 2;
    loop {
        let c = format!("{base}{n}");
        if taken.insert(name_key(&c)) {
            return c;
        }
        n += 1;
    }
}

/// `Direction` (`DirectionItem` for an array's items) when every member is
/// a parameter's schema (or every member its items): the parameters' most
/// common name (the first one met among equals), so a `direction` and an
/// `order` of one shape share `Direction` if most are `direction`.
fn shared_parameter_name(doc: &Value, members: &[&Occurrence]) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    let mut items = None;
    for o in members {
        let [p, item, method, params, i, schema, rest @ ..] = o.path.as_slice() else { return None };
        if p != "paths" || params != "parameters" || schema != "schema" {
            return None;
        }
        let is_items = match rest {
            [] => false,
            [items] if items == "items" => true,
            _ => return None,
        };
        if *items.get_or_insert(is_items) != is_items {
            return None;
        }
        let name = parameter_name(doc, item, method, i);
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => counts.push((name, 1)),
        }
    }
    // `max_by_key` keeps the last of equals; the first met wins here.
    let most = counts.iter().rev().max_by_key(|(_, c)| *c)?.0.to_pascal_case();
    (!most.is_empty()).then(|| if items == Some(true) { format!("{most}Item") } else { most })
}

/// The `name` of parameter `i` of an operation.
fn parameter_name<'a>(doc: &'a Value, item: &str, method: &str, i: &str) -> &'a str {
    let param = doc.get("paths").and_then(|ps| ps.get(item)).and_then(|o| o.get(method)).and_then(|o| o.get("parameters")).and_then(|ps| ps.get(i.parse::<usize>().ok()?));
    param.and_then(|p| p.get("name")).and_then(Value::as_str).unwrap_or_default()
}

/// The name typify gives the inline schema at `path` (pointer segments, as
/// `Collector` records them): the component's key or the operation's body
/// or response, then per step down `{name}_{property}` in Pascal case,
/// `Item`, `Value`, or `Variant{i}` for a `oneOf`/`anyOf` branch; an
/// `allOf` branch keeps its parent's name.
fn name_at(doc: &Value, path: &[String]) -> String {
    let (mut name, rest) = match path {
        [c, s, key, rest @ ..] if c == "components" && s == "schemas" => (key.to_pascal_case(), rest),
        [p, item, method, rest @ ..] if p == "paths" => {
            let id = doc.get("paths").and_then(|ps| ps.get(item)).and_then(|i| i.get(method)).and_then(|o| o.get("operationId")).and_then(Value::as_str).unwrap_or_default();
            match rest {
                [b, i, _, rest @ ..] if b == "parameters" => {
                    let param = parameter_name(doc, item, method, i);
                    (format!("{id}_{param}").to_pascal_case(), rest)
                }
                [b, _, _, _, rest @ ..] if b == "requestBody" => (format!("{id}_body").to_pascal_case(), rest),
                [r, _, _, _, _, rest @ ..] if r == "responses" => (format!("{id}_response").to_pascal_case(), rest),
                _ => (String::new(), rest),
            }
        }
        _ => (String::new(), path),
    };
    let mut steps = rest.iter();
    while let Some(step) = steps.next() {
        match step.as_str() {
            "allOf" => {
                steps.next();
            }
            "oneOf" | "anyOf" => name = format!("{name}Variant{}", steps.next().map_or("", String::as_str)),
            "properties" => name = format!("{name}_{}", steps.next().map_or(String::new(), |p| p.to_snake_case())).to_pascal_case(),
            "items" => name.push_str("Item"),
            "additionalProperties" => name.push_str("Value"),
            _ => {}
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    fn run(mut doc: Value) -> Value {
        super::merge(&mut doc, &mut crate::report::Report::default());
        doc
    }

    fn user(description: &str) -> Value {
        json!({"type": "object", "description": description, "properties": {
            "login": {"type": "string", "description": description},
            "id": {"type": "integer"}
        }, "required": ["login"]})
    }

    #[test]
    fn inline_copy_of_a_component_becomes_a_reference() {
        let doc = run(json!({"components": {"schemas": {
            "simple-user": user("A user"),
            "event": {"type": "object", "properties": {
                "sender": user("The sender"),
                "assignee": {"nullable": true, "description": "Who", "type": "object", "properties": {
                    "login": {"type": "string"}, "id": {"type": "integer"}
                }, "required": ["login"]},
                "other": {"type": "object", "properties": {"login": {"type": "integer"}, "id": {"type": "integer"}}, "required": ["login"]}
            }}
        }}}));
        let props = &doc["components"]["schemas"]["event"]["properties"];
        assert_eq!(props["sender"], json!({"description": "The sender", "allOf": [{"$ref": "#/components/schemas/simple-user"}]}), "annotations differ, the shape is one");
        assert_eq!(props["assignee"], json!({"description": "Who", "nullable": true, "allOf": [{"$ref": "#/components/schemas/simple-user"}]}), "a nullable use stays nullable");
        assert_eq!(props["other"]["properties"]["login"]["type"], "integer", "a different shape is left alone");
        assert_eq!(doc["components"]["schemas"]["simple-user"], user("A user"), "the component itself is untouched");
    }

    #[test]
    fn repeated_inline_shape_moves_to_one_component_named_after_its_first_place() {
        let label = || json!({"type": "object", "properties": {"name": {"type": "string"}, "color": {"type": "string"}}});
        let doc = run(json!({"components": {"schemas": {
            "issue": {"type": "object", "properties": {"labels": {"type": "array", "items": label()}}},
            "pull": {"type": "object", "properties": {"label": label(), "state": {"type": "string", "enum": ["open", "closed"]}}},
            "gist": {"type": "object", "properties": {"state": {"type": "string", "enum": ["open", "closed"]}}}
        }}}));
        let s = &doc["components"]["schemas"];
        assert_eq!(s["IssueLabelsItem"], label());
        assert_eq!(s["issue"]["properties"]["labels"]["items"], json!({"$ref": "#/components/schemas/IssueLabelsItem"}));
        assert_eq!(s["pull"]["properties"]["label"], json!({"$ref": "#/components/schemas/IssueLabelsItem"}));
        assert_eq!(s["PullState"], json!({"type": "string", "enum": ["open", "closed"]}));
        assert_eq!(s["gist"]["properties"]["state"], json!({"$ref": "#/components/schemas/PullState"}));
    }

    #[test]
    fn tags_and_all_of_branches_and_single_copies_stay() {
        let tag = || json!({"type": "string", "enum": ["error"]});
        let input = json!({"components": {"schemas": {
            "a": {"type": "object", "properties": {"event": tag(), "only": {"type": "string", "enum": ["x", "y"]}}},
            "b": {"type": "object", "properties": {"type": tag()}},
            "c": {"allOf": [{"type": "object", "properties": {"p": {"type": "string"}}}, {"type": "object", "properties": {"q": {"type": "string"}}}]},
            "d": {"allOf": [{"type": "object", "properties": {"p": {"type": "string"}}}, {"type": "object", "properties": {"r": {"type": "string"}}}]}
        }}});
        assert_eq!(run(input.clone()), input);
    }

    #[test]
    fn outer_copies_go_whole_and_inner_ones_follow_in_later_rounds() {
        // `owner` sits inside two identical `repo` objects and once alone:
        // the repos merge first, then the owner inside the new component
        // meets the owner's own new component.
        let owner = || json!({"type": "object", "properties": {"login": {"type": "string"}}});
        let repo = || json!({"type": "object", "properties": {"owner": owner(), "name": {"type": "string"}}});
        let doc = run(json!({"components": {"schemas": {
            "e1": {"type": "object", "properties": {"repository": repo()}},
            "e2": {"type": "object", "properties": {"repository": repo()}},
            "e3": {"type": "object", "properties": {"owner": owner(), "x": {"type": "string"}}}
        }}}));
        let s = &doc["components"]["schemas"];
        assert_eq!(s["e2"]["properties"]["repository"], json!({"$ref": "#/components/schemas/E1Repository"}));
        assert_eq!(s["E3Owner"], owner());
        assert_eq!(s["e3"]["properties"]["owner"], json!({"$ref": "#/components/schemas/E3Owner"}));
        assert_eq!(s["E1Repository"]["properties"]["owner"], json!({"$ref": "#/components/schemas/E3Owner"}));
        assert!(s.get("E1RepositoryOwner").is_none(), "the inner copy is not moved on its own");
    }

    #[test]
    fn a_taken_name_is_numbered() {
        let doc = run(json!({"components": {"schemas": {
            "a": {"type": "object", "properties": {"b": {"type": "string", "enum": ["1", "2"]}}},
            "a_b": {"type": "object", "properties": {"z": {"type": "string", "enum": ["1", "2"]}}}
        }}}));
        assert_eq!(doc["components"]["schemas"]["AB2"], json!({"type": "string", "enum": ["1", "2"]}));
        assert_eq!(doc["components"]["schemas"]["a"]["properties"]["b"], json!({"$ref": "#/components/schemas/AB2"}));
    }

    #[test]
    fn json_bodies_share_inner_shapes_and_keep_their_own_names() {
        let item = || json!({"type": "object", "properties": {"id": {"type": "integer"}, "url": {"type": "string"}}});
        let body = || json!({"type": "object", "properties": {"item": item()}});
        let doc = run(json!({"paths": {
            "/a": {"post": {"operationId": "create_a", "requestBody": {"content": {"application/json": {"schema": body()}}}, "responses": {}}},
            "/b": {"get": {"operationId": "get_b", "responses": {"200": {"content": {"application/json": {"schema": body()}}}}}},
            "/c": {"post": {"operationId": "upload", "requestBody": {"content": {"multipart/form-data": {"schema": body()}}}, "responses": {}}}
        }, "components": {"schemas": {}}}));
        let r = json!({"$ref": "#/components/schemas/CreateABodyItem"});
        assert_eq!(doc["components"]["schemas"]["CreateABodyItem"], item());
        assert_eq!(doc.pointer("/paths/~1a/post/requestBody/content/application~1json/schema/properties/item"), Some(&r));
        assert_eq!(doc.pointer("/paths/~1b/get/responses/200/content/application~1json/schema/properties/item"), Some(&r));
        assert_eq!(doc.pointer("/paths/~1b/get/responses/200/content/application~1json/schema/type"), Some(&json!("object")), "the body itself stays inline");
        assert_eq!(doc.pointer("/paths/~1c/post/requestBody/content/multipart~1form-data/schema"), Some(&body()), "multipart is left to the engine");
    }

    #[test]
    fn compositions_move_whole_branches_stay_and_form_bodies_count() {
        // Stripe: `anyOf: [{...}, {enum: [""]}]` says "or empty to unset".
        let unset = || json!({"type": "string", "enum": [""]});
        let field = || json!({"anyOf": [{"type": "string", "maxLength": 5000}, unset()]});
        let doc = run(json!({"paths": {
            "/a": {"post": {"operationId": "post_a", "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"note": field()}}}}}, "responses": {}}}
        }, "components": {"schemas": {
            "b": {"type": "object", "properties": {"memo": field(), "object": {"type": "string", "enum": ["list"]}}},
            "c": {"type": "object", "properties": {"object": {"type": "string", "enum": ["list"]}}}
        }}}));
        let s = &doc["components"]["schemas"];
        assert_eq!(s["BMemo"], field(), "the whole anyOf repeats, so it moves whole");
        assert_eq!(doc.pointer("/paths/~1a/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/note"), Some(&json!({"$ref": "#/components/schemas/BMemo"})));
        assert_eq!(s["c"]["properties"]["object"], json!({"type": "string", "enum": ["list"]}), "a tag stays");
        let doc = run(json!({"components": {"schemas": {
            "d": {"type": "object", "properties": {"x": {"oneOf": [
                {"type": "object", "properties": {"type": {"type": "string", "enum": ["a"]}, "n": {"type": "integer"}}},
                {"type": "object", "properties": {"type": {"type": "string", "enum": ["b"]}}}
            ]}}},
            "e": {"type": "object", "properties": {"type": {"type": "string", "enum": ["a"]}, "n": {"type": "integer"}}}
        }}}));
        assert_eq!(doc["components"]["schemas"]["d"]["properties"]["x"]["oneOf"][0]["properties"]["n"], json!({"type": "integer"}), "a branch stays, or typify's tagged enum would break");
    }

    /// Names follow the path down as typify's do, from a component or an
    /// operation's body or response.
    #[test]
    fn names_after_the_place() {
        let doc = json!({"paths": {"/t": {"post": {"operationId": "create-thing"}}}});
        let at = |p: &[&str]| super::name_at(&doc, &p.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        assert_eq!(at(&["components", "schemas", "web-hook", "properties", "sender_info", "items"]), "WebHookSenderInfoItem");
        assert_eq!(at(&["components", "schemas", "a", "allOf", "1", "properties", "b", "oneOf", "0", "properties", "c", "additionalProperties"]), "AbVariant0CValue");
        assert_eq!(at(&["paths", "/t", "post", "requestBody", "content", "application/json", "schema", "properties", "x"]), "CreateThingBodyX");
        assert_eq!(at(&["paths", "/t", "post", "responses", "201", "content", "application/json", "schema", "properties", "items"]), "CreateThingResponseItems");
    }

    fn list_op(id: &str, params: Value) -> Value {
        json!({"get": {"operationId": id, "parameters": params, "responses": {}}})
    }

    #[test]
    fn parameter_enums_shared_by_one_name_are_one_type_named_after_it() {
        let direction = || json!({"name": "direction", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"], "default": "desc"}});
        let states = || json!({"name": "states", "in": "query", "schema": {"type": "array", "items": {"type": "string", "enum": ["open", "closed"]}}});
        let doc = run(json!({
            "paths": {
                "/a": list_op("list-a", json!([direction(), states(), {"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["x", "y"]}}])),
                "/b": list_op("list-b", json!([direction(), states(), {"name": "only", "in": "query", "schema": {"type": "string", "enum": ["created"]}}])),
                "/c": list_op("list-c", json!([{"name": "order", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"], "default": "desc"}}])),
                "/d": list_op("list-d", json!([{"name": "only", "in": "query", "schema": {"type": "string", "enum": ["created"]}}]))
            },
            "components": {"schemas": {"Color": {"type": "string", "enum": ["x", "y"]}}}
        }));
        let param = |path: &str, i: usize| doc["paths"][path]["get"]["parameters"][i]["schema"].clone();
        let schemas = &doc["components"]["schemas"];
        // `direction` and `order` have one shape: named after the first, so
        // `order` shares the `Direction` type.
        assert_eq!(param("/a", 0), json!({"$ref": "#/components/schemas/Direction"}));
        assert_eq!(param("/b", 0), json!({"$ref": "#/components/schemas/Direction"}));
        assert_eq!(param("/c", 0), json!({"$ref": "#/components/schemas/Direction"}));
        assert_eq!(schemas["Direction"], json!({"type": "string", "enum": ["asc", "desc"], "default": "desc"}));
        // An array's item enum: `StatesItem`; the array stays inline.
        assert_eq!(param("/a", 1), json!({"type": "array", "items": {"$ref": "#/components/schemas/StatesItem"}}));
        assert_eq!(param("/b", 1)["items"], json!({"$ref": "#/components/schemas/StatesItem"}));
        // A parameter with a component's shape takes the component.
        assert_eq!(param("/a", 2), json!({"$ref": "#/components/schemas/Color"}));
        // A one-value enum is a tag and stays, even twice.
        assert_eq!(param("/b", 2), json!({"type": "string", "enum": ["created"]}));
        assert_eq!(param("/d", 0), json!({"type": "string", "enum": ["created"]}));
    }

    #[test]
    fn a_shared_parameter_name_that_is_taken_falls_back_to_the_first_place() {
        let sort = || json!({"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["created", "updated"]}});
        let doc = run(json!({
            "paths": {"/a": list_op("list-a", json!([sort()])), "/b": list_op("list-b", json!([sort()]))},
            "components": {"schemas": {"sort": {"type": "object", "properties": {"by": {"type": "string"}}}}}
        }));
        assert_eq!(doc["paths"]["/b"]["get"]["parameters"][0]["schema"], json!({"$ref": "#/components/schemas/ListASort"}));
        assert_eq!(doc["components"]["schemas"]["ListASort"]["enum"], json!(["created", "updated"]));
    }
}
