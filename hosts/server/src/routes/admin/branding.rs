//! The org's login-screen branding (the engine checks URLs, colours, texts and custom CSS).

use super::{edit_org, org_of, org_version, with_etag};
use crate::body::Body;
use crate::caller::{resource, Caller};
use crate::error::ApiResult;
use crate::routes::{route, Auth, Routes};
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use orgkit::Branding;
use serde_json::json;

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    routes
        .add(
            route(
                "GET",
                "/v1/admin/branding",
                Auth::Session,
                "admin",
                "The org's own branding, with its ETag (branding.read)",
            ),
            get,
        )
        .add(
            route(
                "PUT",
                "/v1/admin/branding",
                Auth::Session,
                "admin",
                "Replace the org's branding (If-Match; branding.update)",
            ),
            put,
        )
}

fn branding_resource(caller: &Caller) -> orgkit::Resource {
    resource(
        "Branding",
        &format!("{}/branding", caller.org()),
        caller.org(),
    )
}

/// The org's branding as shown, with the org's `ETag`.
async fn shown(state: &AppState, caller: &Caller) -> ApiResult<Response> {
    let dir = state.engine.snapshot();
    let body = json!({ "branding": org_of(&dir, caller)?.branding });
    Ok(with_etag(
        Json(body),
        org_version(state, caller.org()).await?,
    ))
}

async fn get(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    caller
        .authorize(&state, "branding.read", branding_resource(&caller))
        .await?;
    shown(&state, &caller).await
}

async fn put(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Body(branding): Body<Branding>,
) -> ApiResult<Response> {
    caller
        .authorize(&state, "branding.update", branding_resource(&caller))
        .await?;
    edit_org(&state, &caller, Some(&headers), |org| {
        org.branding = Some(Box::new(branding.clone()));
        Ok(())
    })
    .await?;
    shown(&state, &caller).await
}
