//! Type shards of the Rust crate (`codegen::rust::shards`): the fixture of
//! the `snapshot-sharded` crate, split by a tiny budget. That the shards
//! compile without warnings under each feature is checked by clippy in
//! `cargo xtask ci`; here, the structure.

use std::collections::{BTreeMap, BTreeSet};

use codegen::Config;

const SPEC: &str = include_str!("../../tests/fixtures/sharded.yaml");

fn generate(budget: Option<usize>) -> BTreeMap<String, String> {
    let config = Config {
        spec_path: "sharded.yaml".into(),
        package_version: None,
        rust: Some(codegen::rust::RustConfig { crate_name: "s".into(), dir: "s".into(), license: "MIT".into(), repository: None, shard_budget: budget }),
        typescript: None,
        python: None,
    };
    let g = codegen::generate(&config, SPEC.as_bytes()).expect("generates");
    g.files.into_iter().map(|f| (f.path, f.contents)).collect()
}

/// Shard index → the shard indices its manifest depends on.
fn shard_deps(files: &BTreeMap<String, String>) -> BTreeMap<usize, BTreeSet<usize>> {
    files
        .iter()
        .filter_map(|(path, text)| {
            let k: usize = path.strip_prefix("s/types/")?.strip_suffix("/Cargo.toml")?.parse().ok()?;
            let deps = text.lines().filter_map(|l| l.strip_prefix("s-types-")?.split(' ').next()?.parse().ok()).collect();
            Some((k, deps))
        })
        .collect()
}

/// Struct and enum names defined at the top of a file.
fn definitions(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("pub struct ").or_else(|| l.strip_prefix("pub enum ")))
        .map(|l| l.split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn shards_depend_only_on_lower_shards_and_shard_zero() {
    let files = generate(Some(12));
    let deps = shard_deps(&files);
    assert!(deps.len() >= 3, "a tiny budget makes several shards: {deps:?}");
    for (k, d) in &deps {
        assert!(d.iter().all(|j| j < k), "shard {k} depends on {d:?}: only lower shards keep cargo's graph acyclic");
        assert!(*k == 0 || d.contains(&0), "shard {k} must depend on shard 0 (it holds `error`)");
    }
    let manifest = &files["s/Cargo.toml"];
    for k in deps.keys() {
        assert!(manifest.contains(&format!("s-types-{k} = {{ path = \"types/{k}\"")), "main crate depends on shard {k}:\n{manifest}");
    }
}

#[test]
fn every_type_is_defined_once_and_re_exported_from_types() {
    let whole = generate(Some(0));
    assert!(!whole.keys().any(|p| p.starts_with("s/types/")), "budget 0 keeps one crate");
    // The single crate's `types` module, up to its `builder` module.
    let client = &whole["s/src/client.rs"];
    let types = client.split("pub mod types {").nth(1).and_then(|t| t.split("    pub mod builder {").next()).expect("a types module");
    let before = definitions(&types.lines().map(|l| l.strip_prefix("    ").unwrap_or(l)).collect::<Vec<_>>().join("\n"));
    let files = generate(Some(12));
    let mut after: Vec<String> = Vec::new();
    for (path, text) in &files {
        if path.starts_with("s/types/") && path.ends_with("/src/lib.rs") {
            after.extend(definitions(text));
        }
    }
    let unique: BTreeSet<String> = after.iter().cloned().collect();
    assert_eq!(unique.len(), after.len(), "a type is defined in one shard only: {after:?}");
    assert_eq!(unique, before, "the shards define exactly the types of the single crate");
    let client = &files["s/src/client.rs"];
    for k in shard_deps(&files).keys() {
        assert!(client.contains(&format!("pub use s_types_{k}::*;")), "types re-exports shard {k}");
    }
    // The event enum decodes payloads through the shards' own decoders.
    assert!(files["s/src/events.rs"].contains("__decode_json"), "{}", files["s/src/events.rs"]);
}

#[test]
fn feature_gated_shards_are_optional_and_enabled_by_their_features() {
    let files = generate(Some(12));
    let manifest = &files["s/Cargo.toml"];
    let optional: Vec<&str> = manifest.lines().filter(|l| l.starts_with("s-types-") && l.contains("optional = true")).collect();
    assert!(!optional.is_empty(), "{manifest}");
    for line in optional {
        let name = line.split(' ').next().unwrap_or_default();
        assert!(manifest.contains(&format!("\"dep:{name}\"")), "some feature enables {name}:\n{manifest}");
    }
}

#[test]
fn the_multipart_file_type_moves_to_shard_zero() {
    let files = generate(Some(12));
    let hooks = &files["s/src/hooks.rs"];
    assert!(hooks.contains("pub use ::s_types_0::hooks::FilePart;") && !hooks.contains("pub struct FilePart"), "the main crate re-exports it:\n{hooks}");
    let zero = &files["s/types/0/src/lib.rs"];
    assert!(zero.contains("pub mod hooks {") && zero.contains("    pub struct FilePart {"), "shard 0 defines it:\n{zero}");
    let mut users = 0;
    for (path, text) in files.iter().filter(|(p, _)| p.starts_with("s/types/") && p.ends_with("/src/lib.rs") && p.as_str() != "s/types/0/src/lib.rs") {
        assert!(!text.contains("crate::hooks"), "{path} cannot name the main crate's hooks");
        users += usize::from(text.contains("::s_types_0::hooks::FilePart"));
    }
    assert!(users >= 1, "a body type in another shard names the file type in shard 0");
    let whole = generate(Some(0));
    assert!(whole["s/src/hooks.rs"].contains("pub struct FilePart"), "one crate keeps it in hooks");
}
