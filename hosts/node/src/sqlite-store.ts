// The SQLite Store (better-sqlite3, Node only). Its tables are the engine's reference tables:
// the engine gives their schema and the statements that write them
// (`sql_schema`, `sql_scim_put`, `sql_scim_delete`, `sql_audit_append`), so SCIM lists
// (`sql_scim_list`: filter, sort and page) and audit queries run as the SQL the engine planned,
// with its parameters bound.
// better-sqlite3 is synchronous, so one `transaction` is one SQLite transaction holding the
// engine calls made inside it.

import Database from "better-sqlite3";
import type { Input, DirectoryLoadOptions, Orgkit } from "@orgkit/engine";
import type {
  AuditSink, ChainedEvent, DirectorySource, MembershipLookup, ScimKind, ScimStore, SqlFragment,
  Store, StoredMembership, StoredResource, WriteTransaction,
} from "./storage.js";
import { directoryOf, membershipsOf } from "./records.js";

type Row = Record<string, unknown>;

/** Engine parameters as better-sqlite3 binds them (booleans are 0 or 1 in SQLite). */
const bind = (params: SqlFragment["params"]) => params.map((p) => (typeof p === "boolean" ? Number(p) : p));

const TABLES: Record<ScimKind, string> = { User: "scim_users", Group: "scim_groups" };

const micros = (ms: number) => ms * 1000;

/** An SQL statement of the engine, its parameters already in SQLite's types. */
type Statement = { sql: string; params: (string | number | null)[] };


function storedOf(kind: ScimKind, row: Row): StoredResource {
  return {
    kind,
    id: row.id as string,
    resource: JSON.parse(row.resource as string),
    version: row.version as string,
    created_ms: (row.created_at as number) / 1000,
    last_modified_ms: (row.updated_at as number) / 1000,
  };
}

