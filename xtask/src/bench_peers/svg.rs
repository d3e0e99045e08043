//! The chart: one horizontal bar per (spec, tool), the median wall time on
//! a log scale (times span 0.05 s to minutes), grouped by spec; ours in
//! orange, peers in blue, failures in grey with the time they took to fail.
//!
//! Written by hand: the chart is a few rectangles and labels, and a
//! plotting crate (plotters and its font stack) would add dozens of crates
//! to xtask, which must stay quick to compile.

use std::fmt::Write as _;

use super::report::{Row, Status, secs};

const LABEL_W: f64 = 250.0;
const PLOT_W: f64 = 520.0;
const VALUE_W: f64 = 190.0;
const BAR_H: f64 = 13.0;
const ROW_H: f64 = 18.0;
const GROUP_H: f64 = 24.0;
const TOP: f64 = 50.0;

/// The log axis: from the decade at or below the fastest time to the
/// decade at or above the slowest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    lo: f64,
    hi: f64,
}

impl Axis {
    pub fn fit(rows: &[Row]) -> Axis {
        let times: Vec<f64> = rows
            .iter()
            .filter_map(Row::median)
            .map(|d| d.as_secs_f64().max(1e-3))
            .collect();
        let min = times.iter().copied().fold(f64::INFINITY, f64::min);
        let max = times.iter().copied().fold(0.0, f64::max);
        if times.is_empty() {
            return Axis { lo: -1.0, hi: 1.0 };
        }
        let (lo, hi) = (min.log10().floor(), max.log10().ceil());
        Axis {
            lo,
            hi: if hi > lo { hi } else { lo + 1.0 },
        }
    }

    /// Bar length for `secs`, at least one pixel.
    pub fn width(&self, secs: f64) -> f64 {
        let x = (secs.max(1e-3).log10() - self.lo) / (self.hi - self.lo);
        (x.clamp(0.0, 1.0) * PLOT_W).max(1.0)
    }
}

pub fn chart(rows: &[Row]) -> String {
    let axis = Axis::fit(rows);
    let groups = {
        let mut specs: Vec<&str> = rows.iter().map(|r| r.spec.as_str()).collect();
        specs.dedup();
        specs.len()
    };
    let height = TOP + groups as f64 * GROUP_H + rows.len() as f64 * ROW_H + 20.0;
    let width = LABEL_W + PLOT_W + VALUE_W;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="{width}" height="{height}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="10" y="18" font-size="14" font-weight="bold">Median wall time to generate, log scale (ours orange, peers blue, failures grey)</text>"#
    );
    // One grid line per decade, labelled at the top.
    let plot_bottom = height - 20.0;
    for d in (axis.lo as i32)..=(axis.hi as i32) {
        let t = 10f64.powi(d);
        let x = LABEL_W + axis.width(t);
        let label = if t < 1.0 { format!("{t} s") } else { format!("{t:.0} s") };
        let _ = writeln!(
            s,
            r##"<line x1="{x:.1}" y1="{y0}" x2="{x:.1}" y2="{plot_bottom}" stroke="#ccc"/><text x="{x:.1}" y="{yt}" text-anchor="middle" fill="#555">{}</text>"##,
            esc(&label),
            y0 = TOP - 8.0,
            yt = TOP - 12.0,
        );
    }
    let mut y = TOP;
    let mut spec = "";
    for r in rows {
        if r.spec != spec {
            spec = &r.spec;
            y += GROUP_H;
            let _ = writeln!(
                s,
                r#"<text x="10" y="{:.1}" font-weight="bold">{}</text>"#,
                y - 6.0,
                esc(spec)
            );
        }
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            LABEL_W - 6.0,
            y + BAR_H - 2.0,
            esc(&r.tool)
        );
        let (fill, what) = match (&r.status, r.ours) {
            (Status::Ok, true) => ("#e6772e", String::new()),
            (Status::Ok, false) => ("#3a78b5", String::new()),
            (Status::Failed(_), _) => ("#aaa", " (failed)".to_owned()),
            (Status::TimedOut(_), _) => ("#aaa", " (timed out)".to_owned()),
            (Status::NotRun(_), _) => ("none", "not run".to_owned()),
        };
        match r.median() {
            Some(t) => {
                let w = axis.width(t.as_secs_f64());
                let value = format!("{}{what}", secs(t));
                let _ = writeln!(
                    s,
                    r#"<rect x="{LABEL_W}" y="{y:.1}" width="{w:.1}" height="{BAR_H}" fill="{fill}"><title>{}: {}</title></rect><text x="{:.1}" y="{:.1}">{}</text>"#,
                    esc(&format!("{} / {}", r.spec, r.tool)),
                    esc(&value),
                    LABEL_W + w + 4.0,
                    y + BAR_H - 2.0,
                    esc(&value)
                );
            }
            None => {
                let _ = writeln!(
                    s,
                    r##"<text x="{:.1}" y="{:.1}" fill="#888">{}</text>"##,
                    LABEL_W + 4.0,
                    y + BAR_H - 2.0,
                    esc(&what)
                );
            }
        }
        y += ROW_H;
    }
    s.push_str("</svg>\n");
    s
}

