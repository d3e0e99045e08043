//! Emits `src/events.rs`: typed Server-Sent Events (one enum per streaming
//! operation) and typed webhook events (one enum for the `webhooks`
//! catalog). progenitor returns event streams as raw bytes and knows
//! nothing of webhooks; the overlay parses the wire format and calls the
//! `decode` functions emitted here.
//!
//! Every enum is `#[non_exhaustive]` and has an `Unknown` variant, so an
//! event the server adds later never breaks an old client.

use std::collections::{BTreeSet, HashMap, HashSet};

use heck::{ToPascalCase, ToSnakeCase};
use openapiv3::ReferenceOr;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::features::{Plan, cfg_any};
use crate::model::{Api, Operation};

/// The Rust type a schema became, if the engine generated it under the
/// name we expect; `serde_json::Value` otherwise, so the output compiles.
fn type_of(schema: Option<&ReferenceOr<openapiv3::Schema>>, types: &HashSet<String>) -> TokenStream {
    match type_name(schema, types) {
        Some(ident) => {
            let ident = format_ident!("{}", ident);
            quote!(crate::types::#ident)
        }
        None => quote!(::serde_json::Value),
    }
}

/// The name in `types` of a referenced schema, if it has one.
fn type_name(schema: Option<&ReferenceOr<openapiv3::Schema>>, types: &HashSet<String>) -> Option<String> {
    if let Some(ReferenceOr::Reference { reference }) = schema
        && let Some(name) = crate::refs::component_schema_name(reference)
    {
        let ident = name.to_pascal_case();
        if types.contains(&ident) {
            return Some(ident);
        }
    }
    None
}

/// The types of the webhook payloads.
pub fn webhook_payload_types(api: &Api, types: &HashSet<String>) -> BTreeSet<String> {
    api.webhooks.iter().filter_map(|w| type_name(w.payload.as_ref(), types)).collect()
}

fn variant_ident(name: &str, taken: &mut BTreeSet<String>) -> proc_macro2::Ident {
    let mut base = name.to_pascal_case();
    if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
        base = format!("E{base}");
    }
    if base == "Unknown" {
        base.push_str("Event");
    }
    let mut candidate = base.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{base}{n}");
        n += 1;
    }
    format_ident!("{}", candidate)
}

