//! Malformed requests, refused operations, limits.

use super::*;

fn parse_error(body: Value) -> Error {
    PatchRequest::parse(&body, &PatchTolerance::default(), &Limits::default())
        .expect_err("should fail")
}

#[test]
fn malformed_bodies_are_invalid_patch() {
    for body in [
        json!([]),
        json!({"Operations": []}),
        json!({"schemas": ["urn:other"], "Operations": []}),
        json!({"schemas": [PATCH_OP_URN]}),
        json!({"schemas": [PATCH_OP_URN], "Operations": {}}),
        json!({"schemas": [PATCH_OP_URN], "Operations": ["add"]}),
        json!({"schemas": [PATCH_OP_URN], "Operations": [{"path": "a"}]}),
        json!({"schemas": [PATCH_OP_URN], "Operations": [{"op": "move", "path": "a"}]}),
        json!({"schemas": [PATCH_OP_URN], "Operations": [{"op": "add", "path": 3, "value": 1}]}),
    ] {
        let error = parse_error(body.clone());
        assert_eq!(error.code, ErrorCode::InvalidPatch, "{body}");
        assert_eq!(error.code.scim_type(), Some("invalidSyntax"));
        assert_eq!(error.code.http_status(), 400);
    }
}

#[test]
fn message_member_names_are_case_insensitive() {
    let body = json!({"SCHEMAS": [PATCH_OP_URN.to_uppercase()], "operations": [{"OP": "add", "PATH": "title", "VALUE": "x"}]});
    let request =
        PatchRequest::parse(&body, &PatchTolerance::strict(), &Limits::default()).unwrap();
    assert_eq!(request.operations.len(), 1);
    assert_eq!(request.operations[0].op, PatchOp::Add);
}

#[test]
fn add_or_replace_without_value() {
    let error = fails(
        &user(),
        json!([{"op": "add", "path": "title"}]),
        ErrorCode::InvalidPatch,
    );
    assert_eq!(error.path.as_deref(), Some("Operations[0].value"));
    fails(
        &user(),
        json!([{"op": "replace", "path": "title"}]),
        ErrorCode::InvalidPatch,
    );
    fails(
        &user(),
        json!([{"op": "add", "value": "x"}]),
        ErrorCode::InvalidPatch,
    );
    fails(
        &user(),
        json!([{"op": "add", "path": "title", "value": null}]),
        ErrorCode::InvalidPatch,
    );
}

#[test]
fn remove_without_path_is_no_target() {
    let error = fails(&user(), json!([{"op": "remove"}]), ErrorCode::NoTarget);
    assert_eq!(error.code.scim_type(), Some("noTarget"));
}

#[test]
fn filters_matching_nothing_are_no_target() {
    for op in [
        json!({"op": "replace", "path": "emails[type eq \"fax\"].value", "value": "x"}),
        json!({"op": "replace", "path": "emails[type eq \"fax\"]", "value": {"value": "x"}}),
        json!({"op": "remove", "path": "emails[type eq \"fax\"]"}),
        json!({"op": "remove", "path": "emails[type eq \"fax\"].display"}),
        json!({"op": "remove", "path": "phoneNumbers[type eq \"fax\"]"}),
        json!({"op": "remove", "path": format!("{ENTERPRISE}:x[a eq 1]")}),
    ] {
        fails(&user(), json!([op]), ErrorCode::NoTarget);
    }
    let strict = PatchTolerance::strict();
    fails_with(
        &user(),
        json!([{"op": "add", "path": "emails[type eq \"fax\"].value", "value": "x"}]),
        &strict,
        ErrorCode::NoTarget,
    );
}

#[test]
fn bad_paths_are_invalid_path() {
    let error = fails(
        &user(),
        json!([{"op": "remove", "path": "emails[type eq]"}]),
        ErrorCode::InvalidPath,
    );
    assert_eq!(error.path.as_deref(), Some("Operations[0].path"));
    assert_eq!(error.code.scim_type(), Some("invalidPath"));
    fails(
        &user(),
        json!([{"op": "add", "path": "userName.first", "value": "x"}]),
        ErrorCode::InvalidPath,
    );
    fails(
        &user(),
        json!([{"op": "replace", "value": {"bad key": 1}}]),
        ErrorCode::InvalidPath,
    );
}

