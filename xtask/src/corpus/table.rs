//! The corpus table: one row per spec and language, rendered as Markdown,
//! plus a line of totals per language.

use super::check::Check;

/// One spec in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub spec: String,
    pub lang: &'static str,
    /// Operations in the spec (after normalization).
    pub operations: usize,
    /// Webhooks in the spec.
    pub webhooks: usize,
    /// Operations generated in this language.
    pub generated: usize,
    /// Why operations were skipped (or why nothing was generated).
    pub skipped: Vec<String>,
    /// Degraded notes that concern this language.
    pub degraded: usize,
    /// Generation: wall time and peak memory of the `gen` child.
    pub gen_secs: f64,
    pub gen_mib: f64,
    pub check: Check,
}

const LANGS: [&str; 3] = ["Rust", "TypeScript", "Python"];

/// Whether a note concerns `lang` (`rust`, `typescript`, `python`): the
/// shared normalizer's notes reach every language's run, but those that
/// name one language (`the Rust SDK sends …`) are about that one only.
pub fn concerns(message: &str, lang: &str) -> bool {
    let named: Vec<&str> = LANGS.iter().copied().filter(|l| names_word(message, l)).collect();
    named.is_empty() || named.iter().any(|l| l.eq_ignore_ascii_case(lang))
}

/// `word` occurs in `text` with no letter or digit on either side.
fn names_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The Markdown table of `rows`, then one totals line per language.
pub fn render(rows: &[Row]) -> String {
    let mut out = String::from(
        "| spec | language | operations | webhooks | generated | skipped | degraded | generation | gen peak | check | check time | check peak |\n\
         | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: |\n",
    );
    for r in rows {
        let (check_secs, check_mib) = match &r.check {
            Check::Ok { secs, mib, .. } | Check::Failed { secs, mib, .. } => (format!("{secs:.1} s"), format!("{mib:.0} MiB")),
            Check::Pending | Check::NotRun(_) => ("-".into(), "-".into()),
        };
        let cells = [
            r.spec.clone(),
            r.lang.to_owned(),
            r.operations.to_string(),
            r.webhooks.to_string(),
            r.generated.to_string(),
            skipped(&r.skipped),
            r.degraded.to_string(),
            format!("{:.2} s", r.gen_secs),
            format!("{:.0} MiB", r.gen_mib),
            check(&r.check),
            check_secs,
            check_mib,
        ];
        out.push_str(&format!("| {} |\n", cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")));
    }
    out.push('\n');
    let mut langs: Vec<&str> = Vec::new();
    for r in rows {
        if !langs.contains(&r.lang) {
            langs.push(r.lang);
        }
    }
    for lang in langs {
        let of: Vec<&Row> = rows.iter().filter(|r| r.lang == lang).collect();
        let clean = of.iter().filter(|r| matches!(r.check, Check::Ok { .. })).count();
        let ops: usize = of.iter().map(|r| r.operations).sum();
        let generated: usize = of.iter().map(|r| r.generated).sum();
        let secs: f64 = of.iter().map(|r| r.gen_secs).sum();
        let peak = of.iter().map(|r| r.gen_mib).fold(0.0, f64::max);
        out.push_str(&format!(
            "- {lang}: {clean} of {} specs check clean; {generated} of {ops} operations generated; generation {secs:.1} s in all, peak {peak:.0} MiB\n",
            of.len()
        ));
    }
    out
}

/// `0`, or the count and the first two reasons.
fn skipped(reasons: &[String]) -> String {
    if reasons.is_empty() {
        return "0".into();
    }
    let first: Vec<String> = reasons.iter().take(2).map(|s| shorten(s, 100)).collect();
    format!("{}: {}", reasons.len(), first.join("; "))
}

fn check(c: &Check) -> String {
    match c {
        Check::Pending => "not checked".into(),
        Check::NotRun(why) => shorten(why, 120),
        Check::Ok { warnings: 0, .. } => "ok".into(),
        Check::Ok { warnings, .. } => format!("ok, {warnings} warnings"),
        Check::Failed { errors: 0, first, .. } => format!("FAILED ({})", shorten(first, 120)),
        Check::Failed { errors, first, .. } => format!("FAILED: {errors} errors ({})", shorten(first, 120)),
    }
}

/// At most `max` characters, `…` marking a cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_owned() } else { format!("{}…", s.chars().take(max - 1).collect::<String>()) }
}

/// Text safe inside one Markdown table cell.
fn cell(s: &str) -> String {
    s.replace(['\r', '\n'], " ").replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(lang: &'static str, check: Check) -> Row {
        Row { spec: "petstore".into(), lang, operations: 3, webhooks: 1, generated: 2, skipped: vec![], degraded: 0, gen_secs: 0.25, gen_mib: 12.4, check }
    }

    #[test]
    fn notes_that_name_a_language_concern_it_alone() {
        let rust_only = "the Rust SDK sends application/json; also accepted but not offered: text/plain";
        assert!(concerns(rust_only, "rust"));
        assert!(!concerns(rust_only, "typescript"));
        assert!(!concerns(rust_only, "python"));
        assert!(concerns("TypeScript: `text/csv` body passed as raw `string`", "typescript"));
        assert!(!concerns("TypeScript: `text/csv` body passed as raw `string`", "rust"));
        // Language-neutral notes concern all; names that merely contain a
        // language's name do not count.
        assert!(concerns("operationId \"1up\" starts with a digit once snake-cased", "python"));
        assert!(concerns("schema TrustPolicy has a RustLike field", "python"));
    }

    #[test]
    fn rows_render_one_line_each_with_escaped_cells() {
        let mut r = row("rust", Check::Failed { errors: 2, first: "a.rs:1:1: error: x | y".into(), secs: 3.04, mib: 700.2 });
        r.skipped = vec!["#/paths/~1a/get: operation a not generated in Rust: bad\nschema".into(), "second".into(), "third".into()];
        let text = render(&[r]);
        let line = text.lines().nth(2).unwrap();
        assert_eq!(
            line,
            "| petstore | rust | 3 | 1 | 2 | 3: #/paths/~1a/get: operation a not generated in Rust: bad schema; second | 0 | 0.25 s | 12 MiB | FAILED: 2 errors (a.rs:1:1: error: x \\| y) | 3.0 s | 700 MiB |"
        );
    }

    #[test]
    fn long_reasons_are_cut() {
        let long = "x".repeat(150);
        assert_eq!(skipped(std::slice::from_ref(&long)), format!("1: {}…", "x".repeat(99)));
        assert_eq!(check(&Check::NotRun(long.clone())).chars().count(), 120);
    }

    #[test]
    fn checks_that_did_not_run_have_no_time() {
        let text = render(&[row("python", Check::NotRun("not generated".into()))]);
        assert!(text.lines().nth(2).unwrap().ends_with("| not generated | - | - |"), "{text}");
    }

    #[test]
    fn totals_per_language() {
        let ok = Check::Ok { warnings: 0, secs: 1.0, mib: 1.0 };
        let rows = [row("rust", ok.clone()), row("rust", Check::NotRun("--no-check".into())), row("python", ok)];
        let text = render(&rows);
        assert!(text.contains("\n- rust: 1 of 2 specs check clean; 4 of 6 operations generated; generation 0.5 s in all, peak 12 MiB\n"), "{text}");
        assert!(text.contains("\n- python: 1 of 1 specs check clean; 2 of 3 operations generated;"), "{text}");
    }
}
