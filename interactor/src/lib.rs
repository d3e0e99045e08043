//! The Interactor SDK for Rust.
//!
//! This hand-written overlay is the crate users depend on. It wraps the raw
//! generated client (`generated/rust/interactor-api`) with what generated code
//! cannot provide: OAuth2 token caching, retry with backoff, Server-Sent
//! Events with resume, and webhook signature verification.
#![deny(missing_docs)]

pub mod client;
pub mod clock;
pub mod config;
pub mod error;
pub mod paginate;
pub mod retry;
pub mod sse;
pub mod stream;
pub mod token;
mod transport;
pub mod webhook;

pub use client::Client;
pub use config::ClientBuilder;
pub use error::{Error, ErrorKind, RateLimit};
/// The generated raw client, its types and operation metadata.
pub use interactor_api as api;
