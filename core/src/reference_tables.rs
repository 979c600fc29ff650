//! The reference tables: the SQL schema that the engine's translations run against
//! (`scim_filter_sql` over `scim_users` and `scim_groups`, `audit_query` over `audit_events`),
//! and the statements that store a SCIM resource or an audit event in them, so that every host
//! keeps them the same way, and that list one org's SCIM resources from them ([`scim_list`]:
//! filtered, sorted, paged; [`scim_sort`] is the same order for resources kept in memory). Each
//! row also keeps the whole JSON document it was indexed from.
//! The core runs no SQL: hosts execute the statements, in their own transactions.
//!
//! The schema also holds three tables a host may keep its directory in: `directory_snapshot`
//! (the directory document and the change-log position it includes), `directory_changes` (the
//! change sets applied since, in order) and `memberships` (an index for membership look-ups).
//!
//! Column types per dialect: timestamps of the SCIM tables are SQLite `INTEGER` microseconds
//! since the Unix epoch and PostgreSQL `timestamptz`; booleans are SQLite `INTEGER` 0 or 1 and
//! PostgreSQL `boolean`. SCIM ids are unique across orgs (hosts assign UUIDs), so the child
//! tables join on the id alone, as the engine's SQL does. An audit event's `occurred_at` is the
//! event's own Unix seconds.

use crate::audit::ChainedEvent;
use crate::error::{Error, ErrorCode, Result};
use crate::scim::filter::{Dialect, SqlParam};
use crate::scim::protocol::ResourceKind;
use serde::{Deserialize, Serialize};
use serde_json::Value;

mod list;
mod sort;

pub use list::{scim_list, ListStatements, ScimListQuery};
pub use sort::{scim_sort, Sort, SortItem};

/// The tables and indexes, with `{TS}`, `{BOOL}`, `{INT}` and `{SERIAL}` (an increasing key)
/// standing for the dialect's types.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS directory_snapshot (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  document TEXT NOT NULL,
  seq {INT} NOT NULL
);
CREATE TABLE IF NOT EXISTS directory_changes (
  seq {SERIAL},
  changes TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS memberships (
  org_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  roles TEXT NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY (org_id, user_id)
);
CREATE TABLE IF NOT EXISTS audit_events (
  org_id TEXT NOT NULL,
  seq {INT} NOT NULL,
  id TEXT NOT NULL,
  occurred_at {INT} NOT NULL,
  action TEXT NOT NULL,
  outcome TEXT NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  event TEXT NOT NULL,
  PRIMARY KEY (org_id, seq)
);
CREATE TABLE IF NOT EXISTS audit_event_targets (
  org_id TEXT NOT NULL,
  seq {INT} NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_event_targets_event ON audit_event_targets (org_id, seq);
CREATE TABLE IF NOT EXISTS scim_users (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  user_name TEXT,
  external_id TEXT,
  display_name TEXT,
  given_name TEXT,
  family_name TEXT,
  active {BOOL},
  created_at {TS} NOT NULL,
  updated_at {TS} NOT NULL,
  version TEXT NOT NULL,
  resource TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS scim_users_org ON scim_users (org_id, created_at);
CREATE TABLE IF NOT EXISTS scim_user_emails (
  user_id TEXT NOT NULL,
  value TEXT,
  type TEXT,
  primary_flag {BOOL}
);
CREATE INDEX IF NOT EXISTS scim_user_emails_user ON scim_user_emails (user_id);
CREATE TABLE IF NOT EXISTS scim_groups (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  display_name TEXT,
  external_id TEXT,
  created_at {TS} NOT NULL,
  updated_at {TS} NOT NULL,
  version TEXT NOT NULL,
  resource TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS scim_groups_org ON scim_groups (org_id, created_at);
CREATE TABLE IF NOT EXISTS scim_group_members (
  group_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  member_type TEXT
);
CREATE INDEX IF NOT EXISTS scim_group_members_group ON scim_group_members (group_id);
CREATE INDEX IF NOT EXISTS scim_group_members_member ON scim_group_members (member_id)
";

/// The statements that create the reference tables and their indexes; each is idempotent
/// (`IF NOT EXISTS`), so a host may run them at every start.
pub fn schema(dialect: Dialect) -> Vec<String> {
    let (ts, boolean, int, serial) = match dialect {
        Dialect::Sqlite => ("INTEGER", "INTEGER", "INTEGER", "INTEGER PRIMARY KEY"),
        Dialect::Postgres => (
            "timestamptz",
            "boolean",
            "BIGINT",
            "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        ),
    };
    SCHEMA
        .replace("{SERIAL}", serial)
        .replace("{TS}", ts)
        .replace("{BOOL}", boolean)
        .replace("{INT}", int)
        .split(';')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// One SQL statement and its parameters, in placeholder order (`?` for SQLite, `$1`… for
/// PostgreSQL).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// The statement.
    pub sql: String,
    /// The parameters to bind.
    pub params: Vec<SqlParam>,
}

/// A SCIM resource as a host stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredScim {
    /// The org the resource belongs to.
    pub org_id: String,
    /// `User` or `Group`.
    pub kind: ResourceKind,
    /// The resource's id.
    pub id: String,
    /// Creation time, microseconds since the Unix epoch.
    pub created_at: i64,
    /// Last modification time, microseconds since the Unix epoch.
    pub updated_at: i64,
    /// The resource's version (its ETag).
    pub version: String,
    /// The resource document.
    pub resource: Value,
}

/// Builds statements with `?` placeholders, numbered for PostgreSQL when finished.
struct Builder {
    dialect: Dialect,
    statements: Vec<Statement>,
}

impl Builder {
    fn new(dialect: Dialect) -> Self {
        Self {
            dialect,
            statements: Vec::new(),
        }
    }

    fn push(&mut self, sql: &str, params: Vec<SqlParam>) {
        let sql = match self.dialect {
            Dialect::Sqlite => sql.to_string(),
            Dialect::Postgres => {
                let mut numbered = String::with_capacity(sql.len() + 8);
                let mut n = 0;
                for c in sql.chars() {
                    if c == '?' {
                        n += 1;
                        numbered.push_str(&format!("${n}"));
                    } else {
                        numbered.push(c);
                    }
                }
                numbered
            }
        };
        self.statements.push(Statement { sql, params });
    }

    /// The placeholder of a timestamp in microseconds (PostgreSQL converts it exactly).
    fn ts(&self) -> &'static str {
        match self.dialect {
            Dialect::Sqlite => "?",
            Dialect::Postgres => "(TIMESTAMPTZ 'epoch' + ? * INTERVAL '1 microsecond')",
        }
    }

    fn boolean(&self, value: Option<bool>) -> SqlParam {
        match (value, self.dialect) {
            (None, _) => SqlParam::Null,
            (Some(b), Dialect::Sqlite) => SqlParam::Integer(i64::from(b)),
            (Some(b), Dialect::Postgres) => SqlParam::Bool(b),
        }
    }
}

/// The member `name` of `object`, the name compared ignoring ASCII case (as SCIM's are).
fn attribute<'v>(object: &'v Value, name: &str) -> Option<&'v Value> {
    let object = object.as_object()?;
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    })
}

