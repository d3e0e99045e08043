//! The peers' packages, pinned, installed into a cache directory outside the
//! repository: `$SDK_PEERS_CACHE`, else `${XDG_CACHE_HOME:-~/.cache}/sdk-peers`.
//!
//! Layout: `cargo/` (`cargo install --root`), `venv/` (a Python venv),
//! `npm/` (`npm install --prefix`). A package is installed only when the
//! version found there is not the pinned one, so a second run installs
//! nothing.

use std::path::PathBuf;
use std::process::Command;

/// Where a package comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registry {
    Crates,
    PyPi,
    Npm,
}

/// One pinned package and the executable the benchmark runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Package {
    pub registry: Registry,
    pub name: &'static str,
    pub version: &'static str,
    pub bin: &'static str,
}

/// progenitor's command-line front end; the same progenitor version as the
/// one our Rust back end is built on (`Cargo.lock`).
pub const PROGENITOR: Package = Package {
    registry: Registry::Crates,
    name: "cargo-progenitor",
    version: "0.15.1",
    bin: "cargo-progenitor",
};
/// The PyPI wrapper bundles openapi-generator's jar; it runs on the machine's `java`.
pub const OPENAPI_GENERATOR: Package = Package {
    registry: Registry::PyPi,
    name: "openapi-generator-cli",
    version: "7.26.0",
    bin: "openapi-generator-cli",
};
pub const OPENAPI_PYTHON_CLIENT: Package = Package {
    registry: Registry::PyPi,
    name: "openapi-python-client",
    version: "0.29.1",
    bin: "openapi-python-client",
};
pub const OPENAPI_TYPESCRIPT: Package = Package {
    registry: Registry::Npm,
    name: "openapi-typescript",
    version: "7.13.0",
    bin: "openapi-typescript",
};
pub const HEY_API: Package = Package {
    registry: Registry::Npm,
    name: "@hey-api/openapi-ts",
    version: "0.99.0",
    bin: "openapi-ts",
};

/// The cache directory.
pub struct Cache {
    pub root: PathBuf,
}

impl Cache {
    pub fn locate() -> Result<Cache, String> {
        let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
        let root = match (env("SDK_PEERS_CACHE"), env("XDG_CACHE_HOME"), env("HOME")) {
            (Some(dir), _, _) => dir,
            (None, Some(xdg), _) => xdg.join("sdk-peers"),
            (None, None, Some(home)) => home.join(".cache/sdk-peers"),
            (None, None, None) => return Err("set SDK_PEERS_CACHE (no HOME to put ~/.cache/sdk-peers in)".into()),
        };
        Ok(Cache { root })
    }

    /// The executable of `p`.
    pub fn bin(&self, p: &Package) -> PathBuf {
        match p.registry {
            Registry::Crates => self.root.join("cargo/bin").join(p.bin),
            Registry::PyPi => self.venv_bin().join(p.bin),
            Registry::Npm => self.npm_bin().join(p.bin),
        }
    }

    /// The venv's `bin/`: on the peers' PATH (openapi-python-client runs `ruff`).
    pub fn venv_bin(&self) -> PathBuf {
        self.root.join("venv/bin")
    }

    pub fn npm_bin(&self) -> PathBuf {
        self.root.join("npm/node_modules/.bin")
    }

    /// The version of `p` installed in the cache, if any.
    pub fn installed_version(&self, p: &Package) -> Option<String> {
        if !self.bin(p).exists() {
            return None;
        }
        match p.registry {
            Registry::Crates => {
                let text = std::fs::read_to_string(self.root.join("cargo/.crates.toml")).ok()?;
                crates_toml_version(&text, p.name)
            }
            Registry::PyPi => {
                let lib = std::fs::read_dir(self.root.join("venv/lib")).ok()?;
                lib.flatten().find_map(|py| {
                    let names = std::fs::read_dir(py.path().join("site-packages")).ok()?;
                    let names: Vec<String> = names
                        .flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect();
                    dist_info_version(&names, p.name)
                })
            }
            Registry::Npm => {
                let manifest = self.root.join("npm/node_modules").join(p.name).join("package.json");
                let json: serde_json::Value = serde_json::from_slice(&std::fs::read(manifest).ok()?).ok()?;
                json.get("version")?.as_str().map(String::from)
            }
        }
    }

