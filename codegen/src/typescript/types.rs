//! Schemas as TypeScript types.
//!
//! - objects: `{ name: T; optional?: T }` with wire names as keys; extra
//!   properties as an index signature of `unknown` (or of the
//!   `additionalProperties` type when there are no declared properties);
//! - nullable is `T | null`, apart from optional (`?`);
//! - `format: binary` strings are `Blob | string`: a file part of a
//!   multipart body takes a `Blob` (or `File`);
//! - enums: a union of literals plus `(string & {})` (or `(number & {})`),
//!   so a value the spec does not list yet still type-checks, while editors
//!   still offer the known ones;
//! - `oneOf` with a discriminator: a discriminated union, each member
//!   intersected with its tag (`(Circle & { type: "circle" })`), so
//!   `switch (shape.type)` narrows; other `oneOf`/`anyOf`: a union;
//!   `allOf`: an intersection.
//!
//! Arrays are `T[]` and maps index signatures, never `Array<T>` or
//! `Record<K, V>`: a component named `Array` or `Record` then cannot
//! shadow anything the generated code relies on.

use std::collections::BTreeMap;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use super::docs;
use super::names::{property_key, string_literal};
use crate::model::Api;

/// What rendering a type needs: the component schemas, their TypeScript
/// names, and how a component is referred to from the file being written.
pub struct TypeCx<'a> {
    /// The API (component schemas for `$ref` lookups).
    pub api: &'a Api,
    /// Component name → TypeScript name.
    pub names: &'a BTreeMap<String, String>,
    /// Prefix of component names (`""` in `types.ts`, `"$T."` elsewhere).
    pub prefix: &'a str,
}

