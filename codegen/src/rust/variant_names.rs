//! Variants of untagged enums named after what they hold.
//!
//! typify names an untagged enum's variants after its branches' `$ref`s
//! or types, and falls back to `Variant0`, `Variant1`… when two would get
//! one name (an enum of strings beside a plain string: both `String`).
//! Open enums (OpenAI's `size: anyOf: [string, enum]`) and Stripe's "or
//! empty to unset" (`anyOf: [string, enum: [""]]`) are all of that kind,
//! and `CreateImageRequestSize::Variant1("1536x864".into())` says nothing.
//!
//! Each variant is named after the kind of value it holds: `Known` (an
//! enum of strings), `Empty` (the enum whose one value is `""`), `String`,
//! `Integer`, `Number`, `Boolean`, `Array`, `DateTime`, `Date`,
//! `Uuid`, `Value` (untyped), `Object` (also a union of objects), or the
//! name of a type of its own; where two would be `Array`,
//! arrays are named after their items (`StarredList`); where two would be
//! `Object`, objects are named after the value of a one-value field they
//! all have (OpenAI's `type: enum: [response.audio.delta]` →
//! `ResponseAudioDelta`), and failing that after a key each requires and
//! no other variant does (GitHub's pages settings: `Source`, `BuildType`,
//! `HttpsEnforced`). When every variant gets a name and no two the
//! same, the variants are renamed, and so are the types typify named after
//! them (`<Enum>Variant0` → `<Enum>Known`, `<Enum>Variant0Type` →
//! `<Enum>KnownType`, `<Enum>Variant1BuildType` → `<Enum>BuildType`) when
//! the new name is free. Otherwise the enum is left as typify made it.

use std::collections::{HashMap, HashSet};

use heck::ToPascalCase;

use super::features::type_ident;
use super::open_enums::boxed;
use super::post::Serde;
use super::variant_case::VariantRenames;
use syn::{Fields, Item, Type};

/// Renames the `VariantN` variants of the enums in `items` (their
/// definitions); returns them and the types named after them, for
/// `variant_case::rename_paths` to rename everywhere.
pub fn fix(items: &mut [Item]) -> (VariantRenames, HashMap<String, String>) {
    let mut shapes = HashMap::new();
    collect(items, &mut shapes);
    let mut variants = VariantRenames::new();
    let mut names: Vec<&String> = shapes.keys().collect();
    names.sort();
    for name in names {
        let Shape::Data { payloads, numbered: true } = &shapes[name] else { continue };
        let distinct = |k: Vec<String>| (k.iter().collect::<HashSet<_>>().len() == k.len()).then_some(k);
        // Coarse kinds first (`Array`); where two are one, finer ones
        // (`StarredList`); for objects, the value of a tag they share.
        let by_kind = |fine| {
            payloads
                .iter()
                .map(|p| match p {
                    Payload::One(p) => kind(p, &shapes, name, fine),
                    Payload::Fields(_) => Some("Object".to_owned()),
                })
                .collect::<Option<Vec<String>>>()
                .and_then(distinct)
        };
        let Some(kinds) = by_kind(false)
            .or_else(|| by_kind(true))
            .or_else(|| tags(payloads, &shapes).and_then(distinct))
            .or_else(|| required_keys(payloads, &shapes, name).and_then(distinct))
        else {
            continue;
        };
        variants.insert(name.clone(), kinds.into_iter().enumerate().map(|(i, k)| (format!("Variant{i}"), k)).collect());
    }
    if variants.is_empty() {
        return (variants, HashMap::new());
    }
    let types = type_renames(&shapes, &variants);
    rename_variants(items, &variants);
    (variants, types)
}

