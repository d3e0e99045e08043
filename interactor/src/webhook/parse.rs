//! Parsing of signature and timestamp header values. Every function is
//! total: bad input is an error value, never a panic.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::HeaderName;

use super::WebhookError;
use super::headers::Headers;

/// The length of an HMAC-SHA256 tag.
pub(super) const TAG_LEN: usize = 32;

/// An HMAC-SHA256 tag, on the stack.
pub(super) type Tag = [u8; TAG_LEN];

/// A header the verifier reads: its lowercase text, which errors name, and
/// the same name parsed once, which lookups use.
pub(super) struct Name {
    pub(super) text: &'static str,
    parsed: HeaderName,
}

impl Name {
    pub(super) const fn new(text: &'static str) -> Name {
        Name {
            text,
            parsed: HeaderName::from_static(text),
        }
    }
}

/// A header's value as trimmed text.
pub(super) fn required<'h, H: Headers + ?Sized>(
    headers: &'h H,
    name: &'static Name,
) -> Result<&'h str, WebhookError> {
    optional(headers, name)?.ok_or(WebhookError::MissingHeader { name: name.text })
}

/// A header's value as trimmed text, if present.
pub(super) fn optional<'h, H: Headers + ?Sized>(
    headers: &'h H,
    name: &'static Name,
) -> Result<Option<&'h str>, WebhookError> {
    let Some(raw) = headers.header_name(&name.parsed) else {
        return Ok(None);
    };
    let text = std::str::from_utf8(raw).map_err(|_| WebhookError::MalformedHeader {
        name: name.text,
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
pub(super) fn sha256_hex(value: &str, name: &'static str) -> Result<Tag, WebhookError> {
    let malformed = |reason| WebhookError::MalformedHeader { name, reason };
    let hex = match value.split_once('=') {
        Some(("sha256", hex)) => hex,
        Some(_) => return Err(malformed("expected `sha256=<hex>`: unknown algorithm")),
        None => value,
    };
    decode_hex(hex).ok_or(malformed("expected `sha256=` and 64 hex digits"))
}

/// Standard Webhooks: space-separated `v1,<base64>` entries. Other versions
/// are skipped; a `v1` entry that is not base64 of 32 bytes cannot match,
/// so it is dropped.
pub(super) fn standard_signatures(
    value: &str,
    name: &'static str,
) -> Result<Vec<Tag>, WebhookError> {
    let mut any_v1 = false;
    let mut tags = Vec::new();
    for entry in value.split_ascii_whitespace() {
        if let Some(("v1", b64)) = entry.split_once(',') {
            any_v1 = true;
            let mut tag = [0; TAG_LEN + 1];
            // One spare byte: a longer signature must fail to decode, not be cut.
            if let Ok(TAG_LEN) = STANDARD.decode_slice(b64, &mut tag) {
                let mut exact = [0; TAG_LEN];
                exact.copy_from_slice(&tag[..TAG_LEN]);
                tags.push(exact);
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
/// and the `v1` tags. Other keys (such as `v0`) are skipped, and so are
/// `v1` values that are not 64 hex digits (they cannot match).
pub(super) fn stripe_signature<'a>(
    value: &'a str,
    name: &'static str,
) -> Result<(&'a str, Vec<Tag>), WebhookError> {
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

/// Hex digit values by byte; `INVALID` for bytes that are not hex digits.
const HEX: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};
const INVALID: u8 = 0x80;

/// 64 hex digits (either case) to a tag. A table lookup per digit and one
/// check at the end, not a branch per digit: this runs on every webhook.
fn decode_hex(hex: &str) -> Option<Tag> {
    let bytes = hex.as_bytes();
    if bytes.len() != 2 * TAG_LEN {
        return None;
    }
    let mut tag = [0; TAG_LEN];
    let mut seen = 0;
    for (out, pair) in tag.iter_mut().zip(bytes.chunks_exact(2)) {
        let (hi, lo) = (HEX[usize::from(pair[0])], HEX[usize::from(pair[1])]);
        seen |= hi | lo;
        *out = hi << 4 | lo;
    }
    (seen & INVALID == 0).then_some(tag)
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
    fn hex_digits_every_byte() {
        // Every byte value in every position of the first pair: accepted
        // exactly when it is a hex digit, decoded to its value.
        for b in 0..=255u8 {
            let mut text = "00".repeat(TAG_LEN).into_bytes();
            text[1] = b;
            let decoded = std::str::from_utf8(&text).ok().and_then(decode_hex);
            match (b as char).to_digit(16) {
                Some(v) => assert_eq!(decoded.map(|t| t[0]), Some(v as u8), "byte {b}"),
                None => assert_eq!(decoded, None, "byte {b}"),
            }
        }
        assert_eq!(decode_hex(&"fF".repeat(TAG_LEN)), Some([255; TAG_LEN]));
    }

    #[test]
    fn standard_signature_lists() {
        let b64 = |n: usize| STANDARD.encode(vec![7u8; n]);
        let tags = standard_signatures(
            &format!(
                "v1,{} v2,{} v1,!! v1,{} v1,{}",
                b64(32),
                b64(32),
                b64(31),
                b64(33)
            ),
            "h",
        )
        .unwrap();
        // Only the one 32-byte v1 entry is a candidate.
        assert_eq!(tags, vec![[7u8; 32]]);
        check(standard_signatures("v2,AAAA", "h"), "error: malformed");
        check(standard_signatures("", "h"), "error: malformed");
        // v1 entries of the wrong length: well-formed, but nothing can match.
        assert_eq!(
            standard_signatures("v1,AAAA", "h").unwrap(),
            Vec::<Tag>::new()
        );
    }

    #[test]
    fn stripe_headers() {
        let hex = "00ff".repeat(16);
        let value = format!("t=5,v1={hex},v0=11,v1=zz,v1=00ff");
        let (t, tags) = stripe_signature(&value, "h").unwrap();
        assert_eq!(t, "5");
        assert_eq!(tags.len(), 1);
        assert_eq!(&tags[0][..2], &[0, 255]);
        check(stripe_signature("v1=00", "h"), "no `t=`");
        check(stripe_signature("t=5", "h"), "no `v1=`");
        check(stripe_signature("t=5,t=6,v1=", "h"), r#"("5", [])"#);
    }

    #[test]
    fn secrets() {
        check(standard_secret("whsec_AAAA"), "[0, 0, 0]");
        check(standard_secret("AAAA"), "[0, 0, 0]");
        check(standard_secret("whsec_!"), "error: invalid webhook secret");
    }
}
