// The in-memory Store: plain maps, for tests, demos and Workers without a database. A
// transaction keeps an undo log and rolls back when its work throws. It cannot run SQL, so
// lists use the engine's predicate and order (`scim_filter_matches`, `scim_sort`) and audit
// queries are refused.

import type {
  AuditSink, ChainedEvent, DirectorySnapshot, DirectorySource, LoggedChangeSet, MembershipLookup, ScimKind,
  ScimStore, Store, StoredMembership, StoredResource, WriteTransaction,
} from "./storage.js";
import { HostError } from "./errors.js";
import { directoryOf, membersOf, membershipsOf } from "./records.js";

const key = (...parts: string[]) => parts.join("\u0000");

/** A Store held in this process's memory. */
export class MemoryStore implements Store {
  #snapshot: DirectorySnapshot = { directory: { schema_version: 1 } };
  #snapshotSeq = 0;
  #changes: LoggedChangeSet[] = [];
  #memberships = new Map<string, StoredMembership>();
  #events = new Map<string, ChainedEvent[]>();
  #resources = new Map<string, StoredResource>();

  /** The directory document and its change log. */
  readonly directory: DirectorySource = {
    snapshot: async () => ({ snapshot: structuredClone(this.#snapshot), seq: this.#snapshotSeq }),
    changesSince: async (seq) => structuredClone(this.#changes.filter((c) => c.seq > seq)),
    putSnapshot: async (snapshot) => {
      const directory = directoryOf(snapshot);
      this.#snapshot = structuredClone({ directory, ...(snapshot.options === undefined ? {} : { options: snapshot.options }) });
      this.#snapshotSeq = this.#changes.at(-1)?.seq ?? 0;
      this.#memberships.clear();
      for (const m of membershipsOf(directory)) this.#memberships.set(key(m.org_id, m.user_id), m);
    },
  };

  /** Membership lookup over the stored memberships. */
  readonly memberships: MembershipLookup = {
    membership: async (orgId, userId) =>
      structuredClone(this.#memberships.get(key(orgId, userId))),
  };

  /** The per-org audit logs. */
  readonly audit: AuditSink = {
    events: async (orgId) => structuredClone(this.#events.get(orgId) ?? []),
    query: async () => {
      throw new HostError("not_implemented", "the in-memory store runs no SQL: audit queries need the SQLite store");
    },
  };

  /** The SCIM resources of every org. */
  readonly scim: ScimStore = {
    get: async (orgId, kind, id) => this.#resource(orgId, kind, id),
    list: async (orgId, query) => {
      const found = [...this.#resources.entries()]
        .filter(([k, r]) => k.startsWith(key(orgId, "")) && (!query.kind || r.kind === query.kind))
        .map(([, r]) => r)
        .filter((r) => query.filter === undefined || query.matches(r));
      const all = query.sort(found);
      return { total: all.length, resources: structuredClone(all.slice(query.offset, query.offset + query.limit)) };
    },
    groupsOf: async (orgId, userId) =>
      [...this.#resources.entries()]
        .filter(([k]) => k.startsWith(key(orgId, "Group", "")))
        .filter(([, g]) => membersOf(g.resource).some((m) => m.value === userId))
        .map(([, g]) => ({ id: g.id, display_name: String(g.resource.displayName ?? "") })),
  };

  #resource(orgId: string, kind: ScimKind, id: string): StoredResource | undefined {
    return structuredClone(this.#resources.get(key(orgId, kind, id)));
  }

  /** Runs `work` with an undo log; any throw undoes its writes and is rethrown. */
  async transaction<T>(work: (tx: WriteTransaction) => T): Promise<T> {
    const undo: (() => void)[] = [];
    const set = <V>(map: Map<string, V>, k: string, value: V | undefined) => {
      const before = map.get(k);
      undo.push(() => (before === undefined ? map.delete(k) : map.set(k, before)));
      if (value === undefined) map.delete(k);
      else map.set(k, value);
    };
    const tx: WriteTransaction = {
      lastEvent: (orgId) => structuredClone(this.#events.get(orgId)?.at(-1)),
      resource: (orgId, kind, id) => this.#resource(orgId, kind, id),
      appendEvent: (event) => {
        const log = this.#events.get(event.org_id) ?? [];
        set(this.#events, event.org_id, [...log, structuredClone(event)]);
      },
      putResource: (orgId, stored) => set(this.#resources, key(orgId, stored.kind, stored.id), structuredClone(stored)),
      deleteResource: (orgId, kind, id) => set(this.#resources, key(orgId, kind, id), undefined),
      membership: (orgId, userId) => structuredClone(this.#memberships.get(key(orgId, userId))),
      putMembership: (m) => set(this.#memberships, key(m.org_id, m.user_id), structuredClone(m)),
      removeMembership: (orgId, userId) => set(this.#memberships, key(orgId, userId), undefined),
      appendChanges: (changes) => {
        const seq = (this.#changes.at(-1)?.seq ?? 0) + 1;
        this.#changes.push({ seq, changes: structuredClone(changes) });
        undo.push(() => this.#changes.pop());
        return seq;
      },
    };
    try {
      return work(tx);
    } catch (e) {
      for (const step of undo.reverse()) step();
      throw e;
    }
  }
}
