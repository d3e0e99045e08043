//! The builders' `send` bodies in a shape rustc checks for less: most of
//! the time of a big crate's last, lone compile step (GitHub's `client.rs`,
//! 1,223 `send`s) went to type-checking their `.await`s, each a future
//! generic over the operation's types. Two rewrites, neither changing what
//! is sent or what a response becomes:
//!
//! - progenitor's `client.pre(&mut request, &info).await?;` and
//!   `client.post(&result, &info).await?;` are dropped. They are
//!   `ClientHooks`' default methods, which return `Ok(())`: `hooks::emit`
//!   implements `exec` alone (the `Transport` seam), and a test below
//!   fails if it ever implements them. Each was a future generic over the
//!   operation's error type; `exec`'s future is one type for every
//!   operation. `request` is then never borrowed mutably, so its `mut`
//!   and `#[allow(unused_mut)]` go too.
//! - `ResponseValue::from_response(response).await` (a future generic
//!   over the response and error types) becomes
//!   `crate::hooks::json_response(crate::hooks::read_body(response).await)`:
//!   the body is read by one non-generic `async fn`, and parsed by a plain
//!   generic function. They do what `from_response` does, step for step:
//!   status and headers kept, a body that cannot be read is
//!   `Error::ResponseBodyError`, one that does not parse
//!   `Error::InvalidResponsePayload` with its bytes.
//! - Arms of the status `match` with the same body become one arm
//!   (`400u16 | 404u16 | 500u16..=599u16 => ..`), in the place of the
//!   first: `post` has made the patterns disjoint, so their order does
//!   not matter (the `_` arm, which is not merged, stays last).
//!
//! Measured on GitHub's crate, its shards and dependencies built, three
//! alternating `cargo build`s of each: the main crate from 28 to 33 s to
//! 21 to 24 s, its peak memory from 2.17 to 1.80 GiB (README, "Type
//! shards").

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::{self, VisitMut};

/// Rewrites every builder's `send` (module doc).
pub fn rewrite(file: &mut syn::File) {
    Sends.visit_file_mut(file);
}

/// What `src/hooks.rs` gains for the rewritten bodies.
pub fn runtime() -> TokenStream {
    quote! {
        /// A response's status, headers and whole body, read by
        /// [`read_body`]; one type for every operation.
        #[doc(hidden)]
        pub struct ResponseBody {
            status: reqwest::StatusCode,
            headers: reqwest::header::HeaderMap,
            bytes: ::bytes::Bytes,
        }

        /// Reads a response's body: the half of
        /// `ResponseValue::from_response` that awaits, not generic, so
        /// one future type serves every operation (the generated `send`s
        /// type-check in a third less time).
        #[doc(hidden)]
        pub async fn read_body(response: reqwest::Response) -> reqwest::Result<ResponseBody> {
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.bytes().await?;
            Ok(ResponseBody { status, headers, bytes })
        }

        /// Parses a body read by [`read_body`] as JSON: the other half of
        /// `ResponseValue::from_response`, with its errors. Its error is
        /// progenitor's `Error<E>`, as large as every `send`'s (an
        /// `async fn`, which clippy does not measure): the lint is allowed
        /// here alone.
        #[doc(hidden)]
        #[allow(clippy::result_large_err)]
        pub fn json_response<T: ::serde::de::DeserializeOwned, E>(
            body: reqwest::Result<ResponseBody>,
        ) -> Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>> {
            let ResponseBody { status, headers, bytes } = body.map_err(progenitor_client::Error::ResponseBodyError)?;
            match ::serde_json::from_slice(&bytes) {
                Ok(inner) => Ok(progenitor_client::ResponseValue::new(inner, status, headers)),
                Err(e) => Err(progenitor_client::Error::InvalidResponsePayload(bytes, e)),
            }
        }
    }
}

/// Finds the `send`s; other functions are not entered.
struct Sends;

impl VisitMut for Sends {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if f.sig.ident != "send" || f.sig.asyncness.is_none() {
            return;
        }
        let before = f.block.stmts.len();
        f.block.stmts.retain(|st| !is_noop_hook(st));
        if f.block.stmts.len() != before {
            immutable_request(&mut f.block.stmts);
        }
        Decode.visit_block_mut(&mut f.block);
        merge_arms(&mut f.block);
    }

    /// Only modules and impls can hold a `send`: the types' structs,
    /// enums and functions are not walked.
    fn visit_item_mut(&mut self, item: &mut syn::Item) {
        match item {
            syn::Item::Mod(m) => visit_mut::visit_item_mod_mut(self, m),
            syn::Item::Impl(i) => visit_mut::visit_item_impl_mut(self, i),
            _ => {}
        }
    }
}

