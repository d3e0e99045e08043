//! `cargo xtask bench [CRITERION ARGS]`: runs the overlay's criterion
//! benchmarks (`cargo bench -p interactor --bench overlay`, release
//! profile), then reads criterion's estimates
//! (`target/criterion/<group>/<bench>/new/estimates.json`) and prints each
//! benchmark as a ratio to the peer measured in the same run; the table is
//! also written to `target/bench/overlay.md`.
//!
//! Ratios, not absolute times, are the result: the machine and its load
//! change both sides alike.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One comparison: criterion benchmark names in `group`, what the ratio
/// means, the goal, and the paired benchmark (`paired_<name>`, whose ratios
/// the bench writes to `target/bench/paired/<group>-<name>.json`), if any.
struct Pair {
    group: &'static str,
    ours: &'static str,
    peer: &'static str,
    what: &'static str,
    goal: &'static str,
    paired: Option<&'static str>,
}

const PAIRS: &[Pair] = &[
    Pair {
        group: "sse",
        ours: "ours",
        peer: "peer",
        what: "SSE parse throughput, ours / sse-stream",
        goal: "> 1",
        paired: Some("ours"),
    },
    Pair {
        group: "webhook",
        ours: "verify_2k",
        peer: "bare_hmac_2k",
        what: "webhook verify (2 KiB) / bare HMAC-SHA256",
        goal: ">= 0.9",
        paired: Some("verify_2k"),
    },
    Pair {
        group: "webhook",
        ours: "verify_64k",
        peer: "bare_hmac_64k",
        what: "webhook verify (64 KiB) / bare HMAC-SHA256",
        goal: ">= 0.9",
        paired: Some("verify_64k"),
    },
    Pair {
        group: "webhook",
        ours: "verify_rotation_2k",
        peer: "bare_hmac_2k",
        what: "verify, 2 secrets, match on the 2nd / bare HMAC",
        goal: "~0.5 (two HMACs)",
        paired: None,
    },
    Pair {
        group: "request",
        ours: "generated",
        peer: "plain_reqwest",
        what: "raw generated client time / plain reqwest",
        goal: "~1",
        paired: None,
    },
    Pair {
        group: "request",
        ours: "overlay",
        peer: "plain_reqwest",
        what: "overlay request time / plain reqwest",
        goal: "<= 1.05",
        paired: Some("overlay"),
    },
];

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["bench", "-p", "interactor", "--bench", "overlay", "--"])
        .args(args)
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !status.success() {
        return Err(format!("cargo bench failed ({status})"));
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let report = report(&target.join("criterion"), &target.join("bench/paired"))?;
    print!("{report}");
    let out = target.join("bench/overlay.md");
    std::fs::create_dir_all(out.parent().unwrap_or(&target))
        .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    std::fs::write(&out, &report).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("\nwritten to {}", out.display());
    Ok(())
}

/// The time of one iteration in nanoseconds (criterion's slope estimate,
/// the figure it prints, else the mean), and the bytes it
/// processes when the benchmark declares a throughput.
fn estimate(dir: &Path, group: &str, bench: &str) -> Result<(f64, Option<f64>), String> {
    let read = |file: &str| -> Result<serde_json::Value, String> {
        let path = dir.join(group).join(bench).join("new").join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "cannot read {}: {e} (did the benchmark run?)",
                path.display()
            )
        })?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let estimates = read("estimates.json")?;
    let mean = ["/slope/point_estimate", "/mean/point_estimate"]
        .iter()
        .find_map(|p| estimates.pointer(p).and_then(serde_json::Value::as_f64))
        .ok_or_else(|| format!("{group}/{bench}: estimates.json has no slope or mean estimate"))?;
    let bytes = read("benchmark.json")?
        .pointer("/throughput/Bytes")
        .and_then(serde_json::Value::as_f64);
    Ok((mean, bytes))
}

