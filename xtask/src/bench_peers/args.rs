//! The command line of `bench-peers`: parsed into `Options`, with every
//! mistake an error message that ends in the usage line.

use std::path::PathBuf;
use std::time::Duration;

pub const USAGE: &str = "usage: cargo xtask bench-peers [--runs N] [--only SUBSTR] [--tools A,B] \
                         [--corpus DIR] [--timeout SECS] [--no-install]";

/// What to run and how often.
#[derive(Debug, PartialEq)]
pub struct Options {
    /// Rounds per spec; every tool runs once per round.
    pub runs: usize,
    /// Only specs whose short name or file name contains this.
    pub only: Option<String>,
    /// Only these tools (names as in the table); all when `None`.
    pub tools: Option<Vec<String>>,
    /// Where the corpus specs are; `<repo>/../shared/corpus` when `None`.
    pub corpus: Option<PathBuf>,
    /// Per-run limit; a run past it is killed and reported as timed out.
    pub timeout: Duration,
    /// Do not install missing peers; their rows say "not installed".
    pub no_install: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            runs: 3,
            only: None,
            tools: None,
            corpus: None,
            timeout: Duration::from_secs(600),
            no_install: false,
        }
    }
}

pub fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut args = args.iter();
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{a} needs a value; {USAGE}"));
        match a.as_str() {
            "--runs" => o.runs = positive(a, value()?)?,
            "--timeout" => o.timeout = Duration::from_secs(positive(a, value()?)? as u64),
            "--only" => o.only = Some(value()?.clone()),
            "--corpus" => o.corpus = Some(PathBuf::from(value()?)),
            "--tools" => {
                let list: Vec<String> = value()?
                    .split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(String::from)
                    .collect();
                if list.is_empty() {
                    return Err(format!("--tools needs at least one name; {USAGE}"));
                }
                o.tools = Some(list);
            }
            "--no-install" => o.no_install = true,
            other => return Err(format!("unexpected argument {other:?}; {USAGE}")),
        }
    }
    Ok(o)
}

fn positive(flag: &str, v: &str) -> Result<usize, String> {
    match v.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{flag} wants a whole number above 0, not {v:?}; {USAGE}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<Options, String> {
        parse(&s.split_whitespace().map(String::from).collect::<Vec<_>>())
    }

    #[test]
    fn defaults() {
        assert_eq!(parse_str(""), Ok(Options::default()));
        assert_eq!(Options::default().runs, 3);
        assert_eq!(Options::default().timeout, Duration::from_secs(600));
    }

    #[test]
    fn every_flag() {
        let o = parse_str("--runs 5 --only git --tools ours,hey-api --corpus /c --timeout 20 --no-install").unwrap();
        assert_eq!(o.runs, 5);
        assert_eq!(o.only.as_deref(), Some("git"));
        assert_eq!(o.tools, Some(vec!["ours".to_owned(), "hey-api".to_owned()]));
        assert_eq!(o.corpus, Some(PathBuf::from("/c")));
        assert_eq!(o.timeout, Duration::from_secs(20));
        assert!(o.no_install);
    }

    #[test]
    fn mistakes_are_errors_with_the_usage() {
        for bad in [
            "--runs",
            "--runs 0",
            "--runs x",
            "--timeout -1",
            "--tools ,",
            "--frobnicate",
            "github",
        ] {
            let e = parse_str(bad).unwrap_err();
            assert!(e.ends_with(USAGE), "{bad}: {e}");
        }
        assert!(parse_str("--runs 0").unwrap_err().contains("above 0"));
        assert!(parse_str("--only").unwrap_err().starts_with("--only needs a value"));
    }
}
