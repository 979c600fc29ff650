use super::*;

#[test]
fn display_is_canonical() {
    for (input, canonical) in [
        (r#"USERNAME  Eq "x""#, r#"USERNAME eq "x""#),
        ("not(a pr)", "not (a pr)"),
        ("((a pr))", "a pr"),
        ("(a pr and b pr) and c pr", "(a pr and b pr) and c pr"),
        ("a pr and (b pr or c pr)", "a pr and (b pr or c pr)"),
        ("a pr or (b pr and c pr)", "a pr or b pr and c pr"),
        (r#"x eq "a\u0022\u00e9\/""#, r#"x eq "a\"é/""#),
        ("x eq TRUE", "x eq true"),
        ("x gt 1.50", "x gt 1.5"),
        (r#"emails [ type eq "w" ]"#, r#"emails[type eq "w"]"#),
    ] {
        assert_eq!(p(input).to_string(), canonical, "{input}");
    }
}

#[test]
fn json_form() {
    let filter = p(&format!(
        r#"userName eq "bjensen" and emails[type eq "work"] or not ({ENTERPRISE}:manager.value pr) or x eq null"#
    ));
    let expected = json!({"or": [
        {"and": [
            {"op": "eq", "path": {"attr": "userName"}, "value": "bjensen"},
            {"path": {"attr": "emails"}, "filter": {"op": "eq", "path": {"attr": "type"}, "value": "work"}}
        ]},
        {"not": {"op": "pr", "path": {"schema": ENTERPRISE, "attr": "manager", "sub_attr": "value"}}},
        {"op": "eq", "path": {"attr": "x"}, "value": null}
    ]});
    assert_eq!(serde_json::to_value(&filter).unwrap(), expected);
    let back: Filter = serde_json::from_value(expected).unwrap();
    assert_eq!(back, filter);
}

#[test]
fn json_refuses_malformed_filters() {
    for bad in [
        json!({"and": [{"op": "pr", "path": {"attr": "a"}}]}),
        json!({"op": "eq", "path": {"attr": "a"}}),
        json!({"op": "pr", "path": {"attr": "a"}, "value": 1}),
        json!({"op": "like", "path": {"attr": "a"}, "value": "x"}),
        json!({"op": "pr", "path": {"attr": "a b"}}),
        json!({"op": "pr", "path": {"attr": "not"}}),
        json!({"op": "pr", "path": {"attr": "OR"}}),
        json!({"op": "pr", "path": {"attr": "a", "extra": 1}}),
        json!({"op": "pr", "path": {"attr": "a"}, "not": {"op": "pr", "path": {"attr": "b"}}}),
        json!({"value": [1]}),
        json!({}),
    ] {
        assert!(
            serde_json::from_value::<Filter>(bad.clone()).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn display_of_hand_built_filters() {
    let mut operands = Operands::new(
        Filter::Present {
            path: AttrPath::new("title"),
        },
        Filter::Compare {
            path: AttrPath {
                schema: Some(ENTERPRISE.into()),
                attr: "employeeNumber".into(),
                sub_attr: None,
            },
            op: CompareOp::Ge,
            value: CompValue::Number(10.into()),
        },
    );
    operands.push(Filter::Not(Box::new(Filter::Or(Operands::new(
        pr("a"),
        pr("b"),
    )))));
    let filter = Filter::And(operands);
    assert_eq!(
        filter.to_string(),
        format!("title pr and {ENTERPRISE}:employeeNumber ge 10 and not (a pr or b pr)")
    );
    assert_eq!(p(&filter.to_string()), filter);
}
