//! Request parsing: route the path, check the method, read the query, headers and body.

use super::percent::decode;
use super::query::{search_query, ListQuery, Params, Projection};
use super::{excerpt, ResourceKind};
use crate::error::{Error, ErrorCode, Result};
use crate::limits::Limits;
use serde::Serialize;
use serde_json::{Map, Value};

/// The headers a SCIM request is read with; other headers are the host's business.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestHeaders<'a> {
    /// `Content-Type`, checked when a body is expected.
    pub content_type: Option<&'a str>,
    /// `If-Match`, passed on for [`check_if_match`](super::check_if_match).
    pub if_match: Option<&'a str>,
    /// `If-None-Match`, passed on (a `GET` whose version it matches answers 304).
    pub if_none_match: Option<&'a str>,
}

impl<'a> RequestHeaders<'a> {
    /// Picks the three headers out of name/value pairs, names ignoring ASCII case; the first
    /// of a repeated header wins.
    pub fn from_pairs(pairs: &'a [(String, String)]) -> Self {
        let find = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| key.trim().eq_ignore_ascii_case(name))
                .map(|(_, value)| value.trim())
        };
        Self {
            content_type: find("content-type"),
            if_match: find("if-match"),
            if_none_match: find("if-none-match"),
        }
    }
}

/// A parsed SCIM request: what to do, and the preconditions to check first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScimRequest {
    /// The endpoint and operation.
    pub operation: Operation,
    /// `If-Match`, as sent.
    pub if_match: Option<String>,
    /// `If-None-Match`, as sent.
    pub if_none_match: Option<String>,
}

/// The endpoint and operation of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// `GET /Users`, `POST /Users/.search`; `kind` is `None` for `POST /.search`, which
    /// searches every resource type. Answered with a ListResponse (200).
    List {
        /// The resource type listed, or every one.
        kind: Option<ResourceKind>,
        /// Filter, page, sort and projection.
        query: ListQuery,
    },
    /// `GET /Users/{id}` (200, or 304 when `If-None-Match` matches).
    Get {
        /// The resource type.
        kind: ResourceKind,
        /// The id, percent-decoded.
        id: String,
        /// `attributes` and `excludedAttributes`.
        projection: Projection,
    },
    /// `POST /Users` (201).
    Create {
        /// The resource type.
        kind: ResourceKind,
        /// The body, a JSON object.
        resource: Map<String, Value>,
        /// How to shape the resource returned.
        projection: Projection,
    },
    /// `PUT /Users/{id}` (200).
    Replace {
        /// The resource type.
        kind: ResourceKind,
        /// The id, percent-decoded.
        id: String,
        /// The body, a JSON object.
        resource: Map<String, Value>,
        /// How to shape the resource returned.
        projection: Projection,
    },
    /// `PATCH /Users/{id}` (200 with the resource, or 204).
    Patch {
        /// The resource type.
        kind: ResourceKind,
        /// The id, percent-decoded.
        id: String,
        /// The body, a JSON object (a PatchOp message, not checked here).
        patch: Map<String, Value>,
        /// How to shape the resource returned.
        projection: Projection,
    },
    /// `DELETE /Users/{id}` (204).
    Delete {
        /// The resource type.
        kind: ResourceKind,
        /// The id, percent-decoded.
        id: String,
    },
    /// `GET /ServiceProviderConfig`.
    ServiceProviderConfig,
    /// `GET /ResourceTypes`.
    ResourceTypes,
    /// `GET /ResourceTypes/{name}`.
    ResourceType {
        /// The name, percent-decoded (`User`).
        name: String,
    },
    /// `GET /Schemas`.
    Schemas,
    /// `GET /Schemas/{urn}`.
    Schema {
        /// The schema URN, percent-decoded.
        id: String,
    },
}

/// Where a path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Route {
    Collection(ResourceKind),
    Resource(ResourceKind, String),
    Search(Option<ResourceKind>),
    ServiceProviderConfig,
    ResourceTypes,
    ResourceType(String),
    Schemas,
    Schema(String),
}

impl Route {
    fn methods(&self) -> &'static [&'static str] {
        match self {
            Self::Collection(_) => &["GET", "POST"],
            Self::Resource(..) => &["GET", "PUT", "PATCH", "DELETE"],
            Self::Search(_) => &["POST"],
            _ => &["GET"],
        }
    }

    fn is_discovery(&self) -> bool {
        !matches!(
            self,
            Self::Collection(_) | Self::Resource(..) | Self::Search(_)
        )
    }
}

