//! How an opened union of objects is read: by its tag, or by its keys.
//!
//! [`super::open_enums`] gives a union of objects an `Unknown(Map)`
//! variant for kinds a newer server adds. Where something in an object
//! tells which listed kind it is, the union is read by it, and only an
//! object of no listed kind is `Unknown`; an object of a listed kind that
//! does not fit its schema is serde's error, naming what is wrong
//! (`missing field `field``), as it is for a struct. Without this, serde
//! tries every variant and then `Unknown`, so a listed kind with one bad
//! field was `Unknown`, silently.
//!
//! What tells the kinds apart:
//! - a **tag** ([`by_tag`]): a tagged enum's (`#[serde(tag = "type")]`,
//!   Oxide's), or a required one-value field every branch of an untagged
//!   one has (OpenAI's `type`, the Interactor's SSE `event`). A listed
//!   value that one branch holding a type has is read as that type;
//! - **keys** ([`by_marks`]): each branch requires something no other
//!   branch does: a key (the Interactor's `Condition`: `equals`,
//!   `not_equals`, `operator`, `and`, `or`, `not`), or a value of a
//!   one-value field (its halting instructions: `type: ai`,
//!   `type: message`, and a shorthand with no `type` but an
//!   `instruction`). A branch cannot take an object without what it
//!   requires, so an object with the marks of one branch alone can only
//!   be that branch, and is read as it; one with none is `Unknown`. One
//!   with the marks of several is tried as each of them in order, as
//!   serde's untagged derive tried every branch, and is `Unknown` if none
//!   takes it, as before.
//!
//! Where every listed kind is read as the type it holds, serde's derive
//! is never called, so it is not compiled for `serde_json::Value` beside
//! those types' own deserializers.
//!
//! In both, serde's derive stays as the enum's own functions
//! (`#[serde(remote = "Self")]`, `Unknown` skipped), and `Serialize`
//! writes `Unknown` as it was read and the rest through the derive.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::{Fields, Item};

/// A tag every variant of a union has: its field's wire name, and the
/// value each variant gives it, in order.
#[derive(Clone, Debug)]
pub(super) struct Tag {
    pub field: String,
    pub of_variant: Vec<String>,
}

impl Tag {
    /// The values, each once, in order.
    pub fn values(&self) -> std::collections::BTreeSet<&String> {
        self.of_variant.iter().collect()
    }
}

/// The impls of a union read by its tag or its marks, and the indices of
/// the variants read as the one type each holds.
pub(super) struct Read {
    pub impls: [Item; 2],
    pub direct: Vec<usize>,
}

