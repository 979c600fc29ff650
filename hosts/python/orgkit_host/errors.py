"""Errors the adapter raises itself (a missing bearer token, an operation a store cannot run),
and the wire form shared with the engine's own errors.

Adapter errors carry the engine's stable codes, so the HTTP layer answers them exactly like
``orgkit.OrgkitError``: the status and SCIM ``scimType`` come from the engine's
``scim_error_response`` table.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

import orgkit


class HostError(Exception):
    """An adapter error with one of the engine's codes (``invalid_token``, ``not_implemented``, …)."""

    def __init__(
        self,
        code: str,
        message: str,
        reason: Optional[str] = None,
        details: Optional[Mapping[str, Any]] = None,
    ) -> None:
        """``code``, a message for people, an optional finer ``reason`` and fields added to the
        error body (``details``, e.g. a session's candidate orgs)."""
        super().__init__(message)
        self.code = code
        self.message = message
        self.reason = reason
        self.details = dict(details or {})


def wire_error(error: Exception) -> Optional[dict[str, Any]]:
    """The wire form ``{code, message, reason?, path?}`` of an engine or adapter error; ``None``
    for any other exception."""
    if isinstance(error, orgkit.OrgkitError):
        wire: dict[str, Any] = {"code": error.code, "message": error.message}
        path = error.path
    elif isinstance(error, HostError):
        wire, path = {"code": error.code, "message": error.message}, None
    else:
        return None
    if error.reason is not None:
        wire["reason"] = error.reason
    if path is not None:
        wire["path"] = path
    return wire


def error_response(error: Mapping[str, Any]) -> dict[str, Any]:
    """The engine's RFC 7644 error body for a wire error, with its ``http_status``."""
    response: dict[str, Any] = orgkit.call("scim_error_response", error=dict(error))
    return response
