// Authorization checks for the session's user in the session's org: `POST /v1/authorize`,
// `POST /v1/check`, `POST /v1/authorize/batch` and `POST /v1/allowed-actions`. The body is the
// engine's request less `principal`, `active_org`, `now`, `event_id` and `audit_context`, which
// come from the verified session, the host's clock, its ids and the request. Every decision's
// audit event is recorded in the org's log (the engine samples allows); `check` answers the same
// question without an event, for gating a page or a button, and records nothing.

import type { AuthorizeRequest, AuthzDecision, Json } from "@orgkit/engine";
import { Hono, type Context } from "hono";
import { activeSession, jsonBody, nowSeconds, type HostContext } from "../context.js";
import { HostError } from "../errors.js";
import { auditContext, recordEvent } from "../audit-log.js";
import type { ActiveSession } from "../session.js";

/** The fields a client may not send: the session, the clock and the host decide them. */
const FROM_HOST = ["principal", "active_org", "now", "event_id", "audit_context"];

/** The authorization routes. */
export function authorizeRoutes(host: HostContext): Hono {
  const app = new Hono();
  const engine = () => host.directory.engine;

  /** The engine's request: the client's fields with the session's principal and org, and `now`. */
  const request = (session: ActiveSession, body: Json, now: number) => {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new HostError("invalid_input", "each request is a JSON object");
    }
    const sent = FROM_HOST.find((field) => field in body);
    if (sent) throw new HostError("invalid_input", `\`${sent}\` comes from the session and the host, not the request`);
    return { ...body, principal: { user: session.user_id }, active_org: session.org_id, now } as unknown as AuthorizeRequest;
  };

  /** A request that makes a decision, with the id and context of its audit event. */
  const decided = (c: Context, session: ActiveSession, body: Json, now: number): AuthorizeRequest => ({
    ...request(session, body, now),
    event_id: host.newId(),
    audit_context: auditContext(c),
  });

  const record = (answers: AuthzDecision[]) =>
    host.store.transaction((tx) => answers.forEach((answer) => recordEvent(tx, engine(), answer.event)));

  const checked = (handler: (c: Context, session: ActiveSession, now: number) => Promise<Response>) =>
    async (c: Context) => handler(c, await activeSession(host, c), nowSeconds(host));

  app.post("/v1/authorize", checked(async (c, session, now) => {
    const answer = engine().authorize(decided(c, session, await jsonBody(c), now));
    await record([answer]);
    return c.json(answer);
  }));

  app.post("/v1/check", checked(async (c, session, now) =>
    c.json(engine().check(request(session, await jsonBody(c), now))),
  ));

  app.post("/v1/authorize/batch", checked(async (c, session, now) => {
    const { requests } = await jsonBody(c);
    if (!Array.isArray(requests)) throw new HostError("invalid_input", "`requests` is a list of requests");
    const answers = engine().authorizeBatch({ requests: requests.map((r) => decided(c, session, r, now)) });
    await record(answers.flatMap((answer) => ("ok" in answer ? [answer.ok] : [])));
    return c.json(answers);
  }));

  app.post("/v1/allowed-actions", checked(async (c, session, now) =>
    c.json(engine().allowedActions(request(session, await jsonBody(c), now))),
  ));
  return app;
}
