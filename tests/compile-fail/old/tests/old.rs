//! Every case, failing and passing, compiles (and runs) against the old
//! clients: the compile-fail cases are valid programs before the change.

#[test]
fn every_case_compiles_against_the_old_clients() {
    let t = trybuild::TestCases::new();
    t.pass("../cases/fail/*.rs");
    t.pass("../cases/pass/*.rs");
    t.pass("../cases/runtime/*.rs");
}