/// Reads a SCIM request; see the [module docs](super) for every rule. Checks run in order:
/// path (404, 501), method (405), query (400, 403), then body (415, 413, 400).
pub fn parse_request(
    method: &str,
    path: &str,
    query: Option<&str>,
    headers: &RequestHeaders<'_>,
    body: Option<&[u8]>,
    limits: &Limits,
) -> Result<ScimRequest> {
    let route = route(path, limits)?;
    if !route.methods().contains(&method) {
        return Err(Error::new(
            ErrorCode::MethodNotAllowed,
            format!(
                "{} is not allowed on {}; allowed: {}",
                excerpt(method),
                excerpt(path),
                route.methods().join(", ")
            ),
        ));
    }
    let params = Params::read(query, limits)?;
    if route.is_discovery() && params.has_filter() {
        return Err(Error::new(
            ErrorCode::Forbidden,
            "discovery endpoints take no filter (RFC 7644 §4)",
        )
        .at("filter"));
    }
    let body = || read_body(headers, body, limits);
    let operation = match (route, method) {
        (Route::Collection(kind), "GET") => Operation::List {
            kind: Some(kind),
            query: params.list_query(limits)?,
        },
        // The query is checked before the body, as the docs order the checks.
        (Route::Collection(kind), _) => Operation::Create {
            kind,
            projection: params.projection()?,
            resource: body()?,
        },
        (Route::Search(kind), _) => Operation::List {
            kind,
            query: search_query(&body()?, limits)?,
        },
        (Route::Resource(kind, id), "GET") => Operation::Get {
            kind,
            id,
            projection: params.projection()?,
        },
        (Route::Resource(kind, id), "DELETE") => Operation::Delete { kind, id },
        (Route::Resource(kind, id), "PUT") => Operation::Replace {
            kind,
            id,
            projection: params.projection()?,
            resource: body()?,
        },
        (Route::Resource(kind, id), _) => Operation::Patch {
            kind,
            id,
            projection: params.projection()?,
            patch: body()?,
        },
        (Route::ServiceProviderConfig, _) => Operation::ServiceProviderConfig,
        (Route::ResourceTypes, _) => Operation::ResourceTypes,
        (Route::ResourceType(name), _) => Operation::ResourceType { name },
        (Route::Schemas, _) => Operation::Schemas,
        (Route::Schema(id), _) => Operation::Schema { id },
    };
    Ok(ScimRequest {
        operation,
        if_match: headers.if_match.map(str::to_string),
        if_none_match: headers.if_none_match.map(str::to_string),
    })
}

/// The methods `path` takes, for a 405's `Allow` header; `None` when the path leads nowhere
/// (or to an endpoint not implemented).
pub fn allowed_methods(path: &str, limits: &Limits) -> Option<&'static [&'static str]> {
    route(path, limits).ok().map(|route| route.methods())
}

fn route(path: &str, limits: &Limits) -> Result<Route> {
    let not_found = || {
        Error::new(
            ErrorCode::NotFound,
            format!(
                "no SCIM endpoint at `{}` (paths start at /Users, /Groups, …)",
                excerpt(path)
            ),
        )
    };
    let trimmed = match path.strip_suffix('/') {
        Some(rest) if !rest.is_empty() => rest,
        _ => path,
    };
    let Some(rest) = trimmed.strip_prefix('/') else {
        return Err(not_found());
    };
    let (first, second) = match rest.split_once('/') {
        Some((first, second)) => (first, Some(second)),
        None => (rest, None),
    };
    let is = |name: &str| first.eq_ignore_ascii_case(name);
    if is("Me") || is("Bulk") {
        return Err(Error::new(
            ErrorCode::NotImplemented,
            format!("/{first} is not implemented"),
        ));
    }
    let kind = if is("Users") {
        Some(ResourceKind::User)
    } else if is("Groups") {
        Some(ResourceKind::Group)
    } else {
        None
    };
    let Some(second) = second else {
        return match kind {
            Some(kind) => Ok(Route::Collection(kind)),
            None if is(".search") => Ok(Route::Search(None)),
            None if is("ServiceProviderConfig") => Ok(Route::ServiceProviderConfig),
            None if is("ResourceTypes") => Ok(Route::ResourceTypes),
            None if is("Schemas") => Ok(Route::Schemas),
            None => Err(not_found()),
        };
    };
    if second.is_empty() || second.contains('/') {
        return Err(not_found());
    }
    if kind.is_some() && second.eq_ignore_ascii_case(".search") {
        return Ok(Route::Search(kind));
    }
    let id = decode(second, false).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidSyntax,
            format!(
                "`{}` in the path is not well percent-encoded UTF-8",
                excerpt(second)
            ),
        )
    })?;
    if id.len() > limits.max_text_bytes {
        return Err(Error::new(
            ErrorCode::LimitExceeded,
            format!(
                "the id in the path is {} bytes; the limit is {}",
                id.len(),
                limits.max_text_bytes
            ),
        ));
    }
    match kind {
        Some(kind) => Ok(Route::Resource(kind, id)),
        None if is("ResourceTypes") => Ok(Route::ResourceType(id)),
        None if is("Schemas") => Ok(Route::Schema(id)),
        None => Err(not_found()),
    }
}

/// The body as a JSON object: present, JSON, within the size limit.
fn read_body(
    headers: &RequestHeaders<'_>,
    body: Option<&[u8]>,
    limits: &Limits,
) -> Result<Map<String, Value>> {
    let body = body.filter(|body| !body.is_empty()).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidSyntax,
            "this request needs a JSON object body",
        )
    })?;
    if let Some(content_type) = headers.content_type {
        check_content_type(content_type)?;
    }
    if body.len() > limits.max_scim_body_bytes {
        return Err(Error::new(
            ErrorCode::PayloadTooLarge,
            format!(
                "the body is {} bytes; the limit is {}",
                body.len(),
                limits.max_scim_body_bytes
            ),
        ));
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(Error::new(
            ErrorCode::InvalidSyntax,
            "the body must be a JSON object",
        )),
        Err(e) => Err(Error::new(
            ErrorCode::InvalidJson,
            format!("the body is not valid JSON: {e}"),
        )),
    }
}

/// `application/scim+json` or `application/json`, with at most a `charset=utf-8` parameter
/// among others.
fn check_content_type(content_type: &str) -> Result<()> {
    let mut parts = content_type.split(';');
    let media_type = parts.next().unwrap_or_default().trim();
    let json = media_type.eq_ignore_ascii_case("application/scim+json")
        || media_type.eq_ignore_ascii_case("application/json");
    let utf8 = parts.all(|parameter| match parameter.split_once('=') {
        Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            value.eq_ignore_ascii_case("utf-8") || value.eq_ignore_ascii_case("utf8")
        }
        _ => true,
    });
    if json && utf8 {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::UnsupportedMediaType,
            format!(
                "`{}` is not accepted; send application/scim+json or application/json in UTF-8",
                excerpt(content_type)
            ),
        ))
    }
}
