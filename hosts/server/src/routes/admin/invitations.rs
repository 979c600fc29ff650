//! Invitations: an `invited` membership (a user record made for a new address) and the
//! invitation row; the invitee accepts with their own session, as the engine allows
//! (`invitation.accept`: an invited membership may do that and nothing else).

use super::change;
use crate::body::Body;
use crate::caller::{bearer, org_resource, Caller};
use crate::error::{ApiError, ApiResult};
use crate::events::{change_audit, host_event};
use crate::routes::{route, Auth, Routes};
use crate::state::AppState;
use crate::store::directory::user_by_email;
use crate::write::Write;
use crate::{clock, db, ids};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use orgkit::audit::{Actor, Target};
use orgkit::session::SessionInput;
use orgkit::{
    normalize_email, AuthorizeRequest, Change, Decision, ErrorCode, Membership, MembershipStatus,
    Principal, Resource, User,
};
use serde::Deserialize;
use serde_json::{json, Value};

/// An invitation to send.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Invite {
    /// The invitee's address.
    pub email: String,
    /// The roles the membership gets.
    #[serde(default)]
    pub roles: Vec<String>,
}

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    routes
        .add(
            route(
                "GET",
                "/v1/admin/invitations",
                Auth::Session,
                "admin",
                "The org's invitations (users.read)",
            ),
            list,
        )
        .add(
            route(
                "POST",
                "/v1/admin/invitations",
                Auth::Session,
                "admin",
                "Invite {email, roles}: an invited membership (users.invite)",
            ),
            invite,
        )
        .add(
            route(
                "DELETE",
                "/v1/admin/invitations/{id}",
                Auth::Session,
                "admin",
                "Revoke a pending invitation (users.invite)",
            ),
            revoke,
        )
        .add(
            route(
                "POST",
                "/v1/invitations/{id}/accept",
                Auth::Session,
                "session",
                "The invitee accepts (invitation.accept): the membership becomes active",
            ),
            accept,
        )
}

fn row_json(row: &sqlx::any::AnyRow) -> ApiResult<Value> {
    Ok(json!({
        "id": db::text(row, "id")?, "org_id": db::text(row, "org_id")?, "user_id": db::text(row, "user_id")?,
        "email": db::text(row, "email")?, "roles": db::json::<Value>(row, "roles")?,
        "invited_by": db::text(row, "invited_by")?, "created_at": db::int(row, "created_at")?,
        "state": db::text(row, "state")?,
    }))
}

const COLUMNS: &str = "id, org_id, user_id, email, roles, invited_by, created_at, state";

async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    caller
        .authorize(&state, "users.read", org_resource(caller.org()))
        .await?;
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM invitations WHERE org_id = $1 ORDER BY created_at, id"
    ))
    .bind(caller.org())
    .fetch_all(state.db.pool())
    .await?;
    let invitations = rows.iter().map(row_json).collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(json!({ "invitations": invitations })))
}

async fn invite(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<Invite>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    caller
        .authorize(&state, "users.invite", org_resource(caller.org()))
        .await?;
    let email = normalize_email(&body.email)?.email;
    let existing = {
        let mut conn = state.db.pool().acquire().await?;
        user_by_email(&mut conn, &email).await?
    };
    let user_id = match &existing {
        Some(id) => id.clone(),
        None => ids::new_id("u_")?,
    };
    let invitation = ids::new_id("inv_")?;
    let mut write = change(&state, &caller, None, |dir| {
        if dir.membership(&user_id, caller.org()).is_some() {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("`{email}` is already a member"),
            ));
        }
        let mut changes = Vec::new();
        if existing.is_none() {
            changes.push(Change::UpsertUser {
                user: User {
                    id: user_id.clone(),
                    email: email.clone(),
                    name: None,
                },
            });
        }
        changes.push(Change::UpsertMembership {
            membership: Membership {
                user_id: user_id.clone(),
                org_id: caller.org().into(),
                roles: body.roles.clone(),
                status: MembershipStatus::Invited,
                joined_at: None,
                authenticated_via: None,
            },
        });
        Ok(changes)
    })
    .await?;
    sqlx::query(
        "INSERT INTO invitations (id, org_id, user_id, email, roles, invited_by, created_at, state) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending')",
    )
    .bind(&invitation)
    .bind(caller.org())
    .bind(&user_id)
    .bind(&email)
    .bind(json!(body.roles).to_string())
    .bind(&caller.session.user_id)
    .bind(clock::now())
    .execute(&mut **write.tx())
    .await?;
    write.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id": invitation, "user_id": user_id, "email": email, "roles": body.roles, "state": "pending",
            "accept": format!("POST /v1/invitations/{invitation}/accept with the invitee's session token"),
        })),
    ))
}

