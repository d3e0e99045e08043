//! What generation did besides emitting code: every rewrite, degradation and
//! skipped operation, each with the JSON pointer it concerns.
//!
//! **Invariant:** an operation that is not generated appears here by name with
//! a reason; nothing is dropped silently.

use std::fmt;

/// How much a note matters to a user of the generated SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// A faithful rewrite (3.1 → 3.0 spelling, a synthesized name).
    Rewrite,
    /// The SDK is less typed than the spec (a body returned as raw bytes).
    Degraded,
    /// Part of the API is missing from the SDK.
    Skipped,
}

/// One thing the generator wants a human to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// How much it matters.
    pub severity: Severity,
    /// JSON pointer into the input spec.
    pub pointer: String,
    /// What happened and why.
    pub message: String,
}

/// The notes of one run, in the order they were made.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// All notes.
    pub notes: Vec<Note>,
    /// Faithful rewrites, counted by kind (they can number thousands), with
    /// the pointer of the first occurrence.
    pub rewrites: std::collections::BTreeMap<&'static str, (usize, String)>,
}

impl Report {
    /// Appends another report's notes and adds up its rewrite counts.
    pub(crate) fn merge(&mut self, other: Report) {
        self.notes.extend(other.notes);
        for (kind, (count, first)) in other.rewrites {
            self.rewrites.entry(kind).or_insert((0, first)).0 += count;
        }
    }

    pub(crate) fn rewrite(&mut self, kind: &'static str, pointer: &str) {
        let entry = self.rewrites.entry(kind).or_insert_with(|| (0, pointer.to_owned()));
        entry.0 += 1;
    }

    pub(crate) fn add(&mut self, severity: Severity, pointer: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Note { severity, pointer: pointer.into(), message: message.into() });
    }

    /// Notes of one severity.
    pub fn of(&self, severity: Severity) -> impl Iterator<Item = &Note> {
        self.notes.iter().filter(move |n| n.severity == severity)
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.severity {
            Severity::Rewrite => "rewrite",
            Severity::Degraded => "degraded",
            Severity::Skipped => "skipped",
        };
        write!(f, "{tag}: {}: {}", self.pointer, self.message)
    }
}
