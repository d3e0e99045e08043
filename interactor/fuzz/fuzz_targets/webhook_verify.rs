//! Arbitrary headers and bodies never make verification panic, under any
//! scheme. Input layout: one byte picks the scheme, then NUL-separated
//! `name`, `value` pairs until an empty name, then the body.
#![no_main]

use interactor::clock::ManualClock;
use interactor::webhook::{Scheme, Verifier};
use libfuzzer_sys::fuzz_target;

const SCHEMES: [Scheme; 5] = [
    Scheme::InteractorV1,
    Scheme::InteractorV2,
    Scheme::StandardWebhooks,
    Scheme::GitHub,
    Scheme::Stripe,
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let scheme = SCHEMES[usize::from(pick) % SCHEMES.len()];
    let mut parts = rest.split(|&b| b == 0);
    let mut headers: Vec<(String, Vec<u8>)> = Vec::new();
    let mut body: &[u8] = &[];
    while let Some(name) = parts.next() {
        if name.is_empty() {
            body = parts.next().unwrap_or_default();
            break;
        }
        let value = parts.next().unwrap_or_default();
        headers.push((String::from_utf8_lossy(name).into_owned(), value.to_vec()));
    }
    let Ok(verifier) = Verifier::builder(scheme)
        .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        // Raw bytes, so that Standard Webhooks (which base64-decodes
        // `secret` text) accepts both.
        .secret_bytes(b"It's a Secret to Everybody".to_vec())
        .clock(ManualClock::from_unix(1_614_265_330))
        .build()
    else {
        return;
    };
    if let Ok(verified) = verifier.verify(&headers, body) {
        let _ = (verified.id(), verified.timestamp(), verified.secret_index());
    }
    // `http::HeaderMap` is not used here: building one from arbitrary bytes
    // fails on invalid names before reaching the verifier.
});
