//! Parsing progenitor's token stream into a `syn::File` one item at a
//! time, and leaving the items of one module unparsed until asked for.
//!
//! `syn::parse2` first flattens the whole stream into one buffer of
//! entries. For GitHub's client that is millions of tokens copied into
//! memory touched for the first time, beside the stream: item by item, each
//! buffer is the size of one item, and each piece's tokens are dropped once
//! it is parsed, so the stream shrinks as the tree grows (GitHub: peak 1.40
//! to 1.03 GB). And typify's struct builders, more than half of the stream,
//! are mostly pruned (`builders`): left as pieces, the pruned ones are
//! never parsed (GitHub: parsing 0.78 to 0.5 s, peak to 0.94 GB).
//!
//! The split is by tokens, for the code progenitor and this crate generate:
//! an item ends at a top-level `;`, or at a top-level `{…}` not followed by
//! a `;` (`struct S { … }`, `impl … { … }`, `mod m { … }`; but `use a::{…};`
//! and `const _: () = { … };` go on to their `;`). A module's body is split
//! the same way, recursively, unless it opens with an inner attribute
//! (`#![…]`): then it is parsed whole. The tree is the one `syn::parse2`
//! gives; a stream that is not a file of items gets syn's error for the
//! piece it fails in.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use syn::{Item, ItemMod};

/// An item left as tokens, to be parsed only if it is wanted.
pub struct Piece {
    /// The struct's or enum's name, or an impl's self type (the last
    /// segment of its path), read off the tokens; `None` for other items.
    pub name: Option<String>,
    tokens: Vec<TokenTree>,
}

impl Piece {
    /// The item its tokens make.
    pub fn parse(self) -> syn::Result<Item> {
        syn::parse2(self.tokens.into_iter().collect())
    }
}

/// Parses `tokens` as a file of items, item by item, except the items of
/// the module at `deferred` (a path of module names from the file, such as
/// `["types", "builder"]`): those are split but not parsed, the module is
/// left empty, and they are returned as pieces, in order.
pub fn parse_file_deferring(tokens: TokenStream, deferred: &[&str]) -> syn::Result<(syn::File, Vec<Piece>)> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    if opens_with_inner_attribute(&trees) {
        return Ok((syn::parse2(trees.into_iter().collect())?, Vec::new()));
    }
    let mut split = Split { deferred, path: Vec::new(), pieces: Vec::new() };
    // The empty file, for the fields of a file without items.
    let mut file: syn::File = syn::parse2(TokenStream::new())?;
    file.items = split.items(trees)?;
    Ok((file, split.pieces))
}

fn opens_with_inner_attribute(trees: &[TokenTree]) -> bool {
    matches!(trees, [TokenTree::Punct(hash), TokenTree::Punct(bang), ..] if hash.as_char() == '#' && bang.as_char() == '!')
}

/// Each item's tokens, in order.
fn pieces(trees: Vec<TokenTree>) -> Vec<Vec<TokenTree>> {
    let mut trees = trees.into_iter().peekable();
    let mut out = Vec::new();
    let mut piece = Vec::new();
    while let Some(tree) = trees.next() {
        let end = match &tree {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace && !matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';'),
            _ => false,
        };
        piece.push(tree);
        if end {
            out.push(std::mem::take(&mut piece));
        }
    }
    if !piece.is_empty() {
        out.push(piece);
    }
    out
}

struct Split<'a> {
    deferred: &'a [&'a str],
    /// The module being split.
    path: Vec<String>,
    pieces: Vec<Piece>,
}

impl Split<'_> {
    /// The items of a sequence of items.
    fn items(&mut self, trees: Vec<TokenTree>) -> syn::Result<Vec<Item>> {
        pieces(trees).into_iter().map(|p| self.item(p)).collect()
    }

    /// One item; a module with a body has its header parsed with an empty
    /// body, then its body's items one by one.
    fn item(&mut self, mut piece: Vec<TokenTree>) -> syn::Result<Item> {
        let is_mod = piece.iter().any(|t| matches!(t, TokenTree::Ident(i) if i == "mod"));
        if is_mod && matches!(piece.last(), Some(TokenTree::Group(_))) && let Some(TokenTree::Group(body)) = piece.pop() {
            let body_trees: Vec<TokenTree> = body.stream().into_iter().collect();
            if body.delimiter() == Delimiter::Brace && !opens_with_inner_attribute(&body_trees) {
                let mut empty = Group::new(Delimiter::Brace, TokenStream::new());
                empty.set_span(body.span());
                // Not needed from here on: dropping it lets the body's
                // trees go as they are parsed.
                drop(body);
                piece.push(TokenTree::Group(empty));
                let mut module: ItemMod = syn::parse2(piece.into_iter().collect())?;
                self.path.push(module.ident.to_string());
                if self.path == self.deferred {
                    self.pieces.extend(pieces(body_trees).into_iter().map(|tokens| Piece { name: self_name(&tokens), tokens }));
                } else if let Some((_, content)) = &mut module.content {
                    *content = self.items(body_trees)?;
                }
                self.path.pop();
                return Ok(Item::Mod(module));
            }
            piece.push(TokenTree::Group(body));
        }
        syn::parse2(piece.into_iter().collect())
    }
}

