//! The Rust crates' form-body encoder (`templates/rust/form.rs`, appended
//! to a generated crate's `hooks.rs`), run as ordinary code over the table
//! the TypeScript and Python runtimes are tested with: all three write the
//! same fields for every body.

#[path = "../../templates/rust/form.rs"]
mod form;

use form::{form_fields, form_urlencoded_body};
use serde_json::{Value, json};

#[test]
fn every_case_of_the_shared_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/form-bodies.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("tests/data/form-bodies.json")).expect("JSON");
    let cases = doc["cases"].as_array().expect("cases");
    assert!(cases.len() >= 9, "the table has its cases");
    let mut failures = Vec::new();
    for case in cases {
        let want: Vec<(String, String)> = serde_json::from_value(case["fields"].clone()).expect("fields");
        match form_fields(&case["value"]) {
            Ok(got) if got == want => {}
            other => failures.push(format!("{}: got {other:?}, want {want:?}", case["case"])),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bodies_are_encoded_like_html_forms() {
    let body = json!({"amount": 100, "description": "a b&c=d/é*~", "metadata": {"order id": "7"}});
    assert_eq!(form_urlencoded_body(&body).expect("encodes"), "amount=100&description=a+b%26c%3Dd%2F%C3%A9*%7E&metadata%5Border+id%5D=7");
}

#[test]
fn a_body_that_is_no_object_is_refused() {
    let err = form_urlencoded_body(&[1, 2]).expect_err("an array");
    assert!(err.contains("must be an object of fields"), "{err}");
}
