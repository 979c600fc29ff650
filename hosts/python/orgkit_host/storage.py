"""The storage interface of the host adapter.

Everything the routes read and write goes through these protocols, so a host brings its own
database by implementing ``Store``. Writes run inside ``Store.transaction()``, one all-or-nothing
unit that also holds the engine calls made inside it (a SCIM write's ``audit_record`` and the
directory change it implies).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ContextManager, Literal, Optional, Protocol, Union

Json = Any
"""A JSON value as ``json.loads`` makes it (the engine's results are such values)."""

ChainedEvent = dict[str, Any]
"""An audit event as the engine's ``audit_record`` returns it: with ``seq``, ``prev_hash``, ``hash``."""

ChangeSet = dict[str, Any]
"""A directory change set as ``apply_changes`` takes it: ``{"schema_version": 1, "changes": [...]}``."""

ScimKind = Literal["User", "Group"]
"""A SCIM resource type, as the engine names it."""

SqlParam = Union[str, int, float, bool]
"""A parameter of the engine's SQL fragments (SQLite binds booleans as 0 and 1)."""


@dataclass
class DirectorySnapshot:
    """The directory document (``schema_version``, ``orgs``, ``users``, ``memberships``) and
    the engine's load options that go with it. The document may be its JSON text, as the SQLite
    store hands it out: the engine loads text as it is, with no Python round trip."""

    directory: Union[dict[str, Any], str]
    options: Optional[dict[str, Any]] = None


@dataclass
class LoggedChangeSet:
    """A change set in the store's log, numbered from 1 in the order it was appended."""

    seq: int
    changes: ChangeSet


@dataclass
class StoredMembership:
    """A user's membership in an org, as stored."""

    org_id: str
    user_id: str
    roles: list[str]
    status: str
    """``active``, ``invited`` or ``suspended``."""


@dataclass
class StoredResource:
    """A SCIM resource as stored, with what ``scim_response`` needs to shape its ``meta``."""

    kind: ScimKind
    id: str
    resource: dict[str, Any]
    """The resource as ``scim_write`` returned it (no ``meta``)."""
    version: str
    """The opaque version behind the weak ETag (a counter)."""
    created_ms: int
    last_modified_ms: int


@dataclass
class SqlFragment:
    """A parameterised SQL ``WHERE`` fragment from the engine (``scim_filter_sql``, ``audit_query``)."""

    sql: str
    params: list[SqlParam] = field(default_factory=list)


@dataclass
class AuditQueryPlan:
    """The engine's plan of an audit query: the ``WHERE`` fragment over ``audit_events`` and
    its ``ORDER BY … LIMIT …`` clause."""

    where: SqlFragment
    order_and_limit: str


@dataclass
class GroupRef:
    """A group a user belongs to, as ``scim_write`` takes it for group → role rules."""

    id: str
    display_name: str


class ScimListQuery(Protocol):
    """A list request as a store runs it: SQL stores hand its texts to the engine's
    ``sql_scim_list`` (filter, sort and page in one statement); stores without SQL filter with
    ``matches`` and order with ``sort``, the engine's predicate and order
    (``scim_filter_matches``, ``scim_sort``)."""

    kind: Optional[ScimKind]
    """``User`` or ``Group``; ``None`` lists both together (a root-level ``POST /.search``)."""
    filter: Optional[str]
    """The ``filter``, as sent; ``None`` lists everything."""
    sort_by: Optional[str]
    """``sortBy``, as sent; without it, oldest first."""
    sort_order: Optional[str]
    """``sortOrder``, as sent."""
    offset: int
    """Zero-based position of the page's first resource."""
    limit: int
    """At most this many resources."""

    def matches(self, stored: StoredResource) -> bool:
        """Whether a stored resource matches ``filter`` (``scim_filter_matches``)."""
        ...

    def sort(self, resources: list[StoredResource]) -> list[StoredResource]:
        """The resources in list order (``scim_sort``); raises for an unsortable ``sortBy``."""
        ...


class DirectorySource(Protocol):
    """Where the engine's directory comes from: one whole document plus a log of change sets."""

    def snapshot(self) -> tuple[DirectorySnapshot, int]:
        """The directory document, and the seq of the last change set it already includes."""
        ...

    def changes_since(self, seq: int) -> list[LoggedChangeSet]:
        """The change sets appended after ``seq``, oldest first."""
        ...

    def put_snapshot(self, snapshot: DirectorySnapshot) -> None:
        """Replaces the document, which then counts as including every change set logged so far
        (seeding, full reloads); the stored memberships become the document's."""
        ...


class MembershipLookup(Protocol):
    """The directory's memberships, as SCIM writes have since changed them."""

    def membership(self, org_id: str, user_id: str) -> Optional[StoredMembership]:
        """The user's membership in the org, if any."""
        ...


class AuditSink(Protocol):
    """Per-org hash-chained audit logs."""

    def events(self, org_id: str) -> list[ChainedEvent]:
        """Every event of the org's log in ``seq`` order (for chain checks and export)."""
        ...

    def query(self, plan: AuditQueryPlan) -> list[ChainedEvent]:
        """Runs a query the engine planned; a store that runs no SQL raises ``not_implemented``."""
        ...


class ScimStore(Protocol):
    """SCIM Users and Groups, each org apart."""

    def get(self, org_id: str, kind: ScimKind, id: str) -> Optional[StoredResource]:
        """The resource, if the org has it."""
        ...

    def list_resources(self, org_id: str, query: ScimListQuery) -> tuple[int, list[StoredResource]]:
        """The total of the resources ``query`` matches, and its page of them, in its order."""
        ...

    def groups_of(self, org_id: str, user_id: str) -> list[GroupRef]:
        """The org's groups that list the user as a member."""
        ...


class WriteTransaction(Protocol):
    """The writes of one transaction; its reads see its own writes."""

    def last_event(self, org_id: str) -> Optional[ChainedEvent]:
        """The last event of the org's audit log (the ``previous`` of ``audit_record``)."""
        ...

    def append_event(self, event: ChainedEvent) -> None:
        """Appends a chained event to its org's log."""
        ...

    def resource(self, org_id: str, kind: ScimKind, id: str) -> Optional[StoredResource]:
        """The stored SCIM resource (for ``If-Match`` and PATCH)."""
        ...

    def put_resource(self, org_id: str, stored: StoredResource) -> None:
        """Creates or replaces a SCIM resource."""
        ...

    def delete_resource(self, org_id: str, kind: ScimKind, id: str) -> None:
        """Removes a SCIM resource."""
        ...

    def membership(self, org_id: str, user_id: str) -> Optional[StoredMembership]:
        """The user's membership in the org, if any."""
        ...

    def put_membership(self, membership: StoredMembership) -> None:
        """Creates or replaces a membership."""
        ...

    def remove_membership(self, org_id: str, user_id: str) -> None:
        """Removes a membership."""
        ...

    def append_changes(self, changes: ChangeSet) -> int:
        """Appends a change set to the directory's log and returns its seq."""
        ...


class Store(Protocol):
    """Every store the adapter needs, and all-or-nothing writes across them.

    Implementations are safe to call from several threads (Starlette runs the routes' blocking
    work in a thread pool).
    """

    @property
    def directory(self) -> DirectorySource:
        """The directory document and its change log."""
        ...

    @property
    def memberships(self) -> MembershipLookup:
        """Membership lookup."""
        ...

    @property
    def audit(self) -> AuditSink:
        """The audit logs."""
        ...

    @property
    def scim(self) -> ScimStore:
        """The SCIM resources."""
        ...

    def transaction(self) -> ContextManager[WriteTransaction]:
        """One transaction: everything written inside the ``with`` block is kept, or nothing
        if it raises."""
        ...
