//! Path parameters written other than as one `simple` scalar: the `label`
//! and `matrix` styles, arrays and objects. progenitor writes every path
//! parameter as `encode_path(&value.to_string())` (which `post` makes
//! `hooks::encode_path_segment`), and `Vec` has no `to_string`; here each
//! such parameter's argument of the URL's `format!` becomes
//!
//! ```text
//! crate::hooks::encode_path_param("tags", &tags,
//!     crate::hooks::PathStyle::Label, true).map_err(Error::InvalidRequest)?
//! ```
//!
//! The encoder (`templates/rust/path.rs`, in every crate's `src/hooks.rs`)
//! writes the same bytes as the TypeScript and Python runtimes;
//! `codegen/tests/path_styles.rs` holds it to the shared table
//! `tests/data/path-styles.json`. The `format!`'s arguments after the base
//! URL are the template's parameters in path order.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};

use crate::error::{Error, Result};
use crate::model::{Api, Location, Style};
use crate::normalize::engine::template_names;

/// The encoder's tokens, for `src/hooks.rs`.
pub fn emit() -> Result<TokenStream> {
    include_str!("../../../templates/rust/path.rs")
        .parse()
        .map_err(|e: proc_macro2::LexError| Error::Internal { what: "templates/rust/path.rs".into(), message: e.to_string() })
}

/// Operation (snake-cased id, as in progenitor's `OperationInfo`) → each
/// path parameter in path order: its wire name and, if it is styled, its
/// (style, explode).
pub type Styled = BTreeMap<String, Vec<(String, Option<(Style, bool)>)>>;

/// The operations of `api` with a path parameter progenitor cannot write.
pub fn styled(api: &Api) -> Styled {
    let mut out = Styled::new();
    for op in api.operations.iter().filter(|op| op.parameters.iter().any(|p| p.has_path_style())) {
        let params = template_names(&op.path)
            .into_iter()
            .map(|name| {
                let style = op.parameters.iter().find(|p| p.location == Location::Path && p.name == name).filter(|p| p.has_path_style()).map(|p| (p.style, p.explode));
                (name, style)
            })
            .collect();
        out.insert(op.id.to_snake_case(), params);
    }
    out
}

/// Sends the parameters of `styled` through `hooks::encode_path_param`
/// (module doc). An operation whose URL does not have one argument per
/// template parameter is an error: the generator and progenitor disagree
/// on the path, and a guess could send a value in the wrong place.
pub fn rewrite(file: &mut syn::File, styled: &Styled) -> Result<()> {
    if styled.is_empty() {
        return Ok(());
    }
    let mut r = Rewrite { styled, error: None };
    r.visit_file_mut(file);
    r.error.map_or(Ok(()), Err)
}

struct Rewrite<'a> {
    styled: &'a Styled,
    error: Option<Error>,
}

impl VisitMut for Rewrite<'_> {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        let Some((id, params)) = super::post::operation_id(f).and_then(|id| self.styled.get_key_value(&id)) else {
            return visit_mut::visit_impl_item_fn_mut(self, f);
        };
        let Some(at) = f.block.stmts.iter().position(|s| super::query::let_url(s).is_some()) else { return };
        let syn::Stmt::Local(syn::Local { init: Some(init), .. }) = &mut f.block.stmts[at] else { return };
        let syn::Expr::Macro(m) = &mut *init.expr else { return };
        match styled_arguments(m.mac.tokens.clone(), params) {
            Ok(tokens) => m.mac.tokens = tokens,
            Err(message) => self.error = Some(Error::Internal { what: format!("src/client.rs, operation {id}"), message }),
        }
    }
}

