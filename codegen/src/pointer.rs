//! JSON pointers (RFC 6901) into a spec, the way every message names a place.

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one reference token.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Builds `#/a/b/c` from unescaped tokens.
pub fn join<'a>(tokens: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from("#");
    for t in tokens {
        out.push('/');
        out.push_str(&escape(t));
    }
    out
}

/// `base` (a `#/...` pointer) extended by unescaped tokens.
pub fn append<'a>(base: &str, tokens: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = base.to_owned();
    for t in tokens {
        out.push('/');
        out.push_str(&escape(t));
    }
    out
}

/// Looks up a `#/...` pointer in a document.
pub fn resolve<'v>(doc: &'v serde_json::Value, pointer: &str) -> Option<&'v serde_json::Value> {
    let rest = pointer.strip_prefix('#')?;
    if rest.is_empty() {
        return Some(doc);
    }
    // serde_json's pointer takes the RFC 6901 form, but `$ref`s may also
    // percent-encode characters (`%7B` in GitHub's refs); decode those first.
    doc.pointer(&percent_decode(rest))
}

/// Decodes `%XX` escapes (a `$ref` is a URI fragment), leaving malformed ones as they are.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn append_escapes_only_the_new_tokens() {
        let base = join(["paths", "/a/{id}", "get"]);
        assert_eq!(base, "#/paths/~1a~1{id}/get");
        assert_eq!(append(&base, ["responses", "2XX/x"]), "#/paths/~1a~1{id}/get/responses/2XX~1x");
    }

    #[test]
    fn round_trips_tokens() {
        assert_eq!(join(["paths", "/a/{b}", "get"]), "#/paths/~1a~1{b}/get");
        assert_eq!(unescape(&escape("a~/b")), "a~/b");
    }

    #[test]
    fn resolves_percent_encoded_refs() {
        let doc = serde_json::json!({"paths": {"/a/{b}": {"get": 1}}});
        assert_eq!(resolve(&doc, "#/paths/~1a~1%7Bb%7D/get"), Some(&serde_json::json!(1)));
        assert_eq!(resolve(&doc, "#/paths/missing"), None);
        assert_eq!(resolve(&doc, "#"), Some(&doc));
    }
}
