// Home-realm discovery: `POST /v1/route {email}` answers the engine's routing decision, with
// the login branding of the org it names (and of each candidate of an org picker).

import type { Json, OrgRef, RouteDecision } from "@orgkit/engine";
import { Hono } from "hono";
import { jsonBody, type HostContext } from "../context.js";

/** The discovery route. */
export function discoveryRoutes(host: HostContext): Hono {
  const app = new Hono();
  const branded = (org: OrgRef) => {
    const found = host.directory.engine.call("org_by_slug", { slug: org.slug }) as { branding?: Json };
    return found.branding === undefined ? org : { ...org, branding: found.branding };
  };
  app.post("/v1/route", async (c) => {
    const decision: RouteDecision = host.directory.engine.route((await jsonBody(c)) as { email: string });
    return c.json({
      ...decision,
      ...(decision.org ? { org: branded(decision.org) } : {}),
      ...(decision.candidates ? { candidates: decision.candidates.map(branded) } : {}),
    });
  });
  return app;
}
