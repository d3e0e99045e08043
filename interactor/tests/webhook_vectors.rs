//! Every vector of `data/webhooks.json` verifies (or is rejected when marked
//! invalid), and each way a request can be wrong is rejected with the right
//! typed error.

use std::sync::Arc;
use std::time::Duration;

use interactor::clock::ManualClock;
use interactor::webhook::{Scheme, Verifier, WebhookError};
use serde_json::Value;

fn vectors() -> Value {
    serde_json::from_str(include_str!("data/webhooks.json")).unwrap()
}

fn verifier(scheme: Scheme, secrets: &[&str], now: u64) -> Verifier {
    secrets
        .iter()
        .fold(Verifier::builder(scheme), |b, s| b.secret(*s))
        .clock(ManualClock::from_unix(now))
        .build()
        .unwrap()
}

/// `expect` is `"ok"`, or the start of the error's `Debug` form.
fn check(verifier: &Verifier, headers: &[(&str, &str)], body: &[u8], expect: &str) {
    let got = match verifier.verify(headers, body) {
        Ok(_) => "ok".to_owned(),
        Err(e) => format!("{e:?}"),
    };
    assert!(
        got.starts_with(expect),
        "got {got}, expected {expect}; headers {headers:?}"
    );
}

fn payload(v: &Value) -> Vec<u8> {
    match v.get("payload_repeat") {
        Some(r) => r["char"]
            .as_str()
            .unwrap()
            .repeat(r["count"].as_u64().unwrap() as usize)
            .into_bytes(),
        None => v["payload"].as_str().unwrap().as_bytes().to_vec(),
    }
}

/// `"Name: value"` from a vector's `header` field.
fn header_line(v: &Value) -> (String, String) {
    let (name, value) = v["header"].as_str().unwrap().split_once(": ").unwrap();
    (name.to_owned(), value.to_owned())
}

#[test]
fn standard_webhooks_vectors() {
    let all = vectors();
    let rows = all["standard_webhooks"].as_array().unwrap();
    assert_eq!(rows.len(), 8);
    for v in rows {
        let name = v["name"].as_str().unwrap();
        let ts = v["timestamp"].as_u64().unwrap();
        let signature = v
            .get("signature_header")
            .unwrap_or(&v["expected_signature"]);
        let ts_text = ts.to_string();
        let headers = [
            ("webhook-id", v["id"].as_str().unwrap()),
            ("webhook-timestamp", ts_text.as_str()),
            ("webhook-signature", signature.as_str().unwrap()),
        ];
        let verifier = verifier(
            Scheme::StandardWebhooks,
            &[v["secret"].as_str().unwrap()],
            ts,
        );
        let expect = if v["valid"].as_bool().unwrap() {
            "ok"
        } else {
            "NoMatchingSignature"
        };
        let body = payload(v);
        let got = verifier.verify(&headers, &body);
        assert_eq!(got.is_ok(), expect == "ok", "{name}: {got:?}");
        check(&verifier, &headers, &body, expect);
    }
}

#[test]
fn github_vectors() {
    let all = vectors();
    for v in all["github"].as_array().unwrap() {
        let (name, value) = header_line(v);
        assert!(value.ends_with(v["expected_signature_hex"].as_str().unwrap()));
        let verifier = verifier(Scheme::GitHub, &[v["secret_utf8"].as_str().unwrap()], 0);
        let body = payload(v);
        check(&verifier, &[(&name, &value)], &body, "ok");
        check(
            &verifier,
            &[(&name, &value)],
            b"Hello, World?",
            "NoMatchingSignature",
        );
    }
}

#[test]
fn stripe_vectors() {
    let all = vectors();
    for v in all["stripe"].as_array().unwrap() {
        let (name, value) = header_line(v);
        let ts = v["timestamp"].as_u64().unwrap();
        let body = payload(v);
        let signed = format!("{ts}.{}", String::from_utf8_lossy(&body));
        assert_eq!(signed, v["signed_content"].as_str().unwrap());
        let secret = v["secret_utf8"].as_str().unwrap();
        check(
            &verifier(Scheme::Stripe, &[secret], ts),
            &[(&name, &value)],
            &body,
            "ok",
        );
        // Stripe uses the `whsec_` secret text as the key, not its base64.
        check(
            &verifier(Scheme::Stripe, &[secret], ts + 300),
            &[(&name, &value)],
            &body,
            "ok",
        );
        check(
            &verifier(Scheme::Stripe, &[secret], ts + 301),
            &[(&name, &value)],
            &body,
            "TimestampOutOfTolerance { name: \"stripe-signature\"",
        );
        // A second, wrong v1 before the right one (Stripe's rotation form).
        let rotated = value.replacen(",v1=", ",v1=00ff,v1=", 1);
        check(
            &verifier(Scheme::Stripe, &[secret], ts),
            &[(&name, &rotated)],
            &body,
            "ok",
        );
    }
}

