// Authorization in Node: the scenario of core/benches/authz.rs, run through the Wasm package
// and through two published Cedar-in-Wasm peers, in one process, one run.
//
// N orgs; two role templates (admin, member) linked per org; each user holds one role in one
// org; 4-entity requests (user → role → org, resource in an org); every tenth request crosses
// orgs; actions users.read and sso.configure. 1,000 distinct requests, replayed in order.
//
// - orgkit: `engine.load({ directory })` once, then `engine.authorize(request)` per decision
//   (object in, object out: JSON.stringify, the Wasm call, JSON.parse), and `engine.check(request)`
//   (the same question, answered with decision, policies and errors only; the request's fields
//   go in as Wasm strings, with no JSON text; checked equal to `authorize`'s on every request).
//   Also the raw `engine.callJson("authorize", text)` with pre-serialised inputs, the smallest
//   engine call (`normalize_domain` of a short domain), and the bare boundary (`version()`).
// - @cedar-policy/cedar-wasm: the plain-Cedar peer of the native bench (PEER_TEMPLATES, every
//   org's two links in one policy set, preparsed once with `preparsePolicySet`), decided with
//   `statefulIsAuthorized`. Its API takes the entities with every call; each call passes the
//   request's own entities (user, role, org(s), resource), the least a host can send.
// - @janssenproject/cedarling_wasm: `authorize_unsigned` with a policy store built inline (see
//   `cedarlingWorld` for why its policies carry the role as a principal attribute).
//
// Every measured decision of a peer is checked against orgkit's (the run stops on the first
// disagreement).
//
// Usage: node authz.mjs [--sizes=10,1000,100000] [--rounds=20000] [--large-peer-rounds=60]
//                       [--peers=cedar-wasm,cedarling]

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { loadOrgkit, now, stats, fmt, ratio, table, int, warmFor, memory, environment } from "./lib/common.mjs";

const require = createRequire(import.meta.url);
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k, v ?? "true"];
  }),
);
const SIZES = (args.sizes ?? "10,1000,100000").split(",").map(Number);
const ROUNDS = Number(args.rounds ?? 20_000);
const LARGE_PEER_ROUNDS = Number(args["large-peer-rounds"] ?? 60);
const PEERS = new Set((args.peers ?? "cedar-wasm,cedarling").split(",").filter(Boolean));
const REQUESTS = 1_000;
const ACTIONS = ["users.read", "sso.configure"];
const NOW = 1_800_000_000;

// ---- the scenario (core/benches/authz.rs) ----------------------------------------------------

/** Request k: user k·7919 mod n, on a member resource of their org, or (k mod 10 = 0) the next org's. */
function plan(n, k) {
  const user = (k * 7919) % n;
  const resourceOrg = k % 10 === 0 ? (user + 1) % n : user;
  return { user, resourceOrg, action: ACTIONS[k % 2] };
}
const role = (user) => (user % 2 === 0 ? "admin" : "member");

function orgkitWorld(n) {
  const directory = {
    schema_version: 1,
    orgs: Array.from({ length: n }, (_, i) => ({ id: `org${i}`, name: `Org ${i}`, slug: `org${i}` })),
    users: Array.from({ length: n }, (_, i) => ({ id: `u${i}`, email: `u${i}@org${i}.test` })),
    memberships: Array.from({ length: n }, (_, i) => ({
      user_id: `u${i}`,
      org_id: `org${i}`,
      roles: [role(i)],
      status: "active",
    })),
  };
  const requests = Array.from({ length: REQUESTS }, (_, k) => {
    const { user, resourceOrg, action } = plan(n, k);
    return {
      principal: { user: `u${user}` },
      active_org: `org${user}`,
      action,
      resource: { type: "Member", id: `m${k}`, org: `org${resourceOrg}` },
      now: NOW,
    };
  });
  return { directory, requests, texts: requests.map((r) => JSON.stringify(r)) };
}

// The templates of PEER_TEMPLATES in core/benches/authz.rs.
const PEER_TEMPLATES = {
  admin: `permit (principal in ?principal, action in [Action::"users.read", Action::"sso.configure"], resource in ?resource);`,
  member: `permit (principal in ?principal, action in [Action::"users.read"], resource in ?resource);`,
};

const uid = (type, id) => ({ type, id });
const entity = (type, id, parents = []) => ({ uid: uid(type, id), attrs: {}, parents });