async fn load(state: &AppState, id: &str) -> ApiResult<Value> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM invitations WHERE id = $1"))
        .bind(id)
        .fetch_optional(state.db.pool())
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no invitation `{id}`")))?;
    row_json(&row)
}

fn field<'a>(invitation: &'a Value, key: &str) -> &'a str {
    invitation
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn pending(invitation: &Value) -> ApiResult<()> {
    match field(invitation, "state") {
        "pending" => Ok(()),
        other => Err(ApiError::new(
            ErrorCode::Conflict,
            format!("the invitation is {other}"),
        )),
    }
}

async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let invitation = load(&state, &id).await?;
    if field(&invitation, "org_id") != caller.org() {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("no invitation `{id}`"),
        ));
    }
    caller
        .authorize(&state, "users.invite", org_resource(caller.org()))
        .await?;
    pending(&invitation)?;
    let user_id = field(&invitation, "user_id").to_string();
    let mut write = change(&state, &caller, None, |dir| {
        Ok(match dir.membership(&user_id, caller.org()) {
            Some(m) if m.status() == MembershipStatus::Invited => {
                vec![Change::RemoveMembership {
                    user_id: user_id.clone(),
                    org_id: caller.org().into(),
                }]
            }
            _ => Vec::new(),
        })
    })
    .await?;
    sqlx::query("UPDATE invitations SET state = 'revoked' WHERE id = $1")
        .bind(&id)
        .execute(&mut **write.tx())
        .await?;
    write.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn accept(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let token = bearer(&headers)?;
    let now = clock::now();
    let dir = state.engine.snapshot();
    let verified = dir.verify_session(&SessionInput {
        token: Some(token),
        verified_claims: None,
        now,
        org_id: None,
    })?;
    let invitation = load(&state, &id).await?;
    let org = field(&invitation, "org_id").to_string();
    let decision = dir.authorize(&AuthorizeRequest {
        principal: Principal::User(verified.user_id.clone()),
        active_org: org.clone(),
        action: "invitation.accept".into(),
        resource: Resource {
            kind: "Invitation".into(),
            id: id.clone(),
            org: Some(org.clone()),
            attrs:
                json!({"invitee": {"type": "Orgkit::User", "id": field(&invitation, "user_id")}})
                    .as_object()
                    .cloned(),
        },
        now,
        context: Default::default(),
        grant: None,
        event_id: Some(ids::new_id("evt_")?),
        audit_context: None,
    })?;
    let mut write = Write::begin(&state).await?;
    write.audit(&decision.event).await?;
    if decision.decision == Decision::Deny {
        write.commit().await?;
        return Err(orgkit::Error::new(
            ErrorCode::Forbidden,
            "this invitation is not yours to accept",
        )
        .because("denied")
        .into());
    }
    pending(&invitation)?;
    let mut membership = write
        .directory()
        .membership(field(&invitation, "user_id"), &org)
        .map(|m| m.to_record())
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::UnknownMembership,
                "the invited membership is gone",
            )
        })?;
    membership.status = MembershipStatus::Active;
    membership.joined_at = Some(orgkit::scim::protocol::rfc3339_millis(now * 1000)?);
    let changes = vec![Change::UpsertMembership { membership }];
    let actor = Actor {
        kind: "user".into(),
        id: verified.user_id.clone(),
        display: None,
    };
    let by = change_audit(actor, Default::default())?;
    write.apply_audited(&changes, &by).await?;
    let accepted = host_event(
        &org,
        "org.invitation.accepted",
        &by,
        vec![Target {
            kind: "invitation".into(),
            id: id.clone(),
            display: None,
        }],
        json!({}),
    )?;
    write.audit(&accepted).await?;
    sqlx::query("UPDATE invitations SET state = 'accepted' WHERE id = $1")
        .bind(&id)
        .execute(&mut **write.tx())
        .await?;
    write.commit().await?;
    Ok(Json(
        json!({ "id": id, "org_id": org, "state": "accepted" }),
    ))
}
