//! Webhook signature verification, and at-most-once processing.
//!
//! A [`Verifier`] checks that a request was signed by someone holding one of
//! its secrets, under one [`Scheme`]:
//!
//! | scheme | headers | signed content | key |
//! | --- | --- | --- | --- |
//! | [`InteractorV1`](Scheme::InteractorV1) | `X-Interactor-Signature: sha256=<hex>` | body | secret text |
//! | [`InteractorV2`](Scheme::InteractorV2) | the same and `X-Interactor-Timestamp: <unix>` | `{timestamp}.{body}` | secret text |
//! | [`StandardWebhooks`](Scheme::StandardWebhooks) | `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64> ...` | `{id}.{timestamp}.{body}` | base64 after `whsec_` |
//! | [`GitHub`](Scheme::GitHub) | `X-Hub-Signature-256: sha256=<hex>` | body | secret text |
//! | [`Stripe`](Scheme::Stripe) | `Stripe-Signature: t=<unix>,v1=<hex>,...` | `{t}.{body}` | secret text |
//!
//! All tags are HMAC-SHA256. Timestamps must lie within the tolerance
//! (default five minutes) of the verifier's clock, in the past or the future.
//! Verify the raw body bytes, before any JSON parsing.
//!
//! ```
//! use interactor::webhook::{Scheme, Verifier};
//!
//! let verifier = Verifier::builder(Scheme::GitHub)
//!     .secret("It's a Secret to Everybody")
//!     .build()?;
//! let headers = [(
//!     "X-Hub-Signature-256",
//!     "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
//! )];
//! let verified = verifier.verify(&headers, b"Hello, World!")?;
//! assert_eq!(verified.body(), b"Hello, World!");
//! # Ok::<(), interactor::webhook::WebhookError>(())
//! ```
//!
//! After verifying, a [`Deduplicator`] keyed by [`Verified::id`] makes
//! redelivered events (senders retry) run once.
//!
//! **Architecture Invariant**: `verify` never panics, whatever the headers
//! and body, and compares tags in constant time.

mod dedup;
mod error;
mod headers;
mod parse;
mod secret;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;

use crate::clock::{Clock, SystemClock, unix_secs};
use parse::{Name, Tag};

pub use dedup::Deduplicator;
pub use error::WebhookError;
pub use headers::Headers;
pub use secret::Secret;

type HmacSha256 = Hmac<Sha256>;

/// The default timestamp tolerance: five minutes either way.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

static INTERACTOR_SIGNATURE: Name = Name::new("x-interactor-signature");
static INTERACTOR_TIMESTAMP: Name = Name::new("x-interactor-timestamp");
static INTERACTOR_DELIVERY: Name = Name::new("x-interactor-delivery");
static INTERACTOR_EVENT: Name = Name::new("x-interactor-event");
static GITHUB_SIGNATURE: Name = Name::new("x-hub-signature-256");
static GITHUB_DELIVERY: Name = Name::new("x-github-delivery");
static GITHUB_EVENT: Name = Name::new("x-github-event");
static STRIPE_SIGNATURE: Name = Name::new("stripe-signature");
/// Standard Webhooks headers, then the `svix-` names Svix also sends.
static STANDARD_ID: [Name; 2] = [Name::new("webhook-id"), Name::new("svix-id")];
static STANDARD_TIMESTAMP: [Name; 2] =
    [Name::new("webhook-timestamp"), Name::new("svix-timestamp")];
static STANDARD_SIGNATURE: [Name; 2] =
    [Name::new("webhook-signature"), Name::new("svix-signature")];

/// How a webhook request is signed. See the [module](self) table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// Interactor, untimestamped: `X-Interactor-Signature: sha256=<hex>`
    /// over the body. Offers no replay protection: prefer
    /// [`InteractorV2`](Scheme::InteractorV2) where the sender supports it.
    InteractorV1,
    /// Interactor, timestamped: `X-Interactor-Signature: sha256=<hex>` over
    /// `{X-Interactor-Timestamp}.{body}`.
    InteractorV2,
    /// [Standard Webhooks](https://www.standardwebhooks.com/) (and Svix).
    StandardWebhooks,
    /// GitHub's `X-Hub-Signature-256`.
    GitHub,
    /// Stripe's `Stripe-Signature`.
    Stripe,
}

