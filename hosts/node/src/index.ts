// @orgkit/node-host: the host adapter for @orgkit/engine. The app, stores and session pieces;
// `SqliteStore` and `serveNode` are Node-only, everything else (`./workers.js`, also exported
// as `@orgkit/node-host/workers`) also runs in Workers.

export * from "./workers.js";
export { SqliteStore } from "./sqlite-store.js";
export { serveNode, type NodeServer } from "./node-server.js";
