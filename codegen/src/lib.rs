//! OpenAPI-driven SDK generator library.
