//! The audit events of the server's own records (support grants, an accepted invitation).
//! Directory changes get theirs from the engine (`apply_audited`), as do decisions, SCIM
//! writes, org switches and audit queries.

use crate::error::ApiResult;
use crate::ids;
use orgkit::audit::{AuditEvent, ChangeAudit, Outcome, Target};
use serde_json::{Map, Value};

/// The audit of a change by `actor` now, with a fresh event id prefix.
pub fn change_audit(
    actor: orgkit::audit::Actor,
    context: orgkit::audit::AuditContext,
) -> ApiResult<ChangeAudit> {
    Ok(ChangeAudit {
        actor,
        now: crate::clock::now(),
        event_id_prefix: ids::new_id("evt_")?,
        audit_context: context,
    })
}

/// An event about one of the server's own records, by the actor of `by`.
pub fn host_event(
    org_id: &str,
    action: &str,
    by: &ChangeAudit,
    targets: Vec<Target>,
    metadata: Value,
) -> ApiResult<AuditEvent> {
    Ok(AuditEvent {
        id: ids::new_id("evt_")?,
        org_id: org_id.to_string(),
        action: action.to_string(),
        version: 1,
        occurred_at: by.now,
        actor: by.actor.clone(),
        targets,
        context: by.audit_context.clone(),
        outcome: Outcome::Success,
        metadata: match metadata {
            Value::Object(map) => map,
            _ => Map::new(),
        },
    })
}
