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
use syn::Item;

/// Variants renamed: enum → old name → new name.
pub type VariantRenames = HashMap<String, HashMap<String, String>>;

/// Renames lower-case variants of the enums in `items` (their definitions
/// only); returns the renames for [`rename_paths`].
pub fn fix(items: &mut [Item]) -> VariantRenames {
    let mut renames = VariantRenames::new();
    collect(items, &mut renames);
    renames
}

/// Makes every path to a renamed variant, and every mention of a renamed
/// type, follow: one pass over the file for [`fix`] and
/// `variant_names::fix` together.
pub fn rename_paths(items: &mut [Item], variants: &VariantRenames, types: &HashMap<String, String>) {
    if variants.is_empty() && types.is_empty() {
        return;
    }
    let mut paths = Rename { variants, types, self_ty: None, buf: Default::default() };
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
struct Rename<'a> {
    variants: &'a VariantRenames,
    types: &'a HashMap<String, String>,
    self_ty: Option<String>,
    /// Reused for each identifier's text: a whole file's paths are read,
    /// and a `String` each cost GitHub 50 ms.
    buf: [String; 2],
}

/// `i`'s text, written into `buf`.
fn text<'b>(buf: &'b mut String, i: &syn::Ident) -> &'b str {
    use std::fmt::Write;
    buf.clear();
    let _ = write!(buf, "{i}");
    buf
}

impl Rename<'_> {
    fn rename_type(&mut self, i: &mut syn::Ident) {
        if !self.types.is_empty()
            && let Some(new) = self.types.get(text(&mut self.buf[0], i))
        {
            *i = syn::Ident::new(new, i.span());
        }
    }
}

impl VisitMut for Rename<'_> {
    fn visit_item_impl_mut(&mut self, i: &mut syn::ItemImpl) {
        let outer = self.self_ty.take();
        self.self_ty = super::features::type_ident(&i.self_ty);
        syn::visit_mut::visit_item_impl_mut(self, i);
        self.self_ty = outer;
    }

    fn visit_path_mut(&mut self, p: &mut syn::Path) {
        let n = p.segments.len();
        if n >= 2 && !self.variants.is_empty() {
            let [owner_buf, last_buf] = &mut self.buf;
            let owner = text(owner_buf, &p.segments[n - 2].ident);
            let owner = if owner == "Self" { self.self_ty.as_deref() } else { Some(owner) };
            if let Some(map) = owner.and_then(|o| self.variants.get(o))
                && let Some(new) = map.get(text(last_buf, &p.segments[n - 1].ident))
            {
                let span = p.segments[n - 1].ident.span();
                p.segments[n - 1].ident = syn::Ident::new(new, span);
            }
        }
        for s in p.segments.iter_mut() {
            self.rename_type(&mut s.ident);
        }
        syn::visit_mut::visit_path_mut(self, p);
    }

    // Types are named by paths and defined by items; other identifiers
    // (fields, functions) are left unread.
    fn visit_item_struct_mut(&mut self, i: &mut syn::ItemStruct) {
        self.rename_type(&mut i.ident);
        syn::visit_mut::visit_item_struct_mut(self, i);
    }

    fn visit_item_enum_mut(&mut self, i: &mut syn::ItemEnum) {
        self.rename_type(&mut i.ident);
        syn::visit_mut::visit_item_enum_mut(self, i);
    }

    fn visit_item_type_mut(&mut self, i: &mut syn::ItemType) {
        self.rename_type(&mut i.ident);
        syn::visit_mut::visit_item_type_mut(self, i);
    }

    // Doc lines only: other literals are wire text, and reading every
    // literal's value cost GitHub 100 ms.
    fn visit_attribute_mut(&mut self, a: &mut syn::Attribute) {
        if !a.path().is_ident("doc") {
            return syn::visit_mut::visit_attribute_mut(self, a);
        }
        if self.types.is_empty() {
            return;
        }
        if let syn::Meta::NameValue(nv) = &mut a.meta
            && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(l), .. }) = &mut nv.value
            && let Some(new) = l.value().strip_prefix('`').and_then(|t| t.strip_suffix('`')).and_then(|t| self.types.get(t))
        {
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
        let renames = super::fix(&mut file.items);
        super::rename_paths(&mut file.items, &renames, &std::collections::HashMap::new());
        let text = file.to_token_stream().to_string();
        assert!(text.contains("# [serde (rename = \"+1\")] Plus1 , Laugh"), "{text}");
        assert!(text.contains("Self :: Plus1 => \"+1\""), "{text}");
        // A sibling already has the name: left alone (a warning beats a clash).
        assert!(text.contains("enum Both { plus1 , Plus1 }"), "{text}");
        // `Self` of another type is not the enum; a path through the enum is.
        assert!(text.contains("let _ = Self :: plus1 ; let _ = Content :: Plus1"), "{text}");
    }
}