function cedarWasmWorld(n) {
  const templateLinks = [];
  for (let i = 0; i < n; i++) {
    for (const name of ["admin", "member"]) {
      templateLinks.push({
        templateId: name,
        newId: `${name}-org${i}`,
        values: { "?principal": uid("Role", `org${i}/${name}`), "?resource": uid("Organization", `org${i}`) },
      });
    }
  }
  const requests = Array.from({ length: REQUESTS }, (_, k) => {
    const { user, resourceOrg, action } = plan(n, k);
    const roleId = `org${user}/${role(user)}`;
    const entities = [
      entity("User", `u${user}`, [uid("Role", roleId)]),
      entity("Role", roleId, [uid("Organization", `org${user}`)]),
      entity("Organization", `org${user}`),
      entity("Member", `m${k}`, [uid("Organization", `org${resourceOrg}`)]),
    ];
    if (resourceOrg !== user) entities.push(entity("Organization", `org${resourceOrg}`));
    return {
      principal: uid("User", `u${user}`),
      action: uid("Action", action),
      resource: uid("Member", `m${k}`),
      context: {},
      entities,
    };
  });
  return { policySet: { templates: PEER_TEMPLATES, templateLinks }, requests };
}

/**
 * Cedarling 2.4.0's unsigned interface builds the principal from the request's EntityData
 * (type, id, attributes) with no parents, and a default entity of the policy store with the
 * same uid does not give it any (checked: `User` in the default entities with a Role parent is
 * still parentless in the evaluated request). So `principal in Role::"…"` can never hold there,
 * and the template links of the plain-Cedar peer would deny every request. The resource, on
 * the other hand, is taken from the default entities when the request gives it no attributes,
 * parents included. The cedarling run therefore keeps everything else (2 policies per org,
 * scope `action in […]`, `resource in Organization::"org{i}"`, the Member entities with their
 * Organization parents) and carries the role as a principal attribute:
 * `principal is User … when { principal.role == "org{i}/admin" }`. The decisions are the same
 * as the other engines' (checked on every measured request).
 */
function cedarlingWorld(n) {
  const b64 = (s) => Buffer.from(s).toString("base64");
  const policies = {};
  const policy = (id, text) => {
    policies[id] = { description: id, creation_date: "2026-01-01T00:00:00", policy_content: b64(text) };
  };
  for (let i = 0; i < n; i++) {
    policy(
      `admin-org${i}`,
      `permit (principal is User, action in [Action::"users.read", Action::"sso.configure"], resource in Organization::"org${i}") when { principal.role == "org${i}/admin" };`,
    );
    policy(
      `member-org${i}`,
      `permit (principal is User, action in [Action::"users.read"], resource in Organization::"org${i}") when { principal.role == "org${i}/member" };`,
    );
  }
  // Only the 1,000 Member entities (with their Organization parents) go in: the legacy JSON
  // store is parsed with a fixed cap of 1,000 default entities (CEDARLING_MAX_DEFAULT_ENTITIES
  // does not reach that parser in 2.4.0), and Cedar's `in` needs only the parent uids.
  const defaults = {};
  for (let k = 0; k < REQUESTS; k++) {
    const { resourceOrg } = plan(n, k);
    defaults[`m${k}`] = b64(JSON.stringify(entity("Member", `m${k}`, [uid("Organization", `org${resourceOrg}`)])));
  }
  const schema = {
    "": {
      entityTypes: {
        Organization: {},
        Role: { memberOfTypes: ["Organization"] },
        User: {
          memberOfTypes: ["Role"],
          shape: { type: "Record", attributes: { role: { type: "String" } } },
        },
        Member: { memberOfTypes: ["Organization"] },
      },
      actions: Object.fromEntries(
        ACTIONS.map((a) => [
          a,
          { appliesTo: { principalTypes: ["User"], resourceTypes: ["Member"], context: { type: "Record", attributes: {} } } },
        ]),
      ),
    },
  };
  const store = {
    cedar_version: "v4.0.0",
    policy_stores: {
      bench: {
        name: "bench",
        description: "core/benches/authz.rs scenario",
        policies,
        schema: b64(JSON.stringify(schema)),
        trusted_issuers: {},
        default_entities: defaults,
      },
    },
  };
  const config = {
    CEDARLING_APPLICATION_NAME: "orgkit-bench",
    CEDARLING_POLICY_STORE_LOCAL: JSON.stringify(store),
    CEDARLING_LOG_TYPE: "off",
    CEDARLING_JWT_SIG_VALIDATION: "disabled",
    CEDARLING_JWT_STATUS_VALIDATION: "disabled",
    CEDARLING_LOCK: "disabled",
  };
  const requests = Array.from({ length: REQUESTS }, (_, k) => {
    const { user, action } = plan(n, k);
    return {
      principal: { cedar_entity_mapping: { entity_type: "User", id: `u${user}` }, role: `org${user}/${role(user)}` },
      action: `Action::"${action}"`,
      resource: { cedar_entity_mapping: { entity_type: "Member", id: `m${k}` } },
      context: {},
    };
  });
  return { config, requests };
}

