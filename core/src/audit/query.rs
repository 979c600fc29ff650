//! Reading audit logs: a query is validated, every org it reads is an `audit.read`
//! authorization decision (a cross-org query needs a support grant for each other org), the
//! query itself is audited, and it is translated into a parameterised SQL `WHERE` fragment over
//! the reference tables:
//!
//! ```sql
//! audit_events(org_id, seq, id, occurred_at, action, outcome, actor_type, actor_id, …)
//! audit_event_targets(org_id, seq, target_type, target_id)
//! ```

use crate::audit::event::{Actor, AuditEvent, Outcome, Target};
use crate::authz::{AuthorizeRequest, Decision, Principal, Resource, SupportGrant};
use crate::directory::Directory;
use crate::error::{Error, ErrorCode, Result};
use crate::scim::filter::{Dialect, SqlFragment, SqlParam};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map};

/// Orgs one query may read.
pub const MAX_QUERY_ORGS: usize = 100;
/// Values in one list of a query (actions, actors, targets).
pub const MAX_QUERY_VALUES: usize = 100;
/// Events one page may return.
pub const MAX_QUERY_LIMIT: u32 = 1_000;

/// An audit log query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// The orgs whose logs are read (one, unless the principal holds grants for the others).
    pub orgs: Vec<String>,
    /// From this time (Unix seconds, inclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<i64>,
    /// Until this time (Unix seconds, exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<i64>,
    /// Action names; `scim.*` matches every action under `scim.`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    /// Actor ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<String>,
    /// Target ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// Outcomes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<Outcome>,
    /// Events after this `seq` (for paging within one org).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_seq: Option<u64>,
    /// Events per page (default 100, at most [`MAX_QUERY_LIMIT`]).
    #[serde(default = "default_limit")]
    pub limit: u32,
}

fn default_limit() -> u32 {
    100
}

/// Who asks, in which active org, when, with which grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryCaller {
    /// The principal.
    pub principal: Principal,
    /// The org the request runs in.
    pub active_org: String,
    /// Support grants the principal holds (one per other org it reads).
    #[serde(default)]
    pub grants: Vec<SupportGrant>,
    /// The time of the request (Unix seconds).
    pub now: i64,
    /// The host's id for the event that audits this query.
    pub event_id: String,
}

/// A validated, authorized query: the SQL to run and the event that audits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryPlan {
    /// The `WHERE` fragment over `audit_events`.
    pub sql: SqlFragment,
    /// `ORDER BY org_id, seq LIMIT <limit>`, the rest of the statement.
    pub order_and_limit: String,
    /// The event the host records in each org's log read (`audit.log.queried`).
    pub event: AuditEvent,
}

fn invalid(path: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidValue, message).at(format!("query.{path}"))
}

fn is_action(name: &str) -> bool {
    let body = name.strip_suffix(".*").unwrap_or(name);
    !body.is_empty()
        && body.len() <= 128
        && body.split('.').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
}

