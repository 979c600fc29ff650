use super::*;

#[test]
fn list_response_counts_the_page() {
    let resources = vec![json!({"id": "a"}), json!({"id": "b"})];
    assert_eq!(
        list_response(resources, 25, 11),
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": 25,
            "startIndex": 11,
            "itemsPerPage": 2,
            "Resources": [{"id": "a"}, {"id": "b"}]
        })
    );
    let empty = list_response(Vec::new(), 0, 1);
    assert_eq!(empty["Resources"], json!([]));
    assert_eq!(empty["itemsPerPage"], 0);
}

#[test]
fn list_response_from_a_query_page() {
    let all: Vec<Value> = (1..=25).map(|n| json!({ "id": n.to_string() })).collect();
    let query = list("startIndex=21&count=10");
    let page = query.page(all.len());
    let body = list_response(all[page].to_vec(), all.len(), query.start_index);
    assert_eq!(body["itemsPerPage"], 5);
    assert_eq!(body["Resources"][0]["id"], "21");
}

#[test]
fn rfc3339_from_milliseconds() {
    assert_eq!(rfc3339_millis(0).unwrap(), "1970-01-01T00:00:00Z");
    assert_eq!(
        rfc3339_millis(1_312_223_389_000).unwrap(),
        "2011-08-01T18:29:49Z"
    );
    assert_eq!(
        rfc3339_millis(1_312_223_389_123).unwrap(),
        "2011-08-01T18:29:49.123Z"
    );
    assert_eq!(rfc3339_millis(-1).unwrap(), "1969-12-31T23:59:59.999Z");
    assert_eq!(
        rfc3339_millis(951_782_400_000).unwrap(),
        "2000-02-29T00:00:00Z"
    );
    assert_eq!(
        rfc3339_millis(-62_167_219_200_000).unwrap(),
        "0000-01-01T00:00:00Z"
    );
    assert_eq!(
        rfc3339_millis(253_402_300_799_999).unwrap(),
        "9999-12-31T23:59:59.999Z"
    );
    for out_of_range in [253_402_300_800_000, -62_167_219_200_001, i64::MAX, i64::MIN] {
        assert_eq!(code(rfc3339_millis(out_of_range)), ErrorCode::InvalidValue);
    }
}

#[test]
fn meta_and_location() {
    let meta = meta(
        ResourceKind::User,
        "2819c223-7f76-453a-919d-413861904646",
        1_264_222_582_000,
        1_305_261_754_000,
        "3694e05e9dff590",
        "https://example.com/v2/",
    )
    .unwrap();
    assert_eq!(
        meta,
        json!({
            "resourceType": "User",
            "created": "2010-01-23T04:56:22Z",
            "lastModified": "2011-05-13T04:42:34Z",
            "location": "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
            "version": "W/\"3694e05e9dff590\""
        })
    );
    assert_eq!(
        location("https://h/scim/v2", ResourceKind::Group, "a b/c?d%"),
        "https://h/scim/v2/Groups/a%20b%2Fc%3Fd%25"
    );
    assert_eq!(code(meta_err()), ErrorCode::InvalidValue);
}

fn meta_err() -> Result<Value> {
    meta(ResourceKind::Group, "g", i64::MAX, 0, "1", "https://h")
}

#[test]
fn location_ids_round_trip_through_the_path_parser() {
    for id in ["plain", "a b", "a/b", "é+ü", "50%", "x?y#z"] {
        let url = location("", ResourceKind::User, id);
        match op("GET", &url, None) {
            Operation::Get { id: parsed, .. } => assert_eq!(parsed, id),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn etags_match_weakly() {
    assert_eq!(weak_etag("3"), "W/\"3\"");
    assert!(etag_matches("*", "3"));
    assert!(etag_matches(" * ", "3"));
    assert!(etag_matches("W/\"3\"", "3"));
    assert!(etag_matches("\"3\"", "3"));
    assert!(etag_matches("\"1\", W/\"3\"", "3"));
    assert!(etag_matches("W/\"1\",W/\"2\" ,  \"3\"", "3"));
    assert!(etag_matches("\"a,b\"", "a,b"));
    assert!(etag_matches("3", "3"));
    assert!(!etag_matches("W/\"4\"", "3"));
    assert!(!etag_matches("\"33\"", "3"));
    assert!(!etag_matches("", "3"));
    assert!(!etag_matches(",,,", "3"));
    assert!(!etag_matches("W/", "3"));
    assert!(!etag_matches("\"3", "4"));
    assert!(etag_matches(
        &weak_etag("f250dd84f0671c3"),
        "f250dd84f0671c3"
    ));
}

#[test]
fn if_match_preconditions() {
    assert!(check_if_match(None, "3").is_ok());
    assert!(check_if_match(Some("W/\"3\""), "3").is_ok());
    assert!(check_if_match(Some("*"), "3").is_ok());
    let error = check_if_match(Some("W/\"2\""), "3").unwrap_err();
    assert_eq!(error.code, ErrorCode::PreconditionFailed);
    assert_eq!(status_of(error.code), (412, None));
}
