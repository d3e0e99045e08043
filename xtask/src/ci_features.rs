//! The feature part of `cargo xtask ci`: every generated Rust crate of
//! `sdk.toml` is linted with no API-area feature and with each one alone, so
//! no feature combination a user picks can fail to compile or warn; the
//! snapshot crates (`tests/snapshots.toml`) with no feature only, to keep
//! CI bounded, except a sharded one (`types/` shard crates), with each. (`full`, the default, is covered by the workspace-wide
//! clippy step.)

use std::path::Path;

use codegen::workspace::{MANIFESTS, Manifest};

pub fn run(root: &Path) -> Result<(), String> {
    for manifest in MANIFESTS {
        if !root.join(manifest).exists() {
            continue;
        }
        let m = Manifest::load_file(root, manifest).map_err(|e| e.to_string())?;
        for rust in m.api.iter().filter_map(|a| a.rust.as_ref()) {
            let cargo_toml = std::fs::read_to_string(root.join(&rust.dir).join("Cargo.toml")).map_err(|e| format!("{}: {e}", rust.dir))?;
            let features = area_features(&cargo_toml);
            // Each feature alone: the published crates, and a snapshot whose
            // types are split into shard crates (their re-exports are gated).
            let sharded = root.join(&rust.dir).join("types").is_dir();
            let each = if *manifest == "sdk.toml" || sharded { features.as_slice() } else { &[] };
            let sets = std::iter::once("rustls".to_owned()).chain(each.iter().map(|f| format!("rustls,{f}")));
            for set in sets {
                eprintln!("    {} --features {set}", rust.crate_name);
                crate::ci::cargo(root, &["clippy", "--quiet", "-p", &rust.crate_name, "--no-default-features", "--features", &set, "--", "-D", "warnings"])?;
            }
        }
    }
    Ok(())
}

/// The features listed in `full = [...]`.
pub(crate) fn area_features(cargo_toml: &str) -> Vec<String> {
    cargo_toml
        .lines()
        .find_map(|l| l.strip_prefix("full = ["))
        .map(|rest| rest.trim_end_matches(']').split(',').map(|f| f.trim().trim_matches('"').to_owned()).filter(|f| !f.is_empty()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_full_feature() {
        let toml = "[features]\ndefault = [\"rustls\", \"full\"]\nfull = [\"a\", \"b-c\"]\na = []\n";
        assert_eq!(super::area_features(toml), ["a", "b-c"]);
        assert!(super::area_features("[features]\ndefault = [\"rustls\"]\n").is_empty());
    }
}
