"""orgkit: an embeddable engine for B2B customer identity (organizations, SSO routing,
Cedar authorization, SCIM provisioning, audit), a Rust core with no I/O.

Every call goes through the engine's JSON call API, but for the typed authorization calls
(``authorize``, ``authorize_batch``, ``check``, ``allowed_actions``), which take Python values and build
the same result without JSON text. Results are the wire model as plain dicts and lists, and
errors are raised as ``OrgkitError`` subclasses with the engine's stable ``code``. See the
package README.
"""

from ._engine import Engine, Input, call, call_json
from ._errors import (
    ERROR_CLASSES,
    AuthzError,
    InputError,
    InternalError,
    InvalidDomain,
    InvalidEmail,
    LimitError,
    NotFoundError,
    OrgkitError,
    ScimError,
    TokenError,
    UnknownOrg,
    ValidationError,
)
from ._orgkit import OPS, __version__

# The public classes are documented, printed and pickled as `orgkit.X`.
for _public in (Engine, *ERROR_CLASSES.values(), OrgkitError, NotFoundError):
    _public.__module__ = __name__
del _public

__all__ = [
    "ERROR_CLASSES",
    "OPS",
    "AuthzError",
    "Engine",
    "Input",
    "InputError",
    "InternalError",
    "InvalidDomain",
    "InvalidEmail",
    "LimitError",
    "NotFoundError",
    "OrgkitError",
    "ScimError",
    "TokenError",
    "UnknownOrg",
    "ValidationError",
    "__version__",
    "call",
    "call_json",
]
