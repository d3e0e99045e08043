//! Rule ids and their levels.
//!
//! `oasdiff_rules.tsv` lists oasdiff's 509 rule ids with their level (from
//! oasdiff's checker, Apache-2.0); [`OWN`] adds the rules oasdiff lacks.

use super::Level;

const OASDIFF: &str = include_str!("oasdiff_rules.tsv");

/// Rules of our own: changes that matter to generated SDKs.
pub const OWN: &[(&str, Level)] = &[
    ("operation-id-renamed", Level::Err),
    ("schema-renamed", Level::Warn),
    ("api-schema-added", Level::Info),
    ("sse-event-type-added", Level::Warn),
    ("sse-event-type-removed", Level::Err),
    ("sse-stream-added", Level::Info),
    ("sse-stream-removed", Level::Err),
    ("pagination-changed", Level::Err),
    ("request-body-format-changed", Level::Err),
    ("request-property-format-changed", Level::Err),
    ("request-parameter-format-changed", Level::Err),
    ("response-body-format-changed", Level::Err),
    ("response-property-format-changed", Level::Err),
];

/// The level of a rule id, or `None` for an unknown id.
pub fn level(rule: &str) -> Option<Level> {
    if let Some((_, l)) = OWN.iter().find(|(id, _)| *id == rule) {
        return Some(*l);
    }
    OASDIFF.lines().find_map(|line| {
        let (id, level) = line.split_once('\t')?;
        if id == rule { Level::parse(level.trim()) } else { None }
    })
}

/// Every rule id we know, with its level: oasdiff's, then ours.
pub fn all() -> Vec<(String, Level)> {
    let mut out: Vec<(String, Level)> = OASDIFF
        .lines()
        .filter_map(|line| {
            let (id, level) = line.split_once('\t')?;
            Some((id.to_owned(), Level::parse(level.trim())?))
        })
        .collect();
    out.extend(OWN.iter().map(|(id, l)| ((*id).to_owned(), *l)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_oasdiff_and_own_levels() {
        assert_eq!(level("request-body-removed"), Some(Level::Err));
        assert_eq!(level("response-property-enum-value-added"), Some(Level::Warn));
        assert_eq!(level("endpoint-added"), Some(Level::Info));
        assert_eq!(level("operation-id-renamed"), Some(Level::Err));
        assert_eq!(level("no-such-rule"), None);
        assert!(all().len() > 509);
    }
}
