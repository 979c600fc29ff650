//! Authorization checks for the SaaS backend: the backend forwards the user's session token and
//! asks about its own actions and resources; the principal and active org come from the
//! session, never from the body. Decisions are not recorded here (a read path); the engine's
//! decision carries its event for backends that keep their own log, and `/v1/check` answers
//! the same question without one (for gating a page or a button).

use super::{route, Auth, Routes};
use crate::body::Body;
use crate::caller::Caller;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::{clock, ids};
use axum::extract::State;
use axum::Json;
use orgkit::{AuthorizeRequest, CheckRequest, Principal, Resource};
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// One question: may the session's user do `action` on `resource`?
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// The action (`sso.configure`, or a host action such as `App::document.read`).
    pub action: String,
    /// What is acted on.
    pub resource: Resource,
    /// The host's context (`context.host`).
    #[serde(default)]
    pub context: Map<String, Value>,
}

/// Several questions at once.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    /// The questions.
    pub requests: Vec<Check>,
}

/// Which actions the session's user may do on a resource.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowedActions {
    /// The resource.
    pub resource: Resource,
    /// The host's context.
    #[serde(default)]
    pub context: Map<String, Value>,
}

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    routes
        .add(
            route("POST", "/v1/authorize", Auth::Session, "authorization", "One decision for the session's user in its active org: {action, resource, context?}"),
            authorize,
        )
        .add(
            route("POST", "/v1/check", Auth::Session, "authorization", "authorize's decision and policies without its audit event: {action, resource, context?}"),
            check,
        )
        .add(
            route("POST", "/v1/authorize/batch", Auth::Session, "authorization", "Several decisions: {requests: [{action, resource, context?}]}; each answers on its own"),
            batch,
        )
        .add(
            route("POST", "/v1/allowed-actions", Auth::Session, "authorization", "The actions the session's user may do on {resource, context?}"),
            allowed_actions,
        )
}

fn request(caller: &Caller, check: Check, now: i64) -> ApiResult<AuthorizeRequest> {
    Ok(AuthorizeRequest {
        principal: Principal::User(caller.session.user_id.clone()),
        active_org: caller.org().to_string(),
        action: check.action,
        resource: check.resource,
        now,
        context: check.context,
        grant: None,
        event_id: Some(ids::new_id("evt_")?),
        audit_context: Some(caller.context.clone()),
    })
}

async fn authorize(
    State(state): State<AppState>,
    caller: Caller,
    Body(check): Body<Check>,
) -> ApiResult<Json<Value>> {
    let decision = state
        .engine
        .snapshot()
        .authorize(&request(&caller, check, clock::now())?)?;
    Ok(Json(json!(decision)))
}

async fn check(
    State(state): State<AppState>,
    caller: Caller,
    Body(check): Body<Check>,
) -> ApiResult<Json<Value>> {
    let answer = state.engine.snapshot().check(&CheckRequest {
        principal: Principal::User(caller.session.user_id.clone()),
        active_org: caller.org().to_string(),
        action: check.action,
        resource: check.resource,
        now: clock::now(),
        context: check.context,
    })?;
    Ok(Json(json!(answer)))
}

async fn batch(
    State(state): State<AppState>,
    caller: Caller,
    Body(batch): Body<Batch>,
) -> ApiResult<Json<Value>> {
    let now = clock::now();
    let requests = batch
        .requests
        .into_iter()
        .map(|check| request(&caller, check, now).map(|r| json!(r)))
        .collect::<ApiResult<Vec<Value>>>()?;
    let input = json!({ "requests": requests });
    Ok(Json(crate::call::call(
        &state.engine,
        "authorize_batch",
        &input,
    )?))
}

async fn allowed_actions(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<AllowedActions>,
) -> ApiResult<Json<Value>> {
    let actions = state.engine.snapshot().allowed_actions(
        &Principal::User(caller.session.user_id.clone()),
        caller.org(),
        &body.resource,
        clock::now(),
        &body.context,
        None,
    )?;
    Ok(Json(json!({ "actions": actions })))
}
