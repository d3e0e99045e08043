//! Responses without a body beside typed ones of the same group: GitHub's
//! `200` with a body and `204` without, or a `404` with an error body and a
//! `503` without (75 of GitHub's operations, 74 of Jira's). progenitor
//! wants one type per group, so `normalize::engine` gives the empty
//! responses the typed ones' schema and lists their codes; here the
//! operation's `send` returns `ResponseValue<Option<T>>` (or
//! `Error<Option<E>>`). The typed arms parse into that unchanged (a JSON
//! `null` body is `None` too), and the listed codes' arms answer `None`
//! without reading a body:
//!
//! ```text
//! 204u16 => Ok(ResponseValue::new(None, response.status(), response.headers().clone())),
//! ```
//!
//! TypeScript and Python type the same responses `T | undefined` and
//! `T | None`.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use syn::visit_mut::{self, VisitMut};

use crate::error::{Error, Result};
use crate::normalize::engine::EmptyResponses;

/// Makes the operations of `ops` (operation id → its empty codes) return
/// `Option`s (module doc). A listed code without its own arm, or a `send`
/// whose return type is not `Result<ResponseValue<T>, Error<E>>`, is an
/// error: progenitor and the normalizer disagree, and a guess could answer
/// `None` for a response that has a body.
pub fn rewrite(file: &mut syn::File, ops: &BTreeMap<String, EmptyResponses>) -> Result<()> {
    if ops.is_empty() {
        return Ok(());
    }
    let ids = ops.iter().map(|(id, e)| (id.to_snake_case(), e)).collect();
    let mut r = Rewrite { ids, error: None };
    r.visit_file_mut(file);
    r.error.map_or(Ok(()), Err)
}

struct Rewrite<'a> {
    ids: BTreeMap<String, &'a EmptyResponses>,
    error: Option<Error>,
}

impl VisitMut for Rewrite<'_> {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        // Only a builder's `send` answers; looking for the operation id in
        // every method body would cost GitHub's crate 40 ms.
        if f.sig.ident != "send" {
            return;
        }
        let Some((id, empty)) = super::post::operation_id(f).and_then(|id| self.ids.get_key_value(&id)) else { return };
        if let Err(message) = optional(f, empty) {
            self.error = Some(Error::Internal { what: format!("src/client.rs, operation {id}"), message });
        }
    }
}

/// Rewrites one `send` (module doc).
fn optional(f: &mut syn::ImplItemFn, empty: &EmptyResponses) -> std::result::Result<(), String> {
    let syn::ReturnType::Type(_, output) = &mut f.sig.output else { return Err("`send` returns nothing".into()) };
    let [value, error] = result_arguments(output).ok_or("`send` does not return `Result<ResponseValue<T>, Error<E>>`")?;
    for (wanted, ty) in [(&empty.success, value), (&empty.error, error)] {
        if !wanted.is_empty() {
            *ty = syn::parse_quote!(Option<#ty>);
        }
    }
    let mut arms = Arms { empty, found: Vec::new(), error: None };
    arms.visit_block_mut(&mut f.block);
    if let Some(e) = arms.error {
        return Err(e);
    }
    let codes: Vec<&String> = empty.success.iter().chain(&empty.error).collect();
    if let Some(missing) = codes.iter().find(|c| !arms.found.contains(c)) {
        return Err(format!("no arm of its own for response {missing}"));
    }
    let doc = format!("Responses {} have no body: their value is `None`.", codes.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "));
    f.attrs.push(syn::parse_quote!(#[doc = ""]));
    f.attrs.push(syn::parse_quote!(#[doc = #doc]));
    Ok(())
}

/// `T` and `E` of `Result<ResponseValue<T>, Error<E>>`.
fn result_arguments(ty: &mut syn::Type) -> Option<[&mut syn::Type; 2]> {
    let [value, error]: [&mut syn::Type; 2] = type_arguments(ty, "Result")?.try_into().ok()?;
    Some([first_argument(value, "ResponseValue")?, first_argument(error, "Error")?])
}

/// The type arguments of `ty` if its last path segment is `name`.
fn type_arguments<'t>(ty: &'t mut syn::Type, name: &str) -> Option<Vec<&'t mut syn::Type>> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last_mut().filter(|s| s.ident == name)?;
    let syn::PathArguments::AngleBracketed(args) = &mut last.arguments else { return None };
    Some(args.args.iter_mut().filter_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    }).collect())
}

fn first_argument<'t>(ty: &'t mut syn::Type, name: &str) -> Option<&'t mut syn::Type> {
    type_arguments(ty, name)?.into_iter().next()
}

/// Finds the `match response.status().as_u16()` and rewrites the arms of
/// the listed codes.
struct Arms<'a> {
    empty: &'a EmptyResponses,
    /// The listed codes whose arm was rewritten.
    found: Vec<&'a String>,
    error: Option<String>,
}

