//! The Rust back end: a publishable crate per API.
//!
//! progenitor writes the client and the types ([`engine`]); the syntax tree is
//! post-processed ([`post`]); our own emitters add what progenitor does not
//! know: the hook seam the overlay plugs into ([`hooks`]) and a table of
//! operation metadata ([`meta`]), the encoders of query styles and nested
//! form bodies progenitor lacks ([`query`], [`form`]), and `Option`s for
//! empty responses beside typed ones ([`empty`]). Everything is printed by prettyplease.

pub mod builders;
pub mod empty;
pub mod engine;
pub mod events;
pub mod features;
pub mod form;
pub mod hooks;
mod itemwise;
pub mod meta;
pub mod multipart;
pub mod open_enums;
pub mod path;
pub mod post;
pub mod query;
pub mod resources;
pub mod send;
pub mod shards;
pub mod str_serde;
mod subdoc;
mod union_read;
mod variant_case;
mod variant_names;
pub mod wire_values;

use std::collections::BTreeSet;

use proc_macro2::TokenStream;

use crate::error::{Error, Result};
use crate::model::Api;
use crate::normalize::Normalized;
use crate::output::{File, header};
use crate::report::{Report, Severity};
use shards::{ShardCrate, set_types_reexports, shard_crates, shard_files};

/// How the crate is named and where it goes.
#[derive(Debug, Clone)]
pub struct RustConfig {
    /// Package name (`interactor-api`).
    pub crate_name: String,
    /// Output directory, relative to the workspace root.
    pub dir: String,
    /// License expression for Cargo.toml when the spec has none.
    pub license: String,
    /// Repository URL for Cargo.toml.
    pub repository: Option<String>,
    /// Weight budget of a type shard crate ([`shards`]); `None`: the
    /// default, [`shards::DEFAULT_BUDGET`]; `Some(0)`: one crate always.
    pub shard_budget: Option<usize>,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default)]
pub struct RustStats {
    /// Operations generated.
    pub operations: usize,
    /// Types generated.
    pub types: usize,
    /// Time per step of the back end, for `cargo xtask inspect` and profiling.
    pub timings: Vec<(String, std::time::Duration)>,
}

/// Stack for the Rust back end. progenitor, typify, syn and prettyplease
/// recurse once per schema level (or more): 50 nested `items` overflow a
/// test thread's 2 MiB. The loaders cap nesting at 128 levels, and this
/// (virtual, committed only as used) stack holds that with room to spare.
const STACK: usize = 256 << 20;

/// Generates the crate's files, on a thread with a [`STACK`]-sized stack
/// (a stack overflow aborts the process; it cannot be caught). `api` is
/// the SDK's ([`Api::with_siblings`] of `n`'s siblings).
pub fn generate(api: &Api, n: Normalized, cfg: &RustConfig, source: &str, report: &mut Report) -> Result<(Vec<File>, RustStats)> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("codegen-rust".into())
            .stack_size(STACK)
            .spawn_scoped(scope, move || generate_here(api, n, cfg, source, report));
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(source) => Err(Error::Io { path: cfg.dir.clone().into(), source }),
        }
    })
}

