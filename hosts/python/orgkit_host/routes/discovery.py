"""Home-realm discovery: ``POST /v1/route {email}`` answers the engine's routing decision with
the login branding to show (``branding_resolve``: the decided org's, inherited along its parents
and the app default; the app default alone when no org is decided), and each org-picker
candidate with its own."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ..context import HostContext, json_object


def routes(host: HostContext) -> list[BaseRoute]:
    """The discovery route."""

    def branding(**by: str) -> Any:
        return host.directory.engine.branding_resolve(**by)["branding"]

    async def route(request: Request) -> Response:
        decision: dict[str, Any] = host.directory.engine.route(await json_object(request))
        org = decision.get("org")
        answer = {**decision, "branding": branding(slug=org["slug"]) if org else branding(email=decision["email"])}
        if decision.get("candidates"):
            answer["candidates"] = [{**c, "branding": branding(slug=c["slug"])} for c in decision["candidates"]]
        return JSONResponse(answer)

    return [Route("/v1/route", route, methods=["POST"])]
