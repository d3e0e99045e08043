//! Post-processing of progenitor's output, on the syntax tree. Each rewrite
//! fixes one pattern of progenitor's that trips rustc or clippy, so the
//! generated crate is warning- and clippy-clean without blanket `allow`s:
//!
//! - `#[allow(clippy::all)]` is removed: lints see generated code like any other.
//! - Untagged enums' `Variant0`, `Variant1`… are named after what they hold
//!   (`Known`, `String`, `Empty`…; [`super::variant_names`]).
//! - Status matches: a range arm (`400..=499`) that also covers specific
//!   codes listed in other arms is split around them, so no arm is
//!   unreachable and no arms overlap (progenitor sorts ranges first).
//! - `Self { client: client }` becomes `Self { client }`.
//! - `impl Default for E { fn default() -> Self { E::V } }` on an enum
//!   becomes `#[derive(Default)]` with `#[default]` on `V`.
//! - `use super::types;` is removed from a module that never names `types`.
//! - typify's `defaults` helper functions that nothing calls are removed.
//! - Items typify emits twice, token for token (an inline schema whose
//!   `title` names a component schema of the same shape), are emitted once.
//! - Structs with secret fields (named like a secret, token or password, or
//!   declared `format: password` / `x-sensitive: true` in the spec) get a
//!   hand-written `Debug` that prints `***` for those fields.
//! - progenitor's undeclared `api-version` request header is not sent.
//! - progenitor's usage snippets in doc comments are fenced as `ignore`
//!   (they name a `client` and arguments they never define), which
//!   `cargo test` reports as ignored doc tests; they are fenced as `text`.
//! - `client.options(url)`, which reqwest does not have, becomes
//!   `client.request(::reqwest::Method::OPTIONS, url)`.
//! - Path parameters go through
//!   `crate::hooks::encode_path_segment(..).map_err(Error::InvalidRequest)?`
//!   instead of progenitor's `encode_path(..)`: besides percent-encoding
//!   (`/` included, so `../x` stays one segment) it refuses `""`, `.` and
//!   `..`, which no encoding can keep from changing the request path (URL
//!   parsers normalize `%2e%2e` too).
//! - Structs of `types` with named fields are `#[non_exhaustive]` and get
//!   `new(required fields…)` (optional fields start empty or at their
//!   default). So the Rust API breaks exactly where the spec diff says
//!   ERR: a new optional property or a new response property compiles
//!   (users cannot write struct literals or exhaustive patterns), a new
//!   required request property changes `new`'s arguments (compile error).
//!   Optional fields are set by assignment (`req.note = Some(..)`) or via
//!   the typify builders. A `new` with more than seven arguments carries
//!   `#[allow(clippy::too_many_arguments)]` on that function only: its
//!   arity is the schema's.
//! - Array header parameters (a builder field of type `Vec<..>` appended to
//!   the header map) are sent comma-separated, OpenAPI's `simple` style,
//!   instead of progenitor's `value.to_string()`, which `Vec` does not have.
//!   Their items are scalars (`normalize::engine` makes other header
//!   parameters strings), whose `Display` is their wire text.

use std::collections::BTreeSet;

use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};

/// Applies every rewrite to a parsed file. `wire_renames` maps parameter
/// names given to progenitor back to their names on the wire.
pub fn process(file: &mut syn::File, wire_renames: &[(String, String)], sensitive: &std::collections::BTreeSet<String>) {
    Rewriter.visit_file_mut(file);
    let mut variants = super::variant_case::fix(&mut file.items);
    let (numbered, types) = super::variant_names::fix(&mut file.items);
    for (e, renames) in numbered {
        variants.entry(e).or_default().extend(renames);
    }
    super::variant_case::rename_paths(&mut file.items, &variants, &types);
    redact_debug(&mut file.items, sensitive);
    if !wire_renames.is_empty() {
        RestoreWireNames(wire_renames.iter().cloned().collect()).visit_file_mut(file);
    }
    dedupe_identical(&mut file.items);
    derive_defaults(&mut file.items);
    constructors(&mut file.items);
    join_list_headers(&mut file.items);
    let mut used = DefaultsUsed::default();
    syn::visit::Visit::visit_file(&mut used, file);
    remove_unused_defaults(&mut file.items, &used);
}

