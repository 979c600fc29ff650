use super::*;

#[test]
fn collection_get_lists_and_post_creates() {
    match op("GET", "/Users", None) {
        Operation::List { kind, query } => {
            assert_eq!(kind, Some(ResourceKind::User));
            assert_eq!((query.start_index, query.count), (1, 100));
            assert_eq!(query.filter, None);
        }
        other => panic!("{other:?}"),
    }
    match op("GET", "/Groups", None) {
        Operation::List { kind, .. } => assert_eq!(kind, Some(ResourceKind::Group)),
        other => panic!("{other:?}"),
    }
    let body = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen"}"#;
    match send("POST", "/Users", JSON, body).unwrap().operation {
        Operation::Create { kind, resource, .. } => {
            assert_eq!(kind, ResourceKind::User);
            assert_eq!(resource["userName"], "bjensen");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn resource_get_replace_patch_delete() {
    let id = "2819c223-7f76-453a-919d-413861904646";
    let path = format!("/Users/{id}");
    assert!(matches!(
        op("GET", &path, None),
        Operation::Get { kind: ResourceKind::User, id: ref got, .. } if got == id
    ));
    assert_eq!(
        op("DELETE", "/Groups/e9e30dba", None),
        Operation::Delete {
            kind: ResourceKind::Group,
            id: "e9e30dba".into()
        }
    );
    let put = send("PUT", &path, JSON, r#"{"userName":"bjensen"}"#).unwrap();
    assert!(matches!(put.operation, Operation::Replace { id: ref got, .. } if got == id));
    let patch = r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"add","path":"members","value":[{"value":"2819c223"}]}]}"#;
    match send("PATCH", "/Groups/acbf3ae7", JSON, patch)
        .unwrap()
        .operation
    {
        Operation::Patch {
            kind, id, patch, ..
        } => {
            assert_eq!((kind, id.as_str()), (ResourceKind::Group, "acbf3ae7"));
            assert!(patch["Operations"].is_array());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn discovery_endpoints() {
    assert_eq!(
        op("GET", "/ServiceProviderConfig", None),
        Operation::ServiceProviderConfig
    );
    assert_eq!(op("GET", "/ResourceTypes", None), Operation::ResourceTypes);
    assert_eq!(
        op("GET", "/ResourceTypes/User", None),
        Operation::ResourceType {
            name: "User".into()
        }
    );
    assert_eq!(op("GET", "/Schemas", None), Operation::Schemas);
    assert_eq!(
        op(
            "GET",
            "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User",
            None
        ),
        Operation::Schema {
            id: USER_SCHEMA.into()
        }
    );
    assert_eq!(
        op(
            "GET",
            "/Schemas/urn%3Aietf%3Aparams%3Ascim%3Aschemas%3Acore%3A2.0%3AGroup",
            None
        ),
        Operation::Schema {
            id: GROUP_SCHEMA.into()
        }
    );
}

#[test]
fn me_and_bulk_are_not_implemented() {
    for method in ["GET", "PUT", "PATCH", "DELETE", "POST"] {
        assert_eq!(code(call(method, "/Me", None)), ErrorCode::NotImplemented);
    }
    assert_eq!(code(call("GET", "/Me/x", None)), ErrorCode::NotImplemented);
    assert_eq!(code(call("POST", "/Bulk", None)), ErrorCode::NotImplemented);
    let (status, scim_type) = status_of(ErrorCode::NotImplemented);
    assert_eq!((status, scim_type), (501, None));
}

#[test]
fn wrong_methods_are_405() {
    for (method, path) in [
        ("PUT", "/Users"),
        ("PATCH", "/Users"),
        ("DELETE", "/Groups"),
        ("POST", "/Users/abc"),
        ("GET", "/Users/.search"),
        ("GET", "/.search"),
        ("POST", "/ServiceProviderConfig"),
        ("PUT", "/Schemas"),
        ("DELETE", "/ResourceTypes/User"),
        ("HEAD", "/Users"),
        ("OPTIONS", "/Users/abc"),
        ("get", "/Users"),
    ] {
        assert_eq!(
            code(call(method, path, None)),
            ErrorCode::MethodNotAllowed,
            "{method} {path}"
        );
    }
}

#[test]
fn allowed_methods_per_endpoint() {
    let limits = Limits::default();
    assert_eq!(
        allowed_methods("/Users", &limits),
        Some(&["GET", "POST"][..])
    );
    assert_eq!(
        allowed_methods("/Groups/x/", &limits),
        Some(&["GET", "PUT", "PATCH", "DELETE"][..])
    );
    assert_eq!(allowed_methods("/.search", &limits), Some(&["POST"][..]));
    assert_eq!(allowed_methods("/Schemas", &limits), Some(&["GET"][..]));
    assert_eq!(allowed_methods("/Me", &limits), None);
    assert_eq!(allowed_methods("/nope", &limits), None);
}

#[test]
fn unknown_paths_are_404() {
    for path in [
        "",
        "/",
        "Users",
        "/Userz",
        "/Users/a/b",
        "/Users//",
        "//Users",
        "/scim/v2/Users",
        "/ServiceProviderConfig/x",
        "/ServiceProviderConfigs",
        "/.search/x",
    ] {
        assert_eq!(
            code(call("GET", path, None)),
            ErrorCode::NotFound,
            "{path:?}"
        );
    }
}

#[test]
fn trailing_slash_and_case_of_endpoints() {
    assert!(matches!(op("GET", "/Users/", None), Operation::List { .. }));
    assert!(matches!(op("GET", "/users", None), Operation::List { .. }));
    assert!(matches!(
        op("GET", "/GROUPS/abc/", None),
        Operation::Get { kind: ResourceKind::Group, ref id, .. } if id == "abc"
    ));
    assert_eq!(
        op("GET", "/serviceproviderconfig/", None),
        Operation::ServiceProviderConfig
    );
}

#[test]
fn ids_are_percent_decoded_and_plus_stays_plus() {
    let id = |path: &str| match op("GET", path, None) {
        Operation::Get { id, .. } => id,
        other => panic!("{other:?}"),
    };
    assert_eq!(id("/Users/a%20b%2Fc"), "a b/c");
    assert_eq!(id("/Users/a+b"), "a+b");
    assert_eq!(id("/Users/%C3%A9t%C3%A9"), "été");
    assert_eq!(id("/Users/%2e%2E"), "..");
    for bad in ["/Users/%zz", "/Users/%4", "/Users/%FF", "/Users/%"] {
        assert_eq!(
            code(call("GET", bad, None)),
            ErrorCode::InvalidSyntax,
            "{bad}"
        );
    }
}

#[test]
fn overlong_ids_exceed_the_text_limit() {
    let ok = format!("/Users/{}", "a".repeat(2_048));
    assert!(call("GET", &ok, None).is_ok());
    let long = format!("/Users/{}", "a".repeat(2_049));
    assert_eq!(code(call("GET", &long, None)), ErrorCode::LimitExceeded);
    // Decoded length counts: 700 escapes of 3 bytes are 700 bytes.
    let escaped = format!("/Users/{}", "%41".repeat(700));
    assert!(call("GET", &escaped, None).is_ok());
}

#[test]
fn search_endpoints_read_the_body() {
    let body = r#"{
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "attributes": ["displayName", "userName"],
        "filter": "displayName sw \"smith\"",
        "startIndex": 1,
        "count": 10
    }"#;
    match send("POST", "/Users/.search", JSON, body)
        .unwrap()
        .operation
    {
        Operation::List { kind, query } => {
            assert_eq!(kind, Some(ResourceKind::User));
            assert_eq!(query.count, 10);
            assert_eq!(query.projection.attributes.len(), 2);
            assert_eq!(
                query.filter.unwrap().to_string(),
                "displayName sw \"smith\""
            );
        }
        other => panic!("{other:?}"),
    }
    match send(
        "POST",
        "/.search",
        JSON,
        r#"{"count": -3, "startIndex": 0}"#,
    )
    .unwrap()
    .operation
    {
        Operation::List { kind, query } => {
            assert_eq!(kind, None);
            assert_eq!((query.start_index, query.count), (1, 0));
        }
        other => panic!("{other:?}"),
    }
    for bad in [
        r#"{"count": "10"}"#,
        r#"{"count": 1.5}"#,
        r#"{"attributes": "userName"}"#,
        r#"{"attributes": [1]}"#,
        r#"{"filter": 3}"#,
    ] {
        assert_eq!(
            code(send("POST", "/Groups/.search", JSON, bad)),
            ErrorCode::InvalidSyntax,
            "{bad}"
        );
    }
    assert_eq!(
        code(send(
            "POST",
            "/.search",
            JSON,
            r#"{"filter": "userName eq"}"#
        )),
        ErrorCode::InvalidFilter
    );
    assert_eq!(
        code(send("POST", "/.search", JSON, r#"{"sortOrder": "up"}"#)),
        ErrorCode::InvalidValue
    );
}

#[test]
fn search_body_members_ignore_case_and_unknowns() {
    let body = r#"{"COUNT": 5, "sortby": "userName", "SortOrder": "Descending", "x": 1,
                   "excludedAttributes": ["groups, members"], "filter": null}"#;
    match send("POST", "/Users/.search", JSON, body)
        .unwrap()
        .operation
    {
        Operation::List { query, .. } => {
            assert_eq!(query.count, 5);
            assert_eq!(query.sort_order, SortOrder::Descending);
            assert_eq!(query.sort_by.unwrap().attr, "userName");
            assert_eq!(query.projection.excluded_attributes.len(), 2);
            assert_eq!(query.filter, None);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn content_types() {
    let body = r#"{"userName":"x"}"#;
    for accepted in [
        "application/scim+json",
        "application/json",
        "application/json; charset=utf-8",
        "Application/SCIM+JSON;charset=\"UTF-8\"",
        "application/scim+json; charset=utf-8; profile=x",
    ] {
        assert!(
            send("POST", "/Users", Some(accepted), body).is_ok(),
            "{accepted}"
        );
    }
    assert!(send("POST", "/Users", None, body).is_ok());
    for refused in [
        "text/plain",
        "application/xml",
        "application/x-www-form-urlencoded",
        "application/json; charset=iso-8859-1",
        "",
        "application/jsonx",
    ] {
        assert_eq!(
            code(send("POST", "/Users", Some(refused), body)),
            ErrorCode::UnsupportedMediaType,
            "{refused}"
        );
    }
    assert_eq!(status_of(ErrorCode::UnsupportedMediaType), (415, None));
}

#[test]
fn bodies_must_be_json_objects() {
    for (body, expected) in [
        ("{", ErrorCode::InvalidJson),
        ("{\"a\":1} trailing", ErrorCode::InvalidJson),
        ("[1,2]", ErrorCode::InvalidSyntax),
        ("\"str\"", ErrorCode::InvalidSyntax),
        ("null", ErrorCode::InvalidSyntax),
        ("", ErrorCode::InvalidSyntax),
    ] {
        assert_eq!(
            code(send("PUT", "/Users/a", JSON, body)),
            expected,
            "{body}"
        );
    }
    let invalid_utf8 = parse_request(
        "POST",
        "/Users",
        None,
        &RequestHeaders::default(),
        Some(&[b'{', b'"', 0xff, b'"', b':', b'1', b'}']),
        &Limits::default(),
    );
    assert_eq!(code(invalid_utf8), ErrorCode::InvalidJson);
    assert_eq!(code(call("POST", "/Users", None)), ErrorCode::InvalidSyntax);
    assert_eq!(
        code(call("PATCH", "/Users/a", None)),
        ErrorCode::InvalidSyntax
    );
}

#[test]
fn deeply_nested_bodies_fail_without_panicking() {
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(
        code(send("POST", "/Users", JSON, &deep)),
        ErrorCode::InvalidJson
    );
}

#[test]
fn bodies_over_the_limit_are_413() {
    let limits = Limits {
        max_scim_body_bytes: 20,
        ..Limits::default()
    };
    let headers = RequestHeaders::default();
    let exact = br#"{"userName":"abcdef"}"#;
    assert_eq!(exact.len(), 21);
    let fits = br#"{"userName":"abcde"}"#;
    let ok = parse_request("POST", "/Users", None, &headers, Some(fits), &limits);
    assert!(ok.is_ok());
    let over = parse_request("POST", "/Users", None, &headers, Some(exact), &limits);
    assert_eq!(code(over), ErrorCode::PayloadTooLarge);
    assert_eq!(status_of(ErrorCode::PayloadTooLarge), (413, None));
    assert_eq!(Limits::default().max_scim_body_bytes, 1 << 20);
}

#[test]
fn bodies_of_get_and_delete_are_ignored() {
    let headers = RequestHeaders {
        content_type: Some("text/plain"),
        ..RequestHeaders::default()
    };
    for (method, path) in [
        ("GET", "/Users"),
        ("DELETE", "/Users/a"),
        ("GET", "/Schemas"),
    ] {
        let request = parse_request(
            method,
            path,
            None,
            &headers,
            Some(b"not json"),
            &Limits::default(),
        );
        assert!(request.is_ok(), "{method} {path}");
    }
}

#[test]
fn headers_from_pairs_and_preconditions_passed_on() {
    let pairs = vec![
        ("content-type".to_string(), "application/json".to_string()),
        ("IF-MATCH".to_string(), " W/\"3\" ".to_string()),
        ("If-Match".to_string(), "W/\"4\"".to_string()),
        ("Authorization".to_string(), "Bearer x".to_string()),
    ];
    let headers = RequestHeaders::from_pairs(&pairs);
    assert_eq!(headers.content_type, Some("application/json"));
    assert_eq!(headers.if_match, Some("W/\"3\""));
    assert_eq!(headers.if_none_match, None);
    let request = parse_request(
        "DELETE",
        "/Users/a",
        None,
        &headers,
        None,
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(request.if_match.as_deref(), Some("W/\"3\""));
    assert!(check_if_match(request.if_match.as_deref(), "3").is_ok());
    assert_eq!(
        code(check_if_match(request.if_match.as_deref(), "4")),
        ErrorCode::PreconditionFailed
    );
}

#[test]
fn checks_run_path_then_method_then_query_then_body() {
    assert_eq!(code(call("PUT", "/nope", Some("%zz"))), ErrorCode::NotFound);
    assert_eq!(
        code(call("PUT", "/Users", Some("%zz"))),
        ErrorCode::MethodNotAllowed
    );
    let headers = RequestHeaders {
        content_type: Some("text/plain"),
        ..RequestHeaders::default()
    };
    let bad_query = parse_request(
        "POST",
        "/Users",
        Some("attributes=%zz"),
        &headers,
        Some(b"{}"),
        &Limits::default(),
    );
    assert_eq!(code(bad_query), ErrorCode::InvalidSyntax);
}

#[test]
fn discovery_refuses_filters_and_ignores_other_parameters() {
    for path in [
        "/Schemas",
        "/ResourceTypes",
        "/ServiceProviderConfig",
        "/Schemas/x",
    ] {
        assert_eq!(
            code(call("GET", path, Some("filter=id+pr"))),
            ErrorCode::Forbidden,
            "{path}"
        );
        assert!(call("GET", path, Some("count=abc&sortBy=%20")).is_ok());
    }
    assert_eq!(status_of(ErrorCode::Forbidden), (403, None));
}

#[test]
fn projection_parameters_on_single_resources() {
    match op("GET", "/Users/a", Some("attributes=userName,emails.value")) {
        Operation::Get { projection, .. } => {
            assert_eq!(projection.attributes.len(), 2);
            assert_eq!(projection.attributes[1].sub_attr.as_deref(), Some("value"));
        }
        other => panic!("{other:?}"),
    }
    // List-only parameters are not read on a single resource.
    assert!(call("GET", "/Users/a", Some("count=abc")).is_ok());
    let headers = RequestHeaders::default();
    let create = parse_request(
        "POST",
        "/Groups",
        Some("excludedAttributes=members"),
        &headers,
        Some(br#"{"displayName":"G"}"#),
        &Limits::default(),
    )
    .unwrap();
    match create.operation {
        Operation::Create { projection, .. } => {
            assert_eq!(projection.excluded_attributes[0].attr, "members");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn error_messages_quote_input_briefly() {
    let path = format!("/{}", "é".repeat(10_000));
    let error = call("GET", &path, None).unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(error.message.len() < 250, "{}", error.message.len());
    let method = "X".repeat(10_000);
    assert!(call(&method, "/Users", None).unwrap_err().message.len() < 250);
    let error = list_err(&format!("sortOrder={}", "z".repeat(5_000)));
    assert!(error.message.len() < 250);
}

#[test]
fn requests_serialise_for_the_bindings() {
    let request = call(
        "GET",
        "/Users",
        Some("filter=userName+eq+%22bjensen%22&sortBy=userName&attributes=userName"),
    )
    .unwrap();
    let value = serde_json::to_value(&request).unwrap();
    assert_eq!(value["operation"]["op"], "list");
    assert_eq!(value["operation"]["kind"], "User");
    assert_eq!(value["operation"]["query"]["filter"]["op"], "eq");
    assert_eq!(value["operation"]["query"]["sort_order"], "ascending");
    for path in ["/ServiceProviderConfig", "/Schemas", "/ResourceTypes/Group"] {
        let request = call("GET", path, None).unwrap();
        assert!(serde_json::to_value(&request).unwrap()["operation"]["op"].is_string());
    }
}
