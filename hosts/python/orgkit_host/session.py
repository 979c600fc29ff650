"""The authorization dependency: the request's bearer session token, verified by the engine.

The engine's ``session_resolve`` verifies the token's signature with the issuer keys of its load
options (``sessions``), checks every claim against the host's clock, and names the user and the
org they act in (the token's ``org_id``, or the one picked with the ``Orgkit-Org`` header when
the token names none). The adapter only reads the header and answers the outcome.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Optional

from starlette.requests import Request
from starlette.responses import Response

from .context import HostContext
from .errors import HostError

ORG_HEADER = "orgkit-org"
"""The request header naming the org a user acts in, when the session token names none."""

_BEARER = re.compile(r"Bearer +(\S+)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Session:
    """A session bound to one active org, as ``session_resolve`` answers it."""

    user_id: str
    org_id: str
    """The active org."""
    membership: dict[str, Any]
    """The membership that decides: status and roles."""
    permissions: list[str]
    """The actions the membership allows on the org itself (a UI summary, not ``authorize``)."""
    feature_flags: dict[str, Any]
    expires_at: int

    @property
    def principal(self) -> dict[str, str]:
        """The session's user as the engine's ``principal``."""
        return {"user": self.user_id}


def bearer_token(authorization: Optional[str]) -> str:
    """The token of an ``Authorization: Bearer <token>`` header; ``invalid_token`` otherwise."""
    match = _BEARER.fullmatch(authorization or "")
    if match is None:
        raise HostError("invalid_token", "send the session token as `Authorization: Bearer <token>`", "missing")
    return match.group(1)


def require_session(host: HostContext, request: Request) -> Session:
    """The request's active session; ``invalid_token`` for a token the engine refuses, and
    ``forbidden`` with the ``candidates`` while the user of several orgs has picked none."""
    org_id = request.headers.get(ORG_HEADER)
    outcome = host.directory.engine.session_resolve(
        token=bearer_token(request.headers.get("authorization")),
        now=host.now_seconds(),
        **({"org_id": org_id} if org_id else {}),
    )
    status = outcome["status"]
    if status == "organization_selection_required":
        raise HostError(
            "forbidden",
            f"pick an organization with the {ORG_HEADER} header",
            status,
            {"candidates": outcome["candidates"]},
        )
    if status != "active":
        raise HostError("forbidden", "the user belongs to no organization", status)
    return Session(
        user_id=outcome["user_id"],
        org_id=outcome["org_id"],
        membership=outcome["membership"],
        permissions=outcome["permissions"],
        feature_flags=outcome["feature_flags"],
        expires_at=outcome["expires_at"],
    )


SessionEndpoint = Callable[[Request, Session], Awaitable[Response]]
"""A route handler that takes the request's verified session."""


def with_session(host: HostContext) -> Callable[[SessionEndpoint], Callable[[Request], Awaitable[Response]]]:
    """Decorates ``async def endpoint(request, session)`` into a Starlette endpoint that first
    resolves the request's session (``require_session``)."""

    def decorate(endpoint: SessionEndpoint) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(endpoint)
        async def resolved(request: Request) -> Response:
            return await endpoint(request, require_session(host, request))

        return resolved

    return decorate
