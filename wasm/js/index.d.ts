// Types of @orgkit/engine. The wire model is the engine's JSON call API (see the repository
// README): `Ops` types every operation's input and result, and `npm run typecheck` checks them
// against every conformance vector (test/vector-types.mjs).

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One problem of a validation error. */
export interface Problem {
  path: string;
  code: string;
  reason?: string;
  message: string;
}

/** The engine's stable error codes, the same in every runtime. */
export type ErrorCode =
  | "invalid_json"
  | "invalid_input"
  | "unknown_op"
  | "invalid_email"
  | "invalid_domain"
  | "invalid_directory"
  | "invalid_change"
  | "unsupported_schema_version"
  | "unknown_org"
  | "unknown_user"
  | "unknown_connection"
  | "unknown_membership"
  | "unknown_role"
  | "unknown_action"
  | "invalid_policy"
  | "invalid_filter"
  | "invalid_token"
  | "consumer_domain"
  | "public_suffix"
  | "conflict"
  | "limit_exceeded"
  | "invalid_value"
  | "invalid_path"
  | "no_target"
  | "invalid_patch"
  | "mutability"
  | "internal"
  | "not_found"
  | "method_not_allowed"
  | "unsupported_media_type"
  | "not_implemented"
  | "precondition_failed"
  | "invalid_syntax"
  | "too_many"
  | "payload_too_large"
  | "forbidden";

/** An error as the engine writes it (the `error` of an envelope). */
export interface EngineError {
  code: ErrorCode;
  message: string;
  path?: string;
  reason?: string;
  problems?: Problem[];
  problems_truncated?: boolean;
}

/** An error from the engine; `code` is stable across every runtime. */
export declare class OrgkitError extends Error {
  readonly name: "OrgkitError";
  readonly code: string;
  readonly path?: string;
  readonly reason?: string;
  readonly problems: Problem[];
  readonly problemsTruncated: boolean;
  /** True when the Wasm instance aborted: load a new one with `loadOrgkit()`. */
  readonly mustReload: boolean;
}

/** `ok` of an envelope, or throws its `error` as OrgkitError. */
export declare function unwrap(text: string): Json;

/** An organization as a routing decision names it. */
export interface OrgRef {
  id: string;
  slug: string;
  name: string;
  require_sso: boolean;
}

/** `route`: where an email address signs in. */
export interface RouteDecision {
  decision: "sso" | "org_picker" | "default_login" | "blocked";
  email: string;
  domain: string;
  matched_domain?: string;
  org?: OrgRef;
  connection?: { id: string; protocol: "saml" | "oidc" };
  login_hint?: string;
  candidates?: OrgRef[];
  sso_required: boolean;
  reasons: (
    | "consumer_domain"
    | "no_org_for_domain"
    | "unverified_claim_ignored"
    | "verified_domain"
    | "verified_parent_domain"
    | "multiple_orgs"
    | "org_disabled"
    | "disabled_org_skipped"
    | "connection_active"
    | "no_active_connection"
    | "sso_required"
    | "candidates_truncated"
  )[];
}

/** Counts after `load` or `apply_changes`. */
export interface Stats {
  version: number;
  orgs: number;
  domains: number;
  connections: number;
  users: number;
  memberships: number;
  quarantined_orgs: number;
}

/** Who asks: a directory user, or a support staff member (who needs a grant). */
export type Principal = { user: string } | { staff: string };

/** What a request acts on: its type (`Member`, `App::Document`), id and org. */
export interface ResourceRef {
  type: string;
  id: string;
  org?: string;
  attrs?: { [key: string]: Json };
}

/** An explicit, audited grant for staff to act in an org until `expires_at`. */
export interface SupportGrant {
  id: string;
  staff_id: string;
  org_id: string;
  reason: string;
  actions: string[];
  expires_at: number;
}

/** `authorize` input. */
export interface AuthorizeRequest {
  principal: Principal;
  active_org: string;
  action: string;
  resource: ResourceRef;
  now: number;
  context?: { [key: string]: Json };
  grant?: SupportGrant;
  /** The id of the decision's audit event (needed to record it, and to sample allows by). */
  event_id?: string;
  audit_context?: AuditContext;
}

/** `check` input: an `authorize` input without the fields of an audited decision. */
export type CheckRequest = Omit<AuthorizeRequest, "grant" | "event_id" | "audit_context">;

