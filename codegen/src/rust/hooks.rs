//! Emits `src/hooks.rs` of a generated crate: the seam through which a
//! hand-written overlay adds authentication, retries and tracing without
//! editing generated code.
//!
//! progenitor calls `ClientHooks::exec` for every request; the generated
//! crate implements it by handing the request to a [`Transport`] stored in
//! the client (progenitor's "inner" value), or sending it directly when
//! there is none. A crate outside could not implement `ClientHooks` for the
//! generated `Client` (orphan rule), hence the trait object.

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Result;

/// The file's tokens, the path encoder (`templates/rust/path.rs`) included.
pub fn emit() -> Result<TokenStream> {
    let mut tokens = quote! {
        //! The seam between this raw client and an overlay: a [`Transport`]
        //! sees every request before it is sent.

        use std::future::Future;
        use std::pin::Pin;
        use std::sync::Arc;

        use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

        use crate::Client;

        /// A future returned by a [`Transport`].
        pub type ResponseFuture<'a> = Pin<Box<dyn Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a>>;

        /// Sends a request on behalf of the client: add credentials, retry,
        /// trace. `client` is the client's own `reqwest::Client`.
        pub trait Transport: Send + Sync + 'static {
            /// Sends `request` for the operation `info.operation_id`.
            fn execute<'a>(&'a self, client: &'a reqwest::Client, request: reqwest::Request, info: &'a OperationInfo) -> ResponseFuture<'a>;
        }

        /// What the generated client carries for its hooks.
        #[derive(Clone, Default)]
        pub struct Hooks {
            transport: Option<Arc<dyn Transport>>,
        }

        impl Hooks {
            /// Hooks that send every request through `transport`.
            pub fn with_transport(transport: Arc<dyn Transport>) -> Self {
                Self { transport: Some(transport) }
            }
        }

        impl std::fmt::Debug for Hooks {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Hooks").field("transport", &self.transport.is_some()).finish()
            }
        }

        impl ClientHooks<Hooks> for Client {
            async fn exec(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
                match &self.inner().transport {
                    Some(t) => t.execute(self.client(), request, info).await,
                    None => self.client().execute(request).await,
                }
            }
        }
    };
    tokens.extend(super::path::emit()?);
    tokens.extend(super::send::runtime());
    Ok(tokens)
}
