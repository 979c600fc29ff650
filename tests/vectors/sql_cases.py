"""Reference-table vectors: the schema per dialect and the statements that store SCIM resources and
audit events (core/src/reference_tables.rs). Every expected statement is written out here."""

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
SQLITE_TS = "?"
PG_TS = "(TIMESTAMPTZ 'epoch' + {} * INTERVAL '1 microsecond')"

USER_INSERT = ("INSERT INTO scim_users (id, org_id, user_name, external_id, display_name, given_name, family_name, "
               "active, created_at, updated_at, version, resource) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})")
GROUP_INSERT = ("INSERT INTO scim_groups (id, org_id, display_name, external_id, created_at, updated_at, version, "
                "resource) VALUES ({}, {}, {}, {}, {}, {}, {}, {})")
EMAIL_INSERT = "INSERT INTO scim_user_emails (user_id, value, type, primary_flag) VALUES ({}, {}, {}, {})"
MEMBER_INSERT = "INSERT INTO scim_group_members (group_id, member_id, member_type) VALUES ({}, {}, {})"
EVENT_INSERT = ("INSERT INTO audit_events (org_id, seq, id, occurred_at, action, outcome, actor_type, actor_id, "
                "prev_hash, hash, event) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})")
TARGET_INSERT = "INSERT INTO audit_event_targets (org_id, seq, target_type, target_id) VALUES ({}, {}, {}, {})"


def sqlite(template, n):
    return template.format(*["?"] * n)


def pg(template, n, ts=()):
    """`$1`… placeholders; the (1-based) positions in `ts` are timestamps in microseconds."""
    return template.format(*[PG_TS.format(f"${i}") if i in ts else f"${i}" for i in range(1, n + 1)])


def st(sql, *params):
    return {"sql": sql, "params": list(params)}


def schema(ts, boolean, integer, serial):
    return [
        "CREATE TABLE IF NOT EXISTS directory_snapshot (\n  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
        "  document TEXT NOT NULL,\n  seq %s NOT NULL\n)" % integer,
        "CREATE TABLE IF NOT EXISTS directory_changes (\n  seq %s,\n  changes TEXT NOT NULL\n)" % serial,
        "CREATE TABLE IF NOT EXISTS memberships (\n  org_id TEXT NOT NULL,\n  user_id TEXT NOT NULL,\n"
        "  roles TEXT NOT NULL,\n  status TEXT NOT NULL,\n  PRIMARY KEY (org_id, user_id)\n)",
        "CREATE TABLE IF NOT EXISTS audit_events (\n  org_id TEXT NOT NULL,\n  seq %s NOT NULL,\n  id TEXT NOT NULL,\n"
        "  occurred_at %s NOT NULL,\n  action TEXT NOT NULL,\n  outcome TEXT NOT NULL,\n  actor_type TEXT NOT NULL,\n"
        "  actor_id TEXT NOT NULL,\n  prev_hash TEXT NOT NULL,\n  hash TEXT NOT NULL,\n  event TEXT NOT NULL,\n"
        "  PRIMARY KEY (org_id, seq)\n)" % (integer, integer),
        "CREATE TABLE IF NOT EXISTS audit_event_targets (\n  org_id TEXT NOT NULL,\n  seq %s NOT NULL,\n"
        "  target_type TEXT NOT NULL,\n  target_id TEXT NOT NULL\n)" % integer,
        "CREATE INDEX IF NOT EXISTS audit_event_targets_event ON audit_event_targets (org_id, seq)",
        "CREATE TABLE IF NOT EXISTS scim_users (\n  id TEXT PRIMARY KEY,\n  org_id TEXT NOT NULL,\n  user_name TEXT,\n"
        "  external_id TEXT,\n  display_name TEXT,\n  given_name TEXT,\n  family_name TEXT,\n  active %s,\n"
        "  created_at %s NOT NULL,\n  updated_at %s NOT NULL,\n  version TEXT NOT NULL,\n  resource TEXT NOT NULL\n)"
        % (boolean, ts, ts),
        "CREATE INDEX IF NOT EXISTS scim_users_org ON scim_users (org_id, created_at)",
        "CREATE TABLE IF NOT EXISTS scim_user_emails (\n  user_id TEXT NOT NULL,\n  value TEXT,\n  type TEXT,\n"
        "  primary_flag %s\n)" % boolean,
        "CREATE INDEX IF NOT EXISTS scim_user_emails_user ON scim_user_emails (user_id)",
        "CREATE TABLE IF NOT EXISTS scim_groups (\n  id TEXT PRIMARY KEY,\n  org_id TEXT NOT NULL,\n"
        "  display_name TEXT,\n  external_id TEXT,\n  created_at %s NOT NULL,\n  updated_at %s NOT NULL,\n"
        "  version TEXT NOT NULL,\n  resource TEXT NOT NULL\n)" % (ts, ts),
        "CREATE INDEX IF NOT EXISTS scim_groups_org ON scim_groups (org_id, created_at)",
        "CREATE TABLE IF NOT EXISTS scim_group_members (\n  group_id TEXT NOT NULL,\n  member_id TEXT NOT NULL,\n"
        "  member_type TEXT\n)",
        "CREATE INDEX IF NOT EXISTS scim_group_members_group ON scim_group_members (group_id)",
        "CREATE INDEX IF NOT EXISTS scim_group_members_member ON scim_group_members (member_id)",
    ]


