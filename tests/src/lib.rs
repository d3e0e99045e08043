//! Test support: a fake Interactor server on loopback.
//!
//! [`FakeServer`] is a real HTTP server on `127.0.0.1` that behaves like the
//! Interactor API as `spec/openapi.yaml` describes it, with all state in
//! memory: the OAuth token endpoint, bearer-token checks with scopes,
//! assistants, rooms and messages, each scoped by `X-Namespace`, and a
//! synthetic room event stream that drops connections at seeded random
//! points and resumes from `Last-Event-ID`. Every
//! response carries `X-Request-Id` and the `X-RateLimit-*` headers; every
//! error is the spec's `{"error": {code, message, details, request_id}}`
//! envelope.
//!
//! Tests read what the server saw through [`FakeServer::requests`] (raw
//! paths, headers, bodies) and change what it answers through
//! [`FakeServer::script`] (canned responses, used before normal handling).
//! The `fake-interactor` binary serves the same thing for the TypeScript and
//! Python suites.
//!
//! [`loopback`] is a one-request raw server, for tests that read a
//! request byte for byte.
//!
//! [`epsimo`] is a second, smaller fake: the Epsimo API of
//! `spec/epsimo/openapi.yaml` (binary `fake-epsimo`).
//!
//! **Architecture Invariant**: nothing a client sends can make the server
//! panic; bad input becomes a 400 or 422 error envelope.
#![deny(missing_docs)]

pub mod epsimo;
mod error;
mod extract;
mod idempotency;
mod log;
pub mod loopback;
mod paging;
mod pipeline;
mod routes;
mod script;
mod server;
mod state;
mod store;
mod time;
mod validate;
pub mod webhook;

pub use log::RecordedRequest;
pub use routes::{Operation, operations};
pub use script::{Canned, CannedBody};
pub use server::{Config, FakeServer};
