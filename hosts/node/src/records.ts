// Reading the few fields the stores index out of JSON records: the directory's memberships and
// a SCIM resource's attributes (names compare ignoring ASCII case, as SCIM's do).

import type { DirectoryDoc, Json } from "@orgkit/engine";
import type { DirectorySnapshot, DirectorySnapshotText, StoredMembership } from "./storage.js";

type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The value of `name` in `object`, the attribute name compared ignoring ASCII case. */
export function attribute(object: Json | undefined, name: string): Json | undefined {
  if (!isObject(object)) return undefined;
  const lower = name.toLowerCase();
  const found = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : object[found];
}

/** A multi-valued attribute as its list of objects (empty when absent or malformed). */
function values(object: Json | undefined, name: string): JsonObject[] {
  const list = attribute(object, name);
  return Array.isArray(list) ? list.filter(isObject) : [];
}

/** Text of a single-valued attribute, or `null`. */
function text(object: Json | undefined, name: string): string | null {
  const value = attribute(object, name);
  return typeof value === "string" ? value : null;
}

/** A Group's `members` as `{value, type}` pairs. */
export function membersOf(group: Json): { value: string; type: string | null }[] {
  return values(group, "members")
    .filter((m) => typeof attribute(m, "value") === "string")
    .map((m) => ({ value: attribute(m, "value") as string, type: text(m, "type") }));
}

/** A snapshot's directory as a document: parsed when it is the stored text. */
export function directoryOf(snapshot: DirectorySnapshot | DirectorySnapshotText): DirectoryDoc {
  // Parsed text is only JSON: the engine checks it is a directory when it loads.
  return "directoryText" in snapshot ? (JSON.parse(snapshot.directoryText) as DirectoryDoc) : snapshot.directory;
}

/** The memberships of a directory document. */
export function membershipsOf(directory: unknown): StoredMembership[] {
  const list = isObject(directory) ? directory.memberships : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((m) => ({
    user_id: String(m.user_id),
    org_id: String(m.org_id),
    roles: Array.isArray(m.roles) ? m.roles.map(String) : [],
    status: m.status as StoredMembership["status"],
  }));
}