    /// Installs `p` unless its pinned version is already there.
    pub fn ensure(&self, p: &Package) -> Result<(), String> {
        if self.installed_version(p).as_deref() == Some(p.version) {
            return Ok(());
        }
        eprintln!("installing {} {} into {}", p.name, p.version, self.root.display());
        std::fs::create_dir_all(&self.root).map_err(|e| format!("cannot create {}: {e}", self.root.display()))?;
        let pinned = |sep: &str| format!("{}{sep}{}", p.name, p.version);
        let mut cmd = match p.registry {
            Registry::Crates => {
                let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
                c.args(["install", "--locked", "--root"])
                    .arg(self.root.join("cargo"))
                    .arg(pinned("@"));
                c
            }
            Registry::PyPi => {
                let python = self.venv_bin().join("python");
                if !python.exists() {
                    run(Command::new("python3").args(["-m", "venv"]).arg(self.root.join("venv")))?;
                }
                let mut c = Command::new(python);
                c.args(["-m", "pip", "install", "--quiet"]).arg(pinned("=="));
                c
            }
            Registry::Npm => {
                let mut c = Command::new("npm");
                c.args(["install", "--no-audit", "--no-fund", "--prefix"])
                    .arg(self.root.join("npm"))
                    .arg(pinned("@"));
                c
            }
        };
        run(&mut cmd)?;
        match self.installed_version(p) {
            Some(v) if v == p.version => Ok(()),
            other => Err(format!(
                "{} installed, but found version {other:?}, not {}",
                p.name, p.version
            )),
        }
    }
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed ({status})"))
    }
}

/// The version of `krate` in cargo's `.crates.toml` (`"NAME VERSION (SOURCE)" = [...]`).
pub fn crates_toml_version(text: &str, krate: &str) -> Option<String> {
    let prefix = format!("\"{krate} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix)?.split_whitespace().next().map(String::from))
}

/// The version of distribution `dist` among site-packages entries
/// (`openapi_generator_cli-7.26.0.dist-info`; names compare case-insensitively
/// with `-`, `_` and `.` alike, as pip normalizes them).
pub fn dist_info_version(names: &[String], dist: &str) -> Option<String> {
    let norm = |s: &str| s.to_lowercase().replace(['-', '.'], "_");
    let want = norm(dist);
    names.iter().find_map(|n| {
        let stem = n.strip_suffix(".dist-info")?;
        let (name, version) = stem.rsplit_once('-')?;
        (norm(name) == want).then(|| version.to_owned())
    })
}

/// The first line `java -version` prints, or why there is none.
pub fn java_version() -> String {
    match Command::new("java").arg("-version").output() {
        Ok(o) => String::from_utf8_lossy(&o.stderr)
            .lines()
            .next()
            .unwrap_or("java: no version line")
            .to_owned(),
        Err(e) => format!("no java: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_install_records() {
        let text = "[v1]\n\"cargo-nextest 0.9.1 (registry+https://x)\" = [\"cargo-nextest\"]\n\
                    \"cargo-progenitor 0.15.1 (registry+https://x)\" = [\"cargo-progenitor\"]\n";
        assert_eq!(crates_toml_version(text, "cargo-progenitor").as_deref(), Some("0.15.1"));
        assert_eq!(crates_toml_version(text, "cargo"), None);
    }

    #[test]
    fn reads_dist_info_names() {
        let names: Vec<String> = [
            "pip-24.0.dist-info",
            "openapi_generator_cli-7.26.0.dist-info",
            "openapi_python_client",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            dist_info_version(&names, "openapi-generator-cli").as_deref(),
            Some("7.26.0")
        );
        assert_eq!(dist_info_version(&names, "openapi-python-client"), None);
    }
}
