//! Public endpoints of a login screen: home-realm discovery (email → SSO, org picker or default
//! login, with the branding to show) and branding by slug or connection.

use super::{route, Auth, Routes};
use crate::body::Body;
use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::Json;
use orgkit::branding::BrandingLookup;
use serde::Deserialize;
use serde_json::{json, Value};

/// The body of a discovery request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscoveryRequest {
    /// The address typed on the login screen.
    pub email: String,
}

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    routes
        .add(
            route("GET", "/healthz", Auth::None, "meta", "Liveness: the server answers and its engine holds a directory"),
            health,
        )
        .add(
            route("POST", "/v1/discovery", Auth::None, "login", "Home-realm discovery: email → SSO redirect, org picker or default login, and the branding to show"),
            discover,
        )
        .add(
            route("GET", "/v1/branding", Auth::None, "login", "Login-screen branding by `email`, `slug` or `connection_id` (query), org → parents → app default"),
            branding,
        )
}

async fn health(State(state): State<AppState>) -> Json<Value> {
    Json(json!({ "status": "ok", "directory": state.engine.snapshot().stats() }))
}

async fn discover(
    State(state): State<AppState>,
    Body(request): Body<DiscoveryRequest>,
) -> ApiResult<Json<Value>> {
    let dir = state.engine.snapshot();
    let decision = dir.route(&request.email)?;
    let branding = dir.resolve_branding(&BrandingLookup {
        email: Some(request.email),
        slug: None,
        connection_id: None,
    })?;
    Ok(Json(json!({ "route": decision, "branding": branding })))
}

async fn branding(
    State(state): State<AppState>,
    Query(lookup): Query<BrandingLookup>,
) -> ApiResult<Json<Value>> {
    let resolved = state.engine.snapshot().resolve_branding(&lookup)?;
    Ok(Json(json!(resolved)))
}
