//! serde for string enums, written through their `Display` and `FromStr`.
//!
//! typify derives `Serialize` and `Deserialize` for each string enum: per
//! enum a visitor, an identifier type and its visitor, and for an open
//! enum ([`super::open_enums`]) a buffered second try for its untagged
//! `Unknown`. GitHub's crate has 726 such enums, 339 of them one-value
//! constants. Each enum already has a `Display` and a `FromStr`
//! that spell the same values, so serde goes through them instead:
//!
//! - `Serialize` is `serializer.collect_str(self)`;
//! - `Deserialize` reads a `String` and parses it; a value a closed enum
//!   does not list is serde's own `unknown variant `x`, expected one of
//!   `a`, `b`` error, as the derive said. Reading allocates the one
//!   `String` (the derive borrowed it where the input allowed).
//!
//! **Invariant:** an enum is rewritten only if every variant's
//! `serde(rename)` is exactly what its `Display` arm writes and its
//! `FromStr` arm reads, and no variant says more to serde than its rename;
//! anything else keeps typify's derives. So the wire text never changes,
//! which the snapshots of the e2e tests and the drift test hold.

use std::collections::HashMap;

use proc_macro2::Ident;
use syn::visit_mut::VisitMut;
use syn::{Fields, Item};

use super::features::{module_items, type_ident};
use super::open_enums::{derives, drop_derives, insert_after};
use super::post::Serde;

/// Rewrites the string enums of `file`'s `types` module (module doc);
/// returns how many.
pub fn rewrite(file: &mut syn::File) -> usize {
    let Some(types) = module_items(&mut file.items, "types") else { return 0 };
    let mut spelled: HashMap<String, Spelled> = HashMap::new();
    for (i, item) in types.iter().enumerate() {
        let Item::Impl(imp) = item else { continue };
        let Some(t) = imp.trait_.as_ref().and_then(|t| t.0.segments.last()) else { continue };
        let (display, from_str) = (t.ident == "Display", t.ident == "FromStr");
        let Some(name) = (display || from_str).then(|| type_ident(&imp.self_ty)).flatten() else { continue };
        let entry = spelled.entry(name).or_default();
        if display {
            entry.written = written(imp);
        } else {
            entry.read = read(imp);
            entry.from_str_at = i;
        }
    }
    let templates = Templates::new();
    // The new impls, by the index of the `FromStr` they follow.
    let mut after: HashMap<usize, [Item; 2]> = HashMap::new();
    for item in types.iter_mut() {
        let Item::Enum(e) = item else { continue };
        let Some(spelled) = spelled.get(&e.ident.to_string()) else { continue };
        let Some(values) = wire_values(e, spelled) else { continue };
        let open = open(e);
        strip(e);
        after.insert(spelled.from_str_at, templates.impls(&e.ident, &e.attrs, &values, open));
    }
    let rewritten = after.len();
    insert_after(types, after);
    rewritten
}

/// How a type's `Display` and `FromStr` spell its values.
#[derive(Default)]
struct Spelled {
    /// `Display`: variant → the text it writes.
    written: HashMap<Ident, String>,
    /// `FromStr`: text → the variant it reads.
    read: HashMap<String, Ident>,
    /// Where the `FromStr` impl is in the module.
    from_str_at: usize,
}

/// The values of a string enum whose serde, `Display` and `FromStr` spell
/// alike, in order: its unit variants' renames (an open enum's last
/// `#[serde(untagged)] Unknown(String)` aside); `None` for any other enum.
fn wire_values(e: &syn::ItemEnum, spelled: &Spelled) -> Option<Vec<String>> {
    if e.attrs.iter().any(|a| a.path().is_ident("serde")) {
        return None;
    }
    let units = e.variants.len() - usize::from(open(e));
    if units == 0 {
        return None;
    }
    let values = e
        .variants
        .iter()
        .take(units)
        .map(|v| {
            let mut serde = v.attrs.iter().filter(|a| a.path().is_ident("serde"));
            let (Some(attr), None) = (serde.next(), serde.next()) else { return None };
            let wire = only_rename(attr)?;
            let agrees = matches!(v.fields, Fields::Unit)
                && v.discriminant.is_none()
                && spelled.written.get(&v.ident) == Some(&wire)
                && spelled.read.get(&wire) == Some(&v.ident);
            agrees.then_some(wire)
        })
        .collect::<Option<Vec<String>>>()?;
    derives_serde(e).then_some(values)
}

/// Whether the last variant is an open enum's `#[serde(untagged)] X(String)`.
fn open(e: &syn::ItemEnum) -> bool {
    e.variants.last().is_some_and(|v| {
        Serde::of(&v.attrs).untagged && matches!(&v.fields, Fields::Unnamed(f) if f.unnamed.len() == 1 && type_ident(&f.unnamed[0].ty).as_deref() == Some("String"))
    })
}

