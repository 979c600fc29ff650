// The session step, in one place: the bearer JWT's signature is verified with WebCrypto, and
// the verified claims go to the engine's `session_resolve`, which checks every claim and says
// who the user is and in which org they act.

import type { Engine, Json } from "@orgkit/engine";
import { HostError } from "./errors.js";
import type { JwtVerifier } from "./jwt.js";

/** An active session, as `session_resolve` answers. */
export interface ActiveSession {
  status: "active";
  user_id: string;
  org_id: string;
  roles: string[];
  [field: string]: Json | undefined;
}

/** A session whose user must pick one of several orgs first. */
export interface OrgSelectionRequired {
  status: "organization_selection_required";
  user_id: string;
  candidates: { org_id: string; slug: string; name: string; roles: string[] }[];
}

/** What `session_resolve` answers. */
export type Session = ActiveSession | OrgSelectionRequired;

/** The token of an `Authorization: Bearer <token>` header; throws `invalid_token` when absent. */
export function bearerToken(authorization: string | undefined): string {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) throw new HostError("invalid_token", "send the session token as `Authorization: Bearer <token>`", "missing");
  return match[1]!;
}

/**
 * Resolves the session of a request: verifies the token's signature, then hands the verified
 * claims, the host's `now` (Unix seconds) and the requested org (if any) to the engine.
 */
export async function resolveSession(
  engine: Engine,
  verifier: JwtVerifier,
  authorization: string | undefined,
  now: number,
  orgId: string | undefined,
): Promise<Session> {
  const claims = await verifier.verify(bearerToken(authorization));
  const input = { verified_claims: claims as { [claim: string]: Json }, now, ...(orgId ? { org_id: orgId } : {}) };
  return engine.call("session_resolve", input) as unknown as Session;
}
