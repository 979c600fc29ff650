//! The admin API of an org's own admins, behind the admin portal. Every call runs in the
//! caller's active org and is authorised by the engine first (its decision event recorded);
//! every change goes through one [`Write`] with one audit event per change; records carry
//! versions, sent as `ETag` and checked against `If-Match`.

pub(crate) mod audit;
mod branding;
mod domains;
mod grants;
mod invitations;
mod members;
mod org;
mod roles;
mod scim_tokens;
mod sso;

use super::Routes;
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult};
use crate::events::change_audit;
use crate::state::AppState;
use crate::store::directory::{membership_key, version, Kind};
use crate::write::Write;
pub(crate) use audit::{page, read_log, LogParams};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use orgkit::scim::protocol::{check_if_match, weak_etag};
use orgkit::{Change, Directory, ErrorCode, Organization};

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    let routes = org::add(routes);
    let routes = domains::add(routes);
    let routes = sso::add(routes);
    let routes = scim_tokens::add(routes);
    let routes = roles::add(routes);
    let routes = branding::add(routes);
    let routes = members::add(routes);
    let routes = invitations::add(routes);
    let routes = audit::add(routes);
    grants::add(routes)
}

/// The record whose version a change must match (`If-Match`).
pub struct Expect<'a> {
    /// The record's kind.
    pub kind: Kind,
    /// Its key.
    pub key: String,
    /// The `If-Match` header, if sent.
    pub if_match: Option<&'a str>,
}

impl<'a> Expect<'a> {
    /// The caller's org record, against the request's `If-Match`.
    pub fn org(caller: &Caller, headers: &'a HeaderMap) -> Self {
        Self {
            kind: Kind::Org,
            key: caller.org().into(),
            if_match: if_match(headers),
        }
    }

    /// A member's membership record in the caller's org, against the request's `If-Match`.
    pub fn member(caller: &Caller, user_id: &str, headers: &'a HeaderMap) -> Self {
        Self {
            kind: Kind::Membership,
            key: membership_key(user_id, caller.org()),
            if_match: if_match(headers),
        }
    }
}

/// The `If-Match` header of a request.
pub fn if_match(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok())
}

/// Begins a change by `caller`: checks the precondition, applies the changes `build` makes
/// from the current directory, and records the engine's event of each change. The caller adds its own
/// statements, then commits.
pub async fn change(
    state: &AppState,
    caller: &Caller,
    expect: Option<Expect<'_>>,
    build: impl FnOnce(&Directory) -> ApiResult<Vec<Change>>,
) -> ApiResult<Write> {
    let mut write = Write::begin(state).await?;
    if let Some(expect) = expect {
        let current = version(write.tx(), expect.kind, &expect.key)
            .await?
            .unwrap_or_default();
        check_if_match(expect.if_match, &current.to_string())?;
    }
    let changes = build(write.directory())?;
    let audit = change_audit(caller.actor(), caller.context.clone())?;
    write.apply_audited(&changes, &audit).await?;
    Ok(write)
}

/// [`change`], committed at once.
pub async fn commit_change(
    state: &AppState,
    caller: &Caller,
    expect: Option<Expect<'_>>,
    build: impl FnOnce(&Directory) -> ApiResult<Vec<Change>>,
) -> ApiResult<()> {
    change(state, caller, expect, build).await?.commit().await
}

/// The caller's org in `dir`.
pub fn org_of<'a>(dir: &'a Directory, caller: &Caller) -> ApiResult<&'a Organization> {
    dir.org(caller.org()).ok_or_else(|| {
        ApiError::new(
            ErrorCode::UnknownOrg,
            format!("no organization `{}`", caller.org()),
        )
    })
}

/// The org record's current version, for an `ETag`.
pub async fn org_version(state: &AppState, org: &str) -> ApiResult<i64> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(version(&mut conn, Kind::Org, org)
        .await?
        .unwrap_or_default())
}

/// A response with an `ETag` header.
pub fn with_etag(response: impl IntoResponse, version: i64) -> Response {
    let mut response = response.into_response();
    if let Ok(value) = HeaderValue::from_str(&weak_etag(&version.to_string())) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// Commits the caller's org record after `edit` (against `If-Match` when `headers` are given).
pub async fn edit_org(
    state: &AppState,
    caller: &Caller,
    headers: Option<&HeaderMap>,
    edit: impl FnOnce(&mut Organization) -> ApiResult<()>,
) -> ApiResult<()> {
    let expect = headers.map(|headers| Expect::org(caller, headers));
    commit_change(state, caller, expect, |dir| {
        let mut org = org_of(dir, caller)?.clone();
        edit(&mut org)?;
        Ok(vec![Change::UpsertOrg { org }])
    })
    .await
}
