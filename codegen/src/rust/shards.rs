//! Type shards: a large API's `types` split over several small crates.
//!
//! rustc's memory follows the size of the crate it compiles, and most of a
//! generated crate is serde's derives on its types (GitHub's: 64% of the
//! expanded code, 8 GiB to build as one crate). Above a size budget the
//! types go into shard crates (`<crate>-types-<k>`, under `types/<k>/` of
//! the crate's directory) that the main crate depends on and re-exports
//! from `types`, so paths do not change: each rustc holds one shard, and
//! cargo builds the shards of a level side by side.
//!
//! **Partition.** Nodes are the names of [`super::features::type_graph`]
//! (a type with its impls and its builder; a default-value function), with
//! its edges. The nodes are first grouped by their feature gate: those of
//! one feature alone, and the rest (always on, or on with several
//! features), the *core*. A group over budget is split again by the nodes
//! nothing else in it names (its roots): what one root alone reaches goes
//! with that root, what several reach is the group's core. Each split sends
//! edges from groups to their core only, so the units form a DAG; a unit's
//! level is its longest path down, and units of one level are packed into
//! shards of about the budget each (first fit, largest first). Units of one
//! level never name each other, so a shard depends only on lower levels.
//!
//! **Invariant:** the shards' dependencies are acyclic; every name an item
//! of a shard uses is defined in it or in a shard it depends on (directly:
//! each shard re-exports its dependencies with `pub use dep::*`); impls
//! stay in the crate of their type (orphan rule). Shard 0 holds `error`
//! and every shard depends on it. No shard names the main crate
//! (`crate::` from `types`): the one such path, the multipart file type
//! `crate::hooks::FilePart`, moves into shard 0 ([`place_file_part`]);
//! any other keeps the API in one crate ([`wanted`]).

use std::collections::{BTreeMap, BTreeSet};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{Item, Visibility, parse_quote};

use super::features::{Graph, item_name, module_items, type_ident};

/// Default size budget of a shard, in weight units (a type weighs its
/// fields or variants plus two). GitHub's 3,238 types weigh about 52,000.
/// Measured on GitHub, all features, 2 cores (`cargo xtask
/// feature-builds`): 6,000 gave 85 s and 2.94 GiB summed, 4,000 79 to
/// 85 s and 2.43 to 2.84 GiB (two runs), 2,500 98 s and 2.10 GiB.
pub const DEFAULT_BUDGET: usize = 4_000;

/// One shard crate's items.
#[derive(Debug, Default)]
pub struct Shard {
    /// Items of `types` (definitions and impls).
    pub types: Vec<Item>,
    /// Items of `types::builder`.
    pub builder: Vec<Item>,
    /// Items of `types::defaults`.
    pub defaults: Vec<Item>,
    /// Shards this one depends on (by index, all lower).
    pub deps: BTreeSet<usize>,
    /// Sum of its nodes' weights.
    pub weight: usize,
}

impl Shard {
    /// What turns on one of its types: `None` when it defines none (only
    /// default-value functions, copied to their users anyway), else the
    /// features (empty when one is always on).
    pub fn definition_features(&self) -> Option<BTreeSet<String>> {
        let defs: Vec<&Item> = self.types.iter().filter(|i| matches!(i, Item::Struct(_) | Item::Enum(_) | Item::Type(_))).collect();
        gates(&defs)
    }

    /// The features that turn on one of its builders: `None` when it has
    /// none, empty when one is always on.
    pub fn builder_features(&self) -> Option<BTreeSet<String>> {
        let structs: Vec<&Item> = self.builder.iter().filter(|i| matches!(i, Item::Struct(_))).collect();
        gates(&structs)
    }

    /// The features named in the shard's `cfg` attributes.
    pub fn features(&self) -> BTreeSet<String> {
        self.types.iter().chain(&self.builder).chain(&self.defaults).flat_map(item_features).collect()
    }
}

