//! `cargo xtask regen [--check]`.

use std::path::Path;

use codegen::Severity;

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask regen [--check]".into()),
    };
    let summaries = codegen::workspace::regen(root, check).map_err(|e| e.to_string())?;
    let mut stale = Vec::new();
    for s in &summaries {
        let rust = s.rust.as_ref().map(|r| format!(", Rust: {} operations, {} types", r.operations, r.types)).unwrap_or_default();
        println!(
            "{}: {} operations{rust}; {} files ({} {}, {} unchanged{}) in {:.2?}",
            s.name,
            s.operations,
            s.files,
            s.outcome.changed.len(),
            if check { "stale" } else { "written" },
            s.outcome.unchanged,
            if s.outcome.removed.is_empty() { String::new() } else { format!(", {} obsolete", s.outcome.removed.len()) },
            s.elapsed,
        );
        for (kind, (count, first)) in &s.report.rewrites {
            println!("  rewrite  {count:>5} × {kind} (first at {first})");
        }
        for sev in [Severity::Degraded, Severity::Skipped] {
            for n in s.report.of(sev) {
                println!("  {n}");
            }
        }
        stale.extend(s.outcome.changed.iter().chain(&s.outcome.removed).map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string()));
    }
    if check && !stale.is_empty() {
        return Err(format!(
            "generated files are not up to date:\n  {}\nrun `cargo xtask regen` and commit the result",
            stale.join("\n  ")
        ));
    }
    Ok(())
}
