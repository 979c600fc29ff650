-- The directory: each record as the engine's canonical JSON (orgs with their domains and
-- connections; users; memberships). `version` is the record's ETag.
CREATE TABLE directory_records (
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  org_id TEXT,
  user_id TEXT,
  email TEXT,
  record TEXT NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (kind, key)
);
CREATE INDEX directory_records_org ON directory_records (org_id);
CREATE INDEX directory_records_user ON directory_records (user_id);
CREATE INDEX directory_records_email ON directory_records (email);

-- DNS TXT challenges of claimed domains.
CREATE TABLE domain_challenges (
  org_id TEXT NOT NULL,
  domain TEXT NOT NULL,
  value TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (org_id, domain)
);

-- Invitations (the membership itself is an `invited` directory membership).
CREATE TABLE invitations (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  email TEXT NOT NULL,
  roles TEXT NOT NULL,
  invited_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  state TEXT NOT NULL
);
CREATE INDEX invitations_org ON invitations (org_id);

-- Platform staff support grants.
CREATE TABLE support_grants (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  staff_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  actions TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  granted_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX support_grants_org ON support_grants (org_id);

-- The signing key of session tokens (Ed25519, PKCS#8), generated on first start.
CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  private_pkcs8 TEXT NOT NULL,
  public_key TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- Audit logs: one hash chain per org (the engine's reference tables).
CREATE TABLE audit_events (
  org_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  id TEXT NOT NULL,
  occurred_at BIGINT NOT NULL,
  action TEXT NOT NULL,
  outcome TEXT NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  event TEXT NOT NULL,
  PRIMARY KEY (org_id, seq)
);
CREATE UNIQUE INDEX audit_events_id ON audit_events (org_id, id);
CREATE TABLE audit_event_targets (
  org_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL
);
CREATE INDEX audit_event_targets_event ON audit_event_targets (org_id, seq);

-- SCIM resources (the engine's reference schema, plus the stored resource and its version).
CREATE TABLE scim_users (
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
  resource TEXT NOT NULL,
  version BIGINT NOT NULL,
  orgkit_user_id TEXT NOT NULL
);
CREATE UNIQUE INDEX scim_users_user_name ON scim_users (org_id, lower(user_name));
CREATE TABLE scim_user_emails (
  user_id TEXT NOT NULL,
  value TEXT,
  type TEXT,
  primary_flag {BOOL}
);
CREATE INDEX scim_user_emails_user ON scim_user_emails (user_id);
CREATE TABLE scim_groups (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  display_name TEXT,
  external_id TEXT,
  created_at {TS} NOT NULL,
  updated_at {TS} NOT NULL,
  resource TEXT NOT NULL,
  version BIGINT NOT NULL
);
CREATE UNIQUE INDEX scim_groups_display_name ON scim_groups (org_id, lower(display_name));
CREATE TABLE scim_group_members (
  group_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  member_type TEXT
);
CREATE INDEX scim_group_members_group ON scim_group_members (group_id);
CREATE INDEX scim_group_members_member ON scim_group_members (member_id)
