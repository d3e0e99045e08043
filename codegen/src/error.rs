//! The one error type of the generator.
//!
//! Every variant says what went wrong, where (a file and, inside a spec, a
//! JSON pointer) and, where there is one, what to do about it.

use std::path::PathBuf;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can stop generation as a whole.
///
/// Problems with a single operation or schema are not errors: they are
/// recorded in the [`crate::Report`] and the rest of the API is generated.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The document is neither JSON nor YAML.
    #[error("{origin}: not a JSON or YAML document: {message}")]
    Syntax {
        /// Where the document came from.
        origin: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The document parses but is not an OpenAPI 3.0/3.1 description.
    #[error("{origin}{pointer}: {message}")]
    NotOpenApi {
        /// Where the document came from.
        origin: String,
        /// JSON pointer to the offending value (`#/openapi`).
        pointer: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// The document is OpenAPI but violates a rule the generator relies on
    /// (a dangling `$ref`, a duplicate `operationId`, ...).
    #[error("{origin}{pointer}: {message}")]
    Invalid {
        /// Where the document came from.
        origin: String,
        /// JSON pointer to the offending value.
        pointer: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// Generated Rust did not parse: a generator bug, never a user error.
    #[error("internal error: generated Rust for {what} does not parse: {message}; please report this with the spec")]
    Internal {
        /// Which output.
        what: String,
        /// The parser's message.
        message: String,
    },
    /// A TypeScript template failed to render: a generator bug.
    #[error("internal error: TypeScript template {name} failed: {message}; please report this with the spec")]
    TsTemplate {
        /// The template (`templates/typescript/...`).
        name: String,
        /// minijinja's message.
        message: String,
    },
}

impl Error {
    pub(crate) fn invalid(origin: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid { origin: origin.to_owned(), pointer: pointer.into(), message: message.into() }
    }
}
