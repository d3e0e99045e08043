// Query parameters in their OpenAPI `style` and `explode`, for the ones
// progenitor cannot write (it knows `form`, exploded, only). Hand-written;
// `codegen::rust::query` appends it to `src/hooks.rs` of a crate that has
// such parameters (after `path.rs`, whose percent-encoding it uses), and `codegen/tests/query_styles.rs` tests it as ordinary
// code against `tests/data/query-styles.json`, the table the TypeScript
// (`runtime/query.ts`) and Python (`_query.py`) runtimes are tested with:
// the three write the same bytes. The rules are in `append_query`'s doc.

/// How a query parameter is written (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `name=a&name=b` exploded, `name=a,b` not.
    Form,
    /// `name=a%20b`.
    SpaceDelimited,
    /// `name=a|b`.
    PipeDelimited,
    /// `name[prop]=v`.
    DeepObject,
}

/// Appends one query parameter to `url` in its style: `value` is
/// serialized to JSON first, then written as the TypeScript and Python
/// SDKs write it.
///
/// - Names, keys and values are percent-encoded except RFC 3986's
///   unreserved characters (`A-Z a-z 0-9 - . _ ~`); a space is `%20`.
/// - Separators are literal: `&`, `=`, `,` (form), `|` (pipeDelimited), the
///   brackets of deepObject keys; spaceDelimited's is `%20`. The same
///   character inside a value is encoded (`a%2Cb`).
/// - `null` (the parameter, an array item, a property) sends nothing;
///   empty arrays and objects send nothing.
/// - form, explode: arrays repeat the name, objects spread `prop=value`;
///   form: `name=a,b` and `name=k1,v1,k2,v2`; spaceDelimited and
///   pipeDelimited the same with their separator (exploded, they are form).
/// - deepObject: `name[prop]=v`, nested `name[a][b]=v`, arrays indexed
///   `name[0]=v` (what Stripe's own SDKs send), a scalar `name=v`.
/// - Scalars: booleans `true`/`false`, numbers and strings their text; an
///   object or array where only a scalar fits is its JSON text.
///
/// Object properties come in `serde_json`'s order (sorted by key).
#[doc(hidden)]
pub fn append_query<T: ::serde::Serialize + ?Sized>(mut url: String, name: &str, value: &T, style: QueryStyle, explode: bool) -> Result<String, String> {
    let value = ::serde_json::to_value(value).map_err(|e| format!("query parameter `{name}` cannot be encoded: {e}"))?;
    for pair in encode_query_param(name, &value, style, explode) {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&pair);
    }
    Ok(url)
}

/// The `name=value` pairs (already encoded) of one parameter.
#[doc(hidden)]
pub fn encode_query_param(name: &str, value: &::serde_json::Value, style: QueryStyle, explode: bool) -> Vec<String> {
    pairs(name, value, style, explode, &encode_query_component, "%20").into_iter().map(|(k, v)| format!("{k}={v}")).collect()
}

/// The `(name, value)` pairs of one field in its style, not yet encoded: a
/// url-encoded body's field with an `encoding` (`form_urlencoded_body`).
/// Delimited styles join with a plain `,`, space or `|`; deepObject keys are
/// `name[prop]`, arrays indexed.
#[doc(hidden)]
pub fn styled_pairs(name: &str, value: &::serde_json::Value, style: QueryStyle, explode: bool) -> Vec<(String, String)> {
    pairs(name, value, style, explode, &|text: &str| text.to_owned(), " ")
}

/// The pairs of one value in its style, names, keys and values passed
/// through `enc` and joined by literal separators (`space` is
/// spaceDelimited's): the query encodes each part and keeps the separators
/// and brackets as they are, a form body encodes the whole pair later.
fn pairs(name: &str, value: &::serde_json::Value, style: QueryStyle, explode: bool, enc: &dyn Fn(&str) -> String, space: &str) -> Vec<(String, String)> {
    use ::serde_json::Value;
    let key = enc(name);
    let separator = match style {
        QueryStyle::Form => ",",
        QueryStyle::SpaceDelimited => space,
        QueryStyle::PipeDelimited => "|",
        QueryStyle::DeepObject => {
            let mut out = Vec::new();
            deep(&mut out, key, value, enc);
            return out;
        }
    };
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().filter(|v| !v.is_null()).map(|v| enc(&scalar_text(v))).collect();
            if explode || items.is_empty() {
                items.into_iter().map(|v| (key.clone(), v)).collect()
            } else {
                vec![(key, items.join(separator))]
            }
        }
        Value::Object(map) => {
            let pairs: Vec<(String, String)> = map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (enc(k), enc(&scalar_text(v)))).collect();
            if explode || pairs.is_empty() {
                pairs
            } else {
                let flat: Vec<&str> = pairs.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()]).collect();
                vec![(key, flat.join(separator))]
            }
        }
        scalar => vec![(key, enc(&scalar_text(scalar)))],
    }
}

/// deepObject: `key[prop]`, nested `key[a][b]`, arrays indexed.
fn deep(out: &mut Vec<(String, String)>, key: String, value: &::serde_json::Value, enc: &dyn Fn(&str) -> String) {
    use ::serde_json::Value;
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                deep(out, format!("{key}[{i}]"), v, enc);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                deep(out, format!("{key}[{}]", enc(k)), v, enc);
            }
        }
        scalar => out.push((key, enc(&scalar_text(scalar)))),
    }
}

/// `text` percent-encoded except RFC 3986's unreserved characters
/// (`encode_component` of `path.rs`, which is always in `hooks.rs`).
#[doc(hidden)]
pub fn encode_query_component(text: &str) -> String {
    encode_component(text)
}