/** `check` result: `authorize`'s decision, policies and errors for the same request. */
export type Check = Pick<AuthzDecision, "decision" | "policies" | "errors">;

/** Where a request came from, as the host saw it. */
export interface AuditContext {
  ip?: string;
  user_agent?: string;
  request_id?: string;
}

/** One audit event (the schema of `orgkit::audit`). */
export interface AuditEvent {
  id: string;
  org_id: string;
  /** Dotted: `authz.decision`, `scim.user.created`, `session.org_switched`, … */
  action: string;
  version: number;
  occurred_at: number;
  actor: { type: string; id: string; display?: string };
  targets: { type: string; id: string; display?: string }[];
  context: AuditContext;
  outcome: "success" | "failure" | "allow" | "deny";
  metadata: { [key: string]: Json };
}

/** `authorize` result. */
export interface AuthzDecision {
  decision: "allow" | "deny";
  policies: string[];
  errors: { policy: string; message: string }[];
  membership: { status: "active" | "invited" | "suspended" | "none"; roles: string[] };
  /** `authz.decision`, metadata `{requested_action, policies}`. */
  event: AuditEvent;
}

/** `scim_authenticate` result. */
export interface ScimCaller {
  org_id: string;
  token_id: string;
}

/** `scim_write` input: the request as received, and what the host holds of its resource. */
export interface ScimWriteInput {
  authorization: string;
  method: string;
  path: string;
  query?: string;
  headers?: { content_type?: string; if_match?: string; if_none_match?: string };
  body?: string;
  current?: Json;
  current_version?: string;
  new_id?: string;
  groups?: { id: string; display_name: string }[];
  now: number;
  /** The id of the change's audit event. */
  event_id: string;
  audit_context?: AuditContext;
}

/** A session to check: a token for the engine to verify, or claims the host verified (WebCrypto). */
export interface SessionInput {
  token?: string;
  verified_claims?: { [claim: string]: Json };
  /** The host's clock, Unix seconds. */
  now: number;
  /** The org the user chose (a token bound to an org resolves to that org only). */
  org_id?: string;
}

/** `session_verify` result. */
export interface VerifiedToken {
  issuer: string;
  kid?: string;
  algorithm?: string;
  user_id: string;
  org_id?: string;
  expires_at: number;
  claims: { [claim: string]: Json };
}

/** A feature flag or entitlement value. */
export type FlagValue = boolean | number | string;

/** A session bound to one active org. */
export interface ActiveSession {
  user_id: string;
  org_id: string;
  issuer: string;
  expires_at: number;
  membership: { status: string; roles: string[] };
  permissions: string[];
  feature_flags: { [flag: string]: FlagValue };
}

/** `session_resolve` result. */
export type SessionOutcome =
  | ({ status: "active" } & ActiveSession)
  | {
      status: "organization_selection_required";
      user_id: string;
      candidates: { org_id: string; slug: string; name: string; roles: string[] }[];
      truncated: boolean;
    }
  | { status: "no_organization"; user_id: string };

/** `session_switch_org` result: the signed org-scoped token and its audit event. */
export interface SignedSession {
  token: string;
  claims: { [claim: string]: Json };
  session: ActiveSession;
  event: AuditEvent;
}

/** One SQL statement of the engine and its parameters, in placeholder order. */
export interface SqlStatement {
  sql: string;
  params: (string | number | boolean | null)[];
}

/** A JSON object: a SCIM resource or message, a host's record. */
export type JsonObject = { [key: string]: Json };

/** The SQL dialect of the engine's statements. */
export type SqlDialect = "sqlite" | "postgres";

/** A SCIM resource type. */
export type ScimKind = "User" | "Group";

/** `normalize_email` result. */
export interface NormalizedEmail {
  email: string;
  local: string;
  /** The domain in ASCII (IDNA): what routing compares. */
  domain: string;
  domain_unicode: string;
}

/** `normalize_domain` result. */
export interface NormalizedDomain {
  domain: string;
  unicode: string;
  /** A consumer mail domain (never claimable by an org). */
  consumer: boolean;
  public_suffix: boolean;
}

/** `org_by_slug` result: what a login screen needs. */
export interface OrgProfile {
  id: string;
  slug: string;
  name: string;
  status: "active" | "disabled";
  require_sso: boolean;
  branding?: { [field: string]: string };
}

