// The SQLite schema of the SQLite store. The SCIM and audit tables are the engine's reference
// schemas (see `ReferenceColumns` in core/src/scim/filter/sql.rs and core/src/audit/query.rs),
// so the `WHERE` fragments of `scim_filter_sql` and `audit_query` run on them unchanged; each
// row also keeps the whole JSON record it was indexed from. Timestamps of the SCIM tables are
// microseconds since the Unix epoch, booleans 0 or 1. SCIM ids are unique across orgs (the
// host assigns UUIDs), so the child tables join on the id alone, as the engine's SQL does.

/** The statements that create every table and index (idempotent). */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS directory_snapshot (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  document TEXT NOT NULL,
  seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS directory_changes (
  seq INTEGER PRIMARY KEY,
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
  seq INTEGER NOT NULL,
  id TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
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
  seq INTEGER NOT NULL,
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
  active INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version TEXT NOT NULL,
  resource TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS scim_users_org ON scim_users (org_id, created_at);
CREATE TABLE IF NOT EXISTS scim_user_emails (
  user_id TEXT NOT NULL,
  value TEXT,
  type TEXT,
  primary_flag INTEGER
);
CREATE INDEX IF NOT EXISTS scim_user_emails_user ON scim_user_emails (user_id);
CREATE TABLE IF NOT EXISTS scim_groups (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  display_name TEXT,
  external_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
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
CREATE INDEX IF NOT EXISTS scim_group_members_member ON scim_group_members (member_id);
`;