/// Interactor's schemes have no published vectors; these were computed
/// with Python's `hmac` from the formats in the Interactor docs.
const INTERACTOR_SECRET: &str = "whsec_interactor_test_secret";
const INTERACTOR_BODY: &[u8] =
    br#"{"event":"workflow.instance.halted","delivery_id":"del_01F8B6XY"}"#;
const V1_SIG: &str = "sha256=15220b02e57c15b3028aeefbcfd896e1ca4a4e88c6baa55a873a01a8bb201ec4";
const V2_TS: u64 = 1_705_752_000;
const V2_SIG: &str = "sha256=a17057a86cf6cfb05a57b8942a472907894e0d724de14ad77b06980b5c042ac6";
const V2_SIG_OLD_SECRET: &str =
    "sha256=52a2bfd390d1b2114f866dcfd32e4a8c81659cfbdb7daf5e7b55d89fc4f7f758";

#[test]
fn interactor_v1() {
    let v = verifier(Scheme::InteractorV1, &[INTERACTOR_SECRET], 0);
    let sig = [("X-Interactor-Signature", V1_SIG)];
    check(&v, &sig, INTERACTOR_BODY, "ok");
    // Bare hex, as in some of the Interactor examples, and upper case.
    check(
        &v,
        &[("x-interactor-signature", &V1_SIG[7..])],
        INTERACTOR_BODY,
        "ok",
    );
    check(
        &v,
        &[(
            "X-INTERACTOR-SIGNATURE",
            &V1_SIG.to_uppercase().replace("SHA256", "sha256"),
        )],
        INTERACTOR_BODY,
        "ok",
    );
    check(
        &v,
        &sig,
        b"{}",
        "NoMatchingSignature { name: \"x-interactor-signature\" }",
    );
    check(
        &v,
        &[],
        INTERACTOR_BODY,
        "MissingHeader { name: \"x-interactor-signature\" }",
    );
    check(
        &v,
        &[("X-Interactor-Signature", "sha1=abcd")],
        INTERACTOR_BODY,
        "MalformedHeader { name: \"x-interactor-signature\", reason: \"expected `sha256=<hex>`: unknown algorithm\" }",
    );
    check(
        &v,
        &[("X-Interactor-Signature", "sha256=")],
        INTERACTOR_BODY,
        "MalformedHeader { name: \"x-interactor-signature\"",
    );
    check(
        &v,
        &[("X-Interactor-Signature", &V1_SIG[..70])],
        INTERACTOR_BODY,
        "MalformedHeader",
    );
    let wrong = verifier(Scheme::InteractorV1, &["another secret"], 0);
    check(&wrong, &sig, INTERACTOR_BODY, "NoMatchingSignature");
}

