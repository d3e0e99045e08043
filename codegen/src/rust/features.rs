//! One cargo feature per tag: a user of one API area compiles only that.
//!
//! An operation belongs to its first tag (the same rule as the resource
//! groups in [`super::resources`]); untagged operations are always on. Its
//! client method and its builder get `#[cfg(feature = "<tag>")]`.
//!
//! A type is gated by the features whose operations reach it, directly or
//! through other types: `#[cfg(feature = "a")]` when one does,
//! `#[cfg(any(feature = "a", feature = "b"))]` when several do. A type
//! reached by an always-on item (an untagged operation, the SSE and webhook
//! event enums, anything outside the operations) or by nothing at all
//! stays on. The webhook event enum is gated by its own feature,
//! `webhook-events` (GitHub's 300 event payloads name most of its types, so
//! keeping them always on kept 5,386 of 7,767 types on in every build); a
//! streaming operation's event enum by its operation's feature. Reachability is over-approximated from the identifiers in each
//! item's tokens (string literals included, so serde's
//! `default = "defaults::x"` counts): a spurious edge can only keep a type
//! on, never gate a type something still needs. A type is on whenever a
//! type that names it is (its features are a superset).
//!
//! Impls are on when every gated type named in their header (self type and
//! trait) is: `all(any(..), any(..))`. The feature set of the crate is
//! `full` (every tag and `webhook-events`, on by default) plus one feature
//! per tag.
//!
//! **Invariant:** every combination of features compiles without warnings;
//! CI checks none, each single tag, and all.

use std::collections::{BTreeMap, BTreeSet};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use heck::ToKebabCase;
use quote::ToTokens;
use syn::{Attribute, ImplItem, Item, ReturnType, Type, parse_quote};

use crate::model::Operation;

/// Feature names reserved by the crate's own features.
const RESERVED: &[&str] = &["default", "full", "rustls", "native-tls", WEBHOOK_EVENTS];

/// The feature of the webhook event enum (`events::WebhookEvent`).
pub const WEBHOOK_EVENTS: &str = "webhook-events";

/// Which feature each tag and operation gets.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Tag → feature name, in tag order.
    pub features: BTreeMap<String, String>,
    /// Flat client method name → feature.
    pub method_feature: HashMap<String, String>,
    /// The feature of the webhook event enum, when the spec has webhooks.
    pub webhook_events: Option<String>,
}

impl Plan {
    /// Plans the features of the generated operations.
    pub fn new(ops: &[&Operation], method_name: impl Fn(&Operation) -> String, has_webhooks: bool) -> Plan {
        let mut plan = Plan { webhook_events: has_webhooks.then(|| WEBHOOK_EVENTS.to_owned()), ..Plan::default() };
        let mut taken: BTreeSet<String> = RESERVED.iter().map(|s| (*s).to_owned()).collect();
        for op in ops {
            let Some(tag) = op.tags.first() else { continue };
            if !plan.features.contains_key(tag) {
                let mut base = tag.to_kebab_case();
                if base.is_empty() || !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
                    base = format!("tag-{base}");
                }
                let mut name = base.clone();
                let mut n = 2;
                while !taken.insert(name.clone()) {
                    name = format!("{base}-{n}");
                    n += 1;
                }
                plan.features.insert(tag.clone(), name);
            }
            plan.method_feature.insert(method_name(op), plan.features[tag].clone());
        }
        plan
    }

    /// Whether the crate has no feature of its own (no tag, no webhooks).
    pub fn is_empty(&self) -> bool {
        self.features.is_empty() && self.webhook_events.is_none()
    }

    /// The features of an operation: empty when it is always on.
    pub fn of_operation(&self, op: &Operation) -> BTreeSet<String> {
        op.tags.first().and_then(|t| self.feature_of_tag(t)).map(|f| BTreeSet::from([f.to_owned()])).unwrap_or_default()
    }

    /// The feature of a tag, if it has one.
    pub fn feature_of_tag(&self, tag: &str) -> Option<&str> {
        self.features.get(tag).map(String::as_str)
    }

    /// The `[features]` lines for Cargo.toml (after `default`); `forward`
    /// lists what a feature enables besides (the type shards it gates).
    pub fn cargo_features(&self, forward: &BTreeMap<String, Vec<String>>) -> String {
        let list = |f: &str| forward.get(f).map(|v| v.iter().map(|x| format!("\"{x}\"")).collect::<Vec<_>>().join(", ")).unwrap_or_default();
        let names: BTreeSet<&str> = self.features.values().chain(&self.webhook_events).map(String::as_str).collect();
        let mut s = String::new();
        if names.is_empty() {
            return s;
        }
        s.push_str(if self.webhook_events.is_some() { "## Every API area (tag) and the typed webhook events.\nfull = [" } else { "## Every API area (tag).\nfull = [" });
        s.push_str(&names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", "));
        s.push_str("]\n");
        for (tag, f) in &self.features {
            s.push_str(&format!("## Operations tagged `{}` and the types only they use.\n{f} = [{}]\n", tag.replace('\n', " "), list(f)));
        }
        if let Some(f) = &self.webhook_events {
            s.push_str(&format!("## Typed webhook events (`events::WebhookEvent`) and the payload types only they use.\n{f} = [{}]\n", list(f)));
        }
        s
    }
}

