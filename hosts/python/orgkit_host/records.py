"""Reading the few fields the stores index out of JSON records: the directory's memberships and
a SCIM resource's attributes (names compared ignoring ASCII case, as SCIM's are)."""

from __future__ import annotations

import json
from typing import Any, Optional, Union

from .storage import Json, StoredMembership


def attribute(record: Json, name: str) -> Json:
    """The value of ``name`` in ``record`` (a dict), the name compared ignoring ASCII case."""
    if not isinstance(record, dict):
        return None
    lower = name.lower()
    return next((value for key, value in record.items() if key.lower() == lower), None)


def values(record: Json, name: str) -> list[dict[str, Any]]:
    """A multi-valued attribute as its list of objects (empty when absent or malformed)."""
    found = attribute(record, name)
    return [v for v in found if isinstance(v, dict)] if isinstance(found, list) else []


def text(record: Json, name: str) -> Optional[str]:
    """The text of a single-valued attribute, or ``None``."""
    found = attribute(record, name)
    return found if isinstance(found, str) else None


def members_of(group: Json) -> list[tuple[str, Optional[str]]]:
    """A Group's ``members`` as ``(value, type)`` pairs."""
    return [
        (member_id, text(m, "type"))
        for m in values(group, "members")
        if isinstance(member_id := attribute(m, "value"), str)
    ]


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def memberships_of(directory: Union[dict[str, Any], str]) -> list[StoredMembership]:
    """The memberships of a directory document (or of its JSON text, parsed strictly: ``NaN``
    and ``Infinity``, which Python's ``json`` takes, are refused as SQLite and the engine do)."""
    if isinstance(directory, str):
        directory = json.loads(directory, parse_constant=_not_json)
    if not isinstance(directory, dict):
        return []  # not a document: the engine refuses it when it loads
    return [
        StoredMembership(
            org_id=str(m["org_id"]),
            user_id=str(m["user_id"]),
            roles=[str(r) for r in m.get("roles", [])],
            status=str(m["status"]),
        )
        for m in directory.get("memberships", [])
        if isinstance(m, dict)
    ]
