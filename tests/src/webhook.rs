//! The sending side of webhooks: signs a delivery the way the Interactor
//! platform does (the timestamped scheme: `X-Interactor-Signature:
//! sha256=<hex>` of HMAC-SHA256 over `"{timestamp}.{body}"`, with
//! `X-Interactor-Timestamp`, `X-Interactor-Event` and
//! `X-Interactor-Delivery`), so receivers can be tested over real HTTP.
//! Written independently of the SDK's verifier, so a shared mistake cannot
//! pass unnoticed.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The headers of a delivery of `body`, event type `event`, delivery id
/// `delivery`, signed with `secret` at unix time `timestamp`.
pub fn signed_headers(
    secret: &str,
    timestamp: u64,
    event: &str,
    delivery: &str,
    body: &[u8],
) -> Vec<(&'static str, String)> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|e| unreachable!("HMAC takes keys of any length: {e}"));
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    vec![
        ("content-type", "application/json".to_string()),
        ("x-interactor-signature", format!("sha256={hex}")),
        ("x-interactor-timestamp", timestamp.to_string()),
        ("x-interactor-event", event.to_string()),
        ("x-interactor-delivery", delivery.to_string()),
    ]
}
