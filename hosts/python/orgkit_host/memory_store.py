"""The in-memory store: plain dicts, for tests and demos.

A transaction holds the store's lock and keeps an undo log, rolled back when its block raises.
It runs no SQL, so list filters use the engine's predicate (``scim_filter_matches``) and audit
queries are refused with ``not_implemented``. Records are deep-copied in and out.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from copy import deepcopy
from typing import Callable, Iterator, Optional, TypeVar

from .errors import HostError
from .records import members_of, memberships_of, text
from .storage import (
    AuditQueryPlan,
    ChainedEvent,
    ChangeSet,
    DirectorySnapshot,
    GroupRef,
    LoggedChangeSet,
    ScimKind,
    ScimListQuery,
    StoredMembership,
    StoredResource,
)

K = TypeVar("K")
V = TypeVar("V")


class _State:
    """Everything the store holds, and its lock."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.snapshot = DirectorySnapshot({"schema_version": 1})
        self.snapshot_seq = 0
        self.changes: list[LoggedChangeSet] = []
        self.memberships: dict[tuple[str, str], StoredMembership] = {}
        self.events: dict[str, list[ChainedEvent]] = {}
        self.resources: dict[tuple[str, str, str], StoredResource] = {}

    def resources_of(self, org_id: str, kind: ScimKind) -> list[StoredResource]:
        """The org's resources of one kind, oldest first."""
        with self.lock:
            found = [r for (org, k, _), r in self.resources.items() if org == org_id and k == kind]
        return sorted(found, key=lambda r: (r.created_ms, r.id))


class MemoryDirectory:
    """The directory document and its change log."""

    def __init__(self, state: _State) -> None:
        self._state = state

    def snapshot(self) -> tuple[DirectorySnapshot, int]:
        """The document and the seq it includes."""
        with self._state.lock:
            return deepcopy(self._state.snapshot), self._state.snapshot_seq

    def changes_since(self, seq: int) -> list[LoggedChangeSet]:
        """The change sets logged after ``seq``."""
        with self._state.lock:
            return deepcopy([c for c in self._state.changes if c.seq > seq])

    def put_snapshot(self, snapshot: DirectorySnapshot) -> None:
        """Replaces the document; memberships become its own."""
        memberships = memberships_of(snapshot.directory)  # also refuses text that is not JSON
        with self._state.lock:
            self._state.snapshot = deepcopy(snapshot)
            self._state.snapshot_seq = self._state.changes[-1].seq if self._state.changes else 0
            self._state.memberships = {(m.org_id, m.user_id): m for m in memberships}


class MemoryMemberships:
    """Membership lookup."""

    def __init__(self, state: _State) -> None:
        self._state = state

    def membership(self, org_id: str, user_id: str) -> Optional[StoredMembership]:
        """The user's membership in the org, if any."""
        with self._state.lock:
            return deepcopy(self._state.memberships.get((org_id, user_id)))


class MemoryAudit:
    """The per-org audit logs."""

    def __init__(self, state: _State) -> None:
        self._state = state

    def events(self, org_id: str) -> list[ChainedEvent]:
        """The org's log in ``seq`` order."""
        with self._state.lock:
            return deepcopy(self._state.events.get(org_id, []))

    def query(self, plan: AuditQueryPlan) -> list[ChainedEvent]:
        """Refused: the plan is SQL, and this store runs none."""
        raise HostError("not_implemented", "the in-memory store runs no SQL: audit queries need the SQLite store")


