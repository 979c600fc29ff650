// Audit queries for the session's user: `GET /v1/audit?…` returns the events the engine's
// `audit_query` plan selects (the plan authorizes `audit.read` on every org and yields the
// event auditing the query, recorded first); `GET /v1/audit/export?format=jsonl|csv&…` returns
// the same events through the engine's `audit_export`.
//
// Query parameters: `orgs`, `actions`, `actors`, `targets`, `outcomes` (repeated or
// comma-separated), `from`, `to`, `after_seq`, `limit`; `orgs` defaults to the session's org.

import type { Json, OpOutput } from "@orgkit/engine";
import { Hono, type Context } from "hono";
import { activeSession, nowSeconds, type HostContext } from "../context.js";
import { recordEvent } from "../audit-log.js";
import type { ChainedEvent } from "../storage.js";
import { HostError } from "../errors.js";

const LISTS = ["orgs", "actions", "actors", "targets", "outcomes"];
const NUMBERS = ["from", "to", "after_seq", "limit"];
/** The export formats served as text, and their media types. */
const EXPORTS = new Map([
  ["jsonl", "application/x-ndjson; charset=utf-8"],
  ["csv", "text/csv; charset=utf-8"],
]);

/** The query of the URL's parameters; numbers stay text when they are not integers, for the engine to refuse. */
function queryOf(c: Context, activeOrg: string): { [key: string]: Json } {
  const query: { [key: string]: Json } = { orgs: [activeOrg] };
  for (const name of LISTS) {
    const given = c.req.queries(name)?.flatMap((v) => v.split(",")).filter((v) => v !== "");
    if (given?.length) query[name] = given;
  }
  for (const name of NUMBERS) {
    const given = c.req.query(name);
    if (given !== undefined) query[name] = /^-?\d+$/.test(given) ? Number(given) : given;
  }
  return query;
}

/** The audit routes. */
export function auditRoutes(host: HostContext): Hono {
  const app = new Hono();
  const engine = () => host.directory.engine;

  const run = async (c: Context): Promise<ChainedEvent[]> => {
    const session = await activeSession(host, c);
    const caller = {
      principal: { user: session.user_id },
      active_org: session.org_id,
      grants: [],
      now: nowSeconds(host),
      event_id: host.newId(),
    };
    // The query goes in as the URL said it (queryOf), for the engine to check.
    const plan = engine().call("audit_query", { caller, query: queryOf(c, session.org_id) }) as unknown as OpOutput<"audit_query">;
    await host.store.transaction((tx) => recordEvent(tx, engine(), plan.event));
    return host.store.audit.query(plan);
  };

  app.get("/v1/audit", async (c) => c.json({ events: await run(c) }));

  app.get("/v1/audit/export", async (c) => {
    const format = c.req.query("format") ?? "jsonl";
    const type = EXPORTS.get(format);
    if (!type) throw new HostError("invalid_value", "`format` is `jsonl` or `csv`");
    const events = await run(c);
    // jsonl and csv exports are text.
    const text = engine().auditExport({ events, format: format as "jsonl" | "csv" }) as string;
    return c.body(text, 200, { "content-type": type });
  });
  return app;
}
