//! The results: one `Row` per (spec, tool), their medians and ratios, the
//! goals, and the markdown report. Pure: everything here renders from data.

use std::fmt::Write as _;
use std::time::Duration;

use super::tools::Lang;

/// How a (spec, tool) pair went.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Ok,
    /// Non-zero exit; the first meaningful line of its output.
    Failed(String),
    TimedOut(Duration),
    /// Never started (peer not installed, spec missing).
    NotRun(String),
}

/// One measured run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Run {
    pub wall: Duration,
    /// Peak resident memory, MiB.
    pub mib: f64,
    /// CPU time in the kernel (on this VM mostly page faults: memory
    /// touched for the first time, slower when the host has reclaimed it).
    pub sys: Duration,
}

/// One (spec, tool) pair and its runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub spec: String,
    pub tool: String,
    pub lang: Lang,
    pub ours: bool,
    pub runs: Vec<Run>,
    pub status: Status,
}

impl Row {
    pub fn ok(&self) -> bool {
        self.status == Status::Ok && !self.runs.is_empty()
    }

    /// Median wall time over its runs (the failing run's time for a failure).
    pub fn median(&self) -> Option<Duration> {
        crate::measure::median(self.runs.iter().map(|r| r.wall).collect())
    }

    /// Median kernel CPU time of its runs.
    pub fn median_sys(&self) -> Option<Duration> {
        crate::measure::median(self.runs.iter().map(|r| r.sys).collect())
    }

    /// The largest peak resident memory of its runs, MiB.
    pub fn peak_mib(&self) -> Option<f64> {
        self.runs.iter().map(|r| r.mib).reduce(f64::max)
    }
}

/// Ours for `spec` in `lang` (`Lang::All`: all three languages in one run).
pub fn ours<'a>(rows: &'a [Row], spec: &str, lang: Lang) -> Option<&'a Row> {
    rows.iter().find(|r| r.ours && r.spec == spec && r.lang == lang)
}

/// The fastest peer that succeeded on `spec`.
pub fn fastest_peer<'a>(rows: &'a [Row], spec: &str) -> Option<&'a Row> {
    rows.iter()
        .filter(|r| !r.ours && r.spec == spec && r.ok())
        .min_by_key(|r| r.median())
}

/// `slow / fast` of two successful rows' medians: how many times faster `fast` is.
pub fn ratio(slow: &Row, fast: &Row) -> Option<f64> {
    if !slow.ok() || !fast.ok() {
        return None;
    }
    let (s, f) = (slow.median()?.as_secs_f64(), fast.median()?.as_secs_f64());
    (f > 0.0).then(|| s / f)
}

/// One goal from the issue and whether this run meets it.
#[derive(Debug, PartialEq)]
pub struct Goal {
    pub text: &'static str,
    /// `Some(true)` met, `Some(false)` not met, `None` not measured.
    pub met: Option<bool>,
    pub detail: String,
}

/// The spec the speed goals are set on, and the Interactor spec.
pub const GOAL_SPEC: &str = "github";
pub const INTERACTOR_SPEC: &str = "interactor";

pub fn goals(rows: &[Row]) -> Vec<Goal> {
    let all = |spec| ours(rows, spec, Lang::All).filter(|r| r.ok());
    let within = |spec, limit: f64, text| match all(spec).and_then(Row::median) {
        Some(t) => Goal {
            text,
            met: Some(t.as_secs_f64() <= limit),
            detail: format!("{} (limit {limit} s)", secs(t)),
        },
        None => Goal {
            text,
            met: None,
            detail: "not measured (or ours failed)".into(),
        },
    };
    let faster = match (all(GOAL_SPEC), fastest_peer(rows, GOAL_SPEC)) {
        (Some(o), Some(p)) => {
            let k = ratio(p, o).unwrap_or(0.0);
            Goal {
                text: "GitHub 3.0, ours (all three) at least 3x faster than the fastest single-language peer",
                met: Some(k >= 3.0),
                detail: format!("{k:.2}x: {} {} vs ours {}", p.tool, fmt_wall(p), fmt_wall(o)),
            }
        }
        _ => Goal {
            text: "GitHub 3.0, ours (all three) at least 3x faster than the fastest single-language peer",
            met: None,
            detail: "no successful run of ours or of any peer".into(),
        },
    };
    vec![
        within(
            GOAL_SPEC,
            3.0,
            "GitHub 3.0, all three languages in one run, <= 3 s wall",
        ),
        faster,
        within(
            INTERACTOR_SPEC,
            0.3,
            "Interactor spec, all three languages, <= 0.3 s wall",
        ),
    ]
}

