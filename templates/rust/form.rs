// `application/x-www-form-urlencoded` request bodies with nested values
// (Stripe's `metadata[key]`, `items[0][price]`), which progenitor's
// `form_urlencoded` (serde_urlencoded) refuses. Hand-written;
// `codegen::rust::form` appends it to `src/hooks.rs` of a crate with such
// bodies, and `codegen/tests/query_styles.rs` tests it as ordinary code
// against `tests/data/form-bodies.json`, the table the TypeScript
// (`runtime/form.ts`) and Python (`_forms.py`) runtimes are tested with.
// It names `QueryStyle` and `styled_pairs` of `query.rs`, always emitted
// beside it.

/// `body` as an `application/x-www-form-urlencoded` body: serialized to
/// JSON, then written with the TypeScript and Python SDKs' rules. The
/// fields of `encoding` (the spec's `encoding` styles: Stripe's
/// `expand: {style: deepObject}` → `expand[0]=a`) are written in their
/// style, as a query parameter would be (`styled_pairs`); the others:
///
/// - `null` fields are left out;
/// - booleans are `true` / `false`, numbers and strings their text;
/// - an array repeats its key (`tag=a&tag=b`, OpenAPI's `form` style), an
///   array holding objects is indexed (`items[0][price]=p1`);
/// - a nested object is deepObject style (`card[number]=4242`);
/// - names and values are encoded as HTML forms (and `URLSearchParams`)
///   encode them: a space is `+`, all but `*-._` and ASCII letters and
///   digits percent-encoded.
#[doc(hidden)]
pub fn form_urlencoded_body<T: ::serde::Serialize + ?Sized>(body: &T, encoding: &[(&str, QueryStyle, bool)]) -> Result<String, String> {
    let value = ::serde_json::to_value(body).map_err(|e| format!("the form body cannot be encoded: {e}"))?;
    let fields = form_fields(&value, encoding)?;
    let pairs: Vec<String> = fields.iter().map(|(k, v)| format!("{}={}", form_component(k), form_component(v))).collect();
    Ok(pairs.join("&"))
}

/// The `(name, text)` fields of a form body, in order, not yet encoded.
#[doc(hidden)]
pub fn form_fields(value: &::serde_json::Value, encoding: &[(&str, QueryStyle, bool)]) -> Result<Vec<(String, String)>, String> {
    let ::serde_json::Value::Object(map) = value else {
        return Err(format!("a form body must be an object of fields, not {value}"));
    };
    let mut out = Vec::new();
    for (key, field) in map {
        match encoding.iter().find(|(name, ..)| name == key) {
            Some(&(_, style, explode)) => out.extend(styled_pairs(key, field, style, explode)),
            None => add_form_field(&mut out, key.clone(), field),
        }
    }
    Ok(out)
}

fn add_form_field(out: &mut Vec<(String, String)>, key: String, value: &::serde_json::Value) {
    use ::serde_json::Value;
    match value {
        Value::Null => {}
        Value::Array(items) => {
            let indexed = items.iter().any(Value::is_object);
            for (i, item) in items.iter().enumerate() {
                add_form_field(out, if indexed { format!("{key}[{i}]") } else { key.clone() }, item);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                add_form_field(out, format!("{key}[{k}]"), v);
            }
        }
        Value::String(s) => out.push((key, s.clone())),
        other => out.push((key, other.to_string())),
    }
}

/// WHATWG's `application/x-www-form-urlencoded` byte serializer.
fn form_component(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_') {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}
