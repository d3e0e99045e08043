//! Enum values given to typify as sentinels, turned back into their wire
//! text. `normalize::names` replaces values whose variants typify would
//! name alike (`name`, `-name`, `+name`; `=`, `!=`) with sentinels named
//! after their spelled-out punctuation (`\u{1}minus name\u{1}`, which
//! typify names `MinusName`); here every string literal of the generated
//! file that holds one, `#[serde(rename = "…")]`, `Display`, `FromStr` and
//! default values alike, gets the wire value back (in `mod types`, where
//! typify writes). Literals inside
//! attributes and macros are tokens, not syntax, and are rewritten as
//! tokens.

use proc_macro2::{Group, Literal, TokenStream, TokenTree};
use syn::visit_mut::{self, VisitMut};

use crate::error::{Error, Result};
use crate::normalize::names::Sentinels;

/// Restores the wire values of `sentinels` in `file` (module doc). A
/// literal that still holds a sentinel's mark afterwards is an error: a
/// value would go on the wire as the sentinel.
pub fn restore(file: &mut syn::File, sentinels: &Sentinels) -> Result<()> {
    if sentinels.is_empty() {
        return Ok(());
    }
    // A sentinel holds `\u{1}` only at its two ends, so none is inside
    // another and the order of replacement does not matter.
    let pairs = sentinels.iter().map(|(s, w)| (s.as_str(), w.as_str())).collect();
    // The values live where typify writes: `mod types` (enums, their
    // impls, defaults). progenitor's methods name them through `Display`
    // and `Serialize`, never as literals, so the rest is not walked (on
    // GitHub's crate, half the post-processing time of this step).
    let mut r = Restore { pairs, left: None };
    for item in &mut file.items {
        if let syn::Item::Mod(m) = item
            && m.ident == "types" {
                r.visit_item_mod_mut(m);
            }
    }
    match r.left {
        Some(text) => Err(Error::Internal { what: "src/client.rs".into(), message: format!("an enum value's sentinel is left in the literal {text:?}") }),
        None => Ok(()),
    }
}

struct Restore<'a> {
    pairs: Vec<(&'a str, &'a str)>,
    /// A literal with a sentinel mark left after restoring.
    left: Option<String>,
}

impl Restore<'_> {
    /// `text` with its sentinels replaced, if it has any.
    fn fix(&mut self, text: &str) -> Option<String> {
        if !text.contains('\u{1}') {
            return None;
        }
        let mut out = text.to_owned();
        for (sentinel, wire) in &self.pairs {
            if out.contains(sentinel) {
                out = out.replace(sentinel, wire);
            }
        }
        if out.contains('\u{1}') {
            self.left = Some(out.clone());
        }
        Some(out)
    }

    fn tokens(&mut self, tokens: TokenStream) -> TokenStream {
        tokens
            .into_iter()
            .map(|tt| match tt {
                TokenTree::Group(g) => {
                    let mut fixed = Group::new(g.delimiter(), self.tokens(g.stream()));
                    fixed.set_span(g.span());
                    TokenTree::Group(fixed)
                }
                TokenTree::Literal(l) => {
                    let text = syn::parse2::<syn::LitStr>(TokenTree::Literal(l.clone()).into()).ok().and_then(|s| self.fix(&s.value()));
                    match text {
                        Some(text) => {
                            let mut fixed = Literal::string(&text);
                            fixed.set_span(l.span());
                            TokenTree::Literal(fixed)
                        }
                        None => TokenTree::Literal(l),
                    }
                }
                other => other,
            })
            .collect()
    }
}

impl VisitMut for Restore<'_> {
    fn visit_lit_str_mut(&mut self, l: &mut syn::LitStr) {
        if let Some(text) = self.fix(&l.value()) {
            *l = syn::LitStr::new(&text, l.span());
        }
    }

    fn visit_attribute_mut(&mut self, a: &mut syn::Attribute) {
        // Docs are most of the literals and never name a value typify was
        // given; reading each would cost GitHub's crate 50 ms.
        if a.path().is_ident("doc") {
            return;
        }
        if let syn::Meta::List(list) = &mut a.meta
            && has_mark(&list.tokens) {
                list.tokens = self.tokens(std::mem::take(&mut list.tokens));
            }
        visit_mut::visit_attribute_mut(self, a);
    }

    fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
        if has_mark(&m.tokens) {
            m.tokens = self.tokens(std::mem::take(&mut m.tokens));
        }
    }
}

/// Whether a literal in `tokens` holds a sentinel's mark. Most attributes
/// (`derive`, `serde`) and macros have none; rebuilding their tokens would
/// cost GitHub's crate a tenth of a second.
fn has_mark(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|tt| match tt {
        TokenTree::Group(g) => has_mark(&g.stream()),
        // A literal prints `\u{1}` for the mark.
        TokenTree::Literal(l) => {
            let text = l.to_string();
            text.contains("\\u{1}") || text.contains('\u{1}')
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn sentinels_become_wire_values_in_literals_attributes_and_macros() {
        let mut file: syn::File = syn::parse_quote! {
          pub mod types {
            pub enum Sort {
                #[serde(rename = "\u{1} minus name\u{1}")]
                MinusName,
                #[serde(rename = "name")]
                Name,
            }
            impl Sort {
                fn text(&self) -> &str {
                    match self { Self::MinusName => "\u{1} minus name\u{1}", Self::Name => "name" }
                }
                fn parse(s: &str) -> String { format!("bad {} in {}", s, "\u{1} minus name\u{1}") }
            }
          }
        };
        let sentinels: Sentinels = [("\u{1} minus name\u{1}".to_owned(), "-name".to_owned())].into_iter().collect();
        restore(&mut file, &sentinels).expect("every sentinel restored");
        let text = file.to_token_stream().to_string();
        assert!(!text.contains('\u{1}') && !text.contains("u{1}"), "{text}");
        assert!(text.contains(r#"rename = "-name""#), "{text}");
        assert!(text.contains(r#"Self :: MinusName => "-name""#), "{text}");
        assert!(text.contains(r#""bad {} in {}" , s , "-name""#), "{text}");
    }

    #[test]
    fn marks_are_found_in_built_literals_only() {
        // typify builds its literals from strings, as here.
        let lit = Literal::string("\u{1} minus name\u{1}");
        assert!(has_mark(&quote::quote!(serde(rename = #lit))));
        assert!(!has_mark(&quote::quote!(serde(rename = "-name", default))));
    }

    #[test]
    fn a_sentinel_left_over_is_an_error() {
        let mut file: syn::File = syn::parse_quote! { pub mod types { const A: &str = "\u{1} plus name\u{1}"; } };
        let sentinels: Sentinels = [("\u{1} minus name\u{1}".to_owned(), "-name".to_owned())].into_iter().collect();
        let err = restore(&mut file, &sentinels).expect_err("an unknown sentinel");
        assert!(err.to_string().contains("sentinel is left"), "{err}");
    }
}
