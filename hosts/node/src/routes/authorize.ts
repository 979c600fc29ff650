// Authorization checks for the session's user in the session's org: `POST /v1/authorize`,
// `POST /v1/authorize/batch` and `POST /v1/allowed-actions`. The body is the engine's request
// less `principal`, `active_org` and `now`, which come from the verified session and the host's
// clock. Every decision is recorded in the org's audit log (the engine samples allows).

import type { AuthorizeRequest, AuthzDecision, Json } from "@orgkit/engine";
import { Hono, type Context } from "hono";
import { activeSession, jsonBody, nowSeconds, type HostContext } from "../context.js";
import { HostError } from "../errors.js";
import { recordEvent } from "../audit-log.js";
import type { ActiveSession } from "../session.js";

/** The fields a client may not send: the session and the clock decide them. */
const FROM_SESSION = ["principal", "active_org", "now"];

/** The authorization routes. */
export function authorizeRoutes(host: HostContext): Hono {
  const app = new Hono();
  const engine = () => host.directory.engine;

  const request = (session: ActiveSession, body: Json, now: number) => {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new HostError("invalid_input", "each request is a JSON object");
    }
    const sent = FROM_SESSION.find((field) => field in body);
    if (sent) throw new HostError("invalid_input", `\`${sent}\` comes from the session, not the request`);
    return { ...body, principal: { user: session.user_id }, active_org: session.org_id, now } as unknown as AuthorizeRequest;
  };

  const record = async (session: ActiveSession, asked: AuthorizeRequest, answer: AuthzDecision) =>
    host.store.transaction((tx) =>
      recordEvent(tx, engine(), {
        id: host.newId(),
        org_id: answer.event.org_id,
        action: answer.event.action,
        occurred_at: answer.event.occurred_at,
        actor: { type: "user", id: session.user_id },
        targets: [{ type: asked.resource.type, id: asked.resource.id }],
        outcome: answer.event.outcome,
        metadata: { requested_action: answer.event.requested_action, policies: answer.event.policies },
      }),
    );

  const checked = (handler: (c: Context, session: ActiveSession, now: number) => Promise<Response>) =>
    async (c: Context) => handler(c, await activeSession(host, c), nowSeconds(host));

  app.post("/v1/authorize", checked(async (c, session, now) => {
    const asked = request(session, await jsonBody(c), now);
    const answer = engine().authorize(asked);
    await record(session, asked, answer);
    return c.json(answer);
  }));

  app.post("/v1/authorize/batch", checked(async (c, session, now) => {
    const { requests } = await jsonBody(c);
    if (!Array.isArray(requests)) throw new HostError("invalid_input", "`requests` is a list of requests");
    const asked = requests.map((r) => request(session, r, now));
    const answers = engine().authorizeBatch({ requests: asked });
    for (const [i, answer] of answers.entries()) {
      if ("ok" in answer) await record(session, asked[i]!, answer.ok);
    }
    return c.json(answers);
  }));

  app.post("/v1/allowed-actions", checked(async (c, session, now) =>
    c.json(engine().allowedActions(request(session, await jsonBody(c), now))),
  ));
  return app;
}
