//! Loading: bytes in, a JSON value of an OpenAPI 3.0.x or 3.1.x document out.
//!
//! YAML and JSON are both accepted; JSON is tried first when the text starts
//! with `{` because serde_json is an order of magnitude faster on the 13 MB
//! specs of the corpus.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Which OpenAPI line a document belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    /// OpenAPI 3.0.x.
    V30,
    /// OpenAPI 3.1.x.
    V31,
}

/// A loaded, not yet normalized, spec.
#[derive(Debug, Clone)]
pub struct Document {
    /// Where it came from, for messages (a path or URL).
    pub origin: String,
    /// The whole document.
    pub value: Value,
    /// Its OpenAPI line.
    pub version: SpecVersion,
    /// Lower-case hex sha256 of the exact input bytes.
    pub sha256: String,
}

/// Hex sha256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Parses `bytes` as an OpenAPI document.
pub fn load(origin: &str, bytes: &[u8]) -> Result<Document> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Syntax {
        origin: origin.to_owned(),
        message: format!("not UTF-8 text ({e})"),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| Error::Syntax {
            origin: origin.to_owned(),
            message: format!("invalid JSON: {e}"),
        })?
    } else {
        if let Some(line) = too_deep(text) {
            return Err(Error::Syntax {
                origin: origin.to_owned(),
                message: format!("invalid YAML: collections nested more than {MAX_YAML_DEPTH} levels deep at line {line}"),
            });
        }
        let Lenient(v) = serde_norway::from_str(text).map_err(|e| Error::Syntax {
            origin: origin.to_owned(),
            message: format!("invalid YAML: {e}"),
        })?;
        v
    };
    let version = check_version(origin, &value)?;
    Ok(Document { origin: origin.to_owned(), value, version, sha256: sha256_hex(bytes) })
}

/// Deepest YAML nesting accepted. The YAML parser rejects more than 128
/// levels itself, but only after scanning them, which takes quadratic time
/// (100,000 nested `[` took a minute), so deeper input is refused first.
const MAX_YAML_DEPTH: usize = 256;