/// Removes `normalize::siblings::MARK` from the URLs (`format!` strings)
/// and docs of the operations made of a second request body media type.
pub fn unmark_paths(file: &mut syn::File) {
    use crate::normalize::siblings::unmark;
    struct Unmark;
    impl VisitMut for Unmark {
        fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
            if m.path.is_ident("format") {
                m.tokens = std::mem::take(&mut m.tokens)
                    .into_iter()
                    .map(|tt| match &tt {
                        proc_macro2::TokenTree::Literal(l) => match syn::parse_str::<syn::LitStr>(&l.to_string()).ok().and_then(|s| unmark(&s.value())) {
                            Some(text) => proc_macro2::TokenTree::Literal(proc_macro2::Literal::string(&text)),
                            None => tt,
                        },
                        _ => tt,
                    })
                    .collect();
            }
            visit_mut::visit_macro_mut(self, m);
        }

        fn visit_attribute_mut(&mut self, a: &mut syn::Attribute) {
            if let syn::Meta::NameValue(nv) = &mut a.meta
                && nv.path.is_ident("doc")
                && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &mut nv.value
                && let Some(text) = unmark(&s.value())
            {
                *s = syn::LitStr::new(&text, s.span());
            }
        }
    }
    Unmark.visit_file_mut(file);
}

/// Whether a field holds a secret: its wire name is declared sensitive, or
/// its name says so.
fn is_secret(ident: &str, wire: &str, sensitive: &std::collections::BTreeSet<String>) -> bool {
    if sensitive.contains(wire) {
        return true;
    }
    let n = ident.trim_end_matches('_').to_ascii_lowercase();
    let words: Vec<&str> = n.split('_').collect();
    words.iter().any(|w| matches!(*w, "secret" | "password" | "passwd" | "token" | "apikey" | "authorization" | "credentials"))
        || n.ends_with("api_key")
}

/// The operation a method of progenitor's sends (its `OperationInfo {
/// operation_id: "x" }`), as our tables key it: snake-cased, without the
/// `_` progenitor appends to a keyword. Found by walking the body, not by
/// printing it: the rewrites that need it visit every method of the crate.
pub(super) fn operation_id(f: &syn::ImplItemFn) -> Option<String> {
    struct Find(Option<String>);
    impl<'ast> syn::visit::Visit<'ast> for Find {
        fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
            if self.0.is_none() && s.path.segments.last().is_some_and(|seg| seg.ident == "OperationInfo") {
                self.0 = s.fields.iter().find_map(|fv| match (&fv.member, &fv.expr) {
                    (syn::Member::Named(m), syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(id), .. })) if m == "operation_id" => Some(id.value().trim_end_matches('_').to_owned()),
                    _ => None,
                });
            }
            syn::visit::visit_expr_struct(self, s);
        }
    }
    let mut find = Find(None);
    syn::visit::Visit::visit_block(&mut find, &f.block);
    find.0
}

/// A field's name on the wire: its serde `rename`, else its Rust name.
pub(super) fn wire_name(field: &syn::Field) -> String {
    Serde::of(&field.attrs).rename.unwrap_or_else(|| field.ident.as_ref().map(|i| i.to_string()).unwrap_or_default())
}

/// What the `#[serde(..)]` attributes of an enum, a variant or a field say,
/// of what the post-processing reads: one parse of them.
#[derive(Default)]
pub(super) struct Serde {
    /// `rename = ".."`.
    pub rename: Option<String>,
    /// `default`: `Some(None)` for the plain form, `Some(Some(path))` for
    /// `default = "path"`.
    pub default: Option<Option<syn::ExprPath>>,
    /// `deserialize_with = ".."`.
    pub deserialize_with: bool,
    /// `untagged`.
    pub untagged: bool,
    /// `flatten`.
    pub flatten: bool,
    /// `tag = ".."` (an internally or adjacently tagged enum): the tag's
    /// wire name.
    pub tag: Option<String>,
}

impl Serde {
    pub(super) fn of(attrs: &[syn::Attribute]) -> Serde {
        let mut out = Serde::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("default") {
                    out.default = Some(match meta.value() {
                        Ok(v) => v.parse::<syn::LitStr>().ok().and_then(|l| l.parse::<syn::ExprPath>().ok()),
                        Err(_) => None,
                    });
                } else if meta.input.peek(syn::Token![=]) {
                    // Other words are skipped with their values.
                    let value = meta.value()?.parse::<syn::Expr>()?;
                    out.deserialize_with |= meta.path.is_ident("deserialize_with");
                    if let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = value {
                        if meta.path.is_ident("rename") {
                            out.rename = Some(s.value());
                        } else if meta.path.is_ident("tag") {
                            out.tag = Some(s.value());
                        }
                    }
                } else {
                    out.untagged |= meta.path.is_ident("untagged");
                    out.flatten |= meta.path.is_ident("flatten");
                }
                Ok(())
            });
        }
        out
    }
}

