//! The generator never panics on input, whatever the bytes: a deterministic
//! stand-in for the cargo-fuzz targets in `codegen/fuzz/` (which need
//! nightly). The corpus is every fixture spec and workspace spec, plus
//! systematic mutations of them: truncations at many offsets, each key
//! deleted, wrong-typed values at many pointers, deep nesting, `$ref`
//! cycles, huge numbers and odd status codes. Each input goes through
//! `codegen::analyze` (load → refs → normalize → model), small ones also
//! through the Rust back end, under `catch_unwind`; an error must say where
//! (a JSON pointer, or a line for syntax errors).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

#[path = "../fuzz/fuzz_targets/entry.rs"]
mod entry;

/// What one input did.
#[derive(Debug, PartialEq)]
enum Outcome {
    Ok,
    /// An error that says where.
    Located,
}

/// Runs one input; panics (failing the test) with the case's label when
/// the generator panics or returns an error that does not say where.
fn check(label: &str, bytes: &[u8], rust: bool) -> Outcome {
    let result = catch_unwind(AssertUnwindSafe(|| entry::run(bytes, rust)));
    match result {
        Err(panic) => {
            let msg = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned())).unwrap_or_default();
            panic!("{label}: the generator panicked: {msg}");
        }
        Ok(Ok(())) => Outcome::Ok,
        Ok(Err(e)) => {
            assert!(entry::located(&e), "{label}: error without a location: {e}");
            Outcome::Located
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// Every seed spec: the fixtures, then the workspace's APIs.
fn seeds() -> Vec<(String, String)> {
    let root = root();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures")).expect("tests/fixtures").flatten().map(|e| e.path()).collect();
    paths.sort();
    paths.extend(["spec/epsimo/openapi.yaml", "spec/openapi.yaml"].iter().map(|p| root.join(p)));
    paths
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .map(|p| (p.strip_prefix(&root).unwrap_or(&p).display().to_string(), std::fs::read_to_string(&p).expect("seed spec")))
        .collect()
}

/// A seed as a JSON value.
fn value(text: &str) -> Value {
    codegen::load::load("seed", text.as_bytes()).expect("seed loads").value
}

/// Every pointer of a value (objects' members and arrays' items), parents first.
fn pointers(v: &Value) -> Vec<String> {
    fn walk(v: &Value, here: String, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    let p = format!("{here}/{}", codegen::pointer::escape(k));
                    out.push(p.clone());
                    walk(c, p, out);
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate() {
                    let p = format!("{here}/{i}");
                    out.push(p.clone());
                    walk(c, p, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, String::new(), &mut out);
    out
}

/// About `n` of `items`, evenly spread (all when there are fewer).
fn spread<T: Clone>(items: &[T], n: usize) -> Vec<T> {
    let step = items.len().div_ceil(n.max(1)).max(1);
    items.iter().step_by(step).cloned().collect()
}

fn remove(doc: &mut Value, ptr: &str) {
    let (parent, last) = ptr.rsplit_once('/').expect("pointer");
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.shift_remove(&codegen::pointer::unescape(last));
        }
        Some(Value::Array(a)) => {
            if let Ok(i) = last.parse::<usize>() {
                a.remove(i);
            }
        }
        _ => {}
    }
}

/// Values of every JSON type, including numbers no integer type holds.
fn wrong_values() -> Vec<Value> {
    vec![Value::Null, json!(true), json!(-1), json!(1.5e300), json!("x"), json!([]), json!({}), json!([{"$ref": "#"}])]
}

fn bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).expect("serializes")
}

#[test]
fn seeds_generate_unchanged() {
    for (name, text) in seeds() {
        let small = text.len() < 200_000;
        assert_eq!(check(&name, text.as_bytes(), small), Outcome::Ok, "{name} must generate");
    }
}

#[test]
fn truncated_specs() {
    for (name, text) in seeds() {
        let cuts: Vec<usize> = (0..text.len()).filter(|i| text.is_char_boundary(*i)).collect();
        // The large spec costs ~0.2 s a run: fewer cuts.
        for cut in spread(&cuts, if text.len() < 100_000 { 48 } else { 8 }) {
            check(&format!("{name} cut at {cut}"), &text.as_bytes()[..cut], false);
        }
        // A cut inside a multi-byte character: not UTF-8.
        check(&format!("{name} + broken UTF-8"), &[text.as_bytes(), b"\xe2\x82"].concat(), false);
    }
}

#[test]
fn deleted_keys_and_wrong_types() {
    let wrong = wrong_values();
    for (name, text) in seeds().into_iter().filter(|(_, t)| t.len() < 100_000) {
        let doc = value(&text);
        let all = pointers(&doc);
        let small = text.len() < 20_000;
        // Every pointer of the fixtures, a spread of the larger specs.
        let chosen = if small { all.clone() } else { spread(&all, 16) };
        for (i, ptr) in chosen.iter().enumerate() {
            let mut d = doc.clone();
            remove(&mut d, ptr);
            // The Rust back end on some: it is the slow part.
            check(&format!("{name}: {ptr} deleted"), &bytes(&d), small && i % 48 == 0);
            // Three of the wrong values at each pointer, rotating, so every
            // type lands in every area of the spec.
            for k in 0..3 {
                let mut d = doc.clone();
                if let Some(slot) = d.pointer_mut(ptr) {
                    *slot = wrong[(i + k * 3) % wrong.len()].clone();
                }
                check(&format!("{name}: {ptr} replaced"), &bytes(&d), small && (i + k) % 48 == 1);
            }
        }
    }
}