/// Whether the enum derives both `Serialize` and `Deserialize`.
fn derives_serde(e: &syn::ItemEnum) -> bool {
    let derived = derives(e);
    derived.iter().any(|d| d == "Serialize") && derived.iter().any(|d| d == "Deserialize")
}

/// The value of a `#[serde(rename = "..")]` that says nothing else.
fn only_rename(attr: &syn::Attribute) -> Option<String> {
    let mut words = 0;
    let mut rename = None;
    let parsed = attr.parse_nested_meta(|meta| {
        words += 1;
        if meta.path.is_ident("rename") {
            if let syn::Lit::Str(s) = meta.value()?.parse::<syn::Lit>()? {
                rename = Some(s.value());
            }
        } else if meta.input.peek(syn::Token![=]) {
            meta.value()?.parse::<syn::Expr>()?;
        }
        Ok(())
    });
    if parsed.is_ok() && words == 1 { rename } else { None }
}

/// Drops the serde derives and the variants' `#[serde(..)]`s.
fn strip(e: &mut syn::ItemEnum) {
    drop_derives(e, |p| p.segments.last().is_some_and(|s| s.ident == "Serialize" || s.ident == "Deserialize"));
    for v in e.variants.iter_mut() {
        v.attrs.retain(|a| !a.path().is_ident("serde"));
    }
}

/// The impls [`Templates::impls`] writes, parsed once for the whole module: a
/// `parse_quote!` per enum was most of this pass's time on GitHub's 726.
struct Templates {
    serialize: syn::ItemImpl,
    deserialize_open: syn::ItemImpl,
    deserialize_closed: syn::ItemImpl,
}

impl Templates {
    fn new() -> Templates {
        Templates {
            serialize: syn::parse_quote! {
                impl ::serde::Serialize for Enum {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        serializer.collect_str(self)
                    }
                }
            },
            deserialize_open: syn::parse_quote! {
                impl<'de> ::serde::Deserialize<'de> for Enum {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <::std::string::String as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                        value.parse().map_err(<D::Error as ::serde::de::Error>::custom)
                    }
                }
            },
            deserialize_closed: syn::parse_quote! {
                impl<'de> ::serde::Deserialize<'de> for Enum {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <::std::string::String as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                        value.parse().map_err(|_| <D::Error as ::serde::de::Error>::unknown_variant(&value, &[]))
                    }
                }
            },
        }
    }

    /// `Serialize` and `Deserialize` through `Display` and `FromStr` for
    /// `ident`, with the enum's `cfg`s. A closed enum's unknown value is
    /// serde's `unknown_variant` error, naming the values; an open one's
    /// parse does not fail.
    fn impls(&self, ident: &Ident, enum_attrs: &[syn::Attribute], values: &[String], open: bool) -> [Item; 2] {
        let cfgs: Vec<syn::Attribute> = enum_attrs.iter().filter(|a| a.path().is_ident("cfg")).cloned().collect();
        let ty: syn::Type = syn::parse_quote!(#ident);
        let mut serialize = self.serialize.clone();
        let mut deserialize = if open { self.deserialize_open.clone() } else { self.deserialize_closed.clone() };
        if !open {
            struct Values<'a>(&'a [String]);
            impl VisitMut for Values<'_> {
                fn visit_expr_array_mut(&mut self, array: &mut syn::ExprArray) {
                    let span = proc_macro2::Span::call_site();
                    array.elems = self.0.iter().map(|v| syn::Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::Str(syn::LitStr::new(v, span)) })).collect();
                }
            }
            Values(values).visit_item_impl_mut(&mut deserialize);
        }
        for imp in [&mut serialize, &mut deserialize] {
            *imp.self_ty = ty.clone();
            imp.attrs = cfgs.clone();
        }
        [Item::Impl(serialize), Item::Impl(deserialize)]
    }
}

/// What a `Display` writes: `Self::A => f.write_str("a")` as `A → "a"`.
fn written(display: &syn::ItemImpl) -> HashMap<Ident, String> {
    arms(display, "fmt")
        .filter_map(|arm| {
            let syn::Pat::Path(p) = &arm.pat else { return None };
            let syn::Expr::MethodCall(call) = &*arm.body else { return None };
            let [syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })] = call.args.iter().collect::<Vec<_>>()[..] else { return None };
            if call.method != "write_str" {
                return None;
            }
            Some((p.path.segments.last()?.ident.clone(), s.value()))
        })
        .collect()
}

/// What a `FromStr` reads: `"a" => Ok(Self::A)` as `"a" → A`.
fn read(from_str: &syn::ItemImpl) -> HashMap<String, Ident> {
    arms(from_str, "from_str")
        .filter_map(|arm| {
            let syn::Pat::Lit(syn::PatLit { lit: syn::Lit::Str(s), .. }) = &arm.pat else { return None };
            let syn::Expr::Call(call) = &*arm.body else { return None };
            let syn::Expr::Path(ok) = &*call.func else { return None };
            let [syn::Expr::Path(p)] = call.args.iter().collect::<Vec<_>>()[..] else { return None };
            if !ok.path.is_ident("Ok") {
                return None;
            }
            Some((s.value(), p.path.segments.last()?.ident.clone()))
        })
        .collect()
}