/** `check_assertion_email` result: whether an IdP's asserted email may sign in to the org. */
export interface AssertionCheck {
  accepted: boolean;
  email: string;
  domain: string;
  matched_domain?: string;
  reasons: (
    | "verified_domain"
    | "verified_parent_domain"
    | "domain_unverified"
    | "domain_not_in_org"
    | "domain_not_served_by_connection"
    | "connection_inactive"
    | "org_disabled"
  )[];
}

/** A user's membership of an org, as the directory holds it. */
export interface MembershipRecord {
  user_id: string;
  org_id: string;
  roles: string[];
  status: "active" | "invited" | "suspended";
  joined_at?: string;
  authenticated_via?: string;
}

/** The audit fields of an audited change set (`apply_changes`). */
export interface ChangeAudit {
  actor: AuditEvent["actor"];
  now: number;
  event_id_prefix: string;
  audit_context?: AuditContext;
}

/** An audit event with its place in its org's hash chain. */
export type ChainedEvent = AuditEvent & { seq: number; prev_hash: string; hash: string };

/** An audit event as an input: `version` (1), `targets`, `context` and `metadata` (empty) may
 *  be left out. */
export type AuditEventInput = Omit<AuditEvent, "version" | "targets" | "context" | "metadata"> &
  Partial<Pick<AuditEvent, "version" | "targets" | "context" | "metadata">>;

/** A chained audit event as an input. */
export type ChainedEventInput = AuditEventInput & { seq: number; prev_hash: string; hash: string };

/** The directory document: what `load` takes and `export` gives (`schema_version` 1). */
export interface DirectoryDoc {
  schema_version: number;
  orgs?: Organization[];
  users?: DirectoryUser[];
  /** `roles` may be left out (none). */
  memberships?: (Omit<MembershipRecord, "roles"> & { roles?: string[] })[];
}

/** An organization (tenant) of the directory. */
export interface Organization {
  id: string;
  name: string;
  /** Unique, lowercase: what a login URL names. */
  slug: string;
  status?: "active" | "disabled";
  domains?: { domain: string; verification: "verified" | "pending" | "failed"; include_subdomains?: boolean }[];
  sso_connections?: SsoConnection[];
  require_sso?: boolean;
  scim?: ScimSettings;
  branding?: Branding;
  /** Custom roles and the permissions (action names) they grant. */
  roles?: { key: string; name?: string; permissions?: string[] }[];
  feature_flags?: { [flag: string]: FlagValue };
  /** The parent org, whose branding and flags this org inherits. */
  parent_id?: string;
  /** The org's own Cedar policies, scoped to its resources. */
  policies?: { id: string; cedar: string }[];
  audit?: AuditSettings;
}

/** An SSO connection to an organization's identity provider. */
export interface SsoConnection {
  id: string;
  name?: string;
  protocol: "saml" | "oidc";
  status: "active" | "draft" | "disabled";
  /** The org's domains it serves (all of them when empty). */
  domains?: string[];
  saml?: { idp_entity_id: string; sso_url: string; signing_certificates?: string[] };
  oidc?: { issuer: string; client_id: string; client_secret_ref?: string; scopes?: string[] };
}

/** How an organization's SCIM provisioning works. */
export interface ScimSettings {
  enabled?: boolean;
  /** Bearer tokens, stored as the SHA-256 of the token (`scim_mint_token`). */
  tokens?: { id: string; sha256: string }[];
  profile?: string;
  mapping?: {
    attributes?: { [field: string]: string[] };
    roles?: { group?: string; group_id?: string; attribute?: string; equals?: string; delimiter?: string; role: string }[];
    role_selection?: "all" | "first";
    default_role?: string;
    deprovision?: "suspend" | "remove";
    patch_tolerance?: ScimPatchTolerance;
    missing_email?: "unlinked" | "reject";
  };
}

/** Login-screen branding. */
export interface Branding {
  logo_url?: string;
  primary_color?: string;
  secondary_color?: string;
  login_title?: string;
  login_subtitle?: string;
  login_button_text?: string;
  custom_css?: string;
}

/** A user of the directory. */
export interface DirectoryUser {
  id: string;
  email: string;
  name?: string;
}

