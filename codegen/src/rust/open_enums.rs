//! String enums and unions of objects that read what a newer server adds.
//!
//! typify writes a string `enum` as a Rust enum of unit variants, which is
//! closed: a server that adds a value (a `WARN` in our diff, as in oasdiff,
//! not an `ERR`) made every Rust SDK built before it fail on the whole
//! response, where the TypeScript (`"a" | (string & {})`) and Python
//! (`Literal[...] | str`) SDKs read it. Here each such enum gets a last
//! variant `Unknown(String)`, `#[serde(untagged)]`, that holds any other
//! string as its wire text:
//!
//! - `Display` writes it and `FromStr` makes it, as serde does, so parsing
//!   a string never fails;
//! - `Copy` goes (a `String` is not `Copy`);
//! - the enum is `#[non_exhaustive]`, like the structs ([`super::post`]):
//!   a user's `match` has a `_` arm, so a crate regenerated with the new
//!   value compiles too, as the diff says. A removed value is still a
//!   compile error where it is named.
//!
//! The variant is `UnknownValue` when the spec lists `unknown` (or another
//! value named `Unknown`).
//!
//! Unions of objects likewise: an untagged enum whose variants all hold
//! objects (OpenAI's output items, stream events) or an internally tagged
//! one (Oxide's) gets a last variant `Unknown(Map<String, Value>)`, so an
//! object of a kind the spec does not list yet (a new item `type`) is read
//! as it was sent instead of failing the response. How an object is found
//! to be of an unknown kind:
//! - by its tag, where one tells every variant apart: a tagged enum's, or
//!   a required one-value field all the branches of an untagged one have
//!   (OpenAI's `type`, the Interactor's SSE `event`); or by what each
//!   branch alone requires, a key or a `type` value (the Interactor's
//!   `Condition`, GitHub's pages settings). Only an object of no listed
//!   kind is `Unknown`; one of a listed kind that does not fit its schema
//!   is serde's error, as for a struct (`missing field `ip``)
//!   (`union_read`);
//! - otherwise (GitHub's error unions: a `BasicError` requires nothing)
//!   serde tries `Unknown` after every variant the spec describes, so an
//!   object no variant takes is `Unknown`, kept whole, where it failed the
//!   response before (the TypeScript and Python SDKs read it unchecked).
//!
//! Enums that stay closed (strings and unions alike):
//! - one-value enums: constants (`object: [list]`), and the way union
//!   branches are told apart (`type: [message]`);
//! - enums an untagged union tells its branches apart by: a variant's own
//!   value, or a field two variants share that no tag tells apart
//!   (`told_apart_by`). serde tries the variants in order, so an open
//!   one would take every string (or object) and the variants after it
//!   would never be read;
//! - unions with a branch that is no object (a string, a number, another
//!   union), or with a `match` of their own (`Display`).

use std::collections::{HashMap, HashSet};

use proc_macro2::Ident;
use syn::punctuated::Punctuated;
use syn::visit::Visit;
use syn::{Fields, Item, Type};

use super::features::{module_items, type_ident};
use super::post::{Serde, wire_name};
use super::union_read::{Marks, Tag, by_marks, by_tag};
use super::variant_names::is_required;

/// Opens the string enums and the unions of objects of `file`'s `types`
/// module (module doc); returns how many.
pub fn open(file: &mut syn::File) -> usize {
    let Some(types) = module_items(&mut file.items, "types") else { return 0 };
    let (closed, readers) = told_apart_by(types);
    let candidates: HashMap<String, Ident> = types
        .iter()
        .filter_map(|item| match item {
            Item::Enum(e) if is_string_enum(e) && !closed.contains(&e.ident.to_string()) => Some((e.ident.to_string(), unknown_ident(e))),
            _ => None,
        })
        .collect();
    // The impls are rewritten on copies first: an enum whose `Display` or
    // `FromStr` is not typify's usual shape stays closed, whole.
    let mut display = HashMap::new();
    let mut from_str = HashMap::new();
    for (i, item) in types.iter().enumerate() {
        let Item::Impl(imp) = item else { continue };
        let Some(name) = type_ident(&imp.self_ty) else { continue };
        let Some(unknown) = candidates.get(&name) else { continue };
        let Some(trait_name) = trait_of(imp) else { continue };
        let mut fixed = imp.clone();
        match trait_name.as_str() {
            "Display" if open_display(&mut fixed, unknown) => display.insert(name, (i, fixed)),
            "FromStr" if open_from_str(&mut fixed, unknown) => from_str.insert(name, (i, fixed)),
            _ => None,
        };
    }
    let mut both = HashSet::new();
    for name in candidates.keys() {
        let (Some((d, display)), Some((f, from_str))) = (display.remove(name), from_str.remove(name)) else { continue };
        types[d] = Item::Impl(display);
        types[f] = Item::Impl(from_str);
        both.insert(name.as_str());
    }
    let mut opened = 0;
    for item in types.iter_mut() {
        let Item::Enum(e) = item else { continue };
        let name = e.ident.to_string();
        if both.contains(name.as_str()) {
            open_enum(e, &candidates[&name]);
            opened += 1;
        }
    }
    // Last: it adds items, which moves the indices above.
    opened + open_unions(types, &closed, &readers)
}

