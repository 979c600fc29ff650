// Shared pieces of the Node benchmarks: the timer, percentiles, Markdown output, and the
// synthetic directories of core/benches/support/synthetic.rs rebuilt in JavaScript, so that the
// Node numbers are taken on the same data as the native ones.

import { readFileSync } from "node:fs";
import { loadOrgkit as loadPackage } from "../../js/index.js";

/**
 * Loads an engine instance of the package, or, with `ORGKIT_WASM=<path>`, of another build of
 * the same crate (to compare optimisation profiles with one glue).
 */
export function loadOrgkit(options = {}) {
  const other = process.env.ORGKIT_WASM;
  return loadPackage(other && !options.wasm ? { ...options, wasm: readFileSync(other) } : options);
}

/** Nanoseconds since an arbitrary origin, as a Number (exact below 2^53 ns, about 104 days). */
export const now = () => Number(process.hrtime.bigint());

/** p50, p99 and mean of `samples` (nanoseconds), as in core/benches/authz.rs: index (len-1)·q. */
export function stats(samples) {
  const sorted = Float64Array.from(samples).sort();
  const at = (q) => sorted[Math.floor((sorted.length - 1) * q)];
  let sum = 0;
  for (const s of sorted) sum += s;
  return { p50: at(0.5), p99: at(0.99), mean: sum / sorted.length, n: sorted.length };
}

/** A duration in nanoseconds, printed with three significant digits and a unit. */
export function fmt(ns) {
  if (ns === undefined || ns === null || Number.isNaN(ns)) return "–";
  const [value, unit] =
    ns < 1e3 ? [ns, "ns"] : ns < 1e6 ? [ns / 1e3, "µs"] : ns < 1e9 ? [ns / 1e6, "ms"] : [ns / 1e9, "s"];
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

/** A ratio `a / b`, printed like the native tables (`3.6×`, `374×`, `34,700×`). */
export function ratio(a, b) {
  if (!a || !b) return "–";
  const r = a / b;
  if (r >= 1000) return `${(Math.round(r / 100) * 100).toLocaleString("en-US")}×`;
  if (r >= 100) return `${Math.round(r)}×`;
  return `${r.toFixed(1)}×`;
}

/** A Markdown table: `align` holds "l" or "r" per column. */
export function table(header, rows, align = header.map((_, i) => (i === 0 ? "l" : "r"))) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [
    line(header),
    `|${align.map((a) => (a === "r" ? "---:" : "---")).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}

/** Integers with thousands separators. */
export const int = (n) => n.toLocaleString("en-US");

/** Runs `fn` until `ms` milliseconds have passed (JIT and Wasm tier-up warm-up). */
export async function warmFor(ms, fn) {
  const end = Date.now() + ms;
  let i = 0;
  while (Date.now() < end) await fn(i++);
  return i;
}

/** Memory of this process, in MiB: resident set and V8 heap. */
export function memory() {
  const m = process.memoryUsage();
  return { rss: Math.round(m.rss / 2 ** 20), heap: Math.round(m.heapUsed / 2 ** 20) };
}

/** Describes the machine and runtime, for the header of every report. */
export function environment() {
  return `Node ${process.version} (V8 ${process.versions.v8}), ${process.platform}/${process.arch}`;
}

// ---- core/benches/support/synthetic.rs, rebuilt -------------------------------------------

export const DOMAINS_PER_ORG = 3;
const SPREAD = 7919;
export const ABSENT_ORG = 9_999_999;
const pad = (i) => String(i).padStart(7, "0");

export const orgsForDomains = (domains) => Math.ceil(domains / DOMAINS_PER_ORG);
export const orgId = (i) => `org-${pad(i)}`;
export const domain = (i, k) => `org${pad(i)}-${k}.com`;
export const connectionId = (i) => `conn-${pad(i)}`;
export const userId = (u) => `user-${pad(u)}`;

/** Organization `i`: three verified domains (the first with subdomains), one SAML connection. */
export function org(i) {
  return {
    id: orgId(i),
    name: `Org ${i}`,
    slug: `org-${pad(i)}`,
    status: "active",
    domains: Array.from({ length: DOMAINS_PER_ORG }, (_, k) => ({
      domain: domain(i, k),
      verification: "verified",
      include_subdomains: k === 0,
    })),
    sso_connections: [
      {
        id: connectionId(i),
        name: `Org ${i} IdP`,
        protocol: "saml",
        status: "active",
        domains: [],
        saml: {
          idp_entity_id: `https://idp.example.net/saml/org${pad(i)}`,
          sso_url: `https://idp.example.net/saml/org${pad(i)}/sso`,
          signing_certificates: [],
        },
      },
    ],
    require_sso: i % 2 === 0,
    roles: [],
    feature_flags: {},
  };
}

const baseOrg = (u, orgs) => (u * SPREAD) % Math.max(orgs, 1);

/**
 * The synthetic document for `{ orgs, memberships }`, as JSON text built piece by piece (a
 * million-domain document is too large to build as one object tree comfortably). The same
 * records as `synthetic::doc`, in the same order.
 */
export function syntheticDirectoryText({ orgs, memberships = 0 }) {
  const parts = ['{"schema_version":1,"orgs":['];
  for (let i = 0; i < orgs; i++) parts.push((i ? "," : "") + JSON.stringify(org(i)));
  parts.push('],"users":[');
  const members = [];
  let total = 0;
  let u = 0;
  while (orgs > 0 && total < memberships) {
    const wanted = Math.min(1 + (u % 3), orgs);
    const count = Math.min(wanted, memberships - total);
    parts.push(
      (u ? "," : "") +
        JSON.stringify({
          id: userId(u),
          email: `user${pad(u)}@${domain(baseOrg(u, orgs), 0)}`,
          name: `User ${u}`,
        }),
    );
    const base = baseOrg(u, orgs);
    for (let j = 0; j < Math.min(count, orgs); j++) {
      const o = (base + j) % orgs;
      const membership = {
        user_id: userId(u),
        org_id: orgId(o),
        roles: [(u + j) % 10 === 0 ? "admin" : "member"],
        status: "active",
        joined_at: `2024-${String(1 + (u % 12)).padStart(2, "0")}-${String(1 + (u % 28)).padStart(2, "0")}T09:30:00Z`,
      };
      if (j === 0 && u % 2 === 0) membership.authenticated_via = connectionId(o);
      members.push((total ? "," : "") + JSON.stringify(membership));
      total += 1;
    }
    u += 1;
  }
  parts.push('],"memberships":[', members.join(""), "]}");
  return parts.join("");
}

/** The route cases of core/benches/directory.rs for a directory of `orgs` organizations. */
export function routeCases(orgs) {
  const middle = Math.floor(orgs / 2);
  return [
    { name: "hit", email: `Alice.Smith@${domain(middle, 1)}`, expect: "sso" },
    { name: "subdomain", email: `Alice.Smith@eu.${domain(middle, 0)}`, expect: "sso" },
    { name: "miss", email: `Alice.Smith@${domain(ABSENT_ORG, 1)}`, expect: "default_login" },
  ];
}
