// SCIM 2.0 per org under `/scim/v2/`: the bearer token names the org (`scim_authenticate`).
// Reads are parsed by `scim_parse_request`; a list (also the root-level `POST /.search` over
// Users and Groups) becomes SQL (`sql_scim_list`) or a predicate and an order
// (`scim_filter_matches`, `scim_sort`) as the store needs. Writes run through `scim_write`, and the
// resource, the membership it implies, the directory change and the audit event are stored in
// one transaction, the engine's directory updated inside it. Bodies and statuses come from
// `scim_response`, `scim_list_response`, `scim_error_response` and `scim_discovery`.

import type { Json, JsonObject, OpInput, ScimListQuery as ListQuery, ScimOperation, ScimProjection, ScimRequest, ScimWriteResult } from "@orgkit/engine";
import { Hono, type Context } from "hono";
import type { HostContext } from "../context.js";
import { HostError, wireError } from "../errors.js";
import { auditContext, recordEvent } from "../audit-log.js";
import { attribute } from "../records.js";
import type { ChangeSet, ScimKind, ScimListQuery, StoredResource, WriteTransaction } from "../storage.js";

/** Where the SCIM endpoints are mounted. */
export const SCIM_BASE = "/scim/v2";

const SCIM_JSON = "application/scim+json";

/** The operations that write a resource. */
type WriteOperation = Extract<ScimOperation, { op: "create" | "replace" | "patch" | "delete" }>;

const DISCOVERY = new Map<string, OpInput<"scim_discovery">["document"]>([
  ["service_provider_config", "ServiceProviderConfig"],
  ["resource_types", "ResourceTypes"],
  ["schemas", "Schemas"],
]);

/** The request as the engine's SCIM ops take it. */
async function requestOf(c: Context): Promise<ScimRequest> {
  const url = new URL(c.req.url);
  const headers: { [key: string]: string } = {};
  for (const [field, header] of [["content_type", "content-type"], ["if_match", "if-match"], ["if_none_match", "if-none-match"]]) {
    const value = c.req.header(header!);
    if (value !== undefined) headers[field!] = value;
  }
  const body = ["POST", "PUT", "PATCH"].includes(c.req.method) ? await c.req.text() : undefined;
  return {
    method: c.req.method,
    path: url.pathname.slice(SCIM_BASE.length) || "/",
    ...(url.search ? { query: url.search.slice(1) } : {}),
    headers,
    ...(body === undefined ? {} : { body }),
  };
}

/** The texts of a list request's `filter`, `sortBy` and `sortOrder`: the query parameters, or
 *  the `.search` body's members (names in any case; the engine has already checked them). */
function listTexts(request: { query?: string; body?: string }): Pick<ScimListQuery, "filter" | "sortBy" | "sortOrder"> {
  const body = request.body === undefined ? undefined : (JSON.parse(request.body) as Json);
  const params = [...new URLSearchParams(request.query ?? "")];
  const text = (name: string): string | undefined => {
    const value = body === undefined
      ? params.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]
      : attribute(body, name);
    return typeof value === "string" ? value : undefined;
  };
  const texts: Pick<ScimListQuery, "filter" | "sortBy" | "sortOrder"> = {};
  for (const [field, name] of [["filter", "filter"], ["sortBy", "sortBy"], ["sortOrder", "sortOrder"]] as const) {
    const value = text(name);
    if (value !== undefined) texts[field] = value;
  }
  return texts;
}

