//! Test support: a fake Interactor server on loopback.