/// The name of the trait an impl is of (`Display`), if it is of one.
fn trait_of(imp: &syn::ItemImpl) -> Option<String> {
    imp.trait_.as_ref().and_then(|t| t.0.segments.last()).map(|s| s.ident.to_string())
}

/// Gives each union of objects (an untagged or internally tagged enum
/// whose variants all hold objects) that `closed` does not name a last
/// variant holding any other object; returns how many. Where a tag or
/// keys tell the variants apart (a tagged enum's tag, or what `readers`
/// says of an untagged one), only an object of no listed kind is
/// `Unknown` ([`super::union_read`]); elsewhere any object no variant
/// takes is.
fn open_unions(types: &mut Vec<Item>, closed: &HashSet<String>, readers: &HashMap<String, Reader>) -> usize {
    let objects: HashSet<String> = types
        .iter()
        .filter_map(|i| match i {
            Item::Struct(s) if matches!(s.fields, Fields::Named(_)) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect();
    // typify writes `Display`/`FromStr` for unions of strings; a union with
    // a `match` of its own is left as it is.
    let with_impls: HashSet<String> = types
        .iter()
        .filter_map(|i| match i {
            Item::Impl(imp) if trait_of(imp).is_some_and(|t| t == "Display" || t == "FromStr") => type_ident(&imp.self_ty),
            _ => None,
        })
        .collect();
    let mut opened = 0;
    // The impls of the unions read by tag or marks, by the index of their enum.
    let mut after: HashMap<usize, [Item; 2]> = HashMap::new();
    // The variants of untagged unions read as the type each holds.
    let mut direct: HashSet<(String, usize)> = HashSet::new();
    for (i, item) in types.iter_mut().enumerate() {
        let Item::Enum(e) = item else { continue };
        let serde = Serde::of(&e.attrs);
        let name = e.ident.to_string();
        if !(serde.untagged || serde.tag.is_some()) || closed.contains(&name) || with_impls.contains(&name) || e.variants.is_empty() {
            continue;
        }
        // `Map` is neither `Copy` nor ordered.
        if derives(e).iter().any(|d| matches!(d.as_str(), "Copy" | "Ord" | "PartialOrd" | "Hash")) {
            continue;
        }
        let holds_object = |v: &syn::Variant| match &v.fields {
            Fields::Named(_) => true,
            Fields::Unit => serde.tag.is_some(),
            Fields::Unnamed(f) => f.unnamed.len() == 1 && boxed(&f.unnamed[0].ty).is_some_and(|n| objects.contains(&n)),
        };
        if !e.variants.iter().all(holds_object) {
            continue;
        }
        let unknown = unknown_ident(e);
        // A tagged enum's tag and its values are its own variants' names.
        let reader = match &serde.tag {
            Some(field) => Some(Reader::Tag(Tag {
                field: field.clone(),
                of_variant: e.variants.iter().map(|v| Serde::of(&v.attrs).rename.unwrap_or_else(|| v.ident.to_string())).collect(),
            })),
            None => readers.get(&name).cloned(),
        };
        let attr = match (&reader, &serde.tag) {
            (Some(_), _) => quote::quote!(#[serde(skip)]),
            (None, Some(_)) => quote::quote!(#[serde(untagged)]),
            (None, None) => quote::quote!(),
        };
        e.variants.push(syn::parse_quote! {
            /// An object this crate's spec does not describe (a newer
            /// server's), as it was sent.
            #attr
            #unknown(::serde_json::Map<::std::string::String, ::serde_json::Value>)
        });
        if !e.attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
            e.attrs.push(syn::parse_quote!(#[non_exhaustive]));
        }
        if let Some(reader) = reader {
            e.attrs.push(syn::parse_quote!(#[serde(remote = "Self")]));
            let read = match &reader {
                Reader::Tag(tag) => by_tag(e, &unknown, tag),
                Reader::Marks(marks) => by_marks(e, &unknown, marks),
            };
            if serde.tag.is_none() {
                direct.extend(read.direct.into_iter().map(|v| (name.clone(), v)));
            }
            after.insert(i, read.impls);
        }
        opened += 1;
    }
    open_direct_branches(types, &direct);
    insert_after(types, after);
    opened
}

/// Takes `#[serde(deny_unknown_fields)]` off the structs that only
/// `direct` variants hold: `normalize::closed` kept them closed because
/// serde told an untagged union's branches apart by the keys each
/// refuses, but these are read by their tag or marks, so a field a newer
/// server adds is skipped, as in every other struct. A struct another
/// union's variant holds (one serde tries in order) stays closed.
fn open_direct_branches(types: &mut [Item], direct: &HashSet<(String, usize)>) {
    let mut read = HashSet::new();
    let mut tried = HashSet::new();
    for item in types.iter() {
        let Item::Enum(e) = item else { continue };
        let serde = Serde::of(&e.attrs);
        if !(serde.untagged || serde.tag.is_some()) {
            continue;
        }
        let name = e.ident.to_string();
        for (i, v) in e.variants.iter().enumerate() {
            let Fields::Unnamed(f) = &v.fields else { continue };
            let Some(held) = f.unnamed.first().and_then(|f| boxed(&f.ty)) else { continue };
            if direct.contains(&(name.clone(), i)) { read.insert(held) } else { tried.insert(held) };
        }
    }
    for item in types.iter_mut() {
        let Item::Struct(s) = item else { continue };
        if read.contains(&s.ident.to_string()) && !tried.contains(&s.ident.to_string()) {
            s.attrs.retain(|a| !(a.path().is_ident("serde") && a.parse_args::<Ident>().is_ok_and(|i| i == "deny_unknown_fields")));
        }
    }
}

/// Drops the paths `dropped` names from an enum's `#[derive(..)]`s.
pub(super) fn drop_derives(e: &mut syn::ItemEnum, dropped: impl Fn(&syn::Path) -> bool) {
    for attr in e.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) = attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated) else { continue };
        let kept = paths.into_iter().filter(|p| !dropped(p));
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
}

/// Puts the items of `after` right after the item at their index, in one
/// pass over the module (an insert each would move the items after it).
pub(super) fn insert_after(types: &mut Vec<Item>, mut after: HashMap<usize, [Item; 2]>) {
    let items = std::mem::take(types);
    for (i, item) in items.into_iter().enumerate() {
        types.push(item);
        types.extend(after.remove(&i).into_iter().flatten());
    }
}

/// The names an enum derives.
pub(super) fn derives(e: &syn::ItemEnum) -> Vec<String> {
    e.attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .filter_map(|a| a.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated).ok())
        .flatten()
        .filter_map(|p| p.segments.last().map(|s| s.ident.to_string()))
        .collect()
}

/// The name of a type, or of the type a `Box` holds.
pub(super) fn boxed(ty: &Type) -> Option<String> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Box" {
        return Some(last.ident.to_string());
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|arg| match arg {
            syn::GenericArgument::Type(t) => boxed(t),
            _ => None,
        }),
        _ => None,
    }
}

/// An enum of two or more unit variants, each with its wire text, and no
/// `serde` attribute of its own (not tagged, not untagged).
fn is_string_enum(e: &syn::ItemEnum) -> bool {
    e.variants.len() >= 2
        && !e.attrs.iter().any(|a| a.path().is_ident("serde"))
        && e.variants.iter().all(|v| matches!(v.fields, Fields::Unit) && v.discriminant.is_none() && Serde::of(&v.attrs).rename.is_some())
}

/// `Unknown`, or `UnknownValue` (`UnknownValue2`…) if a variant has it.
fn unknown_ident(e: &syn::ItemEnum) -> Ident {
    let taken = |n: &str| e.variants.iter().any(|v| v.ident == n);
    let name = ["Unknown".to_owned(), "UnknownValue".to_owned()]
        .into_iter()
        .chain((2..).map(|i| format!("UnknownValue{i}")))
        .find(|n| !taken(n))
        .unwrap_or_default();
    Ident::new(&name, proc_macro2::Span::call_site())
}

/// The enum: `Copy` dropped, `#[non_exhaustive]`, the untagged variant last.
fn open_enum(e: &mut syn::ItemEnum, unknown: &Ident) {
    drop_derives(e, |p| p.is_ident("Copy"));
    e.attrs.push(syn::parse_quote!(#[non_exhaustive]));
    e.variants.push(syn::parse_quote! {
        /// A value this crate's spec does not list (a newer server's), as
        /// it was sent.
        #[serde(untagged)]
        #unknown(::std::string::String)
    });
}

/// typify's `fn fmt(&self, f) { match *self { Self::A => f.write_str("a"), … } }`:
/// matches `self` instead and writes the unknown value.
fn open_display(imp: &mut syn::ItemImpl, unknown: &Ident) -> bool {
    let Some(m) = only_match(imp, "fmt") else { return false };
    let syn::Expr::Unary(syn::ExprUnary { op: syn::UnOp::Deref(_), .. }) = &*m.expr else { return false };
    *m.expr = syn::parse_quote!(self);
    m.arms.push(syn::parse_quote!(Self::#unknown(value) => f.write_str(value),));
    true
}

/// typify's `fn from_str(value) { match value { "a" => Ok(Self::A), …, _ => Err(..) } }`:
/// the last arm makes the unknown value.
fn open_from_str(imp: &mut syn::ItemImpl, unknown: &Ident) -> bool {
    let Some(m) = only_match(imp, "from_str") else { return false };
    let Some(last) = m.arms.last_mut() else { return false };
    if !matches!(last.pat, syn::Pat::Wild(_)) {
        return false;
    }
    *last.body = syn::parse_quote!(Ok(Self::#unknown(value.to_owned())));
    true
}

/// The `match` that is the whole body of the impl's function `name`.
fn only_match<'a>(imp: &'a mut syn::ItemImpl, name: &str) -> Option<&'a mut syn::ExprMatch> {
    imp.items.iter_mut().find_map(|i| match i {
        syn::ImplItem::Fn(f) if f.sig.ident == name => match f.block.stmts.as_mut_slice() {
            [syn::Stmt::Expr(syn::Expr::Match(m), None)] => Some(m),
            _ => None,
        },
        _ => None,
    })
}

/// The names an untagged enum tells its variants apart by: the types each
/// variant holds, and the types of the fields (by wire name) that two of
/// its variants both have, a variant's own or those of the struct it
/// holds (a `kind` or `status` each branch lists its own values of),
/// unless required constants tell those two apart (a `type` tag). A field
/// only one branch has tells nothing apart by its value (the other
/// branches' data lacks it), and closed, a new value in it would fail the
/// whole union (GitHub's `Codespace` and its `state`, in a response that
/// is a codespace or an error).
///
/// Also how each untagged enum is read ([`Reader`]): by the tag its
/// branches all have, a required constant of one wire name (OpenAI's
/// output items and their `type`), or else by what each branch alone
/// requires, a key or a one-value field's value (the Interactor's
/// `Condition`).
fn told_apart_by(items: &[Item]) -> (HashSet<String>, HashMap<String, Reader>) {
    let mut cx = Cx::default();
    for item in items {
        match item {
            Item::Struct(s) => {
                cx.structs.insert(s.ident.to_string(), &s.fields);
            }
            Item::Enum(e) if e.variants.len() == 1 && matches!(e.variants[0].fields, Fields::Unit) => {
                if let Some(value) = Serde::of(&e.variants[0].attrs).rename {
                    cx.constants.insert(e.ident.to_string(), value);
                }
            }
            _ => {}
        }
    }
    let mut names = Names::default();
    let mut readers = HashMap::new();
    for item in items {
        let Item::Enum(e) = item else { continue };
        if !Serde::of(&e.attrs).untagged {
            continue;
        }
        let branches: Vec<Branch<'_>> = e.variants.iter().map(|v| cx.branch(v, &mut names)).collect();
        // The shared constant with the most values (`type` beside a
        // `role` only some messages have), then by name.
        let shared = branches.first().into_iter().flat_map(|b| b.tags.keys()).filter(|k| branches.iter().all(|b| b.tags.contains_key(*k)));
        let tag = shared
            .map(|k| Tag { field: k.clone(), of_variant: branches.iter().map(|b| b.tags[k].clone()).collect() })
            .max_by(|a, b| a.values().len().cmp(&b.values().len()).then_with(|| b.field.cmp(&a.field)));
        if let Some(reader) = tag.map(Reader::Tag).or_else(|| marks(&branches).map(Reader::Marks)) {
            readers.insert(e.ident.to_string(), reader);
        }
        // Two variants that constants tell apart (OpenAI's output items:
        // `type` is `message`, `function_call`…; its realtime items add
        // `role` where three are messages) can share open fields.
        for (i, a) in branches.iter().enumerate() {
            for b in branches[i + 1..].iter().filter(|b| !a.apart_from(b)) {
                for (name, field) in a.fields.iter().filter(|(name, _)| b.fields.contains_key(*name)) {
                    names.visit_type(&field.ty);
                    names.visit_type(&b.fields[name].ty);
                }
            }
        }
    }
    (names.0, readers)
}

/// How an untagged union of objects tells its branches apart, if it does
/// ([`super::union_read`]).
#[derive(Clone, Debug)]
enum Reader {
    /// A required one-value field every branch has.
    Tag(Tag),
    /// What each branch alone requires, by branch.
    Marks(Vec<Marks>),
}

/// For each branch, what it requires and no other branch does: keys, and
/// values of its required one-value fields (`type: ai` beside a branch
/// with no `type`); `None` unless every branch has some and all their
/// fields are known.
fn marks(branches: &[Branch<'_>]) -> Option<Vec<Marks>> {
    if branches.len() < 2 {
        return None;
    }
    branches
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let required = b.required.as_ref()?;
            let others = || branches.iter().enumerate().filter(move |(j, _)| *j != i).map(|(_, o)| o);
            let mut keys: Vec<String> = required.iter().filter(|k| others().all(|o| o.required.as_ref().is_some_and(|r| !r.contains(*k)))).cloned().collect();
            keys.sort();
            // A key of its own says more than a value of a field others
            // require too.
            let mut values: Vec<(String, String)> = b
                .tags
                .iter()
                .filter(|(k, _)| !keys.contains(k))
                .filter(|(k, v)| others().all(|o| o.tags.get(*k) != Some(*v)))
                .map(|(k, v)| (k.clone(), (*v).clone()))
                .collect();
            values.sort();
            (!keys.is_empty() || !values.is_empty()).then_some(Marks { keys, values })
        })
        .collect()
}

/// The crate's structs and one-value enums, by name.
#[derive(Default)]
struct Cx<'a> {
    structs: HashMap<String, &'a syn::Fields>,
    /// One-value enum → its value.
    constants: HashMap<String, String>,
}

/// A variant of an untagged enum, as serde tells it from the others.
struct Branch<'a> {
    /// Its fields, or those of the structs it holds, by wire name.
    fields: HashMap<String, &'a syn::Field>,
    /// The values of its required constant fields, by wire name.
    tags: HashMap<String, &'a String>,
    /// The wire names of the fields it requires, if all are known.
    required: Option<HashSet<String>>,
}

impl<'a> Cx<'a> {
    /// `variant` as a branch; the types it holds go to `held`.
    fn branch(&'a self, variant: &'a syn::Variant, held: &mut Names) -> Branch<'a> {
        let named = |f: &'a syn::Field| f.ident.is_some().then(|| (wire_name(f), f));
        let mut fields = HashMap::new();
        match &variant.fields {
            Fields::Named(own) => fields.extend(own.named.iter().filter_map(named)),
            payload => {
                for field in payload {
                    let mut inner = Names::default();
                    inner.visit_type(&field.ty);
                    for name in &inner.0 {
                        fields.extend(self.structs.get(name).into_iter().flat_map(|f| f.iter()).filter_map(named));
                    }
                    held.0.extend(inner.0);
                }
            }
        }
        // The keys are known for fields of its own, or of the one struct
        // it holds (boxed or not).
        let known = match &variant.fields {
            Fields::Named(_) => true,
            Fields::Unnamed(f) => f.unnamed.len() == 1 && boxed(&f.unnamed[0].ty).is_some_and(|n| self.structs.get(&n).is_some_and(|s| matches!(s, Fields::Named(_)))),
            Fields::Unit => false,
        };
        let mut tags = HashMap::new();
        let mut required = HashSet::new();
        for (name, f) in &fields {
            let serde = Serde::of(&f.attrs);
            if serde.default.is_none()
                && let Some(value) = type_ident(&f.ty).and_then(|t| self.constants.get(&t))
            {
                tags.insert(name.clone(), value);
            }
            if is_required(&f.ty, &serde) {
                required.insert(name.clone());
            }
        }
        let required = known.then_some(required);
        Branch { fields, tags, required }
    }
}

impl Branch<'_> {
    /// Whether a constant both have holds another value in each.
    fn apart_from(&self, other: &Branch<'_>) -> bool {
        self.tags.iter().any(|(k, v)| other.tags.get(k).is_some_and(|w| w != v))
    }
}

