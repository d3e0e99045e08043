//! typify's struct builders (`types::builder::X`), kept only where a
//! request needs them.
//!
//! progenitor's operation builders take a request body as a typify builder
//! (`.body(..)`, `.body_map(|b| ..)`), so typify writes a builder for every
//! struct: a second struct, a setter per field and two conversions, more
//! than half of a large crate (GitHub: 3,579 builders, 850,000 of 1.46
//! million lines, of which request bodies name 289). A builder is kept for
//! every type a request body names and every type those reach (so nested
//! request objects keep theirs); the others go, with their `X::builder()`.
//! Every struct still has `new(required…)` (`post::constructors`), and
//! response types are only read.

use std::collections::BTreeSet;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use syn::Item;

/// Removes the builders no request reaches (module doc). `deferred` are
/// the items of `types::builder` left unparsed (`itemwise`): the wanted
/// ones are parsed into it, in order, after the ones already there; the
/// others are dropped unparsed (GitHub: 0.4 s of parsing not done).
pub fn prune(file: &mut syn::File, deferred: Vec<super::itemwise::Piece>) -> syn::Result<()> {
    // Builders named outside `types`: progenitor's operation builders.
    let mut used = Used(BTreeSet::new());
    for item in &file.items {
        if !matches!(item, Item::Mod(m) if m.ident == "types") {
            syn::visit::Visit::visit_item(&mut used, item);
        }
    }
    let used = used.0;
    let Some(types) = file.items.iter_mut().find_map(|i| match i {
        Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return Ok(());
    };
    let keep = reachable(types, used);
    let mut deferred = Some(deferred);
    for item in types.iter_mut() {
        let name = self_name(item);
        match item {
            Item::Mod(m) if m.ident == "builder" => {
                if let Some((_, items)) = &mut m.content {
                    items.retain(|i| self_name(i).is_none_or(|n| keep.contains(&n)));
                    for piece in deferred.take().into_iter().flatten() {
                        if piece.name.as_ref().is_none_or(|n| keep.contains(n)) {
                            items.push(piece.parse()?);
                        }
                    }
                }
            }
            Item::Impl(imp) if imp.trait_.is_none() && name.is_some_and(|n| !keep.contains(&n)) => {
                imp.items.retain(|i| !matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "builder"));
            }
            _ => {}
        }
    }
    types.retain(|i| !matches!(i, Item::Impl(imp) if imp.trait_.is_none() && imp.items.is_empty()));
    Ok(())
}

/// `used` and every type of `types` their struct or enum items name.
fn reachable(types: &[Item], used: BTreeSet<String>) -> BTreeSet<String> {
    let mut edges: HashMap<String, BTreeSet<String>> = HashMap::default();
    for item in types {
        let (Item::Struct(_) | Item::Enum(_)) = item else { continue };
        let Some(name) = self_name(item) else { continue };
        let mut words = HashSet::default();
        super::features::words(item, &mut words);
        edges.entry(name).or_default().extend(words);
    }
    let mut keep = BTreeSet::new();
    let mut todo: Vec<String> = used.into_iter().collect();
    while let Some(name) = todo.pop() {
        if !keep.insert(name.clone()) {
            continue;
        }
        if let Some(next) = edges.get(&name) {
            todo.extend(next.iter().filter(|n| edges.contains_key(*n) && !keep.contains(*n)).cloned());
        }
    }
    keep
}

/// The `X` of every path `types::builder::X`, walking the tree (printing
/// progenitor's builders to search the text took seconds on GitHub's spec).
struct Used(BTreeSet<String>);

impl<'ast> syn::visit::Visit<'ast> for Used {
    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<&syn::PathSegment> = p.segments.iter().collect();
        for w in segments.windows(3) {
            if w[0].ident == "types" && w[1].ident == "builder" {
                self.0.insert(w[2].ident.to_string());
            }
        }
        syn::visit::visit_path(self, p);
    }
}

/// The name of a struct, an enum, or an impl's self type (last segment).
fn self_name(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => Some(s.ident.to_string()),
        Item::Enum(e) => Some(e.ident.to_string()),
        Item::Impl(imp) => match &*imp.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn keeps_builders_of_request_bodies_and_what_they_reach() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Body { pub inner: Inner }
                pub struct Inner { pub x: String }
                pub struct Response { pub y: String }
                impl Body { pub fn builder() -> builder::Body { Default::default() } }
                impl Response { pub fn builder() -> builder::Response { Default::default() } }
                impl Response { pub fn new(y: String) -> Self { Self { y } } }
                pub mod builder {
                    pub struct Body { inner: Result<super::Inner, String> }
                    impl Default for Body { fn default() -> Self { todo!() } }
                    pub struct Inner { x: Result<String, String> }
                    pub struct Response { y: Result<String, String> }
                    impl Default for Response { fn default() -> Self { todo!() } }
                    impl Response { pub fn y(self) -> Self { self } }
                    impl ::std::convert::TryFrom<Response> for super::Response { type Error = (); fn try_from(v: Response) -> Result<Self, ()> { todo!() } }
                    impl ::std::convert::From<super::Response> for Response { fn from(v: super::Response) -> Self { todo!() } }
                }
            }
            pub mod builder {
                pub struct Op<'a> { body: Result<types::builder::Body, String> }
            }
        };
        prune(&mut file, Vec::new()).expect("parses");
        let text = file.to_token_stream().to_string();
        assert!(text.contains("pub struct Body { inner"), "{text}");
        assert!(text.contains("pub struct Inner { x : Result"), "reached from a body: {text}");
        assert!(!text.contains("builder :: Response"), "{text}");
        assert!(!text.contains("pub struct Response { y : Result"), "{text}");
        assert_eq!(text.matches("impl Default for").count(), 1, "{text}");
        assert!(text.contains("pub fn new (y : String)"), "constructors stay: {text}");
        assert!(text.contains("pub fn builder () -> builder :: Body"), "{text}");
    }
}
