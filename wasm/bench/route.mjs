// Routing in Node: `engine.route` on the synthetic directories of core/benches/directory.rs
// (org i claims three verified domains, the first with include_subdomains, and has one SAML
// connection), at 10k and 1M domains, with its three address shapes: an exact hit, a parent
// match through include_subdomains, and a miss.
//
// The 1M-domain directory is 333,334 orgs (the limits allow 1,000,000 orgs and 1,000 domains
// per org; the native bench uses the same shape). Its JSON text (~210 MB) is built piece by piece
// and handed to `engine.callJson("load", …)`, so the host does not also hold it as an object
// tree; the load time is that of the Wasm side parsing and indexing it.
//
// Usage: node route.mjs [--domains=10000,1000000] [--rounds=20000]

import { loadOrgkit, now, stats, fmt, table, int, warmFor, memory, environment } from "./lib/common.mjs";
import { orgsForDomains, routeCases, syntheticDirectoryText } from "./lib/common.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k, v ?? "true"];
  }),
);
const DOMAINS = (args.domains ?? "10000,1000000").split(",").map(Number);
const ROUNDS = Number(args.rounds ?? 20_000);
// The native criterion means of the same cases, from BENCHMARKS.md ("Directory and routing",
// 2026-11-28): another run, on the same machine kind, for reference only.
const NATIVE = {
  10_000: { hit: 1_300, subdomain: 1_470, miss: 1_000 },
  1_000_000: { hit: 1_280, subdomain: 1_400, miss: 960 },
};

const log = (...a) => console.error(`[route ${new Date().toISOString().slice(11, 19)}]`, ...a);
const orgkit = await loadOrgkit();
log(environment(), `@orgkit/engine ${orgkit.version}`);

const results = [];
for (const domains of DOMAINS) {
  const orgs = orgsForDomains(domains);
  let t0 = now();
  const text = syntheticDirectoryText({ orgs });
  const buildText = now() - t0;
  log(`${int(domains)} domains: ${int(orgs)} orgs, ${int(Math.round(text.length / 2 ** 20))} MiB of JSON built in ${fmt(buildText)}`);
  const engine = new orgkit.Engine();
  t0 = now();
  const loaded = JSON.parse(engine.callJson("load", `{"directory":${text}}`));
  const load = now() - t0;
  if (!loaded.ok) throw new Error(`load failed: ${JSON.stringify(loaded.error).slice(0, 500)}`);
  if (loaded.ok.domains !== orgs * 3) throw new Error(`expected ${orgs * 3} domains, got ${loaded.ok.domains}`);
  log(`${int(domains)} domains: loaded in ${fmt(load)} (${JSON.stringify(loaded.ok)})`);
  const row = { domains, orgs, load, cases: [], memory: null };
  for (const c of routeCases(orgs)) {
    const decision = engine.route({ email: c.email });
    if (decision.decision !== c.expect) throw new Error(`${c.name}: expected ${c.expect}, got ${decision.decision}`);
    const input = JSON.stringify({ email: c.email });
    await warmFor(1000, () => engine.route({ email: c.email }));
    const api = new Float64Array(ROUNDS);
    for (let i = 0; i < ROUNDS; i++) {
      const t = now();
      engine.route({ email: c.email });
      api[i] = now() - t;
    }
    const raw = new Float64Array(ROUNDS);
    for (let i = 0; i < ROUNDS; i++) {
      const t = now();
      engine.callJson("route", input);
      raw[i] = now() - t;
    }
    row.cases.push({ name: c.name, api: stats(api), raw: stats(raw) });
    log(`${int(domains)} domains, ${c.name}: p50 ${fmt(stats(api).p50)}`);
  }
  row.memory = memory();
  engine.free();
  results.push(row);
}

const out = [];
out.push("### Routing in Node (`wasm/bench/route.mjs`)");
out.push("");
out.push(
  `${environment()}; @orgkit/engine ${orgkit.version}. Directories of core/benches/support/synthetic.rs ` +
    `(three domains and one SAML connection per org). ${int(ROUNDS)} single calls per case.`,
);
out.push("");
out.push(
  table(
    ["domains (orgs)", "case", "`route(obj)` p50", "p99", "mean", "`callJson` p50", "native mean (other run)", "Wasm mean / native mean"],
    results.flatMap((r) =>
      r.cases.map((c) => [
        `${int(r.domains)} (${int(r.orgs)})`,
        c.name,
        fmt(c.api.p50),
        fmt(c.api.p99),
        fmt(c.api.mean),
        fmt(c.raw.p50),
        NATIVE[r.domains] ? fmt(NATIVE[r.domains][c.name]) : "–",
        NATIVE[r.domains] ? `${(c.api.mean / NATIVE[r.domains][c.name]).toFixed(1)}×` : "–",
      ]),
    ),
  ),
);
out.push("");
out.push(
  table(
    ["domains (orgs)", "load (Wasm parses and indexes the JSON text)", "RSS / JS heap after"],
    results.map((r) => [`${int(r.domains)} (${int(r.orgs)})`, fmt(r.load), `${int(r.memory.rss)} / ${int(r.memory.heap)} MiB`]),
  ),
);
console.log(out.join("\n"));