fn redact_debug(items: &mut Vec<syn::Item>, sensitive: &std::collections::BTreeSet<String>) {
    let mut impls = Vec::new();
    for item in items.iter_mut() {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    redact_debug(inner, sensitive);
                }
            }
            syn::Item::Struct(st) => {
                let syn::Fields::Named(fields) = &st.fields else { continue };
                let secret: Vec<bool> = fields
                    .named
                    .iter()
                    .map(|f| is_secret(&f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default(), &wire_name(f), sensitive))
                    .collect();
                if !secret.iter().any(|s| *s) {
                    continue;
                }
                let mut had_debug = false;
                for attr in st.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
                    if let Ok(list) = attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated) {
                        let kept: Vec<&syn::Path> = list.iter().filter(|p| p.segments.last().is_none_or(|s| s.ident != "Debug")).collect();
                        if kept.len() != list.len() {
                            had_debug = true;
                            *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
                        }
                    }
                }
                if !had_debug {
                    continue;
                }
                let name = &st.ident;
                let name_str = name.to_string();
                let entries = fields.named.iter().zip(&secret).map(|(f, s)| {
                    let ident = f.ident.as_ref();
                    let label = ident.map(|i| i.to_string()).unwrap_or_default();
                    let label = label.trim_start_matches("r#");
                    if *s { quote::quote!(.field(#label, &"***")) } else { quote::quote!(.field(#label, &self.#ident)) }
                });
                let (ig, tg, wc) = st.generics.split_for_impl();
                impls.push(syn::parse_quote! {
                    impl #ig ::std::fmt::Debug for #name #tg #wc {
                        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            f.debug_struct(#name_str) #(#entries)* .finish()
                        }
                    }
                });
            }
            _ => {}
        }
    }
    items.extend(impls);
}

fn dedupe_identical(items: &mut Vec<syn::Item>) {
    // Identical items have the same name: only items whose name occurs more
    // than once are compared token for token (stringifying every item of a
    // large `types` module cost seconds).
    let key = |i: &syn::Item| -> Option<String> {
        match i {
            syn::Item::Struct(s) => Some(format!("struct {}", s.ident)),
            syn::Item::Enum(e) => Some(format!("enum {}", e.ident)),
            syn::Item::Type(t) => Some(format!("type {}", t.ident)),
            syn::Item::Impl(im) => Some(format!(
                "impl {} for {}",
                im.trait_.as_ref().map(|(p, _)| p.to_token_stream().to_string()).unwrap_or_default(),
                im.self_ty.to_token_stream()
            )),
            _ => None,
        }
    };
    let mut count = std::collections::HashMap::<String, usize>::new();
    for k in items.iter().filter_map(key) {
        *count.entry(k).or_default() += 1;
    }
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| match key(i) {
        Some(k) if count.get(&k).is_some_and(|n| *n > 1) => seen.insert(i.to_token_stream().to_string()),
        _ => true,
    });
    for item in items.iter_mut() {
        if let syn::Item::Mod(m) = item
            && let Some((_, inner)) = &mut m.content {
                dedupe_identical(inner);
            }
    }
}

/// Names `defaults::f` refers to anywhere in a file: in paths, in macro
/// tokens, and in `#[serde(default = "defaults::f")]`. Tokens are walked,
/// not printed: printing every serde attribute and macro call of GitHub's
/// client to search the text took 60 ms.
#[derive(Default)]
struct DefaultsUsed(std::collections::HashSet<String>);

impl DefaultsUsed {
    /// `defaults::f` in a string literal's text.
    fn scan_text(&mut self, text: &str) {
        for (at, _) in text.match_indices("defaults::") {
            let rest = &text[at + "defaults::".len()..];
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
            self.0.insert(rest[..end].to_owned());
        }
    }

    /// `defaults :: f` in tokens, and in their string literals.
    fn scan_tokens(&mut self, tokens: proc_macro2::TokenStream) {
        use proc_macro2::TokenTree;
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, t) in trees.iter().enumerate() {
            match t {
                TokenTree::Group(g) => self.scan_tokens(g.stream()),
                TokenTree::Literal(l) => {
                    let text = l.to_string();
                    if text.contains("defaults::") {
                        self.scan_text(&text);
                    }
                }
                TokenTree::Ident(d) if d == "defaults" => {
                    if let [TokenTree::Punct(a), TokenTree::Punct(b), TokenTree::Ident(f), ..] = &trees[i + 1..]
                        && a.as_char() == ':'
                        && b.as_char() == ':'
                    {
                        self.0.insert(f.to_string());
                    }
                }
                _ => {}
            }
        }
    }
}

