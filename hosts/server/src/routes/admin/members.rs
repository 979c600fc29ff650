//! The org's members: roles, suspension, removal. A membership's record version is its `ETag`.

use super::{commit_change, with_etag, Expect};
use crate::body::Body;
use crate::caller::{org_resource, resource, Caller};
use crate::error::{ApiError, ApiResult};
use crate::routes::{route, Auth, Routes};
use crate::state::AppState;
use crate::store::directory::{membership_key, version, Kind};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use orgkit::{Change, Directory, ErrorCode, Membership, MembershipStatus};
use serde::Deserialize;
use serde_json::{json, Value};

/// What an admin changes on a membership.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberPatch {
    /// New role keys (users.assign_roles).
    #[serde(default)]
    pub roles: Option<Vec<String>>,
    /// `active` or `suspended` (users.suspend).
    #[serde(default)]
    pub status: Option<MembershipStatus>,
}

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    routes
        .add(
            route(
                "GET",
                "/v1/admin/members",
                Auth::Session,
                "admin",
                "The org's members with their users (users.read)",
            ),
            list,
        )
        .add(
            route(
                "GET",
                "/v1/admin/members/{user_id}",
                Auth::Session,
                "admin",
                "One membership, with its ETag (users.read)",
            ),
            get,
        )
        .add(
            route(
                "PATCH",
                "/v1/admin/members/{user_id}",
                Auth::Session,
                "admin",
                "Change roles (users.assign_roles) or status (users.suspend) (If-Match)",
            ),
            patch,
        )
        .add(
            route(
                "DELETE",
                "/v1/admin/members/{user_id}",
                Auth::Session,
                "admin",
                "Remove a member (If-Match; users.remove)",
            ),
            remove,
        )
}

fn member(dir: &Directory, org: &str, user_id: &str) -> ApiResult<Membership> {
    dir.membership(user_id, org)
        .map(|m| m.to_record())
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::UnknownMembership,
                format!("`{user_id}` is not a member of `{org}`"),
            )
        })
}

fn describe(dir: &Directory, m: &Membership) -> Value {
    let user = dir.user(&m.user_id);
    json!({
        "user_id": m.user_id, "email": user.map(|u| &u.email), "name": user.and_then(|u| u.name.as_ref()),
        "roles": m.roles, "status": m.status, "joined_at": m.joined_at, "authenticated_via": m.authenticated_via,
    })
}

fn member_resource(caller: &Caller, user_id: &str) -> orgkit::Resource {
    resource(
        "Member",
        &format!("{}/{user_id}", caller.org()),
        caller.org(),
    )
}

/// The membership as shown, with its `ETag`.
async fn shown(state: &AppState, caller: &Caller, user_id: &str) -> ApiResult<Response> {
    let dir = state.engine.snapshot();
    let body = describe(&dir, &member(&dir, caller.org(), user_id)?);
    Ok(with_etag(Json(body), etag(state, caller, user_id).await?))
}

async fn etag(state: &AppState, caller: &Caller, user_id: &str) -> ApiResult<i64> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(version(
        &mut conn,
        Kind::Membership,
        &membership_key(user_id, caller.org()),
    )
    .await?
    .unwrap_or_default())
}

async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    caller
        .authorize(&state, "users.read", org_resource(caller.org()))
        .await?;
    let dir = state.engine.snapshot();
    let members: Vec<Value> = dir
        .org_member_ids(caller.org())
        .into_iter()
        .filter_map(|user| dir.membership(user, caller.org()))
        .map(|m| describe(&dir, &m.to_record()))
        .collect();
    Ok(Json(json!({ "members": members })))
}

async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(user_id): Path<String>,
) -> ApiResult<Response> {
    caller
        .authorize(&state, "users.read", member_resource(&caller, &user_id))
        .await?;
    shown(&state, &caller, &user_id).await
}

async fn patch(
    State(state): State<AppState>,
    caller: Caller,
    Path(user_id): Path<String>,
    headers: HeaderMap,
    Body(body): Body<MemberPatch>,
) -> ApiResult<Response> {
    if body.roles.is_some() {
        caller
            .authorize(
                &state,
                "users.assign_roles",
                member_resource(&caller, &user_id),
            )
            .await?;
    }
    if body.status.is_some() {
        caller
            .authorize(&state, "users.suspend", member_resource(&caller, &user_id))
            .await?;
    }
    commit_change(
        &state,
        &caller,
        Some(Expect::member(&caller, &user_id, &headers)),
        |dir| {
            let mut membership = member(dir, caller.org(), &user_id)?;
            if let Some(roles) = &body.roles {
                membership.roles.clone_from(roles);
            }
            if let Some(status) = body.status {
                membership.status = status;
            }
            Ok(vec![Change::UpsertMembership { membership }])
        },
    )
    .await?;
    shown(&state, &caller, &user_id).await
}

async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(user_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    caller
        .authorize(&state, "users.remove", member_resource(&caller, &user_id))
        .await?;
    commit_change(
        &state,
        &caller,
        Some(Expect::member(&caller, &user_id, &headers)),
        |dir| {
            member(dir, caller.org(), &user_id)?;
            Ok(vec![Change::RemoveMembership {
                user_id: user_id.clone(),
                org_id: caller.org().into(),
            }])
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
