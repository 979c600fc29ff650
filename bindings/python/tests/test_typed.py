"""The typed authorization calls (``Engine.authorize``, ``authorize_batch``, ``check``, ``allowed_actions``):
Python values in and Python objects out, with no JSON text. Every vector of these ops goes
through them on a loaded engine, and each answer must be the native engine's output (from
ORGKIT_NATIVE_OUTPUTS) exactly: the same JSON text once encoded, keys in the same order, or the
same error raised with the same details. Inputs outside the typed shape must give exactly what
the JSON call API gives."""

from __future__ import annotations

import json
from typing import Any, Optional

import orgkit
import pytest
from orgkit import _orgkit
from test_engine import JANE_CONFIGURES_SSO, NOW
from test_vectors import CASES, NATIVE, Case, same

TYPED_OPS = ("authorize", "authorize_batch", "check", "allowed_actions")
# A stateless case without a directory has no engine counterpart (an engine always holds one).
TYPED = [c for c in CASES if c.op in TYPED_OPS and "directory" in json.loads(c.input)]


def dumps(value: Any) -> str:
    """Compact JSON text as the core writes it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def native_output(case: Case) -> str:
    """The native engine's output of the case, or (without ORGKIT_NATIVE_OUTPUTS) the binding's
    JSON call, which test_vectors checks against the case's expectation."""
    return NATIVE[case.id] if NATIVE is not None else orgkit.call_json(case.op, case.input)


def engine_for(fields: dict[str, Any]) -> orgkit.Engine:
    """An engine with the case's directory (and options, changes) loaded; removes them from
    `fields`. Raises as loading the case's directory does."""
    engine = orgkit.Engine()
    engine.load(fields.pop("directory"), fields.pop("options", None))
    if "changes" in fields:
        engine.apply_changes(fields.pop("changes"))
    return engine


def envelope(call: Any) -> str:
    """The call's answer as the output envelope's text (an error raised as its `error`)."""
    try:
        return dumps({"ok": call()})
    except _orgkit.EngineError as e:
        return dumps({"error": e.args[0]})
    except orgkit.OrgkitError as e:
        return dumps({"error": e.details})


def test_there_are_typed_vectors() -> None:
    assert len(TYPED) >= 150
    assert {c.op for c in TYPED} == set(TYPED_OPS)


@pytest.mark.parametrize("case", TYPED, ids=[f"{c.file}:{c.id}" for c in TYPED])
def test_vector_through_the_typed_call(case: Case) -> None:
    expected = native_output(case)
    fields = json.loads(case.input)
    try:
        engine = engine_for(fields)
    except orgkit.OrgkitError as e:  # the case's directory or changes are refused
        assert dumps({"error": e.details}) == expected
        return
    # The native typed call itself, and the package's method (which falls back to the JSON call
    # API for an input the typed call does not take).
    native = envelope(lambda: getattr(engine._native, case.op)(fields))
    output = envelope(lambda: getattr(engine, case.op)(**fields))
    assert output == expected, "differs from the native engine's output"
    if native == dumps({"ok": None}):
        # Declined: only an input the JSON call API refuses as ill-typed (here or in a batch),
        # or a batch over its size limit.
        assert '"code":"invalid_input"' in expected or '"reason":"too_many"' in expected, (
            "the typed call did not take this input"
        )
    else:
        assert native == expected


@pytest.fixture
def engine(demo: dict[str, Any]) -> orgkit.Engine:
    return orgkit.Engine(demo)


JANE = JANE_CONFIGURES_SSO


def through_json(engine: orgkit.Engine, op: str, fields: dict[str, Any]) -> Any:
    """The JSON call API's answer: the ok value, or the error raised."""
    return engine.call(op, **fields)


def outcome(call: Any) -> tuple[str, Any]:
    """`("ok", value)` or `(exception class name, details or message)`."""
    try:
        return "ok", call()
    except orgkit.OrgkitError as e:
        return type(e).__name__, e.details
    except Exception as e:  # noqa: BLE001 -- TypeError, ValueError, UnicodeEncodeError alike
        return type(e).__name__, str(e)


ODD_INPUTS: list[tuple[str, dict[str, Any]]] = [
    ("unknown field", {**JANE, "tenant": "x"}),
    ("missing now", {k: v for k, v in JANE.items() if k != "now"}),
    ("float now", {**JANE, "now": float(NOW)}),
    ("bool now", {**JANE, "now": True}),
    ("huge now", {**JANE, "now": 2**70}),
    ("two principals", {**JANE, "principal": {"user": "usr_jane", "staff": "s"}}),
    ("principal as text", {**JANE, "principal": "usr_jane"}),
    ("null context", {**JANE, "context": None}),
    ("list context", {**JANE, "context": []}),
    ("non-str context key", {**JANE, "context": {1: True}}),
    ("float in context", {**JANE, "context": {"x": 1.5}}),
    ("nan in context", {**JANE, "context": {"x": float("nan")}}),
    ("set in context", {**JANE, "context": {"x": {1}}}),
    ("deep context", {**JANE, "context": {"x": json.loads("[" * 200 + "]" * 200)}}),
    ("lone surrogate", {**JANE, "active_org": "org_\udc80"}),
    ("str subclass", {**JANE, "action": type("S", (str,), {})("sso.configure")}),
    ("null org", {**JANE, "resource": {**JANE["resource"], "org": None}}),
    ("null event id", {**JANE, "event_id": None}),
    ("audit context", {**JANE, "event_id": "e1", "audit_context": {"ip": "10.0.0.1", "request_id": None}}),
    ("bad audit context", {**JANE, "audit_context": {"ip": 1}}),
    ("unknown audit field", {**JANE, "audit_context": {"port": "1"}}),
    ("grant for a user", {**JANE, "grant": {"id": "g", "staff_id": "s", "org_id": "org_acme", "reason": "r",
                                            "actions": ("sso.read",), "expires_at": NOW + 1}}),
    ("grant missing field", {**JANE, "principal": {"staff": "s"}, "grant": {"id": "g"}}),
    ("unknown org", {**JANE, "active_org": "org_nope"}),
    ("unknown action", {**JANE, "action": "nope"}),
]