/// `#[cfg(any(feature = ..))]` over `features`; `None` when the set is
/// empty (always on).
pub fn cfg_any(features: &BTreeSet<String>) -> Option<Attribute> {
    cfg_attr(features, "any")
}

fn cfg_attr(features: &BTreeSet<String>, combine: &str) -> Option<Attribute> {
    of_features(features, combine).map(|p| parse_quote!(#[cfg(#p)]))
}

/// `feature = "a"`, or `combine(feature = "a", ..)`.
fn of_features(features: &BTreeSet<String>, combine: &str) -> Option<proc_macro2::TokenStream> {
    predicate(features.iter().map(|f| quote::quote!(feature = #f)).collect(), combine)
}

/// `a`, or `combine(a, b, ..)`; `None` for no parts. A single part is
/// never wrapped: `any(feature = "x")` is clippy's `non_minimal_cfg`.
fn predicate(mut parts: Vec<proc_macro2::TokenStream>, combine: &str) -> Option<proc_macro2::TokenStream> {
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => {
            let combine = syn::Ident::new(combine, proc_macro2::Span::call_site());
            Some(quote::quote!(#combine(#(#parts),*)))
        }
    }
}

/// Identifier-like words in an item's tokens, string literals included.
///
/// Walks the syntax tree (and the raw tokens of attributes and macros)
/// instead of printing the item and splitting the text: on GitHub's spec
/// the printing took seconds.
pub(super) fn words<T: Walk + ?Sized>(node: &T, into: &mut HashSet<String>) {
    node.walk(&mut Words(into));
}

/// What [`words`] can walk.
pub(super) trait Walk {
    fn walk(&self, w: &mut Words<'_>);
}

macro_rules! walk {
    ($($ty:ty => $visit:ident),* $(,)?) => {$(
        impl Walk for $ty {
            fn walk(&self, w: &mut Words<'_>) {
                syn::visit::Visit::$visit(w, self);
            }
        }
    )*};
}

walk!(Item => visit_item, syn::Signature => visit_signature, syn::Block => visit_block, Type => visit_type, syn::Path => visit_path);

impl Walk for proc_macro2::TokenStream {
    fn walk(&self, w: &mut Words<'_>) {
        w.tokens(self.clone());
    }
}

pub(super) struct Words<'a>(&'a mut HashSet<String>);

impl Words<'_> {
    fn text(&mut self, text: &str) {
        for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if !word.is_empty() && !word.starts_with(|c: char| c.is_ascii_digit()) && !self.0.contains(word) {
                self.0.insert(word.to_owned());
            }
        }
    }

    fn tokens(&mut self, tokens: proc_macro2::TokenStream) {
        for tt in tokens {
            match tt {
                proc_macro2::TokenTree::Group(g) => self.tokens(g.stream()),
                proc_macro2::TokenTree::Ident(i) => self.text(&i.to_string()),
                proc_macro2::TokenTree::Literal(l) => self.text(&l.to_string()),
                proc_macro2::TokenTree::Punct(_) => {}
            }
        }
    }
}

impl<'ast> syn::visit::Visit<'ast> for Words<'_> {
    fn visit_ident(&mut self, i: &'ast proc_macro2::Ident) {
        self.text(&i.to_string());
    }

    fn visit_lit(&mut self, l: &'ast syn::Lit) {
        self.text(&l.to_token_stream().to_string());
    }

    fn visit_meta_list(&mut self, m: &'ast syn::MetaList) {
        syn::visit::visit_path(self, &m.path);
        self.tokens(m.tokens.clone());
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        syn::visit::visit_path(self, &m.path);
        self.tokens(m.tokens.clone());
    }
}

pub(super) fn item_name(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => Some(s.ident.to_string()),
        Item::Enum(e) => Some(e.ident.to_string()),
        Item::Type(t) => Some(t.ident.to_string()),
        Item::Fn(f) => Some(f.sig.ident.to_string()),
        Item::Impl(i) => type_ident(&i.self_ty),
        _ => None,
    }
}

pub(super) fn type_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        Type::Reference(r) => type_ident(&r.elem),
        _ => None,
    }
}

