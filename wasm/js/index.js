// @orgkit/engine: the orgkit engine compiled to WebAssembly, for Node, edge runtimes and
// browsers. One contract underneath, the JSON call API; on top of it, errors as OrgkitError
// with the engine's stable code, and an Engine that keeps the loaded directory inside the
// Wasm instance so later calls pass small inputs.

import { checkFields } from "./check.js";

// Resolved only when the caller does not pass them (edge runtimes pass both).
const here = (file) => new URL(`../pkg/${file}`, import.meta.url);

/** An error from the engine: `code` is stable (`invalid_email`, `unknown_org`, …). */
export class OrgkitError extends Error {
  constructor(error) {
    super(error.message);
    this.name = "OrgkitError";
    this.code = error.code;
    this.path = error.path;
    this.reason = error.reason;
    this.problems = error.problems ?? [];
    this.problemsTruncated = error.problems_truncated ?? false;
    /** True when the Wasm instance aborted: load a new one with `loadOrgkit()`. */
    this.mustReload = error.mustReload ?? false;
  }
}

let instances = 0;

/**
 * The package's two builds of the same engine (same answers, same glue): "fast" (the default,
 * the engine compiled for speed) and "small" (compiled for size, ~0.37 MB less gzip).
 */
const BUILDS = { fast: "orgkit_wasm_bg.wasm", small: "orgkit_wasm_small_bg.wasm" };

async function wasmBytes(source, build = "fast") {
  if (!Object.hasOwn(BUILDS, build)) {
    throw new TypeError(`unknown build ${JSON.stringify(build)}: expected "fast" or "small"`);
  }
  if (source !== undefined) return source;
  if (typeof process !== "undefined" && process.versions?.node) {
    const { readFile } = await import("node:fs/promises");
    return readFile(here(BUILDS[build]));
  }
  return fetch(here(BUILDS[build]));
}

/** Unwraps a call envelope: the `ok` value, or throws the `error` as OrgkitError. */
export function unwrap(text) {
  const envelope = JSON.parse(text);
  if ("error" in envelope) throw new OrgkitError(envelope.error);
  return envelope.ok;
}

/** Converts `snake_case` op names to the camelCase method names of Engine. */
const camel = (op) => op.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/**
 * Loads a fresh engine instance. `options.wasm` may be the module's bytes, a Response, a URL
 * or a compiled WebAssembly.Module (edge runtimes import the .wasm as a module); by default it
 * is read next to this file: the build `options.build` names ("fast" unless "small"). Each call
 * gives an independent instance.
 */
export async function loadOrgkit(options = {}) {
  instances += 1;
  // A fresh copy of the glue per instance (its module state is the instance); edge runtimes,
  // which cannot import by URL, pass the glue module in `options.glue`.
  const glue = options.glue ?? (await import(`${here("orgkit_wasm.js").href}?instance=${instances}`));
  const source = await wasmBytes(options.wasm, options.build);
  if (source instanceof WebAssembly.Module || ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
    glue.initSync({ module: source });
  } else {
    await glue.default({ module_or_path: source });
  }
  let broken = null;

  // Every entry into Wasm goes through here: a trap (a panic aborts the instance) becomes an
  // OrgkitError, and the instance refuses further calls instead of answering wrongly.
  const guarded = (fn) => {
    if (broken) throw new OrgkitError(broken);
    try {
      return fn();
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        broken = {
          code: "internal",
          message: `the engine aborted: ${glue.lastPanic() ?? e.message}; load a new instance`,
          mustReload: true,
        };
        throw new OrgkitError(broken);
      }
      throw e;
    }
  };

  const names = JSON.parse(glue.ops());

  /** An engine holding a directory inside this Wasm instance. */
  class Engine {
    #inner = guarded(() => new glue.Engine());

    /** Runs `op` with `input` (an object) and returns the `ok` value or throws OrgkitError. */
    call(op, input = {}) {
      return unwrap(this.callJson(op, JSON.stringify(input)));
    }

    /** The raw JSON call: text in, envelope text out (never throws for engine errors). */
    callJson(op, inputText) {
      return guarded(() => this.#inner.call(op, inputText));
    }

    /**
     * `check`: `authorize`'s question answered with `{decision, policies, errors}` only. An
     * input of the plain shape goes in as fields, with no JSON text; any other through `call`.
     */
    check(input = {}) {
      const fields = checkFields(input);
      const text = fields && guarded(() => this.#inner.checkFields(...fields));
      return text === null || text === undefined ? this.call("check", input) : unwrap(text);
    }

    /** Frees the Wasm memory the engine holds. */
    free() {
      this.#inner.free();
    }
  }
  // One method per operation (`route`, `authorizeBatch`, `scimWrite`, …), each taking the
  // op's input object; `check` is the class's own.
  for (const op of names) {
    if (Object.hasOwn(Engine.prototype, camel(op))) continue;
    Object.defineProperty(Engine.prototype, camel(op), {
      value(input = {}) {
        return this.call(op, input);
      },
    });
  }

  return {
    Engine,
    /** Runs `op` statelessly: `input` may carry `directory`, `options` and `changes`. */
    call: (op, input = {}) => unwrap(guarded(() => glue.call(op, JSON.stringify(input)))),
    /** The raw stateless JSON call: text in, envelope text out. */
    callJson: (op, inputText) => guarded(() => glue.call(op, inputText)),
    /** Every operation name. */
    ops: names,
    /** The engine version. */
    version: glue.version(),
    /** For tests: aborts the instance with a panic. */
    __panicForTests: () => guarded(() => glue.__panicForTests()),
  };
}