impl VisitMut for Arms<'_> {
    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        let Some(response) = status_receiver(&m.expr) else {
            return visit_mut::visit_expr_match_mut(self, m);
        };
        for arm in &mut m.arms {
            let Some(range) = status_range(&arm.pat) else { continue };
            let success = self.empty.success.iter().find(|c| code_range(c) == Some(range));
            let error = self.empty.error.iter().find(|c| code_range(c) == Some(range));
            let none = quote::quote!(ResponseValue::new(None, #response.status(), #response.headers().clone()));
            let (code, body): (&String, syn::Expr) = match (success, error) {
                (Some(c), _) => (c, syn::parse_quote!({ Ok(#none) })),
                (None, Some(c)) => (c, syn::parse_quote!({ Err(Error::ErrorResponse(#none)) })),
                (None, None) => continue,
            };
            let typed = quote::ToTokens::to_token_stream(&arm.body).to_string().contains("from_response");
            if !typed {
                self.error = Some(format!("the arm of response {code} does not parse a body"));
                return;
            }
            *arm.body = body;
            self.found.push(code);
        }
    }
}

/// `response` of `response.status().as_u16()`.
fn status_receiver(e: &syn::Expr) -> Option<&syn::Expr> {
    let syn::Expr::MethodCall(as_u16) = e else { return None };
    let syn::Expr::MethodCall(status) = &*as_u16.receiver else { return None };
    (as_u16.method == "as_u16" && status.method == "status").then_some(&*status.receiver)
}

/// The statuses an arm's pattern matches: `204u16` or `400u16..=499u16`.
fn status_range(pat: &syn::Pat) -> Option<(u16, u16)> {
    use super::post::{lit_u16, pat_u16};
    match pat {
        syn::Pat::Range(r) if matches!(r.limits, syn::RangeLimits::Closed(_)) => Some((lit_u16(r.start.as_deref()?)?, lit_u16(r.end.as_deref()?)?)),
        _ => pat_u16(pat).map(|code| (code, code)),
    }
}

/// The statuses of a response key: `204` or `5XX`.
fn code_range(code: &str) -> Option<(u16, u16)> {
    if let Ok(n) = code.parse::<u16>() {
        return Some((n, n));
    }
    let class = code.strip_suffix("XX").or_else(|| code.strip_suffix("xx"))?.parse::<u16>().ok()?;
    Some((class * 100, class * 100 + 99))
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    fn file() -> syn::File {
        syn::parse_quote! {
            pub mod builder {
                impl<'a> GetLimits<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Limits>, Error<types::BasicError>> {
                        let info = OperationInfo { operation_id: "get_limits" };
                        let response = result?;
                        match response.status().as_u16() {
                            200u16 => { ResponseValue::from_response(response).await }
                            204u16 => { ResponseValue::from_response(response).await }
                            404u16 => { Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)) }
                            500u16..=599u16 => { Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)) }
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
                impl<'a> Other<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Limits>, Error<()>> {
                        let info = OperationInfo { operation_id: "other" };
                        match response.status().as_u16() {
                            200u16 => { ResponseValue::from_response(response).await }
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
            }
        }
    }

    fn empty(success: &[&str], error: &[&str]) -> EmptyResponses {
        EmptyResponses { success: success.iter().map(|s| s.to_string()).collect(), error: error.iter().map(|s| s.to_string()).collect() }
    }

    fn rewritten(id: &str, e: EmptyResponses) -> Result<String> {
        let mut file = file();
        rewrite(&mut file, &[(id.to_owned(), e)].into_iter().collect())?;
        Ok(squash(file.to_token_stream()))
    }

    /// Token text without spaces: `>>` and `> >` print differently.
    fn squash(t: impl ToString) -> String {
        t.to_string().split_whitespace().collect()
    }

    #[test]
    fn listed_codes_answer_none_and_the_types_become_options() {
        let text = rewritten("getLimits", empty(&["204"], &["5XX"])).expect("rewritten");
        let want = [
            quote::quote!(-> Result<ResponseValue<Option<types::Limits>>, Error<Option<types::BasicError>>>),
            quote::quote!(200u16 => { ResponseValue::from_response(response).await }),
            quote::quote!(204u16 => { Ok(ResponseValue::new(None, response.status(), response.headers().clone())) }),
            quote::quote!(404u16 => { Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)) }),
            quote::quote!(500u16..=599u16 => { Err(Error::ErrorResponse(ResponseValue::new(None, response.status(), response.headers().clone()))) }),
            quote::quote!(-> Result<ResponseValue<types::Limits>, Error<()>>),
        ];
        for w in want {
            assert!(text.contains(&squash(&w)), "{w}\nin\n{text}");
        }
        assert!(text.contains("Responses204,5XXhavenobody"), "{text}");
    }

    #[test]
    fn only_the_listed_group_changes() {
        let text = rewritten("get_limits", empty(&[], &["404"])).expect("rewritten");
        assert!(text.contains(&squash(quote::quote!(Result<ResponseValue<types::Limits>, Error<Option<types::BasicError>>>))), "{text}");
        assert!(text.contains(&squash(quote::quote!(204u16 => { ResponseValue::from_response(response).await }))), "{text}");
    }

    #[test]
    fn a_code_without_its_own_arm_is_an_error() {
        let err = rewritten("other", empty(&["204"], &[])).expect_err("no 204 arm");
        assert!(err.to_string().contains("operation other") && err.to_string().contains("no arm of its own for response 204"), "{err}");
    }

    #[test]
    fn response_keys_and_patterns_agree() {
        assert_eq!(code_range("204"), Some((204, 204)));
        assert_eq!(code_range("5XX"), Some((500, 599)));
        assert_eq!(code_range("default"), None);
        assert_eq!(status_range(&syn::parse_quote!(200..=299)), Some((200, 299)));
    }
}
