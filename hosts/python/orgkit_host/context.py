"""What every route shares: the engine kept in step with the store, the store, and the host's
clock and id source; and reading a request's JSON body."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from starlette.requests import Request

from .directory import DirectoryEngine
from .errors import HostError
from .storage import Store


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class HostContext:
    """The routes' dependencies."""

    directory: DirectoryEngine
    store: Store
    now_ms: Callable[[], int] = field(default=_now_ms)
    """The host's clock, in milliseconds since the Unix epoch."""
    new_id: Callable[[], str] = field(default=_new_id)
    """A fresh unique id (SCIM resource ids, audit event ids)."""

    def now_seconds(self) -> int:
        """The host's clock in Unix seconds, as the engine's ``now`` fields take it."""
        return self.now_ms() // 1000


async def json_object(request: Request) -> dict[str, Any]:
    """The request's JSON body, which must be an object (``invalid_json``, ``invalid_input``)."""
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise HostError("invalid_json", "the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise HostError("invalid_input", "the body must be a JSON object")
    return body
