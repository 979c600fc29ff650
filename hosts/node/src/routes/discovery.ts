// Home-realm discovery: `POST /v1/route {email}` answers the engine's routing decision with the
// login branding to show (`branding_resolve`: the decided org's, inherited along its parents and
// the app default; the app default alone when no org is decided), and each org-picker candidate
// with its own.

import type { RouteDecision } from "@orgkit/engine";
import { Hono } from "hono";
import { jsonBody, type HostContext } from "../context.js";

/** The discovery route. */
export function discoveryRoutes(host: HostContext): Hono {
  const app = new Hono();
  const brandingOf = (by: { slug: string } | { email: string }) => host.directory.engine.brandingResolve(by).branding;
  app.post("/v1/route", async (c) => {
    const decision: RouteDecision = host.directory.engine.route((await jsonBody(c)) as { email: string });
    return c.json({
      ...decision,
      branding: brandingOf(decision.org ? { slug: decision.org.slug } : { email: decision.email }),
      ...(decision.candidates
        ? { candidates: decision.candidates.map((org) => ({ ...org, branding: brandingOf({ slug: org.slug }) })) }
        : {}),
    });
  });
  return app;
}