// ---- timing ------------------------------------------------------------------------------------

/** Times `rounds` single synchronous calls of `call(k)`; `decide(result)` reads the decision. */
function timeSync(rounds, call, decide, decisions) {
  const samples = new Float64Array(rounds);
  for (let i = 0; i < rounds; i++) {
    const k = i % REQUESTS;
    const t0 = now();
    const result = call(k);
    samples[i] = now() - t0;
    if (decisions) decisions[k] = decide(result);
  }
  return stats(samples);
}

/** The same for an engine whose call returns a Promise (cedarling). */
async function timeAsync(rounds, call, decide, decisions) {
  const samples = new Float64Array(rounds);
  for (let i = 0; i < rounds; i++) {
    const k = i % REQUESTS;
    const t0 = now();
    const result = await call(k);
    samples[i] = now() - t0;
    decisions[k] = decide(result);
  }
  return stats(samples);
}

function checkAgreement(name, n, ours, theirs, requests) {
  let checked = 0;
  for (let k = 0; k < REQUESTS; k++) {
    if (theirs[k] === undefined) continue;
    checked += 1;
    if (theirs[k] !== ours[k]) {
      throw new Error(
        `${name} disagrees with orgkit at N = ${n} on request ${k} (${JSON.stringify(requests[k])}): ` +
          `orgkit ${ours[k] ? "allow" : "deny"}, ${name} ${theirs[k] ? "allow" : "deny"}`,
      );
    }
  }
  return checked;
}

// ---- the run -------------------------------------------------------------------------------------

const log = (...a) => console.error(`[authz ${new Date().toISOString().slice(11, 19)}]`, ...a);
const orgkit = await loadOrgkit();
const cedar = PEERS.has("cedar-wasm") ? require("@cedar-policy/cedar-wasm/nodejs") : null;
let cedarling = null;
if (PEERS.has("cedarling")) {
  const url = new URL("./node_modules/@janssenproject/cedarling_wasm/", import.meta.url);
  cedarling = await import(new URL("cedarling_wasm.js", url).href);
  cedarling.initSync({ module: readFileSync(new URL("cedarling_wasm_bg.wasm", url)) });
}
const packageVersion = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), "utf8")).version;
const versions = {
  orgkit: orgkit.version,
  cedarWasm: cedar ? packageVersion("@cedar-policy/cedar-wasm") : null,
  cedarWasmCedar: cedar?.getCedarVersion(),
  cedarling: cedarling ? packageVersion("@janssenproject/cedarling_wasm") : null,
};
log(environment(), JSON.stringify(versions));

// A second instance of the bare wasm-bindgen glue, for the cost of the boundary alone:
// `version()` enters Wasm and returns a short string, with no engine work.
const bare = await import(new URL("../pkg/orgkit_wasm.js?bare", import.meta.url).href);
bare.initSync({ module: readFileSync(new URL("../pkg/orgkit_wasm_bg.wasm", import.meta.url)) });

