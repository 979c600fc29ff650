// @orgkit/node-host: the host adapter for @orgkit/engine. The app, stores and session pieces;
// `SqliteStore` and `serveNode` are Node-only, everything else also runs in Workers.

export { createHost, type Host, type HostOptions } from "./app.js";
export { DirectoryEngine } from "./directory-engine.js";
export { HostError } from "./errors.js";
export { JwtVerifier, type IssuerConfig, type Jwk, type SessionsConfig, type VerifiedClaims } from "./jwt.js";
export { MemoryStore } from "./memory-store.js";
export { SqliteStore } from "./sqlite-store.js";
export { serveNode, type NodeServer } from "./node-server.js";
export { auditContext, recordEvent } from "./audit-log.js";
export { bearerToken, resolveSession, type ActiveSession } from "./session.js";
export { ORG_HEADER } from "./context.js";
export { SCIM_BASE } from "./routes/scim.js";
export type * from "./storage.js";