fn stream_enum(op: &Operation, types: &HashSet<String>, cfg: Option<&syn::Attribute>) -> Option<TokenStream> {
    let sse = op.sse.as_ref()?;
    let name = match &sse.schema_name {
        Some(n) => format_ident!("{}", n.to_pascal_case()),
        None => format_ident!("{}Event", op.id.to_pascal_case()),
    };
    let doc = format!(" Events of `{}` (`{} {}`).", op.id.to_snake_case(), op.method.to_uppercase(), op.path);
    let mut taken = BTreeSet::new();
    let variants: Vec<(String, proc_macro2::Ident, TokenStream)> =
        sse.events.iter().map(|(event, data)| (event.clone(), variant_ident(event, &mut taken), type_of(data.as_ref(), types))).collect();
    let defs = variants.iter().map(|(event, ident, ty)| {
        let doc = format!(" `{event}`");
        quote! { #[doc = #doc] #ident(#ty), }
    });
    let arms = variants.iter().map(|(event, ident, _)| quote! { #event => ::serde_json::from_str(data).map(Self::#ident), });
    let names = variants.iter().map(|(event, ident, _)| quote! { Self::#ident(_) => #event, });
    let (decode_body, name_body) = if variants.is_empty() {
        (
            quote! { Ok(Self::Unknown { event: event.to_owned(), data: data.to_owned() }) },
            quote! { let Self::Unknown { event, .. } = self; event },
        )
    } else {
        (
            quote! { match event { #(#arms)* _ => Ok(Self::Unknown { event: event.to_owned(), data: data.to_owned() }), } },
            quote! { match self { #(#names)* Self::Unknown { event, .. } => event, } },
        )
    };
    Some(quote! {
        #[doc = #doc]
        #cfg
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#defs)*
            /// An event this version of the SDK does not know.
            Unknown {
                /// The SSE `event` field.
                event: String,
                /// The raw `data` field.
                data: String,
            },
        }

        #cfg
        impl #name {
            /// Decodes one event from its SSE `event` and `data` fields. An
            /// event named `message` (no `event` field on the wire) is
            /// dispatched on the `type` of its JSON data instead.
            pub fn decode(event: &str, data: &str) -> Result<Self, ::serde_json::Error> {
                let owned;
                let event = if event == "message" {
                    owned = ::serde_json::from_str::<::serde_json::Value>(data)
                        .ok()
                        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned));
                    owned.as_deref().unwrap_or(event)
                } else {
                    event
                };
                #decode_body
            }

            /// The event's name on the wire.
            pub fn name(&self) -> &str {
                #name_body
            }
        }
    })
}

fn webhook_enum(api: &Api, types: &HashSet<String>, decoders: &BTreeSet<String>, cfg: Option<&syn::Attribute>) -> Option<TokenStream> {
    if api.webhooks.is_empty() {
        return None;
    }
    let mut taken = BTreeSet::new();
    let variants: Vec<(String, proc_macro2::Ident, TokenStream, Option<String>)> = api
        .webhooks
        .iter()
        .map(|w| (w.name.clone(), variant_ident(&w.name, &mut taken), type_of(w.payload.as_ref(), types), w.summary.clone()))
        .collect();
    let defs = variants.iter().map(|(event, ident, ty, summary)| {
        let doc = match summary {
            Some(s) => format!(" `{event}`: {s}"),
            None => format!(" `{event}`"),
        };
        quote! { #[doc = #doc] #ident(Box<#ty>), }
    });
    // A payload type with a decoder of its own (a type shard's, see
    // `shards::add_decoders`) is decoded by it, so that its deserializer is
    // compiled with the type's shard, not here.
    let arms = api.webhooks.iter().zip(&variants).map(|(w, (event, ident, ty, _))| match type_name(w.payload.as_ref(), types).filter(|n| decoders.contains(n)) {
        Some(_) => quote! { #event => <#ty>::__decode_json(body).map(|v| Self::#ident(Box::new(v))), },
        None => quote! { #event => ::serde_json::from_value(body).map(|v| Self::#ident(Box::new(v))), },
    });
    let names = variants.iter().map(|(event, ident, _, _)| quote! { Self::#ident(_) => #event, });
    Some(quote! {
        /// Every webhook event the API documents.
        #cfg
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum WebhookEvent {
            #(#defs)*
            /// An event this version of the SDK does not know.
            Unknown {
                /// The event type.
                event: String,
                /// The whole payload.
                payload: ::serde_json::Value,
            },
        }

        #cfg
        impl WebhookEvent {
            /// Decodes a webhook body. The event type is the body's `event`
            /// (or `type`) field, else `header_event` (the delivery header).
            pub fn decode(header_event: Option<&str>, body: &[u8]) -> Result<Self, ::serde_json::Error> {
                let body: ::serde_json::Value = ::serde_json::from_slice(body)?;
                let event = body
                    .get("event")
                    .or_else(|| body.get("type"))
                    .and_then(|e| e.as_str())
                    .or(header_event)
                    .unwrap_or_default()
                    .to_owned();
                match event.as_str() {
                    #(#arms)*
                    _ => Ok(Self::Unknown { event, payload: body }),
                }
            }

            /// The event's type on the wire.
            pub fn name(&self) -> &str {
                match self {
                    #(#names)*
                    Self::Unknown { event, .. } => event,
                }
            }
        }
    })
}

/// The items of `src/events.rs`, each with the features that gate it
/// (empty: always on).
pub struct Events {
    /// Each enum with its impl, and the features gating them.
    pub items: Vec<(BTreeSet<String>, TokenStream)>,
}

impl Events {
    /// The file's tokens.
    pub fn file(&self) -> TokenStream {
        let items = self.items.iter().map(|(_, t)| t);
        quote! {
            //! Typed Server-Sent Events of the streaming operations, and typed
            //! webhook events. Decode with `decode`; unknown events are kept, not
            //! rejected.

            #(#items)*
        }
    }
}

/// The event enums: one per streaming event schema, gated by the features of
/// the operations that stream it, and the webhook enum, gated by the plan's
/// webhook feature.
///
/// `decoders`: payload types that have a `__decode_json` of their own.
pub fn emit(api: &Api, ops: &[&Operation], types: &HashSet<String>, plan: &Plan, decoders: &BTreeSet<String>) -> Events {
    // Operations that stream the same event schema share one enum, on with
    // any of their features (always, if one of them is).
    let mut groups: Vec<Vec<&Operation>> = Vec::new();
    let mut by_schema: HashMap<&str, usize> = HashMap::new();
    for op in ops.iter().filter(|o| o.sse.is_some()) {
        match op.sse.as_ref().and_then(|s| s.schema_name.as_deref()) {
            Some(schema) => {
                let at = *by_schema.entry(schema).or_insert_with(|| {
                    groups.push(Vec::new());
                    groups.len() - 1
                });
                groups[at].push(op);
            }
            None => groups.push(vec![op]),
        }
    }
    let mut items = Vec::new();
    for group in groups {
        let per_op: Vec<BTreeSet<String>> = group.iter().map(|o| plan.of_operation(o)).collect();
        let features = if per_op.iter().any(BTreeSet::is_empty) { BTreeSet::new() } else { per_op.into_iter().flatten().collect() };
        if let Some(tokens) = stream_enum(group[0], types, cfg_any(&features).as_ref()) {
            items.push((features, tokens));
        }
    }
    let features: BTreeSet<String> = plan.webhook_events.iter().cloned().collect();
    if let Some(tokens) = webhook_enum(api, types, decoders, cfg_any(&features).as_ref()) {
        items.push((features, tokens));
    }
    Events { items }
}
