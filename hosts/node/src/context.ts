// What every route shares: the engine (kept in step with the store), the store, the session
// verifier, and the host's clock and id source. Nothing here is Node-only.

import type { Json } from "@orgkit/engine";
import type { Context } from "hono";
import type { DirectoryEngine } from "./directory-engine.js";
import { HostError, type WireError } from "./errors.js";
import type { JwtVerifier } from "./jwt.js";
import { resolveSession, type ActiveSession } from "./session.js";
import type { Store } from "./storage.js";

/** The routes' dependencies. */
export interface HostContext {
  directory: DirectoryEngine;
  store: Store;
  /** `undefined` when no session issuers are configured: session routes then answer 501. */
  verifier: JwtVerifier | undefined;
  /** The host's clock, in milliseconds since the Unix epoch. */
  nowMs(): number;
  /** A fresh unique id (resource and event ids). */
  newId(): string;
}

/** The host's clock in Unix seconds, as the engine's `now` fields take it. */
export const nowSeconds = (host: HostContext) => Math.floor(host.nowMs() / 1000);

/** The request header that names the org a user acts in, when their session allows several. */
export const ORG_HEADER = "orgkit-org";

/** The HTTP status of an engine error code, as the engine maps it (`scim_error_response`). */
export function httpStatus(host: HostContext, error: WireError): number {
  return host.directory.engine.scimErrorResponse({ error }).http_status;
}

/** The request's JSON body as an object; `invalid_json` otherwise. */
export async function jsonBody(c: Context): Promise<{ [key: string]: Json }> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new HostError("invalid_json", "the body is not valid JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HostError("invalid_input", "the body must be a JSON object");
  }
  return body as { [key: string]: Json };
}

/** The active session of the request; an org choice still pending is `forbidden`, with the candidates. */
export async function activeSession(host: HostContext, c: Context): Promise<ActiveSession> {
  if (!host.verifier) throw new HostError("not_implemented", "no session issuers are configured");
  const session = await resolveSession(
    host.directory.engine,
    host.verifier,
    c.req.header("authorization"),
    nowSeconds(host),
    c.req.header(ORG_HEADER),
  );
  if (session.status === "organization_selection_required") {
    throw new HostError("forbidden", `pick an organization with the ${ORG_HEADER} header`, session.status, {
      candidates: session.candidates,
    });
  }
  if (session.status !== "active") throw new HostError("forbidden", "the user belongs to no organization", session.status);
  return session;
}