/// The line at which `text` nests flow collections (`[`, `{`) or compact
/// block sequences (`- - -`) deeper than [`MAX_YAML_DEPTH`], if it does.
/// Quoted scalars and comments are skipped; brackets in plain scalars
/// count, which can only over-estimate (no real spec has 256 unclosed).
fn too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut line) = (0usize, 1usize);
    let mut bytes = text.bytes().peekable();
    let mut prev = b'\n';
    let mut dashes = 0usize;
    while let Some(b) = bytes.next() {
        let token_start = matches!(prev, b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':');
        match b {
            b'\n' => {
                line += 1;
                dashes = 0;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'-' if token_start && matches!(bytes.peek(), Some(b' ')) => dashes += 1,
            b'#' if matches!(prev, b' ' | b'\t' | b'\n') => {
                while bytes.next_if(|c| *c != b'\n').is_some() {}
            }
            b'"' | b'\'' if token_start => {
                while let Some(c) = bytes.next() {
                    match c {
                        b'\n' => line += 1,
                        b'\\' if b == b'"' => {
                            bytes.next();
                        }
                        c if c == b => break,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        if depth + dashes > MAX_YAML_DEPTH {
            return Some(line);
        }
        prev = b;
    }
    None
}

/// A JSON value read from YAML by hand rather than through serde_json's own
/// `Deserialize`: integers beyond i64/u64 (OpenAI's spec has
/// `minimum: -9223372036854776000`) become floats instead of failing, and
/// non-string keys (`200:` in responses) become strings.
struct Lenient(Value);

impl<'de> serde::Deserialize<'de> for Lenient {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(LenientVisitor).map(Lenient)
    }
}

struct LenientVisitor;

impl<'de> serde::de::Visitor<'de> for LenientVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> std::result::Result<Value, E> {
        Ok(i64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> std::result::Result<Value, E> {
        Ok(u64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Lenient(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some((Lenient(k), Lenient(v))) = map.next_entry()? {
            let key = match k {
                Value::String(s) => s,
                // A mapping or list as a key (YAML's `? {a: b}`) has no place
                // in OpenAPI, and its JSON text, escaped again at each level
                // of nesting, doubles per level: 47 nested keys asked for 4 GB.
                Value::Object(_) | Value::Array(_) => {
                    return Err(serde::de::Error::custom("a mapping or list used as a key; OpenAPI keys are strings, numbers or booleans"));
                }
                other => other.to_string(),
            };
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v).map(Value::Number).unwrap_or(Value::Null)
}

fn check_version(origin: &str, value: &Value) -> Result<SpecVersion> {
    let not_openapi = |pointer: &str, message: String| Error::NotOpenApi {
        origin: origin.to_owned(),
        pointer: pointer.to_owned(),
        message,
    };
    let Some(obj) = value.as_object() else {
        return Err(not_openapi("#", "the document is not a mapping; an OpenAPI document starts with `openapi: 3.1.0`".into()));
    };
    if obj.contains_key("swagger") {
        return Err(not_openapi(
            "#/swagger",
            "Swagger 2.0 is not supported; convert it to OpenAPI 3 first (for example with swagger2openapi)".into(),
        ));
    }
    let version = match obj.get("openapi") {
        Some(Value::String(v)) => v.as_str(),
        Some(other) => {
            return Err(not_openapi("#/openapi", format!("expected a version string such as \"3.1.0\", found {other}")));
        }
        None => return Err(not_openapi("#", "no `openapi` field: this is not an OpenAPI document".into())),
    };
    let line = if version.starts_with("3.0.") {
        SpecVersion::V30
    } else if version.starts_with("3.1.") {
        SpecVersion::V31
    } else {
        return Err(not_openapi(
            "#/openapi",
            format!("OpenAPI version {version:?} is not supported; 3.0.x and 3.1.x are"),
        ));
    };
    if !obj.get("info").is_some_and(Value::is_object) {
        return Err(not_openapi("#/info", "missing `info` object (title and version are required)".into()));
    }
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_err(input: &str, expect: &str) {
        let err = load("spec.yaml", input.as_bytes()).unwrap_err().to_string();
        assert!(err.contains(expect), "{err:?} does not contain {expect:?}");
    }

    #[test]
    fn rejects_what_is_not_openapi() {
        check_err("a: [", "not a JSON or YAML document");
        check_err("{\"a\": ", "invalid JSON");
        check_err("swagger: '2.0'\ninfo: {}", "#/swagger: Swagger 2.0 is not supported");
        check_err("openapi: 2.5.0\ninfo: {}", "#/openapi: OpenAPI version \"2.5.0\" is not supported");
        check_err("openapi: 3.1\ninfo: {}", "expected a version string");
        check_err("title: x", "no `openapi` field");
        check_err("- 1", "not a mapping");
        check_err("openapi: 3.0.3", "#/info");
    }

    #[test]
    fn refuses_deep_yaml_quickly() {
        let deep = |open: &str, close: &str| format!("openapi: 3.1.0\ninfo: {{}}\nx: {}{}\n", open.repeat(100_000), close.repeat(100_000));
        check_err(&deep("[", "]"), "nested more than 256 levels deep at line 3");
        check_err(&deep("{a: ", "}"), "at line 3");
        check_err(&format!("openapi: 3.1.0\ninfo: {{}}\nx:\n  {}a\n", "- ".repeat(100_000)), "at line 4");
        // Brackets in quoted scalars and comments do not count.
        let quoted = format!("openapi: 3.1.0\ninfo: {{title: \"{0}\", version: '{0}'}} # {0}\n", "[".repeat(1000));
        assert!(load("spec.yaml", quoted.as_bytes()).is_ok());
        assert_eq!(too_deep("a: \"\\\"[[\"\nb: [[]]\n"), None);
    }

    #[test]
    fn accepts_both_lines_and_hashes_input() {
        let d = load("a.json", b"{\"openapi\": \"3.0.3\", \"info\": {}}").unwrap();
        assert_eq!(d.version, SpecVersion::V30);
        let d = load("a.yaml", b"\xef\xbb\xbfopenapi: 3.1.0\ninfo: {}\n").unwrap();
        assert_eq!(d.version, SpecVersion::V31);
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