/// `client.pre(..).await?;` or `client.post(..).await?;`.
fn is_noop_hook(st: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::Try(t), Some(_)) = st else { return false };
    let syn::Expr::Await(a) = &*t.expr else { return false };
    let syn::Expr::MethodCall(call) = &*a.base else { return false };
    let on_client = matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("client"));
    on_client && (call.method == "pre" || call.method == "post") && call.args.len() == 2
}

/// `#[allow(unused_mut)] let mut request = ..` loses both: nothing but
/// `pre` borrowed it mutably.
fn immutable_request(stmts: &mut [syn::Stmt]) {
    for st in stmts {
        if let syn::Stmt::Local(local) = st
            && let syn::Pat::Ident(pi) = &mut local.pat
            && pi.ident == "request"
        {
            pi.mutability = None;
            local.attrs.retain(|a| {
                !(a.path().is_ident("allow") && a.parse_args::<syn::Ident>().is_ok_and(|lint| lint == "unused_mut"))
            });
        }
    }
}

/// Merges the same-bodied arms of the status match, the body's tail.
fn merge_arms(block: &mut syn::Block) {
    let Some(syn::Stmt::Expr(syn::Expr::Match(m), None)) = block.stmts.last_mut() else { return };
    let is_status = quote::ToTokens::to_token_stream(&m.expr).to_string().replace(' ', "") == "response.status().as_u16()";
    if !is_status {
        return;
    }
    let mut arms: Vec<(String, syn::Arm)> = Vec::with_capacity(m.arms.len());
    for arm in std::mem::take(&mut m.arms) {
        let mergeable = !matches!(arm.pat, syn::Pat::Wild(_) | syn::Pat::Guard(_));
        let body = quote::ToTokens::to_token_stream(&arm.body).to_string();
        match arms.iter_mut().find(|(b, a)| mergeable && *b == body && !matches!(a.pat, syn::Pat::Wild(_) | syn::Pat::Guard(_))) {
            Some((_, first)) => {
                let mut cases = match std::mem::replace(&mut first.pat, syn::Pat::Verbatim(TokenStream::new())) {
                    syn::Pat::Or(or) => or.cases,
                    p => std::iter::once(p).collect(),
                };
                match arm.pat {
                    syn::Pat::Or(or) => cases.extend(or.cases),
                    p => cases.push(p),
                }
                first.pat = coalesce(cases);
            }
            None => arms.push((body, arm)),
        }
    }
    m.arms = arms.into_iter().map(|(_, a)| a).collect();
}

/// Rewrites `ResponseValue::from_response(response).await`.
struct Decode;

