//! Schemas → Python types for `models.py`: `TypedDict`s for objects (class
//! syntax when every key is an identifier, the functional form otherwise),
//! aliases for everything else. Enums are `Literal[...] | str`, so a value
//! the spec does not list yet still type-checks and never crashes; inline
//! objects are hoisted into named `TypedDict`s (`<Parent><Property>`).
//!
//! Type expressions name builtins and `typing` through module aliases
//! (`_b.str`, `_t.Optional[...]`), so no schema, property or method name can
//! shadow them.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

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

    /// The schema a `$ref` names (one level).
    pub fn resolve<'s>(&'s self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => {
                let name = crate::refs::component_schema_name(reference)?;
                self.schemas.get(name)?.as_item()
            }
        }
    }

    fn define(&mut self, name: &str, s: &Schema, pointer: &str, report: &mut Report) {
        let desc = s.schema_data.description.as_deref().unwrap_or_default();
        if let SchemaKind::Type(Type::Object(obj)) = &s.schema_kind
            && !obj.properties.is_empty()
        {
            let class_syntax = obj.properties.keys().all(|k| names::is_identifier(k) && !k.starts_with('_'));
            let mut fields = Vec::new();
            for (key, prop) in &obj.properties {
                let prop = match prop {
                    ReferenceOr::Item(b) => ReferenceOr::Item((**b).clone()),
                    ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference: reference.clone() },
                };
                let hint = format!("{name}{}", crate::naming::Case::Pascal.apply(key));
                let ptr = crate::pointer::join([pointer, "properties", key]);
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
                    let inner = self.expr_hinted(&items, style, &format!("{hint}Item"), &crate::pointer::join([pointer, "items"]), report);
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
                        let inner = self.expr_hinted(v, style, &format!("{hint}Value"), &crate::pointer::join([pointer, "additionalProperties"]), report);
                        format!("_b.dict[_b.str, {inner}]")
                    }
                    _ => "_b.dict[_b.str, _t.Any]".to_owned(),
                }
            }
            SchemaKind::OneOf { one_of: v } | SchemaKind::AnyOf { any_of: v } => self.union(v, style, hint, pointer, report),
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => self.expr_hinted(&all_of[0], style, hint, &crate::pointer::join([pointer, "allOf", "0"]), report),
            SchemaKind::AllOf { .. } => {
                report.add(Severity::Degraded, pointer, "Python: allOf of several schemas is typed as a plain dict");
                "_b.dict[_b.str, _t.Any]".to_owned()
            }
            SchemaKind::Not { .. } | SchemaKind::Any(_) => "_t.Any".to_owned(),
        }
    }

    fn union(&mut self, variants: &[ReferenceOr<Schema>], style: Style<'_>, hint: &str, pointer: &str, report: &mut Report) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (i, v) in variants.iter().enumerate() {
            let p = self.expr_hinted(v, style, &format!("{hint}{}", i + 1), &crate::pointer::join([pointer, "oneOf", &i.to_string()]), report);
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
    }
}
