//! An org's custom login-screen CSS: accepted only when every part is on an allow-list, and
//! refused (never silently rewritten) otherwise. What is accepted comes back in a canonical form,
//! which is what hosts serve.
//!
//! Accepted: plain rules `selector { property: value; … }` and `/* comments */` (dropped).
//! Refused, each with its `reason`:
//! - `css_at_rule`: any `@` (`@import`, `@font-face`, `@media`, …: no fetches, no nesting);
//! - `css_escape`: a backslash anywhere (escapes can spell `url` without the letters);
//! - `css_selector`: a selector outside letters, digits, spaces and `_-.#:,>+~*()`
//!   (no attribute selectors: with a background they read input values out of a page);
//! - `css_property`: a property outside [`ALLOWED_PROPERTIES`] (custom properties included);
//! - `css_value`: a value with a function that loads or computes content (`url(`, `image(`,
//!   `image-set(`, `element(`, `expression(`, `attr(`), `javascript:`, characters outside
//!   letters, digits, spaces and `#%.,-+/()'"!`, or unbalanced quotes;
//! - `css_syntax`: anything else that is not the grammar above (unclosed block or comment, a
//!   declaration without `:`, an empty selector or value);
//! - `css_too_large`: more than [`MAX_RULES`] rules or [`MAX_DECLARATIONS`] declarations
//!   (the byte size is capped by `Limits.max_css_bytes`).

use crate::error::{Error, ErrorCode, Result};

/// The properties custom CSS may set: colours, borders, type, spacing and size.
pub const ALLOWED_PROPERTIES: &[&str] = &[
    "background",
    "background-color",
    "border",
    "border-bottom",
    "border-color",
    "border-left",
    "border-radius",
    "border-right",
    "border-style",
    "border-top",
    "border-width",
    "box-shadow",
    "color",
    "font",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "gap",
    "height",
    "letter-spacing",
    "line-height",
    "margin",
    "margin-bottom",
    "margin-left",
    "margin-right",
    "margin-top",
    "max-height",
    "max-width",
    "min-height",
    "min-width",
    "opacity",
    "outline",
    "outline-color",
    "padding",
    "padding-bottom",
    "padding-left",
    "padding-right",
    "padding-top",
    "text-align",
    "text-decoration",
    "text-transform",
    "width",
];

/// The most rules a style sheet may hold.
pub const MAX_RULES: usize = 100;
/// The most declarations a style sheet may hold, over all rules.
pub const MAX_DECLARATIONS: usize = 500;

/// Functions in values that load or compute content.
const FORBIDDEN_FUNCTIONS: [&str; 7] = [
    "url(",
    "image(",
    "image-set(",
    "element(",
    "expression(",
    "attr(",
    "javascript:",
];

fn refuse(reason: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidValue, message)
        .because(reason)
        .at("custom_css")
}

/// Checks a style sheet against the allow-lists and returns its canonical form: one rule per
/// line, `selector { property: value; … }`, whitespace collapsed, comments dropped.
pub fn sanitize(css: &str, max_bytes: usize) -> Result<String> {
    if css.len() > max_bytes {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!(
                "custom CSS is {} bytes; the limit is {max_bytes}",
                css.len()
            ),
        )
        .because("css_too_large")
        .at("custom_css"));
    }
    if css.contains('@') {
        return Err(refuse(
            "css_at_rule",
            "at-rules (`@import`, `@media`, …) are not allowed",
        ));
    }
    if css.contains('\\') {
        return Err(refuse("css_escape", "backslash escapes are not allowed"));
    }
    let text = strip_comments(css)?;
    let mut out = String::with_capacity(text.len());
    let mut rules = 0usize;
    let mut declarations = 0usize;
    let mut rest = text.as_str();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let (selector, after) = rest
            .split_once('{')
            .ok_or_else(|| refuse("css_syntax", "a rule needs a `{ … }` block"))?;
        let (block, after) = after
            .split_once('}')
            .ok_or_else(|| refuse("css_syntax", "a block is not closed with `}`"))?;
        rest = after;
        rules += 1;
        if rules > MAX_RULES {
            return Err(refuse(
                "css_too_large",
                format!("at most {MAX_RULES} rules"),
            ));
        }
        let selector = collapse(selector);
        check_selector(&selector)?;
        out.push_str(&selector);
        out.push_str(" {");
        for declaration in block.split(';') {
            if declaration.trim().is_empty() {
                continue;
            }
            declarations += 1;
            if declarations > MAX_DECLARATIONS {
                return Err(refuse(
                    "css_too_large",
                    format!("at most {MAX_DECLARATIONS} declarations"),
                ));
            }
            let (property, value) = declaration.split_once(':').ok_or_else(|| {
                refuse(
                    "css_syntax",
                    format!("`{}` is not `property: value`", declaration.trim()),
                )
            })?;
            let property = property.trim().to_ascii_lowercase();
            if !ALLOWED_PROPERTIES.contains(&property.as_str()) {
                return Err(refuse(
                    "css_property",
                    format!("property `{property}` is not on the allow-list"),
                ));
            }
            let value = collapse(value);
            check_value(&property, &value)?;
            out.push(' ');
            out.push_str(&property);
            out.push_str(": ");
            out.push_str(&value);
            out.push(';');
        }
        out.push_str(" }\n");
    }
    Ok(out)
}

