//! The entry point the fuzz targets share with `codegen/tests/no_panic.rs`
//! (which includes this file, so `cargo test` compiles it on stable).

/// Runs `analyze` (load → refs → normalize → model) and, with `rust`, the
/// Rust back end on `bytes`.
pub fn run(bytes: &[u8], rust: bool) -> Result<(), codegen::Error> {
    let mut report = codegen::Report::default();
    let (_, normalized, api) = codegen::analyze("fuzz.yaml", bytes, &mut report)?;
    if rust {
        let config = codegen::rust::RustConfig { crate_name: "fuzz".into(), dir: "fuzz".into(), license: "MIT".into(), repository: None, shard_budget: None };
        let sdk = api.with_siblings(&normalized.siblings);
        codegen::rust::generate(&sdk, normalized, &config, "fuzz.yaml", &mut report)?;
    }
    Ok(())
}

/// Whether an error says where: a JSON pointer into the spec, or, for a
/// document that is not JSON/YAML at all, the document itself.
pub fn located(e: &codegen::Error) -> bool {
    match e {
        codegen::Error::NotOpenApi { pointer, .. } | codegen::Error::Invalid { pointer, .. } => pointer.starts_with('#'),
        codegen::Error::Syntax { origin, message } => origin == "fuzz.yaml" && !message.is_empty(),
        _ => false,
    }
}
