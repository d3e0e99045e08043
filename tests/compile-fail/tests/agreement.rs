//! `cargo xtask diff` and the compile-fail suite agree: every ERR rule the
//! diff reports for the fixture pair has a failing case (or is the one
//! runtime-only category, `cases/runtime/`), every failing case's rule is an
//! ERR of its pair, and no passing case's rule is an ERR.
//!
//! Each case names its rule on its first line (`// rule: <id>`); cases that
//! use `interactor_api` are about spec/history/1.0.0 → spec/openapi.yaml,
//! the others about tests/fixtures/breaking/{old,new}.yaml.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::diff::{Finding, Level};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn diff(old: &str, new: &str) -> Vec<Finding> {
    let load = |p: &str| {
        let bytes = std::fs::read(root().join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
        let mut report = codegen::Report::default();
        let (doc, _, api) = codegen::analyze(p, &bytes, &mut report).unwrap_or_else(|e| panic!("{e}"));
        (api, doc.value)
    };
    let (o, od) = load(old);
    let (n, nd) = load(new);
    codegen::diff::diff_documents(&o, &od, &n, &nd)
}

/// (rule, uses the history pair) of every case in `cases/<dir>`.
fn cases(dir: &str) -> Vec<(String, bool, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases").join(dir);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.map(|e| e.path()).unwrap_or_default();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let rule = text.lines().next().and_then(|l| l.strip_prefix("// rule: ")).unwrap_or_else(|| panic!("{}: first line must be `// rule: <id>`", path.display()));
        out.push((rule.trim().to_owned(), text.contains("interactor_api::"), path.display().to_string()));
    }
    out.sort();
    out
}

fn levels(findings: &[Finding], rule: &str) -> BTreeSet<Level> {
    findings.iter().filter(|f| f.rule == rule).map(|f| f.level).collect()
}

#[test]
fn the_diff_and_the_compile_fail_suite_agree() {
    let fixture = diff("tests/fixtures/breaking/old.yaml", "tests/fixtures/breaking/new.yaml");
    let history = diff("spec/history/1.0.0/openapi.yaml", "spec/openapi.yaml");
    let pair = |h: bool| if h { &history } else { &fixture };
    let (fail, pass, runtime) = (cases("fail"), cases("pass"), cases("runtime"));
    assert!(fail.len() >= 7 && pass.len() >= 3 && runtime.len() == 1, "{fail:?} {pass:?} {runtime:?}");

    for (rule, h, path) in fail.iter().chain(&runtime) {
        assert_eq!(levels(pair(*h), rule), BTreeSet::from([Level::Err]), "{path}: the diff must report `{rule}` as ERR");
    }
    for (rule, h, path) in &pass {
        let l = levels(pair(*h), rule);
        assert!(!l.is_empty() && !l.contains(&Level::Err), "{path}: the diff must report `{rule}`, below ERR; got {l:?}");
    }
    let covered: BTreeSet<&str> = fail.iter().chain(&runtime).filter(|c| !c.1).map(|c| c.0.as_str()).collect();
    let errs: BTreeSet<&str> = fixture.iter().filter(|f| f.level == Level::Err).map(|f| f.rule.as_str()).collect();
    assert_eq!(errs, covered, "every ERR category of the fixture pair has exactly one kind of case");
}
