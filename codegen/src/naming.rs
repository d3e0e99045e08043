//! Names in target languages: casing (heck), reserved words, and
//! deterministic disambiguation of names that collide once cased.
//!
//! Every back end that is not Rust (progenitor names Rust items itself)
//! goes through a [`Namer`]: one per scope (a module's types, a class's
//! members, a function's parameters). The first claimant of a cased name
//! keeps it; later ones get `2`, `3`, ... in claim order, and claim order is
//! document order, so the same spec always gives the same names.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// A casing convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `PetStore`.
    Pascal,
    /// `petStore`.
    Camel,
    /// `pet_store`.
    Snake,
    /// `PET_STORE`.
    ShoutySnake,
}

impl Case {
    /// `raw` in this case. Characters that cannot start or be part of an
    /// identifier are dropped; an empty result becomes `_`, and a leading
    /// digit gets a `_` in front.
    pub fn apply(self, raw: &str) -> String {
        let cleaned: String = raw.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
        let cased = match self {
            Case::Pascal => cleaned.to_upper_camel_case(),
            Case::Camel => cleaned.to_lower_camel_case(),
            Case::Snake => cleaned.to_snake_case(),
            Case::ShoutySnake => cleaned.to_shouty_snake_case(),
        };
        if cased.is_empty() {
            "_".to_owned()
        } else if cased.starts_with(|c: char| c.is_ascii_digit()) {
            format!("_{cased}")
        } else {
            cased
        }
    }
}

/// Hands out distinct names within one scope.
#[derive(Debug, Clone)]
pub struct Namer {
    case: Case,
    reserved: BTreeSet<String>,
    /// Suffix appended to a reserved word (`_` for Python and TypeScript).
    escape: &'static str,
    taken: BTreeSet<String>,
    by_key: BTreeMap<String, String>,
}

impl Namer {
    /// A scope whose names are in `case`, never one of `reserved` (a
    /// reserved word gets `escape` appended).
    pub fn new(case: Case, reserved: &[&str], escape: &'static str) -> Self {
        Self {
            case,
            reserved: reserved.iter().map(|s| (*s).to_owned()).collect(),
            escape,
            taken: BTreeSet::new(),
            by_key: BTreeMap::new(),
        }
    }

    /// Reserves a name (already cased) so nothing else gets it.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// A name for `raw` that differs from every name handed out so far,
    /// even one handed out for the same `raw` (for names the generator
    /// makes up, which must never merge with a spec name).
    pub fn fresh(&mut self, raw: &str) -> String {
        let mut base = self.case.apply(raw);
        if self.reserved.contains(&base) {
            base.push_str(self.escape);
        }
        let mut candidate = base.clone();
        let mut n = 2;
        while !self.is_free(&candidate) {
            candidate = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }

    /// Whether `name` (already cased) is neither taken nor reserved.
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(name) && !self.reserved.contains(name)
    }

    /// The name for `raw`. The same `raw` always gets the same name; a
    /// different `raw` that cases to a taken name gets the next free
    /// numbered one.
    pub fn name(&mut self, raw: &str) -> String {
        if let Some(n) = self.by_key.get(raw) {
            return n.clone();
        }
        let candidate = self.fresh(raw);
        self.by_key.insert(raw.to_owned(), candidate.clone());
        candidate
    }
}

fn singular(w: &str) -> &str {
    w.strip_suffix('s').unwrap_or(w)
}

/// The words of a snake-case operation name that are not words of `tag`
/// (singular or plural): `create_assistant` under `Assistants` → `[create]`.
/// Every back end's short method names inside a resource group start here.
pub fn without_tag_words<'a>(op_snake: &'a str, tag: &str) -> Vec<&'a str> {
    let tag_words: BTreeSet<String> = tag.to_snake_case().split('_').flat_map(|w| [w.to_owned(), singular(w).to_owned()]).collect();
    op_snake.split('_').filter(|w| !tag_words.contains(*w) && !tag_words.contains(singular(w))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_and_escapes() {
        let cases = [
            (Case::Pascal, "pet-store", "PetStore"),
            (Case::Camel, "Pet_store", "petStore"),
            (Case::Snake, "petStore", "pet_store"),
            (Case::ShoutySnake, "in-progress", "IN_PROGRESS"),
            (Case::Snake, "2fa", "_2fa"),
            (Case::Pascal, "+1", "_1"),
            (Case::Pascal, "!!", "_"),
        ];
        for (case, raw, want) in cases {
            assert_eq!(case.apply(raw), want, "{case:?} {raw}");
        }
    }

    #[test]
    fn collisions_are_numbered_in_claim_order() {
        let mut n = Namer::new(Case::Snake, &["class", "from"], "_");
        assert_eq!(n.name("fooBar"), "foo_bar");
        assert_eq!(n.name("foo_bar"), "foo_bar2");
        assert_eq!(n.name("FooBar"), "foo_bar3");
        assert_eq!(n.name("fooBar"), "foo_bar", "same raw, same name");
        assert_eq!(n.name("class"), "class_");
        assert_eq!(n.name("class_"), "class_2");
        n.reserve("taken");
        assert_eq!(n.name("Taken"), "taken2");
        assert!(!n.is_free("taken") && !n.is_free("class") && n.is_free("free"));
        assert_eq!(n.fresh("fooBar"), "foo_bar4", "fresh never reuses a name, even for the same raw");
        assert_eq!(n.fresh("class"), "class_3");
        assert_eq!(n.name("fooBar"), "foo_bar", "name keeps its own mapping");
    }
}
