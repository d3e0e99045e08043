//! `cargo xtask feature-builds SPEC [--tags a,b]`: how long a debug build of
//! the generated Rust crate takes, and how much memory, with every feature,
//! with none (the shared types only) and with one tag's feature alone.
//!
//! The crate is generated into a scratch workspace under
//! `target/feature-builds/` (its own `target/`, kept across runs). The
//! dependencies are built first (the crate with no tag feature, not
//! measured); then each measured run `cargo clean -p`s the crate alone and
//! runs `cargo build` under [`crate::measure`] (wall time, and the peak RSS
//! of cargo and the rustc it waits for). Tags: those given, else the
//! smallest, the median and the largest by operation count. The table goes
//! to stdout and `target/bench/feature-builds.md`.

use std::path::Path;
use std::process::Command;

use crate::measure;

/// Goals from the issue: every feature within 120 s and 3 GiB, one tag within 20 s.
const ALL_SECS: f64 = 120.0;
const ALL_MIB: f64 = 3072.0;
const TAG_SECS: f64 = 20.0;

/// One feature of the generated crate.
struct Feature {
    name: String,
    operations: usize,
    /// Structs and enums gated by this feature alone.
    types: usize,
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    const USAGE: &str = "usage: cargo xtask feature-builds SPEC [--tags a,b]";
    let mut spec = None;
    let mut tags: Option<Vec<String>> = None;
    let mut args = args.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--tags" => tags = Some(args.next().ok_or(USAGE)?.split(',').map(str::to_owned).collect()),
            s if !s.starts_with('-') && spec.is_none() => spec = Some(Path::new(s).to_path_buf()),
            _ => return Err(USAGE.into()),
        }
    }
    let spec = spec.ok_or(USAGE)?;
    let out = root.join("target/feature-builds");
    let bytes = std::fs::read(&spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let config = crate::generate::config(&spec, &["rust"]);
    let crate_name = config.rust.as_ref().map(|r| r.crate_name.clone()).unwrap_or_default();
    eprintln!("generating {crate_name}");
    let g = codegen::generate(&config, &bytes).map_err(|e| format!("{}: {e}", spec.display()))?;
    let stale = out.join("rust");
    if stale.exists() {
        std::fs::remove_dir_all(&stale).map_err(|e| format!("{}: {e}", stale.display()))?;
    }
    codegen::output::ensure(&out, &g.files, &[], false).map_err(|e| e.to_string())?;
    let dir = out.join("rust").join(&crate_name);
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).map_err(|e| format!("{}: {e}", dir.join(f).display()));
    let (readme, client) = (read("README.md")?, read("src/client.rs")?);
    let features = features(&readme, &client);
    if features.is_empty() {
        return Err(format!("{crate_name} has no tag features: nothing to compare"));
    }
    let chosen: Vec<&Feature> = match &tags {
        Some(names) => names
            .iter()
            .map(|n| features.iter().find(|f| &f.name == n).ok_or_else(|| format!("no feature {n:?}; the crate has: {}", names_of(&features))))
            .collect::<Result<_, _>>()?,
        None => pick(&features),
    };
    std::fs::write(out.join("Cargo.toml"), format!("[workspace]\nresolver = \"3\"\nmembers = [\"rust/{crate_name}\"]\n"))
        .map_err(|e| format!("{}: {e}", out.display()))?;

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("building dependencies (not measured)");
    let warm = measure::run(Command::new(&cargo).args(["build", "--quiet", "--no-default-features", "--features", "rustls"]).current_dir(&out))?;
    if !warm.status.success() {
        return Err(format!("building the dependencies failed:\n{}", String::from_utf8_lossy(&warm.stderr)));
    }
    let mut rows = Vec::new();
    let total_types = g.rust.as_ref().map_or(0, |r| r.types);
    let runs: Vec<(String, usize, usize, Vec<String>)> = std::iter::once(("all (default)".to_owned(), g.rust.as_ref().map_or(0, |r| r.operations), total_types, vec![]))
        .chain(std::iter::once(("none (shared types only)".to_owned(), 0, 0, vec!["--no-default-features".into(), "--features".into(), "rustls".into()])))
        .chain(chosen.iter().map(|f| (f.name.clone(), f.operations, f.types, vec!["--no-default-features".into(), "--features".into(), format!("rustls,{}", f.name)])))
        .collect();
    for (label, operations, types, flags) in runs {
        eprintln!("building {label}");
        let clean = Command::new(&cargo).args(["clean", "--quiet", "-p", &crate_name]).current_dir(&out).status().map_err(|e| format!("cannot run cargo: {e}"))?;
        if !clean.success() {
            return Err(format!("cargo clean -p {crate_name} failed"));
        }
        let cpu_before = children_cpu_secs();
        let m = measure::run(Command::new(&cargo).args(["build", "--quiet"]).args(&flags).current_dir(&out))?;
        let cpu = children_cpu_secs() - cpu_before;
        if !m.status.success() {
            return Err(format!("building {label} failed:\n{}", String::from_utf8_lossy(&m.stderr)));
        }
        let secs = m.wall.as_secs_f64();
        let mib = m.max_rss_mib();
        let met = if flags.is_empty() { secs <= ALL_SECS && mib <= ALL_MIB } else { secs <= TAG_SECS && mib <= ALL_MIB };
        rows.push(format!("| {label} | {operations} | {types} | {secs:.1} | {cpu:.1} | {mib:.0} | {} |", if met { "yes" } else { "no" }));
    }
    let table = format!(
        "Debug `cargo build` of `{crate_name}` ({} operations, {total_types} types, {} tag features) with its dependencies already built; goals: all features ≤ {ALL_SECS} s and ≤ {ALL_MIB} MiB, one tag ≤ {TAG_SECS} s. Types of a tag: those it gates alone (types several tags reach are on with any of them; the webhook event enum and the payload types only it names are behind `webhook-events`, off in the one-tag rows). CPU s: user + system time of cargo and rustc (wall time grows when other work shares the machine; CPU time much less). Load average at the end: {}.\n\n| feature | operations | types | wall s | CPU s | peak MiB | goal met? |\n| --- | ---: | ---: | ---: | ---: | ---: | --- |\n{}\n",
        g.rust.as_ref().map_or(0, |r| r.operations),
        features.len(),
        std::fs::read_to_string("/proc/loadavg").map(|l| l.split(' ').take(3).collect::<Vec<_>>().join(" ")).unwrap_or_else(|_| "unknown".into()),
        rows.join("\n")
    );
    print!("{table}");
    let bench = root.join("target/bench");
    std::fs::create_dir_all(&bench).map_err(|e| format!("{}: {e}", bench.display()))?;
    std::fs::write(bench.join("feature-builds.md"), &table).map_err(|e| format!("{}: {e}", bench.display()))?;
    Ok(())
}

