"""orgkit_host: the Python host adapter of the orgkit engine.

A Starlette app (``create_app``) offering home-realm discovery, an authorization dependency
over the engine-verified session (``with_session``, ``require_session``), authorization checks,
SCIM 2.0 per org and audit queries, over a ``Store`` (``SqliteStore`` on the standard library's
``sqlite3``, or ``MemoryStore``). Every decision comes from the engine; the adapter does the
I/O and the HTTP.
"""

from .app import create_app
from .audit_log import audit_context, record_event
from .context import HostContext
from .directory import DirectoryEngine
from .errors import HostError
from .memory_store import MemoryStore
from .routes.scim import SCIM_BASE
from .session import ORG_HEADER, Session, bearer_token, require_session, with_session
from .sqlite_store import SqliteStore
from .storage import (
    AuditQueryPlan,
    AuditSink,
    DirectorySnapshot,
    DirectorySource,
    MembershipLookup,
    ScimStore,
    Store,
    StoredMembership,
    StoredResource,
    WriteTransaction,
)

__all__ = [
    "ORG_HEADER",
    "SCIM_BASE",
    "AuditQueryPlan",
    "AuditSink",
    "DirectoryEngine",
    "DirectorySnapshot",
    "DirectorySource",
    "HostContext",
    "HostError",
    "MembershipLookup",
    "MemoryStore",
    "ScimStore",
    "Session",
    "SqliteStore",
    "Store",
    "StoredMembership",
    "StoredResource",
    "WriteTransaction",
    "audit_context",
    "bearer_token",
    "create_app",
    "record_event",
    "require_session",
    "with_session",
]