#[test]
fn interactor_v2_and_tolerance() {
    let ts = V2_TS.to_string();
    let headers = [
        ("X-Interactor-Timestamp", ts.as_str()),
        ("X-Interactor-Signature", V2_SIG),
        ("X-Interactor-Delivery", "del_01F8B6XY"),
        ("X-Interactor-Event", "workflow.instance.halted"),
    ];
    for (now, expect) in [
        (V2_TS, "ok"),
        (V2_TS + 300, "ok"),
        (V2_TS - 300, "ok"),
        (
            V2_TS + 301,
            "TimestampOutOfTolerance { name: \"x-interactor-timestamp\", timestamp: 1705752000, now: 1705752301",
        ),
        (
            V2_TS - 301,
            "TimestampOutOfTolerance { name: \"x-interactor-timestamp\", timestamp: 1705752000, now: 1705751699",
        ),
        (0, "TimestampOutOfTolerance"),
        (u64::MAX / 2, "TimestampOutOfTolerance"),
    ] {
        check(
            &verifier(Scheme::InteractorV2, &[INTERACTOR_SECRET], now),
            &headers,
            INTERACTOR_BODY,
            expect,
        );
    }
    let v = verifier(Scheme::InteractorV2, &[INTERACTOR_SECRET], V2_TS);
    let verified = v.verify(&headers, INTERACTOR_BODY).unwrap();
    assert_eq!(verified.id(), Some("del_01F8B6XY"));
    assert_eq!(verified.event_type(), Some("workflow.instance.halted"));
    assert_eq!(
        verified.timestamp(),
        Some(std::time::UNIX_EPOCH + Duration::from_secs(V2_TS))
    );
    let event: Value = verified.json().unwrap();
    assert_eq!(event["delivery_id"], "del_01F8B6XY");
    assert!(matches!(
        verified.json::<Vec<u8>>(),
        Err(WebhookError::Json(_))
    ));

    // The v1 signature (body only) does not pass as v2, and the timestamp
    // is part of the signed content.
    let v1_sig = [
        ("X-Interactor-Timestamp", ts.as_str()),
        ("X-Interactor-Signature", V1_SIG),
    ];
    check(&v, &v1_sig, INTERACTOR_BODY, "NoMatchingSignature");
    let shifted = (V2_TS + 1).to_string();
    check(
        &v,
        &[
            ("X-Interactor-Timestamp", &shifted),
            ("X-Interactor-Signature", V2_SIG),
        ],
        INTERACTOR_BODY,
        "NoMatchingSignature",
    );
    check(&v, &headers, b"{\"tampered\":true}", "NoMatchingSignature");
    check(
        &v,
        &headers[1..],
        INTERACTOR_BODY,
        "MissingHeader { name: \"x-interactor-timestamp\" }",
    );
    check(
        &v,
        &headers[..1],
        INTERACTOR_BODY,
        "MissingHeader { name: \"x-interactor-signature\" }",
    );
    for bad in [
        "",
        "-1",
        "1705752000.5",
        "17057520OO",
        "0x10",
        "99999999999999999999999",
    ] {
        check(
            &v,
            &[
                ("X-Interactor-Timestamp", bad),
                ("X-Interactor-Signature", V2_SIG),
            ],
            INTERACTOR_BODY,
            "MalformedHeader { name: \"x-interactor-timestamp\"",
        );
    }
}

#[test]
fn rotation_accepts_old_and_new() {
    let ts = V2_TS.to_string();
    let both = verifier(
        Scheme::InteractorV2,
        &["old_secret", INTERACTOR_SECRET],
        V2_TS,
    );
    for (sig, index) in [(V2_SIG_OLD_SECRET, 0), (V2_SIG, 1)] {
        let headers = [
            ("X-Interactor-Timestamp", ts.as_str()),
            ("X-Interactor-Signature", sig),
        ];
        assert_eq!(
            both.verify(&headers, INTERACTOR_BODY)
                .unwrap()
                .secret_index(),
            index
        );
    }
    let new_only = verifier(Scheme::InteractorV2, &[INTERACTOR_SECRET], V2_TS);
    let headers = [
        ("X-Interactor-Timestamp", ts.as_str()),
        ("X-Interactor-Signature", V2_SIG_OLD_SECRET),
    ];
    check(&new_only, &headers, INTERACTOR_BODY, "NoMatchingSignature");

    // Standard Webhooks: the sw-sign-basic signature with the right secret
    // second.
    let all = vectors();
    let v = &all["standard_webhooks"][0];
    let ts = v["timestamp"].as_u64().unwrap();
    let sw = verifier(
        Scheme::StandardWebhooks,
        &[
            "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
            v["secret"].as_str().unwrap(),
        ],
        ts,
    );
    let ts_text = ts.to_string();
    let headers = [
        ("webhook-id", v["id"].as_str().unwrap()),
        ("webhook-timestamp", ts_text.as_str()),
        (
            "webhook-signature",
            v["expected_signature"].as_str().unwrap(),
        ),
    ];
    assert_eq!(sw.verify(&headers, &payload(v)).unwrap().secret_index(), 1);
}

