//! Enum variants in UpperCamelCase. typify names some unit variants in
//! lower case (GitHub's reaction value `"+1"` becomes `plus1` in the enums
//! that lack `"-1"`), which rustc's `non_camel_case_types` lint flags; the
//! generated crate must compile without warnings. A variant whose name
//! starts with a lower-case letter gets its first letter capitalised when
//! no sibling has that name already; the wire name is kept by its serde
//! `rename`, and paths naming it (`Enum::plus1`, `Self::plus1` inside the
//! enum's impls) follow.

use std::collections::{HashMap, HashSet};

use syn::visit_mut::VisitMut;
use syn::{Item, Type};

/// Renames lower-case variants of the enums in `items` and everywhere below.
pub fn fix(items: &mut [Item]) {
    let mut renames: HashMap<String, HashMap<String, String>> = HashMap::new();
    collect(items, &mut renames);
    if renames.is_empty() {
        return;
    }
    let mut paths = Rename { variants: &renames, types: &HashMap::new(), self_ty: None };
    for item in items.iter_mut() {
        paths.visit_item_mut(item);
    }
}

fn collect(items: &mut [Item], renames: &mut HashMap<String, HashMap<String, String>>) {
    for item in items.iter_mut() {
        match item {
            Item::Enum(e) => {
                let names: HashSet<String> = e.variants.iter().map(|v| v.ident.to_string()).collect();
                for v in e.variants.iter_mut() {
                    let old = v.ident.to_string();
                    let mut chars = old.chars();
                    let Some(first) = chars.next().filter(char::is_ascii_lowercase) else { continue };
                    let new = format!("{}{}", first.to_ascii_uppercase(), chars.as_str());
                    if names.contains(&new) {
                        continue;
                    }
                    v.ident = syn::Ident::new(&new, v.ident.span());
                    renames.entry(e.ident.to_string()).or_default().insert(old, new);
                }
            }
            Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    collect(inner, renames);
                }
            }
            _ => {}
        }
    }
}

/// Rewrites `Enum::old` anywhere and `Self::old` inside `impl .. for
/// Enum` (`variants`: enum → old → new); and renamed types (`types`: old
/// → new) wherever they are named, their doc line (typify's "`Name`")
/// included.
pub(super) struct Rename<'a> {
    pub variants: &'a HashMap<String, HashMap<String, String>>,
    pub types: &'a HashMap<String, String>,
    pub self_ty: Option<String>,
}

impl VisitMut for Rename<'_> {
    fn visit_item_impl_mut(&mut self, i: &mut syn::ItemImpl) {
        let outer = self.self_ty.take();
        self.self_ty = match &*i.self_ty {
            Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        syn::visit_mut::visit_item_impl_mut(self, i);
        self.self_ty = outer;
    }

    fn visit_path_mut(&mut self, p: &mut syn::Path) {
        let n = p.segments.len();
        if n >= 2 {
            let owner = p.segments[n - 2].ident.to_string();
            let owner = if owner == "Self" { self.self_ty.clone() } else { Some(owner) };
            if let Some(map) = owner.and_then(|o| self.variants.get(&o))
                && let Some(new) = map.get(&p.segments[n - 1].ident.to_string())
            {
                let span = p.segments[n - 1].ident.span();
                p.segments[n - 1].ident = syn::Ident::new(new, span);
            }
        }
        syn::visit_mut::visit_path_mut(self, p);
    }

    fn visit_ident_mut(&mut self, i: &mut syn::Ident) {
        if !self.types.is_empty()
            && let Some(new) = self.types.get(&i.to_string())
        {
            *i = syn::Ident::new(new, i.span());
        }
    }

    fn visit_lit_str_mut(&mut self, l: &mut syn::LitStr) {
        if self.types.is_empty() {
            return;
        }
        let text = l.value();
        if let Some(new) = text.strip_prefix('`').and_then(|t| t.strip_suffix('`')).and_then(|t| self.types.get(t)) {
            *l = syn::LitStr::new(&format!("`{new}`"), l.span());
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn lower_case_variants_and_their_paths_are_renamed() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub enum Content { #[serde(rename = "+1")] plus1, Laugh }
                pub enum Both { plus1, Plus1 }
                impl ::std::fmt::Display for Content {
                    fn fmt(&self) -> &str { match *self { Self::plus1 => "+1", Self::Laugh => "laugh" } }
                }
                impl Other { fn f() { let _ = Self::plus1; let _ = Content::plus1; } }
            }
        };
        super::fix(&mut file.items);
        let text = file.to_token_stream().to_string();
        assert!(text.contains("# [serde (rename = \"+1\")] Plus1 , Laugh"), "{text}");
        assert!(text.contains("Self :: Plus1 => \"+1\""), "{text}");
        // A sibling already has the name: left alone (a warning beats a clash).
        assert!(text.contains("enum Both { plus1 , Plus1 }"), "{text}");
        // `Self` of another type is not the enum; a path through the enum is.
        assert!(text.contains("let _ = Self :: plus1 ; let _ = Content :: Plus1"), "{text}");
    }
}
