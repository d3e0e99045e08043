//! `application/x-www-form-urlencoded` request bodies with nested values.
//! progenitor sends form bodies with `.form_urlencoded(&body)?`
//! (serde_urlencoded), which fails on any nested object or array, so a
//! Stripe call that sets `metadata` or `expand` could not be sent. Each such
//! call becomes
//!
//! ```text
//! .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
//! .body(crate::hooks::form_urlencoded_body(&body).map_err(Error::InvalidRequest)?)
//! ```
//!
//! with the encoder of `templates/rust/form.rs` (appended to `src/hooks.rs`
//! of crates that use it): the rules of the TypeScript and Python runtimes,
//! held to the shared table `tests/data/form-bodies.json` by
//! `codegen/tests/query_styles.rs`. Runs after `multipart::rewrite`, which
//! takes the multipart operations' calls first.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::{self, VisitMut};

use crate::error::{Error, Result};
use crate::model::{Api, Style};

/// The encoder's tokens, for `src/hooks.rs`.
pub fn emit() -> Result<TokenStream> {
    include_str!("../../../templates/rust/form.rs")
        .parse()
        .map_err(|e: proc_macro2::LexError| Error::Internal { what: "templates/rust/form.rs".into(), message: e.to_string() })
}

/// Operation (snake-cased id) → the `encoding` styles of its url-encoded
/// body's fields.
pub type Encodings = BTreeMap<String, Vec<(String, Style, bool)>>;

/// The `encoding` styles of `api`'s url-encoded bodies.
pub fn encodings(api: &Api) -> Encodings {
    api.operations.iter().filter(|op| !op.form_encoding().is_empty()).map(|op| (op.id.to_snake_case(), op.form_encoding().to_vec())).collect()
}

/// Sends every form body through `hooks::form_urlencoded_body`, with its
/// operation's `encoding` styles; returns whether there was one (the crate
/// needs the encoder).
pub fn rewrite(file: &mut syn::File, encodings: &Encodings) -> bool {
    let mut r = Rewrite { encodings, current: Vec::new(), used: false };
    r.visit_file_mut(file);
    r.used
}

struct Rewrite<'a> {
    encodings: &'a Encodings,
    /// The styles of the operation being visited.
    current: Vec<(String, Style, bool)>,
    used: bool,
}

impl VisitMut for Rewrite<'_> {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        self.current = super::post::operation_id(f).and_then(|id| self.encodings.get(&id)).cloned().unwrap_or_default();
        visit_mut::visit_impl_item_fn_mut(self, f);
        self.current.clear();
    }

    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        if let syn::Expr::Try(t) = &*e
            && let syn::Expr::MethodCall(call) = &*t.expr
            && call.method == "form_urlencoded"
            && call.args.len() == 1
        {
            let receiver = &call.receiver;
            let arg = &call.args;
            let styles = self.current.iter().map(|(name, style, explode)| {
                let style = format_ident!("{}", super::query::style_variant(*style));
                quote!((#name, crate::hooks::QueryStyle::#style, #explode))
            });
            *e = syn::parse_quote! {
                #receiver
                    .header(::reqwest::header::CONTENT_TYPE, ::reqwest::header::HeaderValue::from_static("application/x-www-form-urlencoded"))
                    .body(crate::hooks::form_urlencoded_body(#arg, &[#(#styles),*]).map_err(Error::InvalidRequest)?)
            };
            self.used = true;
        }
        visit_mut::visit_expr_mut(self, e);
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn form_bodies_go_through_the_encoder() {
        let mut file: syn::File = syn::parse_quote! {
            impl<'a> CreateCharge<'a> {
                pub async fn send(self) {
                    let request = client.client.post(url).form_urlencoded(&body)?.headers(header_map).build()?;
                    let info = OperationInfo { operation_id: "create_charge" };
                }
            }
            impl<'a> Plain<'a> {
                pub async fn send(self) {
                    let request = client.client.post(url).form_urlencoded(&body)?.build()?;
                    let info = OperationInfo { operation_id: "plain" };
                }
            }
        };
        let encodings: Encodings = [("create_charge".to_owned(), vec![("expand".to_owned(), Style::DeepObject, true)])].into_iter().collect();
        assert!(rewrite(&mut file, &encodings));
        let want = quote! {
            let request = client.client.post(url)
                .header(::reqwest::header::CONTENT_TYPE, ::reqwest::header::HeaderValue::from_static("application/x-www-form-urlencoded"))
                .body(crate::hooks::form_urlencoded_body(&body, &[("expand", crate::hooks::QueryStyle::DeepObject, true)]).map_err(Error::InvalidRequest)?)
                .headers(header_map).build()?;
        };
        let text = file.to_token_stream().to_string();
        assert!(text.contains(&want.to_string()), "{text}");
        assert!(text.contains("form_urlencoded_body (& body , & []) . map_err"), "an operation without encoding: {text}");
        assert!(!rewrite(&mut file, &encodings), "nothing left to rewrite");
    }

    #[test]
    fn the_encoder_parses() {
        let file: syn::File = syn::parse2(emit().expect("the encoder's tokens")).expect("a file");
        assert!(file.items.iter().any(|i| matches!(i, syn::Item::Fn(f) if f.sig.ident == "form_urlencoded_body")));
    }
}