/// Every name in the paths of a type (`Option<Vec<A>>`: `Option`, `Vec`, `A`…).
#[derive(Default)]
struct Names(HashSet<String>);

impl<'ast> Visit<'ast> for Names {
    fn visit_path_segment(&mut self, s: &'ast syn::PathSegment) {
        self.0.insert(s.ident.to_string());
        syn::visit::visit_path_segment(self, s);
    }

    fn visit_type(&mut self, ty: &'ast Type) {
        syn::visit::visit_type(self, ty);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn opened(src: &str) -> (usize, String) {
        let mut file: syn::File = syn::parse_str(&format!("pub mod types {{ {src} }}")).expect("test input parses");
        let n = open(&mut file);
        (n, prettyplease::unparse(&file))
    }

    /// typify's string enum `name` with values `values`.
    pub(in crate::rust) fn enum_src(name: &str, values: &[&str]) -> String {
        let ident = |v: &str| heck::AsUpperCamelCase(v).to_string();
        let variants: String = values.iter().map(|v| format!("#[serde(rename = \"{v}\")] {},", ident(v))).collect();
        let display: String = values.iter().map(|v| format!("Self::{} => f.write_str(\"{v}\"),", ident(v))).collect();
        let parse: String = values.iter().map(|v| format!("\"{v}\" => Ok(Self::{}),", ident(v))).collect();
        format!(
            "#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
             pub enum {name} {{ {variants} }}
             impl ::std::fmt::Display for {name} {{
                 fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{ match *self {{ {display} }} }}
             }}
             impl ::std::str::FromStr for {name} {{
                 type Err = self::error::ConversionError;
                 fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {{
                     match value {{ {parse} _ => Err(\"invalid value\".into()), }}
                 }}
             }}"
        )
    }

    #[test]
    fn a_string_enum_reads_any_other_string() {
        let (n, text) = opened(&enum_src("Status", &["active", "expired"]));
        assert_eq!(n, 1);
        let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = squeeze(&text);
        for want in [
            "#[derive( ::serde::Deserialize, ::serde::Serialize, Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd )] #[non_exhaustive] pub enum Status",
            "#[serde(untagged)] Unknown(::std::string::String), }",
            "match self { Self::Active => f.write_str(\"active\"), Self::Expired => f.write_str(\"expired\"), Self::Unknown(value) => f.write_str(value), }",
            "_ => Ok(Self::Unknown(value.to_owned())), }",
        ] {
            assert!(text.contains(want), "missing `{want}` in:\n{text}");
        }
        assert!(!text.contains("Copy") && !text.contains("invalid value"), "{text}");
    }

    #[test]
    fn the_variant_is_renamed_when_the_spec_lists_unknown() {
        let (n, text) = opened(&enum_src("Health", &["ok", "unknown", "unknown_value"]));
        assert_eq!(n, 1);
        assert!(text.contains("UnknownValue2(::std::string::String)"), "{text}");
        assert!(text.contains("Self::UnknownValue2(value) => f.write_str(value)"), "{text}");
    }

    #[test]
    fn constants_and_what_untagged_unions_tell_apart_stay_closed() {
        let src = [
            enum_src("Object", &["list"]),
            enum_src("ModelKnown", &["gpt-4", "gpt-5"]),
            enum_src("Kind", &["circle", "disc"]),
            enum_src("Deep", &["a", "b"]),
            enum_src("Note", &["x", "y"]),
            enum_src("SquareKind", &["square", "box"]),
            enum_src("Lone", &["x", "y"]),
            enum_src("Color", &["red", "blue"]),
            enum_src("MessageType", &["message"]),
            enum_src("CallType", &["call"]),
            enum_src("Status", &["done", "failed"]),
            enum_src("Level", &["low", "high"]),
            "#[serde(untagged)] pub enum Model { Known(ModelKnown), String(::std::string::String) }
             #[serde(untagged)] pub enum Shape { Circle(::std::boxed::Box<Circle>), Square { side: f64, kind: SquareKind } }
             pub struct Circle { pub kind: Kind, pub lone: Lone, pub note: ::std::option::Option<Note>, pub inner: Inner }
             pub struct Inner { pub deep: Deep }
             pub struct Paint { pub color: Color }
             #[serde(untagged)] pub enum Item { Message { type_: MessageType, status: Status }, Call { type_: CallType, status: Status } }
             #[serde(untagged)] pub enum Alike { A { type_: MessageType, level: Level }, B { type_: MessageType, level: Level } }"
                .to_owned(),
        ]
        .concat();
        let (n, text) = opened(&src);
        assert_eq!(n, 5 + 3, "the string enums, and the unions Shape, Item and Alike: {text}");
        let file: syn::File = syn::parse_str(&text).expect("output parses");
        let Some(Item::Mod(types)) = file.items.first() else { panic!("{text}") };
        let open: Vec<String> = types.content.iter().flat_map(|(_, items)| items).filter_map(|i| match i {
            Item::Enum(e) if e.variants.iter().any(|v| v.ident == "Unknown") && e.variants.iter().all(|v| matches!(v.fields, Fields::Unit) || v.ident == "Unknown") => Some(e.ident.to_string()),
            _ => None,
        }).collect();
        // `kind` is in both branches; `lone` and `note` in one only, and
        // `Deep` two structs away (serde does tell branches apart by it,
        // but only where all else is alike). `Item`'s tag tells its
        // branches apart, `Alike`'s does not (one value for both), so
        // `Status` is open and `Level` closed.
        assert_eq!(open, ["Deep", "Note", "Lone", "Color", "Status"]);
        assert!(text.contains("Copy") && text.contains("invalid value"), "the closed enums keep their shape: {text}");
    }

    #[test]
    fn an_enum_whose_impls_are_not_typifys_stays_closed() {
        let src = enum_src("Odd", &["a", "b"]).replace("_ => Err(\"invalid value\".into()),", "other => Err(other.into()),");
        let (n, text) = opened(&src);
        assert_eq!(n, 0);
        assert!(!text.contains("Unknown") && text.contains("match *self"), "{text}");
    }

    #[test]
    fn an_untagged_union_whose_branches_all_have_a_constant_reads_by_it() {
        let src = [
            enum_src("MessageType", &["message"]),
            enum_src("CallType", &["call"]),
            enum_src("Role", &["user"]),
            enum_src("NoteType", &["note"]),
            "pub struct Message { #[serde(rename = \"type\")] pub type_: MessageType, pub role: Role }
             pub struct Call { #[serde(rename = \"type\")] pub type_: CallType, pub role: Role }
             pub struct Loose { #[serde(rename = \"type\", default)] pub type_: CallType }
             #[serde(untagged)] pub enum Item { Message(Message), Call(::std::boxed::Box<Call>), Note { #[serde(rename = \"type\")] type_: NoteType, role: Role } }
             #[serde(untagged)] pub enum Mixed { Message(Message), Loose(Loose) }"
                .to_owned(),
        ]
        .concat();
        let (n, text) = opened(&src);
        let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = squeeze(&text);
        assert_eq!(n, 2, "Item and Mixed (the constants stay closed): {text}");
        // `role` is a constant of both too, with one value: `type` tells
        // more apart.
        assert!(text.contains("#[serde(remote = \"Self\")] pub enum Item"), "{text}");
        // A listed value of a branch holding a type is read as that type
        // (its errors name its fields); one of a branch of fields through
        // serde's derive; any other value is `Unknown`.
        let custom = ".map_err(<D::Error as ::serde::de::Error>::custom)";
        for want in [
            "match object.get(\"type\") { Some(::serde_json::Value::String(tag)) => { match tag.as_str() {".to_owned(),
            format!("\"call\" => {{ ::serde_json::from_value::< ::std::boxed::Box<Call>, >(::serde_json::Value::Object(object)) .map(Self::Call) {custom} }}"),
            format!("\"message\" => {{ ::serde_json::from_value::< Message, >(::serde_json::Value::Object(object)) .map(Self::Message) {custom} }}"),
            format!("\"note\" => {{ Self::deserialize(::serde_json::Value::Object(object)) {custom} }} _ => Ok(Self::Unknown(object)), }}"),
        ] {
            assert!(text.contains(&want), "missing `{want}` in:\n{text}");
        }
        // `Loose`'s `type` has a default, so it tells nothing apart.
        assert_eq!(text.matches("remote").count(), 1, "{text}");
    }

    #[test]
    fn unions_of_objects_read_any_other_object() {
        let src = [
            enum_src("Kind", &["a", "b"]),
            "pub struct A { pub kind: Kind } pub struct B { pub n: i64 }
             #[serde(tag = \"type\")] pub enum Tagged { #[serde(rename = \"a\")] A(A), #[serde(rename = \"empty\")] Empty }
             #[serde(untagged)] pub enum Outer { Inner(Inner), Other { x: i64 } }
             #[serde(untagged)] pub enum Plain { A(A), Other { x: ::std::option::Option<i64> } }
             #[serde(untagged)] pub enum Inner { A(::std::boxed::Box<A>), B(B) }
             #[serde(untagged)] pub enum Scalar { A(A), Number(i64) }
             #[derive(Hash)] #[serde(untagged)] pub enum Hashed { A(A), B(B) }
             #[serde(untagged)] pub enum Shown { A(A), B(B) }
             impl ::std::fmt::Display for Shown { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { match self { Self::A(_) => f.write_str(\"a\"), Self::B(_) => f.write_str(\"b\") } } }"
                .to_owned(),
        ]
        .concat();
        let (n, text) = opened(&src);
        let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = squeeze(&text);
        assert_eq!(n, 1 + 2, "Kind, Tagged and Plain: {text}");
        let map = "Unknown(::serde_json::Map<::std::string::String, ::serde_json::Value>)";
        // A tagged union reads by its tag (`by_tag`): serde's derive for
        // the listed kinds, `Unknown` for another tag value.
        assert!(text.contains(&format!("#[serde(rename = \"empty\")] Empty, /// An object this crate's spec does not describe (a newer /// server's), as it was sent. #[serde(skip)] {map}, }}")), "{text}");
        assert!(text.contains("#[non_exhaustive] #[serde(remote = \"Self\")] pub enum Tagged"), "{text}");
        assert!(text.contains("match object.get(\"type\")") && text.contains("if !matches!(tag.as_str(), \"a\" | \"empty\") => Ok(Self::Unknown(object))"), "{text}");
        assert!(text.contains("known => Self::serialize(known, serializer),"), "{text}");
        // No tag: any object no variant takes.
        assert!(text.contains(&format!("Other {{ x: ::std::option::Option<i64> }}, /// An object this crate's spec does not describe (a newer /// server's), as it was sent. {map}, }}")), "{text}");
        assert_eq!(text.matches("remote").count(), 1, "{text}");
        // `Inner` is a branch of `Outer` (open, it would take every
        // object), and `Outer` holds a union, not an object; `Scalar`
        // holds a number; `Hashed` derives what a map does not have;
        // `Shown` matches on itself.
        assert_eq!(text.matches(map).count(), 2, "{text}");
        assert_eq!(text.matches("#[non_exhaustive]").count(), 3, "{text}");
    }

    #[test]
    fn an_untagged_union_whose_branches_each_require_a_key_of_their_own_reads_by_keys() {
        let src = [
            enum_src("Operator", &["gt", "lt"]),
            "#[serde(deny_unknown_fields)] pub struct Equals { pub field: ::std::string::String, pub equals: ::serde_json::Value }
             #[serde(deny_unknown_fields)] pub struct Compare { pub field: ::std::string::String, pub operator: Operator, pub value: ::serde_json::Value, pub note: ::std::option::Option<::std::string::String> }
             pub struct Not { pub not: ::std::boxed::Box<Cond> }
             #[serde(untagged)] pub enum Cond { Equals(Equals), Compare(Compare), Not(::std::boxed::Box<Not>), Or { or: ::std::vec::Vec<Cond> } }
             pub struct Same { pub field: ::std::string::String }
             #[serde(untagged)] pub enum Alike { Equals(Equals), Same(Same) }
             pub struct Loose { #[serde(flatten)] pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value> }
             #[serde(untagged)] pub enum Flat { Equals(Equals), Loose(Loose) }
             pub struct Ai { #[serde(rename = \"type\")] pub type_: AiType, pub config: ::std::string::String }
             pub struct Said { #[serde(rename = \"type\")] pub type_: SaidType, pub config: ::std::string::String }
             pub struct Simple { pub instruction: ::std::string::String }
             #[serde(untagged)] pub enum Halt { Ai(Ai), Said(Said), Simple(Simple) }"
                .to_owned(),
            enum_src("AiType", &["ai"]),
            enum_src("SaidType", &["message"]),
        ]
        .concat();
        let (n, text) = opened(&src);
        let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = squeeze(&text);
        assert_eq!(n, 1 + 4, "Operator, and the unions Cond, Alike, Flat and Halt: {text}");
        // `Halt`: no `type` in `Simple`, so no tag; `config` is required
        // by two, but each `type` value by one alone.
        assert!(text.contains("let is = |key: &str, value: &str| { object.get(key).and_then(::serde_json::Value::as_str) == Some(value) };"), "{text}");
        assert!(text.contains("[ is(\"type\", \"ai\"), is(\"type\", \"message\"), has(&[\"instruction\"]), ]"), "{text}");
        assert_eq!(text.matches("let is =").count(), 1, "only where a value marks a branch: {text}");
        // `field` is required by two branches, `note` by none; `Same`
        // requires no key `Equals` does not, and `Loose` none at all (a
        // flattened map has no key of its own): those two unions stay
        // read by trying every branch.
        assert_eq!(text.matches("remote").count(), 2, "Cond and Halt: {text}");
        // Closed branches: `Compare` is held only by `Cond`, which reads
        // it by its keys, so it is opened; `Alike` and `Flat` try
        // `Equals` in order, so it stays closed.
        assert!(text.contains("#[serde(deny_unknown_fields)] pub struct Equals"), "{text}");
        assert!(text.contains("} pub struct Compare {"), "{text}");
        assert_eq!(text.matches("deny_unknown_fields").count(), 1, "{text}");
        let custom = ".map_err(<D::Error as ::serde::de::Error>::custom)";
        for want in [
            "#[serde(remote = \"Self\")] pub enum Cond".to_owned(),
            "[ has(&[\"equals\"]), has(&[\"operator\", \"value\"]), has(&[\"not\"]), has(&[\"or\"]), ]".to_owned(),
            "match (marked.next(), marked.next()) { (None, _) => Ok(Self::Unknown(object)),".to_owned(),
            "match i { 0 => { ::serde_json::from_value::< Equals, >(::serde_json::Value::Object(object)) .map(Self::Equals) }".to_owned(),
            "2 => { ::serde_json::from_value::< ::std::boxed::Box<Not>, >(::serde_json::Value::Object(object)) .map(Self::Not) }".to_owned(),
            // `Or` holds fields, not a type: serde's derive reads it.
            "_ => Self::deserialize(::serde_json::Value::Object(object)), }".to_owned(),
            format!("(Some(i), None) => {{ read(i, object){custom} }}"),
            "[first, second] .into_iter() .chain(marked) .find_map(|i| read(i, object.clone()).ok()) .unwrap_or(Self::Unknown(object)),".to_owned(),
        ] {
            assert!(text.contains(&want), "missing `{want}` in:\n{text}");
        }
    }
}