/// What the report says besides the rows.
pub struct Meta {
    pub runs: usize,
    /// (package, version) of every peer, plus `java`.
    pub versions: Vec<(String, String)>,
    /// Notes on what some tools write (`tool: note`).
    pub notes: Vec<(String, String)>,
    /// `/proc/loadavg` at start and end.
    pub load: (String, String),
}

/// The markdown report: the table, ours against the fastest peer per spec,
/// the goals, versions and notes.
pub fn markdown(meta: &Meta, rows: &[Row]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Generation speed against the peers\n");
    let _ = writeln!(
        s,
        "Rounds per spec: {}, every tool once per round in turn. Wall: median of the runs; peak memory: \
         the largest of the runs (resident set of the process and its waited-for children). A tool that \
         fails or times out is not run again on that spec. Ratio: the tool's median / ours in the same \
         language (> 1: ours is faster). Median sys: CPU time in the kernel, of the process and its \
         children (on a VM, mostly first-touch page faults, which vary run to run with what the host \
         has reclaimed). Load average at start {}, at end {}.\n",
        meta.runs, meta.load.0, meta.load.1
    );
    let _ = writeln!(
        s,
        "| spec | tool | language | median wall | median sys | peak MiB | ratio to ours | status |"
    );
    let _ = writeln!(s, "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |");
    for r in rows {
        let same = if r.ours { None } else { ours(rows, &r.spec, r.lang) };
        let k = same
            .and_then(|o| ratio(r, o))
            .map_or_else(|| "-".into(), |k| format!("{k:.2}"));
        let mib = r.peak_mib().map_or_else(|| "-".into(), |m| format!("{m:.0}"));
        let sys = r.median_sys().map_or_else(|| "-".into(), secs);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            r.spec,
            r.tool,
            r.lang.as_str(),
            fmt_wall(r),
            sys,
            mib,
            k,
            cell(&status_text(&r.status))
        );
    }
    let _ = writeln!(
        s,
        "\n## Ours (all three languages) against the fastest single-language peer\n"
    );
    let _ = writeln!(s, "| spec | ours, all three | fastest peer | its wall | peer / ours |");
    let _ = writeln!(s, "| --- | ---: | --- | ---: | ---: |");
    let mut specs: Vec<&str> = rows.iter().map(|r| r.spec.as_str()).collect();
    specs.dedup();
    for spec in specs {
        let o = ours(rows, spec, Lang::All);
        let p = fastest_peer(rows, spec);
        let k = o
            .zip(p)
            .and_then(|(o, p)| ratio(p, o))
            .map_or_else(|| "-".into(), |k| format!("{k:.2}x"));
        let _ = writeln!(
            s,
            "| {spec} | {} | {} | {} | {k} |",
            o.map_or_else(|| "-".into(), fmt_wall),
            p.map_or("none succeeded", |p| &p.tool),
            p.map_or_else(|| "-".into(), fmt_wall)
        );
    }
    let _ = writeln!(s, "\n## Goals\n");
    for g in goals(rows) {
        let verdict = match g.met {
            Some(true) => "met",
            Some(false) => "**NOT met**",
            None => "not measured",
        };
        let _ = writeln!(s, "- {}: {verdict} ({})", g.text, g.detail);
    }
    let _ = writeln!(s, "\n## Versions\n");
    for (name, version) in &meta.versions {
        let _ = writeln!(s, "- {name}: {version}");
    }
    if !meta.notes.is_empty() {
        let _ = writeln!(s, "\n## Notes\n");
        for (tool, note) in &meta.notes {
            let _ = writeln!(s, "- {tool}: {note}");
        }
    }
    s
}

pub fn status_text(s: &Status) -> String {
    match s {
        Status::Ok => "ok".into(),
        Status::Failed(line) => format!("failed: {line}"),
        Status::TimedOut(limit) => format!("timed out after {} s", limit.as_secs()),
        Status::NotRun(why) => format!("not run: {why}"),
    }
}

fn fmt_wall(r: &Row) -> String {
    r.median().map_or_else(|| "-".into(), secs)
}

/// Milliseconds under 0.1 s; seconds with two decimals under 10 s, one above.
pub fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 0.1 {
        format!("{:.0} ms", s * 1000.0)
    } else if s < 10.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}

