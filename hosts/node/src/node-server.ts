// Serving the app on Node with @hono/node-server (the only Node-specific part besides the
// SQLite store).

import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import type { Hono } from "hono";

/** A listening server and its address. */
export interface NodeServer {
  server: ServerType;
  /** `http://<host>:<port>` as bound. */
  url: string;
  /** Stops accepting connections and resolves once closed. */
  close(): Promise<void>;
}

/** Serves `app` on `hostname` (default 127.0.0.1) and `port` (default 0: any free port). */
export function serveNode(app: Hono, hostname = "127.0.0.1", port = 0): Promise<NodeServer> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname, port }, (info: AddressInfo) => {
      resolve({
        server,
        url: `http://${hostname}:${info.port}`,
        close: () => new Promise<void>((done, fail) => server.close((e) => (e ? fail(e) : done()))),
      });
    });
  });
}