/** A key that verifies (or, for `signing`, signs) tokens: PEM, base64 DER or an HMAC secret. */
export interface KeyOptions {
  kid: string;
  algorithm: string;
  pem?: string;
  der?: string;
  secret?: string;
}

/** A token issuer the engine trusts (`options.sessions.issuers`). */
export interface IssuerOptions {
  issuer: string;
  audiences: string[];
  /** The signature algorithms accepted from this issuer (an allow-list). */
  algorithms: string[];
  /** The issuer's public keys as a JWKS document. */
  jwks?: { keys: object[] };
  keys?: KeyOptions[];
  leeway_seconds?: number;
  /** The claim naming the user (default `sub`) and the org (default `org_id`). */
  user_claim?: string;
  org_claim?: string;
}

/** The key and claims of the org-scoped session tokens the engine signs. */
export interface SigningOptions {
  issuer: string;
  audience: string;
  key: KeyOptions;
  ttl_seconds?: number;
}

/** `options.sessions`: accepted issuers and the signing key. */
export interface SessionsOptions {
  issuers?: IssuerOptions[];
  signing?: SigningOptions;
  max_token_bytes?: number;
}

/** A limit of the engine (`Limits` in the Rust core). */
export type Limit =
  | "max_orgs"
  | "max_users"
  | "max_memberships"
  | "max_domains_per_org"
  | "max_connections_per_org"
  | "max_roles_per_org"
  | "max_permissions_per_role"
  | "max_roles_per_membership"
  | "max_flags_per_org"
  | "max_scim_tokens"
  | "max_certificates"
  | "max_text_bytes"
  | "max_css_bytes"
  | "max_certificate_bytes"
  | "max_policies_per_org"
  | "max_policy_bytes"
  | "max_batch"
  | "max_org_depth"
  | "max_picker_candidates"
  | "max_problems"
  | "max_input_bytes"
  | "max_filter_bytes"
  | "max_filter_depth"
  | "max_patch_operations"
  | "max_page_size"
  | "max_scim_body_bytes"
  | "max_scim_query_bytes";

/** What a host gives `load` besides the directory (`options`). */
export interface DirectoryLoadOptions {
  /** Sizes, counts and depths the directory and inputs are held to; each has a default. */
  limits?: Partial<Record<Limit, number>>;
  extra_consumer_domains?: string[];
  authz?: { schema?: string; host_context?: string; policies?: string };
  sessions?: SessionsOptions;
  feature_flags?: { [flag: string]: FlagValue };
  branding?: Branding;
}

/** An attribute path of SCIM: `urn:…:User:name.givenName` is `{schema, attr, sub_attr}`. */
export interface ScimAttrPath {
  schema?: string;
  attr: string;
  sub_attr?: string;
}