#[test]
fn read_only_attributes_are_mutability() {
    for op in [
        json!({"op": "replace", "path": "id", "value": "x"}),
        json!({"op": "remove", "path": "id"}),
        json!({"op": "add", "path": "meta.version", "value": "W/\"1\""}),
        json!({"op": "replace", "path": "schemas", "value": [USER_URN]}),
        json!({"op": "add", "path": "groups", "value": [{"value": "g1"}]}),
        json!({"op": "replace", "value": {"meta": {"resourceType": "Group"}}}),
        json!({"op": "replace", "path": format!("{USER_URN}:id"), "value": "x"}),
    ] {
        let error = fails(&user(), json!([op.clone()]), ErrorCode::Mutability);
        assert_eq!(error.code.http_status(), 400, "{op}");
    }
    // `groups` is read-only on a User only.
    let resource = json!({"schemas": ["urn:example:Thing"], "groups": []});
    patch(
        &resource,
        json!([{"op": "add", "path": "groups", "value": [{"value": "g1"}]}]),
    );
}

#[test]
fn type_mismatches_are_invalid_value() {
    let error = fails_with(
        &user(),
        json!([{"op": "add", "path": "emails", "value": "x@example.com"}]),
        &PatchTolerance::strict(),
        ErrorCode::InvalidValue,
    );
    assert_eq!(error.code.scim_type(), Some("invalidValue"));
    let strict = PatchTolerance::strict();
    fails_with(
        &user(),
        json!([{"op": "add", "path": "emails", "value": {"value": "x"}}]),
        &strict,
        ErrorCode::InvalidValue,
    );
    fails(
        &user(),
        json!([{"op": "add", "path": "emails[type eq \"work\"]", "value": "x"}]),
        ErrorCode::InvalidValue,
    );
    fails(
        &user(),
        json!([{"op": "replace", "path": "userName", "value": [1]}]),
        ErrorCode::InvalidValue,
    );
    fails(
        &user(),
        json!([{"op": "add", "path": "emails", "value": [{"value": "x", "primary": 1}]}]),
        ErrorCode::InvalidValue,
    );
    fails(
        &user(),
        json!([{"op": "add", "path": "userName.x", "value": "y"}]),
        ErrorCode::InvalidPath,
    );
    let resource = json!({"schemas": [USER_URN], ENTERPRISE: "not an object"});
    fails(
        &resource,
        json!([{"op": "add", "path": format!("{ENTERPRISE}:a"), "value": 1}]),
        ErrorCode::InvalidValue,
    );
}

#[test]
fn resource_must_be_an_object() {
    let request = PatchRequest::default();
    let error = request
        .apply(
            &json!([1]),
            &PatchTolerance::default(),
            &Limits::default(),
            &crate::scim::filter::CoreSchemas,
        )
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput);
}

#[test]
fn operation_count_limit() {
    let limits = Limits {
        max_patch_operations: 2,
        ..Limits::default()
    };
    let op = json!({"op": "add", "path": "title", "value": "x"});
    let ok = body(json!([op.clone(), op.clone()]));
    assert!(apply_patch(&user(), &ok, &PatchTolerance::default(), &limits).is_ok());
    let over = body(json!([op.clone(), op.clone(), op]));
    let error = apply_patch(&user(), &over, &PatchTolerance::default(), &limits).unwrap_err();
    assert_eq!(error.code, ErrorCode::LimitExceeded);
    assert_eq!(error.path.as_deref(), Some("Operations"));
    assert_eq!(Limits::default().max_patch_operations, 1_000);
}

#[test]
fn path_length_limit_applies_to_paths_and_value_keys() {
    let limits = Limits {
        max_filter_bytes: 8,
        ..Limits::default()
    };
    let long = body(json!([{"op": "add", "path": "aVeryLongName", "value": 1}]));
    let error = apply_patch(&user(), &long, &PatchTolerance::default(), &limits).unwrap_err();
    assert_eq!(
        (error.code, error.reason.as_deref()),
        (ErrorCode::InvalidPath, Some("too_long"))
    );
    let long_key = body(json!([{"op": "add", "value": {"aVeryLongName": 1}}]));
    let error = apply_patch(&user(), &long_key, &PatchTolerance::default(), &limits).unwrap_err();
    assert_eq!(error.reason.as_deref(), Some("too_long"));
}
