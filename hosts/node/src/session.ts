// The session step, in one place: the bearer JWT's signature is verified with WebCrypto, and
// the verified claims go to the engine's `session_resolve`, which checks every claim (iss, aud,
// exp, nbf, org binding) and says who the user is and in which org they act.

import type { Engine, Json, SessionOutcome } from "@orgkit/engine";
import { HostError } from "./errors.js";
import type { JwtVerifier } from "./jwt.js";

/** A session bound to one active org, as `session_resolve` answers it. */
export type ActiveSession = Extract<SessionOutcome, { status: "active" }>;

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
): Promise<SessionOutcome> {
  const claims = (await verifier.verify(bearerToken(authorization))) as { [claim: string]: Json };
  return engine.sessionResolve({ verified_claims: claims, now, ...(orgId ? { org_id: orgId } : {}) });
}
