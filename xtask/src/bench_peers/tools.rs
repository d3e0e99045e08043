//! The tools compared: ours (all three languages in one run, and each
//! language alone) and the peers, each with the command line that
//! generates one spec into an empty directory.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::install::{self, Cache, Package};

/// The language a tool writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Ours with every language at once.
    All,
    Rust,
    TypeScript,
    Python,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::All => "all three",
            Lang::Rust => "rust",
            Lang::TypeScript => "typescript",
            Lang::Python => "python",
        }
    }
}

/// How a tool is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Runner {
    /// `xtask gen` (release build), with `--lang` when `Some`.
    Ours(Option<&'static str>),
    Progenitor,
    /// openapi-generator with this generator (`-g`).
    OpenapiGenerator(&'static str),
    OpenapiTypescript,
    HeyApi,
    OpenapiPythonClient,
}

/// One row kind of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tool {
    pub name: &'static str,
    pub lang: Lang,
    runner: Runner,
}

pub const TOOLS: &[Tool] = &[
    Tool {
        name: "ours",
        lang: Lang::All,
        runner: Runner::Ours(None),
    },
    Tool {
        name: "ours-rust",
        lang: Lang::Rust,
        runner: Runner::Ours(Some("rust")),
    },
    Tool {
        name: "ours-typescript",
        lang: Lang::TypeScript,
        runner: Runner::Ours(Some("typescript")),
    },
    Tool {
        name: "ours-python",
        lang: Lang::Python,
        runner: Runner::Ours(Some("python")),
    },
    Tool {
        name: "progenitor",
        lang: Lang::Rust,
        runner: Runner::Progenitor,
    },
    Tool {
        name: "openapi-generator-rust",
        lang: Lang::Rust,
        runner: Runner::OpenapiGenerator("rust"),
    },
    Tool {
        name: "openapi-generator-typescript-fetch",
        lang: Lang::TypeScript,
        runner: Runner::OpenapiGenerator("typescript-fetch"),
    },
    Tool {
        name: "openapi-generator-python",
        lang: Lang::Python,
        runner: Runner::OpenapiGenerator("python"),
    },
    Tool {
        name: "openapi-typescript",
        lang: Lang::TypeScript,
        runner: Runner::OpenapiTypescript,
    },
    Tool {
        name: "hey-api",
        lang: Lang::TypeScript,
        runner: Runner::HeyApi,
    },
    Tool {
        name: "openapi-python-client",
        lang: Lang::Python,
        runner: Runner::OpenapiPythonClient,
    },
];

/// What every tool's run needs besides the spec.
pub struct Context {
    /// The release `xtask` binary.
    pub ours: PathBuf,
    pub cache: Cache,
}

impl Tool {
    pub fn is_ours(&self) -> bool {
        matches!(self.runner, Runner::Ours(_))
    }

    /// The package to install, for peers.
    pub fn package(&self) -> Option<Package> {
        match self.runner {
            Runner::Ours(_) => None,
            Runner::Progenitor => Some(install::PROGENITOR),
            Runner::OpenapiGenerator(_) => Some(install::OPENAPI_GENERATOR),
            Runner::OpenapiTypescript => Some(install::OPENAPI_TYPESCRIPT),
            Runner::HeyApi => Some(install::HEY_API),
            Runner::OpenapiPythonClient => Some(install::OPENAPI_PYTHON_CLIENT),
        }
    }

