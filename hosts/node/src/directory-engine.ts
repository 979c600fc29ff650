// Keeps an engine's directory in step with a DirectorySource: the whole document at open, then
// the change sets appended since, applied incrementally (no reload).

import { unwrap, type Engine, type DirectoryLoadOptions, type Orgkit } from "@orgkit/engine";
import type { ChangeSet, DirectorySource } from "./storage.js";
import type { SessionsConfig } from "./jwt.js";

/** An engine loaded from a DirectorySource, and how far into its change log it is. */
export class DirectoryEngine {
  /** The engine, for the routes' calls. */
  readonly engine: Engine;
  readonly #source: DirectorySource;
  #seq: number;

  private constructor(engine: Engine, source: DirectorySource, seq: number) {
    this.engine = engine;
    this.#source = source;
    this.#seq = seq;
  }

  /**
   * Loads the source's snapshot into a new engine of `orgkit`, with `sessions` added to its
   * load options when given, then applies the change sets logged since.
   */
  static async open(orgkit: Orgkit, source: DirectorySource, sessions?: SessionsConfig): Promise<DirectoryEngine> {
    const { snapshot, seq } = await source.snapshot();
    const engine = new orgkit.Engine();
    const options: DirectoryLoadOptions = { ...snapshot.options, ...(sessions ? { sessions } : {}) };
    // Stored text goes in as it is: the engine reads it straight into its records.
    const directory = "directoryText" in snapshot ? snapshot.directoryText : (JSON.stringify(snapshot.directory) ?? "null");
    unwrap(engine.callJson("load", `{"directory":${directory},"options":${JSON.stringify(options)}}`));
    const opened = new DirectoryEngine(engine, source, seq);
    await opened.sync();
    return opened;
  }

  /** Applies every change set logged after the last one applied (another process's writes). */
  async sync(): Promise<void> {
    for (const logged of await this.#source.changesSince(this.#seq)) this.applied(logged.seq, logged.changes);
  }

  /** Applies a change set this process just committed as `seq`; older ones are skipped. */
  applied(seq: number, changes: ChangeSet): void {
    if (seq <= this.#seq) return;
    this.engine.applyChanges({ changes });
    this.#seq = seq;
  }
}
