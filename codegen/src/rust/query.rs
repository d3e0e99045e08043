//! Query parameters in a style other than `form`, exploded (Stripe's
//! `deepObject` `expand` and `created`, `pipeDelimited` lists, `form` with
//! `explode: false`). progenitor writes every query parameter in that one
//! style (`normalize::engine::rust` makes its copy say so);
//! here each such parameter's `.query(&progenitor_client::QueryParam::new(
//! "name", &value))` is taken out of the request builder and the value is
//! appended to the URL by the crate's own encoder instead:
//!
//! ```text
//! let url = crate::hooks::append_query(url, "expand", &expand,
//!     crate::hooks::QueryStyle::DeepObject, true).map_err(Error::InvalidRequest)?;
//! ```
//!
//! The encoder (`templates/rust/query.rs`, appended to `src/hooks.rs` only
//! by crates that use it) writes the same bytes as the TypeScript and Python
//! runtimes; `codegen/tests/query_styles.rs` holds it to the shared table
//! `tests/data/query-styles.json`. reqwest appends progenitor's own query
//! pairs after it, so such parameters come first in the query string.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident};
use syn::visit_mut::{self, VisitMut};

use crate::error::{Error, Result};
use crate::model::{Api, Style};

/// The encoder's tokens, for `src/hooks.rs`.
pub fn emit() -> Result<TokenStream> {
    include_str!("../../../templates/rust/query.rs")
        .parse()
        .map_err(|e: proc_macro2::LexError| Error::Internal { what: "templates/rust/query.rs".into(), message: e.to_string() })
}

/// Operation (snake-cased id, as in progenitor's `OperationInfo`) → its
/// styled query parameters: wire name → (style, explode).
pub type Styled = BTreeMap<String, BTreeMap<String, (Style, bool)>>;

/// The query parameters of `api` that progenitor cannot write.
pub fn styled(api: &Api) -> Styled {
    let mut out = Styled::new();
    for op in &api.operations {
        let params: BTreeMap<String, (Style, bool)> = op.parameters.iter().filter(|p| p.has_query_style()).map(|p| (p.name.clone(), (p.style, p.explode))).collect();
        if !params.is_empty() {
            out.insert(op.id.to_snake_case(), params);
        }
    }
    out
}

/// Sends the parameters of `styled` through `hooks::append_query` (module
/// doc). Returns whether any was, that is whether the crate needs the encoder.
pub fn rewrite(file: &mut syn::File, styled: &Styled) -> bool {
    if styled.is_empty() {
        return false;
    }
    let mut r = Rewrite { styled, used: false };
    r.visit_file_mut(file);
    r.used
}

struct Rewrite<'a> {
    styled: &'a Styled,
    used: bool,
}

impl VisitMut for Rewrite<'_> {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        let Some(params) = super::post::operation_id(f).and_then(|id| self.styled.get(&id)) else {
            return visit_mut::visit_impl_item_fn_mut(self, f);
        };
        let mut take = TakeQuery { params, taken: Vec::new() };
        take.visit_block_mut(&mut f.block);
        if take.taken.is_empty() {
            return;
        }
        let Some((at, url)) = f.block.stmts.iter().enumerate().find_map(|(i, s)| let_url(s).map(|url| (i, url))) else { return };
        let appends = take.taken.iter().map(|(name, value, (style, explode))| {
            let style = format_ident!("{}", style_variant(*style));
            let stmt: syn::Stmt = syn::parse_quote! {
                let #url = crate::hooks::append_query(#url, #name, #value, crate::hooks::QueryStyle::#style, #explode).map_err(Error::InvalidRequest)?;
            };
            stmt
        });
        let appends: Vec<syn::Stmt> = appends.collect();
        f.block.stmts.splice(at + 1..at + 1, appends);
        self.used = true;
    }
}

/// The `hooks::QueryStyle` variant of a style.
pub(super) fn style_variant(style: Style) -> &'static str {
    match style {
        // The path and header styles are never query styles;
        // `has_query_style` keeps them out.
        Style::Form | Style::Simple | Style::Label | Style::Matrix => "Form",
        Style::SpaceDelimited => "SpaceDelimited",
        Style::PipeDelimited => "PipeDelimited",
        Style::DeepObject => "DeepObject",
    }
}

/// The request URL's variable: `url` of `let url = format!(…);`, or `_url`
/// when a parameter is called `url` (progenitor's `let url =
/// url.map_err(…)?` is that parameter).
pub(super) fn let_url(stmt: &syn::Stmt) -> Option<syn::Ident> {
    let syn::Stmt::Local(local) = stmt else { return None };
    let syn::Pat::Ident(p) = &local.pat else { return None };
    let init = local.init.as_ref()?;
    let is_format = matches!(&*init.expr, syn::Expr::Macro(m) if m.mac.path.is_ident("format"));
    (is_format && (p.ident == "url" || p.ident == "_url")).then(|| p.ident.clone())
}