/** The SCIM routes. */
export function scimRoutes(host: HostContext): Hono {
  const app = new Hono();
  const engine = () => host.directory.engine;

  const shape = (stored: StoredResource, baseUrl: string, projection: ScimProjection | undefined) =>
    engine().scimResponse({
      resource: stored.resource,
      kind: stored.kind,
      id: stored.id,
      created_ms: stored.created_ms,
      last_modified_ms: stored.last_modified_ms,
      version: stored.version,
      base_url: baseUrl,
      ...(projection === undefined ? {} : { projection }),
    }) as JsonObject & { meta: { location: string; version: string } };

  const scimJson = (c: Context, body: Json, status: number, extra: { [header: string]: string } = {}) =>
    c.body(JSON.stringify(body), status as 200, { "content-type": SCIM_JSON, ...extra });

  /** A list of one type, or of both (`kind` undefined: a root-level `.search`), each resource
   *  shaped with its own kind. */
  const list = async (c: Context, orgId: string, kind: ScimKind | undefined, query: ListQuery, request: ScimRequest, baseUrl: string) => {
    const texts = listTexts(request);
    const page = await host.store.scim.list(orgId, {
      ...(kind ? { kind } : {}),
      ...texts,
      offset: query.start_index - 1,
      limit: query.count,
      matches: (stored) => engine().scimFilterMatches({ filter: texts.filter ?? "", resource: shape(stored, baseUrl, undefined) }),
      sort: (resources) => {
        const order = engine().scimSort({
          resources: resources.map((r) => ({
            kind: r.kind, id: r.id, resource: r.resource,
            created_at: Math.round(r.created_ms * 1000), updated_at: Math.round(r.last_modified_ms * 1000),
          })),
          ...(kind ? { kind } : {}),
          ...(texts.sortBy === undefined ? {} : { sort_by: texts.sortBy }),
          ...(texts.sortOrder === undefined ? {} : { sort_order: texts.sortOrder }),
        });
        return order.map((i) => resources[i]!);
      },
    });
    const resources = page.resources.map((stored) => shape(stored, baseUrl, query.projection));
    return scimJson(c, engine().scimListResponse({ resources, total: page.total, start_index: query.start_index }), 200);
  };

  /** The membership and directory change a User write implies, stored in `tx`. */
  const membershipChanges = (tx: WriteTransaction, written: ScimWriteResult): Json[] => {
    const orgId = written.caller.org_id;
    const effect = written.membership;
    if (written.kind !== "User" || effect.op === "unchanged") return [];
    if (effect.op === "remove") {
      if (!tx.membership(orgId, written.id)) return [];
      tx.removeMembership(orgId, written.id);
      return [{ op: "remove_membership", user_id: written.id, org_id: orgId }];
    }
    const membership = { user_id: written.id, org_id: orgId, roles: effect.roles, status: effect.status };
    tx.putMembership(membership);
    return [
      { op: "upsert_user", user: { id: written.id, email: written.user!.email } },
      { op: "upsert_membership", membership },
    ];
  };

  const write = async (c: Context, orgId: string, operation: WriteOperation, request: ScimRequest, baseUrl: string) => {
    await host.directory.sync();
    const kind = operation.kind;
    const id = operation.op === "create" ? undefined : operation.id;
    const nowMs = host.nowMs();
    const newId = operation.op === "create" ? host.newId() : undefined;
    const groups = kind === "User" && id ? await host.store.scim.groupsOf(orgId, id) : [];
    const stored = await host.store.transaction((tx) => {
      const current = id === undefined ? undefined : tx.resource(orgId, kind, id);
      const written = engine().scimWrite({
        ...request,
        authorization: c.req.header("authorization") ?? "",
        ...(current ? { current: current.resource, current_version: current.version } : {}),
        ...(newId ? { new_id: newId } : {}),
        groups,
        now: Math.floor(nowMs / 1000),
        event_id: host.newId(),
        audit_context: auditContext(c),
      });
      const next: StoredResource | undefined = written.resource && {
        kind,
        id: written.id,
        resource: written.resource,
        version: String(Number(current?.version ?? 0) + 1),
        created_ms: current?.created_ms ?? nowMs,
        last_modified_ms: nowMs,
      };
      if (next) tx.putResource(orgId, next);
      else tx.deleteResource(orgId, kind, written.id);
      recordEvent(tx, engine(), written.event);
      const changes = membershipChanges(tx, written);
      if (changes.length) {
        const set: ChangeSet = { schema_version: 1, changes };
        host.directory.applied(tx.appendChanges(set), set);
      }
      return next;
    });
    if (!stored) return c.body(null, 204);
    const body = shape(stored, baseUrl, operation.op === "delete" ? undefined : operation.projection);
    const created = operation.op === "create";
    return scimJson(c, body, created ? 201 : 200, {
      etag: body.meta.version,
      ...(created ? { location: body.meta.location } : {}),
    });
  };

  app.all(`${SCIM_BASE}/*`, async (c) => {
    const baseUrl = `${new URL(c.req.url).origin}${SCIM_BASE}`;
    try {
      const caller = engine().scimAuthenticate({ authorization: c.req.header("authorization") ?? "" });
      const request = await requestOf(c);
      const { operation } = engine().scimParseRequest(request);
      const document = DISCOVERY.get(operation.op);
      if (document) return scimJson(c, engine().scimDiscovery({ document, base_url: baseUrl }), 200);
      switch (operation.op) {
        case "list":
          return await list(c, caller.org_id, operation.kind ?? undefined, operation.query, request, baseUrl);
        case "get": {
          const stored = await host.store.scim.get(caller.org_id, operation.kind, operation.id);
          if (!stored) throw new HostError("not_found", `no ${operation.kind} has id \`${operation.id}\``);
          const body = shape(stored, baseUrl, operation.projection);
          const ifNoneMatch = c.req.header("if-none-match");
          if (ifNoneMatch && engine().scimEtagMatches({ header: ifNoneMatch, version: stored.version })) {
            return c.body(null, 304, { etag: body.meta.version });
          }
          return scimJson(c, body, 200, { etag: body.meta.version });
        }
        case "create":
        case "replace":
        case "patch":
        case "delete":
          return await write(c, caller.org_id, operation, request, baseUrl);
        default:
          throw new HostError("not_implemented", `${request.path} is not served by this host`);
      }
    } catch (e) {
      const error = wireError(e);
      if (!error) throw e;
      const { http_status, ...body } = engine().scimErrorResponse({ error });
      return scimJson(c, body, http_status);
    }
  });
  return app;
}
