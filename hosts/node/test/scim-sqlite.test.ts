// SCIM 2.0 over real HTTP on 127.0.0.1 against the SQLite store: writes with their audit
// events in one transaction, reads, filters, RFC errors, discovery, and the engine's directory
// following the writes (also after a restart).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHost, SqliteStore, type Host, type NodeServer } from "../src/index.js";
import { globexToken, orgkit, scimToken, send, startHost } from "./fixtures.js";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

describe("SCIM on the SQLite store", () => {
  const dir = mkdtempSync(join(tmpdir(), "orgkit-node-host-"));
  const file = join(dir, "orgkit.db");
  let store: SqliteStore;
  let host: Host;
  let server: NodeServer;
  const token = scimToken.token;

  before(async () => {
    store = new SqliteStore(file, orgkit);
    ({ host, server } = await startHost(store));
  });
  after(async () => {
    await server.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const carol = {
    schemas: [USER],
    userName: "carol@acme.com",
    name: { givenName: "Carol", familyName: "Jones" },
    active: true,
    emails: [{ value: "carol@acme.com", type: "work", primary: true }],
  };
  let carolId = "";

  test("POST /Users creates the user: 201, Location, ETag, meta from the engine", async () => {
    const created = await send(server, "POST", "/scim/v2/Users", { token, body: carol });
    assert.equal(created.status, 201);
    carolId = created.body.id;
    assert.match(carolId, /^[0-9a-f-]{36}$/);
    assert.equal(created.body.userName, "carol@acme.com");
    assert.equal(created.body.meta.resourceType, "User");
    assert.equal(created.body.meta.version, 'W/"1"');
    assert.equal(created.headers.get("location"), `${server.url}/scim/v2/Users/${carolId}`);
    assert.equal(created.headers.get("etag"), 'W/"1"');
    assert.match(created.headers.get("content-type") ?? "", /application\/scim\+json/);
  });

  test("the write's membership reaches the store and the engine's directory", async () => {
    assert.deepEqual(await store.memberships.membership("org_acme", carolId), {
      org_id: "org_acme", user_id: carolId, roles: ["member"], status: "active",
    });
    const membership = host.directory.engine.call("membership", { user_id: carolId, org_id: "org_acme" }) as { roles: string[] };
    assert.deepEqual(membership.roles, ["member"]);
  });

  test("GET /Users/{id} reads it back; another org's token does not see it", async () => {
    const read = await send(server, "GET", `/scim/v2/Users/${carolId}`, { token });
    assert.equal(read.status, 200);
    assert.equal(read.body.name.givenName, "Carol");
    const other = await send(server, "GET", `/scim/v2/Users/${carolId}`, { token: globexToken.token });
    assert.equal(other.status, 404);
    assert.deepEqual(other.body.schemas, [ERROR]);
    assert.equal(other.body.status, "404");
  });

  test("GET with If-None-Match: 304 and the ETag when the version is current, else the resource", async () => {
    const same = await send(server, "GET", `/scim/v2/Users/${carolId}`, { token, headers: { "if-none-match": 'W/"1"' } });
    assert.equal(same.status, 304);
    assert.equal(same.headers.get("etag"), 'W/"1"');
    const other = await send(server, "GET", `/scim/v2/Users/${carolId}`, { token, headers: { "if-none-match": 'W/"7"' } });
    assert.equal(other.status, 200);
    assert.equal(other.body.userName, "carol@acme.com");
  });

  test("list filters run as the engine's SQL over the reference tables", async () => {
    await send(server, "POST", "/scim/v2/Users", {
      token, body: { schemas: [USER], userName: "dave@acme.com", emails: [{ value: "dave@acme.com", type: "home" }] },
    });
    const byName = await send(server, "GET", `/scim/v2/Users?filter=${encodeURIComponent('userName eq "CAROL@acme.com"')}`, { token });
    assert.equal(byName.status, 200);
    assert.equal(byName.body.totalResults, 1);
    assert.equal(byName.body.Resources[0].id, carolId);
    const byEmail = await send(server, "GET", `/scim/v2/Users?filter=${encodeURIComponent('emails[type eq "home"]')}`, { token });
    assert.deepEqual(byEmail.body.Resources.map((r: { userName: string }) => r.userName), ["dave@acme.com"]);
    const page = await send(server, "GET", "/scim/v2/Users?startIndex=2&count=1&attributes=userName", { token });
    assert.equal(page.body.totalResults, 2);
    assert.equal(page.body.itemsPerPage, 1);
    assert.equal(page.body.startIndex, 2);
    assert.deepEqual(Object.keys(page.body.Resources[0]).sort(), ["id", "meta", "schemas", "userName"]);
    const search = await send(server, "POST", "/scim/v2/Users/.search", {
      token, body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'name.familyName sw "jo"' },
    });
    assert.equal(search.body.totalResults, 1);
  });

  test("PATCH deactivates the user: the membership is suspended, the version moves on", async () => {
    const patched = await send(server, "PATCH", `/scim/v2/Users/${carolId}`, {
      token, headers: { "if-match": 'W/"1"' },
      body: { schemas: [PATCH], Operations: [{ op: "replace", path: "active", value: false }] },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.active, false);
    assert.equal(patched.headers.get("etag"), 'W/"2"');
    assert.equal((await store.memberships.membership("org_acme", carolId))?.status, "suspended");
    const inactive = await send(server, "GET", `/scim/v2/Users?filter=${encodeURIComponent("active eq false")}`, { token });
    assert.deepEqual(inactive.body.Resources.map((r: { id: string }) => r.id), [carolId]);
  });

  test("Groups: create with a member, filter by member", async () => {
    const group = await send(server, "POST", "/scim/v2/Groups", {
      token, body: { schemas: [GROUP], displayName: "Admins", members: [{ value: carolId, type: "User" }] },
    });
    assert.equal(group.status, 201);
    const byMember = await send(server, "GET", `/scim/v2/Groups?filter=${encodeURIComponent(`members[value eq "${carolId}"]`)}`, { token });
    assert.deepEqual(byMember.body.Resources.map((g: { displayName: string }) => g.displayName), ["Admins"]);
  });

  test("errors carry the RFC 7644 status and scimType", async () => {
    const unauthenticated = await send(server, "GET", "/scim/v2/Users", { token: "orgkit_scim_not-a-token" });
    assert.equal(unauthenticated.status, 401);
    assert.deepEqual(unauthenticated.body.schemas, [ERROR]);
    const badFilter = await send(server, "GET", `/scim/v2/Users?filter=${encodeURIComponent("userName eq")}`, { token });
    assert.equal(badFilter.status, 400);
    assert.equal(badFilter.body.scimType, "invalidFilter");
    const stale = await send(server, "PUT", `/scim/v2/Users/${carolId}`, { token, headers: { "if-match": 'W/"1"' }, body: carol });
    assert.equal(stale.status, 412);
    const media = await send(server, "POST", "/scim/v2/Users", { token, headers: { "content-type": "text/plain" }, body: carol });
    assert.equal(media.status, 415);
    const method = await send(server, "POST", `/scim/v2/Users/${carolId}`, { token, body: carol });
    assert.equal(method.status, 405);
    const patch = await send(server, "PATCH", `/scim/v2/Users/${carolId}`, {
      token, body: { schemas: [PATCH], Operations: [{ op: "replace", path: "emails[type eq \"other\"].value", value: "x@acme.com" }] },
    });
    assert.equal(patch.status, 400);
    assert.equal(patch.body.scimType, "noTarget");
    const bulk = await send(server, "POST", "/scim/v2/Bulk", { token, body: {} });
    assert.equal(bulk.status, 501);
  });

  test("discovery documents come from the engine", async () => {
    const config = await send(server, "GET", "/scim/v2/ServiceProviderConfig", { token });
    assert.equal(config.status, 200);
    assert.equal(config.body.patch.supported, true);
    const types = await send(server, "GET", "/scim/v2/ResourceTypes", { token });
    assert.deepEqual(types.body.Resources.map((t: { name: string }) => t.name), ["User", "Group"]);
    const schemas = await send(server, "GET", "/scim/v2/Schemas", { token });
    assert.ok(schemas.body.Resources.some((s: { id: string }) => s.id === USER));
  });

  test("DELETE removes the user and its membership: 204, then 404", async () => {
    const deleted = await send(server, "DELETE", `/scim/v2/Users/${carolId}`, { token });
    assert.equal(deleted.status, 204);
    assert.equal((await send(server, "GET", `/scim/v2/Users/${carolId}`, { token })).status, 404);
    assert.equal(await store.memberships.membership("org_acme", carolId), undefined);
    assert.throws(() => host.directory.engine.call("membership", { user_id: carolId, org_id: "org_acme" }));
  });

  test("every write left one audit event, chained; refused writes left none", async () => {
    const events = await store.audit.events("org_acme");
    assert.deepEqual(events.map((e) => e.action), [
      "scim.user.created", "scim.user.created", "scim.user.patched", "scim.group.created", "scim.user.deleted",
    ]);
    assert.deepEqual(events.map((e) => e.seq), [0, 1, 2, 3, 4]);
    assert.deepEqual(events[0]!.actor, { type: "scim_token", id: "tok_acme" });
    const verdict = orgkit.call("audit_verify_chain", { events: events as never }) as { valid: boolean; checked: number };
    assert.deepEqual(verdict, { valid: true, checked: 5 });
    assert.deepEqual(await store.audit.events("org_globex"), []);
  });

  test("a restarted host replays the directory changes from the store", async () => {
    const dave = (await send(server, "GET", `/scim/v2/Users?filter=${encodeURIComponent('userName eq "dave@acme.com"')}`, { token })).body.Resources[0];
    const again = await createHost({ orgkit, store });
    const membership = again.directory.engine.call("membership", { user_id: dave.id, org_id: "org_acme" }) as { status: string };
    assert.equal(membership.status, "active");
  });
});