const HEAD: &str = r#""openapi": "3.1.0", "info": {"title": "t", "version": "1.0.0"}"#;

fn spec_with(components: &str, paths: &str) -> Vec<u8> {
    format!(r#"{{{HEAD}, "paths": {{{paths}}}, "components": {{{components}}}}}"#).into_bytes()
}

const GET_A: &str = r##""/a": {"get": {"operationId": "getA", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}"##;

#[test]
fn ref_cycles() {
    let cases = [
        r##""schemas": {"A": {"$ref": "#/components/schemas/A"}}"##,
        r##""schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}"##,
        r##""schemas": {"A": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}, "l": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}}}}"##,
        r##""schemas": {"A": {"allOf": [{"$ref": "#/components/schemas/A"}]}}"##,
        r##""schemas": {"A": {"oneOf": [{"$ref": "#/components/schemas/B"}], "discriminator": {"propertyName": "k"}}, "B": {"allOf": [{"$ref": "#/components/schemas/A"}]}}"##,
        r##""schemas": {"A": {"$ref": "#/components/schemas/A/properties/x"}}"##,
        r##""schemas": {"A": {"properties": {"x": {"$ref": "#/components/schemas/A/properties/x"}}}}"##,
        r##""schemas": {"A": {"$ref": "#"}}"##,
        r##""schemas": {"A": {"$ref": "#/paths"}}"##,
        r##""schemas": {"A": {"$id": "/a", "$ref": "/a"}}"##,
        r##""schemas": {"A": {"$anchor": "x", "items": {"$ref": "#x"}}}"##,
        r##""schemas": {"A": {"type": "string"}}, "parameters": {"P": {"$ref": "#/components/parameters/Q"}, "Q": {"$ref": "#/components/parameters/P"}}"##,
        r##""schemas": {"A": {"type": "string"}}, "responses": {"R": {"$ref": "#/components/responses/R"}}"##,
    ];
    for (i, components) in cases.iter().enumerate() {
        check(&format!("cycle {i}"), &spec_with(components, GET_A), true);
    }
    // A path item and a parameter list that refer to themselves.
    check("path item cycle", &spec_with(r#""schemas": {"A": {}}"#, r##""/a": {"$ref": "#/paths/~1a"}"##), true);
    check("parameter cycle", &spec_with(r#""schemas": {"A": {}}"#, r##""/a": {"get": {"parameters": [{"$ref": "#/paths/~1a/get/parameters/0"}], "responses": {}}}"##), true);
}

#[test]
fn deep_nesting() {
    for depth in [50, 120, 1_000, 100_000] {
        for (open, close) in [(r#"{"items": "#, "}"), (r#"{"allOf": ["#, "]}"), (r#"{"properties": {"p": "#, "}}"), ("[", "]")] {
            let schema = format!("{}{{}}{}", open.repeat(depth), close.repeat(depth));
            let components = format!(r#""schemas": {{"A": {schema}}}"#);
            check(&format!("nesting {open} x {depth}"), &spec_with(&components, GET_A), depth <= 120);
        }
    }
    // YAML flow nesting, and an alias bomb (anchors expanded exponentially).
    check("yaml nesting", format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nx: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)).as_bytes(), false);
    check("yaml block nesting", format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nx:\n  {}a\n", "- ".repeat(100_000)).as_bytes(), false);
    let mut bomb = String::from("openapi: 3.1.0\ninfo: {title: t, version: '1'}\na0: &a0 [x, x]\n");
    for i in 1..40 {
        bomb.push_str(&format!("a{i}: &a{i} [*a{}, *a{}]\n", i - 1, i - 1));
    }
    check("yaml alias bomb", bomb.as_bytes(), false);
    // Mappings as keys, nested: their JSON text as a key, escaped again at
    // each level, doubled per level (found by `cargo fuzz run analyze`:
    // 200 bytes asked for 4 GB). Now an error, with its line.
    let keys = format!("{}a{}", "{".repeat(60), "}".repeat(60));
    let err = entry::run(format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\nx: {keys}\n").as_bytes(), false).expect_err("a mapping as a key");
    assert!(entry::located(&err) && err.to_string().contains("a mapping or list used as a key"), "{err}");
    let err = entry::run(b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\nx: {[a, b]: c}\n", false).expect_err("a list as a key");
    assert!(err.to_string().contains("a mapping or list used as a key"), "{err}");
    // Scalar keys stay what they were: `200:` is the string "200".
    check("numeric key", b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nx: {200: a, true: b}\n", false);
}

#[test]
fn exponential_ref_expansion() {
    // P1 uses P0 twice, P2 uses P1 twice, ...: inlining would copy P0 2^40 times.
    let mut responses = vec![r#""R0": {"description": "d", "headers": {"h": {"schema": {"type": "string"}}}}"#.to_owned()];
    for i in 1..40 {
        responses.push(format!(
            r##""R{i}": {{"description": "d", "links": {{"a": {{"$ref": "#/components/responses/R{p}"}}, "b": {{"$ref": "#/components/responses/R{p}"}}}}}}"##,
            p = i - 1
        ));
    }
    let components = format!(r#""schemas": {{"A": {{}}}}, "responses": {{{}}}"#, responses.join(", "));
    check("ref expansion", &spec_with(&components, GET_A), false);
}

#[test]
fn huge_numbers_and_odd_values() {
    let schemas = [
        r#"{"type": "integer", "minimum": 1e400}"#,
        r#"{"type": "integer", "minimum": 18446744073709551616, "maximum": -18446744073709551617}"#,
        r#"{"type": "string", "maxLength": 1e20, "minLength": -1}"#,
        r#"{"type": "array", "minItems": 18446744073709551615, "maxItems": 0.5}"#,
        r#"{"type": "number", "multipleOf": 0, "exclusiveMinimum": true}"#,
        r#"{"type": "integer", "enum": [1e308, -1e308, 18446744073709551615, 1.5]}"#,
        r#"{"type": "integer", "format": "int8", "default": 99999999999999999999}"#,
        r#"{"type": ["integer", "null", "string", "object", "array", "boolean", "number"]}"#,
        r#"{"type": "bogus"}"#,
        r#"{"type": []}"#,
        r#"{"enum": []}"#,
        r#"{"const": null}"#,
        r#"{"required": ["a", "a"], "properties": {"a": false}}"#,
        r#"{"properties": {"": {}, "\u0000": {}, "🦀": {}, "type": {}, "self": {}, "Self": {}}}"#,
        r#"{"enum": ["", " ", "a", "A", "_", "1", "-1", "🦀"]}"#,
        r##"{"discriminator": {"propertyName": "k", "mapping": {"x": "#/components/schemas/Nope"}}, "oneOf": [{}]}"##,
        r#"true"#,
        r#"false"#,
        r#"null"#,
        r#"[]"#,
    ];
    for (i, schema) in schemas.iter().enumerate() {
        let components = format!(r#""schemas": {{"A": {schema}}}"#);
        check(&format!("schema {i}: {schema}"), &spec_with(&components, GET_A), true);
    }
    let versions = ["99999999999999999999.0.0", "", "v", "1.0.0-rc.1+build", "\n", "0.0.0.0.0"];
    for v in versions {
        let spec = format!(r#"{{"openapi": "3.1.0", "info": {{"title": "", "version": {}}}, "paths": {{{GET_A}}}, "components": {{"schemas": {{"A": {{}}}}}}}}"#, json!(v));
        check(&format!("version {v:?}"), spec.as_bytes(), true);
    }
    for status in ["999", "0", "2XX", "abc", "", "200.5", "-200", "99999999999999999999"] {
        let paths = format!(r#""/a": {{"get": {{"responses": {{{}: {{"description": "d"}}}}}}}}"#, json!(status));
        check(&format!("status {status:?}"), &spec_with(r#""schemas": {}"#, &paths), true);
    }
    for path in ["", "a", "/{", "/}", "/{}", "/{a}/{a}", "/{a", "/a/{b}/{c}", "//", "/%", "/a?b=c#d"] {
        let paths = format!(r#"{}: {{"get": {{"parameters": [{{"name": "b", "in": "path", "required": true, "schema": {{}}}}], "responses": {{"204": {{"description": "d"}}}}}}}}"#, json!(path));
        check(&format!("path {path:?}"), &spec_with(r#""schemas": {}"#, &paths), true);
    }
    // Found by the `analyze` fuzz target: "-0bss" snake-cases to a leading digit.
    for id in ["-0bss", "0", "1a", "_", "__", "🦀", "-", "self", "Self", "crate", "super", "type", "r#type", "a b", "getA", "get_a"] {
        let paths = format!(r#""/a": {{"get": {{"operationId": {}, "tags": [{}], "responses": {{"204": {{"description": "d"}}}}}}}}, "/b": {{"get": {{"operationId": "getA", "responses": {{"204": {{"description": "d"}}}}}}}}"#, json!(id), json!(id));
        check(&format!("operationId {id:?}"), &spec_with(r#""schemas": {}"#, &paths), true);
    }
    for openapi in [json!("3.0"), json!("3"), json!(3.1), json!(null), json!("3.1.99999999999999999999"), json!("3.0.0-rc0")] {
        let spec = format!(r#"{{"openapi": {openapi}, "info": {{"title": "t", "version": "1"}}, "paths": {{}}}}"#);
        check(&format!("openapi {openapi}"), spec.as_bytes(), true);
    }
}