/// Text safe inside a markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The first meaningful line of a failed tool's output: the first line
/// naming an error, panic or exception, else the last non-empty line;
/// terminal colour codes and boxed traceback frames (Python's rich)
/// removed, at most 140 characters. A Rust panic is
/// its message and a short location (the message is on the next line).
pub fn first_error_line(stderr: &str, stdout: &str) -> String {
    let lines: Vec<String> = stderr
        .lines()
        .chain(stdout.lines())
        .map(|l| strip_ansi(l).trim().to_owned())
        .filter(|l| !l.is_empty() && !l.chars().all(|c| "#=-*~ ".contains(c)))
        // A rich traceback's frames are boxed; its exception follows the box.
        .filter(|l| !l.starts_with(['│', '╭', '╰']))
        .collect();
    let wanted = ["error", "panicked", "exception", "fail", "fatal"];
    let pick = lines.iter().position(|l| {
        let low = l.to_lowercase();
        wanted.iter().any(|w| low.contains(w))
    });
    let line = match pick.or(lines.len().checked_sub(1)) {
        None => "no output".to_owned(),
        Some(i) => match (lines[i].split_once("panicked at "), lines.get(i + 1)) {
            (Some((_, at)), Some(message)) => format!("panicked: {message} (at {})", short_location(at)),
            _ => lines[i].clone(),
        },
    };
    let mut out: String = line.chars().take(140).collect();
    if line.chars().count() > 140 {
        out.push('…');
    }
    out
}

