// The package's own surface: state inside the instance, incremental changes, typed errors,
// and a panic turned into an OrgkitError with a fresh instance still working.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadOrgkit, OrgkitError } from "../js/index.js";

const directory = {
  schema_version: 1,
  orgs: [
    {
      id: "org_acme", name: "Acme", slug: "acme",
      domains: [{ domain: "acme.com", verification: "verified" }],
      sso_connections: [{ id: "conn_acme", protocol: "oidc", status: "active",
        oidc: { issuer: "https://idp.acme.test", client_id: "app" } }],
    },
  ],
  users: [{ id: "u_ann", email: "ann@acme.com" }],
  memberships: [{ user_id: "u_ann", org_id: "org_acme", roles: ["admin"], status: "active" }],
};

const orgkit = await loadOrgkit();

test("an engine keeps its directory and routes with small inputs", () => {
  const engine = new orgkit.Engine();
  const stats = engine.load({ directory });
  assert.equal(stats.orgs, 1);
  const decision = engine.route({ email: "Ann@ACME.com" });
  assert.equal(decision.decision, "sso");
  assert.equal(decision.org.id, "org_acme");
  engine.free();
});

test("incremental changes go in without reloading", () => {
  const engine = new orgkit.Engine();
  engine.load({ directory });
  engine.applyChanges({ changes: { schema_version: 1, changes: [
    { op: "remove_domain", org_id: "org_acme", domain: "acme.com" },
  ] } });
  assert.equal(engine.route({ email: "ann@acme.com" }).decision, "default_login");
});

test("authorization runs inside the instance", () => {
  const engine = new orgkit.Engine();
  engine.load({ directory });
  const answer = engine.authorize({
    principal: { user: "u_ann" }, active_org: "org_acme", action: "sso.configure",
    resource: { type: "Organization", id: "org_acme" }, now: 1_800_000_000,
  });
  assert.equal(answer.decision, "allow");
});

test("engine errors are OrgkitError with the stable code and path", () => {
  assert.throws(() => orgkit.call("normalize_email", { email: "not-an-address" }), (e) => {
    assert.ok(e instanceof OrgkitError);
    assert.equal(e.code, "invalid_email");
    assert.equal(typeof e.reason, "string");
    return true;
  });
  const engine = new orgkit.Engine();
  assert.throws(() => engine.load({ directory: { schema_version: 1, orgs: [{ id: "x" }] } }),
    (e) => e instanceof OrgkitError && e.code === "invalid_directory" && e.problems.length > 0);
});

test("a panic becomes an OrgkitError; the instance refuses calls; a new one works", async () => {
  const doomed = await loadOrgkit();
  assert.throws(() => doomed.__panicForTests(), (e) =>
    e instanceof OrgkitError && e.code === "internal" && e.mustReload && /tests asked for/.test(e.message));
  assert.throws(() => doomed.call("normalize_domain", { domain: "acme.com" }),
    (e) => e instanceof OrgkitError && e.mustReload);
  const fresh = await loadOrgkit();
  assert.equal(fresh.call("normalize_domain", { domain: "ACME.com" }).domain, "acme.com");
  assert.equal(orgkit.call("normalize_domain", { domain: "ACME.com" }).domain, "acme.com");
});

test("every op of the engine is a method", () => {
  const engine = new orgkit.Engine();
  for (const op of orgkit.ops) {
    const method = op.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    assert.equal(typeof engine[method], "function", method);
  }
});

test("the small build answers as the default one; an unknown build is refused", async () => {
  const small = await loadOrgkit({ build: "small" });
  const request = { principal: { user: "u_ann" }, active_org: "org_acme", action: "sso.configure",
    resource: { type: "Organization", id: "org_acme" }, now: 1_800_000_000 };
  const answers = [orgkit, small].map((instance) => {
    const engine = new instance.Engine();
    engine.load({ directory });
    return [engine.route({ email: "ann@acme.com" }), engine.authorize(request)];
  });
  assert.equal(answers[1][1].decision, "allow");
  assert.deepEqual(answers[1], answers[0]);
  await assert.rejects(loadOrgkit({ build: "tiny" }),
    (e) => e instanceof TypeError && /unknown build "tiny"/.test(e.message));
});
