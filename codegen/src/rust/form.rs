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
//! `codegen/tests/form_bodies.rs`. Runs after `multipart::rewrite`, which
//! takes the multipart operations' calls first.

use proc_macro2::TokenStream;
use syn::visit_mut::{self, VisitMut};

use crate::error::{Error, Result};

/// The encoder's tokens, for `src/hooks.rs`.
pub fn emit() -> Result<TokenStream> {
    include_str!("../../../templates/rust/form.rs")
        .parse()
        .map_err(|e: proc_macro2::LexError| Error::Internal { what: "templates/rust/form.rs".into(), message: e.to_string() })
}

/// Sends every form body through `hooks::form_urlencoded_body`; returns
/// whether there was one (the crate needs the encoder).
pub fn rewrite(file: &mut syn::File) -> bool {
    let mut r = Rewrite(false);
    r.visit_file_mut(file);
    r.0
}

struct Rewrite(bool);

impl VisitMut for Rewrite {
    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        if let syn::Expr::Try(t) = &*e
            && let syn::Expr::MethodCall(call) = &*t.expr
            && call.method == "form_urlencoded"
            && call.args.len() == 1
        {
            let receiver = &call.receiver;
            let arg = &call.args;
            *e = syn::parse_quote! {
                #receiver
                    .header(::reqwest::header::CONTENT_TYPE, ::reqwest::header::HeaderValue::from_static("application/x-www-form-urlencoded"))
                    .body(crate::hooks::form_urlencoded_body(#arg).map_err(Error::InvalidRequest)?)
            };
            self.0 = true;
        }
        visit_mut::visit_expr_mut(self, e);
    }
}

#[cfg(test)]
mod tests {
    use quote::{ToTokens, quote};

    use super::*;

    #[test]
    fn form_bodies_go_through_the_encoder() {
        let mut file: syn::File = syn::parse_quote! {
            impl<'a> CreateCharge<'a> {
                pub async fn send(self) {
                    let request = client.client.post(url).form_urlencoded(&body)?.headers(header_map).build()?;
                }
            }
        };
        assert!(rewrite(&mut file));
        let want = quote! {
            let request = client.client.post(url)
                .header(::reqwest::header::CONTENT_TYPE, ::reqwest::header::HeaderValue::from_static("application/x-www-form-urlencoded"))
                .body(crate::hooks::form_urlencoded_body(&body).map_err(Error::InvalidRequest)?)
                .headers(header_map).build()?;
        };
        let text = file.to_token_stream().to_string();
        assert!(text.contains(&want.to_string()), "{text}");
        assert!(!rewrite(&mut file), "nothing left to rewrite");
    }

    #[test]
    fn the_encoder_parses() {
        let file: syn::File = syn::parse2(emit().expect("the encoder's tokens")).expect("a file");
        assert!(file.items.iter().any(|i| matches!(i, syn::Item::Fn(f) if f.sig.ident == "form_urlencoded_body")));
    }
}