/// `Deserialize` and `Serialize` of a union read by its tag (module doc).
pub(super) fn by_tag(e: &syn::ItemEnum, unknown: &Ident, tag: &Tag) -> Read {
    let mut direct = Vec::new();
    let field = &tag.field;
    let values = tag.values();
    let custom = custom();
    let derive = derive();
    let derive = quote!(#derive #custom);
    let body = if super::post::Serde::of(&e.attrs).tag.is_some() {
        // A tagged enum: serde's derive reads the listed values.
        quote! {
            match object.get(#field) {
                Some(::serde_json::Value::String(tag)) if !matches!(tag.as_str(), #(#values)|*) => Ok(Self::#unknown(object)),
                _ => #derive,
            }
        }
    } else {
        let mut arms = Vec::new();
        let mut through_derive = Vec::new();
        for value in values {
            // The variants that give the tag this value: one holding a
            // type is read as it.
            let holders: Vec<usize> = tag.of_variant.iter().enumerate().filter(|(_, v)| *v == value).map(|(i, _)| i).collect();
            let read = match holders[..] {
                [i] => own_type(&e.variants[i]).map(|read| (i, read)),
                _ => None,
            };
            match read {
                Some((i, read)) => {
                    arms.push(quote!(#value => #read #custom,));
                    direct.push(i);
                }
                None => through_derive.push(value),
            }
        }
        // Without a string tag no variant fits. Where every value is read
        // as its own type, serde's derive is never called, so it is never
        // compiled for `Value` (the types' own deserializers are).
        let untagged = if through_derive.is_empty() {
            let message = format!("expected a string `{field}`");
            quote! {
                None => Err(<D::Error as ::serde::de::Error>::missing_field(#field)),
                Some(_) => Err(<D::Error as ::serde::de::Error>::custom(#message)),
            }
        } else {
            arms.push(quote!(#(#through_derive)|* => #derive,));
            quote!(_ => #derive,)
        };
        quote! {
            match object.get(#field) {
                Some(::serde_json::Value::String(tag)) => match tag.as_str() {
                    #(#arms)*
                    _ => Ok(Self::#unknown(object)),
                },
                #untagged
            }
        }
    };
    Read { impls: impls(e, unknown, body), direct }
}

/// What one branch of a union read by its keys requires and no other
/// branch does: any of them in an object makes it a candidate.
#[derive(Clone, Debug)]
pub(super) struct Marks {
    /// Keys it requires.
    pub keys: Vec<String>,
    /// Values of its required one-value fields, by wire name.
    pub values: Vec<(String, String)>,
}

/// `Deserialize` and `Serialize` of a union read by its keys: `marks[i]`
/// are what variant `i` alone requires (module doc).
pub(super) fn by_marks(e: &syn::ItemEnum, unknown: &Ident, marks: &[Marks]) -> Read {
    let mut direct = Vec::new();
    let any_keys = marks.iter().any(|m| !m.keys.is_empty());
    let any_values = marks.iter().any(|m| !m.values.is_empty());
    let tests = marks.iter().map(|m| {
        let keys = &m.keys;
        let has = (!keys.is_empty()).then(|| quote!(has(&[#(#keys),*])));
        let is = m.values.iter().map(|(k, v)| quote!(is(#k, #v)));
        let tests: Vec<TokenStream> = has.into_iter().chain(is).collect();
        quote!(#(#tests)||*)
    });
    let mut reads: Vec<TokenStream> = Vec::new();
    for (i, variant) in e.variants.iter().enumerate().take(marks.len()) {
        if let Some(read) = own_type(variant) {
            let index = proc_macro2::Literal::usize_unsuffixed(i);
            reads.push(quote!(#index => #read,));
            direct.push(i);
        }
    }
    // A variant of fields is read by serde's derive (which tries them
    // all: only the candidates can fit); with none, the last arm is never
    // taken, and the derive is never compiled for `Value`.
    let other = if direct.len() < marks.len() { derive() } else { quote!(Ok(Self::#unknown(object))) };
    let has = any_keys.then(|| quote!(let has = |keys: &[&str]| keys.iter().any(|key| object.contains_key(*key));));
    let is = any_values.then(|| quote!(let is = |key: &str, value: &str| object.get(key).and_then(::serde_json::Value::as_str) == Some(value);));
    let custom = custom();
    // Only variants of fields: no index to match on.
    let (index, read_body) = if reads.is_empty() { (quote!(_), other) } else { (quote!(i), quote!(match i { #(#reads)* _ => #other, })) };
    let body = quote! {
        #has
        #is
        let mut marked = [#(#tests),*].into_iter().enumerate().filter(|(_, marked)| *marked).map(|(i, _)| i);
        let read = |#index: usize, object: ::serde_json::Map<::std::string::String, ::serde_json::Value>| -> ::std::result::Result<Self, ::serde_json::Error> {
            #read_body
        };
        match (marked.next(), marked.next()) {
            (None, _) => Ok(Self::#unknown(object)),
            (Some(i), None) => read(i, object) #custom,
            // The marks of several branches: each is tried in order.
            (Some(first), Some(second)) => Ok([first, second].into_iter().chain(marked).find_map(|i| read(i, object.clone()).ok()).unwrap_or(Self::#unknown(object))),
        }
    };
    Read { impls: impls(e, unknown, body), direct }
}

/// serde's derive reading `object`: a `Result<Self, serde_json::Error>`.
fn derive() -> TokenStream {
    quote!(Self::deserialize(::serde_json::Value::Object(object)))
}

/// A `serde_json::Error` as the deserializer's error.
fn custom() -> TokenStream {
    quote!(.map_err(<D::Error as ::serde::de::Error>::custom))
}

/// Reading `object` as the one type `variant` holds (`Box<T>` too), so
/// that serde's error is that type's: a `Result<Self, serde_json::Error>`;
/// `None` for a variant of fields.
fn own_type(variant: &syn::Variant) -> Option<TokenStream> {
    let Fields::Unnamed(fields) = &variant.fields else { return None };
    if fields.unnamed.len() != 1 {
        return None;
    }
    let ty = &fields.unnamed[0].ty;
    let ident = &variant.ident;
    Some(quote!(::serde_json::from_value::<#ty>(::serde_json::Value::Object(object)).map(Self::#ident)))
}

/// The two impls around `body`, which reads `object` and returns `Self`.
fn impls(e: &syn::ItemEnum, unknown: &Ident, body: TokenStream) -> [Item; 2] {
    let ident = &e.ident;
    let cfgs: Vec<&syn::Attribute> = e.attrs.iter().filter(|a| a.path().is_ident("cfg")).collect();
    [
        syn::parse_quote! {
            #(#cfgs)*
            impl<'de> ::serde::Deserialize<'de> for #ident {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let object = <::serde_json::Map<::std::string::String, ::serde_json::Value> as ::serde::Deserialize<'de>>::deserialize(deserializer)?;
                    #body
                }
            }
        },
        syn::parse_quote! {
            #(#cfgs)*
            impl ::serde::Serialize for #ident {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    match self {
                        Self::#unknown(object) => ::serde::Serialize::serialize(object, serializer),
                        known => Self::serialize(known, serializer),
                    }
                }
            }
        },
    ]
}