/// Takes the normalized document: what only the model needed (`openapi`,
/// `webhooks`) is dropped first, and the engine's JSON is consumed by the
/// engine, so the memory is free again before progenitor's trees are built
/// (GitHub: 150 MB less at the peak).
fn generate_here(api: &Api, n: Normalized, cfg: &RustConfig, source: &str, report: &mut Report) -> Result<(Vec<File>, RustStats)> {
    let Normalized { openapi, webhooks, engine_value, skips, wire_renames, multipart: multipart_ops, empty_responses, enum_sentinels, sensitive, siblings } = n;
    drop((openapi, webhooks));
    let pre_skipped: BTreeSet<String> = skips.iter().map(|s| s.operation_id.clone()).collect();
    for s in &skips {
        report.add(Severity::Skipped, s.pointer.clone(), format!("operation {} not generated in Rust: {}", s.operation_id, s.reason));
    }
    let mut timings = Vec::new();
    let mut t = std::time::Instant::now();
    let mut lap = |what: String, timings: &mut Vec<(String, std::time::Duration)>| {
        timings.push((what, t.elapsed()));
        t = std::time::Instant::now();
    };
    let out = engine::generate(engine_value, &pre_skipped);
    lap(format!("rust: progenitor ({} runs)", out.runs), &mut timings);
    for (name, pointer, message) in &out.defaults_dropped {
        report.add(Severity::Degraded, pointer.clone(), format!("a default of {name} is dropped in Rust (the engine could not check it against its schema: {message}); an absent field stays `None` and the server's default applies"));
    }
    for (name, pointer, message) in &out.degraded {
        report.add(Severity::Degraded, pointer.clone(), format!("schema {name} is untyped JSON in Rust: the engine failed on it: {message}"));
    }
    for (id, pointer, message) in &out.skipped {
        report.add(Severity::Skipped, pointer.clone(), format!("operation {id} not generated in Rust: {message}"));
    }
    let skipped: BTreeSet<&str> = pre_skipped.iter().map(String::as_str).chain(out.skipped.iter().map(|s| s.0.as_str())).collect();
    let generated_ops: Vec<&crate::model::Operation> = api.operations.iter().filter(|o| !skipped.contains(o.id.as_str())).collect();

    let internal = |e: syn::Error| Error::Internal { what: "src/client.rs".into(), message: e.to_string() };
    // typify's struct builders are parsed only if `prune` keeps them.
    let (mut client, builders) = itemwise::parse_file_deferring(out.tokens, &["types", "builder"]).map_err(internal)?;
    // Before `post`, which removes the default-value functions only the
    // pruned builders called.
    builders::prune(&mut client, builders).map_err(internal)?;
    lap("rust: parse client".into(), &mut timings);
    wire_values::restore(&mut client, &enum_sentinels)?;
    // Before `post`, which splits a status range around the codes inside
    // it (`4XX` beside `404`): `empty` finds each code's arm by its pattern.
    empty::rewrite(&mut client, &empty_responses)?;
    post::process(&mut client, &wire_renames, &sensitive);
    let opened = open_enums::open(&mut client);
    str_serde::rewrite(&mut client);
    if !siblings.is_empty() {
        post::unmark_paths(&mut client);
    }
    multipart::rewrite(&mut client, &multipart_ops);
    let styled_query = query::rewrite(&mut client, &query::styled(api));
    path::rewrite(&mut client, &path::styled(api))?;
    let form_bodies = form::rewrite(&mut client, &form::encodings(api));
    send::rewrite(&mut client);
    let multipart = uses_multipart(&client);
    lap("rust: post-process".into(), &mut timings);
    let type_names = type_names(&client);
    let types = type_names.len();
    let plan = features::Plan::new(&generated_ops, resources::method_name, !api.webhooks.is_empty());
    let mut events = events::emit(api, &generated_ops, &type_names, &plan, &BTreeSet::new());
    // `file_part`: the multipart file type, or its re-export from a shard.
    let mut encoders = TokenStream::new();
    if multipart {
        encoders.extend(multipart::runtime());
    }
    // The form encoder names the query encoder's `QueryStyle`.
    if styled_query || form_bodies {
        encoders.extend(query::emit()?);
    }
    if form_bodies {
        encoders.extend(form::emit()?);
    }
    let hooks_base = hooks::emit()?;
    let hooks_file = |file_part: TokenStream| {
        let mut tokens = hooks_base.clone();
        if multipart {
            tokens.extend(file_part);
        }
        tokens.extend(encoders.clone());
        tokens
    };
    let mut hooks_tokens = hooks_file(multipart::file_part());
    let mut roots: Vec<(BTreeSet<String>, &proc_macro2::TokenStream)> = events.items.iter().map(|(f, t)| (f.clone(), t)).collect();
    roots.push((BTreeSet::new(), &hooks_tokens));
    let graph = features::type_graph(&client);
    let gate = features::apply(&mut client, &plan, &roots, &graph);
    lap("rust: features".into(), &mut timings);
    let budget = cfg.shard_budget.unwrap_or(shards::DEFAULT_BUDGET);
    let mut split = if shards::wanted(&client, &graph, budget) {
        let decoders = events::webhook_payload_types(api, &type_names);
        shards::add_decoders(&mut client, &decoders, &gate);
        events = events::emit(api, &generated_ops, &type_names, &plan, &decoders);
        shards::split(&mut client, &graph, &gate, budget)
    } else {
        None
    };
    let shard_crates = split.as_ref().map(|s| shard_crates(cfg, s)).unwrap_or_default();
    if let Some(split) = &mut split {
        if multipart {
            let reexport = shards::place_file_part(split, &shard_crates, multipart::file_part()).map_err(internal)?;
            hooks_tokens = hooks_file(reexport);
        }
        set_types_reexports(&mut client, &shard_crates);
        lap(format!("rust: {} type shards", split.shards.len()), &mut timings);
    }
    let head = header(source, "//");
    let dir = &cfg.dir;
    let client_text = prettyplease::unparse(&client);
    lap("rust: unparse client".into(), &mut timings);
    let mut files = vec![
        File::new(format!("{dir}/Cargo.toml"), cargo_toml(api, cfg, source, &client_text, &plan, multipart, &shard_crates)),
        File::new(format!("{dir}/README.md"), readme(api, cfg, &generated_ops, source, &plan, opened)),
        File::new(format!("{dir}/src/lib.rs"), format!("{head}{}", unparse(&parse("src/lib.rs", lib_rs(api))?))),
        File::new(format!("{dir}/src/client.rs"), format!("{head}{client_text}")),
        File::new(format!("{dir}/src/hooks.rs"), format!("{head}{}", unparse(&parse("src/hooks.rs", hooks_tokens)?))),
        File::new(format!("{dir}/src/operations.rs"), format!("{head}{}", unparse(&parse("src/operations.rs", meta::emit(&generated_ops, &api.security_schemes))?))),
        File::new(format!("{dir}/src/resources.rs"), format!("{head}{}", unparse(&parse("src/resources.rs", resources::emit(api, &generated_ops, &plan))?))),
        File::new(format!("{dir}/src/events.rs"), format!("{head}{}", unparse(&parse("src/events.rs", events.file())?))),
    ];
    if let Some(split) = split {
        files.extend(shard_files(api, cfg, source, split, &shard_crates));
    }
    lap("rust: other files".into(), &mut timings);
    // A sibling is a second method of one of the spec's operations.
    let operations = generated_ops.iter().filter(|o| o.body_of.is_none()).count();
    Ok((files, RustStats { operations, types, timings }))
}

