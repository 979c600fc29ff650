//! Error codes as HTTP statuses and SCIM error bodies (RFC 7644 §3.12).

use super::ERROR_MESSAGE;
use crate::error::{Error, ErrorCode};
use serde_json::{json, Value};

/// The HTTP status and SCIM `scimType` of an error code, for every code of the engine.
///
/// Validation codes are 400 `invalidValue` (a value the operation cannot take); malformed
/// input is 400 `invalidSyntax`; `unknown_org`, `unknown_user`, `unknown_connection`,
/// `unknown_membership` and `not_found` are 404; `unknown_role` and `unknown_action` are 400
/// `invalidValue`, since they name a value the request refers to, not the resource addressed;
/// `limit_exceeded` is 400 without a `scimType` (`tooMany` is kept for a filter that matches
/// more than the host will process, `too_many`).
pub fn status_of(code: ErrorCode) -> (u16, Option<&'static str>) {
    use ErrorCode::*;
    match code {
        InvalidJson | InvalidInput | InvalidSyntax | UnsupportedSchemaVersion => {
            (400, Some("invalidSyntax"))
        }
        InvalidEmail | InvalidDomain | InvalidDirectory | InvalidChange | UnknownRole
        | UnknownAction | InvalidPolicy | ConsumerDomain | PublicSuffix | InvalidValue => {
            (400, Some("invalidValue"))
        }
        InvalidFilter => (400, Some("invalidFilter")),
        TooMany => (400, Some("tooMany")),
        UnknownOp | LimitExceeded => (400, None),
        Forbidden => (403, None),
        UnknownOrg | UnknownUser | UnknownConnection | UnknownMembership | NotFound => (404, None),
        MethodNotAllowed => (405, None),
        Conflict => (409, Some("uniqueness")),
        PreconditionFailed => (412, None),
        PayloadTooLarge => (413, None),
        UnsupportedMediaType => (415, None),
        Internal => (500, None),
        NotImplemented => (501, None),
    }
}

/// The SCIM error body of `error`: `schemas`, `status` as a string, `scimType` when the code
/// has one, and `detail` (the message).
pub fn error_response(error: &Error) -> Value {
    let (status, scim_type) = status_of(error.code);
    let mut body = json!({
        "schemas": [ERROR_MESSAGE],
        "status": status.to_string(),
        "detail": error.message,
    });
    if let (Some(scim_type), Some(object)) = (scim_type, body.as_object_mut()) {
        object.insert("scimType".into(), scim_type.into());
    }
    body
}
