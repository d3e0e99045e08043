//! Schemas → Python types for `models.py`: `TypedDict`s for objects (class
//! syntax when every key is an identifier, the functional form otherwise),
//! aliases for everything else. Enums are `Literal[...] | str`, so a value
//! the spec does not list yet still type-checks and never crashes; inline
//! objects are hoisted into named `TypedDict`s (`<Parent><Property>`).
//!
//! An object is a `type: object` schema, an untyped one with `properties`,
//! or an `allOf` whose parts are all objects (parts carrying only
//! annotations, such as a `description`, are ignored): one `TypedDict` with
//! every part's keys, a later part's type winning for a key two parts
//! declare, and `required` joined. (Inheriting from each part's
//! `TypedDict` would be nominal and mypy refuses a key redeclared with a
//! narrower type, which allOf refinements do.) `format: binary` strings
//! are files: `bytes` or `(filename, bytes)` in a multipart body, and text
//! elsewhere.
//!
//! Type expressions name builtins and `typing` through module aliases
//! (`_b.str`, `_t.Optional[...]`), so no schema, property or method name can
//! shadow them.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ObjectType, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use super::names;
use super::text;
use crate::naming::Namer;
use crate::report::{Report, Severity};

/// One `TypedDict` key.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Field {
    /// The wire name (a valid identifier in class syntax).
    pub name: String,
    /// The wire name as a Python string literal.
    pub literal: String,
    /// Type expression, `Required[...]`/`NotRequired[...]` applied; in the
    /// functional form (evaluated at import) model names are quoted.
    pub ty: String,
    /// Description as `#` comment lines (empty when none).
    pub comment: String,
    /// The same, indented for the functional form.
    pub comment_nested: String,
}

/// One definition in `models.py`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Def {
    /// Python name.
    pub name: String,
    /// `typeddict` or `alias`.
    pub kind: &'static str,
    /// Class syntax (keys are identifiers) or the functional form.
    pub class_syntax: bool,
    /// Description as a docstring body.
    pub doc: String,
    /// Description as `#` comments (aliases and functional TypedDicts).
    pub comment: String,
    /// Keys (TypedDicts).
    pub fields: Vec<Field>,
    /// Right-hand side (aliases), with model names quoted.
    pub expr: String,
}

/// How a type expression names models.
#[derive(Debug, Clone, Copy)]
pub struct Style<'a> {
    /// `_m.` in resources, empty in models.
    pub prefix: &'a str,
    /// Quote model names (expressions evaluated at import time).
    pub quote: bool,
}

/// Every type of a package, filled while the rest is generated.
pub struct Models<'a> {
    schemas: &'a IndexMap<String, ReferenceOr<Schema>>,
    names: IndexMap<String, String>,
    namer: Namer,
    /// Definitions in output order.
    pub defs: Vec<Def>,
}

impl<'a> Models<'a> {
    /// Names every component schema (document order) and defines them.
    pub fn new(schemas: &'a IndexMap<String, ReferenceOr<Schema>>, report: &mut Report) -> Self {
        let mut namer = names::types();
        let names = schemas.keys().map(|k| (k.clone(), namer.name(k))).collect();
        let mut m = Models { schemas, names, namer, defs: Vec::new() };
        for (raw, schema) in schemas {
            let name = m.names[raw].clone();
            let pointer = crate::pointer::join(["components", "schemas", raw]);
            match schema {
                ReferenceOr::Item(s) => m.define(&name, s, &pointer, report),
                ReferenceOr::Reference { reference } => {
                    let expr = m.reference(reference, Style { prefix: "", quote: true });
                    m.defs.push(alias(&name, None, expr));
                }
            }
        }
        m
    }

    /// The Python name of a component schema.
    pub fn component(&self, raw: &str) -> Option<&str> {
        self.names.get(raw).map(String::as_str)
    }