/// The split of `types`: the shards, the `use` items every shard repeats,
/// and the `error` module (shard 0's).
#[derive(Debug)]
pub struct Split {
    /// The shards, lowest level first.
    pub shards: Vec<Shard>,
    /// `use` items of `types`, repeated in every shard.
    pub type_uses: Vec<Item>,
    /// `use` items of `types::builder`, repeated in every shard with builders.
    pub builder_uses: Vec<Item>,
    /// `types::error`, which goes to shard 0.
    pub error: Option<Item>,
}

fn attrs(item: &Item) -> &[syn::Attribute] {
    match item {
        Item::Struct(s) => &s.attrs,
        Item::Enum(e) => &e.attrs,
        Item::Type(t) => &t.attrs,
        Item::Fn(f) => &f.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Use(u) => &u.attrs,
        Item::Mod(m) => &m.attrs,
        _ => &[],
    }
}

/// The union of the features gating `items`: `None` for no items, empty
/// when one is always on.
fn gates(items: &[&Item]) -> Option<BTreeSet<String>> {
    if items.is_empty() {
        return None;
    }
    let mut out = BTreeSet::new();
    for item in items {
        let f = item_features(item);
        if f.is_empty() {
            return Some(BTreeSet::new());
        }
        out.extend(f);
    }
    Some(out)
}

/// The features named in an item's `cfg` attributes.
fn item_features(item: &Item) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for a in attrs(item).iter().filter(|a| a.path().is_ident("cfg")) {
        if let syn::Meta::List(l) = &a.meta {
            cfg_features(l.tokens.clone(), &mut out);
        }
    }
    out
}

/// The string after each `feature =` in a `cfg` predicate.
fn cfg_features(tokens: proc_macro2::TokenStream, out: &mut BTreeSet<String>) {
    let tts: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
    for (i, tt) in tts.iter().enumerate() {
        match tt {
            proc_macro2::TokenTree::Group(g) => cfg_features(g.stream(), out),
            proc_macro2::TokenTree::Ident(id) if id == "feature" => {
                if let (Some(proc_macro2::TokenTree::Punct(p)), Some(proc_macro2::TokenTree::Literal(l))) = (tts.get(i + 1), tts.get(i + 2))
                    && p.as_char() == '='
                {
                    out.insert(l.to_string().trim_matches('"').to_owned());
                }
            }
            _ => {}
        }
    }
}

/// The weight of a definition: its fields or variants, plus two.
fn weight(item: &Item) -> usize {
    match item {
        Item::Struct(s) => s.fields.len() + 2,
        Item::Enum(e) => e.variants.len() + 2,
        Item::Type(_) => 1,
        _ => 0,
    }
}

/// Whether `client`'s types are over `budget` (0: never) and can be split:
/// no item names something outside `types` (`crate::`), which a shard
/// could not reach, and `types` holds no module this does not know.
pub(super) fn wanted(client: &syn::File, graph: &Graph, budget: usize) -> bool {
    let Some(types) = types_ref(client) else { return false };
    budget > 0
        && types.iter().map(weight).sum::<usize>() > budget
        && (!graph.refs.values().any(|w| w.contains("crate")) || only_file_part(types))
        && !types.iter().any(|i| matches!(i, Item::Mod(m) if !["builder", "defaults", "error"].contains(&m.ident.to_string().as_str())))
}

/// The one path out of `types` a shard can still reach.
const FILE_PART: [&str; 3] = ["crate", "hooks", "FilePart"];

/// Whether `p` is `crate::hooks::FilePart`.
fn is_file_part(p: &syn::Path) -> bool {
    p.leading_colon.is_none() && p.segments.len() == FILE_PART.len() && p.segments.iter().zip(FILE_PART).all(|(s, w)| s.ident == w)
}

/// Whether every path of `types` that starts at `crate::` is
/// `crate::hooks::FilePart` (multipart file fields), which
/// [`place_file_part`] moves into shard 0. A macro naming `crate` counts as
/// another path.
fn only_file_part(types: &[Item]) -> bool {
    struct Outside(bool);
    impl<'ast> Visit<'ast> for Outside {
        fn visit_path(&mut self, p: &'ast syn::Path) {
            if p.segments.first().is_some_and(|s| s.ident == "crate") {
                self.0 |= !is_file_part(p);
            }
            syn::visit::visit_path(self, p);
        }

        fn visit_use_path(&mut self, u: &'ast syn::UsePath) {
            self.0 |= u.ident == "crate";
            syn::visit::visit_use_path(self, u);
        }

        fn visit_macro(&mut self, m: &'ast syn::Macro) {
            self.0 |= m.tokens.clone().into_iter().any(|t| matches!(t, proc_macro2::TokenTree::Ident(i) if i == "crate"));
            syn::visit::visit_macro(self, m);
        }
    }
    let mut outside = Outside(false);
    types.iter().for_each(|i| outside.visit_item(i));
    !outside.0
}

