// A Cloudflare Worker answering home-realm discovery and authorization with the engine: the
// Wasm module and its glue are bundled as modules, the directory comes from a binding.
import * as glue from "./orgkit_wasm.js";
import wasm from "./orgkit_wasm_bg.wasm";
import { loadOrgkit, OrgkitError } from "./index.js";

let engine;

async function ready(env) {
  if (!engine) {
    const orgkit = await loadOrgkit({ glue, wasm });
    engine = new orgkit.Engine();
    engine.load({ directory: JSON.parse(env.DIRECTORY) });
  }
  return engine;
}

export default {
  async fetch(request, env) {
    const engine = await ready(env);
    const { pathname } = new URL(request.url);
    try {
      const input = await request.json();
      if (pathname === "/route") return Response.json(engine.route(input));
      if (pathname === "/authorize") return Response.json(engine.authorize(input));
      if (pathname === "/check") return Response.json(engine.check(input));
      return new Response("not found", { status: 404 });
    } catch (e) {
      if (e instanceof OrgkitError) return Response.json({ code: e.code, message: e.message }, { status: 400 });
      throw e;
    }
  },
};
