//! Signing keys that never show up in logs.

use std::fmt;

/// A webhook signing key. Its `Debug` prints `Secret(***)`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Box<[u8]>);

impl Secret {
    /// A key made of these exact bytes.
    pub fn new(key: impl Into<Vec<u8>>) -> Self {
        Secret(key.into().into_boxed_slice())
    }

    /// The key bytes, for computing a MAC.
    pub(crate) fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}
