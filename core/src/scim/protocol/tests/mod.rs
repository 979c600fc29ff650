//! The protocol's tests: routing and methods, query decoding, bodies, statuses and error
//! bodies, responses and ETags, projection, discovery.

use super::*;
use crate::error::{Error, ErrorCode, Result};
use crate::limits::Limits;
use serde_json::{json, Value};

mod discovery;
mod project;
mod query;
mod request;
mod response;
mod status;

const JSON: Option<&str> = Some("application/scim+json");

/// The HTTP status and `scimType` a host reports `code` with.
fn status_of(code: ErrorCode) -> (u16, Option<&'static str>) {
    (code.http_status(), code.scim_type())
}

/// A request with neither body nor headers.
fn call(method: &str, path: &str, query: Option<&str>) -> Result<ScimRequest> {
    parse_request(
        method,
        path,
        query,
        &RequestHeaders::default(),
        None,
        &Limits::default(),
    )
}

/// A request with a body and a content type.
fn send(method: &str, path: &str, content_type: Option<&str>, body: &str) -> Result<ScimRequest> {
    let headers = RequestHeaders {
        content_type,
        ..RequestHeaders::default()
    };
    parse_request(
        method,
        path,
        None,
        &headers,
        Some(body.as_bytes()),
        &Limits::default(),
    )
}

fn op(method: &str, path: &str, query: Option<&str>) -> Operation {
    match call(method, path, query) {
        Ok(request) => request.operation,
        Err(e) => panic!("{method} {path} {query:?}: {e}"),
    }
}

fn code<T: std::fmt::Debug>(result: Result<T>) -> ErrorCode {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(Error { code, .. }) => code,
    }
}

/// The list query of `GET /Users?{query}`.
fn list(query: &str) -> ListQuery {
    match op("GET", "/Users", Some(query)) {
        Operation::List { query, .. } => query,
        other => panic!("not a list: {other:?}"),
    }
}

fn list_err(query: &str) -> Error {
    call("GET", "/Users", Some(query)).expect_err(query)
}
