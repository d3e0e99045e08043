//! Parsing of signature and timestamp header values. Every function is
//! total: bad input is an error value, never a panic.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::WebhookError;
use super::headers::Headers;

/// The length of an HMAC-SHA256 tag.
const TAG_LEN: usize = 32;

/// A header's value as trimmed text.
pub(super) fn required<'h, H: Headers + ?Sized>(
    headers: &'h H,
    name: &'static str,
) -> Result<&'h str, WebhookError> {
    optional(headers, name)?.ok_or(WebhookError::MissingHeader { name })
}

/// A header's value as trimmed text, if present.
pub(super) fn optional<'h, H: Headers + ?Sized>(
    headers: &'h H,
    name: &'static str,
) -> Result<Option<&'h str>, WebhookError> {
    let Some(raw) = headers.header(name) else {
        return Ok(None);
    };
    let text = std::str::from_utf8(raw).map_err(|_| WebhookError::MalformedHeader {
        name,
        reason: "the value is not text",
    })?;
    Ok(Some(text.trim_matches([' ', '\t'])))
}

/// Unix seconds as ASCII digits.
pub(super) fn timestamp(value: &str, name: &'static str) -> Result<u64, WebhookError> {
    let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    match value.parse() {
        Ok(secs) if digits => Ok(secs),
        _ => Err(WebhookError::MalformedHeader {
            name,
            reason: "expected a Unix timestamp in whole seconds",
        }),
    }
}

/// `sha256=<hex>` (the prefix may be left out, as some Interactor examples
/// do) decoded to the tag bytes.
pub(super) fn sha256_hex(value: &str, name: &'static str) -> Result<Vec<u8>, WebhookError> {
    let malformed = |reason| WebhookError::MalformedHeader { name, reason };
    let hex = match value.split_once('=') {
        Some(("sha256", hex)) => hex,
        Some(_) => return Err(malformed("expected `sha256=<hex>`: unknown algorithm")),
        None => value,
    };
    match decode_hex(hex) {
        Some(tag) if tag.len() == TAG_LEN => Ok(tag),
        _ => Err(malformed("expected `sha256=` and 64 hex digits")),
    }
}

/// Standard Webhooks: space-separated `v1,<base64>` entries. Other versions
/// are skipped; a `v1` entry that is not base64 simply cannot match.
pub(super) fn standard_signatures(
    value: &str,
    name: &'static str,
) -> Result<Vec<Vec<u8>>, WebhookError> {
    let mut any_v1 = false;
    let mut tags = Vec::new();
    for entry in value.split_ascii_whitespace() {
        if let Some(("v1", b64)) = entry.split_once(',') {
            any_v1 = true;
            if let Ok(tag) = STANDARD.decode(b64) {
                tags.push(tag);
            }
        }
    }
    if any_v1 {
        Ok(tags)
    } else {
        Err(WebhookError::MalformedHeader {
            name,
            reason: "expected space-separated `v1,<base64>` signatures",
        })
    }
}

/// Stripe-style `t=<unix>,v1=<hex>[,v1=<hex>...]`: the raw timestamp text
/// and the `v1` tags. Other keys (such as `v0`) are skipped.
pub(super) fn stripe_signature<'a>(
    value: &'a str,
    name: &'static str,
) -> Result<(&'a str, Vec<Vec<u8>>), WebhookError> {
    let malformed = |reason| WebhookError::MalformedHeader { name, reason };
    let mut t = None;
    let mut any_v1 = false;
    let mut tags = Vec::new();
    for item in value.split(',') {
        match item.trim().split_once('=') {
            Some(("t", ts)) if t.is_none() => t = Some(ts),
            Some(("v1", hex)) => {
                any_v1 = true;
                if let Some(tag) = decode_hex(hex) {
                    tags.push(tag);
                }
            }
            _ => {}
        }
    }
    let t = t.ok_or(malformed("expected `t=<unix seconds>,v1=<hex>`: no `t=`"))?;
    if !any_v1 {
        return Err(malformed("expected `t=<unix seconds>,v1=<hex>`: no `v1=`"));
    }
    Ok((t, tags))
}

/// A Standard Webhooks secret: `whsec_` (optional) and base64.
pub(super) fn standard_secret(secret: &str) -> Result<Vec<u8>, WebhookError> {
    let b64 = secret.strip_prefix("whsec_").unwrap_or(secret);
    STANDARD
        .decode(b64)
        .map_err(|_| WebhookError::InvalidSecret {
            reason: "a Standard Webhooks secret is `whsec_` followed by base64",
        })
}

/// Hex digits (either case) to bytes.
fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let bytes = hex.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: std::fmt::Debug>(got: Result<T, WebhookError>, expect: &str) {
        let got = match got {
            Ok(v) => format!("{v:?}"),
            Err(e) => format!("error: {e}"),
        };
        assert!(got.contains(expect), "{got:?} does not contain {expect:?}");
    }

    #[test]
    fn timestamps() {
        check(timestamp("1614265330", "h"), "1614265330");
        check(timestamp("", "h"), "error: malformed header `h`");
        check(timestamp("+5", "h"), "error");
        check(timestamp("-5", "h"), "error");
        check(timestamp("1.5", "h"), "error");
        check(timestamp("99999999999999999999999", "h"), "error");
    }

    #[test]
    fn hex_signatures() {
        let hex64 = "AB".repeat(32);
        check(sha256_hex(&format!("sha256={hex64}"), "h"), "[171, 171");
        check(sha256_hex(&hex64, "h"), "[171, 171");
        check(
            sha256_hex(&format!("md5={hex64}"), "h"),
            "unknown algorithm",
        );
        check(sha256_hex("sha256=abc", "h"), "64 hex digits");
        check(
            sha256_hex(&format!("sha256={}", "zz".repeat(32)), "h"),
            "64 hex digits",
        );
        check(sha256_hex("sha256=é", "h"), "64 hex digits");
    }

    #[test]
    fn standard_signature_lists() {
        check(
            standard_signatures("v1,AAAA v2,AAAA v1,!!", "h"),
            "[[0, 0, 0]]",
        );
        check(standard_signatures("v2,AAAA", "h"), "error: malformed");
        check(standard_signatures("", "h"), "error: malformed");
    }

    #[test]
    fn stripe_headers() {
        check(
            stripe_signature("t=5,v1=00ff,v0=11,v1=zz", "h"),
            r#"("5", [[0, 255]])"#,
        );
        check(stripe_signature("v1=00", "h"), "no `t=`");
        check(stripe_signature("t=5", "h"), "no `v1=`");
        check(stripe_signature("t=5,t=6,v1=", "h"), r#"("5", [[]])"#);
    }

    #[test]
    fn secrets() {
        check(standard_secret("whsec_AAAA"), "[0, 0, 0]");
        check(standard_secret("AAAA"), "[0, 0, 0]");
        check(standard_secret("whsec_!"), "error: invalid webhook secret");
    }
}
