// Path parameters: each value percent-encoded into its place in the path,
// in its OpenAPI `style` and `explode`. Hand-written; `codegen::rust::hooks`
// appends it to every crate's `src/hooks.rs` (the query encoder, appended
// after it where needed, shares its percent-encoding), and
// `codegen/tests/path_styles.rs` tests it as ordinary code against
// `tests/data/path-styles.json`, the table the TypeScript (`runtime/path.ts`)
// and Python (`_base_client.py`) runtimes are tested with: the three write
// the same bytes. The rules are in `encode_path_param`'s doc.

/// How a path parameter is written (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// `blue`, `blue,black`; objects `R,100,G,200` (exploded `R=100,G=200`).
    Simple,
    /// `.blue`, `.blue,black` (exploded `.blue.black`).
    Label,
    /// `;color=blue`, `;color=blue,black` (exploded `;color=blue;color=black`).
    Matrix,
}

/// Percent-encodes one path parameter: every byte but RFC 3986's
/// unreserved characters, so `/`, `\\`, `?`, `#` and `%` can never leave
/// the segment. Values no encoding can keep from changing the path (`""`,
/// `.` and `..`, which URL parsers normalize even when encoded) are
/// refused. Hand-written rather than `progenitor_client::encode_path`, whose
/// set leaves `\\` alone (and `url` reads `\\` as `/`).
#[doc(hidden)]
pub fn encode_path_segment(segment: &str) -> Result<String, String> {
    if matches!(segment, "" | "." | "..") {
        return Err(format!("path parameter {segment:?} would change the request path; it cannot be sent"));
    }
    Ok(encode_component(segment))
}

/// Writes one path parameter in its style: `value` is serialized to JSON
/// first, then written as the TypeScript and Python SDKs write it
/// (RFC 6570's `{x}`, `{.x}` and `{;x}`, which OpenAPI 3.1.1 follows).
///
/// - Names, keys and values are percent-encoded except RFC 3986's
///   unreserved characters (`A-Z a-z 0-9 - . _ ~`); the separators (`,`,
///   `.`, `;`, `=`) are literal, and the same character inside a value is
///   encoded (`a%2Cb`), except `.`, which is unreserved.
/// - simple: `blue`; arrays `blue,black`; objects `R,100,G,200`, exploded
///   `R=100,G=200`.
/// - label: a `.` first; arrays `.blue,black`, exploded `.blue.black`;
///   objects `.R,100,G,200`, exploded `.R=100.G=200`.
/// - matrix: `;color=blue`; arrays `;color=blue,black`, exploded
///   `;color=blue;color=black`; objects `;color=R,100,G,200`, exploded
///   `;R=100;G=200`; `null`, an empty string, array or object `;color`,
///   and an empty item or property exploded `;color` or `;R`.
/// - `null` array items and properties are left out; scalars are their
///   text (booleans `true`/`false`), an object or array where only a scalar
///   fits is its JSON text.
/// - A result that is empty, `.` or `..` is refused: URL parsers would drop
///   or climb it.
///
/// Object properties are sorted by key, as the TypeScript and Python SDKs
/// sort them: a `HashMap` has no order, and `serde_json`'s depends on its
/// features.
#[doc(hidden)]
pub fn encode_path_param<T: ::serde::Serialize + ?Sized>(name: &str, value: &T, style: PathStyle, explode: bool) -> Result<String, String> {
    let value = ::serde_json::to_value(value).map_err(|e| format!("path parameter `{name}` cannot be encoded: {e}"))?;
    let text = styled_path_param(name, &value, style, explode);
    if matches!(text.as_str(), "" | "." | "..") {
        return Err(format!("path parameter `{name}` cannot be {value}: it would not name one path segment"));
    }
    Ok(text)
}

/// One parameter's text in its style, before the refusal of `""`, `.` and
/// `..` (`encode_path_param`).
#[doc(hidden)]
pub fn styled_path_param(name: &str, value: &::serde_json::Value, style: PathStyle, explode: bool) -> String {
    use ::serde_json::Value;
    let name = encode_component(name);
    // The items: a scalar is one, an array its items, an object its
    // (key, value) pairs.
    let (items, pairs): (Vec<String>, Vec<(String, String)>) = match value {
        Value::Null => (Vec::new(), Vec::new()),
        Value::Array(items) => (items.iter().filter(|v| !v.is_null()).map(|v| encode_component(&scalar_text(v))).collect(), Vec::new()),
        Value::Object(map) => {
            let mut pairs: Vec<(&String, &Value)> = map.iter().filter(|(_, v)| !v.is_null()).collect();
            pairs.sort_by_key(|(k, _)| *k);
            (Vec::new(), pairs.into_iter().map(|(k, v)| (encode_component(k), encode_component(&scalar_text(v)))).collect())
        }
        scalar => (vec![encode_component(&scalar_text(scalar))], Vec::new()),
    };
    let is_object = value.is_object();
    // `k,v,k,v`, or `k=v` joined by `join` when exploded.
    let object = |join: &str| {
        if explode {
            pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(join)
        } else {
            pairs.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()]).collect::<Vec<_>>().join(",")
        }
    };
    match style {
        PathStyle::Simple if is_object => object(","),
        PathStyle::Simple => items.join(","),
        PathStyle::Label if is_object => format!(".{}", object(".")),
        PathStyle::Label => format!(".{}", items.join(if explode { "." } else { "," })),
        PathStyle::Matrix => {
            let empty = if is_object { pairs.is_empty() } else { items.iter().all(String::is_empty) };
            if empty {
                format!(";{name}")
            } else if is_object && explode {
                pairs.iter().map(|(k, v)| if v.is_empty() { format!(";{k}") } else { format!(";{k}={v}") }).collect()
            } else if is_object {
                format!(";{name}={}", object(","))
            } else if explode {
                items.iter().map(|v| if v.is_empty() { format!(";{name}") } else { format!(";{name}={v}") }).collect()
            } else {
                format!(";{name}={}", items.join(","))
            }
        }
    }
}

/// A scalar's text: a string as is, others (numbers, booleans, an object
/// where only a scalar fits) their JSON text. Shared with `query.rs`.
fn scalar_text(value: &::serde_json::Value) -> String {
    match value {
        ::serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `text` percent-encoded except RFC 3986's unreserved characters (the
/// query encoder, `query.rs`, uses it too: both sit in `hooks.rs`).
fn encode_component(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}
