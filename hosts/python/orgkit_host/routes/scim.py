"""SCIM 2.0 per org under ``/scim/v2/``: the bearer token names the org (``scim_authenticate``).

Reads are parsed by ``scim_parse_request``; a list (also the root-level ``POST /.search`` over
Users and Groups) becomes SQL (``sql_scim_list``) or a predicate and an order
(``scim_filter_matches``, ``scim_sort``) as the store needs. Writes run
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
from ..storage import ChangeSet, ScimKind, StoredMembership, StoredResource, WriteTransaction

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


def list_texts(scim: dict[str, Any]) -> dict[str, Optional[str]]:
    """The ``filter``, ``sortBy`` and ``sortOrder`` texts of a list request: the query
    parameters, or the ``.search`` body's members (names in any case; ``scim_parse_request``
    has already checked them)."""
    names = {"filter": "filter", "sort_by": "sortBy", "sort_order": "sortOrder"}
    if "body" in scim:
        body = json.loads(scim["body"])
        found = {field: attribute(body, name) for field, name in names.items()}
        return {field: value if isinstance(value, str) else None for field, value in found.items()}
    params = parse_qsl(scim.get("query", ""), keep_blank_values=True)
    return {
        field: next((v for k, v in params if k.lower() == name.lower()), None) for field, name in names.items()
    }


class _ListQuery:
    """A list request as stores run it (``storage.ScimListQuery``): the texts for the engine's
    SQL, and its predicate and order for stores without SQL."""

    def __init__(
        self, host: HostContext, kind: Optional[ScimKind], texts: dict[str, Optional[str]], page: tuple[int, int], shape: Any
    ) -> None:
        self.kind = kind
        self.filter, self.sort_by, self.sort_order = texts["filter"], texts["sort_by"], texts["sort_order"]
        self.offset, self.limit = page
        self._host, self._shape = host, shape

    def matches(self, stored: StoredResource) -> bool:
        """The engine's predicate on the resource as served."""
        engine = self._host.directory.engine
        return bool(engine.scim_filter_matches(filter=self.filter or "", resource=self._shape(stored)))

    def sort(self, resources: list[StoredResource]) -> list[StoredResource]:
        """The engine's list order (``scim_sort``)."""
        fields = {
            name: value
            for name, value in (("kind", self.kind), ("sort_by", self.sort_by), ("sort_order", self.sort_order))
            if value is not None
        }
        items = [
            {
                "kind": r.kind,
                "id": r.id,
                "created_at": r.created_ms * 1000,
                "updated_at": r.last_modified_ms * 1000,
                "resource": r.resource,
            }
            for r in resources
        ]
        order: list[int] = self._host.directory.engine.scim_sort(resources=items, **fields)
        return [resources[i] for i in order]


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

    def list_page(
        org_id: str, kind: Optional[ScimKind], query: dict[str, Any], texts: dict[str, Optional[str]], base_url: str
    ) -> Response:
        """One page of a list of one type, or of both (``kind`` ``None``: a root-level
        ``.search``), each resource shaped with its own kind."""
        start = query["start_index"]
        listed = _ListQuery(host, kind, texts, (start - 1, query["count"]), lambda s: shape(s, base_url))
        total, page = host.store.scim.list_resources(org_id, listed)
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
                texts = list_texts(scim)
                kind = operation.get("kind") or None
                return await run_in_threadpool(list_page, org_id, kind, operation["query"], texts, base_url)
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
