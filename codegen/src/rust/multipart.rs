//! `multipart/form-data` request bodies, which progenitor does not have.
//!
//! `normalize::engine` gives progenitor a multipart body as a form whose
//! binary properties map to [`FilePart`](file_part) (a type of our own in
//! `hooks.rs`), and lists the operation. Here: [`file_part`] and
//! [`runtime`] write `FilePart` and `multipart_form` into `hooks.rs`; [`rewrite`] turns the listed
//! operations' `.form_urlencoded(&body)?` into
//! `.multipart(crate::hooks::multipart_form(&body, &[("file", &body.file)])..?)`,
//! naming the body struct's `FilePart` fields (whose serialization is only
//! the file name, so their bytes are never copied into JSON).

use std::collections::{BTreeSet, HashMap};

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::visit_mut::{self, VisitMut};

/// The file type, `FilePart`, with its impls: in `hooks.rs`, or in the
/// first type shard when the types are split (`shards::place_file_part`).
pub fn file_part() -> TokenStream {
    quote! {
        /// A file sent as one part of a `multipart/form-data` request body.
        #[derive(Clone, Default, PartialEq)]
        pub struct FilePart {
            /// The part's file name; servers often read the file's type from its extension.
            pub file_name: String,
            /// The part's media type; `application/octet-stream` when `None`.
            pub content_type: Option<String>,
            /// The file's bytes.
            pub data: Vec<u8>,
        }

        impl FilePart {
            /// A file named `file_name` holding `data`.
            pub fn new(file_name: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
                Self { file_name: file_name.into(), content_type: None, data: data.into() }
            }

            /// The same file with the media type `content_type`.
            #[must_use]
            pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
                self.content_type = Some(content_type.into());
                self
            }
        }

        impl std::fmt::Debug for FilePart {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("FilePart")
                    .field("file_name", &self.file_name)
                    .field("content_type", &self.content_type)
                    .field("len", &self.data.len())
                    .finish()
            }
        }

        /// Only the file name: the bytes travel as a part of their own.
        impl ::serde::Serialize for FilePart {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.file_name)
            }
        }

        /// A file name, with no bytes.
        impl<'de> ::serde::Deserialize<'de> for FilePart {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let file_name = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self { file_name, ..Self::default() })
            }
        }

    }
}

/// The encoder, appended to `hooks.rs` (after the file type) when some
/// operation sends multipart.
pub fn runtime() -> TokenStream {
    quote! {
        /// The files of one body field (one, optional, or a list).
        #[doc(hidden)]
        pub trait FileParts {
            /// The files, in order.
            fn file_parts(&self) -> Vec<&FilePart>;
        }

        impl FileParts for FilePart {
            fn file_parts(&self) -> Vec<&FilePart> {
                vec![self]
            }
        }

        impl FileParts for Option<FilePart> {
            fn file_parts(&self) -> Vec<&FilePart> {
                self.iter().collect()
            }
        }

        impl FileParts for Vec<FilePart> {
            fn file_parts(&self) -> Vec<&FilePart> {
                self.iter().collect()
            }
        }

        impl FileParts for Option<Vec<FilePart>> {
            fn file_parts(&self) -> Vec<&FilePart> {
                self.iter().flatten().collect()
            }
        }

        /// A `multipart/form-data` body: a text part per field of `body`
        /// (a list repeats the field, an object is sent as JSON, an absent
        /// value is left out), then a part per file of `files`, the fields
        /// (by wire name) that hold [`FilePart`]s.
        #[doc(hidden)]
        pub fn multipart_form<T: ::serde::Serialize>(body: &T, files: &[(&str, &dyn FileParts)]) -> Result<reqwest::multipart::Form, String> {
            let value = ::serde_json::to_value(body).map_err(|e| format!("cannot encode the multipart body: {e}"))?;
            let ::serde_json::Value::Object(fields) = value else {
                return Err("a multipart body must be an object".to_owned());
            };
            let text = |v: ::serde_json::Value| match v {
                ::serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            let mut form = reqwest::multipart::Form::new();
            for (name, value) in fields {
                if files.iter().any(|(f, _)| *f == name) {
                    continue;
                }
                match value {
                    ::serde_json::Value::Null => {}
                    ::serde_json::Value::Array(items) => {
                        for item in items {
                            form = form.text(name.clone(), text(item));
                        }
                    }
                    other => form = form.text(name, text(other)),
                }
            }
            for (name, parts) in files {
                for file in parts.file_parts() {
                    let content_type = file.content_type.as_deref().unwrap_or("application/octet-stream");
                    let part = reqwest::multipart::Part::bytes(file.data.clone())
                        .file_name(file.file_name.clone())
                        .mime_str(content_type)
                        .map_err(|e| format!("file {:?}: content type {content_type:?}: {e}", file.file_name))?;
                    form = form.part(name.to_string(), part);
                }
            }
            Ok(form)
        }
    }
}

/// Sends the bodies of `ops` (operation ids) as multipart (module doc).
pub fn rewrite(file: &mut syn::File, ops: &BTreeSet<String>) {
    if ops.is_empty() {
        return;
    }
    let mut files = HashMap::new();
    file_fields(&file.items, &mut files);
    let ids: BTreeSet<String> = ops.iter().map(|o| o.to_snake_case()).collect();
    Multipart { ids: &ids, files: &files, current: None }.visit_file_mut(file);
}

/// Struct name → its `FilePart` fields: (Rust name, wire name).
type FileFields = HashMap<String, Vec<(syn::Ident, String)>>;

fn file_fields(items: &[syn::Item], out: &mut FileFields) {
    for item in items {
        match item {
            syn::Item::Mod(m) if m.ident == "types" => {
                for item in m.content.iter().flat_map(|(_, items)| items) {
                    let syn::Item::Struct(st) = item else { continue };
                    let syn::Fields::Named(fields) = &st.fields else { continue };
                    let of_files = fields
                        .named
                        .iter()
                        .filter(|f| f.ty.to_token_stream().to_string().contains("FilePart"))
                        .filter_map(|f| Some((f.ident.clone()?, super::post::wire_name(f))))
                        .collect();
                    out.insert(st.ident.to_string(), of_files);
                }
            }
            syn::Item::Mod(m) => file_fields(m.content.as_ref().map_or(&[][..], |(_, i)| i), out),
            _ => {}
        }
    }
}

struct Multipart<'a> {
    ids: &'a BTreeSet<String>,
    files: &'a FileFields,
    /// The body type of the multipart operation being visited.
    current: Option<String>,
}