const results = [];
for (const n of SIZES) {
  const row = { n };
  const world = orgkitWorld(n);
  const engine = new orgkit.Engine();
  let t0 = now();
  engine.load({ directory: world.directory });
  row.orgkitLoad = now() - t0;
  const ours = world.requests.map((r) => engine.authorize(r).decision === "allow");
  row.allowShare = ours.filter(Boolean).length / REQUESTS;
  for (const r of world.requests) {
    const { decision, policies, errors } = engine.authorize(r);
    if (JSON.stringify(engine.check(r)) !== JSON.stringify({ decision, policies, errors })) {
      throw new Error(`check and authorize disagree at N = ${n} on ${JSON.stringify(r)}`);
    }
  }

  log(`N = ${int(n)}: orgkit loaded in ${fmt(row.orgkitLoad)}; warming up`);
  await warmFor(1500, (i) => engine.authorize(world.requests[i % REQUESTS]));
  row.orgkit = timeSync(ROUNDS, (k) => engine.authorize(world.requests[k]), (r) => r.decision === "allow");
  await warmFor(500, (i) => engine.check(world.requests[i % REQUESTS]));
  row.check = timeSync(ROUNDS, (k) => engine.check(world.requests[k]), (r) => r.decision === "allow");
  await warmFor(500, (i) => engine.callJson("authorize", world.texts[i % REQUESTS]));
  row.orgkitRaw = timeSync(ROUNDS, (k) => engine.callJson("authorize", world.texts[k]), null);
  row.bare = timeSync(ROUNDS, () => bare.version(), null);
  const tiny = '{"domain":"a.io"}';
  await warmFor(300, () => engine.callJson("normalize_domain", tiny));
  row.boundary = timeSync(ROUNDS, () => engine.callJson("normalize_domain", tiny), null);
  // JSON.parse of one authorize answer on its own, to split object API costs.
  const answer = engine.callJson("authorize", world.texts[1]);
  row.parseOnly = timeSync(ROUNDS, () => JSON.parse(answer), null);
  row.stringifyOnly = timeSync(ROUNDS, (k) => JSON.stringify(world.requests[k]), null);
  log(`N = ${int(n)}: orgkit p50 ${fmt(row.orgkit.p50)}, check ${fmt(row.check.p50)}, raw ${fmt(row.orgkitRaw.p50)}, boundary ${fmt(row.boundary.p50)}`);

  const peerRounds = n >= 100_000 ? LARGE_PEER_ROUNDS : ROUNDS;
  if (cedar) {
    const peer = cedarWasmWorld(n);
    const id = `bench-${n}`;
    t0 = now();
    const parsed = cedar.preparsePolicySet(id, peer.policySet);
    row.cedarPrepare = now() - t0;
    if (parsed.type !== "success") throw new Error(`cedar-wasm refused the policy set: ${JSON.stringify(parsed)}`);
    const calls = peer.requests.map((r) => ({ ...r, preparsedPolicySetId: id }));
    const call = (k) => cedar.statefulIsAuthorized(calls[k]);
    const decide = (r) => {
      if (r.type !== "success") throw new Error(`cedar-wasm failed: ${JSON.stringify(r)}`);
      return r.response.decision === "allow";
    };
    log(`N = ${int(n)}: cedar-wasm set preparsed in ${fmt(row.cedarPrepare)}; warming up`);
    if (n >= 100_000) for (let i = 0; i < 2; i++) call(i);
    else await warmFor(1500, (i) => call(i % REQUESTS));
    const theirs = new Array(REQUESTS);
    row.cedar = timeSync(peerRounds, call, decide, theirs);
    row.cedarChecked = checkAgreement("cedar-wasm", n, ours, theirs, world.requests);
    log(`N = ${int(n)}: cedar-wasm p50 ${fmt(row.cedar.p50)} (${row.cedarChecked} requests agree)`);
  }
  if (cedarling) {
    const peer = cedarlingWorld(n);
    t0 = now();
    const instance = await cedarling.init(peer.config);
    row.cedarlingInit = now() - t0;
    // The request crosses as JSON text (the API's form); serialising it is part of the call.
    const call = (k) => instance.authorize_unsigned(JSON.stringify(peer.requests[k]));
    const decide = (r) => {
      const d = r.decision;
      r.free();
      return d;
    };
    log(`N = ${int(n)}: cedarling initialised in ${fmt(row.cedarlingInit)}; warming up`);
    if (n >= 100_000) for (let i = 0; i < 2; i++) (await call(i)).free();
    else await warmFor(1500, async (i) => (await call(i % REQUESTS)).free());
    const theirs = new Array(REQUESTS);
    row.cedarling = await timeAsync(peerRounds, call, decide, theirs);
    row.cedarlingChecked = checkAgreement("cedarling", n, ours, theirs, world.requests);
    log(`N = ${int(n)}: cedarling p50 ${fmt(row.cedarling.p50)} (${row.cedarlingChecked} requests agree)`);
    instance.free();
  }
  engine.free();
  row.memory = memory();
  results.push(row);
}

// ---- report --------------------------------------------------------------------------------------