/// User + system CPU seconds of every child process waited for so far.
fn children_cpu_secs() -> f64 {
    // SAFETY: an all-zero rusage is a valid value of this plain C struct,
    // and the pointer is valid for the call.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

fn names_of(features: &[Feature]) -> String {
    features.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")
}

/// The smallest, the median and the largest feature by operation count.
fn pick(features: &[Feature]) -> Vec<&Feature> {
    let mut sorted: Vec<&Feature> = features.iter().collect();
    sorted.sort_by_key(|f| (f.operations, f.name.clone()));
    let mut out: Vec<&Feature> = Vec::new();
    for i in [0, sorted.len() / 2, sorted.len() - 1] {
        if !out.iter().any(|f| f.name == sorted[i].name) {
            out.push(sorted[i]);
        }
    }
    out
}

/// The tag features: operations from the README's feature table, types
/// from the structs and enums `src/client.rs` gates with that feature alone.
fn features(readme: &str, client: &str) -> Vec<Feature> {
    let mut out: Vec<Feature> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| feature | tag | operations |"))
        .skip(2)
        .take_while(|l| l.starts_with("| `"))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            let name = cells.first()?.trim_start_matches("| `").trim_end_matches('`').to_owned();
            let operations = cells.last()?.trim_end_matches(" |").trim().parse().ok()?;
            Some(Feature { name, operations, types: 0 })
        })
        .collect();
    // prettyplease indents four spaces a level: `types` items are at four,
    // typify's `types::builder` at eight; progenitor's builders, also at
    // four, borrow the client (`<'a>`).
    let lines: Vec<&str> = client.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        let Some(name) = l.strip_prefix("    #[cfg(feature = \"").and_then(|r| r.strip_suffix("\")]")) else { continue };
        let item = lines[i + 1..].iter().map(|l| l.trim_start()).find(|l| !l.starts_with("#[") && !l.starts_with("///")).unwrap_or_default();
        if (item.starts_with("pub struct ") || item.starts_with("pub enum ")) && !item.contains("<'a>")
            && let Some(f) = out.iter_mut().find(|f| f.name == name)
        {
            f.types += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_features_and_picks_three() {
        let readme = "## Features\n\n| feature | tag | operations |\n| --- | --- | --- |\n| `a` | A | 5 |\n| `b` | B \\| x | 1 |\n| `c` | C | 9 |\n| `d` | D | 3 |\n\n## Operations";
        let client = "pub mod types {\n    #[cfg(feature = \"a\")]\n    ///doc\n    #[derive(Clone)]\n    pub struct X {}\n    #[cfg(feature = \"a\")]\n    impl X {}\n    #[cfg(feature = \"c\")]\n    pub enum Y {}\n    pub mod builder {\n        #[cfg(feature = \"a\")]\n        pub struct X {}\n    }\n}\npub mod builder {\n    #[cfg(feature = \"a\")]\n    pub struct Op<'a> {}\n}";
        let f = features(readme, client);
        let got: Vec<(&str, usize, usize)> = f.iter().map(|f| (f.name.as_str(), f.operations, f.types)).collect();
        assert_eq!(got, [("a", 5, 1), ("b", 1, 0), ("c", 9, 1), ("d", 3, 0)]);
        let picked: Vec<&str> = pick(&f).iter().map(|f| f.name.as_str()).collect();
        assert_eq!(picked, ["b", "a", "c"], "smallest, median, largest");
    }
}
