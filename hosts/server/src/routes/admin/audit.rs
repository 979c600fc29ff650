//! The org's audit log: queries planned and authorised by the engine (`audit_query`: each org
//! read is an `audit.read` decision, the query itself is audited), export in the engine's
//! formats (`audit_export`), and a check of the org's hash chain (`audit_verify_chain`).

use crate::caller::{resource, Caller};
use crate::error::{ApiError, ApiResult};
use crate::routes::{route, Auth, Routes};
use crate::state::AppState;
use crate::store::audit::{all, run_query};
use crate::write::Write;
use crate::{clock, ids};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use orgkit::audit::{verify_chain, AuditQuery, ChainedEvent, QueryCaller};
use orgkit::{ErrorCode, Principal, SupportGrant};
use serde::Deserialize;
use serde_json::{json, Value};

/// Query parameters of a log read; lists are comma-separated.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogParams {
    /// From this time (Unix seconds, inclusive).
    pub from: Option<i64>,
    /// Until this time (Unix seconds, exclusive).
    pub to: Option<i64>,
    /// Action names; `scim.*` matches a prefix.
    pub actions: Option<String>,
    /// Actor ids.
    pub actors: Option<String>,
    /// Target ids.
    pub targets: Option<String>,
    /// Outcomes (`success`, `failure`, `allow`, `deny`).
    pub outcomes: Option<String>,
    /// Events after this `seq`.
    pub after_seq: Option<u64>,
    /// Events per page.
    pub limit: Option<u32>,
    /// For export: `jsonl`, `csv` or `cloudevents`.
    pub format: Option<String>,
}

fn split(list: &Option<String>) -> Vec<String> {
    list.iter()
        .flat_map(|l| l.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    routes
        .add(route("GET", "/v1/admin/audit/events", Auth::Session, "audit", "Query the org's log: from, to, actions, actors, targets, outcomes, after_seq, limit (audit.read; audited)"), events)
        .add(route("GET", "/v1/admin/audit/export", Auth::Session, "audit", "Export a page of the log as format=jsonl|csv|cloudevents (audit.read; audited)"), export)
        .add(route("GET", "/v1/admin/audit/verify", Auth::Session, "audit", "Verify the org's hash chain (audit.read)"), verify)
}

/// Plans a log read with the engine, runs it and records the query's event, in one transaction.
pub async fn read_log(
    state: &AppState,
    principal: Principal,
    org: &str,
    grants: Vec<SupportGrant>,
    params: &LogParams,
) -> ApiResult<Vec<ChainedEvent>> {
    let outcomes = serde_json::from_value(json!(split(&params.outcomes)))
        .map_err(|e| ApiError::new(ErrorCode::InvalidInput, format!("outcomes: {e}")))?;
    let query = AuditQuery {
        orgs: vec![org.to_string()],
        from: params.from,
        to: params.to,
        actions: split(&params.actions),
        actors: split(&params.actors),
        targets: split(&params.targets),
        outcomes,
        after_seq: params.after_seq,
        limit: params.limit.unwrap_or(100),
    };
    let caller = QueryCaller {
        principal,
        active_org: org.to_string(),
        grants,
        now: clock::now(),
        event_id: ids::new_id("evt_")?,
    };
    let plan = state
        .engine
        .snapshot()
        .plan_audit_query(&caller, &query, state.db.dialect())?;
    let mut write = Write::begin(state).await?;
    let events = run_query(write.tx(), &plan).await?;
    write.audit(&plan.event).await?;
    write.commit().await?;
    Ok(events)
}

/// The events of a page and where the next one starts.
pub fn page(events: Vec<ChainedEvent>) -> Value {
    let next = events.last().map(|e| e.seq);
    json!({ "events": events, "next_after_seq": next })
}

async fn events(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<LogParams>,
) -> ApiResult<Json<Value>> {
    let principal = Principal::User(caller.session.user_id.clone());
    Ok(Json(page(
        read_log(&state, principal, caller.org(), Vec::new(), &params).await?,
    )))
}

async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Query<LogParams>,
) -> ApiResult<Response> {
    let format = params.format.clone().unwrap_or_else(|| "jsonl".into());
    let principal = Principal::User(caller.session.user_id.clone());
    let events = read_log(&state, principal, caller.org(), Vec::new(), &params).await?;
    let source = format!("{}/orgs/{}", state.public_url, caller.org());
    let out = crate::call::call(
        &state.engine,
        "audit_export",
        &json!({ "events": events, "format": format, "source": source }),
    )?;
    Ok(match (format.as_str(), out) {
        ("csv", Value::String(text)) => {
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response()
        }
        (_, Value::String(text)) => {
            ([(header::CONTENT_TYPE, "application/x-ndjson")], text).into_response()
        }
        (_, envelopes) => (
            [(header::CONTENT_TYPE, "application/cloudevents-batch+json")],
            envelopes.to_string(),
        )
            .into_response(),
    })
}

async fn verify(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    let log = resource("AuditLog", &format!("{}/audit", caller.org()), caller.org());
    caller.authorize(&state, "audit.read", log).await?;
    let mut conn = state.db.pool().acquire().await?;
    let events = all(&mut conn, caller.org()).await?;
    Ok(Json(json!(verify_chain(&events, None))))
}