fn text(object: &Value, name: &str) -> SqlParam {
    match attribute(object, name) {
        Some(Value::String(s)) => SqlParam::Text(s.clone()),
        _ => SqlParam::Null,
    }
}

/// The object elements of a multi-valued attribute.
fn elements<'v>(object: &'v Value, name: &str) -> impl Iterator<Item = &'v Value> {
    attribute(object, name)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|v| v.is_object())
}

/// The value a resource document gives the column `name` of its table, as [`scim_put`]
/// stores it: text, a boolean (`active`), or `NULL` for anything else or a column not taken
/// from the document.
fn column_value(resource: &Value, name: &str) -> SqlParam {
    let name_part =
        |sub: &str| attribute(resource, "name").map_or(SqlParam::Null, |n| text(n, sub));
    match name {
        "user_name" => text(resource, "userName"),
        "external_id" => text(resource, "externalId"),
        "display_name" => text(resource, "displayName"),
        "given_name" => name_part("givenName"),
        "family_name" => name_part("familyName"),
        "active" => attribute(resource, "active")
            .and_then(Value::as_bool)
            .map_or(SqlParam::Null, SqlParam::Bool),
        _ => SqlParam::Null,
    }
}

fn table(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::User => "scim_users",
        ResourceKind::Group => "scim_groups",
    }
}

fn delete_into(b: &mut Builder, org_id: &str, kind: ResourceKind, id: &str) {
    let id = SqlParam::Text(id.to_string());
    match kind {
        ResourceKind::User => b.push(
            "DELETE FROM scim_user_emails WHERE user_id = ?",
            vec![id.clone()],
        ),
        ResourceKind::Group => b.push(
            "DELETE FROM scim_group_members WHERE group_id = ?",
            vec![id.clone()],
        ),
    }
    b.push(
        &format!("DELETE FROM {} WHERE org_id = ? AND id = ?", table(kind)),
        vec![SqlParam::Text(org_id.to_string()), id],
    );
}

/// The statements that remove a SCIM resource and its child rows.
pub fn scim_delete(dialect: Dialect, org_id: &str, kind: ResourceKind, id: &str) -> Vec<Statement> {
    let mut b = Builder::new(dialect);
    delete_into(&mut b, org_id, kind, id);
    b.statements
}

