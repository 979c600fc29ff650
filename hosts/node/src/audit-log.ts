// Writing to the audit sink: an event is chained by the engine's `audit_record` after the
// org's last stored event (its `previous`), inside the caller's transaction, and stored only
// when the engine records it (allowing `authz.decision` events may be sampled out).

import type { Engine, Json } from "@orgkit/engine";
import type { ChainedEvent, WriteTransaction } from "./storage.js";

/** An audit event before chaining, in the engine's event schema. */
export interface AuditEvent {
  id: string;
  org_id: string;
  action: string;
  version?: number;
  occurred_at: number;
  actor: { type: string; id: string };
  targets: { type: string; id: string }[];
  outcome: "success" | "failure" | "allow" | "deny";
  metadata?: { [key: string]: Json };
}

/** Chains `event` after its org's last event and stores it; `undefined` when sampled out. */
export function recordEvent(tx: WriteTransaction, engine: Engine, event: AuditEvent): ChainedEvent | undefined {
  const previous = tx.lastEvent(event.org_id);
  const answer = engine.call("audit_record", { event, ...(previous ? { previous } : {}) }) as {
    recorded: boolean;
    event?: ChainedEvent;
  };
  if (!answer.recorded || !answer.event) return undefined;
  tx.appendEvent(answer.event);
  return answer.event;
}
