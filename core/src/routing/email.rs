//! Email normalisation for addresses typed into a login form.
//!
//! The rules, in order (each failure is an `invalid_email` error whose `reason` is given here):
//! 1. Input longer than [`MAX_INPUT_BYTES`] is refused before any work (`too_long`); leading and
//!    trailing whitespace is trimmed; an empty result is refused (`empty`).
//! 2. Control characters (`control_character`) and invisible or bidi-control characters
//!    (`invisible_character`) are refused anywhere, even inside quotes.
//! 3. The address is split at the last `@` that is not inside a quoted string (`missing_at`);
//!    an unterminated quote is refused (`unterminated_quote`).
//! 4. The local part (RFC 5321 §4.1.2, RFC 6531 for UTF-8) is either a dot-atom — atoms of
//!    letters, digits, ``!#$%&'*+-/=?^_`{|}~`` or non-ASCII characters, joined by single dots —
//!    or one quoted string of printable characters and backslash pairs. Comments, display names
//!    (`Alice <a@b>`), obsolete forms and inner whitespace outside quotes are refused
//!    (`invalid_local_part`); empty (`empty_local_part`) or over 64 octets
//!    (`local_part_too_long`) too.
//! 5. A domain literal such as `[192.0.2.1]` is refused (`domain_literal`): no organization can
//!    verify one. The domain is normalised by [`normalize_domain`]; its reasons carry over.
//! 6. The canonical form: the local part in Unicode NFC and lowercase (orgkit, like every major
//!    identity provider, treats addresses case-insensitively), unquoted when the quoted content
//!    is a valid dot-atom, otherwise re-quoted with minimal escapes; `@`; the ASCII domain. The
//!    whole canonical address is at most 254 octets (`too_long`).

use crate::error::{Error, ErrorCode, Result};
use crate::routing::chars::{classify, Forbidden};
use crate::routing::domain::{normalize_domain, MAX_INPUT_BYTES};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// The longest address, in octets (RFC 5321 path limit less the angle brackets).
pub const MAX_ADDRESS_OCTETS: usize = 254;
/// The longest local part, in octets (RFC 5321).
pub const MAX_LOCAL_OCTETS: usize = 64;

/// An email address in its canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NormalizedEmail {
    /// The canonical address: local part, `@`, ASCII domain.
    pub email: String,
    /// The canonical local part.
    pub local: String,
    /// The canonical ASCII domain.
    pub domain: String,
    /// The domain in Unicode form, for display.
    pub domain_unicode: String,
}

fn invalid(reason: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidEmail, message).because(reason)
}

/// Normalises an email address; see the module docs for every rule.
pub fn normalize_email(input: &str) -> Result<NormalizedEmail> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(invalid(
            "too_long",
            format!(
                "address input is {} bytes; the limit is {MAX_INPUT_BYTES}",
                input.len()
            ),
        ));
    }
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(invalid("empty", "email address is empty"));
    }
    for (index, c) in trimmed.chars().enumerate() {
        if let Some(class @ (Forbidden::Control | Forbidden::Invisible)) = classify(c) {
            return Err(invalid(
                class.reason(),
                format!("address holds U+{:04X} at character {index}", c as u32),
            ));
        }
    }
    let (raw_local, raw_domain) = split_at_last_unquoted_at(trimmed)?;
    let local = canonical_local(raw_local)?;
    if raw_domain.starts_with('[') {
        return Err(invalid(
            "domain_literal",
            "address literals such as [192.0.2.1] are not accepted",
        ));
    }
    let domain = normalize_domain(raw_domain).map_err(|e| {
        let reason = e
            .reason
            .clone()
            .unwrap_or_else(|| "invalid_domain".to_string());
        invalid(&reason, format!("domain part: {}", e.message))
    })?;
    let email = format!("{local}@{}", domain.domain);
    if email.len() > MAX_ADDRESS_OCTETS {
        return Err(invalid(
            "too_long",
            format!(
                "address is {} octets; the limit is {MAX_ADDRESS_OCTETS}",
                email.len()
            ),
        ));
    }
    Ok(NormalizedEmail {
        email,
        local,
        domain: domain.domain,
        domain_unicode: domain.unicode,
    })
}

/// Rule 3: the split at the last `@` outside a quoted string.
fn split_at_last_unquoted_at(s: &str) -> Result<(&str, &str)> {
    let mut in_quotes = false;
    let mut escaped = false;
    let mut split = None;
    for (at, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if in_quotes && c == '\\' {
            escaped = true;
        } else if c == '"' {
            in_quotes = !in_quotes;
        } else if c == '@' && !in_quotes {
            split = Some(at);
        }
    }
    if in_quotes {
        return Err(invalid(
            "unterminated_quote",
            "a quoted string in the address is not closed",
        ));
    }
    let at = split.ok_or_else(|| invalid("missing_at", "address has no `@` outside quotes"))?;
    Ok((
        s.get(..at).unwrap_or_default(),
        s.get(at + 1..).unwrap_or_default(),
    ))
}

fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "!#$%&'*+-/=?^_`{|}~".contains(c)
        || (!c.is_ascii() && !c.is_whitespace())
}

fn is_dot_atom(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(is_atext))
}

