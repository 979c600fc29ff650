//! SCIM error bodies (RFC 7644 §3.12); statuses and `scimType`s come from
//! [`ErrorCode::http_status`](crate::ErrorCode::http_status) and
//! [`ErrorCode::scim_type`](crate::ErrorCode::scim_type).

use super::ERROR_MESSAGE;
use crate::error::Error;
use serde_json::{json, Value};

/// The SCIM error body of `error`: `schemas`, `status` as a string, `scimType` when the code
/// has one, and `detail` (the message).
pub fn error_response(error: &Error) -> Value {
    let (status, scim_type) = (error.code.http_status(), error.code.scim_type());
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
