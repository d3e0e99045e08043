//! `cargo xtask inspect PATH`: load and normalize a spec and print what the
//! generator would say about it (operations, notes), writing nothing.

use std::path::Path;

pub fn run(_root: &Path, args: &[String]) -> Result<(), String> {
    let [path] = args else { return Err("usage: cargo xtask inspect PATH".into()) };
    crate::alloc::prefault_for_spec(Path::new(path), true);
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let config = codegen::Config {
        spec_path: path.clone(),
        package_version: None,
        rust: Some(codegen::rust::RustConfig { crate_name: "inspect".into(), dir: "inspect".into(), license: "MIT".into(), repository: None, shard_budget: None }),
        typescript: None,
        python: None,
    };
    let g = codegen::generate(&config, &bytes).map_err(|e| e.to_string())?;
    println!("{}: {} operations, {} webhooks, {} schemas; Rust: {} operations generated", g.api.title, g.api.operations.len(), g.api.webhooks.len(), g.api.schemas.len(), g.rust.as_ref().map_or(0, |r| r.operations));
    for (kind, (count, first)) in &g.report.rewrites {
        println!("  rewrite  {count:>5} × {kind} (first at {first})");
    }
    for n in &g.report.notes {
        println!("  {n}");
    }
    for (phase, d) in &g.timings {
        println!("  {phase}: {d:.2?}");
    }
    Ok(())
}
