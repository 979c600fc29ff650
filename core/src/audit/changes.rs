//! Audit events for directory changes: what a batch did to each record it touched, in the log
//! of each org concerned, derived by comparing the snapshot before the batch with the one after.
//!
//! | change | action(s) | org log | metadata |
//! |---|---|---|---|
//! | `upsert_org` | `org.created` / `org.updated` | the org | `fields` changed |
//! | `remove_org` | `org.deleted` | the org | — |
//! | `upsert_domain` / `remove_domain` | `org.domain.added` / `.updated` / `.removed` | the org | `fields`, `verification` |
//! | `upsert_connection` / `remove_connection` | `org.sso_connection.created` / `.updated` / `.deleted` | the org | `fields`, `status` |
//! | `upsert_user` / `remove_user` | `user.created` / `.updated` / `.deleted` | each org the user belongs to | `fields` |
//! | `upsert_membership` / `remove_membership` | `org.member.added` / `.updated` / `.removed` | the org | `roles`, `status`, `previous` |
//!
//! Field lists name fields, never their values (emails and names are personal data); roles and
//! statuses are not. Each event describes its change's record as it was before the batch and is
//! after it. Event ids are the host's prefix and a 1-based counter (`<prefix>-1`, `<prefix>-2`, …).

use super::event::{Actor, AuditContext, AuditEvent, Outcome, Target};
use crate::directory::change::Change;
use crate::directory::records::EmailDomain;
use crate::directory::Directory;
use crate::error::{Error, ErrorCode, Result};
use crate::routing::domain::normalize_domain;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// Who makes a batch of changes, and the host's ids and clock for its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeAudit {
    /// Who made the changes.
    pub actor: Actor,
    /// When, Unix seconds, from the host's clock.
    pub now: i64,
    /// The events' ids are this prefix, `-` and a counter.
    pub event_id_prefix: String,
    /// Where the request came from.
    #[serde(default)]
    pub audit_context: AuditContext,
}

impl ChangeAudit {
    pub(crate) fn check(&self, max_text_bytes: usize) -> Result<()> {
        if self.event_id_prefix.is_empty() || self.event_id_prefix.len() > max_text_bytes {
            return Err(Error::new(
                ErrorCode::InvalidValue,
                format!("event_id_prefix must be 1 to {max_text_bytes} bytes"),
            )
            .at("audit.event_id_prefix"));
        }
        Ok(())
    }
}

/// Builds events with sequential ids.
struct Events<'a> {
    audit: &'a ChangeAudit,
    out: Vec<AuditEvent>,
}

impl Events<'_> {
    fn push(
        &mut self,
        org_id: &str,
        action: &str,
        target: (&str, &str),
        metadata: Map<String, Value>,
    ) {
        self.out.push(AuditEvent {
            id: format!("{}-{}", self.audit.event_id_prefix, self.out.len() + 1),
            org_id: org_id.to_string(),
            action: action.to_string(),
            version: 1,
            occurred_at: self.audit.now,
            actor: self.audit.actor.clone(),
            targets: vec![Target {
                kind: target.0.to_string(),
                id: target.1.to_string(),
                display: None,
            }],
            context: self.audit.audit_context.clone(),
            outcome: Outcome::Success,
            metadata,
        });
    }
}

/// The names of the top-level fields whose serialised values differ.
fn changed_fields<T: Serialize>(before: Option<&T>, after: Option<&T>) -> Vec<String> {
    let object = |v: Option<&T>| match v.map(serde_json::to_value) {
        Some(Ok(Value::Object(map))) => map,
        _ => Map::new(),
    };
    let (before, after) = (object(before), object(after));
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .cloned()
        .collect()
}

fn fields<T: Serialize>(before: Option<&T>, after: Option<&T>) -> Map<String, Value> {
    Map::from_iter([("fields".to_string(), json!(changed_fields(before, after)))])
}

/// Created, updated or removed, from whether the record exists before and after.
fn verb(before: bool, after: bool, words: [&'static str; 3]) -> &'static str {
    match (before, after) {
        (false, _) => words[0],
        (true, true) => words[1],
        (true, false) => words[2],
    }
}

fn domain_of<'d>(dir: &'d Directory, org_id: &str, name: &str) -> Option<&'d EmailDomain> {
    dir.org(org_id)?.domains.iter().find(|d| d.domain == name)
}

