//! The audit operations of the JSON call API: record (redact, sample, chain), verify, export.

use super::{input, to_value};
use crate::audit::{
    chain, redact, to_cloudevent, to_csv, to_jsonl, verify_chain, AuditEvent, AuditQuery,
    AuditSettings, ChainedEvent, QueryCaller,
};
use crate::directory::Directory;
use crate::error::{Error, ErrorCode, Result};
use crate::scim::filter::Dialect;
use serde::Deserialize;
use serde_json::{json, Map, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordInput {
    event: AuditEvent,
    /// The last stored event of the org's log (none for its first event).
    #[serde(default)]
    previous: Option<ChainedEvent>,
    /// Settings given directly (they win over the org's in the directory).
    #[serde(default)]
    settings: Option<AuditSettings>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Anchor {
    seq: u64,
    hash: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyInput {
    events: Vec<ChainedEvent>,
    #[serde(default)]
    anchor: Option<Anchor>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryInput {
    caller: QueryCaller,
    query: AuditQuery,
    #[serde(default = "sqlite")]
    dialect: Dialect,
}

fn sqlite() -> Dialect {
    Dialect::Sqlite
}

/// An export format.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Format {
    Jsonl,
    Csv,
    Cloudevents,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportInput {
    events: Vec<ChainedEvent>,
    format: Format,
    /// The CloudEvents `source` (for `cloudevents`).
    #[serde(default)]
    source: Option<String>,
}

/// Runs an audit operation; `None` when `op` is not one.
pub(super) fn dispatch(
    op: &str,
    dir: Option<&Directory>,
    fields: Map<String, Value>,
) -> Option<Result<Value>> {
    Some(match op {
        "audit_record" => input::<RecordInput>(fields).and_then(|i| {
            let settings = match (i.settings, dir) {
                (Some(settings), _) => settings,
                (None, Some(dir)) => dir
                    .org(&i.event.org_id)
                    .ok_or_else(|| {
                        Error::new(
                            ErrorCode::UnknownOrg,
                            format!("no organization has id `{}`", i.event.org_id),
                        )
                        .at("event.org_id")
                    })?
                    .audit
                    .as_deref()
                    .cloned()
                    .unwrap_or_default(),
                (None, None) => AuditSettings::default(),
            };
            if !settings.records(&i.event) {
                return Ok(json!({ "recorded": false }));
            }
            let event = redact(i.event, &settings.redaction)?;
            let chained = chain(i.previous.as_ref(), event)?;
            Ok(json!({ "recorded": true, "event": to_value(&chained)? }))
        }),
        "audit_verify_chain" => input::<VerifyInput>(fields).and_then(|i| {
            let anchor = i.anchor.as_ref().map(|a| (a.seq, a.hash.as_str()));
            to_value(&verify_chain(&i.events, anchor))
        }),
        "audit_export" => input::<ExportInput>(fields).and_then(|i| match i.format {
            Format::Jsonl => Ok(Value::String(to_jsonl(&i.events)?)),
            Format::Csv => Ok(Value::String(to_csv(&i.events)?)),
            Format::Cloudevents => {
                let source = i.source.unwrap_or_default();
                i.events
                    .iter()
                    .map(|e| to_cloudevent(e, &source))
                    .collect::<Result<Vec<_>>>()
                    .map(Value::Array)
            }
        }),
        "audit_query" => input::<QueryInput>(fields).and_then(|i| {
            let dir = super::need(op, dir)?;
            to_value(&dir.plan_audit_query(&i.caller, &i.query, i.dialect)?)
        }),
        _ => return None,
    })
}