def compact(value):
    """The JSON text serde_json writes (no spaces, keys in the document's order)."""
    import json
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def build(case, ok, err):
    a, f = "wire", "sql"
    case(a, f, "sql-schema-sqlite", "sql_schema", {"dialect": "sqlite"}, ok(schema("INTEGER", "INTEGER", "INTEGER", "INTEGER PRIMARY KEY")),
         note="the host's directory tables and the engine's reference tables; INTEGER microseconds and 0/1 "
              "booleans")
    case(a, f, "sql-schema-postgres", "sql_schema", {"dialect": "postgres"},
         ok(schema("timestamptz", "boolean", "BIGINT", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")))
    case(a, f, "sql-schema-unknown-dialect", "sql_schema", {"dialect": "mysql"}, err("invalid_input"))

    user = {"schemas": [CORE_USER], "userName": "bjensen@acme.com", "name": {"GivenName": "Barbara"},
            "active": True, "id": "u-1",
            "emails": [{"value": "bjensen@acme.com", "type": "work", "primary": True}, {"value": "b@home.org"},
                       "not-an-object"]}
    stored = {"org_id": "org_a", "kind": "User", "id": "u-1", "created_at": 1767225600000000,
              "updated_at": 1767225601500000, "version": 'W/"2"', "resource": user}
    deletes_user_sqlite = [st("DELETE FROM scim_user_emails WHERE user_id = ?", "u-1"),
                           st("DELETE FROM scim_users WHERE org_id = ? AND id = ?", "org_a", "u-1")]
    user_row = ["u-1", "org_a", "bjensen@acme.com", None, None, "Barbara", None]
    case(a, f, "sql-scim-put-user-sqlite", "sql_scim_put", {"dialect": "sqlite", "stored": stored},
         ok(deletes_user_sqlite + [
             st(sqlite(USER_INSERT, 12), *user_row, 1, 1767225600000000, 1767225601500000, 'W/"2"', compact(user)),
             st(sqlite(EMAIL_INSERT, 4), "u-1", "bjensen@acme.com", "work", 1),
             st(sqlite(EMAIL_INSERT, 4), "u-1", "b@home.org", None, None)]),
         note="old rows removed first; attribute names ignore case; absent values are NULL; an email that is "
              "not an object is skipped")
    case(a, f, "sql-scim-put-user-postgres", "sql_scim_put", {"dialect": "postgres", "stored": stored},
         ok([st("DELETE FROM scim_user_emails WHERE user_id = $1", "u-1"),
             st("DELETE FROM scim_users WHERE org_id = $1 AND id = $2", "org_a", "u-1"),
             st(pg(USER_INSERT, 12, ts=(9, 10)), *user_row, True, 1767225600000000, 1767225601500000, 'W/"2"',
                compact(user)),
             st(pg(EMAIL_INSERT, 4), "u-1", "bjensen@acme.com", "work", True),
             st(pg(EMAIL_INSERT, 4), "u-1", "b@home.org", None, None)]),
         note="timestamps converted exactly from microseconds; booleans as booleans")
    group = {"displayName": "Admins", "externalId": "ext-9", "members": [{"value": "u-1", "type": "User"},
                                                                         {"value": "u-2"}, {"display": "no value"}]}
    case(a, f, "sql-scim-put-group-sqlite", "sql_scim_put",
         {"dialect": "sqlite", "stored": {**stored, "kind": "Group", "id": "g-1", "resource": group}},
         ok([st("DELETE FROM scim_group_members WHERE group_id = ?", "g-1"),
             st("DELETE FROM scim_groups WHERE org_id = ? AND id = ?", "org_a", "g-1"),
             st(sqlite(GROUP_INSERT, 8), "g-1", "org_a", "Admins", "ext-9", 1767225600000000, 1767225601500000,
                'W/"2"', compact(group)),
             st(sqlite(MEMBER_INSERT, 3), "g-1", "u-1", "User"),
             st(sqlite(MEMBER_INSERT, 3), "g-1", "u-2", None)]),
         note="a member without a string value is skipped")
    case(a, f, "sql-scim-put-not-an-object", "sql_scim_put",
         {"dialect": "sqlite", "stored": {**stored, "resource": ["u-1"]}}, err("invalid_input", path="resource"))
    case(a, f, "sql-scim-put-unknown-field", "sql_scim_put",
         {"dialect": "sqlite", "stored": {**stored, "etag": "x"}}, err("invalid_input"))
    case(a, f, "sql-scim-delete-group-postgres", "sql_scim_delete",
         {"dialect": "postgres", "org_id": "org_a", "kind": "Group", "id": "g-1"},
         ok([st("DELETE FROM scim_group_members WHERE group_id = $1", "g-1"),
             st("DELETE FROM scim_groups WHERE org_id = $1 AND id = $2", "org_a", "g-1")]))

    event = {"id": "evt-7", "org_id": "org_a", "action": "scim.user.created", "version": 1,
             "occurred_at": 1767225600, "actor": {"type": "scim_token", "id": "tok_a"},
             "targets": [{"type": "user", "id": "u-1"}, {"type": "group", "id": "g-1"}], "context": {},
             "outcome": "success", "metadata": {"changes": []}, "seq": 3, "prev_hash": "a" * 64, "hash": "b" * 64}
    stored_event = {"id": "evt-7", "org_id": "org_a", "action": "scim.user.created", "version": 1,
                    "occurred_at": 1767225600, "actor": {"type": "scim_token", "id": "tok_a"},
                    "targets": [{"type": "user", "id": "u-1"}, {"type": "group", "id": "g-1"}], "context": {},
                    "outcome": "success", "metadata": {"changes": []}, "seq": 3, "prev_hash": "a" * 64,
                    "hash": "b" * 64}
    case(a, f, "sql-audit-append-sqlite", "sql_audit_append", {"dialect": "sqlite", "event": event},
         ok([st(sqlite(EVENT_INSERT, 11), "org_a", 3, "evt-7", 1767225600, "scim.user.created", "success",
                "scim_token", "tok_a", "a" * 64, "b" * 64, compact(stored_event)),
             st(sqlite(TARGET_INSERT, 4), "org_a", 3, "user", "u-1"),
             st(sqlite(TARGET_INSERT, 4), "org_a", 3, "group", "g-1")]),
         note="the whole chained event kept as JSON; one row per target")
    case(a, f, "sql-audit-append-postgres", "sql_audit_append", {"dialect": "postgres", "event": event},
         ok([st(pg(EVENT_INSERT, 11), "org_a", 3, "evt-7", 1767225600, "scim.user.created", "success",
                "scim_token", "tok_a", "a" * 64, "b" * 64, compact(stored_event)),
             st(pg(TARGET_INSERT, 4), "org_a", 3, "user", "u-1"),
             st(pg(TARGET_INSERT, 4), "org_a", 3, "group", "g-1")]))
    case(a, f, "sql-audit-append-not-chained", "sql_audit_append",
         {"dialect": "sqlite", "event": {k: v for k, v in event.items() if k != "hash"}}, err("invalid_input"))
