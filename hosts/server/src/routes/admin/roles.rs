//! The org's custom roles (permission sets), beside the built-in templates.

use super::{edit_org, org_of, org_version, with_etag};
use crate::body::Body;
use crate::caller::{org_resource, Caller};
use crate::error::{ApiError, ApiResult};
use crate::routes::{route, Auth, Routes};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use orgkit::{CustomRole, ErrorCode, BUILTIN_ROLES};
use serde::Deserialize;
use serde_json::json;

/// A custom role's body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The action names it grants.
    pub permissions: Vec<String>,
}

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    routes
        .add(
            route(
                "GET",
                "/v1/admin/roles",
                Auth::Session,
                "admin",
                "Built-in templates and the org's custom roles (roles.read)",
            ),
            list,
        )
        .add(
            route(
                "PUT",
                "/v1/admin/roles/{key}",
                Auth::Session,
                "admin",
                "Create or replace a custom role {name?, permissions} (If-Match; roles.manage)",
            ),
            put,
        )
        .add(
            route(
                "DELETE",
                "/v1/admin/roles/{key}",
                Auth::Session,
                "admin",
                "Remove a custom role (If-Match; roles.manage)",
            ),
            remove,
        )
}

async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    caller
        .authorize(&state, "roles.read", org_resource(caller.org()))
        .await?;
    let dir = state.engine.snapshot();
    let body = json!({ "builtin": BUILTIN_ROLES, "custom": org_of(&dir, &caller)?.roles });
    Ok(with_etag(
        Json(body),
        org_version(&state, caller.org()).await?,
    ))
}

async fn put(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    headers: HeaderMap,
    Body(body): Body<RoleBody>,
) -> ApiResult<Response> {
    caller
        .authorize(&state, "roles.manage", org_resource(caller.org()))
        .await?;
    let role = CustomRole {
        key: key.clone(),
        name: body.name,
        permissions: body.permissions,
    };
    edit_org(&state, &caller, Some(&headers), |org| {
        org.roles.retain(|r| r.key != key);
        org.roles.push(role.clone());
        Ok(())
    })
    .await?;
    Ok(with_etag(
        Json(json!(role)),
        org_version(&state, caller.org()).await?,
    ))
}

async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    caller
        .authorize(&state, "roles.manage", org_resource(caller.org()))
        .await?;
    edit_org(&state, &caller, Some(&headers), |org| {
        if !org.roles.iter().any(|r| r.key == key) {
            return Err(ApiError::new(
                ErrorCode::UnknownRole,
                format!("no custom role `{key}`"),
            ));
        }
        org.roles.retain(|r| r.key != key);
        Ok(())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