impl VisitMut for Decode {
    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        if let syn::Expr::Await(a) = e
            && let syn::Expr::Call(call) = &*a.base
            && let syn::Expr::Path(p) = &*call.func
            && call.args.len() == 1
            && p.path.segments.len() == 2
            && p.path.segments[0].ident == "ResponseValue"
            && p.path.segments[1].ident == "from_response"
        {
            let response = &call.args[0];
            *e = syn::parse_quote!(crate::hooks::json_response(crate::hooks::read_body(#response).await));
            return;
        }
        visit_mut::visit_expr_mut(self, e);
    }
}

/// One pattern for the status codes of merged arms: adjacent codes and
/// ranges joined (`400u16..=403u16 | 404u16` is `400u16..=404u16`, as
/// clippy's `manual_range_patterns` asks), in ascending order. Cases that
/// are not codes or ranges of codes are kept as they are.
fn coalesce(cases: syn::punctuated::Punctuated<syn::Pat, syn::Token![|]>) -> syn::Pat {
    let Some(mut spans) = cases.iter().map(super::post::code_span).collect::<Option<Vec<(u16, u16)>>>() else {
        return syn::Pat::Or(syn::PatOr { attrs: Vec::new(), leading_vert: None, cases });
    };
    spans.sort_unstable();
    let mut joined: Vec<(u16, u16)> = Vec::with_capacity(spans.len());
    for (lo, hi) in spans {
        match joined.last_mut() {
            Some(last) if u32::from(lo) <= u32::from(last.1) + 1 => last.1 = last.1.max(hi),
            _ => joined.push((lo, hi)),
        }
    }
    super::post::codes_pattern(&joined).unwrap_or_else(|| syn::Pat::Or(syn::PatOr { attrs: Vec::new(), leading_vert: None, cases }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn squash(t: impl quote::ToTokens) -> String {
        t.to_token_stream().to_string().replace(' ', "")
    }

    fn rewritten(send: TokenStream) -> String {
        let mut file: syn::File = syn::parse2(quote!(impl<'a> Op<'a> { #send })).expect("test input parses");
        rewrite(&mut file);
        squash(file)
    }

    #[test]
    fn hooks_and_from_response_are_rewritten() {
        let text = rewritten(quote! {
            pub async fn send(self) -> Result<ResponseValue<types::Pet>, Error<types::Problem>> {
                let Self { client } = self;
                #[allow(unused_mut)]
                let mut request = client.client.get(url).build()?;
                let info = OperationInfo { operation_id: "get_pet" };
                client.pre(&mut request, &info).await?;
                let result = client.exec(request, &info).await;
                client.post(&result, &info).await?;
                let response = result?;
                match response.status().as_u16() {
                    200u16 => ResponseValue::from_response(response).await,
                    404u16 => { Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)) }
                    409u16 => Ok(ResponseValue::new(None, response.status(), response.headers().clone())),
                    400u16..=403u16 | 405u16..=408u16 => { Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)) }
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }
        });
        assert!(!text.contains(".pre(") && !text.contains(".post("), "{text}");
        assert!(!text.contains("from_response") && !text.contains("unused_mut"), "{text}");
        assert!(text.contains(&squash(quote!(let request = client.client.get(url).build()?;))), "{text}");
        assert!(text.contains(&squash(quote!(let result = client.exec(request, &info).await; let response = result?;))), "{text}");
        let typed = squash(quote!(200u16 => crate::hooks::json_response(crate::hooks::read_body(response).await),));
        assert!(text.contains(&typed), "{text}");
        let error = squash(quote!(400u16..=408u16 => { Err(Error::ErrorResponse(crate::hooks::json_response(crate::hooks::read_body(response).await)?)) }));
        assert!(text.contains(&error), "{text}");
        // The other arms keep their order; `_` stays last.
        let tail = squash(quote!(409u16 => Ok(ResponseValue::new(None, response.status(), response.headers().clone())), _ => Err(Error::UnexpectedResponse(response)),));
        assert!(text.ends_with(&format!("{tail}}}}}}}")), "{text}");
        // Codes that do not touch stay apart, in ascending order.
        let pat = syn::parse::Parser::parse2(syn::Pat::parse_multi, quote!(500u16..=599u16 | 404u16 | 401u16 | 400u16)).expect("test input parses");
        let syn::Pat::Or(or) = pat else { panic!("an or-pattern") };
        let apart = coalesce(or.cases);
        assert_eq!(squash(apart), squash(quote!(400u16..=401u16 | 404u16 | 500u16..=599u16)));
    }

    #[test]
    fn other_functions_and_a_sync_send_are_left_alone() {
        let other = quote! {
            pub async fn page(self) -> R { client.pre(&mut request, &info).await?; ResponseValue::from_response(response).await }
        };
        assert_eq!(rewritten(other.clone()), squash(quote!(impl<'a> Op<'a> { #other })));
        let sync = quote! { pub fn send(self) -> R { client.pre(&mut request, &info).await?; x } };
        assert_eq!(rewritten(sync.clone()), squash(quote!(impl<'a> Op<'a> { #sync })));
    }

    /// Dropping `pre` and `post` is sound only while the generated
    /// `ClientHooks` impl keeps their no-op defaults.
    #[test]
    fn the_generated_hooks_implement_exec_alone() {
        let file: syn::File = syn::parse2(super::super::hooks::emit().expect("hooks emit")).expect("hooks parse");
        let hooks = file.items.iter().find_map(|i| match i {
            syn::Item::Impl(imp) if imp.trait_.as_ref().is_some_and(|t| t.0.segments.last().is_some_and(|s| s.ident == "ClientHooks")) => Some(imp),
            _ => None,
        });
        let hooks = hooks.expect("hooks.rs implements ClientHooks");
        let methods: Vec<String> = hooks.items.iter().filter_map(|i| match i {
            syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        }).collect();
        assert_eq!(methods, ["exec"]);
    }
}
