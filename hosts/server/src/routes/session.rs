//! The caller's session: who and where it is, and switching orgs (a new org-scoped token signed
//! by the engine, its `session.org_switched` event in the new org's log).

use super::{route, Auth, Routes};
use crate::body::Body;
use crate::caller::{bearer, Caller};
use crate::error::ApiResult;
use crate::state::AppState;
use crate::write::Write;
use crate::{clock, ids};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use orgkit::session::SwitchRequest;
use serde::Deserialize;
use serde_json::{json, Value};

/// The body of an org switch.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Switch {
    /// The org to switch to.
    pub org_id: String,
}

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    routes
        .add(
            route("GET", "/v1/session", Auth::Session, "session", "The session: user, active org, roles, permissions summary, feature flags"),
            current,
        )
        .add(
            route("POST", "/v1/session/switch", Auth::None, "session", "Switch the session's org: {org_id} → a new org-scoped token (Bearer: the current token)"),
            switch,
        )
}

async fn current(caller: Caller) -> Json<Value> {
    Json(json!(caller.session))
}

async fn switch(
    State(state): State<AppState>,
    headers: HeaderMap,
    Body(body): Body<Switch>,
) -> ApiResult<Json<Value>> {
    let token = bearer(&headers)?;
    let context = orgkit::audit::AuditContext {
        user_agent: headers
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        ..Default::default()
    };
    let signed = state.engine.snapshot().switch_org(&SwitchRequest {
        token: Some(token),
        verified_claims: None,
        now: clock::now(),
        org_id: body.org_id,
        token_id: ids::new_id("t_")?,
        event_id: ids::new_id("evt_")?,
        audit_context: context,
    })?;
    let mut write = Write::begin(&state).await?;
    write.audit(&signed.event).await?;
    write.commit().await?;
    Ok(Json(json!({
        "token": signed.token,
        "claims": signed.claims,
        "session": signed.session,
    })))
}