    /// The schema a `$ref` names, through components that are themselves
    /// `$ref`s (at most 8, so a loop of them ends).
    pub fn resolve<'s>(&'s self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
        let mut at = schema;
        for _ in 0..8 {
            match at {
                ReferenceOr::Item(s) => return Some(s),
                ReferenceOr::Reference { reference } => at = self.schemas.get(crate::refs::component_schema_name(reference)?)?,
            }
        }
        None
    }

    /// The object `s` describes (see the module doc), `None` when it is
    /// not one, or when reading it takes more than `OBJECT_VIEW_FUEL`
    /// `allOf` parts (a hostile spec's `allOf`s of `allOf`s would
    /// otherwise grow exponentially; real ones take a few dozen).
    fn object_view(&self, s: &Schema) -> Option<ObjectType> {
        let mut fuel = OBJECT_VIEW_FUEL;
        self.object_view_within(s, 0, &mut fuel)
    }

    /// [`Self::object_view`] at `depth` (which bounds `allOf`s that reach
    /// themselves), spending `fuel` per part.
    fn object_view_within(&self, s: &Schema, depth: usize, fuel: &mut usize) -> Option<ObjectType> {
        match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => Some(o.clone()),
            SchemaKind::Any(a) if a.typ.as_deref().is_none_or(|t| t == "object") && !a.properties.is_empty() && a.one_of.is_empty() && a.any_of.is_empty() && a.all_of.is_empty() => {
                Some(ObjectType { properties: a.properties.clone(), required: a.required.clone(), ..ObjectType::default() })
            }
            SchemaKind::AllOf { all_of } if depth < 8 => {
                let mut merged = ObjectType::default();
                for part in all_of {
                    *fuel = fuel.checked_sub(1)?;
                    let part = self.resolve(part)?;
                    if annotation_only(part) {
                        continue;
                    }
                    let o = self.object_view_within(part, depth + 1, fuel)?;
                    merged.properties.extend(o.properties);
                    for r in o.required {
                        if !merged.required.contains(&r) {
                            merged.required.push(r);
                        }
                    }
                }
                Some(merged)
            }
            _ => None,
        }
    }

    /// The one part of an `allOf` that is not [`annotation_only`], with its index.
    fn single_part<'s>(&self, all_of: &'s [ReferenceOr<Schema>]) -> Option<(usize, &'s ReferenceOr<Schema>)> {
        let mut parts = all_of.iter().enumerate().filter(|(_, p)| !self.resolve(p).is_some_and(annotation_only));
        match (parts.next(), parts.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }

    fn define(&mut self, name: &str, s: &Schema, pointer: &str, report: &mut Report) {
        let desc = s.schema_data.description.as_deref().unwrap_or_default();
        let object = match &s.schema_kind {
            // One part (besides annotations): an alias of it.
            SchemaKind::AllOf { all_of } if self.single_part(all_of).is_some() => None,
            _ => self.object_view(s).filter(|o| !o.properties.is_empty()),
        };
        if let Some(obj) = &object {
            let class_syntax = obj.properties.keys().all(|k| names::is_identifier(k) && !k.starts_with('_'));
            let mut fields = Vec::new();
            for (key, prop) in &obj.properties {
                let prop = match prop {
                    ReferenceOr::Item(b) => ReferenceOr::Item((**b).clone()),
                    ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference: reference.clone() },
                };
                let hint = format!("{name}{}", crate::naming::Case::Pascal.apply(key));
                let ptr = crate::pointer::append(pointer, ["properties", key]);
                let style = Style { prefix: "", quote: !class_syntax };
                let inner = self.expr_hinted(&prop, style, &hint, &ptr, report);
                let required = obj.required.contains(key);
                let ty = if required { format!("_t.Required[{inner}]") } else { format!("_t.NotRequired[{inner}]") };
                let pdesc = self.resolve(&prop).and_then(|p| p.schema_data.description.clone()).unwrap_or_default();
                fields.push(Field {
                    name: key.clone(),
                    literal: text::string(key),
                    ty,
                    comment: text::comment(&pdesc, "    "),
                    comment_nested: text::comment(&pdesc, "        "),
                });
            }
            self.defs.push(Def {
                name: name.to_owned(),
                kind: "typeddict",
                class_syntax,
                doc: text::docstring(desc, "    "),
                comment: text::comment(desc, ""),
                fields,
                expr: String::new(),
            });
            return;
        }
        let expr = self.expr_top(s, Style { prefix: "", quote: true }, name, pointer, report);
        self.defs.push(alias(name, Some(desc), expr));
    }

    fn reference(&self, reference: &str, style: Style<'_>) -> String {
        match crate::refs::component_schema_name(reference).and_then(|n| self.names.get(n)) {
            Some(name) if style.quote => format!("\"{}{name}\"", style.prefix),
            Some(name) => format!("{}{name}", style.prefix),
            None => "_t.Any".to_owned(),
        }
    }

    /// The type of `schema`; an inline object with properties becomes a
    /// new `TypedDict` named `hint`.
    pub fn expr_hinted(&mut self, schema: &ReferenceOr<Schema>, style: Style<'_>, hint: &str, pointer: &str, report: &mut Report) -> String {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, style),
            ReferenceOr::Item(s) => self.expr_top(s, style, hint, pointer, report),
        }
    }

    fn expr_top(&mut self, s: &Schema, style: Style<'_>, hint: &str, pointer: &str, report: &mut Report) -> String {
        let base = self.expr_kind(s, style, hint, pointer, report);
        if s.schema_data.nullable && base != "_t.Any" { format!("_t.Optional[{base}]") } else { base }
    }

    fn expr_kind(&mut self, s: &Schema, style: Style<'_>, hint: &str, pointer: &str, report: &mut Report) -> String {
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) if st.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary) && st.enumeration.is_empty() => {
                "_t.Union[_b.bytes, _b.tuple[_b.str, _b.bytes], _b.str]".to_owned()
            }
            SchemaKind::Type(Type::String(st)) => {
                let values: Vec<String> = st.enumeration.iter().flatten().map(|v| text::string(v)).collect();
                literal_or(values, "_b.str")
            }
            SchemaKind::Type(Type::Integer(it)) => {
                let values: Vec<String> = it.enumeration.iter().flatten().map(|v| v.to_string()).collect();
                literal_or(values, "_b.int")
            }
            SchemaKind::Type(Type::Number(_)) => "_b.float".to_owned(),
            SchemaKind::Type(Type::Boolean(_)) => "_b.bool".to_owned(),
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => {
                    let items = match items {
                        ReferenceOr::Item(b) => ReferenceOr::Item((**b).clone()),
                        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference: reference.clone() },
                    };
                    let inner = self.expr_hinted(&items, style, &format!("{hint}Item"), &crate::pointer::append(pointer, ["items"]), report);
                    format!("_b.list[{inner}]")
                }
                None => "_b.list[_t.Any]".to_owned(),
            },
            SchemaKind::Type(Type::Object(obj)) => {
                if !obj.properties.is_empty() {
                    let name = self.namer.fresh(hint);
                    self.define(&name, s, pointer, report);
                    return if style.quote { format!("\"{}{name}\"", style.prefix) } else { format!("{}{name}", style.prefix) };
                }
                match &obj.additional_properties {
                    Some(AdditionalProperties::Schema(v)) => {
                        let inner = self.expr_hinted(v, style, &format!("{hint}Value"), &crate::pointer::append(pointer, ["additionalProperties"]), report);
                        format!("_b.dict[_b.str, {inner}]")
                    }
                    _ => "_b.dict[_b.str, _t.Any]".to_owned(),
                }
            }
            SchemaKind::OneOf { one_of } => self.union(one_of, style, hint, &crate::pointer::append(pointer, ["oneOf"]), report),
            SchemaKind::AnyOf { any_of } => self.union(any_of, style, hint, &crate::pointer::append(pointer, ["anyOf"]), report),
            SchemaKind::AllOf { all_of } if self.single_part(all_of).is_some() => {
                let (i, part) = self.single_part(all_of).unwrap_or((0, &all_of[0]));
                self.expr_hinted(part, style, hint, &crate::pointer::append(pointer, ["allOf", i.to_string().as_str()]), report)
            }
            SchemaKind::AllOf { .. } | SchemaKind::Any(_) if self.object_view(s).is_some_and(|o| !o.properties.is_empty()) => {
                let name = self.namer.fresh(hint);
                self.define(&name, s, pointer, report);
                if style.quote { format!("\"{}{name}\"", style.prefix) } else { format!("{}{name}", style.prefix) }
            }
            SchemaKind::AllOf { .. } => {
                if self.object_view(s).is_none() {
                    report.add(Severity::Degraded, pointer, "Python: allOf whose parts are not all objects (or too many to read) is typed as a plain dict");
                }
                "_b.dict[_b.str, _t.Any]".to_owned()
            }
            SchemaKind::Any(a) => self.any(a, style, hint, pointer, report),
            SchemaKind::Not { .. } => "_t.Any".to_owned(),
        }
    }

    /// A schema openapiv3 could not file under one type (a `type` with a
    /// keyword of another, such as an array with `required`, or no `type`):
    /// read by its `oneOf`/`anyOf`, `enum`, `type` or `items`. Objects were
    /// taken before (see `object_view`).
    fn any(&mut self, a: &openapiv3::AnySchema, style: Style<'_>, hint: &str, pointer: &str, report: &mut Report) -> String {
        if !a.one_of.is_empty() {
            return self.union(&a.one_of, style, hint, &crate::pointer::append(pointer, ["oneOf"]), report);
        }
        if !a.any_of.is_empty() {
            return self.union(&a.any_of, style, hint, &crate::pointer::append(pointer, ["anyOf"]), report);
        }
        let items = || a.items.as_ref().map(|i| match i {
            ReferenceOr::Item(b) => ReferenceOr::Item((**b).clone()),
            ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference: reference.clone() },
        });
        match a.typ.as_deref() {
            Some("string") => literal_or(a.enumeration.iter().filter_map(|v| v.as_str()).map(text::string).collect(), "_b.str"),
            Some("integer") => literal_or(a.enumeration.iter().filter_map(|v| v.as_i64()).map(|v| v.to_string()).collect(), "_b.int"),
            Some("number") => "_b.float".to_owned(),
            Some("boolean") => "_b.bool".to_owned(),
            Some("array") | None if a.items.is_some() => match items() {
                Some(i) => format!("_b.list[{}]", self.expr_hinted(&i, style, &format!("{hint}Item"), &crate::pointer::append(pointer, ["items"]), report)),
                None => "_b.list[_t.Any]".to_owned(),
            },
            Some("array") => "_b.list[_t.Any]".to_owned(),
            Some("object") => "_b.dict[_b.str, _t.Any]".to_owned(),
            _ => "_t.Any".to_owned(),
        }
    }

    /// The union of `variants` (`pointer` is the `oneOf` or `anyOf` array).
    fn union(&mut self, variants: &[ReferenceOr<Schema>], style: Style<'_>, hint: &str, pointer: &str, report: &mut Report) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (i, v) in variants.iter().enumerate() {
            let p = self.expr_hinted(v, style, &format!("{hint}{}", i + 1), &crate::pointer::append(pointer, [i.to_string().as_str()]), report);
            if !parts.contains(&p) {
                parts.push(p);
            }
        }
        match parts.len() {
            0 => "_t.Any".to_owned(),
            1 => parts.remove(0),
            _ if parts.iter().any(|p| p == "_t.Any") => "_t.Any".to_owned(),
            _ => format!("_t.Union[{}]", parts.join(", ")),
        }
    }
}