/// Moves the multipart file type into the shards: shard 0 defines
/// `file_part` (the items of `hooks::FilePart`) in a hidden `hooks` module,
/// so its own `crate::hooks::FilePart` paths stay right, and the other
/// shards name it `::<shard 0>::hooks::FilePart` (they cannot name the main
/// crate, which depends on them). Returns the main crate's `hooks` item
/// that re-exports it. Called for every sharded crate that uses multipart
/// ([`wanted`] allows no other path out of `types`); a crate whose bodies
/// hold no file still gets the type, public and unused.
pub fn place_file_part(split: &mut Split, crates: &[ShardCrate], file_part: proc_macro2::TokenStream) -> syn::Result<proc_macro2::TokenStream> {
    struct Rename(syn::Ident);
    impl VisitMut for Rename {
        fn visit_path_mut(&mut self, p: &mut syn::Path) {
            if is_file_part(p) {
                p.leading_colon = Some(Default::default());
                p.segments[0].ident = self.0.clone();
            }
            syn::visit_mut::visit_path_mut(self, p);
        }
    }
    let Some(zero) = crates.first() else { return Ok(proc_macro2::TokenStream::new()) };
    let mut rename = Rename(zero.ident());
    for shard in split.shards.iter_mut().skip(1) {
        shard.types.iter_mut().chain(&mut shard.builder).chain(&mut shard.defaults).for_each(|i| rename.visit_item_mut(i));
    }
    let items = syn::parse2::<syn::File>(file_part)?.items;
    let mut hooks: syn::ItemMod = parse_quote! {
        /// The multipart file type, re-exported by the main crate's `hooks`.
        #[doc(hidden)]
        pub mod hooks {}
    };
    hooks.content = Some((Default::default(), items));
    if let Some(shard) = split.shards.first_mut() {
        shard.types.push(Item::Mod(hooks));
    }
    let ident = zero.ident();
    Ok(quote::quote!(pub use ::#ident::hooks::FilePart;))
}

/// Gives each of `names` (the webhook payloads) a `__decode_json`: the
/// event enum's `decode` calls it instead of `serde_json::from_value`, so
/// the deserializers are compiled with the shards, side by side, not all in
/// the main crate (GitHub: 1 GiB and 18 s of its build).
pub(super) fn add_decoders(client: &mut syn::File, names: &BTreeSet<String>, gate: &HashMap<String, BTreeSet<String>>) {
    let Some(types) = module_items(&mut client.items, "types") else { return };
    for name in names {
        let ident = syn::Ident::new(name, proc_macro2::Span::call_site());
        let cfg = gate.get(name).and_then(super::features::cfg_any).into_iter();
        types.push(parse_quote! {
            #(#cfg)*
            impl #ident {
                /// Decodes a JSON value (the webhook event enum's `decode`).
                #[doc(hidden)]
                pub fn __decode_json(value: ::serde_json::Value) -> Result<Self, ::serde_json::Error> {
                    ::serde_json::from_value(value)
                }
            }
        });
    }
}

/// Splits `client`'s `types` into shards of about `budget` weight, taking
/// the items out of it; call it when [`wanted`]. `None` (and `client`
/// untouched) when everything lands in one shard.
pub(super) fn split(client: &mut syn::File, graph: &Graph, gate: &HashMap<String, BTreeSet<String>>, budget: usize) -> Option<Split> {
    let types = types_ref(client)?;

    // Nodes, edges and weights.
    let mut names: Vec<&String> = graph.refs.keys().collect();
    names.sort();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let edges: Vec<Vec<usize>> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut e: Vec<usize> = graph.refs[*n].iter().filter_map(|w| index.get(w.as_str()).copied()).filter(|&j| j != i).collect();
            e.sort_unstable();
            e
        })
        .collect();
    let mut weights = vec![0usize; names.len()];
    for item in types {
        if let Some(&i) = item_name(item).as_deref().and_then(|n| index.get(n)) {
            weights[i] += weight(item);
        }
    }

    // Units: feature groups and the core, split while over budget.
    let mut groups: BTreeMap<Option<&String>, Vec<usize>> = BTreeMap::new();
    for (i, n) in names.iter().enumerate() {
        let key = gate.get(*n).filter(|s| s.len() == 1).and_then(|s| s.iter().next());
        groups.entry(key).or_default().push(i);
    }
    let mut units: Vec<Vec<usize>> = Vec::new();
    let mut work: Vec<Vec<usize>> = groups.into_values().collect();
    while let Some(set) = work.pop() {
        if set.iter().map(|&i| weights[i]).sum::<usize>() <= budget || set.len() == 1 {
            units.push(set);
            continue;
        }
        match split_by_roots(&set, &edges) {
            Some(parts) => work.extend(parts),
            None => units.push(set),
        }
    }
    let mut unit_of = vec![0usize; names.len()];
    for (u, set) in units.iter().enumerate() {
        for &i in set {
            unit_of[i] = u;
        }
    }

    // Levels: the longest path down the unit DAG.
    let unit_deps: Vec<BTreeSet<usize>> = units.iter().enumerate().map(|(u, set)| set.iter().flat_map(|&i| edges[i].iter().map(|&j| unit_of[j])).filter(|&v| v != u).collect()).collect();
    let mut level: Vec<Option<usize>> = vec![None; units.len()];
    for u in 0..units.len() {
        unit_level(u, &unit_deps, &mut level);
    }

    // Pack each level, largest unit first.
    let unit_weight: Vec<usize> = units.iter().map(|s| s.iter().map(|&i| weights[i]).sum()).collect();
    let top = level.iter().flatten().copied().max().unwrap_or(0);
    let mut shard_of_unit = vec![0usize; units.len()];
    let mut shards: Vec<Shard> = Vec::new();
    for l in 0..=top {
        let mut at: Vec<usize> = (0..units.len()).filter(|&u| level[u] == Some(l)).collect();
        at.sort_by_key(|&u| (std::cmp::Reverse(unit_weight[u]), units[u].first().copied()));
        let first = shards.len();
        for u in at {
            let fit = (first..shards.len()).find(|&s| shards[s].weight + unit_weight[u] <= budget);
            let s = fit.unwrap_or_else(|| {
                shards.push(Shard::default());
                shards.len() - 1
            });
            shards[s].weight += unit_weight[u];
            shard_of_unit[u] = s;
        }
    }
    if shards.len() < 2 {
        return None;
    }
    let shard_of: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), shard_of_unit[unit_of[i]])).collect();
    for (u, deps) in unit_deps.iter().enumerate() {
        let s = shard_of_unit[u];
        let d: Vec<usize> = deps.iter().map(|&v| shard_of_unit[v]).filter(|&t| t != s).collect();
        shards[s].deps.extend(d);
    }
    for s in shards.iter_mut().skip(1) {
        s.deps.insert(0);
    }

    // Move the items.
    let owner = |item: &Item| -> Option<usize> {
        if let Item::Impl(imp) = item {
            if let Some(&s) = type_ident(&imp.self_ty).as_deref().and_then(|n| shard_of.get(n)) {
                return Some(s);
            }
            // A foreign self type: the shard of a local type its trait names.
            let mut w = HashSet::default();
            if let Some(tr) = &imp.trait_ {
                super::features::words(&tr.0, &mut w);
            }
            return w.iter().filter_map(|n| shard_of.get(n.as_str()).copied()).max();
        }
        item_name(item).and_then(|n| shard_of.get(n.as_str()).copied())
    };
    // The shards that name each default-value function.
    let default_names: HashSet<String> = super::features::module_ref(types_ref(client)?, "defaults").map(|d| d.iter().filter_map(item_name).collect()).unwrap_or_default();
    let mut default_users: HashMap<String, BTreeSet<usize>> = HashMap::default();
    for (i, n) in names.iter().enumerate() {
        for w in graph.refs[*n].iter().filter(|w| default_names.contains(*w)) {
            default_users.entry(w.clone()).or_default().insert(shard_of_unit[unit_of[i]]);
        }
    }
    let types = module_items(&mut client.items, "types")?;
    let mut type_uses = Vec::new();
    let mut builder_uses = Vec::new();
    let mut error = None;
    for item in std::mem::take(types) {
        match item {
            Item::Use(_) => type_uses.push(item),
            Item::Mod(m) if m.ident == "error" => error = Some(Item::Mod(m)),
            Item::Mod(m) => {
                let inner = m.ident == "builder";
                for item in m.content.map(|(_, items)| items).unwrap_or_default() {
                    match (item, inner) {
                        (item @ Item::Use(_), true) => builder_uses.push(item),
                        (item, true) => {
                            let s = owner(&item).unwrap_or(0);
                            shards[s].builder.push(item);
                        }
                        (mut item, false) => {
                            // Default-value functions are copied into every
                            // shard that names them (they are small), and made
                            // `pub`: a copy a shard's enabled items do not use
                            // would be dead code.
                            if let Item::Fn(f) = &mut item {
                                f.vis = Visibility::Public(Default::default());
                                f.attrs.push(parse_quote!(#[doc(hidden)]));
                            }
                            let mut at: BTreeSet<usize> = owner(&item).into_iter().collect();
                            if let Some(users) = item_name(&item).and_then(|n| default_users.get(&n)) {
                                at.extend(users);
                            }
                            for s in at {
                                shards[s].defaults.push(item.clone());
                            }
                        }
                    }
                }
            }
            item => {
                let s = owner(&item).unwrap_or(0);
                shards[s].types.push(item);
            }
        }
    }
    Some(Split { shards, type_uses, builder_uses, error })
}

fn types_ref(client: &syn::File) -> Option<&Vec<Item>> {
    super::features::module_ref(&client.items, "types")
}

fn unit_level(u: usize, deps: &[BTreeSet<usize>], level: &mut [Option<usize>]) -> usize {
    // Iterative post-order: GitHub's deepest chains are dozens of units, but
    // a spec could nest deeper than a thread's stack.
    let mut stack = vec![(u, false)];
    while let Some((v, expanded)) = stack.pop() {
        if level[v].is_some() {
            continue;
        }
        if expanded {
            level[v] = Some(deps[v].iter().map(|&d| level[d].map_or(0, |l| l + 1)).max().unwrap_or(0));
        } else {
            stack.push((v, true));
            stack.extend(deps[v].iter().filter(|&&d| level[d].is_none()).map(|&d| (d, false)));
        }
    }
    level[u].unwrap_or(0)
}

/// Splits `set` (over budget) by its roots: the nodes nothing else in it
/// names. What one root alone reaches is that root's group; what several
/// reach is the core. With one root reaching everything, the root is
/// peeled off instead; `None` when that root is on a cycle with the rest
/// (a cycle is never split: its crates would depend on each other).
fn split_by_roots(set: &[usize], edges: &[Vec<usize>]) -> Option<Vec<Vec<usize>>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        One(usize),
        Many,
    }
    let inside: HashSet<usize> = set.iter().copied().collect();
    let mut named: HashSet<usize> = HashSet::default();
    for &i in set {
        named.extend(edges[i].iter().filter(|j| inside.contains(j)));
    }
    let mut mark: HashMap<usize, Mark> = HashMap::default();
    let visit = |root: usize, mark: &mut HashMap<usize, Mark>| {
        let mut stack = vec![(root, Mark::One(root))];
        while let Some((n, m)) = stack.pop() {
            let next = match (mark.get(&n).copied(), m) {
                (None, m) => m,
                (Some(Mark::One(r)), Mark::One(s)) if r == s => continue,
                (Some(Mark::One(_)), _) => Mark::Many,
                (Some(Mark::Many), _) => continue,
            };
            mark.insert(n, next);
            stack.extend(edges[n].iter().filter(|j| inside.contains(j)).map(|&j| (j, next)));
        }
    };
    let roots: Vec<usize> = set.iter().copied().filter(|i| !named.contains(i)).collect();
    for &r in &roots {
        visit(r, &mut mark);
    }
    // Cycles nothing outside them names: any unmarked node starts one.
    for &i in set {
        if !mark.contains_key(&i) {
            visit(i, &mut mark);
        }
    }
    let mut by: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
    for &i in set {
        let key = match mark[&i] {
            Mark::One(r) => Some(r),
            Mark::Many => None,
        };
        by.entry(key).or_default().push(i);
    }
    if by.len() == 1 {
        // One root reaches everything: it alone, and the rest below it.
        let root = *roots.first()?;
        let rest: Vec<usize> = set.iter().copied().filter(|&i| i != root).collect();
        if rest.iter().any(|&i| edges[i].contains(&root)) {
            return None;
        }
        return Some(vec![vec![root], rest]);
    }
    Some(by.into_values().collect())
}