/// The types typify named after a renamed variant (`<Enum>Variant0`,
/// `<Enum>Variant0Type`), each to its name after the variant's new one
/// (`<Enum>Known`), when that name is free.
fn type_renames(shapes: &HashMap<String, Shape<'_>>, variants: &VariantRenames) -> HashMap<String, String> {
    let mut taken: HashSet<String> = shapes.keys().cloned().collect();
    let mut old: Vec<&String> = shapes.keys().collect();
    old.sort();
    let mut types = HashMap::new();
    for name in old {
        let mut new = String::new();
        let mut cursor = 0;
        // Each `Variant<digits>` followed by the end or a capital letter
        // whose prefix is a renamed enum.
        for (at, _) in name.match_indices("Variant") {
            let digits = name[at + 7..].bytes().take_while(u8::is_ascii_digit).count();
            let end = at + 7 + digits;
            if digits == 0 || !(end == name.len() || name[end..].starts_with(|c: char| c.is_ascii_uppercase())) {
                continue;
            }
            if let Some(k) = variants.get(&name[..at]).and_then(|m| m.get(&name[at..end])) {
                new.push_str(&name[cursor..at]);
                new.push_str(k);
                cursor = end;
                // A field's type in a variant named after that field
                // (`<Enum>Variant1BuildType`): `<Enum>BuildType`, not
                // `<Enum>BuildTypeBuildType`.
                let rest = &name[end..];
                if rest.strip_prefix(k.as_str()).is_some_and(|after| after.is_empty() || after.starts_with(|c: char| c.is_ascii_uppercase())) {
                    cursor += k.len();
                }
            }
        }
        if cursor == 0 {
            continue;
        }
        new.push_str(&name[cursor..]);
        if taken.insert(new.clone()) {
            types.insert(name.clone(), new);
        }
    }
    types
}

