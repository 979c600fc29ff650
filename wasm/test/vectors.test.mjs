// Every conformance vector through the Wasm package: each output must be byte-for-byte the
// native engine's (from ORGKIT_NATIVE_OUTPUTS, written by the native runner), and must match
// the case's expectation under the same rules as tests/src/lib.rs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { vectorFiles, vectorRoot } from "./vector-files.mjs";
import { loadOrgkit } from "../js/index.js";

function cases() {
  return vectorFiles().flatMap((path) =>
    readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => {
        const c = JSON.parse(line);
        const input = "input_raw" in c ? c.input_raw : JSON.stringify(c.input);
        return { file: path.slice(vectorRoot.length), id: c.id, op: c.op, input, expected: c.expected };
      }),
  );
}

/** The rules of tests/src/lib.rs `matches_pattern`: named keys, arrays by length, scalars by equality. */
function matches(pattern, actual, at) {
  if (pattern !== null && typeof pattern === "object" && !Array.isArray(pattern)) {
    assert.ok(actual !== null && typeof actual === "object" && !Array.isArray(actual), `${at}: not an object`);
    for (const [key, want] of Object.entries(pattern)) {
      assert.ok(key in actual, `${at}.${key}: missing`);
      matches(want, actual[key], `${at}.${key}`);
    }
  } else if (Array.isArray(pattern)) {
    assert.ok(Array.isArray(actual) && actual.length === pattern.length, `${at}: length differs`);
    pattern.forEach((want, i) => matches(want, actual[i], `${at}[${i}]`));
  } else {
    assert.deepEqual(actual, pattern, at);
  }
}

function nativeOutputs() {
  const path = process.env.ORGKIT_NATIVE_OUTPUTS;
  if (!path) return null;
  const outputs = new Map();
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const { id, output } = JSON.parse(line);
    outputs.set(id, output);
  }
  return outputs;
}

// The package's two builds of the engine must give the same output for every vector.
const builds = { fast: await loadOrgkit(), small: await loadOrgkit({ build: "small" }) };
const native = nativeOutputs();
const all = cases();

test("there are vectors, and native outputs for each when given", () => {
  assert.ok(all.length >= 500, `only ${all.length} vectors found`);
  if (native) assert.equal(native.size, all.length, "native outputs and vectors differ in number");
});

for (const c of all) {
  test(`${c.file} ${c.id}`, () => {
    const output = builds.fast.callJson(c.op, c.input);
    if (native) assert.equal(output, native.get(c.id), "differs from the native engine's output");
    assert.equal(builds.small.callJson(c.op, c.input), output, "the small build's output differs");
    const actual = JSON.parse(output);
    if ("ok" in c.expected) {
      assert.ok("ok" in actual, `expected ok, got ${output}`);
      assert.deepEqual(actual.ok, c.expected.ok);
    } else {
      assert.ok("error" in actual, `expected an error, got ${output}`);
      matches(c.expected.error, actual.error, "error");
    }
  });
}