#[test]
fn standard_webhooks_rejections() {
    let all = vectors();
    let v = &all["standard_webhooks"][0];
    let ts = v["timestamp"].as_u64().unwrap();
    let secret = v["secret"].as_str().unwrap();
    let (id, sig) = (
        v["id"].as_str().unwrap(),
        v["expected_signature"].as_str().unwrap(),
    );
    let body = payload(v);
    let ts_text = ts.to_string();
    let good = verifier(Scheme::StandardWebhooks, &[secret], ts);
    let headers = |id, ts, sig| {
        vec![
            ("webhook-id", id),
            ("webhook-timestamp", ts),
            ("webhook-signature", sig),
        ]
    };

    check(&good, &headers(id, &ts_text, sig), &body, "ok");
    let sent = headers(id, &ts_text, sig);
    let verified = good.verify(&sent, &body).unwrap();
    assert_eq!(verified.id(), Some(id));
    // Svix's header names are accepted too.
    let svix = [
        ("svix-id", id),
        ("svix-timestamp", ts_text.as_str()),
        ("svix-signature", sig),
    ];
    check(&good, &svix, &body, "ok");

    check(
        &good,
        &headers(id, &ts_text, sig),
        b"{\"test\": 2432232315}",
        "NoMatchingSignature { name: \"webhook-signature\" }",
    );
    check(
        &good,
        &headers("msg_other", &ts_text, sig),
        &body,
        "NoMatchingSignature",
    );
    check(
        &verifier(
            Scheme::StandardWebhooks,
            &["whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"],
            ts,
        ),
        &headers(id, &ts_text, sig),
        &body,
        "NoMatchingSignature",
    );
    check(
        &verifier(Scheme::StandardWebhooks, &[secret], ts + 301),
        &headers(id, &ts_text, sig),
        &body,
        "TimestampOutOfTolerance { name: \"webhook-timestamp\"",
    );
    check(
        &verifier(Scheme::StandardWebhooks, &[secret], ts - 301),
        &headers(id, &ts_text, sig),
        &body,
        "TimestampOutOfTolerance",
    );
    let lenient = Verifier::builder(Scheme::StandardWebhooks)
        .secret(secret)
        .tolerance(Duration::from_secs(3600))
        .clock(ManualClock::from_unix(ts + 3600))
        .build()
        .unwrap();
    check(&lenient, &headers(id, &ts_text, sig), &body, "ok");

    check(
        &good,
        &headers(
            id,
            &ts_text,
            "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        ),
        &body,
        "MalformedHeader { name: \"webhook-signature\"",
    );
    check(
        &good,
        &headers(id, &ts_text, "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
        &body,
        "MalformedHeader { name: \"webhook-signature\"",
    );
    check(
        &good,
        &headers(id, &ts_text, "v1,not base64!"),
        &body,
        "NoMatchingSignature",
    );
    check(
        &good,
        &headers(id, "yesterday", sig),
        &body,
        "MalformedHeader { name: \"webhook-timestamp\"",
    );
    check(
        &good,
        &[("webhook-timestamp", &ts_text), ("webhook-signature", sig)],
        &body,
        "MissingHeader { name: \"webhook-id\" }",
    );
    check(
        &good,
        &[("webhook-id", id), ("webhook-signature", sig)],
        &body,
        "MissingHeader { name: \"webhook-timestamp\" }",
    );
    check(
        &good,
        &[("webhook-id", id), ("webhook-timestamp", &ts_text)],
        &body,
        "MissingHeader { name: \"webhook-signature\" }",
    );
}

#[test]
fn extreme_timestamps_do_not_overflow() {
    let v = Verifier::builder(Scheme::InteractorV2)
        .secret(INTERACTOR_SECRET)
        .tolerance(Duration::MAX)
        .clock(ManualClock::from_unix(V2_TS))
        .build()
        .unwrap();
    for ts in ["0", "18446744073709551615"] {
        let headers = [
            ("X-Interactor-Timestamp", ts),
            ("X-Interactor-Signature", V2_SIG),
        ];
        check(&v, &headers, INTERACTOR_BODY, "NoMatchingSignature");
    }
    // Accepted, with a timestamp beyond what `SystemTime` can hold
    // (signature computed with Python's `hmac`).
    let sig = "sha256=543b723df14e19ef0cff98e25f0c4f63d621f23367bb5670ec7ecec8e6441859";
    let headers = [
        ("X-Interactor-Timestamp", "18446744073709551615"),
        ("X-Interactor-Signature", sig),
    ];
    let verified = v.verify(&headers, b"{}").unwrap();
    assert_eq!(verified.timestamp(), None);
}

#[test]
fn non_text_header_is_malformed() {
    let v = verifier(Scheme::GitHub, &["s"], 0);
    let headers: [(&str, &[u8]); 1] = [("x-hub-signature-256", b"sha256=\xff\xfe")];
    let err = v.verify(&headers, b"").unwrap_err();
    assert!(
        matches!(
            err,
            WebhookError::MalformedHeader {
                name: "x-hub-signature-256",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn stripe_rejections() {
    let v = verifier(Scheme::Stripe, &["whsec_test_secret"], 1_614_265_330);
    let body = br#"{"id":"evt_test_webhook","object":"event"}"#;
    let sig = "3c5817089d739023dd6190f70a3757e04f7a2fd8b5dab12c2e000f51970dccff";
    check(
        &v,
        &[("Stripe-Signature", &format!("t=1614265330,v1={sig}"))],
        b"{}",
        "NoMatchingSignature",
    );
    check(
        &v,
        &[("Stripe-Signature", &format!("v1={sig}"))],
        body,
        "MalformedHeader { name: \"stripe-signature\", reason: \"expected `t=<unix seconds>,v1=<hex>`: no `t=`\" }",
    );
    check(
        &v,
        &[("Stripe-Signature", "t=1614265330,v0=00")],
        body,
        "MalformedHeader { name: \"stripe-signature\", reason: \"expected `t=<unix seconds>,v1=<hex>`: no `v1=`\" }",
    );
    check(
        &v,
        &[("Stripe-Signature", &format!("t=soon,v1={sig}"))],
        body,
        "MalformedHeader { name: \"stripe-signature\", reason: \"expected a Unix timestamp",
    );
    check(
        &v,
        &[],
        body,
        "MissingHeader { name: \"stripe-signature\" }",
    );
}

#[test]
fn builder_errors() {
    let err = Verifier::builder(Scheme::GitHub).build().unwrap_err();
    assert!(matches!(err, WebhookError::NoSecret));
    let err = Verifier::builder(Scheme::StandardWebhooks)
        .secret("whsec_***")
        .build()
        .unwrap_err();
    assert!(matches!(err, WebhookError::InvalidSecret { .. }));
    assert!(
        !err.to_string().contains("***"),
        "the message does not echo the secret"
    );
    let err = Verifier::builder(Scheme::GitHub)
        .secret("")
        .build()
        .unwrap_err();
    assert!(matches!(err, WebhookError::InvalidSecret { .. }));
    // Raw bytes are used as is, also for Standard Webhooks.
    let raw = Verifier::builder(Scheme::StandardWebhooks)
        .secret_bytes(
            base64::Engine::decode(
                &base64::engine::general_purpose::STANDARD,
                "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            )
            .unwrap(),
        )
        .clock(ManualClock::from_unix(1_614_265_330))
        .build()
        .unwrap();
    let headers = [
        ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
        ("webhook-timestamp", "1614265330"),
        (
            "webhook-signature",
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        ),
    ];
    check(&raw, &headers, br#"{"test": 2432232314}"#, "ok");
}

#[test]
fn debug_never_shows_secrets() {
    let secrets = [
        "It's a Secret to Everybody",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    ];
    let builder = Verifier::builder(Scheme::GitHub)
        .secret(secrets[0])
        .secret_bytes(b"raw-key-bytes".to_vec());
    let builder_debug = format!("{builder:?}");
    let verifier = builder.build().unwrap();
    let sw = Verifier::builder(Scheme::StandardWebhooks)
        .secret(secrets[1])
        .build()
        .unwrap();
    for debug in [
        builder_debug,
        format!("{verifier:?}"),
        format!("{verifier:#?}"),
        format!("{sw:?}"),
    ] {
        assert!(!debug.contains("Secret to"), "{debug}");
        assert!(!debug.contains("MfKQ9r8"), "{debug}");
        assert!(!debug.contains("raw-key"), "{debug}");
        // The key bytes are not shown as numbers either.
        assert!(!debug.contains("73, 116"), "{debug}");
    }
    assert!(format!("{verifier:?}").contains("Secret(***)"));
}

#[test]
fn http_header_map_is_case_insensitive() {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "X-Hub-Signature-256",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
            .parse()
            .unwrap(),
    );
    let v = verifier(Scheme::GitHub, &["It's a Secret to Everybody"], 0);
    assert!(v.verify(&headers, b"Hello, World!").is_ok());
    let shared = Arc::new(v);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let v = Arc::clone(&shared);
            let headers = headers.clone();
            std::thread::spawn(move || v.verify(&headers, b"Hello, World!").is_ok())
        })
        .collect();
    assert!(handles.into_iter().all(|h| h.join().unwrap()));
}
