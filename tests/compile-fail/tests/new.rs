//! Against the new clients: each breaking case fails to compile with the
//! recorded `.stderr`, each compatible case compiles and runs.
//! After a generator change moves lines in generated code, refresh the
//! `.stderr` files with `TRYBUILD=overwrite cargo test -p compile-fail`
//! and review the diff.

#[test]
fn breaking_changes_fail_and_compatible_ones_compile() {
    let t = trybuild::TestCases::new();
    t.compile_fail("cases/fail/*.rs");
    t.pass("cases/pass/*.rs");
    // Compiles against both; the break is at run time (tests/runtime.rs).
    t.pass("cases/runtime/*.rs");
}