/// Rules 4 and 6: validates the local part and returns its canonical form.
fn canonical_local(raw: &str) -> Result<String> {
    if raw.is_empty() {
        return Err(invalid(
            "empty_local_part",
            "address has nothing before the `@`",
        ));
    }
    if raw.len() > MAX_LOCAL_OCTETS {
        return Err(invalid(
            "local_part_too_long",
            format!(
                "local part is {} octets; the limit is {MAX_LOCAL_OCTETS}",
                raw.len()
            ),
        ));
    }
    let content = match raw.strip_prefix('"') {
        Some(rest) => unquote(rest)?,
        None if is_dot_atom(raw) => raw.to_string(),
        None => {
            return Err(invalid(
                "invalid_local_part",
                format!("local part `{raw}` is not a dot-atom or a quoted string"),
            ))
        }
    };
    let folded: String = content.nfc().collect::<String>().to_lowercase();
    let canonical = if is_dot_atom(&folded) {
        folded
    } else {
        let mut quoted = String::with_capacity(folded.len() + 2);
        quoted.push('"');
        for c in folded.chars() {
            if c == '"' || c == '\\' {
                quoted.push('\\');
            }
            quoted.push(c);
        }
        quoted.push('"');
        quoted
    };
    if canonical.len() > MAX_LOCAL_OCTETS {
        return Err(invalid(
            "local_part_too_long",
            format!(
                "local part is {} octets once canonical; the limit is {MAX_LOCAL_OCTETS}",
                canonical.len()
            ),
        ));
    }
    Ok(canonical)
}

/// The content of a quoted local part (`rest` follows the opening quote).
fn unquote(rest: &str) -> Result<String> {
    let mut out = String::with_capacity(rest.len());
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(pair) if pair == ' ' || pair.is_ascii_graphic() => out.push(pair),
                _ => {
                    return Err(invalid(
                        "invalid_local_part",
                        "a backslash in quotes must escape a printable character",
                    ))
                }
            },
            '"' => {
                return if chars.next().is_none() {
                    Ok(out)
                } else {
                    Err(invalid(
                        "invalid_local_part",
                        "a quoted local part must be quoted as a whole",
                    ))
                };
            }
            c if c == ' ' || c.is_ascii_graphic() || !c.is_ascii() => out.push(c),
            _ => {
                return Err(invalid(
                    "invalid_local_part",
                    "quoted local part holds a character RFC 5322 forbids",
                ))
            }
        }
    }
    Err(invalid(
        "unterminated_quote",
        "a quoted string in the address is not closed",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(input: &str) -> String {
        normalize_email(input).unwrap().email
    }

    fn reason(input: &str) -> String {
        normalize_email(input).unwrap_err().reason.unwrap()
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(email("  Alice@ACME.com "), "alice@acme.com");
        assert_eq!(email("alice@bücher.de"), "alice@xn--bcher-kva.de");
        assert_eq!(email("\"alice\"@acme.com"), "alice@acme.com");
        assert_eq!(email("\"a b\"@acme.com"), "\"a b\"@acme.com");
        assert_eq!(email("\"a\\\"b\"@acme.com"), "\"a\\\"b\"@acme.com");
        assert_eq!(email("\"a@evil.com\"@acme.com"), "\"a@evil.com\"@acme.com");
        assert_eq!(email("o'brien+tag@acme.com"), "o'brien+tag@acme.com");
        assert_eq!(email("JÖRG@acme.com"), "jörg@acme.com");
        assert_eq!(email("alice@acme.com."), "alice@acme.com");
    }

    #[test]
    fn refusals() {
        assert_eq!(reason(""), "empty");
        assert_eq!(reason("alice"), "missing_at");
        assert_eq!(reason("@acme.com"), "empty_local_part");
        assert_eq!(reason("alice@"), "empty");
        assert_eq!(reason("\"alice@acme.com"), "unterminated_quote");
        assert_eq!(reason("a..b@acme.com"), "invalid_local_part");
        assert_eq!(reason(".a@acme.com"), "invalid_local_part");
        assert_eq!(reason("Alice <alice@acme.com>"), "invalid_local_part");
        assert_eq!(reason("a@b@acme.com"), "invalid_local_part");
        assert_eq!(reason("alice(comment)@acme.com"), "invalid_local_part");
        assert_eq!(reason("alice@[192.0.2.1]"), "domain_literal");
        assert_eq!(reason("ali\u{0}ce@acme.com"), "control_character");
        assert_eq!(reason("alice@ac\u{200d}me.com"), "invisible_character");
        assert_eq!(
            reason(&format!("{}@acme.com", "a".repeat(65))),
            "local_part_too_long"
        );
        assert_eq!(reason("alice@localhost"), "single_label");
        assert_eq!(reason("alice@аррӏе.com"), "confusable");
    }

    #[test]
    fn normalisation_is_idempotent_on_examples() {
        for input in [
            "\"A B\"@Acme.COM",
            "x@BÜCHER.de",
            "\"a\\\\b\"@x.io",
            "\"ok\"@x.io",
        ] {
            let once = email(input);
            assert_eq!(email(&once), once, "{input}");
        }
    }
}
