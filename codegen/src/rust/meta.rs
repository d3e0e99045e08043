//! Emits `src/operations.rs`: a static table describing every operation
//! (method, path template, tag, idempotency, pagination, streaming), looked up
//! by operationId. The overlay reads it to decide, per request, whether a
//! POST may be retried, which pages to follow and how to trace it.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Operation, Pagination};

/// The file's tokens, for the operations that were generated.
pub fn emit(ops: &[&Operation]) -> TokenStream {
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
        quote! {
            Operation { id: #id, spec_id: #spec_id, method: #method, path: #path, tag: #tag, idempotency_key: #idem, pagination: #pagination, stream: #sse, servers: &[#(#servers),*] }
        }
    });
    let count = sorted.len();
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
            /// operationId as written in the spec.
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
        }

        /// Every operation, sorted by `id`.
        pub static OPERATIONS: [Operation; #count] = [#(#rows),*];

        /// Looks an operation up by its (snake-case) id.
        pub fn find(id: &str) -> Option<&'static Operation> {
            OPERATIONS.binary_search_by(|o| o.id.cmp(id)).ok().map(|i| &OPERATIONS[i])
        }
    }
}
