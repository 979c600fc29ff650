// The adapter as a Cloudflare Worker, for test/workers.test.ts: the app of `createHost` over the
// in-memory store, its `fetch` as the Worker's. The engine's glue and Wasm are imported as
// modules of the Worker (workerd cannot read files or import by URL); the test bundles this file
// with esbuild, leaving those two imports to the modules it hands workerd. The directory and the
// trusted session issuers come from bindings (JSON text). Type-checked without Node's types.

import { loadOrgkit } from "@orgkit/engine";
import { createHost, MemoryStore, type Host } from "../../src/workers.js";
import * as glue from "./orgkit_wasm.js";
import wasm from "./orgkit_wasm_bg.wasm";

/** The Worker's bindings. */
interface Env {
  /** The directory document. */
  DIRECTORY: string;
  /** The `sessions` option of `createHost`, if any. */
  SESSIONS?: string;
}

let host: Promise<Host> | undefined;

/** Seeds an in-memory store with the directory and builds the host over it, once per isolate. */
async function start(env: Env): Promise<Host> {
  const store = new MemoryStore();
  await store.directory.putSnapshot({ directory: JSON.parse(env.DIRECTORY) });
  const orgkit = await loadOrgkit({ glue, wasm });
  return createHost({ orgkit, store, ...(env.SESSIONS ? { sessions: JSON.parse(env.SESSIONS) } : {}) });
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    host ??= start(env);
    return (await host).app.fetch(request, env);
  },
};
