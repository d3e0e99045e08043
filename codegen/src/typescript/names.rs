//! TypeScript names: reserved words, scopes for each kind of name, and
//! string literals.
//!
//! JSON property names and wire names are never renamed: they are written
//! as they are, quoted when they are not identifiers ([`property_key`]).
//! Identifiers the generator makes (types, classes, parameters, members)
//! come from a [`Namer`] per scope, so names that collide once cased are
//! numbered deterministically.

use crate::naming::{Case, Namer};

/// Words that cannot be variable or parameter names in strict-mode ES
/// modules, plus globals a generated name must not shadow.
pub const RESERVED_VALUES: &[&str] = &[
    "arguments", "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum",
    "eval", "export", "extends", "false", "finally", "for", "function", "if", "implements", "import", "in", "Infinity", "instanceof",
    "interface", "let", "NaN", "new", "null", "package", "private", "protected", "public", "return", "static", "super", "switch", "this",
    "throw", "true", "try", "typeof", "undefined", "var", "void", "while", "with", "yield",
];

/// Names a type or class cannot have: the above and TypeScript's built-in
/// type names.
pub const RESERVED_TYPES: &[&str] = &[
    "any", "arguments", "asserts", "await", "bigint", "boolean", "break", "case", "catch", "class", "const", "continue", "debugger",
    "declare", "default", "delete", "do", "else", "enum", "eval", "export", "extends", "false", "finally", "for", "function", "global",
    "if", "implements", "import", "in", "infer", "instanceof", "interface", "is", "keyof", "let", "module", "namespace", "never", "new",
    "null", "number", "object", "package", "private", "protected", "public", "readonly", "require", "return", "static", "string",
    "super", "switch", "symbol", "this", "throw", "true", "try", "type", "typeof", "undefined", "unique", "unknown", "var", "void",
    "while", "with", "yield",
];

/// Class members that must not be redefined.
pub const RESERVED_MEMBERS: &[&str] = &["constructor", "prototype", "toJSON", "toString"];

/// Members of the runtime's `BaseClient` that a resource property must not
/// shadow.
pub const BASE_CLIENT_MEMBERS: &[&str] = &[
    "authURL", "baseURL", "namespace", "paginate", "request", "retry", "send", "stream", "timeoutMs",
];

/// A scope of type and class names.
pub fn types() -> Namer {
    Namer::new(Case::Pascal, RESERVED_TYPES, "_")
}

/// A scope of parameter and variable names.
pub fn values() -> Namer {
    Namer::new(Case::Camel, RESERVED_VALUES, "_")
}

/// A scope of class members.
pub fn members() -> Namer {
    Namer::new(Case::Camel, RESERVED_MEMBERS, "_")
}

/// Whether `name` is an ASCII identifier (so it can be a property key
/// without quotes).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// A string literal: JSON's escaping, plus U+2028/U+2029 and `<` escaped so
/// the text means the same in every JavaScript context.
pub fn string_literal(text: &str) -> String {
    let json = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned());
    json.replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029").replace('<', "\\u003c")
}

/// `name` as a property key: bare when it is an identifier, quoted
/// otherwise. `__proto__` is always quoted (a bare one in an object literal
/// sets the prototype).
pub fn property_key(name: &str) -> String {
    if is_identifier(name) && name != "__proto__" { name.to_owned() } else { string_literal(name) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(f: fn(&str) -> String, input: &str, expect: &str) {
        assert_eq!(f(input), expect, "{input:?}");
    }

    #[test]
    fn keys_and_literals() {
        check(property_key, "name", "name");
        check(property_key, "$ref", "$ref");
        check(property_key, "with space", "\"with space\"");
        check(property_key, "with-dash", "\"with-dash\"");
        check(property_key, "2fa", "\"2fa\"");
        check(property_key, "__proto__", "\"__proto__\"");
        check(property_key, "", "\"\"");
        check(string_literal, "*/ \"\"\" ${x} `y`", "\"*/ \\\"\\\"\\\" ${x} `y`\"");
        check(string_literal, "a\u{2028}b</script>", "\"a\\u2028b\\u003c/script>\"");
        check(string_literal, "back\\slash\n", "\"back\\\\slash\\n\"");
    }

    #[test]
    fn scopes_escape_reserved_words() {
        let mut t = types();
        assert_eq!(t.name("type"), "Type");
        assert_eq!(t.name("string"), "String");
        assert_eq!(t.name("user"), "User");
        assert_eq!(t.name("User"), "User2");
        let mut v = values();
        assert_eq!(v.name("class"), "class_");
        assert_eq!(v.name("self"), "self");
        assert_eq!(v.name("from"), "from");
        assert_eq!(v.name("default"), "default_");
        assert_eq!(v.name("X-Await"), "xAwait");
        let mut m = members();
        assert_eq!(m.name("constructor"), "constructor_");
        assert_eq!(m.name("delete"), "delete");
    }
}