/// What [`kind`] needs to know of a type defined in the crate, borrowed
/// from its definition (GitHub's types are many: nothing is copied).
enum Shape<'a> {
    /// An enum of unit variants; the variant if there is one only.
    Units(Option<&'a syn::Variant>),
    /// An enum whose variants all hold data; `numbered`: untagged, with
    /// variants `Variant0`, `Variant1`…
    Data { payloads: Vec<Payload<'a>>, numbered: bool },
    /// A newtype (`struct S(T)`).
    Newtype(&'a Type),
    /// A struct with named fields.
    Struct(&'a syn::FieldsNamed),
    /// Anything else.
    Other,
}

/// What a variant of an enum holds.
enum Payload<'a> {
    /// One value (`V(T)`).
    One(&'a Type),
    /// Fields (`V { a: A }`).
    Fields(&'a syn::FieldsNamed),
}

fn collect<'a>(items: &'a [Item], shapes: &mut HashMap<String, Shape<'a>>) {
    for item in items {
        match item {
            Item::Enum(e) => {
                shapes.insert(e.ident.to_string(), enum_shape(e));
            }
            Item::Struct(s) => {
                let shape = match &s.fields {
                    Fields::Named(f) => Shape::Struct(f),
                    Fields::Unnamed(f) if f.unnamed.len() == 1 => Shape::Newtype(&f.unnamed[0].ty),
                    _ => Shape::Other,
                };
                shapes.insert(s.ident.to_string(), shape);
            }
            Item::Type(t) => {
                shapes.insert(t.ident.to_string(), Shape::Other);
            }
            // The `builder` module's structs share the types' names;
            // the types' own shapes are the ones wanted.
            Item::Mod(m) if m.ident != "builder" => {
                if let Some((_, inner)) = &m.content {
                    collect(inner, shapes);
                }
            }
            _ => {}
        }
    }
}

fn enum_shape(e: &syn::ItemEnum) -> Shape<'_> {
    if e.variants.is_empty() {
        return Shape::Other;
    }
    if e.variants.iter().all(|v| matches!(v.fields, Fields::Unit)) {
        return Shape::Units(if e.variants.len() == 1 { e.variants.first() } else { None });
    }
    let payloads: Option<Vec<Payload<'_>>> = e
        .variants
        .iter()
        .map(|v| match &v.fields {
            Fields::Unnamed(f) if f.unnamed.len() == 1 => Some(Payload::One(&f.unnamed[0].ty)),
            Fields::Named(f) => Some(Payload::Fields(f)),
            _ => None,
        })
        .collect();
    let Some(payloads) = payloads else { return Shape::Other };
    let numbered = payloads.len() > 1
        && Serde::of(&e.attrs).untagged
        && e.variants.iter().enumerate().all(|(i, v)| v.ident == format!("Variant{i}"));
    Shape::Data { payloads, numbered }
}

/// The wire text of a unit variant: its `#[serde(rename = "..")]`, or its
/// name.
fn wire_value(v: &syn::Variant) -> String {
    Serde::of(&v.attrs).rename.unwrap_or_else(|| v.ident.to_string())
}

/// Each payload named after the value of a tag they all have: a field of
/// the same name whose type is an enum of one value (OpenAI's `type:
/// enum: [response.audio.delta]` → `ResponseAudioDelta`).
fn tags(payloads: &[Payload<'_>], shapes: &HashMap<String, Shape<'_>>) -> Option<Vec<String>> {
    let field_sets: Vec<&syn::FieldsNamed> = payloads.iter().map(|p| fields_of(p, shapes, false)).collect::<Option<_>>()?;
    let tag_of = |fields: &syn::FieldsNamed, field: &syn::Ident| -> Option<String> {
        let ty = &fields.named.iter().find(|f| f.ident.as_ref() == Some(field))?.ty;
        match shapes.get(&type_ident(ty)?)? {
            Shape::Units(Some(one)) => Some(wire_value(one)),
            _ => None,
        }
    };
    field_sets[0].named.iter().filter_map(|f| f.ident.as_ref()).find_map(|field| {
        field_sets
            .iter()
            .map(|fields| tag_of(fields, field).map(|v| v.to_pascal_case()).filter(|v| syn::parse_str::<syn::Ident>(v).is_ok()))
            .collect()
    })
}

/// Objects named after a key each requires and no other variant does
/// (GitHub's ruleset conditions: `repository_name`, `repository_id`,
/// `repository_property` → `RepositoryName`, `RepositoryId`,
/// `RepositoryProperty`); a key no other variant has at all is preferred
/// to one that others have but do not require. Payloads that are not
/// objects are named after their kind, as in [`kind`].
fn required_keys(payloads: &[Payload<'_>], shapes: &HashMap<String, Shape<'_>>, owner: &str) -> Option<Vec<String>> {
    let fields: Vec<Option<&syn::FieldsNamed>> = payloads.iter().map(|p| fields_of(p, shapes, true)).collect();
    if fields.iter().filter(|f| f.is_some()).count() < 2 {
        return None;
    }
    // Each object's keys on the wire, and whether it requires each.
    let keys: Vec<Vec<(String, bool)>> = fields
        .iter()
        .map(|f| {
            f.map(|f| {
                f.named
                    .iter()
                    .filter_map(|f| {
                        let serde = Serde::of(&f.attrs);
                        let required = is_required(&f.ty, &serde);
                        Some((serde.rename.or_else(|| Some(f.ident.as_ref()?.to_string()))?, required))
                    })
                    .collect()
            })
            .unwrap_or_default()
        })
        .collect();
    payloads
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if fields[i].is_none() {
                return kind(one_type(p)?, shapes, owner, false);
            }
            let others = || keys.iter().enumerate().filter(move |(j, _)| *j != i).flat_map(|(_, k)| k);
            let own = keys[i].iter().filter(|(_, required)| *required).map(|(k, _)| k);
            let unique = own.clone().find(|k| others().all(|(o, _)| o != *k));
            let key = unique.or_else(|| own.clone().find(|k| others().all(|(o, required)| o != *k || !required)))?;
            Some(key.to_pascal_case()).filter(|v| syn::parse_str::<syn::Ident>(v).is_ok())
        })
        .collect()
}

/// The fields of an object payload: its own, or its struct's (through a
/// `Box`, and through `Option` when `nullable`, for a nullable branch).
fn fields_of<'a>(p: &Payload<'a>, shapes: &HashMap<String, Shape<'a>>, nullable: bool) -> Option<&'a syn::FieldsNamed> {
    match p {
        Payload::Fields(f) => Some(*f),
        Payload::One(t) => {
            let t = if nullable && type_ident(t).as_deref() == Some("Option") { type_argument(t)? } else { t };
            match shapes.get(&boxed(t)?)? {
                Shape::Struct(f) => Some(*f),
                _ => None,
            }
        }
    }
}

fn one_type<'a>(p: &Payload<'a>) -> Option<&'a Type> {
    match p {
        Payload::One(t) => Some(*t),
        Payload::Fields(_) => None,
    }
}

/// Whether a field's key must be present when read: no `#[serde(default)]`,
/// not flattened (its keys are its type's), and not an `Option` that
/// serde would fill with `None` (a nullable required key is read with
/// `deserialize_with`, and must be present).
pub(super) fn is_required(ty: &Type, serde: &Serde) -> bool {
    serde.default.is_none() && !serde.flatten && (type_ident(ty).as_deref() != Some("Option") || serde.deserialize_with)
}

