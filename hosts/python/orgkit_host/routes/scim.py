"""SCIM 2.0 per org under ``/scim/v2/``: the bearer token names the org (``scim_authenticate``).

Reads are parsed by ``scim_parse_request``; a list filter becomes SQL (``scim_filter_sql``,
dialect ``sqlite``) or a predicate (``scim_filter_matches``) as the store needs. Writes run
through ``scim_write``, and the resource, the membership it implies, the directory change and
the audit event (chained by ``audit_record`` after the org's last one) are stored in one
transaction, the engine's directory updated inside it. Bodies and statuses come from
``scim_response``, ``scim_list_response``, ``scim_error_response`` and ``scim_discovery``.
"""

from __future__ import annotations

import json
from typing import Any, Optional
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..audit_log import audit_context, record_event
from ..context import HostContext
from ..errors import HostError, error_response, wire_error
from ..records import attribute
from ..storage import ChangeSet, Page, ScimKind, SqlFragment, StoredMembership, StoredResource, WriteTransaction

SCIM_BASE = "/scim/v2"
"""Where the SCIM endpoints are mounted."""

SCIM_JSON = "application/scim+json"

DISCOVERY = {
    "service_provider_config": "ServiceProviderConfig",
    "resource_types": "ResourceTypes",
    "schemas": "Schemas",
}
"""The discovery operations of ``scim_parse_request`` and the documents that answer them."""

_HEADERS = {"content_type": "content-type", "if_match": "if-match", "if_none_match": "if-none-match"}


def scim_json(body: Any, status: int = 200, headers: Optional[dict[str, str]] = None) -> Response:
    """A SCIM JSON response."""
    return Response(json.dumps(body, ensure_ascii=False), status, headers, media_type=SCIM_JSON)


async def request_of(request: Request) -> dict[str, Any]:
    """The request as the engine's SCIM ops take it: method, path below the base, raw query,
    the headers they read, and the body text of a write."""
    scim: dict[str, Any] = {
        "method": request.method,
        "path": request.url.path[len(SCIM_BASE) :] or "/",
        "headers": {field: request.headers[h] for field, h in _HEADERS.items() if h in request.headers},
    }
    if request.url.query:
        scim["query"] = request.url.query
    if request.method in ("POST", "PUT", "PATCH"):
        scim["body"] = (await request.body()).decode("utf-8", errors="replace")
    return scim


def filter_text(scim: dict[str, Any]) -> Optional[str]:
    """The ``filter`` of a list request: the query parameter, or the ``.search`` body's member
    (the body was already parsed as JSON by ``scim_parse_request``)."""
    if "body" in scim:
        found = attribute(json.loads(scim["body"]), "filter")
        return found if isinstance(found, str) else None
    return next((v for k, v in parse_qsl(scim.get("query", "")) if k.lower() == "filter"), None)


class _Filter:
    """A list filter in both forms a store may use (``storage.ScimFilter``)."""

    def __init__(self, host: HostContext, text: str, kind: ScimKind, shape: Any) -> None:
        self._host, self._text, self._kind, self._shape = host, text, kind, shape

    def sql(self) -> SqlFragment:
        """The engine's ``WHERE`` fragment over the reference schema."""
        engine = self._host.directory.engine
        return SqlFragment(**engine.scim_filter_sql(filter=self._text, resource_type=self._kind, dialect="sqlite"))

    def matches(self, stored: StoredResource) -> bool:
        """The engine's predicate on the resource as served."""
        return bool(self._host.directory.engine.scim_filter_matches(filter=self._text, resource=self._shape(stored)))