/// A shard as a crate: its name and what the main crate's manifest needs.
#[derive(Debug, Clone)]
pub struct ShardCrate {
    /// Index, and directory under the main crate's (`types/<index>`).
    pub index: usize,
    /// Package name: `<crate>-types-<index>`.
    pub name: String,
    /// Features its items are gated by.
    pub features: BTreeSet<String>,
    /// Whether some type is on without features (else the dependency is
    /// optional, on with its features).
    pub always_on: bool,
    /// What turns on one of its types (see [`Shard::definition_features`]).
    pub definitions: Option<BTreeSet<String>>,
    /// Its builders: `None` when it has none; else the features that turn
    /// one on (empty when one is always on).
    pub builders: Option<BTreeSet<String>>,
}

impl ShardCrate {
    fn ident(&self) -> syn::Ident {
        syn::Ident::new(&self.name.replace('-', "_"), proc_macro2::Span::call_site())
    }

    /// `pub use <shard>::*;`, gated by what turns on one of its types: a
    /// glob that re-exports nothing (every type off, its modules shadowed)
    /// is an unused import. Nothing when it defines no type.
    fn glob(&self) -> Option<Item> {
        let features = self.definitions.as_ref()?;
        let (ident, cfg) = (self.ident(), super::features::cfg_any(features).into_iter());
        Some(parse_quote!(#(#cfg)* pub use #ident::*;))
    }
}

/// The crates of `split`, named after the main crate.
pub fn shard_crates(cfg: &super::RustConfig, split: &Split) -> Vec<ShardCrate> {
    let mut crates: Vec<ShardCrate> = split
        .shards
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let definitions = s.definition_features();
            let always_on = index == 0 || definitions.as_ref().is_some_and(BTreeSet::is_empty);
            ShardCrate { index, name: format!("{}-types-{index}", cfg.crate_name), features: s.features(), always_on, definitions, builders: s.builder_features() }
        })
        .collect();
    // A shard's globs of its dependencies are gated by their features: it
    // declares those too.
    for (index, s) in split.shards.iter().enumerate() {
        let more: BTreeSet<String> = s.deps.iter().filter_map(|&d| crates[d].definitions.clone()).flatten().collect();
        crates[index].features.extend(more);
    }
    crates
}

