// The adapter in Cloudflare's workerd (through miniflare): test/workers/worker.ts, bundled with
// esbuild into one ES module (the app, the in-memory store, hono and @orgkit/engine's JS), runs
// beside the engine's glue and its Wasm (a CompiledWasm module) and answers discovery,
// authorization with WebCrypto-verified sessions, and SCIM over HTTP on 127.0.0.1.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import {
  checkDiscovery, checkForgedAndMissingTokens, claimsFor, directory, globexToken, JWS_ALGORITHMS, scimToken, send,
  sessionsConfig, sessionsMissing, signingKey, signJwt, SSO_CONFIGURE, type SigningKey,
} from "./fixtures.js";

/** The Worker as one ES module; its imports of the glue and the `.wasm` stay imports. */
async function bundleWorker(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./workers/worker.js", import.meta.url))],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker"],
    target: "es2022",
    // The glue and the Wasm are modules of their own in workerd; the engine's Node-only branch
    // (reading the .wasm with node:fs when no module is passed) is never taken there.
    external: ["*/orgkit_wasm.js", "*.wasm", "node:*"],
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/** A file of the built @orgkit/engine package (`pkg/…`). */
const enginePackageFile = (name: string) => readFile(new URL(`../pkg/${name}`, import.meta.resolve("@orgkit/engine")));

describe("the adapter's app in workerd, on the in-memory store", () => {
  let mf: Miniflare;
  const server = { url: "" };
  const keys: SigningKey[] = [];
  before(async () => {
    for (const alg of JWS_ALGORITHMS) keys.push(await signingKey(alg, `key-${alg}`));
    mf = new Miniflare({
      modules: [
        { type: "ESModule", path: "worker.mjs", contents: await bundleWorker() },
        { type: "ESModule", path: "orgkit_wasm.js", contents: await enginePackageFile("orgkit_wasm.js") },
        { type: "CompiledWasm", path: "orgkit_wasm_bg.wasm", contents: await enginePackageFile("orgkit_wasm_bg.wasm") },
      ],
      compatibilityDate: "2025-01-01",
      host: "127.0.0.1",
      port: 0,
      bindings: { DIRECTORY: JSON.stringify(directory), SESSIONS: JSON.stringify(sessionsConfig(keys)) },
    });
    server.url = (await mf.ready).origin;
  });
  after(() => mf?.dispose());

  test("it is served by workerd over HTTP on loopback", () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test("home-realm discovery answers with the org's branding", () => checkDiscovery(server));

  test("authorization: sessions verified with workerd's crypto.subtle, decided by Cedar", { skip: sessionsMissing }, async () => {
    for (const key of keys) {
      const ann = await signJwt(key, claimsFor("u_ann", "org_acme"));
      const allowed = await send(server, "POST", "/v1/authorize", { token: ann, body: SSO_CONFIGURE });
      assert.equal(allowed.status, 200, `${key.alg}: ${JSON.stringify(allowed.body)}`);
      assert.equal(allowed.body.decision, "allow", key.alg);
    }
    const first = keys[0]!;
    const bob = await signJwt(first, claimsFor("u_bob", "org_acme"));
    const denied = await send(server, "POST", "/v1/authorize", { token: bob, body: SSO_CONFIGURE });
    assert.equal(denied.status, 200);
    assert.equal(denied.body.decision, "deny");
    const checked = await send(server, "POST", "/v1/check", { token: bob, body: SSO_CONFIGURE });
    assert.equal(checked.status, 200);
    assert.deepEqual(checked.body, { decision: "deny", policies: denied.body.policies, errors: [] });
    await checkForgedAndMissingTokens(server, first);
  });

  test("SCIM 2.0: a User written and found by filter, for its org's token only", async () => {
    const user = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "erin@acme.com" };
    const created = await send(server, "POST", "/scim/v2/Users", { token: scimToken.token, body: user });
    assert.equal(created.status, 201);
    assert.equal(created.body.userName, "erin@acme.com");
    const filter = `/scim/v2/Users?filter=${encodeURIComponent('userName eq "ERIN@acme.com"')}`;
    const found = await send(server, "GET", filter, { token: scimToken.token });
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.Resources.map((r: { id: string }) => r.id), [created.body.id]);
    const other = await send(server, "GET", filter, { token: globexToken.token });
    assert.equal(other.body.totalResults, 0);
    const anonymous = await send(server, "GET", "/scim/v2/Users", {});
    assert.equal(anonymous.status, 401);
  });
});
