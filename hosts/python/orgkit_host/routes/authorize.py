"""Authorization checks for the session's user in the session's org: ``POST /v1/authorize``,
``POST /v1/check``, ``POST /v1/authorize/batch`` and ``POST /v1/allowed-actions``.

The body is the engine's request less ``principal``, ``active_org``, ``now``, ``event_id`` and
``audit_context``, which come from the verified session, the host's clock, its ids and the
request. Each decision's audit event is recorded in the org's log (the engine samples allows);
``check`` answers the same question without an event, for gating a page or a button, and
records nothing.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ..audit_log import audit_context, record_event
from ..context import HostContext, json_object
from ..errors import HostError
from ..session import Session, with_session

FROM_HOST = ("principal", "active_org", "now", "event_id", "audit_context")
"""The fields a client may not send: the session, the clock and the host decide them."""


def routes(host: HostContext) -> list[BaseRoute]:
    """The authorization routes."""
    engine = host.directory.engine

    def request_of(session: Session, body: Any) -> dict[str, Any]:
        """The engine's request: the client's fields, the session's principal and org, and ``now``."""
        if not isinstance(body, dict):
            raise HostError("invalid_input", "each request is a JSON object")
        sent = next((name for name in FROM_HOST if name in body), None)
        if sent is not None:
            raise HostError("invalid_input", f"`{sent}` comes from the session and the host, not the request")
        return {**body, "principal": session.principal, "active_org": session.org_id, "now": host.now_seconds()}

    def decided(request: Request, session: Session, body: Any) -> dict[str, Any]:
        """A request that makes a decision, with the id and context of its audit event."""
        return {**request_of(session, body), "event_id": host.new_id(), "audit_context": audit_context(request)}

    def record(answers: list[dict[str, Any]]) -> None:
        with host.store.transaction() as tx:
            for answer in answers:
                record_event(tx, engine, answer["event"])

    @with_session(host)
    async def authorize(request: Request, session: Session) -> Response:
        answer = engine.authorize(decided(request, session, await json_object(request)))
        await run_in_threadpool(record, [answer])
        return JSONResponse(answer)

    @with_session(host)
    async def check(request: Request, session: Session) -> Response:
        return JSONResponse(engine.check(request_of(session, await json_object(request))))

    @with_session(host)
    async def authorize_batch(request: Request, session: Session) -> Response:
        requests = (await json_object(request)).get("requests")
        if not isinstance(requests, list):
            raise HostError("invalid_input", "`requests` is a list of requests")
        answers = engine.authorize_batch(requests=[decided(request, session, r) for r in requests])
        await run_in_threadpool(record, [a["ok"] for a in answers if "ok" in a])
        return JSONResponse(answers)

    @with_session(host)
    async def allowed_actions(request: Request, session: Session) -> Response:
        return JSONResponse(engine.allowed_actions(request_of(session, await json_object(request))))

    return [
        Route("/v1/authorize", authorize, methods=["POST"]),
        Route("/v1/check", check, methods=["POST"]),
        Route("/v1/authorize/batch", authorize_batch, methods=["POST"]),
        Route("/v1/allowed-actions", allowed_actions, methods=["POST"]),
    ]