/// The name of the kind of value `ty` holds, as a variant of `owner`;
/// `fine`: arrays named after their items (`StarredList`).
fn kind(ty: &Type, shapes: &HashMap<String, Shape<'_>>, owner: &str, fine: bool) -> Option<String> {
    let name = type_ident(ty)?;
    if fine && name == "Vec" {
        return Some(format!("{}List", kind(type_argument(ty)?, shapes, owner, false)?));
    }
    if name == "Option" {
        return kind(type_argument(ty)?, shapes, owner, fine);
    }
    let plain = match name.as_str() {
        "String" => "String",
        "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" => "Integer",
        "NonZeroU8" | "NonZeroU16" | "NonZeroU32" | "NonZeroU64" => "Integer",
        "f32" | "f64" => "Number",
        "bool" => "Boolean",
        "Vec" => "Array",
        "Map" | "HashMap" | "BTreeMap" => "Object",
        "DateTime" => "DateTime",
        "NaiveDate" => "Date",
        "Uuid" => "Uuid",
        "Value" => "Value",
        _ => "",
    };
    if !plain.is_empty() {
        return Some(plain.to_owned());
    }
    match shapes.get(&name)? {
        Shape::Units(Some(one)) if wire_value(one).is_empty() => Some("Empty".into()),
        Shape::Units(_) if is_inline(&name, owner) => Some("Known".into()),
        Shape::Newtype(inner) if is_inline(&name, owner) => match shapes.get(&type_ident(inner)?) {
            // A newtype of a type of the crate: no kind of its own.
            Some(_) => None,
            None => kind(inner, shapes, owner, fine),
        },
        Shape::Struct(_) if is_inline(&name, owner) => Some("Object".into()),
        // A union of objects (Stripe's expanded object beside its id).
        Shape::Data { payloads, .. } if is_inline(&name, owner) && payloads.iter().all(|p| is_object(p, shapes)) => Some("Object".into()),
        // A type of its own (a component): its name, less the enum's.
        _ if !is_inline(&name, owner) => Some(name.strip_prefix(owner).filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase())).unwrap_or(&name).to_owned()),
        _ => None,
    }
}

/// Whether `p` is fields, or a struct with named fields of the crate.
fn is_object(p: &Payload<'_>, shapes: &HashMap<String, Shape<'_>>) -> bool {
    fields_of(p, shapes, false).is_some()
}

