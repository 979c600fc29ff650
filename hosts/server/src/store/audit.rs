//! The audit tables: each org's hash chain of events (the engine's reference tables
//! `audit_events` and `audit_event_targets`, plus the event as stored), appended with the
//! engine's `audit_record` and read back by the SQL its `audit_query` plans.

use crate::db::{json, Tx};
use crate::error::ApiResult;
use orgkit::audit::{AuditEvent, AuditSettings, ChainedEvent, QueryPlan};
use orgkit::scim::filter::SqlParam;
use serde_json::json;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection};

/// Binds the engine's SQL parameters, in order.
pub fn bind_params<'q>(
    mut query: Query<'q, Any, AnyArguments<'q>>,
    params: &'q [SqlParam],
) -> Query<'q, Any, AnyArguments<'q>> {
    for param in params {
        query = match param {
            SqlParam::Bool(b) => query.bind(*b),
            SqlParam::Integer(i) => query.bind(*i),
            SqlParam::Real(r) => query.bind(*r),
            SqlParam::Text(t) => query.bind(t.as_str()),
            SqlParam::Null => query.bind(None::<String>),
        };
    }
    query
}

/// The last stored event of an org's log.
pub async fn last(conn: &mut AnyConnection, org_id: &str) -> ApiResult<Option<ChainedEvent>> {
    let row =
        sqlx::query("SELECT event FROM audit_events WHERE org_id = $1 ORDER BY seq DESC LIMIT 1")
            .bind(org_id)
            .fetch_optional(conn)
            .await?;
    row.map(|row| json(&row, "event")).transpose()
}

/// Chains `event` after `previous` with the engine's `audit_record` (redaction and sampling
/// by the org's `settings`) and stores it; `None` when the settings sample it out.
pub async fn append(
    tx: &mut Tx,
    settings: &AuditSettings,
    event: &AuditEvent,
    previous: Option<&ChainedEvent>,
) -> ApiResult<Option<ChainedEvent>> {
    let out = crate::call::call_stateless(
        "audit_record",
        &json!({ "event": event, "previous": previous, "settings": settings }),
    )?;
    let Some(value) = out.get("event").cloned() else {
        return Ok(None);
    };
    let chained: ChainedEvent = serde_json::from_value(value)
        .map_err(|e| crate::error::ApiError::new(orgkit::ErrorCode::Internal, e.to_string()))?;
    let seq = i64::try_from(chained.seq).unwrap_or(i64::MAX);
    let stored = serde_json::to_string(&chained)
        .map_err(|e| crate::error::ApiError::new(orgkit::ErrorCode::Internal, e.to_string()))?;
    let e = &chained.event;
    sqlx::query(
        "INSERT INTO audit_events (org_id, seq, id, occurred_at, action, outcome, actor_type, \
         actor_id, hash, prev_hash, event) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&e.org_id)
    .bind(seq)
    .bind(&e.id)
    .bind(e.occurred_at)
    .bind(&e.action)
    .bind(e.outcome.as_str())
    .bind(&e.actor.kind)
    .bind(&e.actor.id)
    .bind(&chained.hash)
    .bind(&chained.prev_hash)
    .bind(stored)
    .execute(&mut **tx)
    .await?;
    for target in &e.targets {
        sqlx::query(
            "INSERT INTO audit_event_targets (org_id, seq, target_type, target_id) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&e.org_id)
        .bind(seq)
        .bind(&target.kind)
        .bind(&target.id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(Some(chained))
}

/// Runs a query the engine planned: the events it selects, in log order.
pub async fn run_query(conn: &mut AnyConnection, plan: &QueryPlan) -> ApiResult<Vec<ChainedEvent>> {
    let sql = format!(
        "SELECT event FROM audit_events WHERE {} {}",
        plan.sql.sql, plan.order_and_limit
    );
    let rows = bind_params(sqlx::query(&sql), &plan.sql.params)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|row| json(row, "event")).collect()
}

/// An org's whole log, oldest first (for export and chain verification).
pub async fn all(conn: &mut AnyConnection, org_id: &str) -> ApiResult<Vec<ChainedEvent>> {
    let rows = sqlx::query("SELECT event FROM audit_events WHERE org_id = $1 ORDER BY seq")
        .bind(org_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|row| json(row, "event")).collect()
}
