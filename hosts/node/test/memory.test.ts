// The same app on the in-memory store: discovery, SCIM writes with their chained audit events,
// and list filters through the engine's predicate instead of SQL.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { MemoryStore, type NodeServer } from "../src/index.js";
import { checkDiscovery, orgkit, scimToken, send, startHost } from "./fixtures.js";

describe("the app on the in-memory store", () => {
  const store = new MemoryStore();
  let server: NodeServer;
  before(async () => {
    ({ server } = await startHost(store));
  });
  after(() => server.close());
  const token = scimToken.token;

  test("home-realm discovery answers with the org's branding", () => checkDiscovery(server));

  test("SCIM writes, filters and a rolled-back write", async () => {
    const user = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "erin@acme.com" };
    const created = await send(server, "POST", "/scim/v2/Users", { token, body: user });
    assert.equal(created.status, 201);
    await send(server, "POST", "/scim/v2/Users", { token, body: { ...user, userName: "frank@acme.com" } });
    const found = await send(server, "GET", `/scim/v2/Users?filter=${encodeURIComponent('userName sw "ERIN"')}`, { token });
    assert.deepEqual(found.body.Resources.map((r: { id: string }) => r.id), [created.body.id]);
    const stale = await send(server, "DELETE", `/scim/v2/Users/${created.body.id}`, { token, headers: { "if-match": 'W/"9"' } });
    assert.equal(stale.status, 412);
    const events = await store.audit.events("org_acme");
    assert.deepEqual(events.map((e) => e.action), ["scim.user.created", "scim.user.created"]);
    assert.equal((orgkit.call("audit_verify_chain", { events: events as never }) as { valid: boolean }).valid, true);
  });
});
