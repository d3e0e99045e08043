//! JSDoc comments from spec text.
//!
//! Spec text is untrusted: a description may hold `*/` (which would end the
//! comment and turn the rest into code), stray `/*`, or line separators.
//! [`jsdoc`] keeps the meaning of the text while making sure the comment
//! ends exactly where the generator ends it.

/// `text` made safe inside a `/** ... */` comment: `*/` becomes `*\/`, the
/// line terminators JavaScript knows (CR, CRLF, U+2028, U+2029) become LF,
/// and other control characters (except tab) are dropped.
pub fn escape(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace(['\r', '\u{2028}', '\u{2029}'], "\n");
    let cleaned: String = unified.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
    cleaned.replace("*/", "*\\/")
}

/// A JSDoc block for `lines` (paragraphs joined with a blank line), each
/// line prefixed with `indent`, or the empty string when there is no text.
pub fn jsdoc(parts: &[Option<&str>], tags: &[String], indent: &str) -> String {
    let mut body: Vec<String> = Vec::new();
    for part in parts.iter().flatten() {
        let text = escape(part.trim());
        if text.is_empty() {
            continue;
        }
        if !body.is_empty() {
            body.push(String::new());
        }
        body.extend(text.lines().map(|l| l.trim_end().to_owned()));
    }
    for tag in tags {
        body.push(escape(tag));
    }
    if body.is_empty() {
        return String::new();
    }
    let mut out = format!("{indent}/**\n");
    for line in body {
        if line.is_empty() {
            out.push_str(&format!("{indent} *\n"));
        } else {
            out.push_str(&format!("{indent} * {line}\n"));
        }
    }
    out.push_str(&format!("{indent} */\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        assert_eq!(escape(input), expect, "{input:?}");
    }

    #[test]
    fn escaping() {
        check("plain", "plain");
        check("ends a comment */ here", "ends a comment *\\/ here");
        check("*/*/", "*\\/*\\/");
        check("**/", "**\\/");
        check("/* opens", "/* opens");
        check("a\r\nb\rc\u{2028}d\u{2029}e", "a\nb\nc\nd\ne");
        check("nul\u{0}bell\u{7}tab\t", "nulbelltab\t");
        check("${x} `y` \"\"\" {{ z }}", "${x} `y` \"\"\" {{ z }}");
    }

    #[test]
    fn blocks() {
        assert_eq!(jsdoc(&[None], &[], ""), "");
        assert_eq!(jsdoc(&[Some("One */"), Some("Two\nlines")], &["@deprecated".into()], "  "), "  /**\n   * One *\\/\n   *\n   * Two\n   * lines\n   * @deprecated\n   */\n");
    }
}