/// How many `allOf` parts one [`Models::object_view`] may read.
const OBJECT_VIEW_FUEL: usize = 4096;

/// A schema that only annotates (a `description`, `nullable`, a
/// constraint): an `allOf` part that adds no structure.
fn annotation_only(s: &Schema) -> bool {
    matches!(&s.schema_kind, SchemaKind::Any(a) if a.typ.is_none() && a.properties.is_empty() && a.items.is_none() && a.enumeration.is_empty()
        && a.one_of.is_empty() && a.all_of.is_empty() && a.any_of.is_empty() && a.not.is_none() && a.additional_properties.is_none())
}

fn literal_or(values: Vec<String>, base: &str) -> String {
    if values.is_empty() { base.to_owned() } else { format!("_t.Union[_t.Literal[{}], {base}]", values.join(", ")) }
}

fn alias(name: &str, desc: Option<&str>, expr: String) -> Def {
    let desc = desc.unwrap_or_default();
    Def {
        name: name.to_owned(),
        kind: "alias",
        class_syntax: false,
        doc: text::docstring(desc, ""),
        comment: text::comment(desc, ""),
        fields: Vec::new(),
        expr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(yaml: &str, expect: &str) {
        let schema: Schema = serde_norway::from_str(yaml).unwrap();
        let schemas = IndexMap::new();
        let mut report = Report::default();
        let mut m = Models::new(&schemas, &mut report);
        let got = m.expr_hinted(&ReferenceOr::Item(schema), Style { prefix: "_m.", quote: false }, "Hint", "#", &mut report);
        assert_eq!(got, expect, "{yaml}");
    }

    #[test]
    fn expressions() {
        check("type: string", "_b.str");
        check("{type: string, enum: [a, '\"']}", r#"_t.Union[_t.Literal["a", "\""], _b.str]"#);
        check("{type: integer, nullable: true}", "_t.Optional[_b.int]");
        check("{type: array, items: {type: number}}", "_b.list[_b.float]");
        check("{type: array, items: {$ref: '#/components/schemas/Nope'}}", "_b.list[_t.Any]");
        check("{type: object, additionalProperties: {type: boolean}}", "_b.dict[_b.str, _b.bool]");
        check("{type: object}", "_b.dict[_b.str, _t.Any]");
        check("{type: object, properties: {a: {type: string}}}", "_m.Hint");
        check("{oneOf: [{type: string}, {type: string}, {type: integer}]}", "_t.Union[_b.str, _b.int]");
        check("{}", "_t.Any");
        // Types openapiv3 leaves untyped: a keyword of another type, or no `type`.
        check("{type: array, required: [a], items: {type: integer}}", "_b.list[_b.int]");
        check("{items: {type: string}}", "_b.list[_b.str]");
        check("{type: string, minimum: 1, enum: [a]}", "_t.Union[_t.Literal[\"a\"], _b.str]");
        check("{nullable: true, type: integer, properties: {}}", "_t.Optional[_b.int]");
        check("{type: object, items: {}, oneOf: [{type: string}, {type: boolean}]}", "_t.Union[_b.str, _b.bool]");
        check("{description: only words}", "_t.Any");
        check("{type: string, format: binary}", "_t.Union[_b.bytes, _b.tuple[_b.str, _b.bytes], _b.str]");
        check("{type: string, format: byte}", "_b.str");
        check("{properties: {a: {type: string}}}", "_m.Hint");
        check("{allOf: [{type: string}, {description: text}]}", "_b.str");
        check("{allOf: [{type: string}, {type: integer}]}", "_b.dict[_b.str, _t.Any]");
    }

    /// The models of `schemas` (YAML, a `components/schemas` map), as
    /// `name: key type, ...` lines for TypedDicts and `name = expr` for aliases.
    fn models(schemas: &str) -> (Vec<String>, Report) {
        let schemas: IndexMap<String, ReferenceOr<Schema>> = serde_norway::from_str(schemas).unwrap();
        let mut report = Report::default();
        let m = Models::new(&schemas, &mut report);
        let lines = m
            .defs
            .iter()
            .map(|d| match d.kind {
                "typeddict" => format!("{}: {}", d.name, d.fields.iter().map(|f| format!("{} {}", f.name, f.ty)).collect::<Vec<_>>().join(", ")),
                _ => format!("{} = {}", d.name, d.expr),
            })
            .collect();
        (lines, report)
    }

    #[test]
    fn all_of_objects_merge_into_one_typed_dict() {
        let (defs, report) = models(
            "Base: {type: object, required: [id], properties: {id: {type: string}, kind: {type: string}}}\n\
             Dog: {description: A dog, allOf: [{$ref: '#/components/schemas/Base'}, {description: only words}, {properties: {kind: {type: string, enum: [dog]}, barks: {type: boolean}}, required: [barks]}]}\n\
             Puppy: {allOf: [{$ref: '#/components/schemas/Dog'}, {type: object, properties: {age: {type: integer}}}]}\n\
             Alias: {allOf: [{$ref: '#/components/schemas/Base'}]}\n\
             Renamed: {$ref: '#/components/schemas/Base'}\n\
             Extended: {allOf: [{$ref: '#/components/schemas/Renamed'}, {properties: {x: {type: number}}}]}\n\
             Mixed: {allOf: [{$ref: '#/components/schemas/Base'}, {type: string}]}\n",
        );
        assert_eq!(
            defs,
            [
                "Base: id _t.Required[_b.str], kind _t.NotRequired[_b.str]",
                // The later part's `kind` wins; `required` is joined.
                "Dog: id _t.Required[_b.str], kind _t.NotRequired[_t.Union[_t.Literal[\"dog\"], _b.str]], barks _t.Required[_b.bool]",
                "Puppy: id _t.Required[_b.str], kind _t.NotRequired[_t.Union[_t.Literal[\"dog\"], _b.str]], barks _t.Required[_b.bool], age _t.NotRequired[_b.int]",
                "Alias = \"Base\"",
                // Through a component that is a `$ref`.
                "Renamed = \"Base\"",
                "Extended: id _t.Required[_b.str], kind _t.NotRequired[_b.str], x _t.NotRequired[_b.float]",
                "Mixed = _b.dict[_b.str, _t.Any]",
            ]
        );
        let notes: Vec<&str> = report.notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(notes, ["#/components/schemas/Mixed"]);
    }

    #[test]
    fn all_of_that_grows_exponentially_stops() {
        // Each level names the next 20 times: 20^6 parts if read in full.
        let mut yaml = String::new();
        for level in 0..6 {
            let parts = vec![format!("{{$ref: '#/components/schemas/L{}'}}", level + 1); 20].join(", ");
            yaml.push_str(&format!("L{level}: {{allOf: [{parts}]}}\n"));
        }
        yaml.push_str("L6: {type: object, properties: {x: {type: string}}}\n");
        let (defs, _) = models(&yaml);
        // The deep levels are read in full; the top ones run out of fuel.
        assert_eq!(defs[0], "L0 = _b.dict[_b.str, _t.Any]");
        assert_eq!(defs[5], "L5: x _t.NotRequired[_b.str]");
    }

    #[test]
    fn all_of_that_reaches_itself_ends() {
        let (defs, _) = models("A: {allOf: [{$ref: '#/components/schemas/B'}, {properties: {a: {type: string}}}]}\nB: {allOf: [{$ref: '#/components/schemas/A'}, {properties: {b: {type: string}}}]}\n");
        assert_eq!(defs, ["A = _b.dict[_b.str, _t.Any]", "B = _b.dict[_b.str, _t.Any]"]);
    }
}