/// The URL `format!`'s arguments with the styled parameters' ones replaced.
fn styled_arguments(tokens: TokenStream, params: &[(String, Option<(Style, bool)>)]) -> std::result::Result<TokenStream, String> {
    let parser = Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
    let mut args = syn::parse::Parser::parse2(parser, tokens).map_err(|e| format!("the URL's format! does not parse: {e}"))?;
    // The format string and the base URL come first.
    if args.len() != params.len() + 2 {
        return Err(format!("the URL has {} arguments for {} path parameters", args.len().saturating_sub(2), params.len()));
    }
    for (arg, (name, style)) in args.iter_mut().skip(2).zip(params) {
        let Some((style, explode)) = style else { continue };
        let value = to_string_receiver(arg).ok_or_else(|| format!("path parameter {name:?}: no `value.to_string()` in its argument"))?;
        let style = format_ident!("{}", match style {
            Style::Label => "Label",
            Style::Matrix => "Matrix",
            _ => "Simple",
        });
        *arg = syn::parse_quote! {
            crate::hooks::encode_path_param(#name, &#value, crate::hooks::PathStyle::#style, #explode).map_err(Error::InvalidRequest)?
        };
    }
    Ok(quote!(#args))
}

/// `value` of the first `value.to_string()` in `e`.
fn to_string_receiver(e: &syn::Expr) -> Option<syn::Expr> {
    struct Find(Option<syn::Expr>);
    impl<'ast> syn::visit::Visit<'ast> for Find {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            if self.0.is_none() && call.method == "to_string" && call.args.is_empty() {
                self.0 = Some((*call.receiver).clone());
            }
            syn::visit::visit_expr_method_call(self, call);
        }
    }
    let mut find = Find(None);
    syn::visit::Visit::visit_expr(&mut find, e);
    find.0
}

#[cfg(test)]
mod tests {
    use quote::{ToTokens, quote};

    use super::*;

    fn file() -> syn::File {
        syn::parse_quote! {
            pub mod builder {
                impl<'a> GetCells<'a> {
                    pub async fn send(self) {
                        let url = format!("{}/cells/{}/{}{}", client.baseurl, crate::hooks::encode_path_segment(&ids.to_string()).map_err(Error::InvalidRequest)?, crate::hooks::encode_path_segment(&id.to_string()).map_err(Error::InvalidRequest)?, crate::hooks::encode_path_segment(&flags.to_string()).map_err(Error::InvalidRequest)?,);
                        let info = OperationInfo { operation_id: "get_cells" };
                    }
                }
                impl<'a> Other<'a> {
                    pub async fn send(self) {
                        let url = format!("{}/o/{}", client.baseurl, crate::hooks::encode_path_segment(&ids.to_string()).map_err(Error::InvalidRequest)?,);
                        let info = OperationInfo { operation_id: "other" };
                    }
                }
            }
        }
    }

    fn params() -> Vec<(String, Option<(Style, bool)>)> {
        vec![("ids".to_owned(), Some((Style::Simple, false))), ("id".to_owned(), None), ("flags".to_owned(), Some((Style::Matrix, true)))]
    }

    #[test]
    fn styled_parameters_go_through_the_encoder() {
        let mut file = file();
        let styled: Styled = [("get_cells".to_owned(), params())].into_iter().collect();
        rewrite(&mut file, &styled).expect("rewritten");
        let text = file.to_token_stream().to_string();
        let want = quote! {
            let url = format!("{}/cells/{}/{}{}", client.baseurl,
                crate::hooks::encode_path_param("ids", &ids, crate::hooks::PathStyle::Simple, false).map_err(Error::InvalidRequest)?,
                crate::hooks::encode_path_segment(&id.to_string()).map_err(Error::InvalidRequest)?,
                crate::hooks::encode_path_param("flags", &flags, crate::hooks::PathStyle::Matrix, true).map_err(Error::InvalidRequest)?,);
        };
        assert!(text.contains(&want.to_string()), "{text}");
        assert_eq!(text.matches("encode_path_param").count(), 2, "only the listed operation's styled parameters: {text}");
    }

    #[test]
    fn a_url_that_disagrees_with_the_template_is_an_error() {
        let mut file = file();
        let styled: Styled = [("other".to_owned(), params())].into_iter().collect();
        let err = rewrite(&mut file, &styled).expect_err("one argument for three parameters");
        assert!(err.to_string().contains("operation other") && err.to_string().contains("1 arguments for 3 path parameters"), "{err}");
    }

    #[test]
    fn template_names_in_order() {
        assert_eq!(template_names("/a/{x}/{y}{z}.json"), ["x", "y", "z"]);
        assert!(template_names("/plain").is_empty());
    }

    #[test]
    fn the_encoder_parses() {
        let file: syn::File = syn::parse2(emit().expect("the encoder's tokens")).expect("a file");
        let fns: Vec<String> = file.items.iter().filter_map(|i| match i {
            syn::Item::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        }).collect();
        assert!(fns.contains(&"encode_path_param".to_owned()) && fns.contains(&"encode_path_segment".to_owned()), "{fns:?}");
    }
}
