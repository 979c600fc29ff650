// The conformance vector files (tests/vectors/**/*.jsonl), for the tests that read them all.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The directory of the vector files. */
export const vectorRoot = new URL("../../tests/vectors/", import.meta.url).pathname;

/** Every vector file under `dir` (the whole tree by default), in a stable order. */
export function vectorFiles(dir = vectorRoot) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return vectorFiles(path);
      return name.endsWith(".jsonl") ? [path] : [];
    });
}
