//! SCIM 2.0 (RFC 7644) per org under `/scim/v2`, authenticated by the org's bearer token. The
//! engine parses and checks each request (`scim_parse_request`), runs each write end to end
//! (`scim_write`: token → org, `If-Match`, the change, the mapped user and membership, the
//! audit event), plans each filter as SQL (`scim_filter_sql`; a root-level `POST /.search` over
//! Users and Groups with the engine's list statements, `scim_list`) and shapes every body
//! (`meta`, projection, ListResponse, errors, discovery); the server stores and answers.

use super::{route, Auth, Route, Routes};
use crate::error::{ApiResult, ScimError};
use crate::state::AppState;
use crate::store::scim::{self as store, Stored};
use crate::write::Write;
use crate::{clock, ids};
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use orgkit::reference_tables::{scim_list, ScimListQuery, Sort};
use orgkit::scim::mapping::MappedUser;
use orgkit::scim::protocol::{
    etag_matches, list_response, location, meta, parse_request, project, resource_type,
    resource_types, schema, schemas, service_provider_config, weak_etag, ListQuery, Operation,
    Projection, RequestHeaders, ResourceKind,
};
use orgkit::scim::write::{MembershipEffect, ScimWrite, WriteAction};
use orgkit::{Change, Directory, Error, ErrorCode, Membership, MembershipStatus, User};
use serde_json::Value;
use std::collections::BTreeSet;

/// The SCIM media type.
pub const SCIM_JSON: &str = "application/scim+json";
/// Where the SCIM endpoints are mounted.
pub const BASE: &str = "/scim/v2";

const ROUTES: [(&str, &str, &str); 18] = [
    (
        "GET",
        "/scim/v2/Users",
        "List or filter the org's users (filter, sortBy, startIndex, count, attributes)",
    ),
    ("POST", "/scim/v2/Users", "Provision a user"),
    (
        "POST",
        "/scim/v2/Users/.search",
        "Search users with a JSON body",
    ),
    ("GET", "/scim/v2/Users/{id}", "A user (If-None-Match → 304)"),
    ("PUT", "/scim/v2/Users/{id}", "Replace a user (If-Match)"),
    ("PATCH", "/scim/v2/Users/{id}", "Modify a user (If-Match)"),
    (
        "DELETE",
        "/scim/v2/Users/{id}",
        "Deprovision a user (If-Match)",
    ),
    ("GET", "/scim/v2/Groups", "List or filter the org's groups"),
    (
        "POST",
        "/scim/v2/.search",
        "Search users and groups together with a JSON body",
    ),
    ("POST", "/scim/v2/Groups", "Create a group"),
    (
        "POST",
        "/scim/v2/Groups/.search",
        "Search groups with a JSON body",
    ),
    ("GET", "/scim/v2/Groups/{id}", "A group"),
    ("PUT", "/scim/v2/Groups/{id}", "Replace a group (If-Match)"),
    (
        "PATCH",
        "/scim/v2/Groups/{id}",
        "Modify a group, its members among them (If-Match)",
    ),
    (
        "DELETE",
        "/scim/v2/Groups/{id}",
        "Delete a group (If-Match)",
    ),
    (
        "GET",
        "/scim/v2/ServiceProviderConfig",
        "What this service provider supports",
    ),
    (
        "GET",
        "/scim/v2/ResourceTypes",
        "The resource types (also /ResourceTypes/{name})",
    ),
    (
        "GET",
        "/scim/v2/Schemas",
        "The schemas (also /Schemas/{id})",
    ),
];

const MORE: [(&str, &str, &str); 2] = [
    ("GET", "/scim/v2/ResourceTypes/{name}", "One resource type"),
    ("GET", "/scim/v2/Schemas/{id}", "One schema, by URN"),
];

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    ROUTES
        .iter()
        .chain(MORE.iter())
        .fold(routes, |routes, (method, path, summary)| {
            let r: Route = route(method, path, Auth::ScimToken, "scim", summary);
            routes.add(r, handle)
        })
}

/// Requests no route takes: below `/scim/v2` the engine's answer (404, 405, 501) as a SCIM
/// error; elsewhere a JSON API `not_found`.
pub async fn fallback(state: State<AppState>, request: Request) -> Response {
    outside_scim(state, request, ErrorCode::NotFound, "no route for").await
}

