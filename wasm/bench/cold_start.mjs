// Cold start in Node: a fresh process reads the package's .wasm, compiles it, instantiates it
// and loads a 10k-org directory (the `load/10k_orgs` directory of core/benches/directory.rs:
// 10k orgs, 30k domains, 100k memberships, 50k users), then makes its first route and
// authorize calls. Each run is a new `node` process, so nothing is cached in V8 between runs
// (Node has no Wasm code cache across processes by default).
//
// Usage: node cold_start.mjs [--runs=5]     (the parent; it spawns the runs)
//        node cold_start.mjs --child=FILE   (one run; prints one JSON line of phase times)

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k, v ?? "true"];
  }),
);

if (args.child) {
  // ---- one run, in a fresh process ----
  const ms = () => performance.now(); // milliseconds since this process started
  const t = { boot: ms() };
  const { loadOrgkit } = await import("../js/index.js");
  t.imported = ms();
  const bytes = readFileSync(new URL("../pkg/orgkit_wasm_bg.wasm", import.meta.url));
  t.read = ms();
  const module = await WebAssembly.compile(bytes);
  t.compiled = ms();
  const orgkit = await loadOrgkit({ wasm: module });
  t.instantiated = ms();
  const engine = new orgkit.Engine();
  t.engine = ms();
  const directory = JSON.parse(readFileSync(args.child, "utf8"));
  t.parsed = ms();
  const stats = engine.load({ directory });
  t.loaded = ms();
  const routed = engine.route({ email: "Alice.Smith@org0005000-1.com" });
  t.routed = ms();
  const decided = engine.authorize({
    principal: { user: "user-0000000" },
    active_org: "org-0000000",
    action: "users.read",
    resource: { type: "Member", id: "m0", org: "org-0000000" },
    now: 1_800_000_000,
  });
  t.authorized = ms();
  if (stats.orgs !== 10_000 || routed.decision !== "sso" || decided.decision !== "allow") {
    throw new Error(`unexpected: ${JSON.stringify({ stats, routed: routed.decision, decided: decided.decision })}`);
  }
  // A second call of each, warm, for comparison with the first.
  const t2 = ms();
  engine.route({ email: "Alice.Smith@org0005001-1.com" });
  t.secondRoute = ms() - t2;
  console.log(JSON.stringify({ ...t, rss: process.memoryUsage().rss, stats }));
} else {
  // ---- the parent: build the directory once, run fresh processes, summarise ----
  const { syntheticDirectoryText, fmt, table, int, environment } = await import("./lib/common.mjs");
  const runs = Number(args.runs ?? 5);
  const dir = mkdtempSync(join(tmpdir(), "orgkit-cold-"));
  const file = join(dir, "directory-10k.json");
  writeFileSync(file, syntheticDirectoryText({ orgs: 10_000, memberships: 100_000 }));
  const wasmBytes = statSync(fileURLToPath(new URL("../pkg/orgkit_wasm_bg.wasm", import.meta.url))).size;
  const samples = [];
  try {
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), `--child=${file}`], {
        encoding: "utf8",
        maxBuffer: 1 << 20,
      });
      const wall = performance.now() - started;
      if (child.status !== 0) throw new Error(`run ${i} failed: ${child.stderr}`);
      const s = JSON.parse(child.stdout.trim().split("\n").pop());
      s.wall = wall;
      samples.push(s);
      console.error(`[cold_start] run ${i + 1}/${runs}: compile ${(s.compiled - s.read).toFixed(1)} ms, load ${(s.loaded - s.parsed).toFixed(0)} ms, wall ${wall.toFixed(0)} ms`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const phases = [
    ["Node start → benchmark script running", (s) => s.boot],
    ["import `@orgkit/engine` (js/index.js)", (s) => s.imported - s.boot],
    ["read the .wasm (fs)", (s) => s.read - s.imported],
    ["**compile** (`WebAssembly.compile`)", (s) => s.compiled - s.read],
    ["**instantiate** (`loadOrgkit({ wasm: module })`: glue import, `new WebAssembly.Instance`)", (s) => s.instantiated - s.compiled],
    ["**`new Engine()`** (an empty directory: the embedded data built)", (s) => s.engine - s.instantiated],
    ["read + `JSON.parse` the directory file (host side)", (s) => s.parsed - s.engine],
    ["**load** (`engine.load({ directory })`)", (s) => s.loaded - s.parsed],
    ["**compile + instantiate + `new Engine()` + load**", (s) => s.engine - s.read + (s.loaded - s.parsed)],
    ["first `route` call", (s) => s.routed - s.loaded],
    ["second `route` call", (s) => s.secondRoute],
    ["first `authorize` call", (s) => s.authorized - s.routed],
    ["process start → first decision (in-process clock)", (s) => s.authorized],
    ["spawn → exit, as the parent sees it", (s) => s.wall],
  ];
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const ns = (msValue) => msValue * 1e6;
  const out = [];
  out.push("### Cold start in Node (`wasm/bench/cold_start.mjs`)");
  out.push("");
  out.push(
    `${environment()}. ${runs} fresh processes; a ${(wasmBytes / 1e6).toFixed(2)} MB .wasm; the 10k-org directory of ` +
      `core/benches/directory.rs (${int(samples[0].stats.orgs)} orgs, ${int(samples[0].stats.domains)} domains, ` +
      `${int(samples[0].stats.users)} users, ${int(samples[0].stats.memberships)} memberships). Median, min and max per phase; ` +
      `RSS at the end of a run ${int(Math.round(median(samples.map((s) => s.rss)) / 2 ** 20))} MiB.`,
  );
  out.push("");
  out.push(
    table(
      ["phase", "median", "min", "max"],
      phases.map(([name, f]) => {
        const xs = samples.map(f);
        return [name, fmt(ns(median(xs))), fmt(ns(Math.min(...xs))), fmt(ns(Math.max(...xs)))];
      }),
      ["l", "r", "r", "r"],
    ),
  );
  console.log(out.join("\n"));
}