impl<'ast> syn::visit::Visit<'ast> for DefaultsUsed {
    fn visit_path(&mut self, p: &'ast syn::Path) {
        for pair in p.segments.iter().collect::<Vec<_>>().windows(2) {
            if pair[0].ident == "defaults" {
                self.0.insert(pair[1].ident.to_string());
            }
        }
        syn::visit::visit_path(self, p);
    }

    fn visit_attribute(&mut self, a: &'ast syn::Attribute) {
        if a.path().is_ident("serde") {
            self.scan_tokens(a.meta.to_token_stream());
        }
        syn::visit::visit_attribute(self, a);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.scan_tokens(m.tokens.clone());
        syn::visit::visit_macro(self, m);
    }
}

fn remove_unused_defaults(items: &mut [syn::Item], used: &DefaultsUsed) {
    for item in items.iter_mut() {
        let syn::Item::Mod(m) = item else { continue };
        let Some((_, inner)) = &mut m.content else { continue };
        if m.ident == "defaults" {
            inner.retain(|i| match i {
                syn::Item::Fn(f) => used.0.contains(&f.sig.ident.to_string()),
                _ => true,
            });
        } else {
            remove_unused_defaults(inner, used);
        }
    }
}

struct Rewriter;

/// String literals equal to a renamed parameter's engine name (the names
/// passed to `QueryParam::new` and `HeaderMap::append`) get the wire name.
struct RestoreWireNames(std::collections::HashMap<String, String>);

impl VisitMut for RestoreWireNames {
    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        if let Some(wire) = self.0.get(&lit.value()) {
            *lit = syn::LitStr::new(wire, lit.span());
        }
    }
}

fn is_blanket_allow(attr: &syn::Attribute) -> bool {
    if !attr.path().is_ident("allow") {
        return false;
    }
    let text = attr.meta.require_list().map(|l| l.tokens.to_string()).unwrap_or_default();
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    text == "clippy::all" || text == "warnings"
}

impl VisitMut for Rewriter {
    fn visit_attributes_mut(&mut self, attrs: &mut Vec<syn::Attribute>) {
        attrs.retain(|a| !is_blanket_allow(a));
        for attr in attrs.iter_mut() {
            if let syn::Meta::NameValue(nv) = &mut attr.meta
                && nv.path.is_ident("doc")
                && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &mut nv.value
                && s.value().contains("```ignore")
            {
                *s = syn::LitStr::new(&s.value().replace("```ignore", "```text"), s.span());
            }
        }
        for attr in attrs {
            visit_mut::visit_attribute_mut(self, attr);
        }
    }

    fn visit_field_value_mut(&mut self, fv: &mut syn::FieldValue) {
        if let (syn::Member::Named(name), syn::Expr::Path(p)) = (&fv.member, &fv.expr)
            && p.qself.is_none() && p.path.is_ident(name) && fv.attrs.is_empty() {
                fv.colon_token = None;
            }
        visit_mut::visit_field_value_mut(self, fv);
    }

    fn visit_block_mut(&mut self, b: &mut syn::Block) {
        // Checked on the tree, not on text: stringifying every statement of
        // every (nested) block was most of the post-processing time on big specs.
        let before = b.stmts.len();
        b.stmts.retain(|st| !header_append(st).is_some_and(|call| call.args.first().is_some_and(|a| a.to_token_stream().to_string().contains("\"api-version\""))));
        if b.stmts.len() != before && !appends_headers(b) {
            // Nothing else is appended: the map need not be mutable.
            for st in &mut b.stmts {
                if let syn::Stmt::Local(local) = st
                    && let syn::Pat::Ident(pi) = &mut local.pat
                        && pi.ident == "header_map" {
                            pi.mutability = None;
                        }
            }
        }
        visit_mut::visit_block_mut(self, b);
    }

    fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
        if m.path.is_ident("format") {
            m.tokens = checked_path_encoding(std::mem::take(&mut m.tokens));
        }
        visit_mut::visit_macro_mut(self, m);
    }

    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        if call.method == "options" && call.args.len() == 1 {
            call.method = syn::Ident::new("request", call.method.span());
            call.args.insert(0, syn::parse_quote!(::reqwest::Method::OPTIONS));
        }
        visit_mut::visit_expr_method_call_mut(self, call);
    }

    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        split_status_ranges(m);
        visit_mut::visit_expr_match_mut(self, m);
    }

    fn visit_item_mod_mut(&mut self, m: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut m.content {
            let is_use_types = |i: &syn::Item| matches!(i, syn::Item::Use(u) if u.to_token_stream().to_string().replace(' ', "") == "usesuper::types;");
            // Only a module that imports `types` is searched for a use of it.
            if items.iter().any(is_use_types) {
                let uses_types = items.iter().filter(|i| !matches!(i, syn::Item::Use(_))).any(|i| i.to_token_stream().to_string().contains("types ::"));
                if !uses_types {
                    items.retain(|i| !is_use_types(i));
                }
            }
        }
        visit_mut::visit_item_mod_mut(self, m);
    }
}

/// The statement `header_map.append(..);`, as progenitor writes header parameters.
fn header_append(st: &syn::Stmt) -> Option<&syn::ExprMethodCall> {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = st else { return None };
    let on_map = matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("header_map"));
    (on_map && call.method == "append").then_some(call)
}

/// Whether `header_map.append(..)` is called anywhere in the block.
fn appends_headers(b: &syn::Block) -> bool {
    struct Find(bool);
    impl<'ast> syn::visit::Visit<'ast> for Find {
        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            self.0 |= matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("header_map")) && call.method == "append";
            syn::visit::visit_expr_method_call(self, call);
        }
    }
    let mut find = Find(false);
    syn::visit::Visit::visit_block(&mut find, b);
    find.0
}

/// `encode_path(x)` → `crate::hooks::encode_path_segment(x).map_err(Error::InvalidRequest)?`.
fn checked_path_encoding(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::TokenTree;
    let mut out: Vec<TokenTree> = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match &tt {
            TokenTree::Ident(i) if i == "encode_path" && matches!(iter.peek(), Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Parenthesis) => {
                out.extend(quote::quote!(crate::hooks::encode_path_segment));
                if let Some(args) = iter.next() {
                    out.push(args);
                }
                out.extend(quote::quote!(.map_err(Error::InvalidRequest)?));
            }
            _ => out.push(tt),
        }
    }
    out.into_iter().collect()
}

/// The value of an integer literal expression (`404u16`).
pub(super) fn lit_u16(e: &syn::Expr) -> Option<u16> {
    match e {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. }) => i.base10_parse().ok(),
        _ => None,
    }
}

/// The value of an integer literal pattern (`404u16 =>`).
pub(super) fn pat_u16(p: &syn::Pat) -> Option<u16> {
    match p {
        syn::Pat::Lit(l) => match &l.lit {
            syn::Lit::Int(i) => i.base10_parse().ok(),
            _ => None,
        },
        _ => None,
    }
}

/// The codes a status pattern covers: `404u16` is `(404, 404)`,
/// `400u16..=499u16` is `(400, 499)`; `None` for any other pattern.
pub(super) fn code_span(p: &syn::Pat) -> Option<(u16, u16)> {
    match p {
        syn::Pat::Range(r) => Some((r.start.as_deref().and_then(lit_u16)?, r.end.as_deref().and_then(lit_u16)?)),
        p => pat_u16(p).map(|c| (c, c)),
    }
}

