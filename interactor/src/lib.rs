//! The Interactor SDK for Rust.
//!
//! This hand-written overlay is the crate users depend on. It wraps the raw
//! generated client (`generated/rust/interactor-api`) with what generated code
//! cannot provide: OAuth2 token caching, retry with backoff, Server-Sent
//! Events with resume, and webhook signature verification.
#![deny(missing_docs)]

pub mod clock;
pub mod retry;
pub mod sse;
pub mod token;
pub mod webhook;
