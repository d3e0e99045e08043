//! The Rust crates' path encoder (`templates/rust/path.rs`, in every
//! generated crate's `hooks.rs`), run as ordinary code over the table the
//! TypeScript and Python runtimes are tested with: all three write the same
//! path text for every (style, explode, value), and refuse the same values.

/// The file as it sits in a generated `hooks.rs`.
mod hooks {
    include!("../../templates/rust/path.rs");
}

use hooks::{PathStyle, encode_path_param, encode_path_segment};
use serde_json::Value;

fn style(name: &str) -> PathStyle {
    match name {
        "simple" => PathStyle::Simple,
        "label" => PathStyle::Label,
        "matrix" => PathStyle::Matrix,
        other => panic!("unknown style {other}"),
    }
}

#[test]
fn every_case_of_the_shared_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/path-styles.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("tests/data/path-styles.json")).expect("JSON");
    let cases = doc["cases"].as_array().expect("cases");
    assert!(cases.len() >= 40, "the table has its cases");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let got = encode_path_param(name, &case["value"], style(case["style"].as_str().expect("style")), case["explode"].as_bool().expect("explode"));
        let ok = match (&got, case["expect"].as_str()) {
            (Ok(text), Some(want)) => text == want,
            // A refusal names the parameter.
            (Err(message), None) => case["error"] == true && message.contains(&format!("path parameter `{name}`")),
            _ => false,
        };
        if !ok {
            failures.push(format!("{}: got {got:?}, want {}", case["case"], case.get("expect").unwrap_or(&case["error"])));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The encoder takes what the generated builders hold: typed values, not
/// JSON.
#[test]
fn typed_values_are_written_through_serde() {
    assert_eq!(encode_path_param("ids", &vec![1_i64, 2], PathStyle::Simple, false).as_deref(), Ok("1,2"));
    assert_eq!(encode_path_param("tags", &["a b", "c"], PathStyle::Label, true).as_deref(), Ok(".a%20b.c"));
    let at: std::collections::HashMap<String, Value> = [("y".to_owned(), Value::from(2)), ("x".to_owned(), Value::from(1))].into_iter().collect();
    assert_eq!(encode_path_param("at", &at, PathStyle::Matrix, false).as_deref(), Ok(";at=x,1,y,2"), "keys sorted, whatever the map's order");
    let map: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into_iter().collect();
    let err = encode_path_param("m", &map, PathStyle::Simple, false).expect_err("a map with non-string keys");
    assert!(err.contains("path parameter `m` cannot be encoded"), "{err}");
}

/// The plain segment encoder (a `simple` scalar, what most paths use)
/// agrees with the styled one wherever both apply.
#[test]
fn the_plain_segment_encoder_agrees() {
    for text in ["blue", "a/b?c#d%e f", "v1.2", "é", "~x"] {
        assert_eq!(encode_path_segment(text), encode_path_param("p", text, PathStyle::Simple, false), "{text}");
    }
    for text in ["", ".", ".."] {
        assert!(encode_path_segment(text).is_err() && encode_path_param("p", text, PathStyle::Simple, false).is_err(), "{text:?}");
    }
}