/// The arms of the `match` that is the whole body of the impl's function
/// `name` (none if it is something else).
fn arms<'a>(imp: &'a syn::ItemImpl, name: &str) -> impl Iterator<Item = &'a syn::Arm> {
    let body = imp.items.iter().find_map(|i| match i {
        syn::ImplItem::Fn(f) if f.sig.ident == name => match f.block.stmts.as_slice() {
            [syn::Stmt::Expr(syn::Expr::Match(m), None)] => Some(m),
            _ => None,
        },
        _ => None,
    });
    body.into_iter().flat_map(|m| &m.arms)
}

#[cfg(test)]
mod tests {
    use super::super::open_enums::tests::enum_src;
    use super::*;

    /// `src` in a `types` module, opened ([`super::super::open_enums`])
    /// and rewritten: how many were rewritten, and the text squeezed to
    /// single spaces.
    fn rewritten(src: &str) -> (usize, String) {
        let mut file: syn::File = syn::parse_str(&format!("pub mod types {{ {src} }}")).expect("test input parses");
        super::super::open_enums::open(&mut file);
        let n = rewrite(&mut file);
        (n, prettyplease::unparse(&file).split_whitespace().collect::<Vec<_>>().join(" "))
    }

    #[test]
    fn open_and_closed_enums_go_through_display_and_from_str() {
        // `Status` opens; `Kind` is a constant and stays closed.
        let (n, text) = rewritten(&[enum_src("Status", &["active", "expired"]), enum_src("Kind", &["list"])].concat());
        assert_eq!(n, 2, "{text}");
        for want in [
            "#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)] #[non_exhaustive] pub enum Status { Active, Expired,",
            "/// it was sent. Unknown(::std::string::String), }",
            "_ => Ok(Self::Unknown(value.to_owned())), } } } impl ::serde::Serialize for Status { fn serialize<S: ::serde::Serializer>( &self, serializer: S, ) -> ::std::result::Result<S::Ok, S::Error> { serializer.collect_str(self) } } impl<'de> ::serde::Deserialize<'de> for Status {",
            "value.parse().map_err(<D::Error as ::serde::de::Error>::custom)",
            "#[derive(Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)] pub enum Kind { List, }",
            "value .parse() .map_err(|_| <D::Error as ::serde::de::Error>::unknown_variant( &value, &[\"list\"], ))",
        ] {
            assert!(text.contains(want), "missing `{want}` in:\n{text}");
        }
        assert!(!text.contains("#[serde"), "{text}");
    }

    #[test]
    fn enums_whose_impls_spell_otherwise_keep_the_derives() {
        let src = [
            // Display and serde disagree on `expired`.
            enum_src("Shown", &["active", "expired"]).replace("f.write_str(\"expired\")", "f.write_str(\"Expired\")"),
            // `FromStr` does not read `active`.
            enum_src("Parsed", &["active", "expired"]).replace("\"active\" => Ok(Self::Active),", ""),
            // `alias` says more than a rename.
            enum_src("Aliased", &["active", "expired"]).replace("#[serde(rename = \"active\")]", "#[serde(rename = \"active\", alias = \"on\")]"),
            // A tagged enum is no string enum.
            enum_src("Tagged", &["a"]).replace("pub enum Tagged", "#[serde(tag = \"type\")] pub enum Tagged"),
            // No `Display` at all.
            "#[derive(::serde::Deserialize, ::serde::Serialize)] pub enum Bare { #[serde(rename = \"x\")] X }".to_owned(),
            enum_src("Plain", &["active", "expired"]),
        ]
        .concat();
        let (n, text) = rewritten(&src);
        assert_eq!(n, 1, "{text}");
        assert_eq!(text.matches("impl<'de> ::serde::Deserialize<'de> for").count(), 1, "{text}");
        assert!(text.contains("impl<'de> ::serde::Deserialize<'de> for Plain"), "{text}");
        assert_eq!(text.matches("::serde::Deserialize, ::serde::Serialize").count(), 5, "{text}");
        assert_eq!(text.matches("#[serde(untagged)] Unknown(::std::string::String)").count(), 3, "the open ones that keep their derives: {text}");
    }

    #[test]
    fn the_impls_carry_the_enums_cfg() {
        let src = enum_src("Gated", &["a", "b"]).replace("pub enum Gated", "#[cfg(feature = \"x\")] pub enum Gated");
        let (n, text) = rewritten(&src);
        assert_eq!(n, 1, "{text}");
        assert!(text.contains("#[cfg(feature = \"x\")] impl ::serde::Serialize for Gated"), "{text}");
        assert!(text.contains("#[cfg(feature = \"x\")] impl<'de> ::serde::Deserialize<'de> for Gated"), "{text}");
    }
}