@pytest.mark.parametrize("name,fields", ODD_INPUTS, ids=[n for n, _ in ODD_INPUTS])
def test_odd_inputs_get_what_the_json_call_api_gives(engine: orgkit.Engine, name: str, fields: dict[str, Any]) -> None:
    assert outcome(lambda: engine.authorize(fields)) == outcome(lambda: through_json(engine, "authorize", fields))


def test_the_typed_path_takes_well_formed_input_and_leaves_the_rest(engine: orgkit.Engine) -> None:
    assert engine._native.authorize(JANE) is not None
    # Taken (the demo's schema declares no host context, so the engine refuses it).
    with pytest.raises(_orgkit.EngineError) as refused:
        engine._native.authorize({**JANE, "context": {"x": [1, "a", None, True, {"y": -5}]}})
    assert (refused.value.args[0]["code"], refused.value.args[0]["path"]) == ("invalid_input", "context")
    assert engine._native.authorize({**JANE, "tenant": "x"}) is None
    assert engine._native.authorize({**JANE, "now": 1.0}) is None
    with pytest.raises(_orgkit.EngineError) as raised:
        engine._native.authorize({**JANE, "active_org": "org_nope"})
    assert raised.value.args[0]["code"] == "unknown_org"


def test_an_input_over_the_limit_gets_the_json_call_api_answer(demo: dict[str, Any]) -> None:
    limited = orgkit.Engine(demo, options={"limits": {"max_input_bytes": 2000}})
    assert limited._native.authorize(JANE) is not None
    big = {**JANE, "event_id": "e" * 2000}
    assert limited._native.authorize(big) is None
    with pytest.raises(orgkit.LimitError) as raised:
        limited.authorize(big)
    assert raised.value.reason == "input_too_large"


def test_the_results_equal_the_json_call_api_s(engine: orgkit.Engine) -> None:
    scope = {k: v for k, v in JANE.items() if k != "action"}
    for op, fields in [
        ("authorize", JANE),
        ("authorize", {**JANE, "event_id": "ev_1", "audit_context": {"user_agent": "ua"}}),
        ("authorize_batch", {"requests": [JANE, {**JANE, "action": "no.such"}, {**JANE, "active_org": "x"}]}),
        ("check", JANE),
        ("check", {**JANE, "active_org": "org_globex"}),
        ("allowed_actions", scope),
    ]:
        typed = getattr(engine, op)(fields)
        assert dumps(typed) == dumps(through_json(engine, op, fields))
        assert getattr(engine._native, op)(fields) is not None


def test_check_leaves_the_fields_of_an_audited_decision_to_the_json_call_api(engine: orgkit.Engine) -> None:
    grant = {"id": "g", "staff_id": "s", "org_id": "org_acme", "reason": "r", "actions": ["sso.read"],
             "expires_at": NOW + 1}
    for field, value in [("grant", grant), ("event_id", "ev_1"), ("audit_context", {"ip": "192.0.2.1"})]:
        fields = {**JANE, field: value}
        assert engine._native.check(fields) is None
        with pytest.raises(orgkit.InputError):
            engine.check(fields)
    answer = engine.check(JANE)
    assert answer == {k: v for k, v in engine.authorize(JANE).items() if k in ("decision", "policies", "errors")}


def test_a_batch_over_its_limit_and_a_batch_with_an_odd_request_answer_as_before(demo: dict[str, Any]) -> None:
    engine = orgkit.Engine(demo, options={"limits": {"max_batch": 2}})
    too_many = {"requests": [JANE] * 3}
    assert engine._native.authorize_batch(too_many) is None
    with pytest.raises(orgkit.LimitError):
        engine.authorize_batch(too_many)
    odd = {"requests": [JANE, {**JANE, "now": "soon"}]}
    assert engine._native.authorize_batch(odd) is None
    assert dumps(engine.authorize_batch(odd)) == dumps(through_json(engine, "authorize_batch", odd))


def test_json_text_still_goes_through_the_call_api(engine: orgkit.Engine) -> None:
    assert engine.authorize(json.dumps(JANE)) == engine.authorize(JANE)
    with pytest.raises(TypeError):
        engine.authorize(json.dumps(JANE), now=NOW)


def test_mapping_and_fields_merge_fields_winning(engine: orgkit.Engine) -> None:
    from types import MappingProxyType

    answer: Optional[dict[str, Any]] = engine.authorize(MappingProxyType(JANE), active_org="org_globex")
    assert answer is not None and answer["decision"] == "deny"
    assert answer["event"]["org_id"] == "org_globex"
