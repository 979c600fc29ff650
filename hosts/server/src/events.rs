//! The audit events the server makes itself: one per directory change of the admin API (from
//! [`change_events`], the one source of those), and the events of the server's own records
//! (support grants, invitations) from [`host_event`]. Decisions, SCIM writes, org switches and
//! audit queries carry the engine's own events.

use crate::error::ApiResult;
use crate::ids;
use orgkit::audit::{Actor, AuditContext, AuditEvent, Outcome, Target};
use orgkit::{Change, Directory};
use serde_json::{json, Map, Value};

/// Who made a change set, when, from where, and in which org a user-level change is logged.
pub struct ChangeActor<'a> {
    /// The actor.
    pub actor: &'a Actor,
    /// The org whose log takes changes that belong to no org (a user record).
    pub org_id: &'a str,
    /// The host's clock, Unix seconds.
    pub now: i64,
    /// The request's context.
    pub context: &'a AuditContext,
}

fn verb(existed: bool) -> &'static str {
    if existed {
        "updated"
    } else {
        "added"
    }
}

/// The top-level fields of two records that differ.
fn changed_fields(before: Option<Value>, after: Value) -> Vec<String> {
    let before = match before {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let Value::Object(after) = after else {
        return Vec::new();
    };
    let mut keys: Vec<String> = after
        .iter()
        .filter(|(key, value)| before.get(*key) != Some(value))
        .map(|(key, _)| key.clone())
        .chain(before.keys().filter(|k| !after.contains_key(*k)).cloned())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// One event per change of `changes`, as applied to `before`.
pub fn change_events(
    before: &Directory,
    changes: &[Change],
    by: &ChangeActor<'_>,
) -> ApiResult<Vec<AuditEvent>> {
    let target = |kind: &str, id: &str| Target {
        kind: kind.into(),
        id: id.into(),
        display: None,
    };
    changes
        .iter()
        .map(|change| {
            let (org_id, action, targets, metadata) = match change {
                Change::UpsertOrg { org } => {
                    let old = before.org(&org.id);
                    let fields = changed_fields(
                        old.and_then(|o| serde_json::to_value(o).ok()),
                        serde_json::to_value(org).unwrap_or_default(),
                    );
                    (
                        org.id.as_str(),
                        format!("org.{}", verb(old.is_some())),
                        vec![target("organization", &org.id)],
                        json!({ "fields": fields }),
                    )
                }
                Change::RemoveOrg { org_id } => (
                    org_id.as_str(),
                    "org.removed".to_string(),
                    vec![target("organization", org_id)],
                    json!({}),
                ),
                Change::UpsertDomain { org_id, domain } => {
                    let existed = before.org(org_id).is_some_and(|o| {
                        o.domains
                            .iter()
                            .any(|d| d.domain.eq_ignore_ascii_case(&domain.domain))
                    });
                    (
                        org_id.as_str(),
                        format!("org.domain.{}", verb(existed)),
                        vec![target("domain", &domain.domain)],
                        json!({ "verification": domain.verification, "include_subdomains": domain.include_subdomains }),
                    )
                }
                Change::RemoveDomain { org_id, domain } => (
                    org_id.as_str(),
                    "org.domain.removed".to_string(),
                    vec![target("domain", domain)],
                    json!({}),
                ),
                Change::UpsertConnection { org_id, connection } => {
                    let existed = before.connection_org(&connection.id).is_some();
                    (
                        org_id.as_str(),
                        format!("org.sso_connection.{}", verb(existed)),
                        vec![target("sso_connection", &connection.id)],
                        json!({ "protocol": connection.protocol, "status": connection.status }),
                    )
                }
                Change::RemoveConnection {
                    org_id,
                    connection_id,
                } => (
                    org_id.as_str(),
                    "org.sso_connection.removed".to_string(),
                    vec![target("sso_connection", connection_id)],
                    json!({}),
                ),
                Change::UpsertUser { user } => (
                    by.org_id,
                    format!("user.{}", verb(before.user(&user.id).is_some())),
                    vec![target("user", &user.id)],
                    json!({}),
                ),
                Change::RemoveUser { user_id } => (
                    by.org_id,
                    "user.removed".to_string(),
                    vec![target("user", user_id)],
                    json!({}),
                ),
                Change::UpsertMembership { membership: m } => (
                    m.org_id.as_str(),
                    format!(
                        "org.member.{}",
                        verb(before.membership(&m.user_id, &m.org_id).is_some())
                    ),
                    vec![target("user", &m.user_id)],
                    json!({ "roles": m.roles, "status": m.status }),
                ),
                Change::RemoveMembership { user_id, org_id } => (
                    org_id.as_str(),
                    "org.member.removed".to_string(),
                    vec![target("user", user_id)],
                    json!({}),
                ),
            };
            Ok(AuditEvent {
                id: ids::new_id("evt_")?,
                org_id: org_id.to_string(),
                action,
                version: 1,
                occurred_at: by.now,
                actor: by.actor.clone(),
                targets,
                context: by.context.clone(),
                outcome: Outcome::Success,
                metadata: match metadata {
                    Value::Object(map) => map,
                    _ => Map::new(),
                },
            })
        })
        .collect()
}

/// An event about one of the server's own records (a support grant, an invitation).
pub fn host_event(
    org_id: &str,
    action: &str,
    by: &ChangeActor<'_>,
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
        context: by.context.clone(),
        outcome: Outcome::Success,
        metadata: match metadata {
            Value::Object(map) => map,
            _ => Map::new(),
        },
    })
}
