//! The compile-fail suite of breaking changes (tests only; see `README.md`).
//!
//! `cases/fail/*.rs` are programs written against the OLD generated
//! clients (`tests/snapshots/breaking-old`, `tests/snapshots/interactor-1.0.0`)
//! that must not compile against the NEW ones (`breaking-new`, the current
//! `interactor-api`); `cases/pass/*.rs` must keep compiling. The crate in
//! `old/` builds every case against the old clients under the same names
//! (`api`, `interactor_api`) and proves each compiles there, so a failure
//! here is caused by the change, not by a mistake in the program.
