//! Emits `src/operations.rs`: a static table describing every operation
//! (method, path template, tag, idempotency, pagination, streaming), looked up
//! by operationId. The overlay reads it to decide, per request, whether a
//! POST may be retried, which pages to follow and how to trace it.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Operation, Pagination, SchemeKind, SecurityScheme};

/// The file's tokens, for the operations that were generated and the API's
/// security schemes.
pub fn emit(ops: &[&Operation], schemes: &[SecurityScheme]) -> TokenStream {
    let mut sorted: Vec<&&Operation> = ops.iter().collect();
    sorted.sort_by_key(|a| a.id.to_snake_case());
    let rows = sorted.iter().map(|o| {
        // progenitor reports the snake-cased operationId in OperationInfo.
        let id = o.id.to_snake_case();
        let spec_id = &o.id;
        let method = o.method.to_uppercase();
        let path = &o.path;
        let tag = o.tags.first().cloned().unwrap_or_default();
        let idem = o.idempotency_key;
        let pagination = match &o.pagination {
            None => quote!(None),
            Some(Pagination::Page { items, has_more, page_param, per_page_param }) => quote! {
                Some(Pagination::Page { items: #items, has_more: #has_more, page_param: #page_param, per_page_param: #per_page_param })
            },
            Some(Pagination::Cursor { items, cursor_param, next_cursor }) => quote! {
                Some(Pagination::Cursor { items: #items, cursor_param: #cursor_param, next_cursor: #next_cursor })
            },
        };
        let sse = match &o.sse {
            None => quote!(None),
            Some(s) => {
                let resumable = s.resumable;
                let events = s.events.iter().map(|(name, _)| name);
                quote!(Some(Stream { resumable: #resumable, events: &[#(#events),*] }))
            }
        };
        let servers = &o.servers;
        let security = o.security.iter().map(|alt| quote!(&[#(#alt),*]));
        quote! {
            Operation { id: #id, spec_id: #spec_id, method: #method, path: #path, tag: #tag, idempotency_key: #idem, pagination: #pagination, stream: #sse, servers: &[#(#servers),*], security: &[#(#security),*] }
        }
    });
    let count = sorted.len();
    let scheme_rows = schemes.iter().map(|s| {
        let name = &s.name;
        let kind = match &s.kind {
            SchemeKind::Http { scheme } => quote!(SchemeKind::Http { scheme: #scheme }),
            SchemeKind::ApiKey { location, name } => quote!(SchemeKind::ApiKey { location: #location, name: #name }),
            SchemeKind::OAuth2 { token_url } => {
                let url = match token_url {
                    Some(u) => quote!(Some(#u)),
                    None => quote!(None),
                };
                quote!(SchemeKind::OAuth2 { token_url: #url })
            }
            SchemeKind::OpenIdConnect => quote!(SchemeKind::OpenIdConnect),
        };
        let source = match &s.token_source {
            Some(t) => {
                let op = t.operation.to_snake_case();
                let token = &t.token;
                let expires = match &t.expires_in {
                    Some(e) => quote!(Some(#e)),
                    None => quote!(None),
                };
                quote!(Some(TokenSource { operation: #op, token: #token, expires_in: #expires }))
            }
            None => quote!(None),
        };
        quote!(SecurityScheme { name: #name, kind: #kind, token_source: #source })
    });
    let scheme_count = schemes.len();
    quote! {
        //! Metadata of every generated operation, by operationId.

        /// How a list operation pages.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Pagination {
            /// `page`/`per_page` query parameters and a has-more flag.
            Page {
                /// JSON pointer to the items in the response body.
                items: &'static str,
                /// JSON pointer to the has-more flag.
                has_more: &'static str,
                /// Page query parameter.
                page_param: &'static str,
                /// Page-size query parameter.
                per_page_param: &'static str,
            },
            /// An opaque cursor.
            Cursor {
                /// JSON pointer to the items in the response body.
                items: &'static str,
                /// Cursor query parameter.
                cursor_param: &'static str,
                /// JSON pointer to the next cursor.
                next_cursor: &'static str,
            },
        }

        /// A Server-Sent Events response.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Stream {
            /// Whether the server resumes from `Last-Event-ID`.
            pub resumable: bool,
            /// Event names the spec documents.
            pub events: &'static [&'static str],
        }

        /// One operation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Operation {
            /// operationId as progenitor reports it (snake case).
            pub id: &'static str,
            /// operationId as written in the spec; a method for another
            /// request media type has one of its own (`createImageEdit_multipart`).
            pub spec_id: &'static str,
            /// HTTP method, upper case.
            pub method: &'static str,
            /// Path template.
            pub path: &'static str,
            /// First tag.
            pub tag: &'static str,
            /// Accepts an `Idempotency-Key` header.
            pub idempotency_key: bool,
            /// List convention, if any.
            pub pagination: Option<Pagination>,
            /// Event stream, if any.
            pub stream: Option<Stream>,
            /// Servers that override the client's base URL for this
            /// operation (the first is production); empty when none do.
            pub servers: &'static [&'static str],
            /// Security requirements: any one alternative suffices, and
            /// each names the [`SECURITY_SCHEMES`] it needs together. Empty:
            /// send no credential; an empty alternative: anonymous allowed.
            pub security: &'static [&'static [&'static str]],
        }

        /// How a security scheme sends its credential.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum SchemeKind {
            /// `Authorization: <scheme> <credential>` (`bearer`, `basic`, lower case).
            Http {
                /// The HTTP authentication scheme.
                scheme: &'static str,
            },
            /// An API key in a header, query parameter or cookie.
            ApiKey {
                /// `header`, `query` or `cookie`.
                location: &'static str,
                /// Its name.
                name: &'static str,
            },
            /// OAuth 2.0; a bearer token from `token_url`.
            OAuth2 {
                /// The token URL, if a flow names one.
                token_url: Option<&'static str>,
            },
            /// OpenID Connect; a bearer token.
            OpenIdConnect,
        }

        /// Where a scheme's token comes from (the spec's `x-token-source`):
        /// the JSON response of another operation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct TokenSource {
            /// The issuing operation's (snake-case) id, as in [`find`].
            pub operation: &'static str,
            /// JSON pointer to the token in its response body.
            pub token: &'static str,
            /// JSON pointer to the token's lifetime in seconds, if any.
            pub expires_in: Option<&'static str>,
        }

        /// A security scheme of the API.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct SecurityScheme {
            /// Its name in the spec (`components.securitySchemes`).
            pub name: &'static str,
            /// How the credential travels.
            pub kind: SchemeKind,
            /// Which operation issues the token, when the spec says.
            pub token_source: Option<TokenSource>,
        }

        /// Every security scheme, in spec order.
        pub static SECURITY_SCHEMES: [SecurityScheme; #scheme_count] = [#(#scheme_rows),*];

        /// Looks a security scheme up by its name in the spec.
        pub fn security_scheme(name: &str) -> Option<&'static SecurityScheme> {
            SECURITY_SCHEMES.iter().find(|s| s.name == name)
        }

        /// Every operation, sorted by `id`.
        pub static OPERATIONS: [Operation; #count] = [#(#rows),*];

        /// Looks an operation up by its (snake-case) id.
        pub fn find(id: &str) -> Option<&'static Operation> {
            OPERATIONS.binary_search_by(|o| o.id.cmp(id)).ok().map(|i| &OPERATIONS[i])
        }
    }
}
