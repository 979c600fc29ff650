// Errors the adapter raises itself (a bad bearer token, an operation a store cannot run). They
// carry the engine's stable codes, so the HTTP layer answers them like the engine's own errors.

import type { ErrorCode } from "@orgkit/engine";

/** An adapter error with one of the engine's error codes (`invalid_token`, `not_implemented`, …). */
export class HostError extends Error {
  /** The engine's stable error code. */
  readonly code: ErrorCode;
  /** A finer machine-readable reason. */
  readonly reason: string | undefined;
  /** Fields added to the error body (e.g. the candidate orgs of a session). */
  readonly details: { [key: string]: unknown } | undefined;

  /** An error with `code`, a message for people, an optional `reason` and body `details`. */
  constructor(code: ErrorCode, message: string, reason?: string, details?: { [key: string]: unknown }) {
    super(message);
    this.name = "HostError";
    this.code = code;
    this.reason = reason;
    this.details = details;
  }
}

/** The wire form of an error (`{code, message, reason?, path?}`), for errors that have a code. */
export interface WireError {
  code: ErrorCode;
  message: string;
  reason?: string;
  path?: string;
}

/** The wire form of an engine or adapter error; `undefined` for any other throw. */
export function wireError(e: unknown): WireError | undefined {
  if (!(e instanceof Error) || typeof (e as { code?: unknown }).code !== "string") return undefined;
  const { code, reason, path } = e as Error & { code: ErrorCode; reason?: string; path?: string };
  return {
    code,
    message: e.message,
    ...(reason === undefined ? {} : { reason }),
    ...(path === undefined ? {} : { path }),
  };
}
