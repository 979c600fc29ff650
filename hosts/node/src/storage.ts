// The storage interface of the host adapter: everything the routes read and write goes through
// these types, so a host brings its own database (or Workers binding) by implementing `Store`.
// Reads are asynchronous; writes run inside `Store.transaction`, whose work is synchronous so a
// SQLite transaction (better-sqlite3) can hold it whole, with the engine's calls inside it.

import type {
  ChainedEvent as EngineChainedEvent, DirectoryDoc, DirectoryLoadOptions, Json, OpOutput, ScimKind as EngineScimKind,
  SqlStatement,
} from "@orgkit/engine";

/** A directory change set as the engine's `apply_changes` takes it. */
export type ChangeSet = {
  schema_version: 1;
  changes: Json[];
};

/** The directory document (`schema_version`, `orgs`, `users`, `memberships`) and load options. */
export interface DirectorySnapshot {
  directory: DirectoryDoc;
  options?: DirectoryLoadOptions;
}

/**
 * A snapshot as a source may hand it out: the directory as the JSON text it is stored as. It goes
 * to the engine as it is, so a large document is neither parsed nor re-serialised in JS.
 */
export interface DirectorySnapshotText {
  directoryText: string;
  options?: DirectoryLoadOptions;
}

/** A change set in the store's log, numbered from 1 in the order it was appended. */
export interface LoggedChangeSet {
  seq: number;
  changes: ChangeSet;
}

/** Where the engine's directory comes from: one whole document plus a log of change sets. */
export interface DirectorySource {
  /** The whole directory document (or its stored text), and the seq of the last change set it
   *  already includes. */
  snapshot(): Promise<{ snapshot: DirectorySnapshot | DirectorySnapshotText; seq: number }>;
  /** The change sets appended after `seq`, oldest first. */
  changesSince(seq: number): Promise<LoggedChangeSet[]>;
  /** Replaces the directory document (given either way `snapshot` hands it out), which then
   *  counts as including every change set logged so far (seeding, full reloads). */
  putSnapshot(snapshot: DirectorySnapshot | DirectorySnapshotText): Promise<void>;
}

/** A membership as stored: the directory's record of a user in an org. */
export interface StoredMembership {
  user_id: string;
  org_id: string;
  roles: string[];
  status: "active" | "invited" | "suspended";
}

/** Membership lookup: the memberships of the snapshot, as SCIM writes have since changed them. */
export interface MembershipLookup {
  /** The user's membership in the org, if any. */
  membership(orgId: string, userId: string): Promise<StoredMembership | undefined>;
}

/** An audit event as the engine's `audit_record` returns it: chained, with `seq` and hashes. */
export type ChainedEvent = EngineChainedEvent;

/** A parameterised SQL `WHERE` fragment from the engine (`scim_filter_sql`, `audit_query`). */
export type SqlFragment = SqlStatement;

/** The engine's plan of an audit query (`audit_query`): the SQL to run over `audit_events`. */
export type AuditQueryPlan = Pick<OpOutput<"audit_query">, "sql" | "order_and_limit">;

/** The audit sink: per-org hash-chained logs. */
export interface AuditSink {
  /** Every event of the org's log in `seq` order (for chain verification and export). */
  events(orgId: string): Promise<ChainedEvent[]>;
  /** Runs a query the engine planned; stores that cannot run SQL refuse with `not_implemented`. */
  query(plan: AuditQueryPlan): Promise<ChainedEvent[]>;
}

/** `User` or `Group`, as the engine names SCIM resource types. */
export type ScimKind = EngineScimKind;

/** A SCIM resource as stored, with what `scim_response` needs to shape its `meta`. */
export interface StoredResource {
  kind: ScimKind;
  id: string;
  /** The resource as the engine's `scim_write` returned it (no `meta`). */
  resource: { [key: string]: Json };
  /** The opaque version behind the ETag (a counter). */
  version: string;
  created_ms: number;
  last_modified_ms: number;
}

/**
 * A list request as a store runs it: SQL stores hand its texts to the engine's `sql_scim_list`
 * (filter, sort and page in one statement); stores without SQL filter with `matches` and order
 * with `sort`, the engine's predicate and order (`scim_filter_matches`, `scim_sort`).
 */
export interface ScimListQuery {
  /** `User` or `Group`; absent lists both together (a root-level `POST /.search`). */
  kind?: ScimKind;
  /** The `filter`, as sent; absent lists everything. */
  filter?: string;
  /** `sortBy` and `sortOrder`, as sent; without `sortBy`, oldest first. */
  sortBy?: string;
  sortOrder?: string;
  /** Zero-based position of the page's first resource. */
  offset: number;
  /** At most this many resources. */
  limit: number;
  /** Whether a stored resource matches `filter` (`scim_filter_matches`). */
  matches(stored: StoredResource): boolean;
  /** The resources in list order (`scim_sort`); throws for an unsortable `sortBy`. */
  sort(resources: StoredResource[]): StoredResource[];
}

/** A group a user belongs to, as `scim_write` takes it for group → role rules. */
export interface GroupRef {
  id: string;
  display_name: string;
}

/** The SCIM resource store: Users and Groups, each org apart. */
export interface ScimStore {
  /** The resource, if the org has it. */
  get(orgId: string, kind: ScimKind, id: string): Promise<StoredResource | undefined>;
  /** The total of the resources `query` matches, and its page of them, in its order. */
  list(orgId: string, query: ScimListQuery): Promise<{ total: number; resources: StoredResource[] }>;
  /** The org's groups that list the user as a member. */
  groupsOf(orgId: string, userId: string): Promise<GroupRef[]>;
}

/** The writes of one transaction; reads inside it see its own writes. */
export interface WriteTransaction {
  /** The last event of the org's audit log (the `previous` of `audit_record`). */
  lastEvent(orgId: string): ChainedEvent | undefined;
  /** The stored SCIM resource, read inside the transaction (for `If-Match` and PATCH). */
  resource(orgId: string, kind: ScimKind, id: string): StoredResource | undefined;
  /** Appends a chained event to its org's log. */
  appendEvent(event: ChainedEvent): void;
  /** Creates or replaces a SCIM resource. */
  putResource(orgId: string, stored: StoredResource): void;
  /** Removes a SCIM resource. */
  deleteResource(orgId: string, kind: ScimKind, id: string): void;
  /** The user's membership in the org, if any. */
  membership(orgId: string, userId: string): StoredMembership | undefined;
  /** Creates or replaces a membership. */
  putMembership(membership: StoredMembership): void;
  /** Removes a membership. */
  removeMembership(orgId: string, userId: string): void;
  /** Appends a change set to the directory's log and returns its seq. */
  appendChanges(changes: ChangeSet): number;
}

/** Every store the adapter needs, and all-or-nothing writes across them. */
export interface Store {
  directory: DirectorySource;
  memberships: MembershipLookup;
  audit: AuditSink;
  scim: ScimStore;
  /** Runs `work` in one transaction: everything it wrote is kept, or nothing if it throws. */
  transaction<T>(work: (tx: WriteTransaction) => T): Promise<T>;
}
