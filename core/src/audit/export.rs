//! The envelopes an event leaves in: CloudEvents 1.0 (structured JSON mode), JSON Lines and
//! CSV.

use crate::audit::chain::ChainedEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::scim::protocol::rfc3339_millis;
use serde_json::{json, Value};

/// The event as a CloudEvents 1.0 envelope: `id`, `source` (the host's URI for the log),
/// `type` `dev.orgkit.audit.<action>`, `subject` the org id, `time` (RFC 3339), and the whole
/// chained event as `data`.
pub fn to_cloudevent(event: &ChainedEvent, source: &str) -> Result<Value> {
    if source.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            "a CloudEvents `source` is required",
        )
        .at("source"));
    }
    let data =
        serde_json::to_value(event).map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
    Ok(json!({
        "specversion": "1.0",
        "id": event.event.id,
        "source": source,
        "type": format!("dev.orgkit.audit.{}", event.event.action),
        "subject": event.event.org_id,
        "time": rfc3339_millis(event.event.occurred_at.saturating_mul(1000))?,
        "datacontenttype": "application/json",
        "dataschema": format!("urn:orgkit:audit:{}:v{}", event.event.action, event.event.version),
        "data": data,
    }))
}

/// One JSON object per line, in the order given.
pub fn to_jsonl(events: &[ChainedEvent]) -> Result<String> {
    let mut out = String::new();
    for event in events {
        let line = serde_json::to_string(event)
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 16] = [
    "seq",
    "id",
    "occurred_at",
    "org_id",
    "action",
    "version",
    "outcome",
    "actor_type",
    "actor_id",
    "actor_display",
    "targets",
    "ip",
    "user_agent",
    "request_id",
    "prev_hash",
    "hash",
];

/// One CSV field (RFC 4180 quoting). A value that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with `'`.
fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// A header row and one row per event; `targets` is `type:id` joined by `;`, `occurred_at`
/// RFC 3339; metadata is left out (JSON Lines carries it).
pub fn to_csv(events: &[ChainedEvent]) -> Result<String> {
    let mut out = CSV_COLUMNS.join(",");
    out.push_str("\r\n");
    for chained in events {
        let e = &chained.event;
        let targets: Vec<String> = e
            .targets
            .iter()
            .map(|t| format!("{}:{}", t.kind, t.id))
            .collect();
        let row = [
            chained.seq.to_string(),
            e.id.clone(),
            rfc3339_millis(e.occurred_at.saturating_mul(1000))?,
            e.org_id.clone(),
            e.action.clone(),
            e.version.to_string(),
            e.outcome.as_str().to_string(),
            e.actor.kind.clone(),
            e.actor.id.clone(),
            e.actor.display.clone().unwrap_or_default(),
            targets.join(";"),
            e.context.ip.clone().unwrap_or_default(),
            e.context.user_agent.clone().unwrap_or_default(),
            e.context.request_id.clone().unwrap_or_default(),
            chained.prev_hash.clone(),
            chained.hash.clone(),
        ];
        let fields: Vec<String> = row.iter().map(|v| field(v)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    Ok(out)
}
