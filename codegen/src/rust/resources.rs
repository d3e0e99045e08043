//! Emits `src/resources.rs`: resource-grouped access to the operations,
//! one group per tag (`client.assistants().create()`), each method
//! returning the same builder as the flat one (`client.create_assistant()`).
//!
//! Method names drop the tag's words from the operationId
//! (`createAssistant` under `Assistants` → `create`); when that leaves
//! nothing, a keyword, or a name already taken in the group, the full name
//! is kept. Groups are sorted by tag, methods by name: deterministic.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToPascalCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Api, Operation};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait",
    "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// progenitor's name for an operation's method: snake case, `_` after a keyword.
pub fn method_name(op: &Operation) -> String {
    let s = op.id.to_snake_case();
    if KEYWORDS.contains(&s.as_str()) { format!("{s}_") } else { s }
}

/// The short name of `op` inside the group of `tag`.
pub fn short_name(op_snake: &str, tag: &str) -> Option<String> {
    let name = crate::naming::without_tag_words(op_snake, tag).join("_");
    (!name.is_empty() && !KEYWORDS.contains(&name.as_str()) && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
}

/// The file's tokens. `method_of` gives the flat client method name of an
/// operation (as progenitor named it).
pub fn emit(api: &Api, ops: &[&Operation], plan: &super::features::Plan) -> TokenStream {
    let method_of = method_name;
    let mut groups: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
    for op in ops {
        let tag = op.tags.first().cloned().unwrap_or_else(|| "default".to_owned());
        groups.entry(tag).or_default().push(op);
    }
    let flat: BTreeSet<String> = ops.iter().map(|o| method_of(o)).collect();
    let mut accessors = Vec::new();
    let mut structs = Vec::new();
    let mut taken_accessors = BTreeSet::new();
    for (tag, members) in &groups {
        let mut accessor = tag.to_snake_case();
        if accessor.is_empty() || KEYWORDS.contains(&accessor.as_str()) || accessor.starts_with(|c: char| c.is_ascii_digit()) {
            accessor = format!("tag_{accessor}");
        }
        while flat.contains(&accessor) || !taken_accessors.insert(accessor.clone()) {
            accessor.push_str("_api");
        }
        let mut ty_name = format!("{}Api", tag.to_pascal_case());
        if !ty_name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            ty_name = format!("Tag{ty_name}");
        }
        let ty = format_ident!("{}", ty_name);
        let acc = format_ident!("{}", accessor);
        let tag_doc = api.tags.iter().find(|t| &t.name == tag).and_then(|t| t.description.clone()).unwrap_or_default();
        let doc = format!(" Operations tagged `{tag}`. {}", tag_doc.lines().next().unwrap_or_default());
        let cfg = plan.feature_of_tag(tag).map(|f| quote!(#[cfg(feature = #f)]));
        accessors.push(quote! {
            #[doc = #doc]
            #cfg
            pub fn #acc(&self) -> #ty<'_> {
                #ty { client: self }
            }
        });
        // Short names, falling back to the full one on any clash.
        let mut short: Vec<(String, &Operation)> = members.iter().map(|o| (short_name(&method_of(o), tag).unwrap_or_else(|| method_of(o)), *o)).collect();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for (n, _) in &short {
            *counts.entry(n.clone()).or_default() += 1;
        }
        for (n, o) in short.iter_mut() {
            if counts[n.as_str()] > 1 {
                *n = method_of(o);
            }
        }
        short.sort_by(|a, b| a.0.cmp(&b.0));
        let methods = short.iter().map(|(name, o)| {
            let m = format_ident!("{}", name);
            let flat = format_ident!("{}", method_of(o));
            let builder = format_ident!("{}", o.id.to_pascal_case());
            let sibling = o.sibling_doc().map(|line| format!(" {line}")).unwrap_or_default();
            let doc = format!(" {} (`{} {}`); same as [`Client::{}`].{sibling}", o.summary.clone().unwrap_or_default(), o.method.to_uppercase(), o.path, method_of(o));
            quote! {
                #[doc = #doc]
                pub fn #m(&self) -> crate::builder::#builder<'a> {
                    self.client.#flat()
                }
            }
        });
        let sdoc = format!(" The `{tag}` operations of a [`Client`]: see [`Client::{accessor}`].");
        structs.push(quote! {
            #[doc = #sdoc]
            #cfg
            #[derive(Clone, Copy, Debug)]
            pub struct #ty<'a> {
                client: &'a Client,
            }

            #cfg
            impl<'a> #ty<'a> {
                #(#methods)*
            }
        });
    }
    quote! {
        //! Operations grouped by resource (tag): `client.assistants().create()`.

        use crate::Client;

        impl Client {
            #(#accessors)*
        }

        #(#structs)*
    }
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn short_names_drop_the_tag() {
        for (op, tag, expect) in [
            ("create_assistant", "Assistants", Some("create")),
            ("list_assistants", "Assistants", Some("list")),
            ("stream_room_events", "Rooms", Some("stream_events")),
            ("resume_workflow_instance", "WorkflowInstances", Some("resume")),
            ("create_access_token", "Authentication", Some("create_access_token")),
            ("get_data_source", "DataSources", Some("get")),
            ("get_type", "Get", None),
            ("assistants", "Assistants", None),
        ] {
            assert_eq!(short_name(op, tag).as_deref(), expect, "{op} in {tag}");
        }
    }
}