class MemoryScim:
    """SCIM Users and Groups of every org."""

    def __init__(self, state: _State) -> None:
        self._state = state

    def get(self, org_id: str, kind: ScimKind, id: str) -> Optional[StoredResource]:
        """The resource, if the org has it."""
        with self._state.lock:
            return deepcopy(self._state.resources.get((org_id, kind, id)))

    def list_resources(self, org_id: str, query: ScimListQuery) -> tuple[int, list[StoredResource]]:
        """The total and one page; the filter and the order are the engine's (``query.matches``,
        ``query.sort``)."""
        kinds: list[ScimKind] = [query.kind] if query.kind else ["User", "Group"]
        found = [
            r
            for kind in kinds
            for r in self._state.resources_of(org_id, kind)
            if query.filter is None or query.matches(r)
        ]
        ordered = query.sort(found)
        return len(ordered), deepcopy(ordered[query.offset : query.offset + query.limit])

    def groups_of(self, org_id: str, user_id: str) -> list[GroupRef]:
        """The org's groups listing the user as a member."""
        return [
            GroupRef(g.id, text(g.resource, "displayName") or "")
            for g in self._state.resources_of(org_id, "Group")
            if any(member_id == user_id for member_id, _ in members_of(g.resource))
        ]


class MemoryTransaction:
    """The writes of one transaction, each with its undo step."""

    def __init__(self, state: _State) -> None:
        self._state = state
        self.undo: list[Callable[[], None]] = []

    def _set(self, table: dict[K, V], key: K, value: Optional[V]) -> None:
        """Sets (or with ``None`` removes) one entry, remembering how to undo it."""
        had, before = key in table, table.get(key)

        def restore() -> None:
            if had:
                table[key] = before  # type: ignore[assignment]
            else:
                table.pop(key, None)

        self.undo.append(restore)
        if value is None:
            table.pop(key, None)
        else:
            table[key] = deepcopy(value)

    def last_event(self, org_id: str) -> Optional[ChainedEvent]:
        """The last event of the org's log."""
        log = self._state.events.get(org_id)
        return deepcopy(log[-1]) if log else None

    def append_event(self, event: ChainedEvent) -> None:
        """Appends to the org's log."""
        org_id = event["org_id"]
        self._set(self._state.events, org_id, [*self._state.events.get(org_id, []), event])

    def resource(self, org_id: str, kind: ScimKind, id: str) -> Optional[StoredResource]:
        """The stored resource."""
        return deepcopy(self._state.resources.get((org_id, kind, id)))

    def put_resource(self, org_id: str, stored: StoredResource) -> None:
        """Creates or replaces a resource."""
        self._set(self._state.resources, (org_id, stored.kind, stored.id), stored)

    def delete_resource(self, org_id: str, kind: ScimKind, id: str) -> None:
        """Removes a resource."""
        self._set(self._state.resources, (org_id, kind, id), None)

    def membership(self, org_id: str, user_id: str) -> Optional[StoredMembership]:
        """The user's membership in the org, if any."""
        return deepcopy(self._state.memberships.get((org_id, user_id)))

    def put_membership(self, membership: StoredMembership) -> None:
        """Creates or replaces a membership."""
        self._set(self._state.memberships, (membership.org_id, membership.user_id), membership)

    def remove_membership(self, org_id: str, user_id: str) -> None:
        """Removes a membership."""
        self._set(self._state.memberships, (org_id, user_id), None)

    def append_changes(self, changes: ChangeSet) -> int:
        """Logs a change set; returns its seq."""
        seq = (self._state.changes[-1].seq if self._state.changes else 0) + 1
        log = self._state.changes
        log.append(LoggedChangeSet(seq, deepcopy(changes)))

        def restore() -> None:
            del log[-1]

        self.undo.append(restore)
        return seq


class MemoryStore:
    """A ``Store`` held in this process's memory."""

    def __init__(self) -> None:
        """An empty store (an empty directory until ``directory.put_snapshot``)."""
        self._state = _State()
        self.directory = MemoryDirectory(self._state)
        self.memberships = MemoryMemberships(self._state)
        self.audit = MemoryAudit(self._state)
        self.scim = MemoryScim(self._state)

    @contextmanager
    def transaction(self) -> Iterator[MemoryTransaction]:
        """Holds the lock; a raise undoes the block's writes, newest first, and is re-raised."""
        with self._state.lock:
            tx = MemoryTransaction(self._state)
            try:
                yield tx
            except BaseException:
                for step in reversed(tx.undo):
                    step()
                raise
