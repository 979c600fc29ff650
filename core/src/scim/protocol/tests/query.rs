use super::*;

fn filter_of(query: &str) -> String {
    list(query).filter.expect("a filter").to_string()
}

#[test]
fn rfc_7644_example_query() {
    let query = list("filter=userName%20eq%20%22bjensen%22&startIndex=1&count=10");
    assert_eq!(query.filter.unwrap().to_string(), "userName eq \"bjensen\"");
    assert_eq!((query.start_index, query.count), (1, 10));
    let sorted = list("filter=title%20pr&sortBy=title&startIndex=11&count=10");
    assert_eq!(sorted.sort_by.unwrap().attr, "title");
    assert_eq!(sorted.sort_order, SortOrder::Ascending);
    assert_eq!(sorted.start_index, 11);
}

#[test]
fn entra_id_queries() {
    assert_eq!(filter_of("filter=userName+eq+\"x\""), "userName eq \"x\"");
    match op(
        "GET",
        "/Groups",
        Some("excludedAttributes=members&filter=displayName+eq+\"G\""),
    ) {
        Operation::List { kind, query } => {
            assert_eq!(kind, Some(ResourceKind::Group));
            assert_eq!(query.filter.unwrap().to_string(), "displayName eq \"G\"");
            assert_eq!(query.projection.excluded_attributes[0].attr, "members");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        filter_of("filter=externalId+eq+%221a2b3c%22"),
        "externalId eq \"1a2b3c\""
    );
}

#[test]
fn okta_queries() {
    let query = list("startIndex=1&count=100&filter=userName%20eq%20%22jdoe%40example.com%22");
    assert_eq!(
        query.filter.unwrap().to_string(),
        "userName eq \"jdoe@example.com\""
    );
    assert_eq!((query.start_index, query.count), (1, 100));
    assert_eq!(
        filter_of("filter=displayName%20eq%20%22Engineering%22&startIndex=1&count=100"),
        "displayName eq \"Engineering\""
    );
}

#[test]
fn plus_and_percent_20_are_spaces_percent_2b_is_plus() {
    assert_eq!(
        filter_of("filter=userName+eq+%22a%2Bb%22"),
        "userName eq \"a+b\""
    );
    assert_eq!(
        filter_of("filter=userName%20eq%20%22a+b%22"),
        "userName eq \"a b\""
    );
    assert_eq!(
        filter_of("filter=title+eq+%22%5C%22quoted%5C%22%22"),
        "title eq \"\\\"quoted\\\"\""
    );
    assert_eq!(
        filter_of("filter=displayName+eq+%22%C3%89quipe%22"),
        "displayName eq \"Équipe\""
    );
}

#[test]
fn start_index_below_one_reads_as_one() {
    for given in ["0", "-5", "-99999999999999999999999", "1"] {
        assert_eq!(
            list(&format!("startIndex={given}")).start_index,
            1,
            "{given}"
        );
    }
    assert_eq!(list("startIndex=%2B7").start_index, 7);
    assert_eq!(list("startIndex=+7").start_index, 7);
    let huge = list("startIndex=99999999999999999999999");
    assert!(huge.start_index >= usize::try_from(i64::MAX).unwrap_or(usize::MAX));
}

#[test]
fn count_negative_is_zero_and_large_is_capped() {
    assert_eq!(list("count=-1").count, 0);
    assert_eq!(list("count=0").count, 0);
    assert_eq!(list("count=37").count, 37);
    assert_eq!(list("count=1000").count, 100);
    assert_eq!(list("count=99999999999999999999999").count, 100);
    assert_eq!(list("").count, 100);
    let limits = Limits {
        max_page_size: 5,
        ..Limits::default()
    };
    let tight = parse_request(
        "GET",
        "/Users",
        Some("count=10"),
        &RequestHeaders::default(),
        None,
        &limits,
    )
    .unwrap();
    match tight.operation {
        Operation::List { query, .. } => assert_eq!(query.count, 5),
        other => panic!("{other:?}"),
    }
}

#[test]
fn non_integer_paging_is_invalid_value() {
    for query in [
        "count=abc",
        "count=1.5",
        "startIndex=",
        "count=1e3",
        "startIndex=--1",
    ] {
        let error = list_err(query);
        assert_eq!(error.code, ErrorCode::InvalidValue, "{query}");
        assert!(error.path.is_some());
    }
}

#[test]
fn pages_slice_within_the_total() {
    let page = |query: &str, total: usize| list(query).page(total);
    assert_eq!(page("startIndex=1&count=10", 25), 0..10);
    assert_eq!(page("startIndex=21&count=10", 25), 20..25);
    assert_eq!(page("startIndex=26&count=10", 25), 25..25);
    assert_eq!(page("startIndex=300&count=10", 25), 25..25);
    assert_eq!(page("count=0", 25), 0..0);
    assert_eq!(page("startIndex=99999999999999999999", 25), 25..25);
    assert_eq!(page("", 0), 0..0);
    assert_eq!(page("", 250), 0..100);
}

#[test]
fn sorting() {
    let query = list("sortBy=name.familyName&sortOrder=DESCENDING");
    let by = query.sort_by.unwrap();
    assert_eq!(
        (by.attr.as_str(), by.sub_attr.as_deref()),
        ("name", Some("familyName"))
    );
    assert_eq!(query.sort_order, SortOrder::Descending);
    assert_eq!(list("sortOrder=Ascending").sort_order, SortOrder::Ascending);
    assert_eq!(list_err("sortOrder=down").code, ErrorCode::InvalidValue);
    assert_eq!(list_err("sortBy=a%20b").code, ErrorCode::InvalidValue);
    assert_eq!(list_err("sortBy=").code, ErrorCode::InvalidValue);
}

#[test]
fn attribute_lists() {
    let query = list(&format!(
        "attributes=userName,%20name.givenName,,{ENTERPRISE_USER_SCHEMA}:employeeNumber"
    ));
    let paths = &query.projection.attributes;
    assert_eq!(paths.len(), 3);
    assert_eq!(paths[1].sub_attr.as_deref(), Some("givenName"));
    assert_eq!(paths[2].schema.as_deref(), Some(ENTERPRISE_USER_SCHEMA));
    assert_eq!(paths[2].attr, "employeeNumber");
    assert!(list("attributes=").projection.attributes.is_empty());
    assert_eq!(
        list("excludedAttributes=members.$ref")
            .projection
            .excluded_attributes[0]
            .sub_attr
            .as_deref(),
        Some("$ref")
    );
    for bad in [
        "attributes=emails%5Btype+eq+%22work%22%5D",
        "attributes=a.b.c",
        "excludedAttributes=1abc",
        "attributes=and",
    ] {
        assert_eq!(list_err(bad).code, ErrorCode::InvalidValue, "{bad}");
    }
}

#[test]
fn repeated_parameters_are_refused_unknown_ones_ignored() {
    let error = list_err("count=1&count=2");
    assert_eq!(error.code, ErrorCode::InvalidSyntax);
    assert_eq!(error.path.as_deref(), Some("count"));
    assert_eq!(
        list_err("filter=id+pr&Filter=id+pr").code,
        ErrorCode::InvalidSyntax
    );
    let query = list("access_token=x&foo&bar=%zz_not_read?&STARTINDEX=3&&");
    assert_eq!(query.start_index, 3);
}

#[test]
fn undecodable_queries_are_invalid_syntax() {
    for bad in [
        "filter=%ZZ",
        "filter=%",
        "filter=%4",
        "filter=%FF",
        "%66ilter=%ZZ",
    ] {
        assert_eq!(list_err(bad).code, ErrorCode::InvalidSyntax, "{bad}");
    }
    // Unknown parameters are not decoded at all.
    assert_eq!(list("%zz=1&x=%FF").count, 100);
}

#[test]
fn leading_question_mark_and_empty_pairs() {
    assert_eq!(list("?count=3").count, 3);
    assert_eq!(list("&&count=4&").count, 4);
    assert_eq!(list_err("count").code, ErrorCode::InvalidValue);
}

#[test]
fn bad_filters_are_invalid_filter() {
    let error = list_err("filter=userName+eq");
    assert_eq!(error.code, ErrorCode::InvalidFilter);
    assert_eq!(status_of(error.code), (400, Some("invalidFilter")));
    assert_eq!(list_err("filter=").code, ErrorCode::InvalidFilter);
}

#[test]
fn overlong_queries_exceed_the_limit() {
    let limits = Limits::default();
    let long = format!("filter={}", "a".repeat(limits.max_scim_query_bytes));
    assert_eq!(list_err(&long).code, ErrorCode::LimitExceeded);
    // A filter at its own limit still fits once percent-encoded.
    let filter = format!("title eq \"{}\"", "x".repeat(limits.max_filter_bytes - 11));
    assert_eq!(filter.len(), limits.max_filter_bytes);
    let encoded = format!("filter={}", filter.replace(' ', "%20").replace('"', "%22"));
    assert!(call("GET", "/Users", Some(&encoded)).is_ok());
}
