use super::*;
use std::time::{Duration, Instant};

#[test]
fn too_long() {
    let filter = format!("userName eq \"{}\"", "x".repeat(5_000));
    assert_eq!(reason(&filter), "too_long");
    let tight = Limits {
        max_filter_bytes: 10,
        ..Limits::default()
    };
    assert!(parse("title pr", &tight).is_ok());
    let error = parse("userName pr", &tight).unwrap_err();
    assert_eq!(error.reason.as_deref(), Some("too_long"));
}

#[test]
fn empty() {
    assert_eq!(reason(""), "empty");
    assert_eq!(reason("  \t "), "empty");
}

#[test]
fn too_deep_counts_groups_not_and_value_paths() {
    let nested = |levels: usize| format!("{}a pr{}", "(".repeat(levels), ")".repeat(levels));
    assert!(parse(&nested(16), &Limits::default()).is_ok());
    assert_eq!(reason(&nested(17)), "too_deep");
    let nots = |levels: usize| format!("{}a pr{}", "not (".repeat(levels), ")".repeat(levels));
    assert!(parse(&nots(16), &Limits::default()).is_ok());
    assert_eq!(reason(&nots(17)), "too_deep");
    let shallow = Limits {
        max_filter_depth: 1,
        ..Limits::default()
    };
    assert!(parse(r#"emails[type eq "work"]"#, &shallow).is_ok());
    let error = parse(r#"not (emails[type eq "work"])"#, &shallow).unwrap_err();
    assert_eq!(error.reason.as_deref(), Some("too_deep"));
    assert!(error.message.contains("byte 11"), "{}", error.message);
}

#[test]
fn too_deep_is_quick_and_flat_on_the_stack() {
    let filter = "(".repeat(10_000);
    assert_eq!(reason(&filter), "too_long");
    let started = Instant::now();
    let error = parse(&filter, &roomy()).unwrap_err();
    assert_eq!(error.reason.as_deref(), Some("too_deep"));
    // A limit set absurdly high is held to the ceiling.
    let absurd = Limits {
        max_filter_depth: usize::MAX,
        ..roomy()
    };
    let error = parse(&format!("{filter}a pr{}", ")".repeat(10_000)), &absurd).unwrap_err();
    assert_eq!(error.reason.as_deref(), Some("too_deep"));
    assert!(error.message.contains(&DEPTH_CEILING.to_string()));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn long_chains_are_not_deep() {
    let filter = vec!["a pr"; 20_000].join(" or ");
    let Filter::Or(operands) = parse(&filter, &roomy()).unwrap() else {
        panic!()
    };
    assert_eq!(operands.as_slice().len(), 20_000);
}

#[test]
fn unexpected_token() {
    for filter in [
        r#"userName eq "x" )"#,
        ")",
        r#"userName eq "x" userName pr"#,
        r#"userName eq"x""#,
        r#"userName eq "x"and title pr"#,
        "not title pr",
        "(title pr]",
        r#"emails[type eq "x")"#,
        r#""x" eq userName"#,
        r#"userName eq "x" and or title pr"#,
        "and title pr",
        "or pr",
    ] {
        assert_eq!(reason(filter), "unexpected_token", "{filter}");
    }
}

#[test]
fn unexpected_end() {
    for filter in [
        "(title pr",
        "title pr and",
        "not",
        "not (",
        r#"emails[type eq "x""#,
    ] {
        assert_eq!(reason(filter), "unexpected_end", "{filter}");
    }
}

#[test]
fn strings() {
    assert_eq!(reason(r#"userName eq "abc"#), "unterminated_string");
    assert_eq!(reason(r#"userName eq "abc\""#), "unterminated_string");
    assert_eq!(reason(r#"userName eq "abc\u00"#), "unterminated_string");
    for bad in [
        r#"\x"#,
        r#"\u12G4"#,
        r#"\ud800"#,
        r#"\udc00"#,
        r#"\ud800\u0041"#,
        r#"\ud800x"#,
        r#"\'"#,
    ] {
        assert_eq!(
            reason(&format!("userName eq \"{bad}\"")),
            "invalid_escape",
            "{bad}"
        );
    }
    assert_eq!(reason("userName eq \"a\tb\""), "control_character");
    assert_eq!(reason("userName eq \"a\nb\""), "control_character");
}

#[test]
fn invalid_attribute() {
    for filter in [
        r#"1abc eq "x""#,
        r#"a.b.c eq "x""#,
        r#":userName eq "x""#,
        "user$name pr",
        ".value pr",
        "name. pr",
        "urn:x: pr",
        "é pr",
    ] {
        assert_eq!(reason(filter), "invalid_attribute", "{filter}");
    }
    assert!(parse("members.$ref pr", &Limits::default()).is_ok());
}

#[test]
fn operators() {
    for filter in [
        "userName",
        r#"userName "x""#,
        "(userName)",
        "userName (title pr)",
    ] {
        assert_eq!(reason(filter), "missing_operator", "{filter}");
    }
    for filter in [
        r#"userName equals "x""#,
        r#"userName like "x""#,
        r#"userName = "x""#,
    ] {
        assert_eq!(reason(filter), "unknown_operator", "{filter}");
    }
}

#[test]
fn values() {
    for filter in [
        "userName eq",
        "(userName eq)",
        "emails[value eq]",
        "userName eq and title pr",
    ] {
        assert_eq!(reason(filter), "missing_value", "{filter}");
    }
    for filter in [
        "userName eq bjensen",
        "userName eq 'x'",
        "userName eq (",
        "active eq yes",
    ] {
        assert_eq!(reason(filter), "invalid_value", "{filter}");
    }
    for filter in [
        "age gt 01",
        "age gt 1.",
        "age gt 1e999",
        "age gt -",
        "age gt 1.5.3",
        "age gt 0x10",
    ] {
        assert_eq!(reason(filter), "invalid_number", "{filter}");
    }
}

#[test]
fn value_path_rules() {
    assert_eq!(
        reason(r#"emails[type eq "work" and addresses[type eq "x"]]"#),
        "nested_value_path"
    );
    let error = err(r#"emails[type eq "work"].value eq "x""#);
    assert_eq!(error.reason.as_deref(), Some("value_path_sub_attribute"));
    assert!(error.message.contains("PATCH"), "{}", error.message);
    assert_eq!(
        reason(r#"emails[type eq "work"] .value eq "x""#),
        "value_path_sub_attribute"
    );
    assert_eq!(reason("emails[]"), "unexpected_token");
}

#[test]
fn messages_point_at_the_byte() {
    let error = err(r#"userName eq "x" ) "#);
    assert!(error.message.contains("byte 16"), "{}", error.message);
    let error = err(r#"userName zz "x""#);
    assert!(error.message.contains("byte 9"), "{}", error.message);
    let error = err(r#"title pr and userName eq "abc"#);
    assert!(error.message.contains("byte 25"), "{}", error.message);
    assert_eq!(error.to_string().split(':').next(), Some("invalid_filter"));
}

#[test]
fn a_depth_of_zero_still_allows_flat_filters() {
    let flat = Limits {
        max_filter_depth: 0,
        ..Limits::default()
    };
    assert!(parse(r#"userName eq "x" or title pr and active eq true"#, &flat).is_ok());
    let error = parse("(title pr)", &flat).unwrap_err();
    assert_eq!(error.reason.as_deref(), Some("too_deep"));
    let error = parse(r#"emails[type eq "work"]"#, &flat).unwrap_err();
    assert_eq!(error.reason.as_deref(), Some("too_deep"));
}
