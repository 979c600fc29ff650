//! Domain normalisation: one canonical ASCII form for every spelling of a domain.
//!
//! The rules, in order (each failure is an `invalid_domain` error whose `reason` is given here):
//! 1. Input longer than [`MAX_INPUT_BYTES`] is refused before any work (`too_long`).
//! 2. Leading and trailing whitespace is trimmed; an empty result is refused (`empty`).
//! 3. Control characters (`control_character`), invisible and bidi-control characters
//!    (`invisible_character`) and inner whitespace (`whitespace`) are refused anywhere.
//! 4. ASCII labels may hold only letters, digits and hyphens (`invalid_character`) and may not
//!    start or end with a hyphen (`hyphen_position`).
//! 5. The name is mapped by IDNA UTS #46 ToASCII, non-transitional, with STD3 rules and
//!    CheckHyphens, CheckBidi and CheckJoiners (`idna`). This lowercases, maps full-width forms
//!    and ideographic dots, and validates Punycode, so `bücher.de`, `BÜCHER.DE` and
//!    `xn--bcher-kva.de` are one domain.
//! 6. One trailing root dot is dropped (`acme.com.` is `acme.com`); an empty label anywhere else
//!    is refused (`empty_label`).
//! 7. At most 253 octets in all (`domain_too_long`) and 63 per label (`label_too_long`); at least
//!    two labels (`single_label`); the top-level label may not be all digits, which also refuses
//!    IPv4 addresses (`numeric_tld`).
//! 8. Each internationalised label, in its Unicode form, must use only characters UTS #39 allows
//!    in identifiers (`restricted_character`), must be at most "highly restrictive" in the
//!    UTS #39 sense, so Latin mixed with Cyrillic or Greek is refused (`mixed_script`), and must
//!    not be a confusable of an ASCII label: a label whose UTS #39 skeleton is pure ASCII (for
//!    instance Cyrillic `аррӏе`) is refused (`confusable`).

use crate::error::{Error, ErrorCode, Result};
use crate::routing::chars::first_forbidden;
use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
use serde::{Deserialize, Serialize};
use unicode_security::{
    confusable_detection::skeleton, GeneralSecurityProfile, RestrictionLevel,
    RestrictionLevelDetection,
};

/// The largest raw input, in bytes, that normalisation looks at.
pub const MAX_INPUT_BYTES: usize = 1024;
/// The longest domain, in octets of its ASCII form (RFC 1035 less the root dot).
pub const MAX_DOMAIN_OCTETS: usize = 253;
/// The longest label, in octets of its ASCII form (RFC 1035).
pub const MAX_LABEL_OCTETS: usize = 63;

/// A domain in its canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NormalizedDomain {
    /// The canonical ASCII form (lowercase, Punycode for internationalised labels).
    pub domain: String,
    /// The Unicode form, for display.
    pub unicode: String,
}

fn invalid(reason: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidDomain, message).because(reason)
}

/// Normalises a domain name to its canonical ASCII form; see the module docs for every rule.
pub fn normalize_domain(input: &str) -> Result<NormalizedDomain> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(invalid(
            "too_long",
            format!(
                "domain input is {} bytes; the limit is {MAX_INPUT_BYTES}",
                input.len()
            ),
        ));
    }
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(invalid("empty", "domain is empty"));
    }
    if let Some((index, c, class)) = first_forbidden(trimmed) {
        return Err(invalid(
            class.reason(),
            format!("domain holds U+{:04X} at character {index}", c as u32),
        ));
    }
    check_ascii_labels(trimmed)?;
    if let Some(ascii) = plain_ascii(trimmed)? {
        check_lengths(&ascii)?;
        return Ok(NormalizedDomain {
            unicode: ascii.clone(),
            domain: ascii,
        });
    }
    let mapped = Uts46::new()
        .to_ascii(
            trimmed.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::Check,
            DnsLength::Ignore,
        )
        .map_err(|_| {
            invalid(
                "idna",
                format!("`{trimmed}` is not a valid domain name under IDNA UTS #46"),
            )
        })?;
    let ascii = mapped.strip_suffix('.').unwrap_or(&mapped);
    check_lengths(ascii)?;
    let (unicode, converted) =
        Uts46::new().to_unicode(ascii.as_bytes(), AsciiDenyList::STD3, Hyphens::Check);
    converted.map_err(|_| {
        invalid(
            "idna",
            format!("`{ascii}` does not decode under IDNA UTS #46"),
        )
    })?;
    for label in unicode.split('.').filter(|label| !label.is_ascii()) {
        check_script(label)?;
    }
    Ok(NormalizedDomain {
        domain: ascii.to_string(),
        unicode: unicode.into_owned(),
    })
}

/// The fast path for the common case: an all-ASCII name with no Punycode label, for which
/// UTS #46 amounts to lowercasing plus the CheckHyphens rule on positions 3 and 4. Returns
/// `None` when the name needs the full IDNA mapping.
fn plain_ascii(domain: &str) -> Result<Option<String>> {
    if !domain.is_ascii() {
        return Ok(None);
    }
    let lower = domain.to_ascii_lowercase();
    let body = lower.strip_suffix('.').unwrap_or(&lower);
    for label in body.split('.') {
        if label.get(2..4) == Some("--") {
            if label.starts_with("xn--") {
                return Ok(None);
            }
            return Err(invalid(
                "idna",
                format!("label `{label}` has `--` in positions 3 and 4, which IDNA reserves"),
            ));
        }
    }
    Ok(Some(body.to_string()))
}