/// Whether the client names the multipart runtime (a multipart body that
/// was generated, or a type with a file in it): a path `hooks::multipart_form`
/// or `hooks::FilePart`. Walks the tree; printing GitHub's client to search
/// the text took seconds.
fn uses_multipart(client: &syn::File) -> bool {
    struct Find(bool);
    impl<'ast> syn::visit::Visit<'ast> for Find {
        fn visit_path(&mut self, p: &'ast syn::Path) {
            let segments: Vec<&syn::PathSegment> = p.segments.iter().collect();
            self.0 |= segments.windows(2).any(|w| w[0].ident == "hooks" && (w[1].ident == "multipart_form" || w[1].ident == "FilePart"));
            syn::visit::visit_path(self, p);
        }

        fn visit_macro(&mut self, m: &'ast syn::Macro) {
            let text = m.tokens.to_string();
            self.0 |= text.contains("hooks :: multipart_form") || text.contains("hooks :: FilePart");
            syn::visit::visit_macro(self, m);
        }
    }
    let mut find = Find(false);
    syn::visit::Visit::visit_file(&mut find, client);
    find.0
}

fn parse(what: &str, tokens: TokenStream) -> Result<syn::File> {
    syn::parse2(tokens).map_err(|e| Error::Internal { what: what.to_owned(), message: e.to_string() })
}

fn unparse(file: &syn::File) -> String {
    prettyplease::unparse(file)
}