def routes(host: HostContext) -> list[BaseRoute]:
    """The SCIM routes."""
    engine = host.directory.engine

    def shape(stored: StoredResource, base_url: str, projection: Any = None) -> dict[str, Any]:
        """The stored resource as served: ``id``, ``meta``, projected."""
        fields = {} if projection is None else {"projection": projection}
        return engine.scim_response(
            resource=stored.resource,
            kind=stored.kind,
            id=stored.id,
            created_ms=stored.created_ms,
            last_modified_ms=stored.last_modified_ms,
            version=stored.version,
            base_url=base_url,
            **fields,
        )

    def list_page(org_id: str, kind: ScimKind, query: dict[str, Any], text: Optional[str], base_url: str) -> Response:
        found = None if text is None else _Filter(host, text, kind, lambda s: shape(s, base_url))
        start = query["start_index"]
        total, page = host.store.scim.list_resources(org_id, kind, found, Page(start - 1, query["count"]))
        resources = [shape(s, base_url, query["projection"]) for s in page]
        return scim_json(engine.scim_list_response(resources=resources, total=total, start_index=start))

    def get(
        org_id: str, kind: ScimKind, id: str, projection: Any, if_none_match: Optional[str], base_url: str
    ) -> Response:
        stored = host.store.scim.get(org_id, kind, id)
        if stored is None:
            raise HostError("not_found", f"no {kind} has id `{id}`")
        body = shape(stored, base_url, projection)
        etag = body["meta"]["version"]
        if if_none_match and engine.scim_etag_matches(header=if_none_match, version=stored.version):
            return Response(status_code=304, headers={"etag": etag})
        return scim_json(body, headers={"etag": etag})

    def membership_changes(tx: WriteTransaction, written: dict[str, Any]) -> list[dict[str, Any]]:
        """The membership and directory change a User write implies, stored in ``tx``."""
        org_id, user_id, effect = written["caller"]["org_id"], written["id"], written["membership"]
        if written["kind"] != "User" or effect["op"] == "unchanged":
            return []
        if effect["op"] == "remove":
            if tx.membership(org_id, user_id) is None:
                return []
            tx.remove_membership(org_id, user_id)
            return [{"op": "remove_membership", "user_id": user_id, "org_id": org_id}]
        membership = StoredMembership(org_id, user_id, effect["roles"], effect["status"])
        tx.put_membership(membership)
        return [
            {"op": "upsert_user", "user": {"id": user_id, "email": written["user"]["email"]}},
            {"op": "upsert_membership", "membership": vars(membership)},
        ]

    def write(
        org_id: str, operation: dict[str, Any], scim: dict[str, Any], authorization: str, context: Any, base_url: str
    ) -> Response:
        host.directory.sync()
        kind: ScimKind = operation["kind"]
        id: Optional[str] = operation.get("id")
        now_ms = host.now_ms()
        groups = [vars(g) for g in host.store.scim.groups_of(org_id, id)] if kind == "User" and id else []
        with host.store.transaction() as tx:
            current = None if id is None else tx.resource(org_id, kind, id)
            extra: dict[str, Any] = {}
            if current is not None:
                extra.update(current=current.resource, current_version=current.version)
            if operation["op"] == "create":
                extra["new_id"] = host.new_id()
            written = engine.scim_write(
                {**scim, **extra},
                authorization=authorization,
                groups=groups,
                now=now_ms // 1000,
                event_id=host.new_id(),
                audit_context=context,
            )
            stored = None
            if written.get("resource") is not None:
                stored = StoredResource(
                    kind=kind,
                    id=written["id"],
                    resource=written["resource"],
                    version=str(int(current.version if current else 0) + 1),
                    created_ms=current.created_ms if current else now_ms,
                    last_modified_ms=now_ms,
                )
                tx.put_resource(org_id, stored)
            else:
                tx.delete_resource(org_id, kind, written["id"])
            record_event(tx, engine, written["event"])
            changes = membership_changes(tx, written)
            if changes:
                change_set: ChangeSet = {"schema_version": 1, "changes": changes}
                host.directory.applied(tx.append_changes(change_set), change_set)
        if stored is None:
            return Response(status_code=204)
        body = shape(stored, base_url, operation.get("projection"))
        created = operation["op"] == "create"
        headers = {"etag": body["meta"]["version"]}
        if created:
            headers["location"] = body["meta"]["location"]
        return scim_json(body, 201 if created else 200, headers)

    async def endpoint(request: Request) -> Response:
        base_url = str(request.base_url).rstrip("/") + SCIM_BASE
        authorization = request.headers.get("authorization", "")
        try:
            caller = engine.scim_authenticate(authorization=authorization)
            org_id = caller["org_id"]
            scim = await request_of(request)
            parsed = engine.scim_parse_request(scim)
            operation = parsed["operation"]
            op = operation["op"]
            if op in DISCOVERY:
                return scim_json(engine.scim_discovery(document=DISCOVERY[op], base_url=base_url))
            if op == "list":
                if not operation.get("kind"):
                    raise HostError("not_implemented", "searching every resource type at once is not implemented")
                text = filter_text(scim)
                return await run_in_threadpool(list_page, org_id, operation["kind"], operation["query"], text, base_url)
            if op == "get":
                args = (
                    org_id, operation["kind"], operation["id"], operation.get("projection"),
                    parsed.get("if_none_match"), base_url,
                )
                return await run_in_threadpool(get, *args)
            if op in ("create", "replace", "patch", "delete"):
                context = audit_context(request)
                return await run_in_threadpool(write, org_id, operation, scim, authorization, context, base_url)
            raise HostError("not_implemented", f"{scim['path']} is not served by this host")
        except Exception as e:
            error = wire_error(e)
            if error is None:
                raise
            body = error_response(error)
            return scim_json(body, body.pop("http_status"))

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    return [Route(SCIM_BASE + "/{path:path}", endpoint, methods=methods)]
