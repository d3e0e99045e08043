//! `cargo xtask fetch [URL|PATH] [--api NAME]`: bring a new spec in.
//!
//! The spec is downloaded (or read), checked to load, resolve and normalize
//! as OpenAPI 3.0/3.1, and only then written over the API's spec file,
//! with its URL, sha256 and date recorded in the API's `source.toml`.
//! **Invariant:** on any failure the old spec and source.toml are untouched.

use std::path::Path;
use std::time::Duration;

use codegen::workspace::{ApiEntry, Manifest};

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut api_name: Option<String> = None;
    let mut location: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--api" => api_name = Some(it.next().ok_or("--api needs a name")?.clone()),
            s if s.starts_with('-') => return Err(format!("unknown flag {s:?}; usage: cargo xtask fetch [URL|PATH] [--api NAME]")),
            s if location.is_none() => location = Some(s.to_owned()),
            _ => return Err("usage: cargo xtask fetch [URL|PATH] [--api NAME]".into()),
        }
    }
    let manifest = Manifest::load(root).map_err(|e| e.to_string())?;
    let entry: &ApiEntry = match &api_name {
        Some(n) => manifest.api.iter().find(|a| &a.name == n).ok_or_else(|| format!("no API named {n:?} in sdk.toml"))?,
        None => manifest.api.first().ok_or("sdk.toml lists no API")?,
    };
    let source_path = entry.source.as_ref().map(|s| root.join(s));
    let location = match location {
        Some(l) => l,
        None => {
            let path = source_path.as_ref().ok_or_else(|| format!("API {:?} has no `source` file in sdk.toml; give a URL or path", entry.name))?;
            recorded_url(path)?
        }
    };
    let bytes = if location.starts_with("http://") || location.starts_with("https://") {
        download(&location)?
    } else {
        std::fs::read(&location).map_err(|e| format!("cannot read {location}: {e}"))?
    };
    let mut report = codegen::Report::default();
    codegen::analyze(&location, &bytes, &mut report)
        .map_err(|e| format!("{e}\nthe spec was not replaced"))?;
    let spec_path = root.join(&entry.spec);
    write_atomically(&spec_path, &bytes)?;
    let sha = codegen::load::sha256_hex(&bytes);
    if let Some(path) = &source_path {
        let url = if location.contains("://") {
            location.clone()
        } else {
            std::fs::canonicalize(&location).map(|p| p.display().to_string()).unwrap_or(location.clone())
        };
        let text = format!(
            "# Where {} came from. Written by `cargo xtask fetch`; `cargo xtask fetch`\n# with no argument fetches `url` again.\nurl = {}\nsha256 = \"{sha}\"\nfetched = \"{}\"\n",
            entry.spec,
            toml_string(&url),
            today()
        );
        write_atomically(path, text.as_bytes())?;
    }
    println!("{}: {} bytes from {location}, sha256 {sha}; run `cargo xtask regen`", entry.spec, bytes.len());
    Ok(())
}

fn recorded_url(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    table
        .get("url")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .ok_or_else(|| format!("{}: no `url` recorded; give a URL or path", path.display()))
}

fn download(url: &str) -> Result<Vec<u8>, String> {
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .http_status_as_error(false)
        .build()
        .new_agent();
    let mut response = agent.get(url).call().map_err(|e| format!("cannot fetch {url}: {e}\nthe spec was not replaced"))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("fetching {url} answered HTTP {status}; the spec was not replaced"));
    }
    response
        .body_mut()
        .with_config()
        .limit(256 * 1024 * 1024)
        .read_to_vec()
        .map_err(|e| format!("reading {url}: {e}\nthe spec was not replaced"))
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension("fetch-tmp");
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&tmp, bytes).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// Today's UTC date as `YYYY-MM-DD`. Hand-written (Howard Hinnant's
/// days-to-civil) to keep a date crate out of xtask for one line of output.
fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
