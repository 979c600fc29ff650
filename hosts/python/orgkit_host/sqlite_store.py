"""The SQLite store, on the standard library's ``sqlite3`` (WAL journal).

Its tables are the engine's reference tables: the engine gives their schema and
the statements that write them (``sql_schema``, ``sql_scim_put``, ``sql_scim_delete``,
``sql_audit_append``), so SCIM lists (``sql_scim_list``: filter, sort, page) and audit queries
run as the SQL the engine planned, with its parameters bound. One connection serves the store, guarded by a lock: a ``transaction()`` is one SQLite transaction (``BEGIN IMMEDIATE``)
holding the engine calls made inside it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import contextmanager
from typing import Any, Iterator, Optional, Sequence

import orgkit

from .records import memberships_of
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

_TABLES: dict[str, str] = {"User": "scim_users", "Group": "scim_groups"}


class _Database:
    """The connection and its lock; every statement runs under the lock."""

    def __init__(self, path: str) -> None:
        self.lock = threading.RLock()
        # Autocommit mode: transactions are the explicit BEGIN … COMMIT of `transaction()`.
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode = WAL")
        for sql in orgkit.call("sql_schema", dialect="sqlite"):
            self.conn.execute(sql)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Every row of a query."""
        with self.lock:
            return self.conn.execute(sql, params).fetchall()

    def row(self, sql: str, params: Sequence[Any] = ()) -> Optional[sqlite3.Row]:
        """The first row of a query, if any."""
        with self.lock:
            found: Optional[sqlite3.Row] = self.conn.execute(sql, params).fetchone()
            return found

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Runs a statement; returns the last inserted rowid."""
        with self.lock:
            return self.conn.execute(sql, params).lastrowid or 0

    def run_engine(self, op: str, **input: Any) -> None:
        """Runs, in order, the statements the engine's ``op`` gives for SQLite."""
        with self.lock:
            for statement in orgkit.call(op, dialect="sqlite", **input):
                self.conn.execute(statement["sql"], statement["params"])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` when the block raises."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")


def _stored(kind: ScimKind, row: sqlite3.Row) -> StoredResource:
    return StoredResource(
        kind=kind,
        id=row["id"],
        resource=json.loads(row["resource"]),
        version=row["version"],
        created_ms=row["created_at"] // 1000,
        last_modified_ms=row["updated_at"] // 1000,
    )


def _resource(db: _Database, org_id: str, kind: ScimKind, id: str) -> Optional[StoredResource]:
    row = db.row(f"SELECT * FROM {_TABLES[kind]} WHERE org_id = ? AND id = ?", (org_id, id))
    return None if row is None else _stored(kind, row)


def _membership(db: _Database, org_id: str, user_id: str) -> Optional[StoredMembership]:
    row = db.row("SELECT * FROM memberships WHERE org_id = ? AND user_id = ?", (org_id, user_id))
    if row is None:
        return None
    return StoredMembership(row["org_id"], row["user_id"], json.loads(row["roles"]), row["status"])


def _put_membership(db: _Database, m: StoredMembership) -> None:
    db.run(
        "INSERT OR REPLACE INTO memberships (org_id, user_id, roles, status) VALUES (?, ?, ?, ?)",
        (m.org_id, m.user_id, json.dumps(m.roles), m.status),
    )


def _events(rows: list[sqlite3.Row]) -> list[ChainedEvent]:
    return [json.loads(row["event"]) for row in rows]


class SqliteDirectory:
    """The directory document (``directory_snapshot``) and its change log (``directory_changes``)."""

    def __init__(self, db: _Database) -> None:
        self._db = db

    def snapshot(self) -> tuple[DirectorySnapshot, int]:
        """The stored document (an empty directory before seeding) and the seq it includes."""
        # SQLite takes the document apart, so the directory reaches the engine as text, never as
        # Python objects. ``json_quote(json_extract(…))`` is an object's JSON text as it is stored
        # (``null`` when absent); SQLite's ``->`` would need 3.38, newer than older systems have.
        row = self._db.row(
            "SELECT json_quote(json_extract(document, '$.directory')) AS directory,"
            " json_quote(json_extract(document, '$.options')) AS options, seq"
            " FROM directory_snapshot WHERE id = 1"
        )
        if row is None:
            return DirectorySnapshot({"schema_version": 1}), 0
        return DirectorySnapshot(row["directory"], json.loads(row["options"])), row["seq"]

    def changes_since(self, seq: int) -> list[LoggedChangeSet]:
        """The change sets logged after ``seq``, oldest first."""
        rows = self._db.rows("SELECT seq, changes FROM directory_changes WHERE seq > ? ORDER BY seq", (seq,))
        return [LoggedChangeSet(row["seq"], json.loads(row["changes"])) for row in rows]

    def put_snapshot(self, snapshot: DirectorySnapshot) -> None:
        """Stores the document as including every logged change set; memberships become its own."""
        directory = snapshot.directory
        memberships = memberships_of(directory)  # also refuses text that is not JSON
        directory_text = directory if isinstance(directory, str) else json.dumps(directory)
        document = f'{{"directory":{directory_text},"options":{json.dumps(snapshot.options)}}}'
        with self._db.transaction():
            last = self._db.row("SELECT coalesce(max(seq), 0) AS seq FROM directory_changes")
            self._db.run(
                "INSERT OR REPLACE INTO directory_snapshot (id, document, seq) VALUES (1, ?, ?)",
                (document, last["seq"] if last else 0),
            )
            self._db.run("DELETE FROM memberships")
            for m in memberships:
                _put_membership(self._db, m)


class SqliteMemberships:
    """Membership lookup over the ``memberships`` table."""

    def __init__(self, db: _Database) -> None:
        self._db = db

    def membership(self, org_id: str, user_id: str) -> Optional[StoredMembership]:
        """The user's membership in the org, if any."""
        return _membership(self._db, org_id, user_id)


class SqliteAudit:
    """The per-org audit logs (``audit_events``, ``audit_event_targets``)."""

    def __init__(self, db: _Database) -> None:
        self._db = db

    def events(self, org_id: str) -> list[ChainedEvent]:
        """Every event of the org's log in ``seq`` order."""
        return _events(self._db.rows("SELECT event FROM audit_events WHERE org_id = ? ORDER BY seq", (org_id,)))

    def query(self, plan: AuditQueryPlan) -> list[ChainedEvent]:
        """Runs the engine's plan as planned, its parameters bound."""
        sql = f"SELECT event FROM audit_events WHERE {plan.where.sql} {plan.order_and_limit}"
        return _events(self._db.rows(sql, plan.where.params))


class SqliteScim:
    """SCIM Users and Groups in the reference tables."""

    def __init__(self, db: _Database) -> None:
        self._db = db

    def get(self, org_id: str, kind: ScimKind, id: str) -> Optional[StoredResource]:
        """The resource, if the org has it."""
        return _resource(self._db, org_id, kind, id)

    def list_resources(self, org_id: str, query: ScimListQuery) -> tuple[int, list[StoredResource]]:
        """The total and one page, filtered, sorted and paged by the engine's SQL (``sql_scim_list``)."""
        fields: dict[str, Any] = {
            name: value
            for name, value in (
                ("kind", query.kind),
                ("filter", query.filter),
                ("sort_by", query.sort_by),
                ("sort_order", query.sort_order),
            )
            if value is not None
        }
        planned = orgkit.call(
            "sql_scim_list", dialect="sqlite", org_id=org_id, offset=query.offset, limit=query.limit, **fields
        )
        count, page = planned["count"], planned["page"]
        with self._db.lock:
            total = self._db.row(count["sql"], count["params"])
            rows = self._db.rows(page["sql"], page["params"])
        return (total["total"] if total else 0), [_stored(row["kind"], row) for row in rows]

    def groups_of(self, org_id: str, user_id: str) -> list[GroupRef]:
        """The org's groups listing the user as a member."""
        rows = self._db.rows(
            "SELECT DISTINCT g.id, g.display_name FROM scim_groups g"
            " JOIN scim_group_members m ON m.group_id = g.id"
            " WHERE g.org_id = ? AND m.member_id = ? ORDER BY g.id",
            (org_id, user_id),
        )
        return [GroupRef(row["id"], row["display_name"] or "") for row in rows]


class SqliteTransaction:
    """The writes of one SQLite transaction (``SqliteStore.transaction()``)."""

    def __init__(self, db: _Database) -> None:
        self._db = db

    def last_event(self, org_id: str) -> Optional[ChainedEvent]:
        """The last event of the org's log."""
        row = self._db.row("SELECT event FROM audit_events WHERE org_id = ? ORDER BY seq DESC LIMIT 1", (org_id,))
        return None if row is None else json.loads(row["event"])

    def append_event(self, event: ChainedEvent) -> None:
        """Stores a chained event and its targets."""
        self._db.run_engine("sql_audit_append", event=event)

    def resource(self, org_id: str, kind: ScimKind, id: str) -> Optional[StoredResource]:
        """The stored resource."""
        return _resource(self._db, org_id, kind, id)

    def put_resource(self, org_id: str, stored: StoredResource) -> None:
        """Replaces the resource's rows (and its emails or members) with the new version."""
        self._db.run_engine(
            "sql_scim_put",
            stored={
                "org_id": org_id,
                "kind": stored.kind,
                "id": stored.id,
                "created_at": stored.created_ms * 1000,
                "updated_at": stored.last_modified_ms * 1000,
                "version": stored.version,
                "resource": stored.resource,
            },
        )

    def delete_resource(self, org_id: str, kind: ScimKind, id: str) -> None:
        """Removes the resource and its child rows."""
        self._db.run_engine("sql_scim_delete", org_id=org_id, kind=kind, id=id)

    def membership(self, org_id: str, user_id: str) -> Optional[StoredMembership]:
        """The user's membership in the org, if any."""
        return _membership(self._db, org_id, user_id)

    def put_membership(self, membership: StoredMembership) -> None:
        """Creates or replaces a membership."""
        _put_membership(self._db, membership)

    def remove_membership(self, org_id: str, user_id: str) -> None:
        """Removes a membership."""
        self._db.run("DELETE FROM memberships WHERE org_id = ? AND user_id = ?", (org_id, user_id))

    def append_changes(self, changes: ChangeSet) -> int:
        """Logs a change set; returns its seq."""
        return self._db.run("INSERT INTO directory_changes (changes) VALUES (?)", (json.dumps(changes),))


class SqliteStore:
    """A ``Store`` in one SQLite database file (or ``":memory:"``)."""

    def __init__(self, path: str) -> None:
        """Opens (or creates) the database at ``path`` in WAL mode and creates the schema if missing."""
        self._db = _Database(path)
        self.directory = SqliteDirectory(self._db)
        self.memberships = SqliteMemberships(self._db)
        self.audit = SqliteAudit(self._db)
        self.scim = SqliteScim(self._db)

    @contextmanager
    def transaction(self) -> Iterator[SqliteTransaction]:
        """One SQLite transaction; the block's writes are committed together or rolled back."""
        with self._db.transaction():
            yield SqliteTransaction(self._db)

    def close(self) -> None:
        """Closes the database."""
        with self._db.lock:
            self._db.conn.close()
