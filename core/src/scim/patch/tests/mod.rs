//! The PATCH engine's tests: the RFC 7644 examples, every operation on every kind of path,
//! each tolerance on and off, errors and limits, and a no-panic property.

use super::*;
use crate::error::{Error, ErrorCode};
use serde_json::{json, Value};

mod errors;
mod ops;
mod paths;
mod props;
mod rfc;
mod tolerance;

const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const BABS: &str = "2819c223-7f76-453a-919d-413861904646";
const JAMES: &str = "08e1d05d-121c-4561-8b96-473d93df9210";

/// A PATCH body around `operations`.
fn body(operations: Value) -> Value {
    json!({"schemas": [PATCH_OP_URN], "Operations": operations})
}

fn try_patch(
    resource: &Value,
    operations: Value,
    tolerance: &PatchTolerance,
) -> Result<PatchOutcome> {
    apply_patch(resource, &body(operations), tolerance, &Limits::default())
}

/// Applies with every tolerance on; panics on error.
fn patch(resource: &Value, operations: Value) -> PatchOutcome {
    try_patch(resource, operations, &PatchTolerance::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// Applies with every tolerance off; panics on error.
fn patch_strict(resource: &Value, operations: Value) -> PatchOutcome {
    try_patch(resource, operations, &PatchTolerance::strict()).unwrap_or_else(|e| panic!("{e}"))
}

/// The error of a failing PATCH (default tolerance), checked to be `code`.
fn fails(resource: &Value, operations: Value, code: ErrorCode) -> Error {
    fails_with(resource, operations, &PatchTolerance::default(), code)
}

fn fails_with(
    resource: &Value,
    operations: Value,
    tolerance: &PatchTolerance,
    code: ErrorCode,
) -> Error {
    let error = try_patch(resource, operations, tolerance).expect_err("should fail");
    assert_eq!(error.code, code, "{error}");
    error
}

fn user() -> Value {
    json!({
        "schemas": [USER_URN, ENTERPRISE],
        "id": "2819c223",
        "userName": "bjensen",
        "active": true,
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "addresses": [
            {"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood"},
            {"type": "home", "streetAddress": "456 Hollywood Blvd", "locality": "Hollywood"}
        ],
        ENTERPRISE: {"department": "Tour Operations", "manager": {"value": "26118915"}},
        "meta": {"resourceType": "User", "version": "W/\"a330bc54f0671c9\""}
    })
}

fn group(members: &[&str]) -> Value {
    let members: Vec<Value> = members.iter().map(|id| json!({"value": id})).collect();
    json!({
        "schemas": [GROUP_URN],
        "id": "acbf3ae7-8463-4692-b4fd-9b4da3f908ce",
        "displayName": "Tour Guides",
        "members": members,
        "meta": {"resourceType": "Group"}
    })
}
