"""The exceptions of orgkit: one class per error family, chosen by the engine's stable code.

The family of each code is the core's own table (``ErrorCode::family``, given by the native
module as ``ERROR_FAMILIES``); this module names one class per family (``FAMILY_CLASSES``), and
``ERROR_CLASSES`` is the table from code to class made of the two. A code it does not know
raises the base class ``OrgkitError``, whose ``code`` still tells it exactly.
"""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any, Mapping, Optional

from . import _orgkit


class OrgkitError(Exception):
    """An error from the engine.

    ``code`` is stable (``invalid_email``, ``unknown_org``, …), ``reason`` a finer stable
    sub-code, ``path`` the input field concerned, ``problems`` every problem found by a
    validation, and ``details`` the whole error object of the JSON call API.
    """

    code: str
    message: str
    path: Optional[str]
    reason: Optional[str]
    problems: list[dict[str, Any]]
    details: dict[str, Any]

    def __init__(self, details: Mapping[str, Any]) -> None:
        """Builds the error from the error object of a call's output."""
        super().__init__(dict(details))
        self.details = dict(details)
        self.code = self.details["code"]
        self.message = self.details["message"]
        self.path = self.details.get("path")
        self.reason = self.details.get("reason")
        self.problems = list(self.details.get("problems", []))

    def __str__(self) -> str:
        text = f"{self.code}: {self.message}"
        return text if self.path is None else f"{text} (at {self.path})"

    @property
    def status(self) -> int:
        """The HTTP status a host answers with (the core's table, through ``scim_error_response``)."""
        return int(self._response()["http_status"])

    @property
    def scim_type(self) -> Optional[str]:
        """The SCIM ``scimType`` of the error response, for the codes that have one."""
        return self._response().get("scimType")

    def _response(self) -> dict[str, Any]:
        """The core's RFC 7644 error body for this error's code."""
        error = {"code": self.code, "message": self.message}
        return unwrap(_orgkit.call("scim_error_response", json.dumps({"error": error})))


class InputError(OrgkitError):
    """The input is not what the op takes: malformed JSON, the wrong shape, an unknown op."""


class ValidationError(OrgkitError):
    """A directory document or change set was refused; ``problems`` lists every problem found.

    Also a value the engine cannot take (``invalid_value``) and a collision (``conflict``).
    """


class InvalidEmail(OrgkitError):
    """An email address failed normalisation; ``reason`` says which rule."""


class InvalidDomain(OrgkitError):
    """A domain failed normalisation, or can never be claimed (consumer mail domain, public suffix)."""


class NotFoundError(OrgkitError):
    """No record has the given id: a user, an SSO connection, a membership (or an org)."""


class UnknownOrg(NotFoundError):
    """No organization has the given id or slug."""


class AuthzError(OrgkitError):
    """An action the authorization schema does not declare, or a request refused (``forbidden``:
    another org's audit log, a session switching to an org it may not enter)."""


class ScimError(OrgkitError):
    """A SCIM request or payload the engine refuses; ``status`` and ``scim_type`` say how to answer."""


class TokenError(OrgkitError):
    """A SCIM bearer token or a session token was missing, malformed or not valid; ``reason`` says which."""


class LimitError(OrgkitError):
    """A documented size, count or depth limit was exceeded (input, payload, results)."""


class InternalError(OrgkitError):
    """A bug in the engine, caught inside the call; the engine stays usable."""


FAMILY_CLASSES: Mapping[str, type[OrgkitError]] = MappingProxyType(
    {
        "input": InputError,
        "validation": ValidationError,
        "invalid_email": InvalidEmail,
        "invalid_domain": InvalidDomain,
        "unknown_org": UnknownOrg,
        "not_found": NotFoundError,
        "authz": AuthzError,
        "scim": ScimError,
        "token": TokenError,
        "limit": LimitError,
        "internal": InternalError,
    }
)
"""The exception class of each error family of the core (``ErrorFamily``): this binding's
only part of the mapping. Which family a code belongs to is the core's table."""

ERROR_CLASSES: Mapping[str, type[OrgkitError]] = MappingProxyType(
    {code: FAMILY_CLASSES.get(family, OrgkitError) for code, family in _orgkit.ERROR_FAMILIES.items()}
)
"""The exception class of each stable error code."""


def error_from(details: Mapping[str, Any]) -> OrgkitError:
    """The exception for an error object of the JSON call API, of the class its code maps to."""
    return ERROR_CLASSES.get(details["code"], OrgkitError)(details)


def unwrap(output: str) -> Any:
    """The ``ok`` value of a call's output, decoded; raises its ``error`` as an ``OrgkitError``."""
    envelope = json.loads(output)
    if "error" in envelope:
        raise error_from(envelope["error"])
    return envelope["ok"]