/// Configures a [`Verifier`]. Setters never fail; [`build`](Self::build)
/// checks the secrets.
#[must_use]
pub struct VerifierBuilder {
    scheme: Scheme,
    secrets: Vec<PendingSecret>,
    tolerance: Duration,
    clock: Arc<dyn Clock>,
}

enum PendingSecret {
    Text(String),
    Raw(Secret),
}

impl VerifierBuilder {
    /// Adds a secret as the sender shows it. For Standard Webhooks that is
    /// `whsec_<base64>` and the key is the decoded base64; for the other
    /// schemes the key is the text itself. Add the old and the new secret
    /// during a rotation: a signature made with either is accepted.
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.secrets.push(PendingSecret::Text(secret.into()));
        self
    }

    /// Adds a key given as raw bytes, used as is by every scheme.
    pub fn secret_bytes(mut self, key: impl Into<Vec<u8>>) -> Self {
        self.secrets.push(PendingSecret::Raw(Secret::new(key)));
        self
    }

    /// How far a signed timestamp may be from the clock, either way.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Reads "now" from `clock` instead of the system clock.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The verifier, or [`WebhookError::NoSecret`] /
    /// [`WebhookError::InvalidSecret`].
    pub fn build(self) -> Result<Verifier, WebhookError> {
        if self.secrets.is_empty() {
            return Err(WebhookError::NoSecret);
        }
        let secrets = self
            .secrets
            .into_iter()
            .map(|pending| {
                let secret = match pending {
                    PendingSecret::Raw(secret) => secret,
                    PendingSecret::Text(text) if self.scheme == Scheme::StandardWebhooks => {
                        Secret::new(parse::standard_secret(&text)?)
                    }
                    PendingSecret::Text(text) => Secret::new(text),
                };
                if secret.expose().is_empty() {
                    return Err(WebhookError::InvalidSecret {
                        reason: "the secret is empty",
                    });
                }
                Ok(secret)
            })
            .collect::<Result<Vec<Secret>, _>>()?;
        // The keyed state (the key hashed into the inner and outer pads) is
        // computed once here, not per request: each verification clones it.
        let keyed = secrets
            .iter()
            .map(|s| HmacSha256::new_from_slice(s.expose()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| WebhookError::InvalidSecret {
                reason: "the secret is not a valid HMAC key",
            })?;
        Ok(Verifier {
            inner: Arc::new(Inner {
                scheme: self.scheme,
                keyed: Keyed(keyed),
                tolerance: self.tolerance,
                clock: self.clock,
            }),
        })
    }
}

impl fmt::Debug for VerifierBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifierBuilder")
            .field("scheme", &self.scheme)
            .field(
                "secrets",
                &format_args!("[{} redacted]", self.secrets.len()),
            )
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

/// Verifies webhook signatures under one scheme with one or more secrets.
/// Cheap to clone: clones share the configuration.
#[derive(Debug, Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    scheme: Scheme,
    /// One keyed HMAC state per secret, in the order given.
    keyed: Keyed,
    tolerance: Duration,
    clock: Arc<dyn Clock>,
}

/// Keyed HMAC states: secret material, so `Debug` shows only how many.
struct Keyed(Vec<HmacSha256>);

impl fmt::Debug for Keyed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|_| format_args!("Secret(***)")))
            .finish()
    }
}

/// What has been checked for the signature: the signed content's parts,
/// the candidate tags and the header they came from.
struct Signed<'a> {
    parts: [&'a [u8]; 5],
    tags: Tags,
    header: &'static str,
    timestamp: Option<u64>,
    id: Option<&'a str>,
    event_type: Option<&'a str>,
}