/** A Store in one SQLite database file (or `:memory:`). */
export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #orgkit: Orgkit;

  /**
   * Opens (or creates) the database at `path` and creates the tables if missing; `orgkit`
   * (a loaded engine instance) gives the reference tables' SQL.
   */
  constructor(path: string, orgkit: Orgkit) {
    this.#db = new Database(path);
    this.#orgkit = orgkit;
    this.#db.pragma("journal_mode = WAL");
    for (const sql of orgkit.call("sql_schema", { dialect: "sqlite" }) as string[]) this.#db.exec(sql);
  }

  /** Closes the database. */
  close(): void {
    this.#db.close();
  }

  /** The directory document and its change log. */
  readonly directory: DirectorySource = {
    // SQLite takes the document apart (`->` gives each part's JSON text), so the directory
    // reaches the engine as text, never as a JS object graph.
    snapshot: async () => {
      const row = this.#db
        .prepare("SELECT document -> '$.directory' AS directory, document -> '$.options' AS options, seq FROM directory_snapshot WHERE id = 1")
        .get() as Row | undefined;
      if (!row) return { snapshot: { directory: { schema_version: 1 } }, seq: 0 };
      const options = row.options === null ? undefined : ((JSON.parse(row.options as string) as DirectoryLoadOptions | null) ?? undefined);
      return { snapshot: { directoryText: (row.directory as string | null) ?? "null", options }, seq: row.seq as number };
    },
    changesSince: async (seq) =>
      (this.#db.prepare("SELECT seq, changes FROM directory_changes WHERE seq > ? ORDER BY seq").all(seq) as Row[]).map(
        (row) => ({ seq: row.seq as number, changes: JSON.parse(row.changes as string) }),
      ),
    putSnapshot: async (snapshot) => {
      const memberships = membershipsOf(directoryOf(snapshot)); // also refuses text that is not JSON
      // JSON.stringify gives undefined for what JSON cannot hold (undefined, a function).
      const directory = "directoryText" in snapshot ? snapshot.directoryText : (JSON.stringify(snapshot.directory) ?? "null");
      const optionsText = JSON.stringify(snapshot.options);
      const options = optionsText === undefined ? "" : `,"options":${optionsText}`;
      this.#db.transaction(() => {
        const last = this.#db.prepare("SELECT coalesce(max(seq), 0) AS seq FROM directory_changes").get() as Row;
        this.#db
          .prepare("INSERT OR REPLACE INTO directory_snapshot (id, document, seq) VALUES (1, ?, ?)")
          .run(`{"directory":${directory}${options}}`, last.seq);
        this.#db.prepare("DELETE FROM memberships").run();
        for (const m of memberships) this.#putMembership(m);
      })();
    },
  };

  /** Membership lookup over the `memberships` table. */
  readonly memberships: MembershipLookup = {
    membership: async (orgId, userId) => this.#membership(orgId, userId),
  };

  /** The per-org audit logs (`audit_events`, `audit_event_targets`). */
  readonly audit: AuditSink = {
    events: async (orgId) =>
      (this.#db.prepare("SELECT event FROM audit_events WHERE org_id = ? ORDER BY seq").all(orgId) as Row[]).map(
        (row) => JSON.parse(row.event as string),
      ),
    query: async (plan) =>
      (
        this.#db
          .prepare(`SELECT event FROM audit_events WHERE ${plan.sql.sql} ${plan.order_and_limit}`)
          .all(...bind(plan.sql.params)) as Row[]
      ).map((row) => JSON.parse(row.event as string)),
  };

  /** The SCIM resources, in the reference tables. */
  readonly scim: ScimStore = {
    get: async (orgId, kind, id) => this.#resource(orgId, kind, id),
    list: async (orgId, query) => {
      const { count, page } = this.#orgkit.call("sql_scim_list", {
        dialect: "sqlite", org_id: orgId, offset: query.offset, limit: query.limit,
        ...(query.kind ? { kind: query.kind } : {}),
        ...(query.filter === undefined ? {} : { filter: query.filter }),
        ...(query.sortBy === undefined ? {} : { sort_by: query.sortBy }),
        ...(query.sortOrder === undefined ? {} : { sort_order: query.sortOrder }),
      }) as unknown as { count: SqlFragment; page: SqlFragment };
      const total = this.#db.prepare(count.sql).get(...bind(count.params)) as Row;
      const rows = this.#db.prepare(page.sql).all(...bind(page.params)) as Row[];
      return { total: total.total as number, resources: rows.map((row) => storedOf(row.kind as ScimKind, row)) };
    },
    groupsOf: async (orgId, userId) =>
      (
        this.#db
          .prepare(
            `SELECT DISTINCT g.id, g.display_name FROM scim_groups g JOIN scim_group_members m ON m.group_id = g.id
             WHERE g.org_id = ? AND m.member_id = ? ORDER BY g.id`,
          )
          .all(orgId, userId) as Row[]
      ).map((row) => ({ id: row.id as string, display_name: (row.display_name as string | null) ?? "" })),
  };

  /** Runs `work` inside one SQLite transaction. */
  async transaction<T>(work: (tx: WriteTransaction) => T): Promise<T> {
    const tx: WriteTransaction = {
      lastEvent: (orgId) => {
        const row = this.#db
          .prepare("SELECT event FROM audit_events WHERE org_id = ? ORDER BY seq DESC LIMIT 1")
          .get(orgId) as Row | undefined;
        return row && JSON.parse(row.event as string);
      },
      resource: (orgId, kind, id) => this.#resource(orgId, kind, id),
      appendEvent: (event) => this.#appendEvent(event),
      putResource: (orgId, stored) => this.#putResource(orgId, stored),
      deleteResource: (orgId, kind, id) => this.#deleteResource(orgId, kind, id),
      membership: (orgId, userId) => this.#membership(orgId, userId),
      putMembership: (m) => this.#putMembership(m),
      removeMembership: (orgId, userId) =>
        void this.#db.prepare("DELETE FROM memberships WHERE org_id = ? AND user_id = ?").run(orgId, userId),
      appendChanges: (changes) =>
        Number(this.#db.prepare("INSERT INTO directory_changes (changes) VALUES (?)").run(JSON.stringify(changes)).lastInsertRowid),
    };
    return this.#db.transaction(() => work(tx))();
  }

  #resource(orgId: string, kind: ScimKind, id: string): StoredResource | undefined {
    const row = this.#db.prepare(`SELECT * FROM ${TABLES[kind]} WHERE org_id = ? AND id = ?`).get(orgId, id) as
      | Row
      | undefined;
    return row && storedOf(kind, row);
  }

  #membership(orgId: string, userId: string): StoredMembership | undefined {
    const row = this.#db.prepare("SELECT * FROM memberships WHERE org_id = ? AND user_id = ?").get(orgId, userId) as
      | Row
      | undefined;
    return (
      row && {
        org_id: row.org_id as string,
        user_id: row.user_id as string,
        roles: JSON.parse(row.roles as string),
        status: row.status as StoredMembership["status"],
      }
    );
  }

  #putMembership(m: StoredMembership): void {
    this.#db
      .prepare("INSERT OR REPLACE INTO memberships (org_id, user_id, roles, status) VALUES (?, ?, ?, ?)")
      .run(m.org_id, m.user_id, JSON.stringify(m.roles), m.status);
  }

  #appendEvent(event: ChainedEvent): void {
    this.#run("sql_audit_append", { event });
  }

  #deleteResource(orgId: string, kind: ScimKind, id: string): void {
    this.#run("sql_scim_delete", { org_id: orgId, kind, id });
  }

  #putResource(orgId: string, stored: StoredResource): void {
    const { kind, id, resource, version } = stored;
    this.#run("sql_scim_put", {
      stored: {
        org_id: orgId, kind, id, version, resource,
        created_at: micros(stored.created_ms), updated_at: micros(stored.last_modified_ms),
      },
    });
  }

  /** Runs the statements the engine's `op` gives for SQLite, in order. */
  #run(op: string, input: object): void {
    for (const { sql, params } of this.#orgkit.call(op, { dialect: "sqlite", ...input } as Input) as Statement[]) {
      this.#db.prepare(sql).run(...params);
    }
  }
}