/// `/root/.cargo/registry/src/x/progenitor-impl-0.15.1/src/method.rs:1220:9:`
/// → `progenitor-impl-0.15.1/src/method.rs:1220:9`.
fn short_location(at: &str) -> String {
    let parts: Vec<&str> = at.trim_end_matches(':').split('/').collect();
    let from = parts
        .iter()
        .rposition(|p| *p == "src")
        .map_or(0, |i| i.saturating_sub(1));
    parts[from..].join("/")
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                // Parameters and intermediates up to the final byte (@ to ~).
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A row of fixed data: `ms` are the runs' wall times.
    pub fn row(spec: &str, tool: &str, lang: Lang, ms: &[u64], status: Status) -> Row {
        Row {
            spec: spec.into(),
            tool: tool.into(),
            lang,
            ours: tool.starts_with("ours"),
            runs: ms
                .iter()
                .map(|&m| Run {
                    wall: Duration::from_millis(m),
                    mib: m as f64 / 1024.0,
                    sys: Duration::from_millis(m / 10),
                })
                .collect(),
            status,
        }
    }

    pub fn fixture() -> Vec<Row> {
        vec![
            row("github", "ours", Lang::All, &[2600, 2500, 2900], Status::Ok),
            row("github", "ours-rust", Lang::Rust, &[1500, 1400, 1600], Status::Ok),
            row(
                "github",
                "ours-typescript",
                Lang::TypeScript,
                &[600, 500, 700],
                Status::Ok,
            ),
            row(
                "github",
                "progenitor",
                Lang::Rust,
                &[3000],
                Status::Failed("thread 'main' panicked at x".into()),
            ),
            row(
                "github",
                "openapi-generator-rust",
                Lang::Rust,
                &[42000, 40000, 45000],
                Status::Ok,
            ),
            row(
                "github",
                "openapi-typescript",
                Lang::TypeScript,
                &[9000, 8000, 8500],
                Status::Ok,
            ),
            row("interactor", "ours", Lang::All, &[250, 260, 240], Status::Ok),
            row(
                "interactor",
                "hey-api",
                Lang::TypeScript,
                &[],
                Status::NotRun("not installed".into()),
            ),
        ]
    }

    #[test]
    fn medians_peaks_and_ratios() {
        let rows = fixture();
        assert_eq!(rows[0].median(), Some(Duration::from_millis(2600)));
        assert_eq!(rows[0].peak_mib(), Some(2900.0 / 1024.0));
        let generator = &rows[4];
        assert!((ratio(generator, &rows[1]).unwrap() - 42000.0 / 1500.0).abs() < 1e-9);
        // A failed row has a time but no ratio.
        assert_eq!(rows[3].median(), Some(Duration::from_secs(3)));
        assert_eq!(ratio(&rows[3], &rows[1]), None);
        assert_eq!(
            fastest_peer(&rows, "github").map(|r| r.tool.as_str()),
            Some("openapi-typescript")
        );
        assert_eq!(fastest_peer(&rows, "interactor"), None);
    }

    #[test]
    fn goals_are_judged_honestly() {
        let rows = fixture();
        let g = goals(&rows);
        assert_eq!(
            g.iter().map(|g| g.met).collect::<Vec<_>>(),
            [Some(true), Some(true), Some(true)]
        );
        assert!(g[1].detail.starts_with("3.27x: openapi-typescript"), "{}", g[1].detail);
        // Slower ours: the first two goals fail, the Interactor one is unmeasured without ours.
        let mut slow = rows.clone();
        slow[0].runs = vec![Run {
            wall: Duration::from_millis(3100),
            mib: 1.0,
            sys: Duration::ZERO,
        }];
        slow.retain(|r| r.spec != "interactor" || !r.ours);
        let g = goals(&slow);
        assert_eq!(
            g.iter().map(|g| g.met).collect::<Vec<_>>(),
            [Some(false), Some(false), None]
        );
    }

    #[test]
    fn the_table_has_every_row_with_its_ratio() {
        let meta = Meta {
            runs: 3,
            versions: vec![("java".into(), "17".into())],
            notes: vec![],
            load: ("1.0".into(), "2.0".into()),
        };
        let md = markdown(&meta, &fixture());
        let line = |tool: &str| {
            md.lines()
                .find(|l| l.starts_with(&format!("| github | {tool} |")))
                .unwrap()
                .to_owned()
        };
        assert_eq!(
            line("openapi-generator-rust"),
            "| github | openapi-generator-rust | rust | 42.0 s | 4.20 s | 44 | 28.00 | ok |"
        );
        assert_eq!(line("ours"), "| github | ours | all three | 2.60 s | 0.26 s | 3 | - | ok |");
        assert!(line("progenitor").ends_with("| 3.00 s | 0.30 s | 3 | - | failed: thread 'main' panicked at x |"));
        assert!(md.contains("| interactor | hey-api | typescript | - | - | - | - | not run: not installed |"));
        assert!(md.contains("| github | 2.60 s | openapi-typescript | 8.50 s | 3.27x |"));
        assert!(md.contains("| interactor | 0.25 s | none succeeded | - | - |"));
        assert!(md.contains("<= 3 s wall: met (2.60 s (limit 3 s))"));
        assert!(md.contains("- java: 17"));
    }

    #[test]
    fn error_lines() {
        let java = "\u{1b}[31m[main] INFO  o.o.codegen\u{1b}[0m\n\n#####\nException in thread \"main\" java.lang.RuntimeException: bad\n\tat x";
        assert_eq!(
            first_error_line(java, ""),
            "Exception in thread \"main\" java.lang.RuntimeException: bad"
        );
        assert_eq!(first_error_line("", "one\ntwo\n\n"), "two");
        // progenitor's CLI (stdout read first): the cause before anyhow's summary.
        let progenitor = "gen fail: UnexpectedFormat(\"deepObject\")\nError: generation experienced errors\n";
        assert_eq!(
            first_error_line(progenitor, ""),
            "gen fail: UnexpectedFormat(\"deepObject\")"
        );
        let rich = "╭──── Traceback (most recent call last) ────╮\n│ cli.py:163 in generate │\n│ ❱ 163 errors = generate( │\n\
                    ╰───────╯\nValueError: Duplicate key GMT0 in enum\nTimezone; consider literal_enums\n";
        assert_eq!(first_error_line(rich, ""), "ValueError: Duplicate key GMT0 in enum");
        assert_eq!(first_error_line("", ""), "no output");
        let long = format!("error: {}", "x".repeat(300));
        assert_eq!(first_error_line(&long, "").chars().count(), 141);
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(secs(Duration::from_micros(4400)), "4 ms");
        assert_eq!(secs(Duration::from_millis(250)), "0.25 s");
        assert_eq!(secs(Duration::from_millis(42_049)), "42.0 s");
        let panic = "\nthread 'main' (1) panicked at /r/.cargo/registry/src/i-1/progenitor-impl-0.15.1/src/method.rs:1220:9:\n\
                     assertion failed: response_types.len() <= 1\nstack backtrace:\n";
        assert_eq!(
            first_error_line(panic, ""),
            "panicked: assertion failed: response_types.len() <= 1 (at progenitor-impl-0.15.1/src/method.rs:1220:9)"
        );
    }
}
