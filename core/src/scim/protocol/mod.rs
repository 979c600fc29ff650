//! The HTTP-facing shape of SCIM 2.0 (RFC 7644), without doing HTTP: the host hands over a
//! request's method, path, query, headers and body, and gets back a [`ScimRequest`] naming the
//! endpoint and operation, or an [`Error`](crate::error::Error) whose
//! [`ErrorCode::http_status`](crate::ErrorCode::http_status) and
//! [`ErrorCode::scim_type`](crate::ErrorCode::scim_type) give the HTTP status and SCIM
//! `scimType`, and whose [`error_response`] is the
//! body to send. For the answer, [`list_response`], [`project`] (the `attributes` and
//! `excludedAttributes` parameters), [`meta`] and the ETag helpers shape resources, and
//! [`service_provider_config`], [`resource_types`] and [`schemas`] are the discovery documents.
//!
//! # Paths
//!
//! The path is relative to the SCIM base: the host strips its mount point (`/scim/v2`, a
//! tenant prefix, …), so the path starts at `/Users`, `/Groups`, `/ServiceProviderConfig`,
//! `/ResourceTypes`, `/Schemas`, `/Me`, `/Bulk` or `/.search`. Endpoint names match ignoring
//! ASCII case; one trailing `/` is tolerated; ids are percent-decoded (`+` stays `+` in a path)
//! and at most [`max_text_bytes`](crate::limits::Limits::max_text_bytes) long. `/Me` and
//! `/Bulk` are `not_implemented` (501); any other path is `not_found` (404).
//!
//! | Path | Methods |
//! |---|---|
//! | `/Users`, `/Groups` | `GET` (list), `POST` (create) |
//! | `/Users/{id}`, `/Groups/{id}` | `GET`, `PUT` (replace), `PATCH`, `DELETE` |
//! | `/Users/.search`, `/Groups/.search`, `/.search` | `POST` (RFC 7644 §3.4.3) |
//! | `/ServiceProviderConfig`, `/ResourceTypes[/{name}]`, `/Schemas[/{urn}]` | `GET` |
//!
//! Methods are case-sensitive (RFC 9110); any other is `method_not_allowed` (405), and
//! [`allowed_methods`] gives the `Allow` header.
//!
//! # Query
//!
//! Decoded as a form: `+` and `%20` are spaces, `%2B` is `+`; a leading `?` and empty pairs
//! are skipped. Parameter names match ignoring ASCII case. A known parameter given twice, or
//! whose value is not well percent-encoded UTF-8, is `invalid_syntax`; unknown parameters are
//! ignored unread, as RFC 7644 §3.4.2 asks. See [`ListQuery`] and [`Projection`] for each
//! parameter. Discovery endpoints ignore every parameter (once decoded) but refuse `filter` as
//! `forbidden` (403, RFC 7644 §4). The raw query is at most
//! [`max_scim_query_bytes`](crate::limits::Limits::max_scim_query_bytes) long (else
//! `limit_exceeded`).
//!
//! # Bodies
//!
//! `POST`, `PUT`, `PATCH` and `.search` need a body: a JSON object of at most
//! [`max_scim_body_bytes`](crate::limits::Limits::max_scim_body_bytes) (else
//! `payload_too_large`, 413) in `application/scim+json` or `application/json`, optionally with
//! `charset=utf-8`; another media type is `unsupported_media_type` (415), a missing
//! `Content-Type` is accepted as JSON. Bodies of `GET` and `DELETE` are ignored. The resource
//! and PATCH bodies are passed on unchecked beyond being objects; a `.search` body is read
//! like the query (RFC 7644 §3.4.3: `attributes` and `excludedAttributes` as arrays of strings,
//! `startIndex` and `count` as integers, `null` as absent; other members ignored; a member of
//! the wrong type is `invalid_syntax`).
//!
//! Error messages quote at most 100 bytes of a path, parameter or header.

mod discovery;
mod percent;
mod project;
mod query;
mod request;
mod response;
mod status;

pub use discovery::{resource_type, resource_types, schema, schemas, service_provider_config};
pub use project::project;
pub(crate) use query::{sort_by_of, sort_order_of};
pub use query::{ListQuery, Projection, SortOrder};
pub use request::{allowed_methods, parse_request, Operation, RequestHeaders, ScimRequest};
pub use response::{
    check_if_match, etag_matches, list_response, location, meta, rfc3339_millis, weak_etag,
};
pub use status::error_response;

use serde::{Deserialize, Serialize};

/// The core User schema URN (RFC 7643 §4.1).
pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// The core Group schema URN (RFC 7643 §4.2).
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// The enterprise User extension URN (RFC 7643 §4.3).
pub const ENTERPRISE_USER_SCHEMA: &str =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// The ListResponse message URN (RFC 7644 §3.4.2).
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// The Error message URN (RFC 7644 §3.12).
pub const ERROR_MESSAGE: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// The two SCIM resource types the engine serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResourceKind {
    /// `/Users`: the core User schema with the enterprise extension.
    User,
    /// `/Groups`: the core Group schema.
    Group,
}

impl ResourceKind {
    /// The resource type's name, as `meta.resourceType` carries it (`User`).
    pub fn name(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::Group => "Group",
        }
    }

    /// The endpoint, relative to the SCIM base (`/Users`).
    pub fn endpoint(self) -> &'static str {
        match self {
            Self::User => "/Users",
            Self::Group => "/Groups",
        }
    }

    /// The core schema URN.
    pub fn schema(self) -> &'static str {
        match self {
            Self::User => USER_SCHEMA,
            Self::Group => GROUP_SCHEMA,
        }
    }

    /// The schema extensions the resource type may carry.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::User => &[ENTERPRISE_USER_SCHEMA],
            Self::Group => &[],
        }
    }
}

/// At most [`EXCERPT_BYTES`] of a request's text, for an error message.
fn excerpt(text: &str) -> String {
    if text.len() <= EXCERPT_BYTES {
        return text.to_string();
    }
    let mut end = EXCERPT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", text.get(..end).unwrap_or_default())
}

/// How much of a path, parameter or header an error message quotes.
const EXCERPT_BYTES: usize = 100;

#[cfg(test)]
mod tests;