/// A method a route does not take: as [`fallback`], with `method_not_allowed` outside SCIM.
pub async fn method_not_allowed(state: State<AppState>, request: Request) -> Response {
    outside_scim(
        state,
        request,
        ErrorCode::MethodNotAllowed,
        "the method is not allowed on",
    )
    .await
}

async fn outside_scim(
    State(state): State<AppState>,
    request: Request,
    code: ErrorCode,
    message: &str,
) -> Response {
    if request.uri().path().starts_with(BASE) {
        let (parts, body) = request.into_parts();
        let limit = state.engine.snapshot().limits().max_scim_body_bytes;
        let Ok(body) = axum::body::to_bytes(body, limit.saturating_add(1)).await else {
            let error = Error::new(ErrorCode::PayloadTooLarge, "the body is over the limit");
            return ScimError::from(error).into_response();
        };
        return handle(State(state), parts.method, parts.uri, parts.headers, body).await;
    }
    crate::error::ApiError::new(code, format!("{message} {}", request.uri().path())).into_response()
}

fn scim_body(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, SCIM_JSON)],
        body.to_string(),
    )
        .into_response()
}

/// One SCIM request.
pub async fn handle(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    answer(&state, &method, &uri, &headers, &body)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn answer(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, ScimError> {
    let dir = state.engine.snapshot();
    let authorization = header_str(headers, header::AUTHORIZATION).unwrap_or_default();
    let caller = dir.scim_authenticate(authorization)?;
    let path = uri.path().strip_prefix(BASE).unwrap_or_default();
    let request_headers = RequestHeaders {
        content_type: header_str(headers, header::CONTENT_TYPE),
        if_match: header_str(headers, header::IF_MATCH),
        if_none_match: header_str(headers, header::IF_NONE_MATCH),
    };
    let body = (!body.is_empty()).then_some(&body[..]);
    let request = parse_request(
        method.as_str(),
        path,
        uri.query(),
        &request_headers,
        body,
        dir.limits(),
    )?;
    let base_url = format!("{}{BASE}", state.public_url);
    let org = caller.org_id.as_str();
    let document = |value: Value| Ok(scim_body(StatusCode::OK, &value));
    // A write: create, replace, patch or delete of `kind` (`id` unless a create).
    let write_with = |kind, id, projection| {
        write(
            state,
            WriteRequest {
                method,
                uri,
                headers: request_headers,
                body,
                kind,
                id,
                projection,
                authorization,
                base_url: &base_url,
            },
        )
    };
    match request.operation {
        Operation::ServiceProviderConfig => {
            document(service_provider_config(dir.limits(), &base_url))
        }
        Operation::ResourceTypes => document(resource_types(&base_url)),
        Operation::ResourceType { name } => document(resource_type(&name, &base_url)?),
        Operation::Schemas => document(schemas(&base_url)?),
        Operation::Schema { id } => document(schema(&id, &base_url)?),
        Operation::List { kind, query } => list(state, org, kind, &query, &base_url).await,
        Operation::Get {
            kind,
            id,
            projection,
        } => {
            let mut conn = state.db.pool().acquire().await?;
            let stored = store::get(&mut conn, &state.db, kind, org, &id)
                .await?
                .ok_or_else(|| not_found(kind, &id))?;
            let version = stored.version.to_string();
            if request
                .if_none_match
                .as_deref()
                .is_some_and(|h| etag_matches(h, &version))
            {
                return Ok((
                    StatusCode::NOT_MODIFIED,
                    [(header::ETAG, weak_etag(&version))],
                )
                    .into_response());
            }
            let body = shape(&stored, kind, &projection, &base_url)?;
            Ok(with_etag(scim_body(StatusCode::OK, &body), &version))
        }
        Operation::Create {
            kind, projection, ..
        } => write_with(kind, None, projection).await,
        Operation::Replace {
            kind,
            id,
            projection,
            ..
        }
        | Operation::Patch {
            kind,
            id,
            projection,
            ..
        } => write_with(kind, Some(id), projection).await,
        Operation::Delete { kind, id } => write_with(kind, Some(id), Projection::default()).await,
    }
}

fn not_found(kind: ResourceKind, id: &str) -> Error {
    Error::new(
        ErrorCode::NotFound,
        format!("no {} has id `{id}`", kind.name()),
    )
}

fn with_etag(mut response: Response, version: &str) -> Response {
    if let Ok(value) = header::HeaderValue::from_str(&weak_etag(version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// A stored resource as returned: `id` and `meta` set, projected.
fn shape(
    stored: &Stored,
    kind: ResourceKind,
    projection: &Projection,
    base_url: &str,
) -> ApiResult<Value> {
    let mut resource = stored.resource.clone();
    if let Some(object) = resource.as_object_mut() {
        object.insert("id".into(), Value::String(stored.id.clone()));
        object.insert(
            "meta".into(),
            meta(
                kind,
                &stored.id,
                stored.created_ms,
                stored.updated_ms,
                &stored.version.to_string(),
                base_url,
            )?,
        );
    }
    Ok(project(&resource, projection, kind)?)
}

/// A list: one kind (`/Users`, `/Groups` and their `.search`) or, without one, the root-level
/// `POST /.search` over Users and Groups together. Filtered per type, sorted (RFC 7644
/// §3.4.2.3) and paged by the engine's list statements (`scim_list`), each resource shaped
/// with its own kind.
async fn list(
    state: &AppState,
    org: &str,
    kind: Option<ResourceKind>,
    query: &ListQuery,
    base_url: &str,
) -> Result<Response, ScimError> {
    let statements = scim_list(
        state.db.dialect(),
        &ScimListQuery {
            org_id: org.to_string(),
            kind,
            filter: query.filter.clone(),
            sort: Sort {
                by: query.sort_by.clone(),
                order: query.sort_order,
            },
            offset: u64::try_from(query.start_index.saturating_sub(1)).unwrap_or(u64::MAX),
            limit: u64::try_from(query.count).unwrap_or(u64::MAX),
        },
    )?;
    let mut conn = state.db.pool().acquire().await?;
    let (rows, total) = store::list(&mut conn, &statements).await?;
    let resources = rows
        .iter()
        .map(|(kind, stored)| shape(stored, *kind, &query.projection, base_url))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(scim_body(
        StatusCode::OK,
        &list_response(resources, total, query.start_index),
    ))
}

struct WriteRequest<'a> {
    method: &'a Method,
    uri: &'a Uri,
    headers: RequestHeaders<'a>,
    body: Option<&'a [u8]>,
    kind: ResourceKind,
    id: Option<String>,
    projection: Projection,
    authorization: &'a str,
    base_url: &'a str,
}

/// A write: the engine decides it on the stored resource, the server stores the resource, the
/// directory changes it implies and its audit event in one transaction.
async fn write(state: &AppState, request: WriteRequest<'_>) -> Result<Response, ScimError> {
    let kind = request.kind;
    let mut write = Write::begin(state).await?;
    let org = write
        .directory()
        .scim_authenticate(request.authorization)?
        .org_id;
    let current = match &request.id {
        Some(id) => store::get(write.tx(), &state.db, kind, &org, id).await?,
        None => None,
    };
    let groups = match (&current, kind) {
        (Some(stored), ResourceKind::User) => store::groups_of(write.tx(), &stored.id).await?,
        _ => Vec::new(),
    };
    let new_id = ids::new_id("")?;
    let now_micros = clock::now_micros();
    let current_version = current.as_ref().map(|c| c.version.to_string());
    let outcome = write.directory().scim_write(&ScimWrite {
        authorization: request.authorization,
        method: request.method.as_str(),
        path: request.uri.path().strip_prefix(BASE).unwrap_or_default(),
        query: request.uri.query(),
        headers: request.headers,
        body: request.body,
        current: current.as_ref().map(|c| &c.resource),
        current_version: current_version.as_deref(),
        new_id: Some(&new_id),
        groups: &groups,
        now: now_micros / 1_000_000,
        event_id: &ids::new_id("evt_")?,
        audit_context: &Default::default(),
    })?;
    let user_id = match &current {
        Some(stored) => stored.user_id.clone(),
        None if kind == ResourceKind::User => Some(ids::new_id("u_")?),
        None => None,
    };
    let old_members = match (&current, kind) {
        (Some(stored), ResourceKind::Group) => store::members_of(write.tx(), &stored.id).await?,
        _ => Vec::new(),
    };
    match &outcome.resource {
        Some(resource) => {
            store::put(
                write.tx(),
                &state.db,
                kind,
                &org,
                &outcome.id,
                resource,
                now_micros,
                user_id.as_deref(),
                current.is_some(),
            )
            .await?
        }
        None => store::delete(write.tx(), kind, &org, &outcome.id).await?,
    }
    let changes = match kind {
        ResourceKind::User => user_changes(
            write.directory(),
            &org,
            user_id.as_deref(),
            outcome.user.as_ref(),
            &outcome.membership,
            now_micros,
        )?,
        ResourceKind::Group => {
            let mut affected: BTreeSet<String> = old_members.into_iter().collect();
            affected.extend(store::members_of(write.tx(), &outcome.id).await?);
            remap(state, &mut write, &org, affected, now_micros).await?
        }
    };
    write.apply(&changes).await?;
    write.audit(&outcome.event).await?;
    write.commit().await?;
    if outcome.action == WriteAction::Deleted {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let mut conn = state.db.pool().acquire().await?;
    let stored = store::get(&mut conn, &state.db, kind, &org, &outcome.id)
        .await?
        .ok_or_else(|| not_found(kind, &outcome.id))?;
    let body = shape(&stored, kind, &request.projection, request.base_url)?;
    let status = if outcome.action == WriteAction::Created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut response = with_etag(scim_body(status, &body), &stored.version.to_string());
    if let Ok(value) = header::HeaderValue::from_str(&location(request.base_url, kind, &stored.id))
    {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

/// The directory changes for a SCIM user's membership, as the engine's mapping decided.
fn user_changes(
    dir: &Directory,
    org: &str,
    user_id: Option<&str>,
    mapped: Option<&MappedUser>,
    effect: &MembershipEffect,
    now_micros: i64,
) -> ApiResult<Vec<Change>> {
    let Some(user_id) = user_id else {
        return Ok(Vec::new());
    };
    match (effect, mapped) {
        (MembershipEffect::Upsert { status, roles }, Some(mapped)) => {
            let existing = dir.membership(user_id, org).map(|m| m.to_record());
            Ok(vec![
                Change::UpsertUser {
                    user: User {
                        id: user_id.to_string(),
                        email: mapped.email.clone(),
                        name: mapped.fields.get("display_name").cloned(),
                    },
                },
                Change::UpsertMembership {
                    membership: membership(
                        existing,
                        user_id,
                        org,
                        roles.clone(),
                        *status,
                        now_micros,
                    )?,
                },
            ])
        }
        (MembershipEffect::Remove, _) if dir.membership(user_id, org).is_some() => {
            Ok(vec![Change::RemoveMembership {
                user_id: user_id.to_string(),
                org_id: org.to_string(),
            }])
        }
        _ => Ok(Vec::new()),
    }
}

fn membership(
    existing: Option<Membership>,
    user_id: &str,
    org: &str,
    roles: Vec<String>,
    status: MembershipStatus,
    now_micros: i64,
) -> ApiResult<Membership> {
    let joined_at = match existing.as_ref().and_then(|m| m.joined_at.clone()) {
        Some(joined) => joined,
        None => orgkit::scim::protocol::rfc3339_millis(now_micros / 1000)?,
    };
    Ok(Membership {
        user_id: user_id.to_string(),
        org_id: org.to_string(),
        roles,
        status,
        joined_at: Some(joined_at),
        authenticated_via: existing.and_then(|m| m.authenticated_via),
    })
}

/// After a group write: each affected user mapped again with the groups it now has.
async fn remap(
    state: &AppState,
    write: &mut Write,
    org: &str,
    users: BTreeSet<String>,
    now_micros: i64,
) -> ApiResult<Vec<Change>> {
    let mut changes = Vec::new();
    for scim_id in users {
        let Some(stored) =
            store::get(write.tx(), &state.db, ResourceKind::User, org, &scim_id).await?
        else {
            continue;
        };
        let groups = store::groups_of(write.tx(), &scim_id).await?;
        let dir = write.directory();
        let link = dir
            .scim_mapping(org)?
            .link_user(&stored.resource, &groups)?;
        changes.extend(user_changes(
            dir,
            org,
            stored.user_id.as_deref(),
            link.user.as_ref(),
            &link.membership,
            now_micros,
        )?);
    }
    Ok(changes)
}