fn attrs_mut(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    match item {
        Item::Struct(s) => Some(&mut s.attrs),
        Item::Enum(e) => Some(&mut e.attrs),
        Item::Type(t) => Some(&mut t.attrs),
        Item::Fn(f) => Some(&mut f.attrs),
        Item::Impl(i) => Some(&mut i.attrs),
        Item::Use(u) => Some(&mut u.attrs),
        _ => None,
    }
}

pub(super) fn module_items<'a>(items: &'a mut [Item], name: &str) -> Option<&'a mut Vec<Item>> {
    items.iter_mut().find_map(|i| match i {
        Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The nodes of the type graph: names in `types`, `types::builder` and
/// `types::defaults`, each with the words its items (definition and impls)
/// mention.
#[derive(Default)]
pub(super) struct Graph {
    /// Node → the words its items mention (other nodes among them).
    pub(super) refs: HashMap<String, HashSet<String>>,
}

impl Graph {
    /// Adds the items of modules whose definitions are `defined`. An impl
    /// for a foreign type (`impl From<X> for String`) belongs to the local
    /// types its trait names: keyed by its self type, it made `String` an
    /// unreached node, and what no operation reaches stays on, so every
    /// constrained-string newtype was always on (GitHub: 644 types).
    fn add_items(&mut self, items: &[Item], defined: &HashSet<String>) {
        for item in items {
            match item {
                Item::Mod(_) | Item::Use(_) => {}
                Item::Impl(imp) if type_ident(&imp.self_ty).is_none_or(|n| !defined.contains(&n)) => {
                    let mut owners = HashSet::default();
                    if let Some(tr) = &imp.trait_ {
                        words(&tr.0, &mut owners);
                    }
                    let mut w = HashSet::default();
                    words(item, &mut w);
                    for owner in owners.iter().filter(|o| defined.contains(*o)) {
                        self.refs.entry(owner.clone()).or_default().extend(w.iter().cloned());
                    }
                }
                _ => {
                    let Some(name) = item_name(item) else { continue };
                    words(item, self.refs.entry(name).or_default());
                }
            }
        }
    }
}

/// The type graph of `client`'s `types` module: one node per name defined
/// in `types`, `types::builder` and `types::defaults` (a type and its
/// builder are one node), with the words of its items and impls.
pub(super) fn type_graph(client: &syn::File) -> Graph {
    let mut graph = Graph::default();
    let Some(types) = module_ref(&client.items, "types") else { return graph };
    let mut defined = HashSet::default();
    defined_names(types, &mut defined);
    let inner: Vec<&Vec<Item>> = ["builder", "defaults"].iter().filter_map(|m| module_ref(types, m)).collect();
    for items in &inner {
        defined_names(items, &mut defined);
    }
    graph.add_items(types, &defined);
    for items in &inner {
        graph.add_items(items, &defined);
    }
    graph
}

/// The items of the inline module `name` among `items`.
pub(super) fn module_ref<'a>(items: &'a [Item], name: &str) -> Option<&'a Vec<Item>> {
    items.iter().find_map(|i| match i {
        Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

/// The names of the items `items` defines (impls excluded).
fn defined_names(items: &[Item], into: &mut HashSet<String>) {
    into.extend(items.iter().filter(|i| !matches!(i, Item::Impl(_))).filter_map(item_name));
}

/// Gates the operations of `client` (progenitor's file, after
/// [`super::post`]) and the types only they reach. `roots` holds the
/// tokens of the other generated files (events, hooks), each with the
/// features it is gated by: what an always-on root (empty set) names stays
/// on.
///
/// Returns the features each gated node of the type graph is on with (a
/// node missing from the map is always on).
pub(super) fn apply(client: &mut syn::File, plan: &Plan, roots: &[(BTreeSet<String>, &proc_macro2::TokenStream)], graph: &Graph) -> HashMap<String, BTreeSet<String>> {
    if plan.is_empty() {
        return HashMap::default();
    }
    // Operations: the client methods and the builders they return.
    let mut builder_feature: HashMap<String, String> = HashMap::default();
    let mut seeds: Vec<(Option<String>, HashSet<String>)> = Vec::new();
    for item in client.items.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || type_ident(&imp.self_ty).as_deref() != Some("Client") {
            continue;
        }
        for ii in imp.items.iter_mut() {
            let ImplItem::Fn(f) = ii else { continue };
            let mut w = HashSet::default();
            words(&f.sig, &mut w);
            match plan.method_feature.get(&f.sig.ident.to_string()) {
                Some(feature) => {
                    if let ReturnType::Type(_, ty) = &f.sig.output
                        && let Some(b) = type_ident(ty)
                    {
                        builder_feature.insert(b, feature.clone());
                    }
                    f.attrs.extend(cfg_attr(&BTreeSet::from([feature.clone()]), "all"));
                    seeds.push((Some(feature.clone()), w));
                }
                None => {
                    words(&f.block, &mut w);
                    seeds.push((None, w));
                }
            }
        }
    }
    if let Some(items) = module_items(&mut client.items, "builder") {
        let mut all_gated = true;
        for item in items.iter_mut() {
            if matches!(item, Item::Use(_)) {
                continue;
            }
            let feature = item_name(item).and_then(|n| builder_feature.get(&n).cloned());
            all_gated &= feature.is_some();
            let mut w = HashSet::default();
            words(item, &mut w);
            seeds.push((feature.clone(), w));
            if let (Some(f), Some(attrs)) = (feature, attrs_mut(item)) {
                attrs.extend(cfg_attr(&BTreeSet::from([f]), "all"));
            }
        }
        // With every builder gated, the module's imports are used only when
        // some feature is on.
        if all_gated {
            let every: BTreeSet<String> = plan.features.values().cloned().collect();
            for item in items.iter_mut() {
                if let Item::Use(u) = item
                    && !u.attrs.iter().any(|a| a.path().is_ident("allow"))
                {
                    u.attrs.extend(cfg_attr(&every, "any"));
                }
            }
        }
    }
    for (features, tokens) in roots {
        let mut w = HashSet::default();
        words(&**tokens, &mut w);
        if features.is_empty() {
            seeds.push((None, w));
        } else {
            seeds.extend(features.iter().map(|f| (Some(f.clone()), w.clone())));
        }
    }

    let Some(types) = module_items(&mut client.items, "types") else { return HashMap::default() };
    let names: HashSet<String> = graph.refs.keys().cloned().collect();

    // Reachability: `None` in a set means "always on".
    let mut reach: HashMap<String, BTreeSet<Option<String>>> = HashMap::default();
    let mut work: Vec<(String, Option<String>)> = Vec::new();
    for (feature, w) in &seeds {
        for n in w.iter().filter(|n| names.contains(*n)) {
            work.push((n.clone(), feature.clone()));
        }
    }
    let propagate = |work: &mut Vec<(String, Option<String>)>, reach: &mut HashMap<String, BTreeSet<Option<String>>>| {
        while let Some((node, feature)) = work.pop() {
            if !reach.entry(node.clone()).or_default().insert(feature.clone()) {
                continue;
            }
            for n in graph.refs[&node].iter().filter(|n| names.contains(*n) && **n != node) {
                work.push((n.clone(), feature.clone()));
            }
        }
    };
    propagate(&mut work, &mut reach);
    // What no operation reaches stays on, and so must everything it names
    // (a schema only a skipped operation used, say).
    let mut unreached: Vec<(String, Option<String>)> = names.iter().filter(|n| !reach.contains_key(*n)).map(|n| (n.clone(), None)).collect();
    unreached.sort();
    propagate(&mut unreached, &mut reach);
    let gate: HashMap<String, BTreeSet<String>> = reach
        .into_iter()
        .filter_map(|(node, set)| {
            if set.contains(&None) {
                return None;
            }
            let set: BTreeSet<String> = set.into_iter().flatten().collect();
            (!set.is_empty()).then_some((node, set))
        })
        .collect();

    let gate_items = |items: &mut Vec<Item>| {
        for item in items.iter_mut() {
            let attr = match item {
                Item::Impl(imp) => {
                    let mut header = HashSet::default();
                    words(&*imp.self_ty, &mut header);
                    if let Some(tr) = &imp.trait_ {
                        words(&tr.0, &mut header);
                    }
                    let sets: BTreeSet<&BTreeSet<String>> = header.iter().filter_map(|n| gate.get(n)).collect();
                    let parts = sets.into_iter().filter_map(|set| of_features(set, "any")).collect();
                    predicate(parts, "all").map(|p| parse_quote!(#[cfg(#p)]))
                }
                _ => item_name(item).and_then(|n| gate.get(&n)).and_then(|set| cfg_attr(set, "any")),
            };
            if let (Some(attr), Some(attrs)) = (attr, attrs_mut(item)) {
                attrs.push(attr);
            }
        }
    };
    gate_items(types);
    if let Some(b) = module_items(types, "builder") {
        gate_items(b);
    }
    if let Some(d) = module_items(types, "defaults") {
        gate_items(d);
    }
    gate
}