const out = [];
out.push(`### Authorization in Node (\`wasm/bench/authz.mjs\`)`);
out.push("");
out.push(
  `${environment()}; @orgkit/engine ${versions.orgkit}` +
    (versions.cedarWasm ? `, @cedar-policy/cedar-wasm ${versions.cedarWasm} (Cedar ${versions.cedarWasmCedar})` : "") +
    (versions.cedarling ? `, @janssenproject/cedarling_wasm ${versions.cedarling}` : "") +
    `. Single decisions timed one by one (\`process.hrtime.bigint\`), ${int(ROUNDS)} per case` +
    (LARGE_PEER_ROUNDS !== ROUNDS ? ` (${int(LARGE_PEER_ROUNDS)} for the peers at N ≥ 100,000)` : "") +
    ".",
);
out.push("");
const peerCols = [];
if (cedar) peerCols.push(["cedar-wasm", "cedar"]);
if (cedarling) peerCols.push(["cedarling", "cedarling"]);
out.push(
  table(
    [
      "N orgs",
      "orgkit `authorize` p50",
      "p99",
      "mean",
      "orgkit `check` p50",
      "p99",
      "mean",
      ...peerCols.flatMap(([name]) => [`${name} p50`, "p99", "mean", "p50 ratio: `authorize`", "`check`", "samples"]),
    ],
    results.map((r) => [
      int(r.n),
      ...[r.orgkit, r.check].flatMap((s) => [fmt(s.p50), fmt(s.p99), fmt(s.mean)]),
      ...peerCols.flatMap(([, key]) =>
        r[key]
          ? [fmt(r[key].p50), fmt(r[key].p99), fmt(r[key].mean), ratio(r[key].p50, r.orgkit.p50), ratio(r[key].p50, r.check.p50), int(r[key].n)]
          : ["–", "–", "–", "–", "–", "–"],
      ),
    ]),
  ),
);
out.push("");
out.push("Where orgkit's time goes (p50 / mean of the same run):");
out.push("");
out.push(
  table(
    ["N orgs", "`authorize(obj)`", "`callJson` (text in, text out)", "`JSON.stringify` request", "`JSON.parse` answer", "`normalize_domain` of `a.io`", "bare boundary (glue `version()`)"],
    results.map((r) => [
      int(r.n),
      `${fmt(r.orgkit.p50)} / ${fmt(r.orgkit.mean)}`,
      `${fmt(r.orgkitRaw.p50)} / ${fmt(r.orgkitRaw.mean)}`,
      `${fmt(r.stringifyOnly.p50)} / ${fmt(r.stringifyOnly.mean)}`,
      `${fmt(r.parseOnly.p50)} / ${fmt(r.parseOnly.mean)}`,
      `${fmt(r.boundary.p50)} / ${fmt(r.boundary.mean)}`,
      `${fmt(r.bare.p50)} / ${fmt(r.bare.mean)}`,
    ]),
  ),
);
out.push("");
out.push("Setup (not in the timings above):");
out.push("");
out.push(
  table(
    ["N orgs", "allowed", "orgkit `load`", ...(cedar ? ["cedar-wasm `preparsePolicySet`"] : []), ...(cedarling ? ["cedarling `init`"] : []), "checked against orgkit", "RSS / JS heap after"],
    results.map((r) => [
      int(r.n),
      `${Math.round(r.allowShare * 100)}%`,
      fmt(r.orgkitLoad),
      ...(cedar ? [fmt(r.cedarPrepare)] : []),
      ...(cedarling ? [fmt(r.cedarlingInit)] : []),
      [cedar ? `cedar-wasm ${r.cedarChecked}` : null, cedarling ? `cedarling ${r.cedarlingChecked}` : null].filter(Boolean).join(", ") || "–",
      `${int(r.memory.rss)} / ${int(r.memory.heap)} MiB`,
    ]),
  ),
);
out.push("");
const worst = Math.max(...results.map((r) => r.orgkit.p50));
const atTen = results.find((r) => r.n === 10);
/** The goal's verdict on the peers' p50 over orgkit's `sample` (authorize or check) at N = 10. */
const twentyFold = (key) => {
  const peers = [["cedar-wasm", atTen.cedar], ["cedarling", atTen.cedarling]].filter(([, s]) => s);
  const met = peers.every(([, s]) => s.p50 / atTen[key].p50 >= 20);
  return `${met ? "met" : "not met"} (${peers.map(([name, s]) => `${name} ${ratio(s.p50, atTen[key].p50)}`).join(", ")})`;
};
out.push(
  `Goal p50 ≤ 15 µs at every N: ${worst <= 15_000 ? "met" : "not met"} by \`authorize\` (worst ${fmt(worst)}).` +
    (atTen && (atTen.cedar || atTen.cedarling)
      ? ` Goal ≥ 20× the peers at N = 10: ${twentyFold("orgkit")} by \`authorize\`; ${twentyFold("check")} by \`check\`.`
      : ""),
);
console.log(out.join("\n"));
