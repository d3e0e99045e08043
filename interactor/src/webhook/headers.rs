//! Read-only access to request headers, whatever HTTP stack they come from.

use http::HeaderName;

/// Request headers looked up by name, ASCII case-insensitively.
///
/// Implemented for [`http::HeaderMap`] and for lists of `(name, value)`
/// pairs (slices, arrays and vectors), so frameworks without `http` types
/// can pass what they have.
pub trait Headers {
    /// The value of the first header called `name` (given in lowercase).
    fn header(&self, name: &str) -> Option<&[u8]>;

    /// The same lookup by an already parsed name. The verifier calls this
    /// one; the default forwards to [`header`](Self::header), and
    /// [`http::HeaderMap`] uses the parsed name directly instead of parsing
    /// the text again on every lookup.
    fn header_name(&self, name: &HeaderName) -> Option<&[u8]> {
        self.header(name.as_str())
    }
}

impl Headers for http::HeaderMap {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.get(name).map(http::HeaderValue::as_bytes)
    }

    fn header_name(&self, name: &HeaderName) -> Option<&[u8]> {
        self.get(name).map(http::HeaderValue::as_bytes)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for [(K, V)] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.iter()
            .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, const N: usize> Headers for [(K, V); N] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header(name)
    }
}

impl<H: Headers + ?Sized> Headers for &H {
    fn header(&self, name: &str) -> Option<&[u8]> {
        (**self).header(name)
    }

    fn header_name(&self, name: &HeaderName) -> Option<&[u8]> {
        (**self).header_name(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsed_and_text_lookups_agree() {
        let name = HeaderName::from_static("x-interactor-signature");
        let mut map = http::HeaderMap::new();
        map.insert("X-Interactor-Signature", "sha256=00".parse().unwrap());
        let pairs = [("X-INTERACTOR-SIGNATURE", "sha256=00")];
        for h in [&map as &dyn Headers, &pairs as &dyn Headers] {
            assert_eq!(h.header_name(&name), Some(&b"sha256=00"[..]));
            assert_eq!(h.header("x-interactor-signature"), Some(&b"sha256=00"[..]));
            assert_eq!(h.header_name(&HeaderName::from_static("x-other")), None);
        }
        assert_eq!((&&map).header_name(&name), Some(&b"sha256=00"[..]));
    }
}
