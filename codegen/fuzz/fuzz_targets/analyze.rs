//! Arbitrary bytes through the generator: load → refs → normalize → model,
//! and the Rust back end when the input is small. It must never panic, and
//! an error must say where.
#![no_main]

mod entry;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The Rust back end is ~1000x slower than analysis: small inputs only.
    if let Err(e) = entry::run(data, data.len() < 2048) {
        assert!(entry::located(&e), "error without a location: {e}");
    }
});
