"""The calls: stateless (``call``, ``call_json``) and on an ``Engine`` holding a directory.

Inputs are the ops' JSON inputs, given as keyword arguments (``route(email=...)``), as one
mapping (``route({"email": ...})``), or as JSON text; results are the JSON wire model decoded
into plain dicts, lists, strings, numbers and booleans.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Mapping, Optional, Union

from . import _orgkit
from ._errors import error_from, unwrap

Input = Union[Mapping[str, Any], str, None]
"""An op's input: a mapping of its fields, its JSON text, or nothing (keyword arguments only)."""


def _dumps(value: Any) -> str:
    """Compact JSON text, non-ASCII kept as is (the engine reads UTF-8)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _encode(input: Input, fields: Mapping[str, Any]) -> str:
    """The JSON text of an input given as a mapping, JSON text or keyword arguments."""
    if isinstance(input, str):
        if fields:
            raise TypeError("give an op's input as JSON text or as fields, not both")
        return input
    return _dumps({**(input or {}), **fields})


def _text(value: Union[Mapping[str, Any], str]) -> str:
    """A JSON value given as a Python value or as its JSON text (passed as is)."""
    return value if isinstance(value, str) else _dumps(value)


def _fields_text(**fields: Union[Mapping[str, Any], str, None]) -> str:
    """The JSON text of an input object from fields given as mappings or JSON text (spliced in as
    is, so a large document makes no Python round trip); ``None`` fields are left out."""
    return "{" + ",".join(f'"{name}":{_text(v)}' for name, v in fields.items() if v is not None) + "}"


def call_json(op: str, input_json: str) -> str:
    """Runs ``op`` statelessly on JSON text and returns the output envelope as JSON text.

    This is the engine's contract unchanged (``{"ok": …}`` or ``{"error": {…}}``); it never
    raises for engine errors.
    """
    return _orgkit.call(op, input_json)


def call(op: str, input: Input = None, /, **fields: Any) -> Any:
    """Runs ``op`` statelessly; the input may carry ``directory``, ``options`` and ``changes``.

    Returns the ``ok`` value decoded, or raises the error as an ``OrgkitError`` subclass.
    """
    return unwrap(_orgkit.call(op, _encode(input, fields)))


class Engine:
    """An engine holding a loaded directory; safe to share between threads.

    ``load`` and ``apply_changes`` swap the directory atomically while calls on other threads
    keep the snapshot they started with. Every op is a method taking that op's input.
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        directory: Union[Mapping[str, Any], str, None] = None,
        options: Optional[Mapping[str, Any]] = None,
    ) -> None:
        """An engine with ``directory`` loaded (see ``load``), or an empty one."""
        try:
            self._native = _orgkit.Engine()
        except RuntimeError as e:  # the embedded data failed to build: a bug in the engine
            raise error_from({"code": "internal", "message": str(e)}) from None
        if directory is not None:
            self.load(directory, options)
        elif options is not None:
            raise TypeError("`options` go with a `directory`")

    def call(self, op: str, input: Input = None, /, **fields: Any) -> Any:
        """Runs ``op`` on this engine's directory; returns the ``ok`` value or raises."""
        return unwrap(self._native.call(op, _encode(input, fields)))

    def call_json(self, op: str, input_json: str) -> str:
        """Runs ``op`` on this engine's directory: JSON text in, the output envelope's text out."""
        return self._native.call(op, input_json)

    def load(
        self,
        directory: Union[Mapping[str, Any], str],
        options: Optional[Mapping[str, Any]] = None,
    ) -> dict[str, Any]:
        """Loads and validates a directory document (a mapping, or its JSON text, passed as is)
        and makes it current; returns its stats. Raises ``ValidationError`` with every problem.
        """
        return unwrap(self._native.call("load", _fields_text(directory=directory, options=options)))

    def apply_changes(
        self,
        changes: Union[Mapping[str, Any], str],
        audit: Optional[Mapping[str, Any]] = None,
    ) -> dict[str, Any]:
        """Applies a change set (``{"schema_version": 1, "changes": [...]}``, or its JSON text)
        all or nothing and makes the result current; returns the new stats. With ``audit``
        (``{actor, now, event_id_prefix, audit_context?}``) the result also carries ``events``,
        one audit event per change.
        """
        return unwrap(self._native.call("apply_changes", _fields_text(changes=changes, audit=audit)))

    def normalize_email(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``email`` → ``{email, local, domain, domain_unicode}``."""
        return self.call("normalize_email", input, **fields)

    def normalize_domain(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``domain`` → ``{domain, unicode, consumer, public_suffix}``."""
        return self.call("normalize_domain", input, **fields)

    def stats(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """The current directory's stats (counts and version)."""
        return self.call("stats", input, **fields)

    def export(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """The current directory as a canonical directory document."""
        return self.call("export", input, **fields)

    def route(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """Home-realm discovery: ``email`` → the route decision (``sso``, ``org_picker``, …)."""
        return self.call("route", input, **fields)

    def org_by_slug(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``slug`` → ``{id, slug, name, status, require_sso, branding?}``."""
        return self.call("org_by_slug", input, **fields)

    def check_assertion_email(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``org_id, email, connection_id?`` → ``{accepted, email, domain, matched_domain?, reasons}``."""
        return self.call("check_assertion_email", input, **fields)

    def membership(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``user_id, org_id`` → the membership."""
        return self.call("membership", input, **fields)

    def user_memberships(self, input: Input = None, /, **fields: Any) -> list[dict[str, Any]]:
        """``user_id`` → the user's memberships, by org id."""
        return self.call("user_memberships", input, **fields)

    def authorize(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``principal, active_org, action, resource, now, context?, grant?, event_id?,
        audit_context?`` → ``{decision, policies, errors, membership, event}``.

        Typed: the fields go to the engine as Python values and the decision comes back as
        Python objects, with no JSON text in between (the same dict as through ``call``).
        """
        return self._typed(self._native.authorize, "authorize", input, fields)

    def authorize_batch(self, input: Input = None, /, **fields: Any) -> list[dict[str, Any]]:
        """``requests`` (``authorize`` inputs) → one ``{ok}`` or ``{error}`` per request.

        Typed as ``authorize``; the batch is decided with the GIL released.
        """
        return self._typed(self._native.authorize_batch, "authorize_batch", input, fields)

    def check(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """As ``authorize`` without ``grant``, ``event_id`` and ``audit_context`` →
        ``{decision, policies, errors}``, as ``authorize`` gives them; no audit event is built.

        For gating where nothing is recorded; a decision that must be audited (and every use
        of a support grant) goes through ``authorize``. Typed as ``authorize``.
        """
        return self._typed(self._native.check, "check", input, fields)

    def allowed_actions(self, input: Input = None, /, **fields: Any) -> list[str]:
        """As ``authorize`` without ``action`` → the allowed action names, sorted. Typed."""
        return self._typed(self._native.allowed_actions, "allowed_actions", input, fields)

    def _typed(
        self,
        native: Callable[[Mapping[str, Any]], Any],
        op: str,
        input: Input,
        fields: dict[str, Any],
    ) -> Any:
        """Runs a typed native call; an input it does not take typed (JSON text, or a value the
        JSON call API would refuse or encode otherwise) goes through ``call``, which answers
        exactly as it always has."""
        if not isinstance(input, str):
            # A dict alone is read as it is; the native call copies nothing from it.
            request = input if type(input) is dict and not fields else {**(input or {}), **fields}
            try:
                result = native(request)
            except _orgkit.EngineError as e:
                raise error_from(e.args[0]) from None
            if result is not None:
                return result
        return self.call(op, input, **fields)

    def refused_policies(self, input: Input = None, /, **fields: Any) -> list[dict[str, Any]]:
        """The quarantined orgs and their refused policies, with Cedar's diagnostics."""
        return self.call("refused_policies", input, **fields)

    def scim_hash_token(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``token`` → ``{sha256}``."""
        return self.call("scim_hash_token", input, **fields)

    def scim_mint_token(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``random`` (64 hex characters from the host) → ``{token, sha256}``."""
        return self.call("scim_mint_token", input, **fields)

    def scim_authenticate(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``authorization`` (the header value) → ``{org_id, token_id}``."""
        return self.call("scim_authenticate", input, **fields)

    def scim_parse_filter(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``filter`` → its AST."""
        return self.call("scim_parse_filter", input, **fields)

    def scim_filter_matches(self, input: Input = None, /, **fields: Any) -> bool:
        """``filter, resource`` → whether the resource matches."""
        return self.call("scim_filter_matches", input, **fields)

    def scim_filter_sql(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``filter, resource_type, dialect`` → ``{sql, params}``."""
        return self.call("scim_filter_sql", input, **fields)

    def scim_map_user(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``org_id, user, groups?`` → ``{email, fields, active, status, roles, matched_rules}``."""
        return self.call("scim_map_user", input, **fields)

    def scim_patch(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``resource, patch, org_id?, tolerance?`` → ``{resource, changes, member_changes}``."""
        return self.call("scim_patch", input, **fields)

    def scim_parse_request(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``method, path, query?, headers?, body?`` → the endpoint, operation, query and preconditions."""
        return self.call("scim_parse_request", input, **fields)

    def scim_response(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """A stored resource and its metadata → the resource with ``id`` and ``meta``, projected."""
        return self.call("scim_response", input, **fields)

    def scim_list_response(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``resources, total, start_index`` → a ListResponse."""
        return self.call("scim_list_response", input, **fields)

    def scim_error_response(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``error`` → the RFC 7644 error body and ``http_status``."""
        return self.call("scim_error_response", input, **fields)

    def scim_etag_matches(self, input: Input = None, /, **fields: Any) -> bool:
        """``header`` (``If-Match`` or ``If-None-Match``), ``version`` (the stored bare version)
        → whether the header names that version (``*``, or one of its entity tags, weak or
        strong).
        """
        return bool(self.call("scim_etag_matches", input, **fields))

    def scim_sort(self, input: Input = None, /, **fields: Any) -> list[int]:
        """``resources: [{kind, id, created_at, updated_at, resource}], kind?, sort_by?, sort_order?``
        → the resources' positions in list order (``sql_scim_list``'s order, for stores in memory).
        """
        return self.call("scim_sort", input, **fields)

    def scim_discovery(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``document, base_url`` → ServiceProviderConfig, ResourceTypes or Schemas."""
        return self.call("scim_discovery", input, **fields)

    def scim_write(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """One SCIM POST/PUT/PATCH/DELETE end to end: the change, the mapped user and membership,
        and the audit event, for the host to store in one transaction.
        """
        return self.call("scim_write", input, **fields)

    def audit_record(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``event, previous?, settings?`` → the event redacted and chained, or not recorded (sampled)."""
        return self.call("audit_record", input, **fields)

    def audit_verify_chain(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``events, anchor?`` → ``{valid, checked, broken?}``."""
        return self.call("audit_verify_chain", input, **fields)

    def audit_export(self, input: Input = None, /, **fields: Any) -> Union[str, list[dict[str, Any]]]:
        """``events, format, source?`` → JSON Lines or CSV text, or the CloudEvents envelopes."""
        return self.call("audit_export", input, **fields)

    def audit_query(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``caller, query, dialect?`` → ``{sql, order_and_limit, event}``; each org read is authorized."""
        return self.call("audit_query", input, **fields)

    def session_verify(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``token`` (or ``verified_claims``), ``now`` → the verified session's claims."""
        return self.call("session_verify", input, **fields)

    def session_resolve(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``token`` (or ``verified_claims``), ``now``, ``org_id?`` → the active org, membership,
        permissions and flags, or the orgs to pick from.
        """
        return self.call("session_resolve", input, **fields)

    def session_switch_org(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``token`` (or ``verified_claims``), ``now, org_id, token_id, event_id, context?`` →
        ``{token, claims, session, event}``: a new org-scoped token.
        """
        return self.call("session_switch_org", input, **fields)

    def branding_resolve(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``email``, ``slug`` or ``connection_id`` → ``{org, branding, sources}``: each field
        from the org, its parents or the app defaults, and where it came from.
        """
        return self.call("branding_resolve", input, **fields)

    def feature_flags(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``org_id`` → the org's flags and entitlements, app defaults applied."""
        return self.call("feature_flags", input, **fields)

    def sql_schema(self, input: Input = None, /, **fields: Any) -> list[str]:
        """``dialect`` (``sqlite`` or ``postgres``) → the statements that create the engine's
        reference tables (SCIM resources, audit logs); each is idempotent.
        """
        return self.call("sql_schema", input, **fields)

    def sql_scim_put(self, input: Input = None, /, **fields: Any) -> list[dict[str, Any]]:
        """``dialect, stored: {org_id, kind, id, created_at, updated_at, version, resource}``
        (times in microseconds) → ``[{sql, params}]`` that replace the resource's rows.
        """
        return self.call("sql_scim_put", input, **fields)

    def sql_scim_delete(self, input: Input = None, /, **fields: Any) -> list[dict[str, Any]]:
        """``dialect, org_id, kind, id`` → ``[{sql, params}]`` that remove the resource's rows."""
        return self.call("sql_scim_delete", input, **fields)

    def sql_scim_list(self, input: Input = None, /, **fields: Any) -> dict[str, Any]:
        """``dialect, org_id, kind?, filter?, sort_by?, sort_order?, offset?, limit`` →
        ``{count, page}``: the statements that count one org's matching resources and read one
        sorted page (``kind, id, created_at, updated_at, version, resource``); no ``kind`` lists
        Users and Groups together.
        """
        return self.call("sql_scim_list", input, **fields)

    def sql_audit_append(self, input: Input = None, /, **fields: Any) -> list[dict[str, Any]]:
        """``dialect, event`` (a chained event) → ``[{sql, params}]`` that append it to its org's
        log, with one row per target.
        """
        return self.call("sql_audit_append", input, **fields)