/// Fills the emptied `types` module with the shards' re-exports (so
/// `types::X` and `types::builder::X` keep their paths).
pub fn set_types_reexports(client: &mut syn::File, crates: &[ShardCrate]) {
    let Some(types) = module_items(&mut client.items, "types") else { return };
    let mut builder: Vec<Item> = Vec::new();
    for c in crates {
        types.extend(c.glob());
        if let Some(features) = &c.builders {
            let ident = c.ident();
            let cfg = super::features::cfg_any(features).into_iter();
            builder.push(parse_quote!(#(#cfg)* pub use #ident::builder::*;));
        }
    }
    types.push(parse_quote! {
        /// Builders of the types (each shard's).
        pub mod builder {
            #(#builder)*
        }
    });
    // Every shard has a `defaults` module of its own; their globs would be
    // ambiguous here (`ambiguous_glob_reexports`), and a private module
    // shadowing them is `hidden_glob_reexports`. Nothing outside the shards
    // names them.
    types.push(parse_quote!(#[doc(hidden)] pub mod defaults {}));
}

/// The files of the shard crates.
pub fn shard_files(api: &crate::model::Api, cfg: &super::RustConfig, source: &str, split: Split, crates: &[ShardCrate]) -> Vec<crate::output::File> {
    let n = crates.len();
    let mut files = Vec::new();
    let Split { shards, type_uses, builder_uses, mut error } = split;
    for (shard, c) in shards.into_iter().zip(crates) {
        let deps: Vec<&ShardCrate> = shard.deps.iter().map(|&d| &crates[d]).collect();
        let globs: Vec<Item> = deps.iter().filter_map(|d| d.glob()).collect();
        let doc = format!(" Types of the `{}` crate, part {} of {n}. Generated: depend on `{}`, which re-exports them from its `types` module.", cfg.crate_name, c.index, cfg.crate_name);
        let (types, builder, defaults) = (shard.types, shard.builder, shard.defaults);
        let builder_uses = if builder.is_empty() { Vec::new() } else { builder_uses.clone() };
        let error = if c.index == 0 { error.take() } else { None };
        // The skeleton is quoted; the items are moved in, not quoted and
        // parsed again (GitHub: 0.3 s).
        let mut file: syn::File = parse_quote! {
            #![doc = #doc]
            #![forbid(unsafe_code)]
        };
        let mut builder_mod: syn::ItemMod = parse_quote! {
            /// Builders of this shard's types.
            pub mod builder {}
        };
        builder_mod.content = Some((Default::default(), builder_uses.into_iter().chain(builder).collect()));
        let mut defaults_mod: syn::ItemMod = parse_quote! {
            /// Default values of this shard's fields.
            #[doc(hidden)]
            pub mod defaults {}
        };
        defaults_mod.content = Some((Default::default(), defaults));
        file.items = globs.into_iter().chain(type_uses.iter().cloned()).chain(types).collect();
        file.items.extend([Item::Mod(builder_mod), Item::Mod(defaults_mod)].into_iter().chain(error));
        let text = prettyplease::unparse(&file);
        let dir = format!("{}/types/{}", cfg.dir, c.index);
        let features: String = c.features.iter().map(|f| format!("{f} = []\n")).collect();
        let mut dependencies = vec!["serde = { version = \"1.0.181\", features = [\"derive\"] }".to_owned()];
        for &(needle, name, spec) in super::OPTIONAL_DEPENDENCIES {
            if text.contains(needle) {
                dependencies.push(format!("{name} = {spec}"));
            }
        }
        for d in &deps {
            dependencies.push(format!("{} = {{ path = {}, version = {} }}", d.name, super::toml_str(&format!("../{}", d.index)), super::toml_str(&format!("={}", api.package_version))));
        }
        let license = super::license(api, cfg);
        let repo = cfg.repository.as_ref().map(|r| format!("repository = {}\n", super::toml_str(r))).unwrap_or_default();
        let manifest = format!(
            "{head}[package]\nname = {name}\nversion = {version}\nedition = \"2024\"\nrust-version = \"1.88\"\ndescription = {description}\nlicense = {license}\n{repo}\n[package.metadata.docs.rs]\nall-features = true\n\n[features]\n{features}\n[dependencies]\n{deps}\n",
            head = crate::output::header(source, "#"),
            name = super::toml_str(&c.name),
            version = super::toml_str(&api.package_version),
            description = super::toml_str(&format!("Types of the {} crate (part {} of {n}); depend on {} instead", cfg.crate_name, c.index, cfg.crate_name)),
            license = super::toml_str(&license),
            deps = dependencies.join("\n"),
        );
        files.push(crate::output::File::new(format!("{dir}/Cargo.toml"), manifest));
        files.push(crate::output::File::new(format!("{dir}/src/lib.rs"), format!("{}{text}", crate::output::header(source, "//"))));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut parts: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
        parts.iter_mut().for_each(|p| p.sort_unstable());
        parts.sort();
        parts
    }

    #[test]
    fn what_one_root_reaches_goes_with_it_and_what_several_reach_is_the_core() {
        // 0 → 2 → 4, 1 → 3 → 4: 4 is shared.
        let edges = vec![vec![2], vec![3], vec![4], vec![4], vec![]];
        let parts = split_by_roots(&[0, 1, 2, 3, 4], &edges).expect("splits");
        assert_eq!(sorted(parts), vec![vec![0, 2], vec![1, 3], vec![4]]);
    }

    #[test]
    fn a_single_root_is_peeled_and_a_cycle_is_never_split() {
        // 0 → 1 → 2: one root reaches all; it is peeled off.
        let chain = vec![vec![1], vec![2], vec![]];
        assert_eq!(sorted(split_by_roots(&[0, 1, 2], &chain).expect("peels")), vec![vec![0], vec![1, 2]]);
        // 0 → 1 → 2 → 0: no root, one cycle.
        let cycle = vec![vec![1], vec![2], vec![0]];
        assert_eq!(split_by_roots(&[0, 1, 2], &cycle), None);
        // Two roots sharing a cycle: the cycle is the core, whole.
        let shared = vec![vec![2], vec![3], vec![3], vec![2]];
        assert_eq!(sorted(split_by_roots(&[0, 1, 2, 3], &shared).expect("splits")), vec![vec![0], vec![1], vec![2, 3]]);
    }

    #[test]
    fn only_the_file_part_may_leave_types() {
        let cases: [(syn::File, bool); 5] = [
            (parse_quote!(pub struct A { pub b: B }), true),
            (parse_quote!(pub struct A { pub file: crate::hooks::FilePart, pub more: Vec<crate::hooks::FilePart> }), true),
            (parse_quote!(pub struct A { pub c: crate::hooks::Other }), false),
            (parse_quote!(pub struct A { pub c: crate::hooks::FilePart::Inner }), false),
            (parse_quote!(impl A { fn f() { m!(crate::x) } }), false),
        ];
        for (file, want) in cases {
            assert_eq!(only_file_part(&file.items), want, "{}", prettyplease::unparse(&file));
        }
    }

    #[test]
    fn the_file_part_moves_to_shard_zero_and_the_others_name_it_there() {
        let shard = |items: syn::File| Shard { types: items.items, ..Shard::default() };
        let mut split = Split {
            shards: vec![shard(parse_quote!(pub struct A { pub f: crate::hooks::FilePart })), shard(parse_quote!(pub struct B { pub f: Option<crate::hooks::FilePart>, pub a: A }))],
            type_uses: Vec::new(),
            builder_uses: Vec::new(),
            error: None,
        };
        let crates: Vec<ShardCrate> = (0..2).map(|index| ShardCrate { index, name: format!("api-types-{index}"), features: BTreeSet::new(), always_on: true, definitions: Some(BTreeSet::new()), builders: None }).collect();
        let reexport = place_file_part(&mut split, &crates, super::super::multipart::file_part()).expect("parses");
        assert_eq!(reexport.to_string(), quote::quote!(pub use ::api_types_0::hooks::FilePart;).to_string());
        let text = |s: &Shard| {
            let mut file: syn::File = parse_quote!();
            file.items = s.types.clone();
            prettyplease::unparse(&file)
        };
        let (zero, one) = (text(&split.shards[0]), text(&split.shards[1]));
        assert!(zero.contains("pub f: crate::hooks::FilePart") && zero.contains("pub mod hooks {") && zero.contains("pub struct FilePart {"), "{zero}");
        assert!(one.contains("pub f: Option<::api_types_0::hooks::FilePart>") && !one.contains("crate::") && !one.contains("struct FilePart"), "{one}");
    }

    #[test]
    fn levels_are_longest_paths_down() {
        let deps = vec![BTreeSet::new(), BTreeSet::from([0]), BTreeSet::from([0, 1]), BTreeSet::from([0])];
        let mut level = vec![None; 4];
        let got: Vec<usize> = (0..4).map(|u| unit_level(u, &deps, &mut level)).collect();
        assert_eq!(got, vec![0, 1, 2, 1]);
    }
}
