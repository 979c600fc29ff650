use super::*;
use proptest::prelude::*;

fn name() -> impl Strategy<Value = String> {
    "[a-zA-Z][a-zA-Z0-9_-]{0,6}".prop_filter("keywords", |n| {
        !["not", "and", "or"]
            .iter()
            .any(|k| n.eq_ignore_ascii_case(k))
    })
}

fn attr_path() -> impl Strategy<Value = AttrPath> {
    let schema = prop::option::of(prop::sample::select(vec![
        USER.to_string(),
        ENTERPRISE.to_string(),
        "urn:a:b.c:1".to_string(),
    ]));
    (schema, name(), prop::option::of(name())).prop_map(|(schema, attr, sub_attr)| AttrPath {
        schema,
        attr,
        sub_attr,
    })
}

fn comp_value() -> impl Strategy<Value = CompValue> {
    prop_oneof![
        Just(CompValue::Null),
        any::<bool>().prop_map(CompValue::Bool),
        any::<i64>().prop_map(|n| CompValue::Number(n.into())),
        any::<u64>().prop_map(|n| CompValue::Number(n.into())),
        any::<f64>()
            .prop_filter_map("finite", serde_json::Number::from_f64)
            .prop_map(CompValue::Number),
        any::<String>().prop_map(CompValue::String),
    ]
}

fn leaf() -> impl Strategy<Value = Filter> {
    prop_oneof![
        (
            attr_path(),
            prop::sample::select(CompareOp::ALL.to_vec()),
            comp_value()
        )
            .prop_map(|(path, op, value)| Filter::Compare { path, op, value }),
        attr_path().prop_map(|path| Filter::Present { path }),
    ]
}

fn logic(inner: impl Strategy<Value = Filter> + Clone) -> impl Strategy<Value = Filter> {
    prop_oneof![
        prop::collection::vec(inner.clone(), 2..4).prop_map(and),
        prop::collection::vec(inner.clone(), 2..4).prop_map(or),
        inner.prop_map(not),
    ]
}

fn filter() -> impl Strategy<Value = Filter> {
    let without_value_paths = leaf().prop_recursive(3, 12, 3, |inner| logic(inner).boxed());
    leaf().prop_recursive(3, 24, 3, move |inner| {
        prop_oneof![
            logic(inner),
            (attr_path(), without_value_paths.clone()).prop_map(|(path, inner)| {
                Filter::ValuePath {
                    path,
                    filter: Box::new(inner),
                }
            }),
        ]
        .boxed()
    })
}

/// Strings made of the filter language's own pieces, which reach deeper than random text.
fn filterish() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "userName",
        "emails",
        "name.familyName",
        USER,
        ":",
        ".",
        "value",
        "type",
        " ",
        " ",
        "(",
        ")",
        "[",
        "]",
        "\"",
        "\"x\"",
        "\"\\u00e9\"",
        "\\",
        "eq",
        "co",
        "gt",
        "pr",
        "and",
        "or",
        "not",
        "true",
        "null",
        "1.5",
        "-2",
        "1e999",
        "\t",
        "é",
    ]);
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

fn exercise(parsed: &Filter) {
    let _ = parsed.matches(&bjensen(), &CoreSchemas);
    for dialect in [Dialect::Sqlite, Dialect::Postgres] {
        let _ = parsed.to_sql(&ReferenceColumns::Users, dialect);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn display_parses_back_to_the_same_ast(filter in filter()) {
        let text = filter.to_string();
        let parsed = parse(&text, &roomy());
        prop_assert_eq!(parsed.as_ref(), Ok(&filter), "{}", text);
        let json = serde_json::to_value(&filter).unwrap();
        prop_assert_eq!(serde_json::from_value::<Filter>(json).unwrap(), filter);
        exercise(parsed.as_ref().unwrap());
    }

    #[test]
    fn parse_never_panics_on_arbitrary_text(text in any::<String>()) {
        check_any(&text)?;
    }

    #[test]
    fn parse_never_panics_on_filter_pieces(text in filterish()) {
        check_any(&text)?;
    }
}

fn check_any(text: &str) -> Result<(), TestCaseError> {
    match parse(text, &Limits::default()) {
        Ok(parsed) => {
            prop_assert_eq!(p(&parsed.to_string()), parsed.clone());
            exercise(&parsed);
        }
        Err(error) => {
            prop_assert_eq!(error.code, ErrorCode::InvalidFilter);
            prop_assert!(error.reason.is_some());
        }
    }
    Ok(())
}
