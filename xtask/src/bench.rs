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

/// (group, ours, peer, what the ratio means, goal).
const PAIRS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "sse",
        "ours",
        "peer",
        "SSE parse throughput, ours / sse-stream",
        "> 1",
    ),
    (
        "webhook",
        "verify_2k",
        "bare_hmac_2k",
        "webhook verify (2 KiB) / bare HMAC-SHA256",
        ">= 0.9",
    ),
    (
        "webhook",
        "verify_64k",
        "bare_hmac_64k",
        "webhook verify (64 KiB) / bare HMAC-SHA256",
        ">= 0.9",
    ),
    (
        "webhook",
        "verify_rotation_2k",
        "bare_hmac_2k",
        "verify, 2 secrets, match on the 2nd / bare HMAC",
        "~0.5 (two HMACs)",
    ),
    (
        "request",
        "generated",
        "plain_reqwest",
        "raw generated client time / plain reqwest",
        "~1",
    ),
    (
        "request",
        "overlay",
        "plain_reqwest",
        "overlay request time / plain reqwest",
        "<= 1.05",
    ),
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
    let report = report(&target.join("criterion"))?;
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

fn report(dir: &Path) -> Result<String, String> {
    let mut out = String::from(
        "| comparison | ours | peer | ratio | goal |\n| --- | --- | --- | --- | --- |\n",
    );
    for (group, ours, peer, what, goal) in PAIRS {
        let (t_ours, bytes) = estimate(dir, group, ours)?;
        let (t_peer, _) = estimate(dir, group, peer)?;
        // Throughput comparisons read "higher is better"; times "lower".
        let ratio = if *group == "request" {
            t_ours / t_peer
        } else {
            t_peer / t_ours
        };
        let show = |t: f64| match bytes {
            Some(b) => format!("{:.0} MB/s", b / t * 1e3),
            None => format!("{:.1} µs", t / 1e3),
        };
        let _ = writeln!(
            out,
            "| {what} | {ours}: {} | {peer}: {} | {ratio:.3} | {goal} |",
            show(t_ours),
            show(t_peer)
        );
    }
    Ok(out)
}
