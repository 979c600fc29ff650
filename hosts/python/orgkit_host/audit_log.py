"""Writing to the audit sink: an event the engine made (a decision, a SCIM write, an audit
query) is chained by the engine's ``audit_record`` after its org's last stored event, inside the
caller's transaction, and stored only when the engine records it (allowing ``authz.decision``
events may be sampled out per the org's settings)."""

from __future__ import annotations

from typing import Any, Optional

import orgkit
from starlette.requests import Request

from .storage import ChainedEvent, WriteTransaction


def record_event(tx: WriteTransaction, engine: orgkit.Engine, event: dict[str, Any]) -> Optional[ChainedEvent]:
    """Chains ``event`` after its org's last event and stores it; ``None`` when sampled out."""
    previous = tx.last_event(event["org_id"])
    answer = engine.audit_record(event=event, **({"previous": previous} if previous else {}))
    if not answer["recorded"]:
        return None
    chained: ChainedEvent = answer["event"]
    tx.append_event(chained)
    return chained


def audit_context(request: Request) -> dict[str, Any]:
    """The request context an event carries: the client's address and user agent, when known."""
    context: dict[str, Any] = {}
    if request.client is not None:
        context["ip"] = request.client.host
    if "user-agent" in request.headers:
        context["user_agent"] = request.headers["user-agent"]
    return context
