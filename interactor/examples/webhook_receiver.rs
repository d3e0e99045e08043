//! An axum webhook receiver: verifies the signature over the raw body
//! (Interactor timestamped scheme, two secrets during a rotation), drops
//! redeliveries by idempotency key, then decodes the typed event.
//!
//! ```sh
//! export INTERACTOR_WEBHOOK_SECRET=... [INTERACTOR_WEBHOOK_OLD_SECRET=...]
//! cargo run -p interactor --example webhook_receiver   # listens on 127.0.0.1:3000
//! ```
//!
//! `tests/tests/overlay_examples.rs` sends it signed, tampered and
//! repeated deliveries.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use interactor::api::events::WebhookEvent;
use interactor::webhook::{Deduplicator, Scheme, Verifier};

/// What the handler needs: the verifier and the seen-ids cache.
pub struct Receiver {
    verifier: Verifier,
    seen: Deduplicator,
}

/// A receiver accepting signatures by any of `secrets` (the new one and,
/// during a rotation, the old one).
pub fn receiver(secrets: &[&str]) -> Result<Arc<Receiver>, interactor::webhook::WebhookError> {
    let mut builder = Verifier::builder(Scheme::InteractorV2);
    for secret in secrets {
        builder = builder.secret(*secret);
    }
    Ok(Arc::new(Receiver {
        verifier: builder.build()?,
        // Senders retry for hours; remember ids for a day.
        seen: Deduplicator::new(100_000, Duration::from_secs(24 * 3600)),
    }))
}

/// The router: `POST /webhooks/interactor`.
pub fn router(receiver: Arc<Receiver>) -> Router {
    Router::new()
        .route("/webhooks/interactor", post(handle))
        .with_state(receiver)
}

/// 401 for a bad signature, 200 (and nothing done) for a redelivery, 200
/// after handling a new event, 400 for a body that is not a known event.
async fn handle(
    State(rx): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let verified = match rx.verifier.verify(&headers, &body) {
        Ok(v) => v,
        // The error names the header and the problem; never echo secrets.
        Err(e) => return (StatusCode::UNAUTHORIZED, e.to_string()),
    };
    let event = match WebhookEvent::decode(verified.event_type(), verified.body()) {
        Ok(event) => event,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()),
    };
    // Deliveries are at-least-once: the event's `idempotency_key` (seed
    // 000: "for deduplication"), else its `id`, else the delivery header.
    let id = key_of(verified.body()).or_else(|| verified.id().map(str::to_owned));
    if let Some(id) = &id
        && !rx.seen.first_time(id)
    {
        return (StatusCode::OK, format!("duplicate {id}"));
    }
    println!("event {:?}", event);
    (
        StatusCode::OK,
        format!("handled {}", id.unwrap_or_default()),
    )
}

/// The deduplication key written in a webhook body.
fn key_of(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    ["idempotency_key", "id"]
        .iter()
        .find_map(|k| value.get(k)?.as_str().map(str::to_owned))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("INTERACTOR_WEBHOOK_SECRET")
        .map_err(|_| "set INTERACTOR_WEBHOOK_SECRET to the webhook's signing secret")?;
    let old = std::env::var("INTERACTOR_WEBHOOK_OLD_SECRET").ok();
    let mut secrets = vec![secret.as_str()];
    secrets.extend(old.as_deref());
    let app = router(receiver(&secrets)?);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!(
        "listening on http://{}/webhooks/interactor",
        listener.local_addr()?
    );
    axum::serve(listener, app).await?;
    Ok(())
}
