//! Support grants, as the org's admins give and revoke them; each is audited in the org's log.

use crate::body::Body;
use crate::caller::{org_resource, Caller};
use crate::error::{ApiError, ApiResult};
use crate::events::{change_audit, host_event};
use crate::routes::{route, Auth, Routes};
use crate::state::AppState;
use crate::store::grants;
use crate::write::Write;
use crate::{clock, ids};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use orgkit::audit::{AuditEvent, Target};
use orgkit::ErrorCode;
use serde::Deserialize;
use serde_json::{json, Value};

/// A grant to give.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Give {
    /// The staff member.
    pub staff_id: String,
    /// Why (the engine refuses a grant without one).
    pub reason: String,
    /// The action names it covers (`audit.read`, `users.read`, …).
    pub actions: Vec<String>,
    /// When it ends, Unix seconds.
    pub expires_at: i64,
}

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    routes
        .add(
            route(
                "GET",
                "/v1/admin/support-grants",
                Auth::Session,
                "admin",
                "The org's support grants (support.grant)",
            ),
            list,
        )
        .add(
            route(
                "POST",
                "/v1/admin/support-grants",
                Auth::Session,
                "admin",
                "Let a staff member act: {staff_id, reason, actions, expires_at} (support.grant)",
            ),
            give,
        )
        .add(
            route(
                "DELETE",
                "/v1/admin/support-grants/{id}",
                Auth::Session,
                "admin",
                "Revoke a grant (support.grant)",
            ),
            revoke,
        )
}

/// The event of a grant given or revoked, in the caller's org.
fn grant_event(caller: &Caller, action: &str, id: &str, metadata: Value) -> ApiResult<AuditEvent> {
    let by = change_audit(caller.actor(), caller.context.clone())?;
    let target = Target {
        kind: "support_grant".into(),
        id: id.into(),
        display: None,
    };
    host_event(caller.org(), action, &by, vec![target], metadata)
}

async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    caller
        .authorize(&state, "support.grant", org_resource(caller.org()))
        .await?;
    let mut conn = state.db.pool().acquire().await?;
    let rows = grants::of_org(&mut conn, caller.org()).await?;
    let list = rows
        .iter()
        .map(grants::describe)
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(json!({ "support_grants": list })))
}

async fn give(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<Give>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let id = ids::new_id("sg_")?;
    caller
        .authorize(&state, "support.grant", org_resource(caller.org()))
        .await?;
    let now = clock::now();
    let event = grant_event(
        &caller,
        "support.access.granted",
        &id,
        json!({"staff_id": body.staff_id, "reason": body.reason, "actions": body.actions, "expires_at": body.expires_at}),
    )?;
    let mut write = Write::begin(&state).await?;
    sqlx::query(
        "INSERT INTO support_grants (id, org_id, staff_id, reason, actions, expires_at, granted_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(caller.org())
    .bind(&body.staff_id)
    .bind(&body.reason)
    .bind(json!(body.actions).to_string())
    .bind(body.expires_at)
    .bind(&caller.session.user_id)
    .bind(now)
    .execute(&mut **write.tx())
    .await?;
    write.audit(&event).await?;
    write.commit().await?;
    let mut conn = state.db.pool().acquire().await?;
    let row = grants::one(&mut conn, caller.org(), &id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::Internal, "the grant was not stored"))?;
    Ok((StatusCode::CREATED, Json(grants::describe(&row)?)))
}

async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller
        .authorize(&state, "support.grant", org_resource(caller.org()))
        .await?;
    let now = clock::now();
    let event = grant_event(&caller, "support.access.revoked", &id, json!({}))?;
    let mut write = Write::begin(&state).await?;
    let done = sqlx::query("UPDATE support_grants SET revoked_at = $1 WHERE id = $2 AND org_id = $3 AND revoked_at IS NULL")
        .bind(now)
        .bind(&id)
        .bind(caller.org())
        .execute(&mut **write.tx())
        .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("no active support grant `{id}`"),
        ));
    }
    write.audit(&event).await?;
    write.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