/// The events of a batch that turned `before` into `after`.
pub(crate) fn change_events(
    before: &Directory,
    after: &Directory,
    changes: &[Change],
    audit: &ChangeAudit,
) -> Vec<AuditEvent> {
    let mut events = Events {
        audit,
        out: Vec::with_capacity(changes.len()),
    };
    for change in changes {
        match change {
            Change::UpsertOrg { org } => {
                let (was, is) = (before.org(&org.id), after.org(&org.id));
                let action = verb(was.is_some(), true, ["org.created", "org.updated", ""]);
                events.push(&org.id, action, ("organization", &org.id), fields(was, is));
            }
            Change::RemoveOrg { org_id } => {
                events.push(org_id, "org.deleted", ("organization", org_id), Map::new());
            }
            Change::UpsertDomain { org_id, domain } => {
                domain_event(&mut events, before, after, org_id, &domain.domain);
            }
            Change::RemoveDomain { org_id, domain } => {
                domain_event(&mut events, before, after, org_id, domain);
            }
            Change::UpsertConnection { org_id, connection } => {
                connection_event(&mut events, before, after, org_id, &connection.id);
            }
            Change::RemoveConnection {
                org_id,
                connection_id,
            } => connection_event(&mut events, before, after, org_id, connection_id),
            Change::UpsertUser { user } => user_events(&mut events, before, after, &user.id),
            Change::RemoveUser { user_id } => user_events(&mut events, before, after, user_id),
            Change::UpsertMembership { membership } => member_event(
                &mut events,
                before,
                after,
                &membership.user_id,
                &membership.org_id,
            ),
            Change::RemoveMembership { user_id, org_id } => {
                member_event(&mut events, before, after, user_id, org_id);
            }
        }
    }
    // Each org's redaction, as the org stands after the batch (or before it, once deleted).
    for event in &mut events.out {
        match after.org(&event.org_id) {
            Some(_) => after.redact_own(event),
            None => before.redact_own(event),
        }
    }
    events.out
}

fn domain_event(
    events: &mut Events<'_>,
    before: &Directory,
    after: &Directory,
    org_id: &str,
    raw: &str,
) {
    let name = normalize_domain(raw).map_or_else(|_| raw.to_string(), |d| d.domain);
    let (was, is) = (
        domain_of(before, org_id, &name),
        domain_of(after, org_id, &name),
    );
    let action = verb(
        was.is_some(),
        is.is_some(),
        [
            "org.domain.added",
            "org.domain.updated",
            "org.domain.removed",
        ],
    );
    let mut metadata = fields(was, is);
    if let Some(d) = is {
        metadata.insert("verification".into(), json!(d.verification));
    }
    events.push(org_id, action, ("domain", &name), metadata);
}

fn connection_event(
    events: &mut Events<'_>,
    before: &Directory,
    after: &Directory,
    org_id: &str,
    id: &str,
) {
    let find = |dir: &Directory| {
        dir.org(org_id)
            .and_then(|o| o.sso_connections.iter().find(|c| c.id == id).cloned())
    };
    let (was, is) = (find(before), find(after));
    let action = verb(
        was.is_some(),
        is.is_some(),
        [
            "org.sso_connection.created",
            "org.sso_connection.updated",
            "org.sso_connection.deleted",
        ],
    );
    let mut metadata = fields(was.as_ref(), is.as_ref());
    if let Some(c) = &is {
        metadata.insert("status".into(), json!(c.status));
    }
    events.push(org_id, action, ("sso_connection", id), metadata);
}

fn user_events(events: &mut Events<'_>, before: &Directory, after: &Directory, user_id: &str) {
    let (was, is) = (before.user(user_id), after.user(user_id));
    let action = verb(
        was.is_some(),
        is.is_some(),
        ["user.created", "user.updated", "user.deleted"],
    );
    let orgs: BTreeSet<&str> = before
        .user_org_ids(user_id)
        .into_iter()
        .chain(after.user_org_ids(user_id))
        .collect();
    let metadata = fields(was, is);
    for org_id in orgs {
        events.push(org_id, action, ("user", user_id), metadata.clone());
    }
}

fn member_event(
    events: &mut Events<'_>,
    before: &Directory,
    after: &Directory,
    user_id: &str,
    org_id: &str,
) {
    let view = |dir: &Directory| {
        dir.membership(user_id, org_id).map(|m| {
            let record = m.to_record();
            json!({ "roles": record.roles, "status": record.status })
        })
    };
    let (was, is) = (view(before), view(after));
    let action = verb(
        was.is_some(),
        is.is_some(),
        [
            "org.member.added",
            "org.member.updated",
            "org.member.removed",
        ],
    );
    let mut metadata = match &is {
        Some(Value::Object(now)) => now.clone(),
        _ => Map::new(),
    };
    if let Some(previous) = was {
        metadata.insert("previous".into(), previous);
    }
    events.push(org_id, action, ("user", user_id), metadata);
}