/// Names of the structs and enums in the `types` module.
fn type_names(file: &syn::File) -> std::collections::HashSet<String> {
    file.items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items)
        .filter_map(|i| match i {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect()
}

fn lib_rs(api: &Api) -> TokenStream {
    let mut doc = format!(" Raw client for the {} (version {}).\n\n", api.title, api.version);
    doc.push_str(" Generated from the OpenAPI description: one method per operation on\n [`Client`], every schema in [`types`]. Most users want the overlay crate\n that wraps this one with authentication, retries and streaming.\n");
    if let Some(s) = api.servers.first() {
        doc.push_str(&format!("\n Default server: `{}`.\n", s.url));
    }
    let lines = doc.lines().map(|l| format!(" {}", l.trim_start())).collect::<Vec<_>>();
    let lines = lines.iter().map(|l| if l.trim().is_empty() { String::new() } else { l.clone() });
    quote::quote! {
        #(#![doc = #lines])*
        #![forbid(unsafe_code)]

        mod client;
        pub mod events;
        pub mod hooks;
        pub mod operations;
        pub mod resources;

        pub use client::*;
    }
}

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Cargo's version for an `info.version` (semver as is; otherwise 0.0.0
/// with the API version kept as build metadata).
pub fn crate_version(api_version: &str) -> String {
    let v = api_version.trim().trim_start_matches('v');
    let parts: Vec<&str> = v.split('.').collect();
    let numeric = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [a, b, c] if numeric(a) && numeric(b) && numeric(c) => v.to_owned(),
        [a, b] if numeric(a) && numeric(b) => format!("{a}.{b}.0"),
        _ => {
            let meta: String = v.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
            format!("0.0.0+{}", meta.trim_matches('-'))
        }
    }
}

/// Dependencies a generated file gets only when its code names them:
/// (path prefix, package, version requirement).
const OPTIONAL_DEPENDENCIES: &[(&str, &str, &str)] = &[
    ("base64::", "base64", "\"0.22\""),
    ("bytes::", "bytes", "\"1\""),
    ("chrono::", "chrono", "{ version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }"),
    ("futures_core::", "futures-core", "\"0.3\""),
    ("futures::", "futures", "\"0.3\""),
    ("rand::", "rand", "\"0.10\""),
    ("regress::", "regress", "\"0.12\""),
    ("serde_json::", "serde_json", "\"1\""),
    ("uuid::", "uuid", "{ version = \"1\", features = [\"serde\"] }"),
];

/// The crate's license: the spec's when it is an SPDX expression, else the
/// configured one.
fn license(api: &Api, cfg: &RustConfig) -> String {
    api.license.clone().filter(|l| !l.contains(' ') || l.contains(" OR ")).unwrap_or_else(|| cfg.license.clone())
}

/// Dependencies of a generated crate: the fixed ones, plus those the code
/// names (typify uses chrono, uuid and regress only for some formats).
fn dependencies(client: &str, multipart: bool) -> String {
    let reqwest = if multipart {
        "{ version = \"0.13.4\", default-features = false, features = [\"json\", \"multipart\", \"query\", \"stream\"] }"
    } else {
        "{ version = \"0.13.4\", default-features = false, features = [\"json\", \"query\", \"stream\"] }"
    };
    let mut deps = vec![
        // `hooks::read_body` names `Bytes`; reqwest depends on it already.
        ("bytes", "\"1\""),
        ("progenitor-client", "\"0.15.1\""),
        ("reqwest", reqwest),
        ("serde", "{ version = \"1.0.181\", features = [\"derive\"] }"),
        ("serde_json", "\"1\""),
    ];
    for &(needle, name, spec) in OPTIONAL_DEPENDENCIES {
        if client.contains(needle) && !deps.iter().any(|(n, _)| *n == name) {
            deps.push((name, spec));
        }
    }
    deps.sort();
    deps.iter().map(|(n, s)| format!("{n} = {s}\n")).collect()
}