/// The statements that store a SCIM resource: its old rows removed, then its row and its
/// emails (a User) or members (a Group) inserted. `invalid_input` when the resource is not a
/// JSON object.
pub fn scim_put(dialect: Dialect, stored: &StoredScim) -> Result<Vec<Statement>> {
    let resource = &stored.resource;
    if !resource.is_object() {
        return Err(
            Error::new(ErrorCode::InvalidInput, "a SCIM resource is a JSON object").at("resource"),
        );
    }
    let mut b = Builder::new(dialect);
    delete_into(&mut b, &stored.org_id, stored.kind, &stored.id);
    let id = SqlParam::Text(stored.id.clone());
    let org = SqlParam::Text(stored.org_id.clone());
    let common = [
        SqlParam::Integer(stored.created_at),
        SqlParam::Integer(stored.updated_at),
        SqlParam::Text(stored.version.clone()),
        SqlParam::Text(resource.to_string()),
    ];
    let ts = b.ts();
    match stored.kind {
        ResourceKind::User => {
            let active = match column_value(resource, "active") {
                SqlParam::Bool(b) => Some(b),
                _ => None,
            };
            let mut params = vec![id.clone(), org];
            params.extend(
                [
                    "user_name",
                    "external_id",
                    "display_name",
                    "given_name",
                    "family_name",
                ]
                .map(|column| column_value(resource, column)),
            );
            params.push(b.boolean(active));
            params.extend(common);
            b.push(
                &format!(
                    "INSERT INTO scim_users (id, org_id, user_name, external_id, display_name, \
                     given_name, family_name, active, created_at, updated_at, version, resource) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, {ts}, {ts}, ?, ?)"
                ),
                params,
            );
            for email in elements(resource, "emails") {
                let primary = attribute(email, "primary").and_then(Value::as_bool);
                let params = vec![
                    id.clone(),
                    text(email, "value"),
                    text(email, "type"),
                    b.boolean(primary),
                ];
                b.push(
                    "INSERT INTO scim_user_emails (user_id, value, type, primary_flag) \
                     VALUES (?, ?, ?, ?)",
                    params,
                );
            }
        }
        ResourceKind::Group => {
            let mut params = vec![
                id.clone(),
                org,
                column_value(resource, "display_name"),
                column_value(resource, "external_id"),
            ];
            params.extend(common);
            b.push(
                &format!(
                    "INSERT INTO scim_groups (id, org_id, display_name, external_id, created_at, \
                     updated_at, version, resource) VALUES (?, ?, ?, ?, {ts}, {ts}, ?, ?)"
                ),
                params,
            );
            for member in elements(resource, "members") {
                let value = text(member, "value");
                if value == SqlParam::Null {
                    continue;
                }
                b.push(
                    "INSERT INTO scim_group_members (group_id, member_id, member_type) \
                     VALUES (?, ?, ?)",
                    vec![id.clone(), value, text(member, "type")],
                );
            }
        }
    }
    Ok(b.statements)
}

/// The statements that append a chained audit event to its org's log: its row (the whole
/// event kept as JSON) and one row per target.
pub fn audit_append(dialect: Dialect, event: &ChainedEvent) -> Result<Vec<Statement>> {
    let document = serde_json::to_string(event).map_err(|e| {
        Error::new(
            ErrorCode::Internal,
            format!("an event did not serialise: {e}"),
        )
    })?;
    let seq = i64::try_from(event.seq).map_err(|_| {
        Error::new(
            ErrorCode::InvalidInput,
            "`seq` is past the largest SQL integer",
        )
        .at("event.seq")
    })?;
    let e = &event.event;
    let text = |s: &str| SqlParam::Text(s.to_string());
    let outcome = match serde_json::to_value(e.outcome) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    };
    let mut b = Builder::new(dialect);
    b.push(
        "INSERT INTO audit_events (org_id, seq, id, occurred_at, action, outcome, actor_type, \
         actor_id, prev_hash, hash, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            text(&e.org_id),
            SqlParam::Integer(seq),
            text(&e.id),
            SqlParam::Integer(e.occurred_at),
            text(&e.action),
            SqlParam::Text(outcome),
            text(&e.actor.kind),
            text(&e.actor.id),
            text(&event.prev_hash),
            text(&event.hash),
            SqlParam::Text(document),
        ],
    );
    for target in &e.targets {
        b.push(
            "INSERT INTO audit_event_targets (org_id, seq, target_type, target_id) \
             VALUES (?, ?, ?, ?)",
            vec![
                text(&e.org_id),
                SqlParam::Integer(seq),
                text(&target.kind),
                text(&target.id),
            ],
        );
    }
    Ok(b.statements)
}
