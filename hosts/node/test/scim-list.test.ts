// SCIM lists over HTTP on both stores: sortBy/sortOrder (the SQLite store through the engine's
// `sql_scim_list`, the in-memory store through `scim_sort`), paging with a sort, and the
// root-level `POST /.search` over Users and Groups together.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHost, MemoryStore, serveNode, SqliteStore, type NodeServer, type Store } from "../src/index.js";
import { directory, orgkit, scimToken, send } from "./fixtures.js";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
const token = scimToken.token;

type Listed = { id: string; userName?: string; displayName?: string; meta: { resourceType: string; location: string } };

const stores: [string, () => { store: Store; close: () => void }][] = [
  ["in-memory", () => ({ store: new MemoryStore(), close: () => {} })],
  ["SQLite", () => {
    const dir = mkdtempSync(join(tmpdir(), "orgkit-node-list-"));
    const store = new SqliteStore(join(dir, "orgkit.db"), orgkit);
    return { store, close: () => { store.close(); rmSync(dir, { recursive: true, force: true }); } };
  }],
];

for (const [name, open] of stores) {
  describe(`SCIM lists on the ${name} store`, () => {
    let server: NodeServer;
    let close = () => {};
    const ids: Record<string, string> = {};
    before(async () => {
      const opened = open();
      close = opened.close;
      await opened.store.directory.putSnapshot({ directory });
      // A clock that moves 1 ms per write: creation order is the tie-break.
      let now = Date.UTC(2026, 0, 1);
      const host = await createHost({ orgkit, store: opened.store, nowMs: () => (now += 1) });
      server = await serveNode(host.app);
      const users: [string, string | undefined][] = [
        ["bob", "Young"], ["alice", "adams"], ["carol", undefined], ["dave", "Baker"],
      ];
      for (const [user, family] of users) {
        const body = { schemas: [USER], userName: `${user}@acme.com`, ...(family ? { name: { familyName: family } } : {}) };
        const created = await send(server, "POST", "/scim/v2/Users", { token, body });
        assert.equal(created.status, 201);
        ids[user] = created.body.id;
      }
      for (const group of ["Engineering", "admins"]) {
        const body = { schemas: [GROUP], displayName: group, members: [{ value: ids.bob }] };
        const created = await send(server, "POST", "/scim/v2/Groups", { token, body });
        assert.equal(created.status, 201);
        ids[group] = created.body.id;
      }
    });
    after(async () => {
      await server.close();
      close();
    });

    const names = (body: { Resources: Listed[] }) => body.Resources.map((r) => r.userName ?? r.displayName);

    test("sortBy ascending: case-insensitive, resources without the value last", async () => {
      const listed = await send(server, "GET", "/scim/v2/Users?sortBy=name.familyName", { token });
      assert.equal(listed.status, 200);
      assert.deepEqual(names(listed.body), ["alice@acme.com", "dave@acme.com", "bob@acme.com", "carol@acme.com"]);
    });

    test("sortOrder=descending: the reverse, resources without the value first", async () => {
      const listed = await send(server, "GET", "/scim/v2/Users?sortBy=name.familyName&sortOrder=descending", { token });
      assert.deepEqual(names(listed.body), ["carol@acme.com", "bob@acme.com", "dave@acme.com", "alice@acme.com"]);
    });

    test("paging follows the sort; .search bodies sort too", async () => {
      const page = await send(server, "GET", "/scim/v2/Users?sortBy=userName&startIndex=2&count=2", { token });
      assert.equal(page.body.totalResults, 4);
      assert.equal(page.body.startIndex, 2);
      assert.deepEqual(names(page.body), ["bob@acme.com", "carol@acme.com"]);
      const search = await send(server, "POST", "/scim/v2/Users/.search", {
        token, body: { schemas: [SEARCH], filter: 'userName ew "acme.com"', sortBy: "userName", sortOrder: "DESCENDING", count: 2 },
      });
      assert.equal(search.body.totalResults, 4);
      assert.deepEqual(names(search.body), ["dave@acme.com", "carol@acme.com"]);
      const groups = await send(server, "GET", "/scim/v2/Groups?sortBy=displayName", { token });
      assert.deepEqual(names(groups.body), ["admins", "Engineering"]);
    });

    test("an unsortable sortBy is a 400 invalidValue", async () => {
      for (const path of ["/scim/v2/Users?sortBy=emails", "/scim/v2/Groups?sortBy=userName"]) {
        const refused = await send(server, "GET", path, { token });
        assert.equal(refused.status, 400, path);
        assert.equal(refused.body.scimType, "invalidValue", path);
      }
    });

    test("POST /.search lists Users and Groups together, each with its own resource type", async () => {
      const all = await send(server, "POST", "/scim/v2/.search", { token, body: { schemas: [SEARCH], sortBy: "displayName" } });
      assert.equal(all.status, 200);
      assert.equal(all.body.totalResults, 6);
      const [first, second, ...users] = all.body.Resources as Listed[];
      assert.deepEqual([first!.displayName, second!.displayName], ["admins", "Engineering"]);
      assert.equal(first!.meta.resourceType, "Group");
      assert.equal(first!.meta.location, `${server.url}/scim/v2/Groups/${ids.admins}`);
      assert.deepEqual(users.map((u) => u.meta.resourceType), ["User", "User", "User", "User"]);
      assert.deepEqual(users.map((u) => u.id), [ids.bob, ids.alice, ids.carol, ids.dave], "no displayName: creation order");
    });

    test("POST /.search with a filter only Users know matches no Group; paging and sort across types", async () => {
      const found = await send(server, "POST", "/scim/v2/.search", {
        token, body: { schemas: [SEARCH], filter: 'userName sw "B" or userName sw "c"', sortBy: "userName", sortOrder: "descending" },
      });
      assert.equal(found.body.totalResults, 2);
      assert.deepEqual(names(found.body), ["carol@acme.com", "bob@acme.com"]);
      const groupsOnly = await send(server, "POST", "/scim/v2/.search", {
        token, body: { schemas: [SEARCH], filter: `members[value eq "${ids.bob}"]`, sortBy: "displayName" },
      });
      assert.deepEqual(groupsOnly.body.Resources.map((r: Listed) => r.meta.resourceType), ["Group", "Group"]);
      const negated = await send(server, "POST", "/scim/v2/.search", {
        token, body: { schemas: [SEARCH], filter: 'not (userName sw "b")', sortBy: "userName", startIndex: 3, count: 2 },
      });
      assert.equal(negated.body.totalResults, 5, "not (…) keeps the Groups, which have no userName");
      assert.deepEqual(names(negated.body), ["dave@acme.com", "Engineering"]);
    });
  });
}