fn strip_comments(css: &str) -> Result<String> {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start + 2..).unwrap_or_default();
        let end = after
            .find("*/")
            .ok_or_else(|| refuse("css_syntax", "a comment is not closed"))?;
        out.push(' ');
        rest = after.get(end + 2..).unwrap_or_default();
    }
    out.push_str(rest);
    Ok(out)
}

/// Whitespace runs (any kind) become one space; ends trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check_selector(selector: &str) -> Result<()> {
    if selector.is_empty() {
        return Err(refuse("css_syntax", "a rule needs a selector"));
    }
    if let Some(c) = selector
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || " _-.#:,>+~*()".contains(*c)))
    {
        return Err(refuse(
            "css_selector",
            format!("selector `{selector}` holds `{c}`"),
        ));
    }
    Ok(())
}

fn check_value(property: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(refuse("css_syntax", format!("`{property}` has no value")));
    }
    let lower = value.to_ascii_lowercase();
    if let Some(f) = FORBIDDEN_FUNCTIONS.iter().find(|f| lower.contains(*f)) {
        return Err(refuse(
            "css_value",
            format!("`{property}` uses `{f}`, which loads or computes content"),
        ));
    }
    if let Some(c) = value
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || " #%.,-+/()'\"!".contains(*c)))
    {
        return Err(refuse("css_value", format!("`{property}` holds `{c}`")));
    }
    for quote in ['\'', '"'] {
        if value.matches(quote).count() % 2 != 0 {
            return Err(refuse(
                "css_value",
                format!("`{property}` has an open quote"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(css: &str) -> String {
        sanitize(css, 8192).unwrap_err().reason.unwrap_or_default()
    }

    #[test]
    fn allowed_sheets_come_back_canonical() {
        let css = "/* brand */ .login  .button{color:#fff ;background-color: #0a66c2;\n\
                   font-family: 'Inter', sans-serif}\nh1{font-size:2rem}";
        assert_eq!(
            sanitize(css, 8192).unwrap(),
            ".login .button { color: #fff; background-color: #0a66c2; font-family: 'Inter', sans-serif; }\n\
             h1 { font-size: 2rem; }\n"
        );
        assert_eq!(sanitize("", 8192).unwrap(), "");
    }

    #[test]
    fn anything_off_the_lists_is_refused_with_its_reason() {
        for (css, want) in [
            ("@import 'https://evil.test/x.css';", "css_at_rule"),
            (
                "a { color: red } @media print { a { color: blue } }",
                "css_at_rule",
            ),
            ("a { background: u\\72l(https://evil.test) }", "css_escape"),
            (
                "a { background: url(https://evil.test/p.png) }",
                "css_value",
            ),
            ("a { background: URL( 'x' ) }", "css_value"),
            ("a { color: expression(alert(1)) }", "css_value"),
            ("a { background-color: image-set('x' 1x) }", "css_value"),
            (
                "a { color: red; } b { content: attr(title) }",
                "css_property",
            ),
            ("a { behavior: x }", "css_property"),
            ("a { --brand: red }", "css_property"),
            ("a { position: fixed }", "css_property"),
            ("input[value^=a] { color: red }", "css_selector"),
            ("a { font-family: 'x }", "css_value"),
            ("a { color: red; width: 1px < 2px }", "css_value"),
            ("a { color red }", "css_syntax"),
            ("a { color: }", "css_syntax"),
            ("{ color: red }", "css_syntax"),
            ("a { color: red", "css_syntax"),
            ("a { color: red } /* open", "css_syntax"),
        ] {
            assert_eq!(reason(css), want, "{css}");
        }
    }

    #[test]
    fn sizes_and_counts_are_bounded() {
        assert_eq!(
            reason(&"a{color:red}".repeat(MAX_RULES + 1)),
            "css_too_large"
        );
        let many = format!("a {{ {} }}", "color: red;".repeat(MAX_DECLARATIONS + 1));
        assert_eq!(
            sanitize(&many, 1 << 20).unwrap_err().reason.as_deref(),
            Some("css_too_large")
        );
        let err = sanitize("a { color: red }", 8).unwrap_err();
        assert_eq!(
            (err.code, err.reason.as_deref()),
            (ErrorCode::LimitExceeded, Some("css_too_large"))
        );
    }
}
