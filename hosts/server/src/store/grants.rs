//! Support grants: an org admin lets one platform staff member do named actions in the org,
//! for a reason, until a time.

use crate::db::{int, json, text};
use crate::error::ApiResult;
use orgkit::SupportGrant;
use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

const COLUMNS: &str =
    "id, org_id, staff_id, reason, actions, expires_at, granted_by, created_at, revoked_at";

/// A stored grant as the engine takes it.
pub fn grant(row: &AnyRow) -> ApiResult<SupportGrant> {
    Ok(SupportGrant {
        id: text(row, "id")?,
        staff_id: text(row, "staff_id")?,
        org_id: text(row, "org_id")?,
        reason: text(row, "reason")?,
        actions: json(row, "actions")?,
        expires_at: int(row, "expires_at")?,
    })
}

/// A stored grant as the admin API shows it.
pub fn describe(row: &AnyRow) -> ApiResult<Value> {
    let revoked: Option<i64> = sqlx::Row::try_get(row, "revoked_at")?;
    Ok(json!({
        "grant": grant(row)?,
        "granted_by": text(row, "granted_by")?,
        "created_at": int(row, "created_at")?,
        "revoked_at": revoked,
    }))
}

/// Every grant of an org, newest first.
pub async fn of_org(conn: &mut AnyConnection, org_id: &str) -> ApiResult<Vec<AnyRow>> {
    Ok(sqlx::query(&format!(
        "SELECT {COLUMNS} FROM support_grants WHERE org_id = $1 ORDER BY created_at DESC, id"
    ))
    .bind(org_id)
    .fetch_all(conn)
    .await?)
}

/// One grant of an org.
pub async fn one(conn: &mut AnyConnection, org_id: &str, id: &str) -> ApiResult<Option<AnyRow>> {
    Ok(sqlx::query(&format!(
        "SELECT {COLUMNS} FROM support_grants WHERE org_id = $1 AND id = $2"
    ))
    .bind(org_id)
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// The unrevoked grants of a staff member in an org (the engine checks expiry and scope).
pub async fn held(
    conn: &mut AnyConnection,
    staff_id: &str,
    org_id: &str,
) -> ApiResult<Vec<SupportGrant>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM support_grants WHERE staff_id = $1 AND org_id = $2 AND revoked_at IS NULL \
         ORDER BY expires_at DESC, id"
    ))
    .bind(staff_id)
    .bind(org_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(grant).collect()
}
