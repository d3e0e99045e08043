//! Python names: keywords and soft keywords, the builtins generated code
//! must not shadow, the [`Namer`](crate::naming::Namer) scopes of a package,
//! and short method names inside a resource (`createAssistant` under
//! `Assistants` → `create`).


use heck::ToSnakeCase;

use crate::naming::{Case, Namer};

/// Keywords, soft keywords and the constants that cannot be assigned.
pub const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
    "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
    "return", "try", "while", "with", "yield", "match", "case", "type", "_",
];

/// Soft keywords: valid names (a `TypedDict` key `type: str` is fine).
const SOFT: &[&str] = &["match", "case", "type", "_"];

/// Whether `name` can be written as a Python identifier (and is not a hard
/// keyword): what decides class vs functional `TypedDict` syntax.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else { return false };
    (first == '_' || first.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && (!KEYWORDS.contains(&name) || SOFT.contains(&name))
}

/// Type names in `models.py` (PascalCase).
pub fn types() -> Namer {
    Namer::new(Case::Pascal, KEYWORDS, "_")
}

/// Parameter names of one method. `self`, the fixed keyword-only
/// parameters and anything the method body refers to are reserved.
pub fn parameters() -> Namer {
    let mut n = Namer::new(Case::Snake, KEYWORDS, "_");
    for r in ["self", "body", "extra_headers", "extra_query", "timeout", "result"] {
        n.reserve(r);
    }
    n
}

/// Method names of one resource class.
pub fn methods() -> Namer {
    let mut n = Namer::new(Case::Snake, KEYWORDS, "_");
    n.reserve("with_options");
    n
}

/// Resource attribute names of the client (`client.assistants`); the
/// client's own members are reserved.
pub fn accessors() -> Namer {
    let mut n = Namer::new(Case::Snake, KEYWORDS, "_");
    for r in [
        "close", "request", "send", "bearer", "invalidate", "base_url", "auth_url", "namespace", "timeout", "retry",
    ] {
        n.reserve(r);
    }
    n
}

/// Resource class names (`Assistants`, `AsyncAssistants`).
pub fn classes() -> Namer {
    let mut n = Namer::new(Case::Pascal, KEYWORDS, "_");
    for r in ["Client", "AsyncClient"] {
        n.reserve(r);
    }
    n
}

/// `op_id` without the words of `tag` (singular or plural), snake case;
/// `None` when nothing usable is left.
pub fn short_name(op_id: &str, tag: &str) -> Option<String> {
    let snake = op_id.to_snake_case();
    let words: Vec<&str> = crate::naming::without_tag_words(&snake, tag).into_iter().filter(|w| !w.is_empty()).collect();
    let name = words.join("_");
    (!name.is_empty() && is_identifier(&name) && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(op: &str, tag: &str, expect: Option<&str>) {
        assert_eq!(short_name(op, tag).as_deref(), expect, "{op} in {tag}");
    }

    #[test]
    fn short_names() {
        check("createAssistant", "Assistants", Some("create"));
        check("listAssistants", "Assistants", Some("list"));
        check("getWorkflowInstance", "WorkflowInstances", Some("get"));
        check("streamRoomEvents", "Rooms", Some("stream_events"));
        check("rooms", "Rooms", None);
        check("class", "import", None);
        check("importThing", "Things", None);
    }

    #[test]
    fn identifiers() {
        for (name, ok) in [("class_", true), ("class", false), ("with space", false), ("2fa", false), ("_x", true), ("", false), ("None", false), ("é", false), ("type", true)] {
            assert_eq!(is_identifier(name), ok, "{name}");
        }
    }

    #[test]
    fn scopes_escape_and_number() {
        let mut p = parameters();
        assert_eq!(p.name("from"), "from_");
        assert_eq!(p.name("self"), "self2");
        assert_eq!(p.name("fooBar"), "foo_bar");
        assert_eq!(p.name("foo_bar"), "foo_bar2");
        assert_eq!(p.name("body"), "body2");
        let mut t = types();
        assert_eq!(t.name("None"), "None_");
        assert_eq!(t.name("type"), "Type");
        assert_eq!(t.name("Type"), "Type2");
        let mut a = accessors();
        assert_eq!(a.name("Retry"), "retry2");
    }
}
