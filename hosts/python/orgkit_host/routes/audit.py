"""Audit queries for the session's user.

``GET /v1/audit?…`` returns the events the engine's ``audit_query`` plan selects (the plan
authorizes ``audit.read`` on every org queried and yields the event auditing the query,
recorded first); ``GET /v1/audit/export?format=jsonl|csv|cloudevents&…`` returns the same
events through the engine's ``audit_export`` (CloudEvents with the app's base URL as
``source``). Parameters: ``orgs``, ``actions``, ``actors``, ``targets``, ``outcomes``
(repeated or comma-separated), ``from``, ``to``, ``after_seq``, ``limit``; ``orgs`` defaults
to the session's org.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ..audit_log import record_event
from ..context import HostContext
from ..errors import HostError
from ..session import Session, with_session
from ..storage import AuditQueryPlan, ChainedEvent, SqlFragment

LISTS = ("orgs", "actions", "actors", "targets", "outcomes")
NUMBERS = ("from", "to", "after_seq", "limit")
EXPORTS = {
    "jsonl": "application/x-ndjson; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "cloudevents": "application/cloudevents-batch+json",
}
"""The export formats and their media types."""

_INTEGER = re.compile(r"-?\d+")


def query_of(request: Request, active_org: str) -> dict[str, Any]:
    """The engine's query from the URL's parameters; a number that is no integer stays text, for
    the engine to refuse."""
    query: dict[str, Any] = {"orgs": [active_org]}
    for name in LISTS:
        given = [v for value in request.query_params.getlist(name) for v in value.split(",") if v]
        if given:
            query[name] = given
    for name in NUMBERS:
        number = request.query_params.get(name)
        if number is not None:
            query[name] = int(number) if _INTEGER.fullmatch(number) else number
    return query


def routes(host: HostContext) -> list[BaseRoute]:
    """The audit routes."""
    engine = host.directory.engine

    def run(request: Request, session: Session) -> list[ChainedEvent]:
        caller = {
            "principal": session.principal,
            "active_org": session.org_id,
            "grants": [],
            "now": host.now_seconds(),
            "event_id": host.new_id(),
        }
        planned = engine.audit_query(caller=caller, query=query_of(request, session.org_id))
        with host.store.transaction() as tx:
            record_event(tx, engine, planned["event"])
        plan = AuditQueryPlan(SqlFragment(**planned["sql"]), planned["order_and_limit"])
        return host.store.audit.query(plan)

    @with_session(host)
    async def events(request: Request, session: Session) -> Response:
        return JSONResponse({"events": await run_in_threadpool(run, request, session)})

    @with_session(host)
    async def export(request: Request, session: Session) -> Response:
        format = request.query_params.get("format", "jsonl")
        if format not in EXPORTS:
            raise HostError("invalid_value", f"`format` is one of {', '.join(EXPORTS)}")
        found = await run_in_threadpool(run, request, session)
        # CloudEvents name their `source`: this app, by its base URL.
        source = {"source": str(request.base_url)} if format == "cloudevents" else {}
        exported = engine.audit_export(events=found, format=format, **source)
        if isinstance(exported, str):
            return Response(exported, media_type=EXPORTS[format])
        return JSONResponse(exported, media_type=EXPORTS[format])

    return [
        Route("/v1/audit", events, methods=["GET"]),
        Route("/v1/audit/export", export, methods=["GET"]),
    ]