impl TypeCx<'_> {
    /// The type of an optional schema (`unknown` when absent).
    pub fn of_opt(&self, schema: Option<&ReferenceOr<Schema>>, indent: &str) -> String {
        schema.map_or_else(|| "unknown".to_owned(), |s| self.of(s, indent))
    }

    /// The type of `schema`.
    pub fn of(&self, schema: &ReferenceOr<Schema>, indent: &str) -> String {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference),
            ReferenceOr::Item(s) => self.schema(s, indent),
        }
    }

    /// The type of a boxed schema (object properties, array items).
    pub fn of_boxed(&self, schema: &ReferenceOr<Box<Schema>>, indent: &str) -> String {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference),
            ReferenceOr::Item(s) => self.schema(s, indent),
        }
    }

    fn reference(&self, reference: &str) -> String {
        match crate::refs::component_schema_name(reference).and_then(|n| self.names.get(n)) {
            Some(name) => format!("{}{name}", self.prefix),
            None => "unknown".to_owned(),
        }
    }

    /// The component a reference names, resolved.
    pub fn resolve<'s>(&'s self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => {
                let name = crate::refs::component_schema_name(reference)?;
                self.api.schemas.get(name)?.as_item()
            }
        }
    }

    fn schema(&self, s: &Schema, indent: &str) -> String {
        let base = match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) if st.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary) && st.enumeration.is_empty() => "Blob | string".to_owned(),
            SchemaKind::Type(Type::String(st)) => {
                let values: Vec<String> = st.enumeration.iter().flatten().map(|v| string_literal(v)).collect();
                open_union(values, "string")
            }
            SchemaKind::Type(Type::Number(n)) => {
                let values: Vec<String> = n.enumeration.iter().flatten().map(|v| number_literal(*v)).collect();
                open_union(values, "number")
            }
            SchemaKind::Type(Type::Integer(n)) => {
                let values: Vec<String> = n.enumeration.iter().flatten().map(|v| v.to_string()).collect();
                open_union(values, "number")
            }
            SchemaKind::Type(Type::Boolean(_)) => "boolean".to_owned(),
            SchemaKind::Type(Type::Object(o)) => self.object(&o.properties, &o.required, o.additional_properties.as_ref(), indent),
            SchemaKind::Type(Type::Array(a)) => self.array(a.items.as_ref(), indent),
            SchemaKind::OneOf { one_of } => self.one_of(one_of, s.schema_data.discriminator.as_ref(), indent),
            SchemaKind::AnyOf { any_of } => self.union(any_of, indent),
            SchemaKind::AllOf { all_of } => {
                let parts: Vec<String> = all_of.iter().map(|p| self.of(p, indent)).collect();
                join_or(parts, " & ", "unknown")
            }
            SchemaKind::Not { .. } => "unknown".to_owned(),
            SchemaKind::Any(a) => self.any(a, s, indent),
        };
        if s.schema_data.nullable && base != "unknown" { format!("{base} | null") } else { base }
    }

    fn any(&self, a: &openapiv3::AnySchema, s: &Schema, indent: &str) -> String {
        if !a.enumeration.is_empty() {
            let values: Vec<String> = a.enumeration.iter().map(json_literal).collect();
            let kind = match a.typ.as_deref() {
                Some("string") => "string",
                Some("number" | "integer") => "number",
                _ if a.enumeration.len() == 1 => return values.join(""),
                _ => return values.join(" | "),
            };
            return open_union(values, kind);
        }
        if !a.one_of.is_empty() {
            return self.one_of(&a.one_of, s.schema_data.discriminator.as_ref(), indent);
        }
        if !a.any_of.is_empty() {
            return self.union(&a.any_of, indent);
        }
        if !a.all_of.is_empty() {
            let parts: Vec<String> = a.all_of.iter().map(|p| self.of(p, indent)).collect();
            return join_or(parts, " & ", "unknown");
        }
        match a.typ.as_deref() {
            Some("string") => "string".to_owned(),
            Some("number" | "integer") => "number".to_owned(),
            Some("boolean") => "boolean".to_owned(),
            Some("array") => self.array(a.items.as_ref(), indent),
            Some("object") => self.object(&a.properties, &a.required, a.additional_properties.as_ref(), indent),
            _ if !a.properties.is_empty() => self.object(&a.properties, &a.required, a.additional_properties.as_ref(), indent),
            _ if a.items.is_some() => self.array(a.items.as_ref(), indent),
            _ => "unknown".to_owned(),
        }
    }

    fn array(&self, items: Option<&ReferenceOr<Box<Schema>>>, indent: &str) -> String {
        match items {
            Some(item) => {
                let t = self.of_boxed(item, indent);
                if is_simple(&t) { format!("{t}[]") } else { format!("({t})[]") }
            }
            None => "unknown[]".to_owned(),
        }
    }

    fn union(&self, variants: &[ReferenceOr<Schema>], indent: &str) -> String {
        let mut parts: Vec<String> = Vec::new();
        for v in variants {
            let t = self.of(v, indent);
            if !parts.contains(&t) {
                parts.push(t);
            }
        }
        if parts.iter().any(|p| p == "unknown") {
            return "unknown".to_owned();
        }
        join_or(parts.into_iter().map(|p| if p.contains(" & ") { format!("({p})") } else { p }).collect(), " | ", "unknown")
    }

    fn one_of(&self, variants: &[ReferenceOr<Schema>], discriminator: Option<&openapiv3::Discriminator>, indent: &str) -> String {
        let Some(d) = discriminator else { return self.union(variants, indent) };
        let mut parts = Vec::new();
        for v in variants {
            let t = self.of(v, indent);
            let tags: Vec<String> = match v {
                ReferenceOr::Reference { reference } => {
                    let mapped: Vec<String> = d.mapping.iter().filter(|(_, target)| *target == reference).map(|(tag, _)| tag.clone()).collect();
                    if mapped.is_empty() {
                        crate::refs::component_schema_name(reference).map(|n| vec![n.to_owned()]).unwrap_or_default()
                    } else {
                        mapped
                    }
                }
                ReferenceOr::Item(_) => Vec::new(),
            };
            if tags.is_empty() {
                parts.push(t);
            } else {
                let tag_union = tags.iter().map(|t| string_literal(t)).collect::<Vec<_>>().join(" | ");
                parts.push(format!("({t} & {{ {}: {tag_union} }})", property_key(&d.property_name)));
            }
        }
        join_or(parts, " | ", "unknown")
    }

    fn object(&self, properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>, required: &[String], additional: Option<&AdditionalProperties>, indent: &str) -> String {
        let inner = format!("{indent}  ");
        let mut out = String::from("{\n");
        for (name, prop) in properties {
            let (description, deprecated) = match prop {
                ReferenceOr::Item(s) => (s.schema_data.description.as_deref(), s.schema_data.deprecated),
                ReferenceOr::Reference { .. } => (None, false),
            };
            let tags = if deprecated { vec!["@deprecated".to_owned()] } else { Vec::new() };
            out.push_str(&docs::jsdoc(&[description], &tags, &inner));
            let optional = if required.contains(name) { "" } else { "?" };
            out.push_str(&format!("{inner}{}{optional}: {};\n", property_key(name), self.of_boxed(prop, &inner)));
        }
        match additional {
            Some(AdditionalProperties::Schema(s)) if properties.is_empty() => {
                out.push_str(&format!("{inner}[key: string]: {};\n", self.of(s, &inner)));
            }
            Some(AdditionalProperties::Any(false)) if !properties.is_empty() => {}
            _ if properties.is_empty() => out.push_str(&format!("{inner}[key: string]: unknown;\n")),
            Some(_) => out.push_str(&format!("{inner}[key: string]: unknown;\n")),
            None => {}
        }
        out.push_str(indent);
        out.push('}');
        out
    }
}

