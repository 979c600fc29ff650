// @orgkit/node-host/workers: the adapter without its Node-only modules, for Workers and other
// runtimes with web APIs only (fetch, crypto.subtle, WebAssembly). It is type-checked without
// Node's types (tsconfig.portable.json), and test/workers.test.ts runs it in workerd.

export { createHost, type Host, type HostOptions } from "./app.js";
export { DirectoryEngine } from "./directory-engine.js";
export { HostError } from "./errors.js";
export { JwtVerifier, type IssuerConfig, type Jwk, type SessionsConfig, type VerifiedClaims } from "./jwt.js";
export { MemoryStore } from "./memory-store.js";
export { directoryOf } from "./records.js";
export { auditContext, recordEvent } from "./audit-log.js";
export { bearerToken, resolveSession, type ActiveSession } from "./session.js";
export { ORG_HEADER } from "./context.js";
export { SCIM_BASE } from "./routes/scim.js";
export type * from "./storage.js";