/// Rule 4: precise reasons for ASCII labels, before IDNA reports a generic failure.
fn check_ascii_labels(domain: &str) -> Result<()> {
    let body = domain.strip_suffix('.').unwrap_or(domain);
    for label in body.split('.').filter(|label| label.is_ascii()) {
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(invalid(
                "invalid_character",
                format!(
                    "label `{label}` holds `{c}`; only letters, digits and hyphens are allowed"
                ),
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(invalid(
                "hyphen_position",
                format!("label `{label}` starts or ends with a hyphen"),
            ));
        }
    }
    Ok(())
}

/// Rules 6 and 7 on the ASCII form.
fn check_lengths(ascii: &str) -> Result<()> {
    if ascii.len() > MAX_DOMAIN_OCTETS {
        return Err(invalid(
            "domain_too_long",
            format!(
                "domain is {} octets; the limit is {MAX_DOMAIN_OCTETS}",
                ascii.len()
            ),
        ));
    }
    let mut labels = 0usize;
    let mut last = "";
    for label in ascii.split('.') {
        if label.is_empty() {
            return Err(invalid(
                "empty_label",
                format!("`{ascii}` has an empty label"),
            ));
        }
        if label.len() > MAX_LABEL_OCTETS {
            return Err(invalid(
                "label_too_long",
                format!(
                    "label is {} octets; the limit is {MAX_LABEL_OCTETS}",
                    label.len()
                ),
            ));
        }
        labels += 1;
        last = label;
    }
    if labels < 2 {
        return Err(invalid(
            "single_label",
            format!("`{ascii}` is a single label, not a mail domain"),
        ));
    }
    if last.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(
            "numeric_tld",
            format!("`{ascii}` ends in a numeric label (an IP address is not a mail domain)"),
        ));
    }
    Ok(())
}

/// Rule 8 on one internationalised label in Unicode form.
fn check_script(label: &str) -> Result<()> {
    if let Some(c) = label
        .chars()
        .find(|c| !GeneralSecurityProfile::identifier_allowed(*c))
    {
        return Err(invalid(
            "restricted_character",
            format!(
                "label `{label}` holds U+{:04X}, which UTS #39 does not allow in identifiers",
                c as u32
            ),
        ));
    }
    if label.detect_restriction_level() > RestrictionLevel::HighlyRestrictive {
        return Err(invalid(
            "mixed_script",
            format!("label `{label}` mixes scripts in a way that can deceive (UTS #39)"),
        ));
    }
    if skeleton(label).all(|c| c.is_ascii()) {
        let lookalike: String = skeleton(label).collect();
        return Err(invalid(
            "confusable",
            format!("label `{label}` looks like the ASCII label `{lookalike}`"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(input: &str) -> String {
        normalize_domain(input).unwrap_err().reason.unwrap()
    }

    #[test]
    fn unicode_and_punycode_are_one_domain() {
        let a = normalize_domain("bücher.de").unwrap();
        let b = normalize_domain("xn--bcher-kva.de").unwrap();
        let c = normalize_domain(" BÜCHER.DE. ").unwrap();
        assert_eq!(a.domain, "xn--bcher-kva.de");
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(a.unicode, "bücher.de");
    }

    #[test]
    fn the_ascii_fast_path_agrees_with_uts46() {
        for name in [
            "acme.com",
            "ACME.Com.",
            "a-b.c-d.io",
            "x1.y2.z3.de",
            "ab-cd.com",
            "a.b.c.d.e.f.g.h",
        ] {
            let fast = plain_ascii(name).unwrap().unwrap();
            let full = Uts46::new()
                .to_ascii(
                    name.as_bytes(),
                    AsciiDenyList::STD3,
                    Hyphens::Check,
                    DnsLength::Ignore,
                )
                .unwrap();
            assert_eq!(fast, full.strip_suffix('.').unwrap_or(&full), "{name}");
        }
        assert!(plain_ascii("ab--cd.com").is_err());
        assert!(Uts46::new()
            .to_ascii(
                b"ab--cd.com",
                AsciiDenyList::STD3,
                Hyphens::Check,
                DnsLength::Ignore
            )
            .is_err());
        assert_eq!(plain_ascii("xn--bcher-kva.de").unwrap(), None);
        assert_eq!(plain_ascii("bücher.de").unwrap(), None);
    }

    #[test]
    fn accepts_real_internationalised_names() {
        for name in [
            "münchen.de",
            "straße.de",
            "例え.jp",
            "правительство.рф",
            "café.fr",
            "日本語.jp",
        ] {
            assert!(normalize_domain(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn refuses_each_rule_with_its_reason() {
        assert_eq!(reason(""), "empty");
        assert_eq!(reason("   "), "empty");
        assert_eq!(reason(&"a".repeat(2000)), "too_long");
        assert_eq!(reason("ac\0me.com"), "control_character");
        assert_eq!(reason("ac\u{200b}me.com"), "invisible_character");
        assert_eq!(reason("ac me.com"), "whitespace");
        assert_eq!(reason("acme_corp.com"), "invalid_character");
        assert_eq!(reason("-acme.com"), "hyphen_position");
        assert_eq!(reason("acme..com"), "empty_label");
        assert_eq!(reason(&format!("{}.com", "a".repeat(64))), "label_too_long");
        assert_eq!(
            reason(&format!("{}com", "abcdefghi.".repeat(26))),
            "domain_too_long"
        );
        assert_eq!(reason("localhost"), "single_label");
        assert_eq!(reason("10.0.0.1"), "numeric_tld");
        assert_eq!(reason("xn--pple-43d.com"), "mixed_script");
        assert_eq!(reason("аррӏе.com"), "confusable");
        assert_eq!(reason("xn--zz-zzzzzzzzzzzz.com"), "idna");
    }
}