fn open_union(values: Vec<String>, kind: &str) -> String {
    if values.is_empty() { kind.to_owned() } else { format!("{} | ({kind} & {{}})", values.join(" | ")) }
}

fn join_or(parts: Vec<String>, sep: &str, empty: &str) -> String {
    if parts.is_empty() { empty.to_owned() } else { parts.join(sep) }
}

fn is_simple(t: &str) -> bool {
    t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.' || c == '[' || c == ']')
}

fn number_literal(v: f64) -> String {
    if v.is_finite() { format!("{v}") } else { "number".to_owned() }
}

fn json_literal(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => string_literal(s),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Null => "null".to_owned(),
        _ => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(schemas: &str) -> Api {
        let spec = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}");
        crate::analyze("t.yaml", spec.as_bytes(), &mut crate::Report::default()).expect("spec").2
    }

    fn check(schemas: &str, name: &str, expect: &str) {
        let api = api(schemas);
        let names: BTreeMap<String, String> = api.schemas.keys().map(|k| (k.clone(), k.clone())).collect();
        let cx = TypeCx { api: &api, names: &names, prefix: "" };
        let got = cx.of(&api.schemas[name], "");
        assert_eq!(got, expect, "{name}");
    }

    #[test]
    fn scalars_and_enums() {
        check("    A: {type: string}\n", "A", "string");
        check("    A: {type: string, nullable: true}\n", "A", "string | null");
        check("    A: {type: string, enum: [a, b]}\n", "A", "\"a\" | \"b\" | (string & {})");
        check("    A: {type: integer, enum: [1, 2]}\n", "A", "1 | 2 | (number & {})");
        check("    A: {type: array, items: {type: string}}\n", "A", "string[]");
        check("    A: {type: array, items: {type: string, nullable: true}}\n", "A", "(string | null)[]");
        // A file: a Blob in a multipart body.
        check("    A: {type: array, items: {type: string, format: binary}}\n", "A", "(Blob | string)[]");
        check("    A: {type: string, format: byte}\n", "A", "string");
    }

    #[test]
    fn objects_and_unions() {
        check("    A: {type: object, required: [x], properties: {x: {type: string}, y-z: {type: number}}}\n", "A", "{\n  x: string;\n  \"y-z\"?: number;\n}");
        check("    A: {type: object, additionalProperties: {type: integer}}\n", "A", "{\n  [key: string]: number;\n}");
        check(
            "    A: {oneOf: [{$ref: '#/components/schemas/B'}], discriminator: {propertyName: kind, mapping: {b: '#/components/schemas/B'}}}\n    B: {type: object}\n",
            "A",
            "(B & { kind: \"b\" })",
        );
        check("    A: {anyOf: [{type: string}, {type: integer}]}\n", "A", "string | number");
        check("    A: {allOf: [{$ref: '#/components/schemas/B'}, {$ref: '#/components/schemas/B'}]}\n    B: {type: object}\n", "A", "B & B");
    }
}