    /// What this tool writes, when it is less than an SDK.
    pub fn note(&self) -> Option<&'static str> {
        match self.runner {
            Runner::OpenapiTypescript => Some("types only (one `schema.ts`), no client code"),
            Runner::OpenapiPythonClient => Some("includes its default post-hooks (`ruff check --fix`, `ruff format`)"),
            Runner::OpenapiGenerator(_) => Some(
                "run with `--skip-validate-spec` and `JAVA_OPTS=-DmaxYamlCodePoints=1000000000` (Stripe's YAML is over its 3 Mi default); one JVM start per run",
            ),
            Runner::Progenitor => Some("the progenitor version our Rust back end embeds"),
            _ => None,
        }
    }

    /// Whether a failure's cause is printed on stdout and only a summary on
    /// stderr (progenitor's CLI: `gen fail: ...` then `Error: generation
    /// experienced errors`).
    pub fn cause_on_stdout(&self) -> bool {
        self.runner == Runner::Progenitor
    }

    /// The command that generates `spec` into `out` (which does not exist
    /// yet); `name` is a package name for tools that want one.
    pub fn command(&self, cx: &Context, spec: &Path, name: &str, out: &Path) -> Command {
        let bin = |p: Package| Command::new(cx.cache.bin(&p));
        let mut c = match self.runner {
            Runner::Ours(lang) => {
                let mut c = Command::new(&cx.ours);
                c.arg("gen").arg(spec).arg(out);
                if let Some(l) = lang {
                    c.args(["--lang", l]);
                }
                c
            }
            Runner::Progenitor => {
                let mut c = bin(install::PROGENITOR);
                c.args(["progenitor", "-i"])
                    .arg(spec)
                    .arg("-o")
                    .arg(out)
                    .args(["-n", name, "-v", "0.1.0"]);
                c
            }
            Runner::OpenapiGenerator(g) => {
                let mut c = bin(install::OPENAPI_GENERATOR);
                c.args(["generate", "--skip-validate-spec", "-g", g, "-i"])
                    .arg(spec)
                    .arg("-o")
                    .arg(out);
                c
            }
            Runner::OpenapiTypescript => {
                let mut c = bin(install::OPENAPI_TYPESCRIPT);
                c.arg(spec).arg("-o").arg(out.join("schema.ts"));
                c
            }
            Runner::HeyApi => {
                let mut c = bin(install::HEY_API);
                c.arg("-i").arg(spec).arg("-o").arg(out).arg("--no-log-file");
                c
            }
            Runner::OpenapiPythonClient => {
                let mut c = bin(install::OPENAPI_PYTHON_CLIENT);
                c.args(["generate", "--overwrite", "--path"])
                    .arg(spec)
                    .arg("--output-path")
                    .arg(out);
                c
            }
        };
        // The venv first: openapi-python-client's post-hooks run `ruff` from PATH.
        let mut path = OsString::from(cx.cache.venv_bin());
        path.push(":");
        path.push(cx.cache.npm_bin());
        if let Some(old) = std::env::var_os("PATH") {
            path.push(":");
            path.push(old);
        }
        c.env("PATH", path).env("NO_COLOR", "1");
        if let Runner::OpenapiGenerator(_) = self.runner {
            // swagger-parser refuses YAML over 3 Mi code points (Stripe's is
            // bigger) unless told otherwise; the wrapper passes JAVA_OPTS to java.
            c.env("JAVA_OPTS", "-DmaxYamlCodePoints=1000000000");
        }
        if let Some(parent) = out.parent() {
            c.current_dir(parent);
        }
        c
    }
}

/// The tools `--tools` names: an item selects the tool of that name and
/// every tool whose name starts with it and a `-` (`ours` selects the
/// four rows of ours, `openapi-generator` its three generators).
pub fn select(filter: Option<&[String]>) -> Result<Vec<&'static Tool>, String> {
    let Some(filter) = filter else {
        return Ok(TOOLS.iter().collect());
    };
    let picks = |item: &str, t: &Tool| t.name == item || t.name.strip_prefix(item).is_some_and(|r| r.starts_with('-'));
    if let Some(unknown) = filter.iter().find(|i| !TOOLS.iter().any(|t| picks(i, t))) {
        let names: Vec<&str> = TOOLS.iter().map(|t| t.name).collect();
        return Err(format!("no tool named {unknown:?}; tools: {}", names.join(", ")));
    }
    Ok(TOOLS.iter().filter(|t| filter.iter().any(|i| picks(i, t))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(filter: &[&str]) -> Result<Vec<&'static str>, String> {
        let f: Vec<String> = filter.iter().map(|s| s.to_string()).collect();
        select(Some(&f)).map(|ts| ts.iter().map(|t| t.name).collect())
    }

    #[test]
    fn selection_by_name_and_family() {
        assert_eq!(select(None).unwrap().len(), TOOLS.len());
        assert_eq!(
            names(&["ours"]).unwrap(),
            ["ours", "ours-rust", "ours-typescript", "ours-python"]
        );
        assert_eq!(names(&["ours-rust", "hey-api"]).unwrap(), ["ours-rust", "hey-api"]);
        assert_eq!(names(&["openapi-generator"]).unwrap().len(), 3);
        // A family is a leading whole name part: `open` and `api` select nothing.
        assert!(names(&["open"]).unwrap_err().contains("no tool named \"open\""));
        assert!(names(&["api"]).is_err());
    }

    #[test]
    fn every_language_has_ours_and_a_peer() {
        for lang in [Lang::Rust, Lang::TypeScript, Lang::Python] {
            assert!(TOOLS.iter().any(|t| t.lang == lang && t.is_ours()), "{lang:?}");
            assert!(TOOLS.iter().any(|t| t.lang == lang && !t.is_ours()), "{lang:?}");
        }
        assert!(TOOLS.iter().all(|t| t.is_ours() == t.package().is_none()));
    }

    #[test]
    fn commands_write_into_out() {
        let cx = Context {
            ours: PathBuf::from("/x/xtask"),
            cache: Cache {
                root: PathBuf::from("/c"),
            },
        };
        let out = Path::new("/o/github/hey-api");
        for t in TOOLS {
            let c = t.command(&cx, Path::new("/s/gh.json"), "peer-github", out);
            let args: Vec<String> = c.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
            assert!(
                args.iter().any(|a| a.starts_with("/o/github/hey-api")),
                "{}: {args:?}",
                t.name
            );
            assert!(args.contains(&"/s/gh.json".to_owned()), "{}: {args:?}", t.name);
            assert_eq!(c.get_current_dir(), Some(Path::new("/o/github")));
        }
    }
}
