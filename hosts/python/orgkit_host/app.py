"""The Starlette app: every route over an injected store and an engine loaded from it."""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

import orgkit
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .context import HostContext
from .directory import DirectoryEngine
from .errors import HostError, error_response, wire_error
from .routes import audit, authorize, discovery, scim
from .storage import Store


def create_app(
    store: Store,
    sessions: Optional[Mapping[str, Any]] = None,
    now_ms: Optional[Callable[[], int]] = None,
    new_id: Optional[Callable[[], str]] = None,
) -> Starlette:
    """Loads the store's directory into an engine and builds the app over it.

    ``sessions`` goes into the engine's load options (``options.sessions``: the trusted
    ``issuers`` with their keys, and the ``signing`` key of org-switch tokens); without issuers
    every session route answers ``invalid_token``. ``now_ms`` (the clock, milliseconds since
    the Unix epoch) and ``new_id`` (fresh unique ids) default to the system's. The host's state
    is ``app.state.host`` (a ``HostContext``).
    """
    host = HostContext(DirectoryEngine.open(store.directory, sessions), store)
    if now_ms is not None:
        host.now_ms = now_ms
    if new_id is not None:
        host.new_id = new_id

    async def on_error(request: Request, exc: Exception) -> Response:
        error = wire_error(exc)
        if error is None:
            raise exc
        details = exc.details if isinstance(exc, HostError) else {}
        return JSONResponse({"error": error, **details}, error_response(error)["http_status"])

    app = Starlette(
        routes=[*discovery.routes(host), *authorize.routes(host), *audit.routes(host), *scim.routes(host)],
        exception_handlers={orgkit.OrgkitError: on_error, HostError: on_error},
    )
    app.state.host = host
    return app
