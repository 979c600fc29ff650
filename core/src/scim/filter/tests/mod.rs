//! The filter's tests: parsing, errors, display and JSON, evaluation, SQL, and properties.

use super::*;
use crate::error::ErrorCode;
use crate::limits::Limits;
use serde_json::{json, Value};

mod display;
mod errors;
mod eval;
mod parse;
mod props;
mod sql;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn p(filter: &str) -> Filter {
    parse(filter, &Limits::default()).unwrap_or_else(|e| panic!("{filter}: {e}"))
}

fn err(filter: &str) -> Error {
    let error = parse(filter, &Limits::default()).expect_err(filter);
    assert_eq!(error.code, ErrorCode::InvalidFilter, "{filter}");
    error
}

fn reason(filter: &str) -> String {
    err(filter).reason.unwrap()
}

/// `a`, `a.b`, or `urn:…:a[.b]` (split as the parser does).
fn path(text: &str) -> AttrPath {
    let (schema, rest) = match text.rsplit_once(':') {
        Some((schema, rest)) => (Some(schema.to_string()), rest),
        None => (None, text),
    };
    let (attr, sub) = match rest.split_once('.') {
        Some((attr, sub)) => (attr, Some(sub.to_string())),
        None => (rest, None),
    };
    AttrPath {
        schema,
        attr: attr.into(),
        sub_attr: sub,
    }
}

fn cmp(attr: &str, op: CompareOp, value: impl Into<Value>) -> Filter {
    let value = serde_json::from_value(value.into()).unwrap();
    Filter::Compare {
        path: path(attr),
        op,
        value,
    }
}

fn pr(attr: &str) -> Filter {
    Filter::Present { path: path(attr) }
}

fn and(operands: Vec<Filter>) -> Filter {
    Filter::And(Operands::try_from(operands).unwrap())
}

fn or(operands: Vec<Filter>) -> Filter {
    Filter::Or(Operands::try_from(operands).unwrap())
}

fn not(inner: Filter) -> Filter {
    Filter::Not(Box::new(inner))
}

fn vp(attr: &str, inner: Filter) -> Filter {
    Filter::ValuePath {
        path: path(attr),
        filter: Box::new(inner),
    }
}

fn roomy() -> Limits {
    Limits {
        max_filter_bytes: 1 << 20,
        ..Limits::default()
    }
}

/// Every filter example of RFC 7644 §3.4.2.2.
const RFC_EXAMPLES: [&str; 17] = [
    r#"userName eq "bjensen""#,
    r#"name.familyName co "O'Malley""#,
    r#"userName sw "J""#,
    r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J""#,
    r#"title pr"#,
    r#"meta.lastModified gt "2011-05-13T04:42:34Z""#,
    r#"meta.lastModified ge "2011-05-13T04:42:34Z""#,
    r#"meta.lastModified lt "2011-05-13T04:42:34Z""#,
    r#"meta.lastModified le "2011-05-13T04:42:34Z""#,
    r#"title pr and userType eq "Employee""#,
    r#"title pr or userType eq "Intern""#,
    r#"schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User""#,
    r#"userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")"#,
    r#"userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")"#,
    r#"userType eq "Employee" and (emails.type eq "work")"#,
    r#"userType eq "Employee" and emails[type eq "work" and value co "@example.com"]"#,
    r#"emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]"#,
];

/// What Okta, Entra ID and OneLogin send when they look a user or group up.
const IDP_EXAMPLES: [&str; 7] = [
    r#"userName eq "test.user@okta.local""#,
    r#"externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef""#,
    r#"userName eq "a@b.c""#,
    r#"displayName eq "Group""#,
    r#"id eq "2819c223" and members[value eq "26118915"]"#,
    r#"userName eq "jane.doe@example.com""#,
    r#"emails[value eq "jane.doe@example.com"]"#,
];

/// The full User of RFC 7643 §8.2, trimmed, with a number added.
fn bjensen() -> Value {
    json!({
        "schemas": [USER, ENTERPRISE],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "externalId": "701984",
        "userName": "bjensen@example.com",
        "name": {"familyName": "Jensen", "givenName": "Barbara", "middleName": "Jane"},
        "displayName": "Babs Jensen",
        "nickName": "",
        "title": "Tour Guide",
        "userType": "Employee",
        "active": true,
        "loginCount": 42,
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "ims": [{"value": "someaimhandle", "type": "aim"}],
        "x509Certificates": [],
        "groups": [],
        "addresses": {},
        "preferredLanguage": null,
        ENTERPRISE: {
            "employeeNumber": "701984",
            "department": "Tour Operations",
            "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"}
        },
        "meta": {
            "resourceType": "User",
            "created": "2010-01-23T04:56:22Z",
            "lastModified": "2011-05-13T04:42:34.250Z",
            "version": "W/\"a330bc54f0671c9\""
        }
    })
}
