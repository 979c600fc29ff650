use super::*;

#[test]
fn every_operator_in_any_case() {
    for op in CompareOp::ALL {
        let lower = format!("userName {} \"x\"", op.as_str());
        let upper = format!("userName {} \"x\"", op.as_str().to_uppercase());
        assert_eq!(p(&lower), cmp("userName", op, "x"));
        assert_eq!(p(&upper), cmp("userName", op, "x"));
    }
    assert_eq!(p("title pr"), pr("title"));
    assert_eq!(p("title PR"), pr("title"));
}

#[test]
fn and_binds_tighter_than_or() {
    assert_eq!(
        p("a pr or b pr and c pr"),
        or(vec![pr("a"), and(vec![pr("b"), pr("c")])])
    );
    assert_eq!(
        p("a pr and b pr or c pr"),
        or(vec![and(vec![pr("a"), pr("b")]), pr("c")])
    );
}

#[test]
fn chains_are_flat() {
    assert_eq!(
        p("a pr or b pr or c pr or d pr"),
        or(vec![pr("a"), pr("b"), pr("c"), pr("d")])
    );
    assert_eq!(
        p("a pr And b pr AND c pr"),
        and(vec![pr("a"), pr("b"), pr("c")])
    );
}

#[test]
fn grouping_overrides_precedence() {
    assert_eq!(
        p("(a pr or b pr) and c pr"),
        and(vec![or(vec![pr("a"), pr("b")]), pr("c")])
    );
    assert_eq!(p("((a pr))"), pr("a"));
    assert_eq!(
        p("(a pr and b pr) and c pr"),
        and(vec![and(vec![pr("a"), pr("b")]), pr("c")])
    );
}

#[test]
fn not_binds_tightest() {
    assert_eq!(p("not (a pr) and b pr"), and(vec![not(pr("a")), pr("b")]));
    assert_eq!(p("NOT(a pr or b pr)"), not(or(vec![pr("a"), pr("b")])));
    assert_eq!(p("not (not (a pr))"), not(not(pr("a"))));
}

#[test]
fn value_paths() {
    assert_eq!(
        p(r#"emails[type eq "work" and value co "@example.com"]"#),
        vp(
            "emails",
            and(vec![
                cmp("type", CompareOp::Eq, "work"),
                cmp("value", CompareOp::Co, "@example.com"),
            ])
        )
    );
    assert_eq!(
        p(r#"emails[not (type eq "work") or (primary eq true)] and userName pr"#),
        and(vec![
            vp(
                "emails",
                or(vec![
                    not(cmp("type", CompareOp::Eq, "work")),
                    cmp("primary", CompareOp::Eq, true),
                ])
            ),
            pr("userName"),
        ])
    );
}

#[test]
fn sub_attributes_and_urns() {
    let name = p(r#"name.familyName co "O'Malley""#);
    assert_eq!(name, cmp("name.familyName", CompareOp::Co, "O'Malley"));
    let Filter::Compare { path: core, .. } = p(&format!("{USER}:userName sw \"J\"")) else {
        panic!()
    };
    assert_eq!(core.schema.as_deref(), Some(USER));
    assert_eq!((core.attr.as_str(), core.sub_attr), ("userName", None));
    let Filter::Compare { path: manager, .. } = p(&format!("{ENTERPRISE}:manager.value eq \"x\""))
    else {
        panic!()
    };
    assert_eq!(manager.schema.as_deref(), Some(ENTERPRISE));
    assert_eq!(manager.attr, "manager");
    assert_eq!(manager.sub_attr.as_deref(), Some("value"));
}

#[test]
fn names_keep_their_spelling_but_compare_case_insensitively() {
    let filter = p(r#"USERNAME EQ "x""#);
    let Filter::Compare {
        path: parsed, op, ..
    } = &filter
    else {
        panic!()
    };
    assert_eq!(parsed.attr, "USERNAME");
    assert_eq!(*op, CompareOp::Eq);
    assert_eq!(filter, p(r#"userName eq "x""#));
    assert_eq!(path("URN:X:Name.GIVENNAME"), path("urn:x:name.givenName"));
    let set = std::collections::HashSet::from([path("Emails.Value")]);
    assert!(set.contains(&path("emails.value")));
}

#[test]
fn tolerates_runs_of_whitespace() {
    let expected = and(vec![cmp("userName", CompareOp::Eq, "x"), pr("title")]);
    for filter in [
        r#"userName  eq   "x"  and  title pr"#,
        r#"  userName eq "x" and ( title pr )  "#,
        "userName\teq \"x\"\r\nand (title pr)",
        r#"( userName eq "x" ) and title pr"#,
    ] {
        assert_eq!(p(filter), expected, "{filter}");
    }
    assert_eq!(
        p(r#"emails [ type eq "work" ]"#),
        vp("emails", cmp("type", CompareOp::Eq, "work"))
    );
}

#[test]
fn json_string_escapes() {
    let filter = p(r#"displayName eq "q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00 é""#);
    assert_eq!(
        filter,
        cmp(
            "displayName",
            CompareOp::Eq,
            "q\" b\\ s/ \u{8}\u{c}\n\r\t é 😀 é"
        )
    );
}

#[test]
fn numbers() {
    for (text, expected) in [
        ("5", json!(5)),
        ("-5", json!(-5)),
        ("0", json!(0)),
        ("1.5", json!(1.5)),
        ("-1.5e3", json!(-1500.0)),
        ("1E-2", json!(0.01)),
        ("18446744073709551615", json!(u64::MAX)),
        // Read with correct rounding (serde_json's default parser is one ulp off here).
        ("3.576937082469182e-160", json!(3.576937082469182e-160)),
    ] {
        assert_eq!(
            p(&format!("loginCount gt {text}")),
            cmp("loginCount", CompareOp::Gt, expected),
            "{text}"
        );
    }
}

#[test]
fn true_false_null_in_any_case() {
    assert_eq!(p("active eq True"), cmp("active", CompareOp::Eq, true));
    assert_eq!(p("active eq FALSE"), cmp("active", CompareOp::Eq, false));
    assert_eq!(p("title eq Null"), cmp("title", CompareOp::Eq, Value::Null));
}

#[test]
fn rfc_and_idp_examples_round_trip() {
    for filter in RFC_EXAMPLES.iter().chain(&IDP_EXAMPLES) {
        let parsed = p(filter);
        assert_eq!(p(&parsed.to_string()), parsed, "{filter}");
    }
    assert_eq!(
        p(RFC_EXAMPLES[13]),
        and(vec![
            cmp("userType", CompareOp::Ne, "Employee"),
            not(or(vec![
                cmp("emails", CompareOp::Co, "example.com"),
                cmp("emails.value", CompareOp::Co, "example.org"),
            ])),
        ])
    );
    // The canonical form of the RFC examples is the examples themselves, but for
    // the redundant parentheses of the fifteenth.
    for filter in RFC_EXAMPLES.iter().filter(|f| !f.contains("(emails.type")) {
        assert_eq!(p(filter).to_string(), *filter);
    }
}

#[test]
fn dollar_ref_and_punctuated_names() {
    assert_eq!(
        p(r#"members[$ref eq "https://example.com/v2/Users/1"]"#),
        vp(
            "members",
            cmp("$ref", CompareOp::Eq, "https://example.com/v2/Users/1")
        )
    );
    assert_eq!(p("x-y_z1.a-b pr"), pr("x-y_z1.a-b"));
    // `and`, `or` and `not` stand as names when qualified.
    assert_eq!(p("and.or pr"), pr("and.or"));
}