/// The status pattern of `spans` (`(lo, hi)` pairs, in their order):
/// `400u16..=403u16 | 405u16`. `None` for no spans.
pub(super) fn codes_pattern(spans: &[(u16, u16)]) -> Option<syn::Pat> {
    let pieces = spans.iter().map(|&(lo, hi)| if lo == hi { quote::quote!(#lo) } else { quote::quote!(#lo..=#hi) });
    syn::parse::Parser::parse2(syn::Pat::parse_multi, quote::quote!(#(#pieces)|*)).ok()
}

fn split_status_ranges(m: &mut syn::ExprMatch) {
    let scrutinee = m.expr.to_token_stream().to_string();
    if !scrutinee.contains("status ()") {
        return;
    }
    let literals: BTreeSet<u16> = m.arms.iter().filter_map(|a| pat_u16(&a.pat)).collect();
    let mut arms = Vec::with_capacity(m.arms.len());
    for mut arm in std::mem::take(&mut m.arms) {
        if let syn::Pat::Range(_) = &arm.pat
            && let Some((lo, hi)) = code_span(&arm.pat) {
                let inside: Vec<u16> = literals.range(lo..=hi).copied().collect();
                if !inside.is_empty() {
                    let mut pieces: Vec<(u16, u16)> = Vec::new();
                    let mut start = lo;
                    for cut in inside.iter().copied().chain(std::iter::once(hi.saturating_add(1))) {
                        let end = cut.saturating_sub(1);
                        if cut > start {
                            pieces.push((start, end));
                        }
                        start = cut.saturating_add(1);
                    }
                    if pieces.is_empty() {
                        continue;
                    }
                    if let Some(pat) = codes_pattern(&pieces) {
                        arm.pat = pat;
                    }
                }
            }
        arms.push(arm);
    }
    m.arms = arms;
}

/// `impl Default` on an enum returning one unit variant → `#[derive(Default)]`.
fn derive_defaults(items: &mut Vec<syn::Item>) {
    for item in items.iter_mut() {
        if let syn::Item::Mod(m) = item
            && let Some((_, inner)) = &mut m.content {
                derive_defaults(inner);
            }
    }
    let mut defaults: Vec<(String, String)> = Vec::new();
    items.retain(|item| {
        let syn::Item::Impl(imp) = item else { return true };
        let is_default = imp.trait_.as_ref().is_some_and(|(p, _)| p.segments.last().is_some_and(|s| s.ident == "Default"));
        if !is_default {
            return true;
        }
        let syn::Type::Path(ty) = &*imp.self_ty else { return true };
        let Some(ty_name) = ty.path.segments.last().map(|s| s.ident.to_string()) else { return true };
        let [syn::ImplItem::Fn(f)] = imp.items.as_slice() else { return true };
        let [syn::Stmt::Expr(syn::Expr::Path(p), None)] = f.block.stmts.as_slice() else { return true };
        let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
        match segs.as_slice() {
            [owner, variant] if *owner == ty_name || owner == "Self" => {
                defaults.push((ty_name, variant.clone()));
                false
            }
            _ => true,
        }
    });
    for (ty, variant) in &defaults {
        let mut done = false;
        for item in items.iter_mut() {
            let syn::Item::Enum(e) = item else { continue };
            if e.ident != ty.as_str() {
                continue;
            }
            if let Some(v) = e.variants.iter_mut().find(|v| v.ident == variant.as_str() && matches!(v.fields, syn::Fields::Unit)) {
                v.attrs.push(syn::parse_quote!(#[default]));
                e.attrs.push(syn::parse_quote!(#[derive(Default)]));
                done = true;
            }
        }
        if !done {
            // Not a unit variant of an enum we can see: keep the hand impl.
            let ty_ident = syn::Ident::new(ty, proc_macro2::Span::call_site());
            let v_ident = syn::Ident::new(variant, proc_macro2::Span::call_site());
            items.push(syn::parse_quote! {
                impl ::std::default::Default for #ty_ident {
                    fn default() -> Self { #ty_ident::#v_ident }
                }
            });
        }
    }
}

/// Array header parameters joined with commas (see the module doc).
fn join_list_headers(items: &mut [syn::Item]) {
    for item in items.iter_mut() {
        let syn::Item::Mod(m) = item else { continue };
        let Some((_, inner)) = &mut m.content else { continue };
        if m.ident != "builder" {
            join_list_headers(inner);
            continue;
        }
        let mut lists: std::collections::HashMap<String, std::collections::HashSet<String>> = std::collections::HashMap::new();
        for item in inner.iter() {
            let syn::Item::Struct(st) = item else { continue };
            let syn::Fields::Named(fields) = &st.fields else { continue };
            let names = fields
                .named
                .iter()
                .filter(|f| f.ty.to_token_stream().to_string().replace(' ', "").contains("::std::vec::Vec<"))
                .filter_map(|f| f.ident.as_ref().map(ToString::to_string));
            lists.insert(st.ident.to_string(), names.collect());
        }
        for item in inner.iter_mut() {
            let syn::Item::Impl(imp) = item else { continue };
            let syn::Type::Path(ty) = &*imp.self_ty else { continue };
            let Some(fields) = ty.path.segments.last().and_then(|s| lists.get(&s.ident.to_string())) else { continue };
            if !fields.is_empty() {
                ListHeaders { fields, bound: None }.visit_item_impl_mut(imp);
            }
        }
    }
}

/// Rewrites `header_map.append(name, X.to_string().try_into()?)` where `X`
/// is a list field, or `value` bound from one by `if let Some(value) = field`.
struct ListHeaders<'f> {
    fields: &'f std::collections::HashSet<String>,
    /// The `if let Some(value) = field` binding being visited, if its field is a list.
    bound: Option<String>,
}

impl VisitMut for ListHeaders<'_> {
    fn visit_expr_if_mut(&mut self, e: &mut syn::ExprIf) {
        // `if let Some(x) = f`: `x` is a list exactly when `f` is one (an
        // inner binding shadows an outer one); other conditions bind nothing.
        let binding = match &*e.cond {
            syn::Expr::Let(l) => match (&*l.pat, &*l.expr) {
                (syn::Pat::TupleStruct(ts), syn::Expr::Path(p)) if ts.path.is_ident("Some") => match (ts.elems.first(), p.path.get_ident()) {
                    (Some(syn::Pat::Ident(pi)), Some(f)) => Some(self.fields.contains(&f.to_string()).then(|| pi.ident.to_string())),
                    _ => Some(None),
                },
                _ => Some(None),
            },
            _ => None,
        };
        let outer = self.bound.clone();
        if let Some(b) = binding {
            self.bound = b;
        }
        visit_mut::visit_expr_if_mut(self, e);
        self.bound = outer;
    }

    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        let on_header_map = matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("header_map"));
        if on_header_map && call.method == "append" && call.args.len() == 2 {
            let is_list = |name: &str| self.fields.contains(name) || self.bound.as_deref() == Some(name);
            rewrite_to_string(&mut call.args[1], &is_list);
        }
        visit_mut::visit_expr_method_call_mut(self, call);
    }
}

/// Within `e`, `X.to_string()` with `is_list(X)` → the items joined with commas.
fn rewrite_to_string(e: &mut syn::Expr, is_list: &dyn Fn(&str) -> bool) {
    match e {
        syn::Expr::Try(t) => rewrite_to_string(&mut t.expr, is_list),
        syn::Expr::MethodCall(m) if m.method == "to_string" && m.args.is_empty() => {
            if let syn::Expr::Path(p) = &*m.receiver
                && let Some(ident) = p.path.get_ident()
                && is_list(&ident.to_string())
            {
                *e = syn::parse_quote!(#ident.iter().map(::std::string::ToString::to_string).collect::<::std::vec::Vec<_>>().join(","));
            }
        }
        syn::Expr::MethodCall(m) => rewrite_to_string(&mut m.receiver, is_list),
        _ => {}
    }
}

/// `#[non_exhaustive]` and `new(required…)` for every struct with named
/// fields in the `types` module (see the module doc).
fn constructors(items: &mut [syn::Item]) {
    for item in items.iter_mut() {
        let syn::Item::Mod(m) = item else { continue };
        let Some((_, inner)) = &mut m.content else { continue };
        if m.ident != "types" {
            constructors(inner);
            continue;
        }
        let mut impls = Vec::new();
        for item in inner.iter_mut() {
            let syn::Item::Struct(st) = item else { continue };
            let syn::Fields::Named(fields) = &st.fields else { continue };
            let derives_default = st.attrs.iter().any(|a| a.path().is_ident("derive") && a.to_token_stream().to_string().contains("Default"));
            let mut params = Vec::new();
            let mut inits = Vec::new();
            for f in &fields.named {
                let Some(ident) = f.ident.clone() else { continue };
                let ty = &f.ty;
                let optional = ty.to_token_stream().to_string().replace(' ', "").starts_with("::std::option::Option<");
                match Serde::of(&f.attrs).default {
                    Some(Some(path)) => inits.push(quote::quote!(#ident: #path())),
                    Some(None) => inits.push(quote::quote!(#ident: ::std::default::Default::default())),
                    None if optional => inits.push(quote::quote!(#ident: ::std::option::Option::None)),
                    None => {
                        params.push(quote::quote!(#ident: #ty));
                        inits.push(quote::quote!(#ident));
                    }
                }
            }
            if params.is_empty() && !derives_default {
                continue;
            }
            st.attrs.push(syn::parse_quote!(#[non_exhaustive]));
            let name = &st.ident;
            let allow = (params.len() > 7).then(|| quote::quote!(#[allow(clippy::too_many_arguments)]));
            let doc = format!(" A `{name}` from its required fields; optional fields start empty (or at their default).");
            impls.push(syn::parse_quote! {
                impl #name {
                    #[doc = #doc]
                    #allow
                    pub fn new(#(#params),*) -> Self {
                        Self { #(#inits),* }
                    }
                }
            });
        }
        inner.extend(impls.into_iter().map(syn::Item::Impl));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: proc_macro2::TokenStream, expect: proc_macro2::TokenStream) {
        let mut file: syn::File = syn::parse2(input).unwrap();
        process(&mut file, &[("a_2".to_owned(), "a>".to_owned())], &["pin".to_owned()].into_iter().collect());
        let expect: syn::File = syn::parse2(expect).unwrap();
        assert_eq!(prettyplease::unparse(&file), prettyplease::unparse(&expect));
    }

    #[test]
    fn splits_status_ranges_around_codes() {
        check(
            quote::quote! {
                fn f() { match response.status().as_u16() { 200u16 => a, 400u16..=499u16 => b, 404u16 => c, 499u16 => d, _ => e } }
            },
            quote::quote! {
                fn f() { match response.status().as_u16() { 200u16 => a, 400u16..=403u16 | 405u16..=498u16 => b, 404u16 => c, 499u16 => d, _ => e } }
            },
        );
    }

    #[test]
    fn removes_blanket_allows_and_redundant_field_names() {
        check(
            quote::quote! { #[allow(clippy::all)] mod m { fn f() -> S { S { client: client, x: y } } } },
            quote::quote! { mod m { fn f() -> S { S { client, x: y } } } },
        );
    }

    #[test]
    fn redacts_secrets_in_debug() {
        check(
            quote::quote! { #[derive(Clone, Debug)] struct T { id: String, client_secret: String, #[serde(rename = "pin")] p: u32 } },
            quote::quote! {
                #[derive(Clone)] struct T { id: String, client_secret: String, #[serde(rename = "pin")] p: u32 }
                impl ::std::fmt::Debug for T {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.debug_struct("T").field("id", &self.id).field("client_secret", &"***").field("p", &"***").finish()
                    }
                }
            },
        );
    }

    #[test]
    fn restores_wire_names() {
        check(quote::quote! { fn f() { QueryParam::new("a_2", &a_2); } }, quote::quote! { fn f() { QueryParam::new("a>", &a_2); } });
    }

    #[test]
    fn derives_enum_defaults() {
        check(
            quote::quote! { enum E { A, B } impl ::std::default::Default for E { fn default() -> Self { E::B } } },
            quote::quote! { #[derive(Default)] enum E { A, #[default] B } },
        );
    }

    #[test]
    fn checks_path_segments() {
        check(
            quote::quote! { fn f() { let url = format!("{}/a/{}", client.baseurl, encode_path(&id.to_string())); } },
            quote::quote! { fn f() { let url = format!("{}/a/{}", client.baseurl, crate::hooks::encode_path_segment(&id.to_string()).map_err(Error::InvalidRequest)?); } },
        );
    }

    #[test]
    fn joins_list_headers_with_commas() {
        check(
            quote::quote! { mod builder {
                pub struct Op<'a> { client: &'a super::Client, tags: Result<Option<::std::vec::Vec<types::Tag>>, String>, ids: Result<::std::vec::Vec<i64>, String>, one: Result<Option<String>, String> }
                impl<'a> Op<'a> { pub async fn send(self) {
                    if let Some(value) = tags { header_map.append("tags", value.to_string().try_into()?); }
                    header_map.append("ids", ids.to_string().try_into()?);
                    if let Some(value) = one { header_map.append("one", value.to_string().try_into()?); }
                } }
            } },
            quote::quote! { mod builder {
                pub struct Op<'a> { client: &'a super::Client, tags: Result<Option<::std::vec::Vec<types::Tag>>, String>, ids: Result<::std::vec::Vec<i64>, String>, one: Result<Option<String>, String> }
                impl<'a> Op<'a> { pub async fn send(self) {
                    if let Some(value) = tags { header_map.append("tags", value.iter().map(::std::string::ToString::to_string).collect::<::std::vec::Vec<_>>().join(",").try_into()?); }
                    header_map.append("ids", ids.iter().map(::std::string::ToString::to_string).collect::<::std::vec::Vec<_>>().join(",").try_into()?);
                    if let Some(value) = one { header_map.append("one", value.to_string().try_into()?); }
                } }
            } },
        );
    }

    #[test]
    fn drops_unused_defaults_and_type_imports() {
        check(
            quote::quote! { mod defaults { pub fn used() {} pub fn unused() {} } mod builder { use super::types; fn g() { defaults::used() } } },
            quote::quote! { mod defaults { pub fn used() {} } mod builder { fn g() { defaults::used() } } },
        );
    }
}