/** A parsed SCIM filter (RFC 7644 §3.4.2.2). */
export type ScimFilter =
  | { op: "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "lt" | "ge" | "le"; path: ScimAttrPath; value: null | boolean | number | string }
  | { op: "pr"; path: ScimAttrPath }
  | { and: ScimFilter[] }
  | { or: ScimFilter[] }
  | { not: ScimFilter }
  | { path: ScimAttrPath; filter: ScimFilter };

/** `attributes` and `excludedAttributes` of a SCIM request. */
export interface ScimProjection {
  attributes: ScimAttrPath[];
  excluded_attributes: ScimAttrPath[];
}

/** A SCIM list's filter, page, sort and projection. */
export interface ScimListQuery {
  filter: ScimFilter | null;
  start_index: number;
  count: number;
  sort_by: ScimAttrPath | null;
  sort_order: "ascending" | "descending";
  projection: ScimProjection;
}

/** A SCIM request as the host received it (`scim_parse_request`). */
export interface ScimRequest {
  method: string;
  path: string;
  query?: string;
  headers?: { content_type?: string; if_match?: string; if_none_match?: string };
  body?: string;
}

/** The endpoint and operation of a SCIM request. */
export type ScimOperation =
  | { op: "list"; kind: ScimKind | null; query: ScimListQuery }
  | { op: "get"; kind: ScimKind; id: string; projection: ScimProjection }
  | { op: "create"; kind: ScimKind; resource: JsonObject; projection: ScimProjection }
  | { op: "replace"; kind: ScimKind; id: string; resource: JsonObject; projection: ScimProjection }
  | { op: "patch"; kind: ScimKind; id: string; patch: JsonObject; projection: ScimProjection }
  | { op: "delete"; kind: ScimKind; id: string }
  | { op: "service_provider_config" }
  | { op: "resource_types" }
  | { op: "resource_type"; name: string }
  | { op: "schemas" }
  | { op: "schema"; id: string };

/** A group a user belongs to, for role mapping. */
export interface ScimGroupRef {
  id: string;
  display_name: string;
}

/** The engine's reading of a SCIM User for the directory (`scim_map_user`). */
export interface MappedUser {
  email: string;
  fields: { [field: string]: string };
  active: boolean;
  /** The membership status the mapping gives, or null to leave it. */
  status: "active" | "suspended" | null;
  roles: string[];
  /** The indexes of the org's role-mapping rules that matched. */
  matched_rules: number[];
}

/** Which common IdP deviations from RFC 7644 a PATCH accepts (each on unless set to `false`;
 *  all `false` is strict RFC 7644). */
export interface ScimPatchTolerance {
  op_any_case?: boolean;
  string_booleans?: boolean;
  dotted_value_keys?: boolean;
  remove_by_value?: boolean;
  readonly_echo?: boolean;
  empty_operations?: boolean;
  wrap_single_values?: boolean;
  add_creates_filtered_value?: boolean;
}

/** One change a PATCH made. */
export interface ScimChange {
  kind: "added" | "removed" | "replaced";
  path: string;
  old?: Json;
  new?: Json;
}

/** The group members a change added and removed. */
export interface ScimMemberChanges {
  added: string[];
  removed: string[];
}

/** `scim_write` result: the change to store, with its audit event. */
export interface ScimWriteResult {
  caller: ScimCaller;
  action: "created" | "replaced" | "patched" | "deleted";
  kind: ScimKind;
  id: string;
  /** The resource to store (absent after a delete). */
  resource?: JsonObject;
  /** A User's reading for the directory. */
  user?: MappedUser;
  /** For a User left unlinked (its org's mapping says `missing_email: unlinked`): the error
   *  mapping it gave. There is no `user` then, and the membership is removed. */
  unlinked?: EngineError;
  /** What the write does to the user's membership of the org. */
  membership: { op: "upsert"; status: MembershipRecord["status"]; roles: string[] } | { op: "remove" } | { op: "unchanged" };
  /** For a Group: the roles its members get through the org's group rules. */
  group_roles?: string[];
  member_changes: ScimMemberChanges;
  /** Every change of a PATCH, with values. */
  changes?: ScimChange[];
  /** The audit event to store with the change (its metadata names the changed paths, not
   *  their values). */
  event: AuditEvent;
}

/** `scim_sort` input: resources kept in memory, with what their reference-table rows would hold
 *  (times in microseconds), sorted like `sql_scim_list`. */
export interface ScimSortInput {
  resources: { kind: ScimKind; id: string; created_at: number; updated_at: number; resource: Json }[];
  kind?: ScimKind;
  sort_by?: string;
  sort_order?: string;
}

/** `sql_scim_list` input: one org's SCIM list over the reference tables; without `kind`, Users
 *  and Groups together. `filter`, `sort_by` and `sort_order` are the texts SCIM sends. */
export interface ScimListInput {
  dialect: SqlDialect;
  org_id: string;
  kind?: ScimKind;
  filter?: string;
  sort_by?: string;
  sort_order?: string;
  offset?: number;
  limit: number;
}

/** A SCIM resource as the reference tables store it (times in microseconds). */
export interface StoredScim {
  org_id: string;
  kind: ScimKind;
  id: string;
  created_at: number;
  updated_at: number;
  version: string;
  resource: Json;
}

/** Audit redaction and sampling of an org (`audit_record`'s `settings`). */
export interface AuditSettings {
  redaction?: { drop?: string[]; hash?: string[]; salt?: string };
  allow_sample_per_10k?: number;
}

/** An audit log query (`audit_query`). */
export interface AuditQuery {
  orgs: string[];
  from?: number;
  to?: number;
  actions?: string[];
  actors?: string[];
  targets?: string[];
  outcomes?: AuditEvent["outcome"][];
  after_seq?: number;
  limit?: number;
}

/** Every operation of the JSON call API: its input (on an engine; a stateless call adds
 *  `directory`, `options` and `changes`) and its `ok` value. test/vector-types.mjs checks both
 *  against every conformance vector. */
export interface Ops {
  normalize_email: { input: { email: string }; output: NormalizedEmail };
  normalize_domain: { input: { domain: string }; output: NormalizedDomain };
  /** Loads and validates a directory document and makes it current. */
  load: { input: { directory: DirectoryDoc; options?: DirectoryLoadOptions }; output: Stats };
  /** Applies a change set all or nothing; with `audit`, returns one event per change. */
  apply_changes: { input: { changes: Json; audit?: ChangeAudit }; output: Stats & { events?: AuditEvent[] } };
  stats: { input: Record<string, never>; output: Stats };
  /** The current directory as a canonical directory document. */
  export: { input: Record<string, never>; output: DirectoryDoc };
  route: { input: { email: string }; output: RouteDecision };
  org_by_slug: { input: { slug: string }; output: OrgProfile };
  check_assertion_email: { input: { org_id: string; connection_id?: string; email: string }; output: AssertionCheck };
  membership: { input: { user_id: string; org_id: string }; output: MembershipRecord };
  user_memberships: { input: { user_id: string }; output: MembershipRecord[] };
  authorize: { input: AuthorizeRequest; output: AuthzDecision };
  /** Each request decided on its own: one bad request fails alone. */
  authorize_batch: { input: { requests: AuthorizeRequest[] }; output: ({ ok: AuthzDecision } | { error: EngineError })[] };
  /** `authorize` without the audit event; a plain input goes in with no JSON text. */
  check: { input: CheckRequest; output: Check };
  allowed_actions: { input: Omit<AuthorizeRequest, "action" | "event_id" | "audit_context">; output: string[] };
  /** The orgs whose own policies were refused at load (quarantined), and why. */
  refused_policies: { input: Record<string, never>; output: { org_id: string; refused: { id: string; diagnostics: string }[] }[] };
  scim_hash_token: { input: { token: string }; output: { sha256: string } };
  scim_mint_token: { input: { random: string }; output: { token: string; sha256: string } };
  scim_authenticate: { input: { authorization: string }; output: ScimCaller };
  scim_parse_filter: { input: { filter: string }; output: ScimFilter };
  scim_filter_matches: { input: { filter: string; resource: Json }; output: boolean };
  scim_filter_sql: { input: { filter: string; resource_type: ScimKind; dialect: SqlDialect }; output: SqlStatement };
  scim_map_user: { input: { org_id: string; user: Json; groups?: ScimGroupRef[] }; output: MappedUser };
  scim_patch: {
    input: { resource: Json; patch: Json; org_id?: string; tolerance?: ScimPatchTolerance };
    output: { resource: JsonObject; changes: ScimChange[]; member_changes: ScimMemberChanges };
  };
  scim_parse_request: {
    input: ScimRequest;
    output: { operation: ScimOperation; if_match: string | null; if_none_match: string | null };
  };
  scim_response: {
    input: {
      resource: Json;
      kind: ScimKind;
      id: string;
      created_ms: number;
      last_modified_ms: number;
      version: string;
      base_url: string;
      projection?: Partial<ScimProjection>;
    };
    output: JsonObject;
  };
  scim_list_response: { input: { resources: Json[]; total: number; start_index: number }; output: JsonObject };
  /** An engine error as a SCIM error body, with its HTTP status. */
  scim_error_response: {
    input: { error: EngineError };
    output: { schemas: string[]; status: string; scimType?: string; detail: string; http_status: number };
  };
  scim_etag_matches: { input: { header: string; version: string }; output: boolean };
  scim_discovery: { input: { document: "ServiceProviderConfig" | "ResourceTypes" | "Schemas"; base_url: string }; output: JsonObject };
  scim_sort: { input: ScimSortInput; output: number[] };
  scim_write: { input: ScimWriteInput; output: ScimWriteResult };
  /** Chains an event after `previous` (redacted and sampled by `settings`). */
  audit_record: {
    input: { event: AuditEventInput; previous?: ChainedEventInput; settings?: AuditSettings };
    output: { recorded: boolean; event?: ChainedEvent };
  };
  audit_verify_chain: {
    input: { events: ChainedEventInput[]; anchor?: { seq: number; hash: string } };
    output: {
      valid: boolean;
      checked: number;
      broken?: { index: number; seq: number; problem: "bad_start" | "edited" | "gap" | "reordered" | "unlinked" | "wrong_org" };
    };
  };
  /** `jsonl` and `csv` are text; `cloudevents` is a list of CloudEvents. */
  audit_export: { input: { events: ChainedEventInput[]; format: "jsonl" | "csv" | "cloudevents"; source?: string }; output: string | JsonObject[] };
  /** The SQL of an audit log query the caller may run, and the audit event of running it. */
  audit_query: {
    input: {
      caller: { principal: Principal; active_org: string; grants?: SupportGrant[]; now: number; event_id: string };
      query: AuditQuery;
      dialect?: SqlDialect;
    };
    output: { sql: SqlStatement; order_and_limit: string; event: AuditEvent };
  };
  session_verify: { input: SessionInput; output: VerifiedToken };
  session_resolve: { input: SessionInput; output: SessionOutcome };
  session_switch_org: {
    input: Omit<SessionInput, "org_id"> & { org_id: string; token_id: string; event_id: string; audit_context?: AuditContext };
    output: SignedSession;
  };
  feature_flags: { input: { org_id: string }; output: { [flag: string]: FlagValue } };
  branding_resolve: {
    input: { email?: string; slug?: string; connection_id?: string };
    output: {
      org: { id: string; slug: string; name: string; require_sso: boolean } | null;
      branding: { [field: string]: string };
      sources: { [field: string]: string };
    };
  };
  sql_schema: { input: { dialect: SqlDialect }; output: string[] };
  sql_scim_put: { input: { dialect: SqlDialect; stored: StoredScim }; output: SqlStatement[] };
  sql_scim_delete: { input: { dialect: SqlDialect; org_id: string; kind: ScimKind; id: string }; output: SqlStatement[] };
  /** The statements that count the list's resources and read one sorted page. */
  sql_scim_list: { input: ScimListInput; output: { count: SqlStatement; page: SqlStatement } };
  sql_audit_append: { input: { dialect: SqlDialect; event: ChainedEventInput }; output: SqlStatement[] };
}

/** An operation's name. */
export type OpName = keyof Ops;
/** An operation's input on an engine. */
export type OpInput<K extends OpName> = Ops[K]["input"];
/** An operation's `ok` value. */
export type OpOutput<K extends OpName> = Ops[K]["output"];

/** `snake_case` to `camelCase`. */
type Camel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

/** One method per operation (`route`, `authorizeBatch`, `scimWrite`, …); an input with no
 *  required field may be left out. */
export type OpMethods = {
  [K in OpName as Camel<K>]: (...input: {} extends OpInput<K> ? [input?: OpInput<K>] : [input: OpInput<K>]) => OpOutput<K>;
};

/** Input of an operation given by name (`call`). */
export type Input = { [key: string]: Json | object | undefined };

/** An engine holding a directory inside its Wasm instance. */
export interface Engine extends OpMethods {
  /** Runs `op` with `input` and returns its `ok` value; throws OrgkitError. */
  call(op: string, input?: Input): Json;
  /** The raw call: JSON text in, envelope text out. */
  callJson(op: string, inputText: string): string;
  /** Frees the instance memory the engine holds. */
  free(): void;
}

/** One loaded Wasm instance of the engine. */
export interface Orgkit {
  Engine: new () => Engine;
  /** Runs `op` statelessly: `input` may carry `directory`, `options` and `changes`. */
  call(op: string, input?: Input): Json;
  /** The raw stateless call: JSON text in, envelope text out. */
  callJson(op: string, inputText: string): string;
  /** Every operation name. */
  readonly ops: string[];
  /** The engine version. */
  readonly version: string;
}

/** Where the `.wasm` comes from (default: next to the package files). */
export interface LoadOptions {
  wasm?: BufferSource | WebAssembly.Module | Response | URL | string;
  /**
   * Which of the package's builds to read when `wasm` is not given: "fast" (the default,
   * compiled for speed) or "small" (compiled for size). Both give the same answers.
   */
  build?: "fast" | "small";
  /** The glue module `pkg/orgkit_wasm.js`, for runtimes that cannot import it by URL. */
  glue?: object;
}

/** Loads an independent engine instance. */
export declare function loadOrgkit(options?: LoadOptions): Promise<Orgkit>;
