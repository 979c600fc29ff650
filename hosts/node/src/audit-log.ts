// Writing to the audit sink: an event the engine made (a decision, a SCIM write, an audit
// query) is chained by the engine's `audit_record` after the org's last stored event (its
// `previous`), inside the caller's transaction, and stored only when the engine records it
// (allowing `authz.decision` events may be sampled out).

import type { AuditContext, AuditEvent, Engine } from "@orgkit/engine";
import type { Context } from "hono";
import type { ChainedEvent, WriteTransaction } from "./storage.js";

/** Chains `event` after its org's last event and stores it; `undefined` when sampled out. */
export function recordEvent(tx: WriteTransaction, engine: Engine, event: AuditEvent): ChainedEvent | undefined {
  const previous = tx.lastEvent(event.org_id);
  const answer = engine.auditRecord({ event, ...(previous ? { previous } : {}) });
  if (!answer.recorded || !answer.event) return undefined;
  tx.appendEvent(answer.event);
  return answer.event;
}

/** The request context an event carries: the client's user agent, when it sent one. */
export function auditContext(c: Context): AuditContext {
  const userAgent = c.req.header("user-agent");
  return userAgent === undefined ? {} : { user_agent: userAgent };
}