/// The candidate tags a request carries: one, inline, for the schemes with
/// a single signature; a list for those that allow several.
enum Tags {
    One(Tag),
    Many(Vec<Tag>),
}

impl Verifier {
    /// Starts configuring a verifier for `scheme`, with the default
    /// tolerance and the system clock.
    pub fn builder(scheme: Scheme) -> VerifierBuilder {
        VerifierBuilder {
            scheme,
            secrets: Vec::new(),
            tolerance: DEFAULT_TOLERANCE,
            clock: Arc::new(SystemClock),
        }
    }

    /// The scheme this verifier checks.
    pub fn scheme(&self) -> Scheme {
        self.inner.scheme
    }

    /// Checks `body` against the signature in `headers`.
    ///
    /// The timestamp (if the scheme has one) is checked before any HMAC is
    /// computed, so stale or replayed requests are rejected cheaply.
    ///
    /// The result borrows the body and the id and event type headers;
    /// nothing is copied.
    pub fn verify<'b, H: Headers + ?Sized>(
        &self,
        headers: &'b H,
        body: &'b [u8],
    ) -> Result<Verified<'b>, WebhookError> {
        let signed = self.signed(headers, body)?;
        let secret_index = self.match_tag(&signed)?;
        Ok(Verified {
            body,
            scheme: self.inner.scheme,
            id: signed.id,
            event_type: signed.event_type,
            timestamp: signed.timestamp,
            secret_index,
        })
    }

    fn signed<'a, H: Headers + ?Sized>(
        &self,
        headers: &'a H,
        body: &'a [u8],
    ) -> Result<Signed<'a>, WebhookError> {
        let none: &[u8] = &[];
        Ok(match self.inner.scheme {
            Scheme::InteractorV1 | Scheme::GitHub => {
                let (header, id, event) = if self.inner.scheme == Scheme::GitHub {
                    (&GITHUB_SIGNATURE, &GITHUB_DELIVERY, &GITHUB_EVENT)
                } else {
                    (
                        &INTERACTOR_SIGNATURE,
                        &INTERACTOR_DELIVERY,
                        &INTERACTOR_EVENT,
                    )
                };
                let tag = parse::sha256_hex(parse::required(headers, header)?, header.text)?;
                Signed {
                    parts: [body, none, none, none, none],
                    tags: Tags::One(tag),
                    header: header.text,
                    timestamp: None,
                    id: parse::optional(headers, id)?,
                    event_type: parse::optional(headers, event)?,
                }
            }
            Scheme::InteractorV2 => {
                let raw_ts = parse::required(headers, &INTERACTOR_TIMESTAMP)?;
                let ts = self.check_time(raw_ts, INTERACTOR_TIMESTAMP.text)?;
                let header = &INTERACTOR_SIGNATURE;
                let tag = parse::sha256_hex(parse::required(headers, header)?, header.text)?;
                Signed {
                    parts: [raw_ts.as_bytes(), b".", body, none, none],
                    tags: Tags::One(tag),
                    header: header.text,
                    timestamp: Some(ts),
                    id: parse::optional(headers, &INTERACTOR_DELIVERY)?,
                    event_type: parse::optional(headers, &INTERACTOR_EVENT)?,
                }
            }
            Scheme::StandardWebhooks => {
                let (id, _) = first_of(headers, &STANDARD_ID)?;
                let (raw_ts, ts_header) = first_of(headers, &STANDARD_TIMESTAMP)?;
                let ts = self.check_time(raw_ts, ts_header)?;
                let (value, header) = first_of(headers, &STANDARD_SIGNATURE)?;
                Signed {
                    parts: [id.as_bytes(), b".", raw_ts.as_bytes(), b".", body],
                    tags: Tags::Many(parse::standard_signatures(value, header)?),
                    header,
                    timestamp: Some(ts),
                    id: Some(id),
                    event_type: None,
                }
            }
            Scheme::Stripe => {
                let header = STRIPE_SIGNATURE.text;
                let (raw_ts, tags) =
                    parse::stripe_signature(parse::required(headers, &STRIPE_SIGNATURE)?, header)?;
                let ts = self.check_time(raw_ts, header)?;
                Signed {
                    parts: [raw_ts.as_bytes(), b".", body, none, none],
                    tags: Tags::Many(tags),
                    header,
                    timestamp: Some(ts),
                    id: None,
                    event_type: None,
                }
            }
        })
    }

    /// Parses a timestamp and checks it against the clock.
    fn check_time(&self, raw: &str, name: &'static str) -> Result<u64, WebhookError> {
        let timestamp = parse::timestamp(raw, name)?;
        let now = unix_secs(self.inner.clock.now());
        let tolerance = self.inner.tolerance;
        if now.abs_diff(timestamp) > tolerance.as_secs() {
            return Err(WebhookError::TimestampOutOfTolerance {
                name,
                timestamp,
                now,
                tolerance,
            });
        }
        Ok(timestamp)
    }

    /// The index of the first secret whose tag matches one of the
    /// candidates.
    fn match_tag(&self, signed: &Signed<'_>) -> Result<usize, WebhookError> {
        for (index, keyed) in self.inner.keyed.0.iter().enumerate() {
            let mut mac = keyed.clone();
            for part in signed.parts {
                mac.update(part);
            }
            // `verify_slice` compares in constant time (through `subtle`),
            // so the time taken does not tell an attacker how many leading
            // bytes of a forged tag were right. The MAC over the body is
            // computed once per secret and cloned only when several
            // candidate tags were sent.
            let matched = match &signed.tags {
                Tags::One(tag) => mac.verify_slice(tag).is_ok(),
                Tags::Many(tags) => match tags.as_slice() {
                    [one] => mac.verify_slice(one).is_ok(),
                    many => many.iter().any(|tag| mac.clone().verify_slice(tag).is_ok()),
                },
            };
            if matched {
                return Ok(index);
            }
        }
        Err(WebhookError::NoMatchingSignature {
            name: signed.header,
        })
    }
}

