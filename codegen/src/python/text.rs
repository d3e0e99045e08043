//! Spec text inside Python source: string literals, docstrings and
//! comments that still parse, and mean the same, whatever the spec holds
//! (`"""`, backslashes, NUL and other control characters, `{{ }}`).
//!
//! Nothing from the spec is ever parsed by minijinja: templates receive the
//! already-escaped text as values.

/// `s` as a double-quoted Python string literal.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => push_plain(&mut out, c),
        }
    }
    out.push('"');
    out
}

/// `s` as a TOML basic string (`pyproject.toml`): TOML has `\uXXXX`
/// where Python has `\xNN`.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters that cannot appear raw in Python source (control
/// characters, NUL) as `\xNN`; the rest as is.
fn push_plain(out: &mut String, c: char) {
    if (c as u32) < 0x20 || c == '\x7f' {
        out.push_str(&format!("\\x{:02x}", c as u32));
    } else {
        out.push(c);
    }
}

/// The body of a `"""` docstring (without the quotes), continuation lines
/// indented by `indent`. Backslashes and quotes are escaped, so the
/// docstring's value is exactly `text` (modulo the indentation
/// `inspect.cleandoc` removes); a trailing quote cannot close it early.
pub fn docstring(text: &str, indent: &str) -> String {
    let text = text.trim_end();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => {
                out.push('\n');
                out.push_str(indent);
            }
            '\t' => out.push('\t'),
            c => push_plain(&mut out, c),
        }
    }
    // Indentation on blank lines is noise.
    out.split('\n').map(|l| if l.trim().is_empty() { "" } else { l }).collect::<Vec<_>>().join("\n")
}

/// `text` as `#` comment lines at `indent` (one per line of `text`).
pub fn comment(text: &str, indent: &str) -> String {
    text.trim_end()
        .lines()
        .map(|line| {
            let mut out = String::new();
            for c in line.chars() {
                if c == '\t' {
                    out.push(' ');
                } else {
                    push_plain(&mut out, c);
                }
            }
            let out = out.trim_end().to_owned();
            if out.is_empty() { format!("{indent}#") } else { format!("{indent}# {out}") }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The summary and description of something, joined by a blank line.
pub fn doc(summary: Option<&str>, description: Option<&str>) -> String {
    let parts: Vec<&str> = [summary, description].into_iter().flatten().map(str::trim).filter(|s| !s.is_empty()).collect();
    match parts.as_slice() {
        [a, b] if a == b => (*a).to_owned(),
        _ => parts.join("\n\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(f: fn(&str) -> String, input: &str, expect: &str) {
        assert_eq!(f(input), expect, "input {input:?}");
    }

    #[test]
    fn strings() {
        check(string, "plain", r#""plain""#);
        check(string, r#"say "hi""#, r#""say \"hi\"""#);
        check(string, r"C:\path\n", r#""C:\\path\\n""#);
        check(string, "a\nb\r\tc", r#""a\nb\r\tc""#);
        check(string, "nul\0bell\x07del\x7f", r#""nul\x00bell\x07del\x7f""#);
        check(string, "{{ jinja }} ${x} `y` */", r#""{{ jinja }} ${x} `y` */""#);
        check(string, "é ✓", "\"é ✓\"");
    }

    #[test]
    fn toml_strings() {
        check(toml_string, "interactor-sdk", r#""interactor-sdk""#);
        check(toml_string, "a \"b\" \\ c", r#""a \"b\" \\ c""#);
        check(toml_string, "nul\0\ttab\n", r#""nul\u0000\ttab\n""#);
    }

    #[test]
    fn docstrings() {
        let d = |s: &str| docstring(s, "    ");
        check(d, r#"Ends with a quote""#, r#"Ends with a quote\""#);
        check(d, r#"""" closed """"#, r#"\"\"\" closed \"\"\""#);
        check(d, r"Ends with a backslash \", r"Ends with a backslash \\");
        check(d, r"\n is not a newline \u0000", r"\\n is not a newline \\u0000");
        check(d, "two\nlines\n\nthree", "two\n    lines\n\n    three");
        check(d, "cr\rnul\0", r"cr\x0dnul\x00");
        check(d, "trailing \n\n", "trailing");
    }

    #[test]
    fn comments() {
        let c = |s: &str| comment(s, "    ");
        check(c, "one", "    # one");
        check(c, "one\n\ntwo\r\nthree", "    # one\n    #\n    # two\n    # three");
        check(c, "nul\0 */ \"\"\"", "    # nul\\x00 */ \"\"\"");
    }

    #[test]
    fn docs_join() {
        assert_eq!(doc(Some("S"), Some("D")), "S\n\nD");
        assert_eq!(doc(Some("S"), Some("S")), "S");
        assert_eq!(doc(None, Some(" D ")), "D");
        assert_eq!(doc(Some(""), None), "");
    }
}