/// Takes `.query(&progenitor_client::QueryParam::new("name", value))` calls
/// of the listed parameters out of method chains.
struct TakeQuery<'a> {
    params: &'a BTreeMap<String, (Style, bool)>,
    /// (wire name, value expression, style) in the order met.
    taken: Vec<(String, syn::Expr, (Style, bool))>,
}

impl VisitMut for TakeQuery<'_> {
    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        // Inner calls first: in `a.query(x).query(y)` the receiver holds `x`.
        visit_mut::visit_expr_mut(self, e);
        let syn::Expr::MethodCall(call) = &*e else { return };
        if call.method != "query" || call.args.len() != 1 {
            return;
        }
        let Some(syn::Expr::Reference(arg)) = call.args.first() else { return };
        let syn::Expr::Call(new) = &*arg.expr else { return };
        let path = new.func.to_token_stream().to_string().replace(' ', "");
        if path != "progenitor_client::QueryParam::new" || new.args.len() != 2 {
            return;
        }
        let Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(name), .. })) = new.args.first() else { return };
        let Some(&style) = self.params.get(&name.value()) else { return };
        let value = new.args[1].clone();
        self.taken.push((name.value(), value, style));
        *e = (*call.receiver).clone();
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn styled_parameters_go_through_the_encoder() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ListCharges<'a> {
                    pub async fn send(self) {
                        let url = format!("{}/v1/charges", client.baseurl,);
                        let mut request = client.client.get(url)
                            .query(&progenitor_client::QueryParam::new("created", &created))
                            .query(&progenitor_client::QueryParam::new("expand", &expand))
                            .query(&progenitor_client::QueryParam::new("limit", &limit))
                            .build()?;
                        let info = OperationInfo { operation_id: "list_charges" };
                    }
                }
                impl<'a> Products<'a> {
                    pub async fn send(self) {
                        let url = url.map_err(Error::InvalidRequest)?;
                        let _url = format!("{}/v1/products", client.baseurl,);
                        let mut request = client.client.get(_url).query(&progenitor_client::QueryParam::new("created", &created)).query(&progenitor_client::QueryParam::new("url", &url)).build()?;
                        let info = OperationInfo { operation_id: "products" };
                    }
                }
                impl<'a> Other<'a> {
                    pub async fn send(self) {
                        let url = format!("{}/v1/other", client.baseurl,);
                        let mut request = client.client.get(url).query(&progenitor_client::QueryParam::new("expand", &expand)).build()?;
                        let info = OperationInfo { operation_id: "other" };
                    }
                }
            }
        };
        let mut styled = Styled::new();
        styled.insert("products".into(), [("created".to_owned(), (Style::DeepObject, true))].into_iter().collect());
        styled.insert("list_charges".into(), [("created".to_owned(), (Style::DeepObject, true)), ("expand".to_owned(), (Style::Form, false))].into_iter().collect());
        assert!(rewrite(&mut file, &styled));
        let text = file.to_token_stream().to_string();
        let want = quote! {
            let url = format!("{}/v1/charges", client.baseurl,);
            let url = crate::hooks::append_query(url, "created", &created, crate::hooks::QueryStyle::DeepObject, true).map_err(Error::InvalidRequest)?;
            let url = crate::hooks::append_query(url, "expand", &expand, crate::hooks::QueryStyle::Form, false).map_err(Error::InvalidRequest)?;
            let mut request = client.client.get(url).query(&progenitor_client::QueryParam::new("limit", &limit)).build()?;
        };
        assert!(text.contains(&want.to_string()), "{text}");
        assert_eq!(text.matches("QueryParam :: new (\"expand\"").count(), 1, "only the listed operation's: {text}");
        // A parameter called `url`: progenitor's URL is `_url`.
        let want = quote! {
            let url = url.map_err(Error::InvalidRequest)?;
            let _url = format!("{}/v1/products", client.baseurl,);
            let _url = crate::hooks::append_query(_url, "created", &created, crate::hooks::QueryStyle::DeepObject, true).map_err(Error::InvalidRequest)?;
            let mut request = client.client.get(_url).query(&progenitor_client::QueryParam::new("url", &url)).build()?;
        };
        assert!(text.contains(&want.to_string()), "{text}");
        assert!(!rewrite(&mut file, &Styled::new()), "nothing listed, nothing used");
    }

    #[test]
    fn the_encoder_parses() {
        let tokens = emit().expect("the encoder's tokens");
        let file: syn::File = syn::parse2(tokens).expect("a file");
        assert!(file.items.iter().any(|i| matches!(i, syn::Item::Fn(f) if f.sig.ident == "append_query")));
    }
}
