use super::*;

/// Every code of the engine with its HTTP status and scimType.
const TABLE: [(ErrorCode, u16, Option<&str>); 36] = [
    (ErrorCode::InvalidJson, 400, Some("invalidSyntax")),
    (ErrorCode::InvalidInput, 400, Some("invalidSyntax")),
    (ErrorCode::UnknownOp, 400, None),
    (ErrorCode::InvalidEmail, 400, Some("invalidValue")),
    (ErrorCode::InvalidDomain, 400, Some("invalidValue")),
    (ErrorCode::InvalidDirectory, 400, Some("invalidValue")),
    (ErrorCode::InvalidChange, 400, Some("invalidValue")),
    (
        ErrorCode::UnsupportedSchemaVersion,
        400,
        Some("invalidSyntax"),
    ),
    (ErrorCode::UnknownOrg, 404, None),
    (ErrorCode::UnknownUser, 404, None),
    (ErrorCode::UnknownConnection, 404, None),
    (ErrorCode::UnknownMembership, 404, None),
    (ErrorCode::UnknownRole, 400, Some("invalidValue")),
    (ErrorCode::UnknownAction, 400, Some("invalidValue")),
    (ErrorCode::InvalidPolicy, 400, Some("invalidValue")),
    (ErrorCode::InvalidFilter, 400, Some("invalidFilter")),
    (ErrorCode::ConsumerDomain, 400, Some("invalidValue")),
    (ErrorCode::PublicSuffix, 400, Some("invalidValue")),
    (ErrorCode::Conflict, 409, Some("uniqueness")),
    (ErrorCode::LimitExceeded, 400, None),
    (ErrorCode::InvalidValue, 400, Some("invalidValue")),
    (ErrorCode::Internal, 500, None),
    (ErrorCode::NotFound, 404, None),
    (ErrorCode::MethodNotAllowed, 405, None),
    (ErrorCode::UnsupportedMediaType, 415, None),
    (ErrorCode::NotImplemented, 501, None),
    (ErrorCode::PreconditionFailed, 412, None),
    (ErrorCode::InvalidSyntax, 400, Some("invalidSyntax")),
    (ErrorCode::TooMany, 400, Some("tooMany")),
    (ErrorCode::PayloadTooLarge, 413, None),
    (ErrorCode::Forbidden, 403, None),
    (ErrorCode::InvalidPath, 400, Some("invalidPath")),
    (ErrorCode::NoTarget, 400, Some("noTarget")),
    (ErrorCode::InvalidPatch, 400, Some("invalidSyntax")),
    (ErrorCode::Mutability, 400, Some("mutability")),
    (ErrorCode::InvalidToken, 401, None),
];

#[test]
fn every_code_has_its_status_and_scim_type() {
    for (code, status, scim_type) in TABLE {
        assert_eq!(status_of(code), (status, scim_type), "{code}");
    }
}

#[test]
fn every_code_gives_a_well_formed_error_body() {
    for (code, status, scim_type) in TABLE {
        let body = error_response(&Error::new(code, "detail text"));
        assert_eq!(body["schemas"], json!([ERROR_MESSAGE]), "{code}");
        assert_eq!(body["status"], json!(status.to_string()), "{code}");
        assert_eq!(body["detail"], "detail text");
        match scim_type {
            Some(t) => assert_eq!(body["scimType"], t, "{code}"),
            None => assert!(body.get("scimType").is_none(), "{code}"),
        }
    }
}

#[test]
fn rfc_7644_error_examples() {
    let not_found = Error::new(
        ErrorCode::NotFound,
        "Resource 2819c223-7f76-453a-919d-413861904646 not found",
    );
    assert_eq!(
        error_response(&not_found),
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "detail": "Resource 2819c223-7f76-453a-919d-413861904646 not found",
            "status": "404"
        })
    );
    let bad_filter = call("GET", "/Users", Some("filter=userName+eq")).unwrap_err();
    let body = error_response(&bad_filter);
    assert_eq!(body["status"], "400");
    assert_eq!(body["scimType"], "invalidFilter");
}

#[test]
fn new_codes_serialise_to_their_stable_strings() {
    for (code, text) in [
        (ErrorCode::NotFound, "not_found"),
        (ErrorCode::MethodNotAllowed, "method_not_allowed"),
        (ErrorCode::UnsupportedMediaType, "unsupported_media_type"),
        (ErrorCode::NotImplemented, "not_implemented"),
        (ErrorCode::PreconditionFailed, "precondition_failed"),
        (ErrorCode::InvalidSyntax, "invalid_syntax"),
        (ErrorCode::TooMany, "too_many"),
        (ErrorCode::PayloadTooLarge, "payload_too_large"),
        (ErrorCode::Forbidden, "forbidden"),
    ] {
        assert_eq!(code.as_str(), text);
        assert_eq!(serde_json::to_value(code).unwrap(), json!(text));
    }
}
