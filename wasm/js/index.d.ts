// Types of @orgkit/engine. The wire model is the engine's JSON call API (see the repository
// README); the inputs and results of the main operations are typed here, the rest are JSON.

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One problem of a validation error. */
export interface Problem {
  path: string;
  code: string;
  reason?: string;
  message: string;
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
  reasons: string[];
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

export type Principal = { user: string } | { staff: string };

export interface ResourceRef {
  type: string;
  id: string;
  org?: string;
  attrs?: { [key: string]: Json };
}

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

/** `sql_scim_list` input: one org's SCIM list over the reference tables; without `kind`, Users
 *  and Groups together. `filter`, `sort_by` and `sort_order` are the texts SCIM sends. */
export interface ScimListInput {
  dialect: "sqlite" | "postgres";
  org_id: string;
  kind?: "User" | "Group";
  filter?: string;
  sort_by?: string;
  sort_order?: string;
  offset?: number;
  limit: number;
}

/** `scim_sort` input: resources kept in memory, with what their reference-table rows would hold
 *  (times in microseconds), sorted like `sql_scim_list`. */
export interface ScimSortInput {
  resources: { kind: "User" | "Group"; id: string; created_at: number; updated_at: number; resource: Json }[];
  kind?: "User" | "Group";
  sort_by?: string;
  sort_order?: string;
}

/** Input of an operation that runs on the engine's directory (or statelessly, with one). */
export type Input = { [key: string]: Json | object | undefined };

/** An engine holding a directory inside its Wasm instance. */
export interface Engine {
  /** Runs `op` with `input` and returns its `ok` value; throws OrgkitError. */
  call(op: string, input?: Input): Json;
  /** The raw call: JSON text in, envelope text out. */
  callJson(op: string, inputText: string): string;
  /** Frees the instance memory the engine holds. */
  free(): void;
  load(input: { directory: Json; options?: Json }): Stats;
  applyChanges(input: {
    changes: Json;
    audit?: { actor: AuditEvent["actor"]; now: number; event_id_prefix: string; audit_context?: AuditContext };
  }): Stats & { events?: AuditEvent[] };
  route(input: { email: string }): RouteDecision;
  authorize(input: AuthorizeRequest): AuthzDecision;
  authorizeBatch(input: { requests: AuthorizeRequest[] }): ({ ok: AuthzDecision } | { error: Problem })[];
  /** `authorize` without the audit event; a plain input goes in with no JSON text. */
  check(input: CheckRequest): Check;
  allowedActions(input: Omit<AuthorizeRequest, "action">): string[];
  scimAuthenticate(input: { authorization: string }): ScimCaller;
  scimWrite(input: ScimWriteInput): Json;
  /** The positions of `resources` in list order. */
  scimSort(input: ScimSortInput): number[];
  /** The statements that count the list's resources and read one sorted page. */
  sqlScimList(input: ScimListInput): { count: SqlStatement; page: SqlStatement };
  sessionVerify(input: SessionInput): VerifiedToken;
  sessionResolve(input: SessionInput): SessionOutcome;
  sessionSwitchOrg(
    input: Omit<SessionInput, "org_id"> & { org_id: string; token_id: string; event_id: string; audit_context?: AuditContext },
  ): SignedSession;
  featureFlags(input: { org_id: string }): { [flag: string]: FlagValue };
  brandingResolve(input: { email?: string; slug?: string; connection_id?: string }): {
    org: { id: string; slug: string; name: string; require_sso: boolean } | null;
    branding: { [field: string]: string };
    sources: { [field: string]: string };
  };
  /** Every other operation, by its camelCase name. */
  [method: string]: unknown;
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