/// The paired benchmark's per-sample time ratios (ours / peer), sorted.
fn paired_ratios(dir: &Path, group: &str, name: &str) -> Result<Vec<f64>, String> {
    let path = dir.join(format!("{group}-{name}.json"));
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read {}: {e} (did the paired benchmark run?)",
            path.display()
        )
    })?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut ratios: Vec<f64> = json
        .get("time_ratios")
        .and_then(serde_json::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(serde_json::Value::as_f64)
                .filter(|r| r.is_finite() && *r > 0.0)
                .collect()
        })
        .unwrap_or_default();
    if ratios.is_empty() {
        return Err(format!("{}: no samples", path.display()));
    }
    ratios.sort_by(f64::total_cmp);
    Ok(ratios)
}

/// Median and quartiles of sorted values.
fn quartiles(sorted: &[f64]) -> (f64, f64, f64) {
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    (at(0.25), at(0.5), at(0.75))
}

fn report(dir: &Path, paired_dir: &Path) -> Result<String, String> {
    let mut out = String::from(
        "| comparison | ours | peer | ratio (separate runs) | ratio (paired, median [IQR], n) | goal |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for Pair {
        group,
        ours,
        peer,
        what,
        goal,
        paired,
    } in PAIRS
    {
        // A filtered run (`cargo xtask bench webhook`) leaves other rows
        // without estimates: they are shown as not run, not an error.
        let ((t_ours, bytes), (t_peer, _)) =
            match (estimate(dir, group, ours), estimate(dir, group, peer)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(e), _) | (_, Err(e)) => {
                    let _ = writeln!(
                        out,
                        "| {what} | not run | | | {} | {goal} |",
                        e.replace('|', "/")
                    );
                    continue;
                }
            };
        // Throughput comparisons read "higher is better"; times "lower".
        let time_based = *group == "request";
        let ratio = if time_based {
            t_ours / t_peer
        } else {
            t_peer / t_ours
        };
        let show = |t: f64| match bytes {
            Some(b) => format!("{:.0} MB/s", b / t * 1e3),
            None => format!("{:.1} µs", t / 1e3),
        };
        let paired = match paired {
            None => "-".to_owned(),
            Some(name) => match paired_ratios(paired_dir, group, name) {
                Ok(ratios) => {
                    let (q1, m, q3) = quartiles(&ratios);
                    let f = |r: f64| if time_based { r } else { 1.0 / r };
                    let (lo, hi) = if time_based {
                        (f(q1), f(q3))
                    } else {
                        (f(q3), f(q1))
                    };
                    format!("**{:.3}** [{lo:.3}–{hi:.3}], {}", f(m), ratios.len())
                }
                Err(e) => format!("not run ({})", e.replace('|', "/")),
            },
        };
        let _ = writeln!(
            out,
            "| {what} | {ours}: {} | {peer}: {} | {ratio:.3} | {paired} | {goal} |",
            show(t_ours),
            show(t_peer)
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_of_sorted_samples() {
        assert_eq!(quartiles(&[1.0, 2.0, 3.0, 4.0, 5.0]), (2.0, 3.0, 4.0));
        assert_eq!(quartiles(&[7.0]), (7.0, 7.0, 7.0));
    }

    #[test]
    fn paired_ratios_drop_junk_and_sort() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("g-n.json"),
            r#"{"time_ratios":[1.2,0.9,null,-1,1.0]}"#,
        )
        .unwrap();
        assert_eq!(paired_ratios(&dir, "g", "n").unwrap(), vec![0.9, 1.0, 1.2]);
        std::fs::write(dir.join("g-e.json"), r#"{"time_ratios":[]}"#).unwrap();
        assert!(
            paired_ratios(&dir, "g", "e")
                .unwrap_err()
                .contains("no samples")
        );
        assert!(
            paired_ratios(&dir, "g", "missing")
                .unwrap_err()
                .contains("did the paired benchmark run")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