/// `T` of `Vec<T>` or `Option<T>`.
fn type_argument(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else { return None };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// Whether `name` is an inline branch typify named after `owner`.
fn is_inline(name: &str, owner: &str) -> bool {
    name.strip_prefix(owner).and_then(|rest| rest.strip_prefix("Variant")).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn rename_variants(items: &mut [Item], variants: &VariantRenames) {
    for item in items.iter_mut() {
        match item {
            Item::Enum(e) => {
                if let Some(map) = variants.get(&e.ident.to_string()) {
                    for v in e.variants.iter_mut() {
                        if let Some(new) = map.get(&v.ident.to_string()) {
                            v.ident = syn::Ident::new(new, v.ident.span());
                        }
                    }
                }
            }
            Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    rename_variants(inner, variants);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    /// The variants of `enum_name` after [`super::fix`] on `file`, and the
    /// whole file as text.
    fn fixed(mut file: syn::File, enum_name: &str) -> (Vec<String>, String) {
        let (renames, types) = super::fix(&mut file.items);
        super::super::variant_case::rename_paths(&mut file.items, &renames, &types);
        let mut variants = Vec::new();
        fn find(items: &[syn::Item], name: &str, out: &mut Vec<String>) {
            for item in items {
                match item {
                    syn::Item::Enum(e) if e.ident == name => out.extend(e.variants.iter().map(|v| v.ident.to_string())),
                    syn::Item::Mod(m) => find(m.content.as_ref().map(|c| c.1.as_slice()).unwrap_or_default(), name, out),
                    _ => {}
                }
            }
        }
        find(&file.items, enum_name, &mut variants);
        (variants, file.to_token_stream().to_string())
    }

    #[test]
    fn variants_are_named_after_what_they_hold() {
        let cases: [(syn::File, &str, &[&str]); 12] = [
            // An open enum (openai's `size`).
            (
                syn::parse_quote! { pub mod types {
                    #[serde(untagged)] pub enum Size { Variant0(SizeVariant0), Variant1(::std::string::String) }
                    pub enum SizeVariant0 { #[serde(rename = "auto")] Auto }
                } },
                "Size",
                &["Known", "String"],
            ),
            // "Or empty to unset" (stripe), a constrained string, a timestamp.
            (
                syn::parse_quote! { pub mod types {
                    #[serde(untagged)] pub enum At { Variant0(AtVariant0), Variant1(AtVariant1), Variant2(i64) }
                    pub enum AtVariant0 { #[serde(rename = "")] X }
                    #[serde(transparent)] pub struct AtVariant1(::std::string::String);
                } },
                "At",
                &["Empty", "String", "Integer"],
            ),
            // Two arrays: named after their items.
            (
                syn::parse_quote! { pub mod types {
                    #[serde(untagged)] pub enum R { Variant0(::std::vec::Vec<Starred>), Variant1(::std::vec::Vec<::std::string::String>) }
                    pub struct Starred { a: i64 }
                } },
                "R",
                &["StarredList", "StringList"],
            ),
            // Two enums of strings would both be `Known`: left as it was.
            (
                syn::parse_quote! { pub mod types {
                    #[serde(untagged)] pub enum Two { Variant0(TwoVariant0), Variant1(TwoVariant1) }
                    pub enum TwoVariant0 { A }
                    pub enum TwoVariant1 { B }
                } },
                "Two",
                &["Variant0", "Variant1"],
            ),
            // A payload it cannot name (`Box`): left as it was.
            (
                syn::parse_quote! { pub mod types {
                    #[serde(untagged)] pub enum O { Variant0(::std::boxed::Box<O>), Variant1(bool) }
                } },
                "O",
                &["Variant0", "Variant1"],
            ),
            // An expandable field (stripe): a union of objects beside a
            // nullable id.
            (
                syn::parse_quote! { pub mod types {
                    #[serde(untagged)] pub enum P { Variant0(PVariant0), Variant1(::std::option::Option<::std::string::String>) }
                    #[serde(untagged)] pub enum PVariant0 { Product(Product), Deleted { id: String } }
                    pub struct Product { id: String }
                } },
                "P",
                &["Object", "String"],
            ),
            // The same with a boxed object (stripe's quote `invoice`: an
            // invoice holds quotes) beside a constrained id.
            (
                syn::parse_quote! { pub mod types {
                    #[serde(untagged)] pub enum Q { Variant0(QVariant0), Variant1(QVariant1) }
                    #[serde(untagged)] pub enum QVariant0 { Invoice(::std::boxed::Box<Invoice>), DeletedInvoice(DeletedInvoice) }
                    #[serde(transparent)] pub struct QVariant1(::std::string::String);
                    pub struct Invoice { id: String }
                    pub struct DeletedInvoice { id: String, deleted: bool }
                } },
                "Q",
                &["Object", "String"],
            ),
            // A component keeps its name; untyped JSON is `Value`.
            (
                syn::parse_quote! { pub mod types {
                    #[serde(untagged)] pub enum F { Variant0(ComparisonFilter), Variant1(::serde_json::Value) }
                    pub struct ComparisonFilter { key: String }
                } },
                "F",
                &["ComparisonFilter", "Value"],
            ),
            // Objects told apart by a tag (openai's stream events).
            (
                syn::parse_quote! { pub mod types {
                    #[serde(untagged)] pub enum Ev { Variant0 { delta: String, type_: EvVariant0Type }, Variant1(EvVariant1) }
                    pub enum EvVariant0Type { #[serde(rename = "response.audio.delta")] ResponseAudioDelta }
                    pub struct EvVariant1 { type_: EvVariant1Type }
                    pub enum EvVariant1Type { #[serde(rename = "response.audio.done")] X }
                } },
                "Ev",
                &["ResponseAudioDelta", "ResponseAudioDone"],
            ),
            // Objects without a tag, told apart by a key each requires
            // (GitHub's reviewer or team, its pages settings): a key no
            // other has (`login`, `build-type`) before one the others have but
            // do not require (`source`); a nullable branch; a key renamed
            // on the wire; a payload that is no object keeps its kind.
            (
                syn::parse_quote! { pub mod types {
                    #[serde(untagged)] pub enum W {
                        Variant0(::std::option::Option<WVariant0>),
                        Variant1 { #[serde(default)] deleted: bool, #[serde(skip_serializing_if = "Option::is_none")] source: Option<String>, #[serde(rename = "build-type")] type_: String, id: i64 },
                        Variant2 { #[serde(deserialize_with = "Option::deserialize")] source: Option<String>, id: i64 },
                        Variant3(bool),
                    }
                    pub struct WVariant0 { id: i64, #[serde(default)] name: String, login: String }
                } },
                "W",
                &["Login", "BuildType", "Source", "Boolean"],
            ),
            // Objects no required key tells apart (GitHub's labels: one
            // key, optional, in both): left.
            (
                syn::parse_quote! { pub mod types {
                    #[serde(untagged)] pub enum L {
                        Variant0 { #[serde(default, skip_serializing_if = "Vec::is_empty")] labels: Vec<String> },
                        Variant1 { #[serde(default, skip_serializing_if = "Vec::is_empty")] labels: Vec<Label> },
                    }
                    pub struct Label { name: String }
                } },
                "L",
                &["Variant0", "Variant1"],
            ),
            // Not untagged (typify's external tagging): left as it was.
            (
                syn::parse_quote! { pub mod types {
                    pub enum T { Variant0(i64), Variant1(bool) }
                } },
                "T",
                &["Variant0", "Variant1"],
            ),
        ];
        for (file, name, want) in cases {
            assert_eq!(fixed(file, name).0, want, "{name}");
        }
    }

    #[test]
    fn paths_types_and_their_doc_lines_follow() {
        let (_, text) = fixed(
            syn::parse_quote! {
                pub mod types {
                    #[serde(untagged)] pub enum Size { Variant0(SizeVariant0), Variant1(::std::string::String) }
                    impl From<SizeVariant0> for Size { fn from(value: SizeVariant0) -> Self { Self::Variant0(value) } }
                    #[doc = "`SizeVariant0`"] pub enum SizeVariant0 { Auto }
                    impl Other { fn f() { let _ = Self::Variant1; let _ = Size::Variant1(String::new()); } }
                    // The name wanted is taken: the type keeps its name, the variant is renamed.
                    #[serde(untagged)] pub enum Q { Variant0(QVariant0), Variant1(bool) }
                    pub struct QVariant0 { a: i64 }
                    pub struct QObject;
                    // A field's type in a variant named after the field.
                    #[serde(untagged)] pub enum P { Variant0 { source: String }, Variant1 { build_type: PVariant1BuildType } }
                    pub enum PVariant1BuildType { Legacy }
                }
            },
            "Size",
        );
        assert!(text.contains("enum Size { Known (SizeKnown) , String (:: std :: string :: String) }"), "{text}");
        assert!(text.contains("impl From < SizeKnown > for Size { fn from (value : SizeKnown) -> Self { Self :: Known (value) } }"), "{text}");
        assert!(text.contains("# [doc = \"`SizeKnown`\"] pub enum SizeKnown"), "{text}");
        assert!(text.contains("let _ = Self :: Variant1 ; let _ = Size :: String (String :: new ())"), "{text}");
        assert!(text.contains("enum Q { Object (QVariant0) , Boolean (bool) }"), "{text}");
        assert!(text.contains("enum P { Source { source : String } , BuildType { build_type : PBuildType } }"), "{text}");
        assert!(text.contains("pub enum PBuildType { Legacy }"), "{text}");
        // Types named after a variant follow it (`Variant0Type`, nested).
        let (_, text) = fixed(
            syn::parse_quote! {
                pub mod types {
                    #[serde(untagged)] pub enum Ev { Variant0(EvVariant0), Variant1(bool) }
                    #[serde(untagged)] pub enum EvVariant0 { Variant0(EvVariant0Variant0), Variant1 { type_: EvVariant0Variant1Type } }
                    pub struct EvVariant0Variant0 { type_: EvVariant0Variant0Type }
                    pub enum EvVariant0Variant0Type { #[serde(rename = "a.b")] AB }
                    pub enum EvVariant0Variant1Type { C }
                    pub mod builder { pub struct EvVariant0Variant0 { type_: super::EvVariant0Variant0Type } }
                }
            },
            "Ev",
        );
        assert!(text.contains("enum Ev { Object (EvObject) , Boolean (bool) }"), "{text}");
        assert!(text.contains("enum EvObject { AB (EvObjectAB) , C { type_ : EvObjectCType } }"), "{text}");
        assert!(text.contains("struct EvObjectAB { type_ : EvObjectABType }"), "{text}");
        assert!(text.contains("pub mod builder { pub struct EvObjectAB { type_ : super :: EvObjectABType } }"), "{text}");
    }
}