impl VisitMut for Multipart<'_> {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if super::post::operation_id(f).is_some_and(|id| self.ids.contains(&id)) {
            let text = f.block.to_token_stream().to_string();
            // `types :: Name :: try_from (v)` converts the builder into the body.
            let body = text.split("types :: ").skip(1).find_map(|rest| rest.split_once(" :: try_from").map(|(n, _)| n).filter(|n| !n.contains(' ')));
            self.current = Some(body.unwrap_or_default().to_owned());
            visit_mut::visit_impl_item_fn_mut(self, f);
            self.current = None;
        }
    }

    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        if let (Some(body), syn::Expr::Try(t)) = (&self.current, &*e)
            && let syn::Expr::MethodCall(call) = &*t.expr
            && call.method == "form_urlencoded"
        {
            let receiver = &call.receiver;
            let arg = &call.args;
            let files = self.files.get(body).map(Vec::as_slice).unwrap_or_default().iter().map(|(ident, wire)| quote!((#wire, &body.#ident)));
            *e = syn::parse_quote! {
                #receiver.multipart(crate::hooks::multipart_form(#arg, &[#(#files),*]).map_err(Error::InvalidRequest)?)
            };
        }
        visit_mut::visit_expr_mut(self, e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_operations_send_multipart() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct UploadBody { pub file: crate::hooks::FilePart, #[serde(rename = "more-files")] pub more: ::std::vec::Vec<crate::hooks::FilePart>, pub model: String }
            }
            pub mod builder {
                impl<'a> Upload<'a> {
                    pub async fn send(self) {
                        let body = body.and_then(|v| types::UploadBody::try_from(v).map_err(|e| e.to_string()));
                        let request = client.client.post(url).form_urlencoded(&body)?.build()?;
                        let info = OperationInfo { operation_id: "upload" };
                    }
                }
                impl<'a> Form<'a> {
                    pub async fn send(self) {
                        let request = client.client.post(url).form_urlencoded(&body)?.build()?;
                        let info = OperationInfo { operation_id: "form" };
                    }
                }
            }
        };
        rewrite(&mut file, &["upload".to_owned()].into_iter().collect());
        let text = file.to_token_stream().to_string();
        let want = quote!(client.client.post(url).multipart(crate::hooks::multipart_form(&body, &[("file", &body.file), ("more-files", &body.more)]).map_err(Error::InvalidRequest)?).build()?);
        assert!(text.contains(&want.to_string()), "{text}");
        assert_eq!(text.matches("multipart_form").count(), 1, "only the listed operation: {text}");
        assert_eq!(text.matches("form_urlencoded").count(), 1, "{text}");
    }
}
