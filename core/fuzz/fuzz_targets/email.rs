//! Fuzzes `orgkit::normalize_email`: whatever it accepts must be canonical.
//!
//! For every valid UTF-8 input that normalises, the output must
//! - normalise to itself (idempotence, every field);
//! - be at most 254 bytes;
//! - hold exactly one `@` outside quoted strings, exactly between `local` and `domain`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orgkit::normalize_email;

/// Byte offsets of the `@` signs outside quoted strings (backslash escapes inside quotes).
fn unquoted_ats(s: &str) -> Vec<usize> {
    let mut in_quotes = false;
    let mut escaped = false;
    let mut ats = Vec::new();
    for (at, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if in_quotes && c == '\\' {
            escaped = true;
        } else if c == '"' {
            in_quotes = !in_quotes;
        } else if c == '@' && !in_quotes {
            ats.push(at);
        }
    }
    assert!(!in_quotes, "unterminated quote in output {s:?}");
    ats
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(out) = normalize_email(input) else {
        return;
    };

    assert!(
        out.email.len() <= 254,
        "output is {} bytes: {:?}",
        out.email.len(),
        out.email
    );
    assert_eq!(
        out.email,
        format!("{}@{}", out.local, out.domain),
        "email is not local@domain"
    );
    assert_eq!(
        unquoted_ats(&out.email),
        vec![out.local.len()],
        "unquoted `@` in {:?}",
        out.email
    );
    assert!(
        out.domain.is_ascii(),
        "domain is not ASCII: {:?}",
        out.domain
    );

    match normalize_email(&out.email) {
        Ok(again) => assert_eq!(again, out, "not idempotent for input {input:?}"),
        Err(e) => panic!(
            "output {:?} of input {input:?} does not normalise again: {e:?}",
            out.email
        ),
    }
});