/// Text for XML content and attributes.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::super::report::tests::{fixture, row};
    use super::super::tools::Lang;
    use super::*;

    /// Every element closed in order (self-closing ones alone); no stray `&`.
    fn assert_well_formed(svg: &str) {
        let mut open: Vec<&str> = Vec::new();
        let mut rest = svg;
        while let Some(i) = rest.find('<') {
            let end = rest[i..].find('>').expect("unclosed tag") + i;
            let tag = &rest[i + 1..end];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(open.pop(), Some(name), "mismatched </{name}>");
            } else if !tag.ends_with('/') {
                open.push(tag.split_whitespace().next().unwrap());
            }
            rest = &rest[end + 1..];
        }
        assert!(open.is_empty(), "unclosed: {open:?}");
        for (i, _) in svg.match_indices('&') {
            let entity = &svg[i..svg[i..].find(';').map_or(svg.len(), |j| i + j + 1)];
            assert!(["&amp;", "&lt;", "&gt;", "&quot;"].contains(&entity), "stray & at {i}");
        }
    }

    /// (title, width) of every bar, in order.
    fn bars(svg: &str) -> Vec<(String, f64)> {
        svg.lines()
            .filter(|l| l.starts_with("<rect x="))
            .map(|l| {
                let width = l
                    .split("width=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                let title = l.split("<title>").nth(1).unwrap().split(':').next().unwrap().to_owned();
                (title, width)
            })
            .collect()
    }

    #[test]
    fn every_tool_appears_and_bars_follow_the_times() {
        let rows = fixture();
        let svg = chart(&rows);
        assert_well_formed(&svg);
        for r in &rows {
            assert!(svg.contains(&format!(">{}</text>", r.tool)), "{} missing", r.tool);
        }
        let bars = bars(&svg);
        // The not-run row has no bar; every other row has one.
        assert_eq!(bars.len(), rows.len() - 1);
        let timed: Vec<&Row> = rows.iter().filter(|r| r.median().is_some()).collect();
        for (a, b) in timed.iter().zip(&bars) {
            assert_eq!(b.0, format!("{} / {}", a.spec, a.tool));
        }
        for (i, j) in [(0, 1), (1, 2), (0, 2), (4, 5), (5, 0)] {
            let (ti, tj) = (timed[i].median().unwrap(), timed[j].median().unwrap());
            assert_eq!(ti > tj, bars[i].1 > bars[j].1, "{} vs {}", timed[i].tool, timed[j].tool);
        }
        assert!(svg.contains("3.00 s (failed)"));
        assert!(svg.contains(">not run</text>"));
    }

    #[test]
    fn the_axis_spans_whole_decades() {
        let rows = fixture();
        let a = Axis::fit(&rows);
        assert_eq!((a.lo, a.hi), (-1.0, 2.0));
        assert_eq!(a.width(0.1), 1.0);
        assert!((a.width(100.0) - PLOT_W).abs() < 1e-9);
        assert!((a.width(1.0) - PLOT_W / 3.0).abs() < 1e-9);
        let one = vec![row("s", "t", Lang::Rust, &[1000], Status::Ok)];
        assert_eq!(Axis::fit(&one), Axis { lo: 0.0, hi: 1.0 });
    }

    #[test]
    fn names_are_escaped() {
        let rows = vec![row("a&b", "<tool>", Lang::Rust, &[5], Status::Ok)];
        let svg = chart(&rows);
        assert_well_formed(&svg);
        assert!(svg.contains("&lt;tool&gt;") && svg.contains("a&amp;b"));
    }
}
