//! Renderers: plain text (for people at a terminal), markdown (release
//! notes) and JSON (for tools). All list breaking changes first.

use super::{Finding, Level};

fn by_level(findings: &[Finding]) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = findings.iter().collect();
    // Stable: document order is kept within a level.
    v.sort_by_key(|f| std::cmp::Reverse(f.level));
    v
}

fn counts(findings: &[Finding]) -> String {
    let n = |l: Level| findings.iter().filter(|f| f.level == l).count();
    format!("{} ERR, {} WARN, {} INFO", n(Level::Err), n(Level::Warn), n(Level::Info))
}

/// One line per finding, then a count.
pub fn text(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in by_level(findings) {
        let op = f.operation.as_deref().map(|o| format!(" {o}:")).unwrap_or_default();
        out.push_str(&format!("{:<4} {}{op} {}\n", f.level.as_str(), f.rule, f.message));
        if let Some(p) = f.new_pointer.as_ref().or(f.old_pointer.as_ref()) {
            out.push_str(&format!("     at {p}\n"));
        }
    }
    out.push_str(&format!("{} findings: {}\n", findings.len(), counts(findings)));
    out
}

/// Release notes: a section per level, a bullet per finding.
pub fn markdown(findings: &[Finding], title: &str) -> String {
    let mut out = format!("# {title}\n\n{}\n", counts(findings));
    for (level, heading) in [(Level::Err, "Breaking changes"), (Level::Warn, "Possibly breaking changes"), (Level::Info, "Other changes")] {
        let items: Vec<&Finding> = findings.iter().filter(|f| f.level == level).collect();
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {heading}\n\n"));
        out.push_str(&bullets(&items));
    }
    out
}

/// One markdown bullet per finding; a change to a shared component shows
/// once, with every operation it reaches.
pub fn bullets(items: &[&Finding]) -> String {
    let mut out = String::new();
    let mut groups: Vec<(&Finding, Vec<&str>)> = Vec::new();
    for &f in items {
        let shared = |g: &Finding| {
            g.rule == f.rule
                && super::without_status(&g.message) == super::without_status(&f.message)
                && g.old_pointer == f.old_pointer
                && g.new_pointer == f.new_pointer
                && f.new_pointer.as_deref().or(f.old_pointer.as_deref()).is_some_and(|p| p.starts_with("#/components/"))
        };
        match groups.iter_mut().find(|(g, _)| shared(g)) {
            Some((_, ops)) => ops.extend(f.operation.as_deref()),
            None => groups.push((f, f.operation.as_deref().into_iter().collect())),
        }
    }
    for (f, ops) in groups {
        match ops.as_slice() {
            [] => out.push_str(&format!("- {} (`{}`)\n", f.message, f.rule)),
            [op] => out.push_str(&format!("- `{op}`: {} (`{}`)\n", f.message, f.rule)),
            [first, rest @ ..] => {
                out.push_str(&format!("- `{first}` and {} more: {} (`{}`)\n", rest.len(), f.message, f.rule));
                out.push_str(&format!("  - also: {}\n", rest.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")));
            }
        }
    }
    out
}

/// The findings as a pretty-printed JSON array.
pub fn json(findings: &[Finding]) -> String {
    serde_json::to_string_pretty(findings).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Finding> {
        vec![
            Finding { rule: "endpoint-added".into(), level: Level::Info, operation: Some("GET /b".into()), message: "endpoint GET /b added".into(), old_pointer: None, new_pointer: Some("#/paths/~1b/get".into()) },
            Finding { rule: "request-body-removed".into(), level: Level::Err, operation: Some("POST /a".into()), message: "request body removed from POST /a".into(), old_pointer: Some("#/paths/~1a/post/requestBody".into()), new_pointer: None },
        ]
    }

    #[test]
    fn renders_breaking_first() {
        let t = text(&sample());
        assert!(t.starts_with("ERR  request-body-removed POST /a:"), "{t}");
        assert!(t.ends_with("2 findings: 1 ERR, 0 WARN, 1 INFO\n"), "{t}");
        let m = markdown(&sample(), "1.0.0 → 2.0.0");
        assert!(m.contains("## Breaking changes\n\n- `POST /a`: request body removed from POST /a (`request-body-removed`)"), "{m}");
        assert_eq!(crate::diff::without_status("the property `a` of the response 400 became nullable"), "the property `a` of the response became nullable");
        let j: serde_json::Value = serde_json::from_str(&json(&sample())).unwrap_or_default();
        assert_eq!(j[1]["level"], "ERR");
        assert_eq!(j[0]["new_pointer"], "#/paths/~1b/get");
    }
}
