// The Hono app: every route over an injected Store and a loaded engine. Nothing here is
// Node-only, so the same app runs under @hono/node-server and as a Workers `fetch` handler.

import type { Orgkit } from "@orgkit/engine";
import { Hono } from "hono";
import { httpStatus, type HostContext } from "./context.js";
import { DirectoryEngine } from "./directory-engine.js";
import { HostError, wireError } from "./errors.js";
import { JwtVerifier, type SessionsConfig } from "./jwt.js";
import { auditRoutes } from "./routes/audit.js";
import { authorizeRoutes } from "./routes/authorize.js";
import { discoveryRoutes } from "./routes/discovery.js";
import { scimRoutes } from "./routes/scim.js";
import type { Store } from "./storage.js";

/** What a host is made of. */
export interface HostOptions {
  /** A loaded engine instance (`await loadOrgkit()`). */
  orgkit: Orgkit;
  /** Where the directory, memberships, audit logs and SCIM resources live. */
  store: Store;
  /** Trusted session issuers; passed to the engine's load options and to the JWT verifier. */
  sessions?: SessionsConfig;
  /** The clock, in milliseconds since the Unix epoch (default `Date.now`). */
  nowMs?: () => number;
  /** Fresh ids (default `crypto.randomUUID`). */
  newId?: () => string;
}

/** A running host: its app and the engine it keeps in step with the store. */
export interface Host {
  app: Hono;
  directory: DirectoryEngine;
}

/** Loads the store's directory into a new engine and builds the app over it. */
export async function createHost(options: HostOptions): Promise<Host> {
  const directory = await DirectoryEngine.open(options.orgkit, options.store.directory, options.sessions);
  const host: HostContext = {
    directory,
    store: options.store,
    verifier: options.sessions ? new JwtVerifier(options.sessions) : undefined,
    nowMs: options.nowMs ?? Date.now,
    newId: options.newId ?? (() => crypto.randomUUID()),
  };
  const app = new Hono();
  app.route("/", discoveryRoutes(host));
  app.route("/", authorizeRoutes(host));
  app.route("/", auditRoutes(host));
  app.route("/", scimRoutes(host));
  app.onError((e, c) => {
    const error = wireError(e);
    if (!error) throw e;
    const details = e instanceof HostError ? e.details : undefined;
    return c.json({ error, ...details }, httpStatus(host, error) as 400);
  });
  return { app, directory };
}
