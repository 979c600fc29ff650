// The SQLite store hands its directory snapshot out as the stored JSON text (no parse and
// re-stringify in JS), either store takes it back in that form, and a host opened on it loads
// that text with the stored options and the host's sessions config together.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { OrgkitError } from "@orgkit/engine";
import { createHost, MemoryStore, serveNode, SqliteStore } from "../src/index.js";
import {
  claimsFor, directory, orgkit, send, sessionsConfig, sessionsMissing, signingKey, signJwt, SSO_CONFIGURE,
} from "./fixtures.js";

describe("the SQLite store's directory snapshot", () => {
  test("an empty store hands out the empty directory", async () => {
    const store = new SqliteStore(":memory:", orgkit);
    assert.deepEqual(await store.directory.snapshot(), { snapshot: { directory: { schema_version: 1 } }, seq: 0 });
    store.close();
  });

  test("a stored snapshot comes back as the directory's JSON text and its options", async () => {
    const store = new SqliteStore(":memory:", orgkit);
    const options = { feature_flags: { plan: "free" } };
    await store.directory.putSnapshot({ directory, options });
    const { snapshot, seq } = await store.directory.snapshot();
    assert.equal(seq, 0);
    assert.ok("directoryText" in snapshot);
    assert.deepEqual(JSON.parse(snapshot.directoryText), directory);
    assert.deepEqual(snapshot.options, options);
    store.close();
  });

  test("a snapshot stored without options has none", async () => {
    const store = new SqliteStore(":memory:", orgkit);
    await store.directory.putSnapshot({ directory });
    const { snapshot } = await store.directory.snapshot();
    assert.ok("directoryText" in snapshot);
    assert.equal(snapshot.options, undefined);
    store.close();
  });

  test("a snapshot handed out as text goes back into either store", async () => {
    const source = new SqliteStore(":memory:", orgkit);
    await source.directory.putSnapshot({ directory, options: { feature_flags: { plan: "free" } } });
    const { snapshot } = await source.directory.snapshot();
    for (const copy of [new SqliteStore(":memory:", orgkit), new MemoryStore()]) {
      await copy.directory.putSnapshot(snapshot);
      const again = (await copy.directory.snapshot()).snapshot;
      assert.deepEqual("directoryText" in again ? JSON.parse(again.directoryText) : again.directory, directory);
      assert.deepEqual(again.options, { feature_flags: { plan: "free" } });
      assert.deepEqual((await copy.memberships.membership("org_acme", "u_ann"))?.roles, ["admin"]);
    }
    source.close();
  });

  test("text that is not JSON is refused and changes nothing", async () => {
    const store = new SqliteStore(":memory:", orgkit);
    await store.directory.putSnapshot({ directory });
    const before = await store.directory.snapshot();
    await assert.rejects(store.directory.putSnapshot({ directoryText: '{"schema_version": 1,' }), SyntaxError);
    assert.deepEqual(await store.directory.snapshot(), before);
    assert.ok(await store.memberships.membership("org_acme", "u_ann"));
    store.close();
  });

  test("a host opened on it has the directory, the stored options and the sessions", { skip: sessionsMissing }, async () => {
    const store = new SqliteStore(":memory:", orgkit);
    await store.directory.putSnapshot({ directory, options: { feature_flags: { plan: "free" } } });
    const key = await signingKey("ES256", "snapshot-key");
    const host = await createHost({ orgkit, store, sessions: sessionsConfig([key]) });
    const engine = host.directory.engine;
    const expected = new orgkit.Engine();
    assert.deepEqual(engine.call("stats", {}), expected.load({ directory }));
    assert.deepEqual(engine.call("export", {}), expected.call("export", {}));
    assert.equal((engine.featureFlags({ org_id: "org_acme" }) as { plan: string }).plan, "free");
    const server = await serveNode(host.app);
    try {
      const answer = await send(server, "POST", "/v1/authorize", {
        token: await signJwt(key, claimsFor("u_ann", "org_acme")),
        body: SSO_CONFIGURE,
      });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.decision, "allow");
    } finally {
      await server.close();
      store.close();
    }
  });

  test("a damaged stored document fails the open instead of loading something else", async () => {
    const dir = mkdtempSync(join(tmpdir(), "orgkit-snapshot-"));
    const file = join(dir, "orgkit.db");
    try {
      for (const [document, refusal] of [
        ["not json", /malformed JSON/],
        ['{"options": {}}', (e: unknown) => e instanceof OrgkitError && e.code === "invalid_input"],
      ] as const) {
        const store = new SqliteStore(file, orgkit);
        await store.directory.putSnapshot({ directory });
        const db = new Database(file);
        db.prepare("UPDATE directory_snapshot SET document = ? WHERE id = 1").run(document);
        db.close();
        await assert.rejects(createHost({ orgkit, store }), refusal);
        store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
