//! Platform staff, acting on an org only through the support grants its admins gave: the
//! engine decides with the grant, and the staff member's reads are audited in the org's log.

use super::admin::{page, read_log, LogParams};
use super::{route, Auth, Routes};
use crate::caller::{org_resource, Staff};
use crate::error::ApiResult;
use crate::state::AppState;
use crate::store::grants;
use crate::write::Write;
use crate::{clock, ids};
use axum::extract::{Path, Query, State};
use axum::Json;
use orgkit::{AuthorizeRequest, Decision, ErrorCode, Principal};
use serde_json::{json, Value};

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    routes
        .add(route("GET", "/v1/support/orgs/{org_id}/audit/events", Auth::Staff, "support", "Staff read an org's log under a grant covering audit.read (audited in that log)"), audit)
        .add(route("GET", "/v1/support/orgs/{org_id}/members", Auth::Staff, "support", "Staff list an org's members under a grant covering users.read (the decision is audited)"), members)
}

async fn audit(
    State(state): State<AppState>,
    staff: Staff,
    Path(org_id): Path<String>,
    Query(params): Query<LogParams>,
) -> ApiResult<Json<Value>> {
    let held = {
        let mut conn = state.db.pool().acquire().await?;
        grants::held(&mut conn, &staff.id, &org_id).await?
    };
    let events = read_log(&state, Principal::Staff(staff.id), &org_id, held, &params).await?;
    Ok(Json(page(events)))
}

async fn members(
    State(state): State<AppState>,
    staff: Staff,
    Path(org_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let held = {
        let mut conn = state.db.pool().acquire().await?;
        grants::held(&mut conn, &staff.id, &org_id).await?
    };
    let dir = state.engine.snapshot();
    // The grant that lasts longest (the engine checks its scope and expiry).
    let decision = dir.authorize(&AuthorizeRequest {
        principal: Principal::Staff(staff.id.clone()),
        active_org: org_id.clone(),
        action: "users.read".into(),
        resource: org_resource(&org_id),
        now: clock::now(),
        context: Default::default(),
        grant: held.into_iter().next(),
        event_id: Some(ids::new_id("evt_")?),
        audit_context: Some(staff.context.clone()),
    })?;
    let mut write = Write::begin(&state).await?;
    write.audit(&decision.event).await?;
    write.commit().await?;
    if decision.decision != Decision::Allow {
        return Err(orgkit::Error::new(
            ErrorCode::Forbidden,
            "no support grant of this org covers `users.read` now",
        )
        .because("denied")
        .into());
    }
    let members: Vec<Value> = dir
        .org_member_ids(&org_id)
        .into_iter()
        .filter_map(|user| dir.membership(user, &org_id))
        .map(|m| json!(m.to_record()))
        .collect();
    Ok(Json(json!({ "members": members })))
}
