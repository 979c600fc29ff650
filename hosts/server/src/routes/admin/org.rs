//! The caller's org.

use super::{org_of, org_version, with_etag};
use crate::caller::{org_resource, Caller};
use crate::error::ApiResult;
use crate::routes::{route, Auth, Routes};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde_json::json;

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    routes.add(
        route(
            "GET",
            "/v1/admin/org",
            Auth::Session,
            "admin",
            "The active org: profile, domains, connections, SCIM state, flags (org.read)",
        ),
        get,
    )
}

async fn get(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    caller
        .authorize(&state, "org.read", org_resource(caller.org()))
        .await?;
    let dir = state.engine.snapshot();
    let org = org_of(&dir, &caller)?;
    let body = json!({
        "id": org.id, "name": org.name, "slug": org.slug, "status": org.status,
        "require_sso": org.require_sso, "parent_id": org.parent_id,
        "domains": org.domains, "sso_connections": org.sso_connections,
        "scim_enabled": org.scim.as_ref().is_some_and(|s| s.enabled),
        "feature_flags": dir.feature_flags(&org.id)?,
    });
    Ok(with_etag(
        Json(body),
        org_version(&state, caller.org()).await?,
    ))
}
