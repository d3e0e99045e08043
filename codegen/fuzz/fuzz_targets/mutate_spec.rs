//! Structure-aware: a valid spec (the `edge-cases` fixture) mutated as the
//! input bytes say, three bytes per edit: which edit (delete the value,
//! replace it with a value of another type, or copy another part of the
//! spec over it) and at which of the spec's pointers. The result goes
//! through `analyze` and the Rust back end; nothing may panic.
#![no_main]

mod entry;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

fn seed() -> &'static (Value, Vec<String>) {
    static SEED: OnceLock<(Value, Vec<String>)> = OnceLock::new();
    SEED.get_or_init(|| {
        let text = include_str!("../../../tests/fixtures/edge-cases.yaml");
        let doc = codegen::load::load("seed", text.as_bytes()).expect("seed loads").value;
        let mut pointers = Vec::new();
        collect(&doc, String::new(), &mut pointers);
        (doc, pointers)
    })
}

fn collect(v: &Value, here: String, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match v {
        Value::Object(m) => m.iter().map(|(k, c)| (codegen::pointer::escape(k), c)).collect(),
        Value::Array(a) => a.iter().enumerate().map(|(i, c)| (i.to_string(), c)).collect(),
        _ => return,
    };
    for (k, c) in children {
        let p = format!("{here}/{k}");
        out.push(p.clone());
        collect(c, p, out);
    }
}

fn wrong(n: u8) -> Value {
    match n % 9 {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!(1.5e300),
        4 => json!("x"),
        5 => json!([]),
        6 => json!({}),
        7 => json!({"$ref": "#"}),
        _ => json!({"$ref": "#/components/schemas/Nope"}),
    }
}

fuzz_target!(|data: &[u8]| {
    let (seed, pointers) = seed();
    let mut doc = seed.clone();
    for edit in data.chunks_exact(3) {
        let at = &pointers[usize::from(u16::from_le_bytes([edit[1], edit[2]])) % pointers.len()];
        let value = match edit[0] % 3 {
            0 => None,
            1 => Some(wrong(edit[0] / 3)),
            _ => seed.pointer(&pointers[usize::from(edit[0]) * 7 % pointers.len()]).cloned(),
        };
        match value {
            Some(v) => {
                if let Some(slot) = doc.pointer_mut(at) {
                    *slot = v;
                }
            }
            None => {
                let (parent, last) = at.rsplit_once('/').unwrap_or(("", ""));
                match doc.pointer_mut(parent) {
                    Some(Value::Object(m)) => {
                        m.shift_remove(&codegen::pointer::unescape(last));
                    }
                    Some(Value::Array(a)) => {
                        if let Ok(i) = last.parse::<usize>() && i < a.len() {
                            a.remove(i);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let bytes = serde_json::to_vec(&doc).expect("serializes");
    if let Err(e) = entry::run(&bytes, true) {
        assert!(entry::located(&e), "error without a location: {e}");
    }
});