impl AuditQuery {
    /// Checks the query's shape and limits.
    pub fn validate(&self) -> Result<()> {
        if self.orgs.is_empty() || self.orgs.len() > MAX_QUERY_ORGS {
            return Err(
                invalid("orgs", format!("a query reads 1 to {MAX_QUERY_ORGS} orgs"))
                    .because("org_count"),
            );
        }
        for (name, list) in [
            ("actions", &self.actions),
            ("actors", &self.actors),
            ("targets", &self.targets),
        ] {
            if list.len() > MAX_QUERY_VALUES {
                return Err(Error::new(
                    ErrorCode::LimitExceeded,
                    format!("`{name}` lists at most {MAX_QUERY_VALUES} values"),
                )
                .at(format!("query.{name}")));
            }
        }
        if let Some((i, bad)) = self.actions.iter().enumerate().find(|(_, a)| !is_action(a)) {
            return Err(invalid(
                &format!("actions[{i}]"),
                format!("`{bad}` is not an action name (dotted lowercase words, optionally ending in `.*`)"),
            )
            .because("bad_action"));
        }
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from >= to {
                return Err(invalid("to", "`to` must be after `from`").because("empty_range"));
            }
        }
        if self.limit == 0 || self.limit > MAX_QUERY_LIMIT {
            return Err(invalid(
                "limit",
                format!("a page holds 1 to {MAX_QUERY_LIMIT} events"),
            )
            .because("bad_limit"));
        }
        if self.after_seq.is_some() && self.orgs.len() != 1 {
            return Err(
                invalid("after_seq", "paging by seq reads one org at a time")
                    .because("seq_needs_one_org"),
            );
        }
        Ok(())
    }

    /// The `WHERE` fragment: every condition a parameter, never spliced.
    pub fn to_sql(&self, dialect: Dialect) -> SqlFragment {
        let mut params: Vec<SqlParam> = Vec::new();
        let mut place = |params: &mut Vec<SqlParam>, value: SqlParam| {
            params.push(value);
            match dialect {
                Dialect::Sqlite => "?".to_string(),
                Dialect::Postgres => format!("${}", params.len()),
            }
        };
        let mut clauses: Vec<String> = Vec::new();
        let list =
            |params: &mut Vec<SqlParam>,
             values: &[String],
             place: &mut dyn FnMut(&mut Vec<SqlParam>, SqlParam) -> String| {
                values
                    .iter()
                    .map(|v| place(params, SqlParam::Text(v.clone())))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
        clauses.push(format!(
            "org_id IN ({})",
            list(&mut params, &self.orgs, &mut place)
        ));
        if let Some(from) = self.from {
            clauses.push(format!(
                "occurred_at >= {}",
                place(&mut params, SqlParam::Integer(from))
            ));
        }
        if let Some(to) = self.to {
            clauses.push(format!(
                "occurred_at < {}",
                place(&mut params, SqlParam::Integer(to))
            ));
        }
        if !self.actions.is_empty() {
            let parts: Vec<String> = self
                .actions
                .iter()
                .map(|action| match action.strip_suffix('*') {
                    // `scim.*`: the prefix, with LIKE's wildcards escaped in the parameter.
                    Some(prefix) => {
                        let escaped = prefix
                            .replace('\\', "\\\\")
                            .replace('%', "\\%")
                            .replace('_', "\\_");
                        format!(
                            "action LIKE {} ESCAPE '\\'",
                            place(&mut params, SqlParam::Text(format!("{escaped}%")))
                        )
                    }
                    None => format!(
                        "action = {}",
                        place(&mut params, SqlParam::Text(action.clone()))
                    ),
                })
                .collect();
            clauses.push(format!("({})", parts.join(" OR ")));
        }
        if !self.actors.is_empty() {
            clauses.push(format!(
                "actor_id IN ({})",
                list(&mut params, &self.actors, &mut place)
            ));
        }
        if !self.targets.is_empty() {
            clauses.push(format!(
                "EXISTS (SELECT 1 FROM audit_event_targets t WHERE t.org_id = audit_events.org_id \
                 AND t.seq = audit_events.seq AND t.target_id IN ({}))",
                list(&mut params, &self.targets, &mut place)
            ));
        }
        if !self.outcomes.is_empty() {
            let outcomes: Vec<String> = self
                .outcomes
                .iter()
                .map(|o| o.as_str().to_string())
                .collect();
            clauses.push(format!(
                "outcome IN ({})",
                list(&mut params, &outcomes, &mut place)
            ));
        }
        if let Some(seq) = self.after_seq {
            let seq = i64::try_from(seq).unwrap_or(i64::MAX);
            clauses.push(format!(
                "seq > {}",
                place(&mut params, SqlParam::Integer(seq))
            ));
        }
        SqlFragment {
            sql: clauses.join(" AND "),
            params,
        }
    }
}

impl Directory {
    /// Validates `query`, authorizes `audit.read` on every org it reads (with the active org,
    /// or a support grant for each other org), and returns the SQL and the event that audits
    /// the query. Fails with `forbidden` naming the first org refused.
    pub fn plan_audit_query(
        &self,
        caller: &QueryCaller,
        query: &AuditQuery,
        dialect: Dialect,
    ) -> Result<QueryPlan> {
        query.validate()?;
        for org in &query.orgs {
            let grant = caller.grants.iter().find(|g| &g.org_id == org);
            let decision = self.authorize(&AuthorizeRequest {
                principal: caller.principal.clone(),
                active_org: org.clone(),
                action: "audit.read".into(),
                resource: Resource {
                    kind: "AuditLog".into(),
                    id: format!("{org}/audit"),
                    org: Some(org.clone()),
                    attrs: None,
                },
                now: caller.now,
                context: Map::new(),
                grant: grant.cloned(),
                event_id: None,
                audit_context: None,
            })?;
            // A user reads only its active org's log: another org needs an explicit grant.
            let cross_org = *org != caller.active_org && grant.is_none();
            if decision.decision != Decision::Allow || cross_org {
                return Err(Error::new(
                    ErrorCode::Forbidden,
                    format!("reading `{org}`'s audit log is not allowed"),
                )
                .at("query.orgs"));
            }
        }
        let (kind, id) = match &caller.principal {
            Principal::User(id) => ("user", id.clone()),
            Principal::Staff(id) => ("staff", id.clone()),
        };
        let mut event = AuditEvent {
            id: caller.event_id.clone(),
            org_id: caller.active_org.clone(),
            action: "audit.log.queried".into(),
            version: 1,
            occurred_at: caller.now,
            actor: Actor {
                kind: kind.into(),
                id,
                display: None,
            },
            targets: query
                .orgs
                .iter()
                .map(|org| Target {
                    kind: "audit_log".into(),
                    id: org.clone(),
                    display: None,
                })
                .collect(),
            context: Default::default(),
            outcome: Outcome::Success,
            metadata: json!({ "query": query, "cross_org": query.orgs.iter().any(|o| *o != caller.active_org) })
                .as_object()
                .cloned()
                .unwrap_or_default(),
        };
        self.redact_own(&mut event);
        Ok(QueryPlan {
            sql: query.to_sql(dialect),
            order_and_limit: format!("ORDER BY org_id, seq LIMIT {}", query.limit),
            event,
        })
    }
}
