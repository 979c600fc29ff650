// The package inside Cloudflare's workerd (through miniflare): a worker built from the package
// files answers routing and authorization requests, driven over HTTP on loopback.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Miniflare } from "miniflare";

const file = (path) => readFileSync(new URL(path, import.meta.url));
const directory = {
  schema_version: 1,
  orgs: [{
    id: "org_acme", name: "Acme", slug: "acme",
    domains: [{ domain: "acme.com", verification: "verified" }],
    sso_connections: [{ id: "conn_acme", protocol: "oidc", status: "active",
      oidc: { issuer: "https://idp.acme.test", client_id: "app" } }],
  }],
  users: [{ id: "u_ann", email: "ann@acme.com" }, { id: "u_bob", email: "bob@acme.com" }],
  memberships: [
    { user_id: "u_ann", org_id: "org_acme", roles: ["admin"], status: "active" },
    { user_id: "u_bob", org_id: "org_acme", roles: ["member"], status: "active" },
  ],
};

const mf = new Miniflare({
  modules: [
    { type: "ESModule", path: "worker.mjs", contents: file("./workerd/worker.mjs") },
    { type: "ESModule", path: "index.js", contents: file("../js/index.js") },
    { type: "ESModule", path: "check.js", contents: file("../js/check.js") },
    { type: "ESModule", path: "orgkit_wasm.js", contents: file("../pkg/orgkit_wasm.js") },
    { type: "CompiledWasm", path: "orgkit_wasm_bg.wasm", contents: file("../pkg/orgkit_wasm_bg.wasm") },
  ],
  compatibilityDate: "2025-01-01",
  bindings: { DIRECTORY: JSON.stringify(directory) },
});
after(() => mf.dispose());

const post = async (path, body) => {
  const response = await mf.dispatchFetch(`http://localhost${path}`, { method: "POST", body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
};

test("workerd routes an email to its org's SSO connection", async () => {
  const { status, body } = await post("/route", { email: "Ann@ACME.com" });
  assert.equal(status, 200);
  assert.equal(body.decision, "sso");
  assert.equal(body.org.id, "org_acme");
  assert.equal(body.connection.id, "conn_acme");
});

test("workerd authorizes with Cedar inside the worker", async () => {
  const request = (user) => ({
    principal: { user }, active_org: "org_acme", action: "sso.configure",
    resource: { type: "Organization", id: "org_acme" }, now: 1_800_000_000,
  });
  assert.equal((await post("/authorize", request("u_ann"))).body.decision, "allow");
  assert.equal((await post("/authorize", request("u_bob"))).body.decision, "deny");
  assert.deepEqual((await post("/check", request("u_ann"))).body,
    { decision: "allow", policies: ["orgkit.role.admin"], errors: [] });
  assert.equal((await post("/check", request("u_bob"))).body.decision, "deny");
});

test("workerd returns the engine's typed errors", async () => {
  const { status, body } = await post("/route", { email: "no-at-sign" });
  assert.equal(status, 400);
  assert.equal(body.code, "invalid_email");
});