/// What [`Piece::name`] says, from an item's tokens: the identifier after
/// `struct` or `enum`; for an `impl`, the last identifier of the path after
/// `for`, or else of the path after `impl` and its generics.
fn self_name(tokens: &[TokenTree]) -> Option<String> {
    let is = |t: &TokenTree, word: &str| matches!(t, TokenTree::Ident(i) if i == word);
    let punct = |t: &TokenTree, c: char| matches!(t, TokenTree::Punct(p) if p.as_char() == c);
    let keyword = tokens.iter().position(|t| is(t, "struct") || is(t, "enum") || is(t, "impl"))?;
    if !is(&tokens[keyword], "impl") {
        return match tokens.get(keyword + 1) {
            Some(TokenTree::Ident(i)) => Some(i.to_string()),
            _ => None,
        };
    }
    let mut at = keyword + 1;
    // `impl<…>`: skip the generics.
    if tokens.get(at).is_some_and(|t| punct(t, '<')) {
        let mut depth = 0usize;
        while let Some(t) = tokens.get(at) {
            depth = if punct(t, '<') { depth + 1 } else if punct(t, '>') { depth.saturating_sub(1) } else { depth };
            at += 1;
            if depth == 0 {
                break;
            }
        }
    }
    // `… for Path`: the trait's self type (not `for<'a>`, a bound's).
    if let Some(f) = tokens[at..].iter().position(|t| is(t, "for")).map(|f| at + f)
        && !tokens.get(f + 1).is_some_and(|t| punct(t, '<'))
    {
        at = f + 1;
    }
    let mut last = None;
    for t in &tokens[at..] {
        match t {
            TokenTree::Ident(i) => last = Some(i.to_string()),
            TokenTree::Punct(p) if p.as_char() == ':' => {}
            _ => break,
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use quote::{ToTokens, quote};

    fn parse_file(tokens: proc_macro2::TokenStream) -> syn::Result<syn::File> {
        super::parse_file_deferring(tokens, &[]).map(|(file, _)| file)
    }

    /// Item by item gives the tree `syn::parse2` gives, printed the same.
    #[test]
    fn same_tree_as_parse2() {
        let cases = [
            quote! {
                #![allow(dead_code)]
                pub mod m {}
            },
            quote! {
                mod m { #![allow(dead_code)] struct S; }
                mod n ();
            },
            quote! {
                use a::{b, c};
                #[doc = "x"]
                pub mod types {
                    #[derive(Debug)]
                    pub struct S { pub a: u8 }
                    pub struct T(pub [u8; 4]);
                    const _: () = { let _ = 1; };
                    impl S where S: Sized { fn f(&self) -> u8 { self.a } }
                    pub mod builder { pub struct S { a: Result<u8, String> } }
                    pub enum E { A, B { x: u8 } }
                    static X: S = S { a: 1 };
                    mod declared;
                }
                pub fn g() {}
                macro_rules! m { () => {}; }
                m!();
            },
            // Not a file: the error is syn's own.
            quote! { pub struct { } },
            quote! { fn f() {} extra },
        ];
        for tokens in cases {
            let ours = parse_file(tokens.clone()).map(|f| f.to_token_stream().to_string());
            let syn = syn::parse2::<syn::File>(tokens.clone()).map(|f| f.to_token_stream().to_string());
            match (ours, syn) {
                (Ok(ours), Ok(syn)) => assert_eq!(ours, syn, "{tokens}"),
                (Err(_), Err(_)) => {}
                (ours, syn) => panic!("{tokens}: item by item {ours:?}, syn {syn:?}"),
            }
        }
    }

    /// A deferred module is left empty; its items come back as pieces,
    /// named as `builders` names parsed items.
    #[test]
    fn deferred_module_pieces() {
        let (file, pieces) = super::parse_file_deferring(
            quote! {
                pub mod types {
                    pub struct A;
                    pub mod builder {
                        #[derive(Clone)]
                        pub struct A { x: u8 }
                        impl ::std::default::Default for A { fn default() -> Self { todo!() } }
                        impl A { pub fn x(self) -> Self { self } }
                        impl ::std::convert::TryFrom<A> for super::A { type Error = (); fn try_from(v: A) -> Result<Self, ()> { todo!() } }
                        impl<'a> B<'a> where for<'b> &'b u8: Copy {}
                        pub enum E { X }
                        const _: () = ();
                    }
                }
            },
            &["types", "builder"],
        )
        .expect("parses");
        let names: Vec<Option<&str>> = pieces.iter().map(|p| p.name.as_deref()).collect();
        assert_eq!(names, [Some("A"), Some("A"), Some("A"), Some("A"), Some("B"), Some("E"), None]);
        let [syn::Item::Mod(types)] = file.items.as_slice() else { panic!("one module") };
        let items = &types.content.as_ref().expect("body").1;
        assert_eq!(items.len(), 2);
        assert!(matches!(&items[1], syn::Item::Mod(b) if b.content.as_ref().is_some_and(|(_, i)| i.is_empty())));
        // Parsed, each piece is the item it was.
        let parsed: Vec<String> = pieces.into_iter().map(|p| p.parse().expect("item").to_token_stream().to_string()).collect();
        assert!(parsed[3].starts_with("impl :: std :: convert :: TryFrom < A > for super :: A"), "{}", parsed[3]);
    }

    /// The error names the piece that failed, where syn put it.
    #[test]
    fn error_is_the_failing_piece() {
        let err = parse_file(quote! { pub mod types { pub struct A; pub struct ; } }).expect_err("not Rust");
        assert!(err.to_string().starts_with("expected identifier"), "{err}");
    }
}
