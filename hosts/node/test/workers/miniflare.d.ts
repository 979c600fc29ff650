// The part of miniflare's API that test/workers.test.ts uses, typed here (tsconfig.json maps
// `miniflare` to this file for the type check only; the test imports the real package). The
// declarations miniflare publishes import packages it does not depend on
// (`@cloudflare/workers-types`, `zod`, …), so they fail this project's strict, lib-checking build.

/** A module of the Worker: `path` is the name other modules import it by. */
export interface ModuleDefinition {
  type: "ESModule" | "CompiledWasm";
  path: string;
  contents: string | Uint8Array;
}

/** The options of a single Worker. */
export interface MiniflareOptions {
  modules: ModuleDefinition[];
  compatibilityDate: string;
  /** Where workerd listens for HTTP (default 127.0.0.1, a free port). */
  host?: string;
  port?: number;
  /** Plain-text bindings of the Worker's `env`. */
  bindings?: Record<string, string>;
}

/** A workerd process running the Worker. */
export declare class Miniflare {
  constructor(options: MiniflareOptions);
  /** Resolves to the Worker's URL once workerd listens. */
  get ready(): Promise<URL>;
  /** Stops workerd. */
  dispose(): Promise<void>;
}