fn cargo_toml(api: &Api, cfg: &RustConfig, source: &str, client: &str, plan: &features::Plan, multipart: bool, shards: &[ShardCrate]) -> String {
    let mut forward: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    for s in shards {
        for f in &s.features {
            let list = forward.entry(f.clone()).or_default();
            if !s.always_on {
                list.push(format!("dep:{}", s.name));
            }
            list.push(format!("{}/{f}", s.name));
        }
    }
    let shard_deps: String = shards.iter().map(|s| format!("{} = {{ path = {}, version = {}{} }}\n", s.name, toml_str(&format!("types/{}", s.index)), toml_str(&format!("={}", api.package_version)), if s.always_on { "" } else { ", optional = true" })).collect();
    let description = format!("Generated Rust client for the {} (OpenAPI {})", api.title, api.version);
    let license = license(api, cfg);
    let repo = cfg.repository.as_ref().map(|r| format!("repository = {}\n", toml_str(r))).unwrap_or_default();
    format!(
        "{head}[package]\nname = {name}\nversion = {version}\nedition = \"2024\"\nrust-version = \"1.88\"\ndescription = {description}\nlicense = {license}\nreadme = \"README.md\"\n{repo}documentation = {docs}\nkeywords = [\"openapi\", \"api-client\", \"sdk\"]\ncategories = [\"api-bindings\", \"web-programming::http-client\"]\n\n[package.metadata.docs.rs]\nall-features = true\n\n[features]\ndefault = [{default}]\n{tags}## TLS through rustls (the default).\nrustls = [\"reqwest/rustls\"]\n## TLS through the platform's native library instead.\nnative-tls = [\"reqwest/native-tls\"]\n\n[dependencies]\n{deps}",
        head = header(source, "#"),
        name = toml_str(&cfg.crate_name),
        version = toml_str(&api.package_version),
        description = toml_str(&description),
        license = toml_str(&license),
        docs = toml_str(&format!("https://docs.rs/{}", cfg.crate_name)),
        deps = dependencies(client, multipart) + &shard_deps,
        default = if plan.is_empty() { "\"rustls\"" } else { "\"rustls\", \"full\"" },
        tags = plan.cargo_features(&forward),
    )
}

/// The crate's README; `opened`: how many enums [`open_enums`] opened.
fn readme(api: &Api, cfg: &RustConfig, ops: &[&crate::model::Operation], source: &str, plan: &features::Plan, opened: usize) -> String {
    let mut s = format!("<!-- {} -->\n# {}\n\nRaw Rust client for the {}, version {}, generated from its OpenAPI description.\n\n", header(source, "").trim(), cfg.crate_name, api.title, api.version);
    if let Some(d) = &api.description {
        s.push_str(d.trim());
        s.push_str("\n\n");
    }
    if !plan.is_empty() {
        s.push_str("## Features\n\nOne cargo feature per API area (tag), all on by default (`full`). To compile\nonly what you use: `default-features = false, features = [\"rustls\", \"<area>\"]`.\nTypes used by several areas are on with any of them.\n\n| feature | tag | operations |\n| --- | --- | --- |\n");
        for (tag, f) in &plan.features {
            let n = ops.iter().filter(|o| o.tags.first() == Some(tag)).count();
            s.push_str(&format!("| `{f}` | {} | {n} |\n", tag.replace('|', "\\|")));
        }
        if let Some(f) = &plan.webhook_events {
            s.push_str(&format!("| `{f}` | typed webhook events (`events::WebhookEvent`) | {} events |\n", api.webhooks.len()));
        }
        s.push('\n');
    }
    if opened > 0 {
        s.push_str("## Newer servers\n\nA response from a newer version of the API is read, not refused. Structs skip\nthe fields they do not know (except union branches told apart only by the keys\nthey refuse); string enums and unions of objects have a last variant,\n`Unknown`, that holds a value or an object this crate's spec does not list, as\nit was sent. A union whose kinds a tag or a required key tells apart reads an\nobject of a listed kind as that kind, so one that does not fit is an error\nnaming the field. Structs and these enums are `#[non_exhaustive]`: match them\nwith a `_` arm, and a crate generated from a newer spec still compiles where\nthe spec only added.\n\n");
    }
    s.push_str(&format!("## Operations ({})\n\n| operation | method | path | feature |\n| --- | --- | --- | --- |\n", ops.len()));
    for o in ops {
        let feature = o.tags.first().and_then(|t| plan.feature_of_tag(t)).map(|f| format!("`{f}`")).unwrap_or_else(|| "always".to_owned());
        s.push_str(&format!("| `{}` | {} | `{}` | {feature} |\n", heck::ToSnakeCase::to_snake_case(o.id.as_str()), o.method.to_uppercase(), o.path));
    }
    s
}
