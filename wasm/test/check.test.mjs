// `Engine.check`: a plain input goes into the engine as fields, with no JSON text, and must get
// exactly what the JSON call gives: every `check` vector with a directory runs both ways on a
// loaded engine (and against the native output, when given), and inputs of any other shape
// must go through the JSON call.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { loadOrgkit, OrgkitError } from "../js/index.js";
import { checkFields } from "../js/check.js";

const dir = new URL("../../tests/vectors/authz/", import.meta.url).pathname;
const cases = readdirSync(dir)
  .filter((name) => name.endsWith(".jsonl"))
  .flatMap((name) => readFileSync(dir + name, "utf8").split("\n").filter((l) => l.trim() !== ""))
  .map((line) => JSON.parse(line))
  .filter((c) => c.op === "check" && "directory" in c.input);

const native = process.env.ORGKIT_NATIVE_OUTPUTS
  ? new Map(readFileSync(process.env.ORGKIT_NATIVE_OUTPUTS, "utf8").split("\n").filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l)).map(({ id, output }) => [id, JSON.parse(output)]))
  : null;

const orgkit = await loadOrgkit();

/** The answer as an envelope: `{ok}`, or `{error}` with the thrown OrgkitError's fields. */
function envelope(run) {
  try {
    return { ok: run() };
  } catch (e) {
    if (!(e instanceof OrgkitError)) throw e;
    return { error: { code: e.code, message: e.message, path: e.path } };
  }
}

/** The same, from an envelope the engine wrote. */
const asThrown = (output) =>
  "ok" in output ? output : { error: { code: output.error.code, message: output.error.message, path: output.error.path } };

/** An engine loaded with the case's directory, counting the calls that went through JSON. */
function engineFor(input) {
  const engine = new orgkit.Engine();
  engine.load({ directory: input.directory, ...(input.options ? { options: input.options } : {}) });
  engine.jsonCalls = 0;
  const callJson = engine.callJson.bind(engine);
  engine.callJson = (op, text) => {
    engine.jsonCalls += 1;
    return callJson(op, text);
  };
  return engine;
}

test("there are check vectors, and most are of the plain shape", () => {
  assert.ok(cases.length >= 150, `only ${cases.length}`);
  const plain = cases.filter((c) => {
    const { directory, options, ...fields } = c.input;
    return checkFields(fields) !== null;
  });
  assert.ok(plain.length >= 100, `only ${plain.length} plain`);
});

for (const c of cases) {
  test(`authz ${c.id}`, () => {
    const { directory, options, ...fields } = c.input;
    const engine = engineFor(c.input);
    const typed = envelope(() => engine.check(fields));
    const plain = checkFields(fields) !== null;
    assert.equal(engine.jsonCalls, plain ? 0 : 1, plain ? "a plain input went through JSON" : "an odd input did not");
    const viaJson = envelope(() => engine.call("check", fields));
    assert.deepEqual(typed, viaJson);
    if (native) assert.deepEqual(typed, asThrown(native.get(c.id)), "differs from the native engine's output");
    engine.free();
  });
}

const directory = {
  schema_version: 1,
  orgs: [{ id: "org_acme", name: "Acme", slug: "acme" }],
  users: [{ id: "u_ann", email: "ann@acme.com" }],
  memberships: [{ user_id: "u_ann", org_id: "org_acme", roles: ["admin"], status: "active" }],
};
const ANN = {
  principal: { user: "u_ann" }, active_org: "org_acme", action: "users.read",
  resource: { type: "Member", id: "m1", org: "org_acme" }, now: 1_800_000_000,
};

test("only the plain shape is read as fields", () => {
  assert.deepEqual(checkFields(ANN), [false, "u_ann", "org_acme", "users.read", "Member", "m1", "org_acme", 1_800_000_000]);
  assert.deepEqual(checkFields({ ...ANN, principal: { staff: "s1" }, context: {} })?.slice(0, 2), [true, "s1"]);
  assert.equal(checkFields({ ...ANN, resource: { type: "Organization", id: "org_acme", org: null } })?.[6], undefined);
  const odd = {
    "a non-empty context": { ...ANN, context: { mfa: true } },
    "resource attributes": { ...ANN, resource: { ...ANN.resource, attrs: {} } },
    "an unknown key": { ...ANN, tenant: "x" },
    "a missing key": { ...ANN, now: undefined },
    "a float": { ...ANN, now: 1.5 },
    "an unsafe integer": { ...ANN, now: 2 ** 60 },
    "a number as a string": { ...ANN, now: "1800000000" },
    "two principals": { ...ANN, principal: { user: "a", staff: "b" } },
    "a robot": { ...ANN, principal: { robot: "r2" } },
    "a lone surrogate": { ...ANN, active_org: "org_\ud800" },
    "a grant": { ...ANN, grant: {} },
    "an array": [ANN],
    "a class instance": Object.assign(new (class Input {})(), ANN),
  };
  for (const [name, input] of Object.entries(odd)) assert.equal(checkFields(input), null, name);
});

test("odd inputs and inputs over the limit get the JSON call's answer", () => {
  const engine = engineFor({ directory });
  for (const input of [{ ...ANN, now: 1.5 }, { ...ANN, active_org: "org_\ud800" }, { ...ANN, grant: {} }]) {
    assert.deepEqual(envelope(() => engine.check(input)), envelope(() => engine.call("check", input)));
  }
  assert.deepEqual(engine.check(ANN), { decision: "allow", policies: ["orgkit.role.admin"], errors: [] });
  assert.equal(engine.jsonCalls, 6);
  const limited = engineFor({ directory, options: { limits: { max_input_bytes: 1000 } } });
  assert.equal(limited.check(ANN).decision, "allow");
  assert.equal(limited.jsonCalls, 0, "surely within the limit: fields");
  const longer = { ...ANN, resource: { ...ANN.resource, id: "m".repeat(200) } };
  assert.equal(limited.check(longer).decision, "allow");
  assert.equal(limited.jsonCalls, 1, "possibly over the limit: the JSON call decides");
  const big = { ...ANN, resource: { ...ANN.resource, id: "m".repeat(1000) } };
  assert.throws(() => limited.check(big), (e) => e.code === "limit_exceeded");
  assert.equal(limited.jsonCalls, 2);
});
