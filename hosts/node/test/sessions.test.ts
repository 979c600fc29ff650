// Sessions from WebCrypto-signed JWTs, over HTTP on 127.0.0.1 against the SQLite store: the
// adapter verifies the signature, the engine's `session_resolve` checks the claims, and the
// session decides the principal and org of authorization checks and audit queries.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { MemoryStore, SqliteStore, type NodeServer } from "../src/index.js";
import {
  checkForgedAndMissingTokens, claimsFor, orgkit, send, sessionsConfig, sessionsMissing, signingKey, signJwt, SSO_CONFIGURE,
  startHost, type SigningKey,
} from "./fixtures.js";

describe("sessions, authorization checks and audit queries", { skip: sessionsMissing }, () => {
  const store = new SqliteStore(":memory:", orgkit);
  let server: NodeServer;
  let key: SigningKey;
  let ann = "";
  let bob = "";
  before(async () => {
    key = await signingKey("ES256", "session-key");
    ({ server } = await startHost(store, sessionsConfig([key])));
    ann = await signJwt(key, claimsFor("u_ann", "org_acme"));
    bob = await signJwt(key, claimsFor("u_bob", "org_acme"));
  });
  after(async () => {
    await server.close();
    store.close();
  });

  test("authorize: the session's admin is allowed, a member denied", async () => {
    const allowed = await send(server, "POST", "/v1/authorize", { token: ann, body: SSO_CONFIGURE });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.body.decision, "allow");
    const denied = await send(server, "POST", "/v1/authorize", { token: bob, body: SSO_CONFIGURE });
    assert.equal(denied.body.decision, "deny");
  });

  const SUPPORT_GRANT = { id: "g1", staff_id: "s_sam", org_id: "org_acme", reason: "ticket #1", actions: ["sso.configure"], expires_at: 4102444800 };

  test("check: authorize's decision and policies, with no event, and nothing recorded", async () => {
    const events = async () => (await store.audit.events("org_acme")).length;
    for (const token of [ann, bob]) {
      const authorized = await send(server, "POST", "/v1/authorize", { token, body: SSO_CONFIGURE });
      const before = await events();
      const checked = await send(server, "POST", "/v1/check", { token, body: SSO_CONFIGURE });
      assert.equal(checked.status, 200);
      assert.deepEqual(checked.body, { decision: authorized.body.decision, policies: authorized.body.policies, errors: [] });
      assert.equal(await events(), before);
    }
    const granted = await send(server, "POST", "/v1/check", { token: bob, body: { ...SSO_CONFIGURE, grant: SUPPORT_GRANT } });
    assert.equal(granted.status, 400);
    assert.equal(granted.body.error.code, "invalid_input");
    assert.equal(granted.body.error.path, "grant");
  });

  test("the principal and org come from the session only", async () => {
    const spoofed = await send(server, "POST", "/v1/authorize", { token: bob, body: { ...SSO_CONFIGURE, principal: { user: "u_ann" } } });
    assert.equal(spoofed.status, 400);
    assert.equal(spoofed.body.error.code, "invalid_input");
  });

  test("batch and allowed actions", async () => {
    const batch = await send(server, "POST", "/v1/authorize/batch", {
      token: ann, body: { requests: [SSO_CONFIGURE, { ...SSO_CONFIGURE, action: "no.such.action" }] },
    });
    assert.equal(batch.status, 200);
    assert.equal(batch.body[0].ok.decision, "allow");
    assert.ok("error" in batch.body[1]);
    const actions = await send(server, "POST", "/v1/allowed-actions", { token: bob, body: { resource: SSO_CONFIGURE.resource } });
    assert.equal(actions.status, 200);
    assert.ok(Array.isArray(actions.body));
    assert.ok(!actions.body.includes("sso.configure"));
  });

  test("tokens: expired claims are refused by the engine, a bad signature by the adapter", async () => {
    const past = { ...claimsFor("u_ann", "org_acme"), exp: Math.floor(Date.now() / 1000) - 3600 };
    const expired = await send(server, "POST", "/v1/authorize", { token: await signJwt(key, past), body: SSO_CONFIGURE });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.code, "invalid_token");
    assert.equal(expired.body.error.reason, "expired");
    await checkForgedAndMissingTokens(server, key);
  });

  test("audit query: decisions were recorded; the query is authorized, run as SQL and audited", async () => {
    const read = await send(server, "GET", "/v1/audit?actions=authz.decision&outcomes=allow,deny", { token: ann });
    assert.equal(read.status, 200);
    assert.ok(read.body.events.length >= 3);
    assert.ok(read.body.events.every((e: { action: string }) => e.action === "authz.decision"));
    assert.deepEqual(new Set(read.body.events.map((e: { outcome: string }) => e.outcome)), new Set(["allow", "deny"]));
    const refused = await send(server, "GET", "/v1/audit", { token: bob });
    assert.equal(refused.status, 403);
    const events = await store.audit.events("org_acme");
    assert.ok(events.some((e) => e.action === "audit.log.queried"));
    assert.equal((orgkit.call("audit_verify_chain", { events: events as never }) as { valid: boolean }).valid, true);
  });

  test("audit export as CSV and JSON Lines", async () => {
    const csv = await send(server, "GET", "/v1/audit/export?format=csv&actions=authz.decision", { token: ann });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get("content-type") ?? "", /text\/csv/);
    assert.ok(String(csv.body).split("\r\n").filter(Boolean).length >= 4);
    const jsonl = await send(server, "GET", "/v1/audit/export?format=jsonl&limit=2", { token: ann });
    assert.equal(String(jsonl.body).trim().split("\n").length, 2);
    const bad = await send(server, "GET", "/v1/audit/export?format=xml", { token: ann });
    assert.equal(bad.status, 400);
  });
});

describe("sessions on the in-memory store", { skip: sessionsMissing }, () => {
  test("audit queries need a store that runs SQL: 501", async () => {
    const key = await signingKey("EdDSA", "k");
    const { server } = await startHost(new MemoryStore(), sessionsConfig([key]));
    try {
      const answer = await send(server, "GET", "/v1/audit", { token: await signJwt(key, claimsFor("u_ann", "org_acme")) });
      assert.equal(answer.status, 501);
      assert.equal(answer.body.error.code, "not_implemented");
    } finally {
      await server.close();
    }
  });
});