/// The value of the first present header of `names`, and its name.
fn first_of<'h, H: Headers + ?Sized>(
    headers: &'h H,
    names: &'static [Name; 2],
) -> Result<(&'h str, &'static str), WebhookError> {
    for name in names {
        if let Some(value) = parse::optional(headers, name)? {
            return Ok((value, name.text));
        }
    }
    Err(WebhookError::MissingHeader {
        name: names[0].text,
    })
}

/// A request whose signature checked out.
#[derive(Debug, Clone)]
pub struct Verified<'b> {
    body: &'b [u8],
    scheme: Scheme,
    id: Option<&'b str>,
    event_type: Option<&'b str>,
    timestamp: Option<u64>,
    secret_index: usize,
}

impl<'b> Verified<'b> {
    /// The verified body.
    pub fn body(&self) -> &'b [u8] {
        self.body
    }

    /// The scheme it was verified under.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The delivery or message id from the headers (`webhook-id`,
    /// `X-Interactor-Delivery`, `X-GitHub-Delivery`), for deduplication.
    /// Not covered by the signature except under Standard Webhooks.
    pub fn id(&self) -> Option<&'b str> {
        self.id
    }

    /// The event type from the headers (`X-Interactor-Event`,
    /// `X-GitHub-Event`). Not covered by the signature: prefer the type in
    /// the body.
    pub fn event_type(&self) -> Option<&'b str> {
        self.event_type
    }

    /// The signed timestamp, for schemes that have one.
    pub fn timestamp(&self) -> Option<SystemTime> {
        self.timestamp
            .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
    }

    /// Which configured secret matched, in the order they were added. A
    /// rotation is complete when the old secret's index stops appearing.
    pub fn secret_index(&self) -> usize {
        self.secret_index
    }

    /// Decodes the body as JSON into `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, WebhookError> {
        Ok(serde_json::from_slice(self.body)?)
    }
}
