//! The Rust crates' query and form-body encoders (`templates/rust/query.rs`
//! and `form.rs`, appended to a generated crate's `hooks.rs`), run as
//! ordinary code over the tables the TypeScript and Python runtimes are
//! tested with: all three write the same query string for every (style,
//! explode, value), and the same fields for every url-encoded body.

/// The files as they sit together in a generated `hooks.rs`. path.rs is
/// here for the percent-encoding query.rs builds on; its own functions are
/// tested in `path_styles.rs` and unused here.
#[allow(dead_code)]
mod hooks {
    include!("../../templates/rust/path.rs");
    include!("../../templates/rust/query.rs");
    include!("../../templates/rust/form.rs");
}

use hooks::{QueryStyle, append_query, encode_query_param, form_fields, form_urlencoded_body};
use serde_json::{Value, json};

fn table() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/query-styles.json");
    let text = std::fs::read_to_string(path).expect("tests/data/query-styles.json");
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    doc["cases"].as_array().expect("cases").clone()
}

fn style(name: &str) -> QueryStyle {
    match name {
        "form" => QueryStyle::Form,
        "spaceDelimited" => QueryStyle::SpaceDelimited,
        "pipeDelimited" => QueryStyle::PipeDelimited,
        "deepObject" => QueryStyle::DeepObject,
        other => panic!("unknown style {other}"),
    }
}

#[test]
fn every_case_of_the_shared_table() {
    let cases = table();
    assert!(cases.len() >= 30, "the table has its cases");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().expect("name");
        let got = encode_query_param(name, &case["value"], style(case["style"].as_str().expect("style")), case["explode"].as_bool().expect("explode")).join("&");
        if got != case["expect"].as_str().expect("expect") {
            failures.push(format!("{}: got {got:?}, want {:?}", case["case"], case["expect"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn appends_to_a_url_with_or_without_a_query() {
    let url = append_query("http://h/v1/charges".to_owned(), "expand", &["a", "b"], QueryStyle::DeepObject, true).expect("encodes");
    assert_eq!(url, "http://h/v1/charges?expand[0]=a&expand[1]=b");
    let url = append_query(url, "created", &Some(serde_json::json!({"gt": 1})), QueryStyle::DeepObject, true).expect("encodes");
    assert_eq!(url, "http://h/v1/charges?expand[0]=a&expand[1]=b&created[gt]=1");
    let none: Option<Vec<String>> = None;
    assert_eq!(append_query(url.clone(), "x", &none, QueryStyle::PipeDelimited, false).expect("encodes"), url, "an absent parameter sends nothing");
}

#[test]
fn a_value_json_cannot_hold_is_refused() {
    let map: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into_iter().collect();
    let err = append_query("http://h/".to_owned(), "m", &map, QueryStyle::DeepObject, true).expect_err("a map with non-string keys");
    assert!(err.contains("query parameter `m` cannot be encoded"), "{err}");
}

/// (location, name, spec's style/explode) → the model's style and explode,
/// and whether a degraded note names the parameter.
#[test]
fn styles_survive_into_the_model() {
    use codegen::model::Style;
    use codegen::{Report, Severity};
    let cases: &[(&str, &str, &str, Style, bool, bool)] = &[
        ("query", "plain", "", Style::Form, true, false),
        ("query", "csv", "explode: false", Style::Form, false, false),
        ("query", "deep", "style: deepObject, explode: true", Style::DeepObject, true, false),
        ("query", "pipes", "style: pipeDelimited", Style::PipeDelimited, false, false),
        ("query", "spaces", "style: spaceDelimited, explode: false", Style::SpaceDelimited, false, false),
        ("query", "matrixq", "style: matrix", Style::Form, true, true),
        ("header", "X-Deep", "style: deepObject", Style::Simple, false, true),
        ("header", "X-Plain", "style: simple", Style::Simple, false, false),
        ("path", "lab", "style: label", Style::Label, false, false),
        ("path", "mat", "style: matrix, explode: true", Style::Matrix, true, false),
        ("path", "frm", "style: form", Style::Simple, false, true),
    ];
    let params: String = cases
        .iter()
        .map(|(loc, name, extra, ..)| {
            let extra = if extra.is_empty() { String::new() } else { format!(", {extra}") };
            format!("        - {{name: {name}, in: {loc}, required: true, schema: {{type: array, items: {{type: string}}}}{extra}}}\n")
        })
        .collect();
    let spec = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a/{{lab}}/{{mat}}/{{frm}}:\n    get:\n      operationId: a\n      parameters:\n{params}      responses: {{'200': {{description: ok}}}}\n");
    let mut report = Report::default();
    let (_, normalized, api) = codegen::analyze("spec.yaml", spec.as_bytes(), &mut report).unwrap_or_else(|e| panic!("{e}\n{spec}"));
    let degraded: Vec<String> = report.of(Severity::Degraded).map(|n| n.to_string()).collect();
    let op = &api.operations[0];
    for (_, name, _, style, explode, noted) in cases {
        let p = op.parameters.iter().find(|p| p.name == *name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!((p.style, p.explode), (*style, *explode), "{name}");
        assert_eq!(degraded.iter().any(|n| n.contains(&format!("parameter {name:?} uses style"))), *noted, "{name}: {degraded:?}");
    }
    // progenitor's copy: every query and path parameter in its one style.
    let engine = normalized.engine_value.pointer("/paths/~1a~1{lab}~1{mat}~1{frm}/get/parameters").and_then(Value::as_array).expect("engine parameters");
    for p in engine.iter().filter(|p| p["in"] == "query" || p["in"] == "path") {
        assert!(p.get("style").is_none() && p.get("explode").is_none(), "{p}");
    }
}

#[test]
fn every_form_body_of_the_shared_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/form-bodies.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("tests/data/form-bodies.json")).expect("JSON");
    let cases = doc["cases"].as_array().expect("cases");
    assert!(cases.len() >= 16, "the table has its cases");
    let mut failures = Vec::new();
    for case in cases {
        let want: Vec<(String, String)> = serde_json::from_value(case["fields"].clone()).expect("fields");
        let encoding: Vec<(&str, QueryStyle, bool)> = case["encoding"]
            .as_object()
            .expect("encoding")
            .iter()
            .map(|(name, e)| (name.as_str(), style(e["style"].as_str().expect("style")), e["explode"].as_bool().expect("explode")))
            .collect();
        match form_fields(&case["value"], &encoding) {
            Ok(got) if got == want => {}
            other => failures.push(format!("{}: got {other:?}, want {want:?}", case["case"])),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bodies_are_encoded_like_html_forms() {
    let body = json!({"amount": 100, "description": "a b&c=d/é*~", "metadata": {"order id": "7"}});
    assert_eq!(form_urlencoded_body(&body, &[]).expect("encodes"), "amount=100&description=a+b%26c%3Dd%2F%C3%A9*%7E&metadata%5Border+id%5D=7");
    let styled = form_urlencoded_body(&json!({"expand": ["a b"]}), &[("expand", QueryStyle::DeepObject, true)]).expect("encodes");
    assert_eq!(styled, "expand%5B0%5D=a+b");
}

#[test]
fn a_body_that_is_no_object_is_refused() {
    let err = form_urlencoded_body(&[1, 2], &[]).expect_err("an array");
    assert!(err.contains("must be an object of fields"), "{err}");
}
