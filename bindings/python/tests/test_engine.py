"""The Engine: loading, changes, the op methods, errors raised by class, threads and the GIL."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import orgkit
import pytest

NOW = 1_798_761_600
JANE_CONFIGURES_SSO = {
    "principal": {"user": "usr_jane"},
    "active_org": "org_acme",
    "action": "sso.configure",
    "resource": {"type": "SsoConnection", "id": "conn_acme_saml"},
    "now": NOW,
}


def orgs(first: int, count: int) -> list[dict[str, Any]]:
    """Organizations `org_<i>`, each with the verified domain `org<i>.example.com`."""
    return [
        {
            "id": f"org_{i}",
            "name": f"Org {i}",
            "slug": f"org-{i}",
            "domains": [{"domain": f"org{i}.example.com", "verification": "verified"}],
        }
        for i in range(first, first + count)
    ]


def test_a_new_engine_is_empty_and_loads_a_directory(demo: dict[str, Any]) -> None:
    engine = orgkit.Engine()
    assert engine.stats()["orgs"] == 0
    stats = engine.load(demo)
    assert stats == engine.stats()
    assert (stats["orgs"], stats["users"], stats["memberships"]) == (6, 7, 8)


def test_the_constructor_loads_a_mapping_or_json_text_with_options(demo: dict[str, Any]) -> None:
    assert orgkit.Engine(json.dumps(demo)).stats() == orgkit.Engine(demo).stats()
    limited = orgkit.Engine(demo, options={"limits": {"max_input_bytes": 100}})
    with pytest.raises(orgkit.LimitError) as raised:
        limited.route(email="x" * 200 + "@acme-demo.com")
    assert (raised.value.code, raised.value.reason) == ("limit_exceeded", "input_too_large")
    with pytest.raises(TypeError):
        orgkit.Engine(options={"limits": {}})


def test_a_refused_directory_lists_every_problem_and_keeps_the_current_one(
    demo: dict[str, Any],
) -> None:
    engine = orgkit.Engine(demo)
    bad: dict[str, Any] = {"schema_version": 1, "orgs": orgs(0, 2), "users": [], "memberships": []}
    bad["orgs"][0]["domains"][0]["domain"] = "gmail.com"
    bad["orgs"][1]["slug"] = "Not A Slug"
    with pytest.raises(orgkit.ValidationError) as raised:
        engine.load(bad)
    error = raised.value
    assert error.code == "invalid_directory"
    assert [p["path"] for p in error.problems] == ["orgs[0].domains[0].domain", "orgs[1].slug"]
    assert error.problems[0]["code"] == "consumer_domain"
    assert error.details["problems"] == error.problems
    assert engine.stats()["orgs"] == 6


def test_changes_apply_all_or_nothing(demo: dict[str, Any]) -> None:
    engine = orgkit.Engine(demo)
    assert engine.route(email="ann@org1.example.com")["decision"] == "default_login"
    stats = engine.apply_changes(
        {"schema_version": 1, "changes": [{"op": "upsert_org", "org": org} for org in orgs(1, 2)]}
    )
    assert (stats["orgs"], stats["version"]) == (8, 2)
    assert engine.route(email="ann@org1.example.com")["org"]["id"] == "org_1"
    refused = {
        "schema_version": 1,
        "changes": [
            {"op": "remove_org", "org_id": "org_1"},
            {"op": "remove_org", "org_id": "org_missing"},
        ],
    }
    with pytest.raises(orgkit.ValidationError) as raised:
        engine.apply_changes(json.dumps(refused))
    assert raised.value.code == "invalid_change"
    assert raised.value.problems[0]["code"] == "unknown_org"
    assert engine.stats() == stats


def test_audited_changes_return_one_event_per_change(demo: dict[str, Any]) -> None:
    engine = orgkit.Engine(demo)
    audit = {"actor": {"type": "user", "id": "usr_jane"}, "now": NOW, "event_id_prefix": "req-1"}
    result = engine.apply_changes(
        {"schema_version": 1, "changes": [{"op": "upsert_org", "org": org} for org in orgs(1, 2)]}, audit=audit
    )
    assert result["orgs"] == 8
    assert [event["org_id"] for event in result["events"]] == ["org_1", "org_2"]


def test_an_op_takes_fields_a_mapping_or_json_text(demo: dict[str, Any]) -> None:
    engine = orgkit.Engine(demo)
    by_fields = engine.route(email="Jane@ACME-demo.com")
    assert by_fields["decision"] == "sso"
    assert by_fields["connection"]["id"] == "conn_acme_saml"
    assert engine.route({"email": "Jane@ACME-demo.com"}) == by_fields
    assert engine.route('{"email": "Jane@ACME-demo.com"}') == by_fields
    assert engine.call("route", email="Jane@ACME-demo.com") == by_fields
    assert json.loads(engine.call_json("route", '{"email":"Jane@ACME-demo.com"}')) == {"ok": by_fields}
    with pytest.raises(TypeError):
        engine.route('{"email": "a@b.c"}', email="a@b.c")


def test_mapping_and_fields_merge_fields_winning(demo: dict[str, Any]) -> None:
    engine = orgkit.Engine(demo)
    assert engine.authorize(JANE_CONFIGURES_SSO)["decision"] == "allow"
    assert engine.authorize(JANE_CONFIGURES_SSO, active_org="org_globex")["decision"] == "deny"


def test_authorization_on_a_loaded_engine(demo: dict[str, Any]) -> None:
    engine = orgkit.Engine(demo)
    answer = engine.authorize(JANE_CONFIGURES_SSO)
    assert (answer["decision"], answer["policies"]) == ("allow", ["orgkit.role.owner"])
    assert answer["event"]["action"] == "authz.decision"
    assert engine.allowed_actions(
        principal={"user": "usr_raj"},
        active_org="org_acme",
        resource={"type": "Branding", "id": "org_acme", "org": "org_acme"},
        now=NOW,
    ) == ["branding.read", "branding.update"]
    unknown_action = {**JANE_CONFIGURES_SSO, "action": "no.such"}
    batch = engine.authorize_batch(requests=[JANE_CONFIGURES_SSO, unknown_action])
    assert batch[0]["ok"] == answer
    assert batch[1]["error"]["code"] == "unknown_action"
    with pytest.raises(orgkit.AuthzError) as raised:
        engine.authorize(JANE_CONFIGURES_SSO, action="no.such")
    assert (raised.value.code, raised.value.path) == ("unknown_action", "action")


def test_every_op_is_a_method_and_no_method_is_missing_an_op() -> None:
    methods = {name for name in vars(orgkit.Engine) if not name.startswith("_")}
    assert set(orgkit.OPS) <= methods
    assert methods - set(orgkit.OPS) == {"call", "call_json"}


def test_the_stateless_call_takes_a_directory_inline(demo: dict[str, Any]) -> None:
    decision = orgkit.call("route", directory=demo, email="marta@globex-demo.io")
    assert decision == orgkit.Engine(demo).route(email="marta@globex-demo.io")
    assert orgkit.call("normalize_domain", domain="BÜCHER.de")["domain"] == "xn--bcher-kva.de"
    envelope = json.loads(orgkit.call_json("normalize_email", '{"email": "nope"}'))
    assert envelope["error"]["code"] == "invalid_email"


@pytest.mark.parametrize(
    ("op", "input", "cls", "code", "status", "scim_type"),
    [
        ("route", {"email": "no-at-sign"}, orgkit.InvalidEmail, "invalid_email", 400, "invalidValue"),
        ("normalize_domain", {"domain": "a..b"}, orgkit.InvalidDomain, "invalid_domain", 400, "invalidValue"),
        ("org_by_slug", {"slug": "nope"}, orgkit.UnknownOrg, "unknown_org", 404, None),
        ("user_memberships", {"user_id": "usr_nobody"}, orgkit.NotFoundError, "unknown_user", 404, None),
        ("scim_authenticate", {"authorization": "Bearer nope"}, orgkit.TokenError, "invalid_token", 401, None),
        ("scim_parse_filter", {"filter": "a eq"}, orgkit.ScimError, "invalid_filter", 400, "invalidFilter"),
        ("frobnicate", {}, orgkit.InputError, "unknown_op", 400, None),
        ("route", "{", orgkit.InputError, "invalid_json", 400, "invalidSyntax"),
        ("route", {"email": "a@b.c", "extra": 1}, orgkit.InputError, "invalid_input", 400, "invalidSyntax"),
    ],
)
def test_errors_raise_their_family_with_the_engine_code(
    demo: dict[str, Any],
    op: str,
    input: orgkit.Input,
    cls: type[orgkit.OrgkitError],
    code: str,
    status: int,
    scim_type: Any,
) -> None:
    with pytest.raises(cls) as raised:
        orgkit.Engine(demo).call(op, input)
    error = raised.value
    assert isinstance(error, orgkit.OrgkitError)
    assert (error.code, error.status, error.scim_type) == (code, status, scim_type)
    assert error.details["code"] == code and error.details["message"] == error.message
    assert str(error).startswith(f"{code}: {error.message}")


def test_one_engine_serves_many_threads_while_another_applies_changes(demo: dict[str, Any]) -> None:
    engine = orgkit.Engine(demo)
    writes, readers, rounds = 40, 4, 200
    failures: list[BaseException] = []
    seen_versions: list[int] = []

    def write() -> None:
        for i in range(writes):
            change = {"op": "upsert_org", "org": orgs(i, 1)[0]}
            engine.apply_changes({"schema_version": 1, "changes": [change]})

    def read() -> None:
        try:
            for _ in range(rounds):
                decision = engine.route(email="jane@acme-demo.com")
                assert (decision["decision"], decision["org"]["id"]) == ("sso", "org_acme")
                assert engine.authorize(JANE_CONFIGURES_SSO)["decision"] == "allow"
                seen_versions.append(engine.stats()["version"])
        except BaseException as e:  # reported below, with the thread's failure
            failures.append(e)

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(seen_versions) == readers * rounds
    stats = engine.stats()
    assert (stats["orgs"], stats["version"]) == (6 + writes, 1 + writes), "no write was lost"


def test_the_gil_is_released_while_the_engine_loads() -> None:
    text = json.dumps({"schema_version": 1, "orgs": orgs(0, 20_000), "users": [], "memberships": []})
    engine = orgkit.Engine()
    window: list[float] = []

    def load() -> None:
        window.append(time.perf_counter())
        engine.load(text)
        window.append(time.perf_counter())

    worker = threading.Thread(target=load)
    stamps = []
    worker.start()
    # This thread keeps running Python while the load runs: it never waits as long as the load
    # (holding the GIL, the load would leave no stamp between its start and end).
    while worker.is_alive():
        stamps.append(time.perf_counter())
        time.sleep(0.001)
    worker.join()
    begin, end = window
    points = [begin, *(s for s in stamps if begin < s < end), end]
    longest_wait = max(b - a for a, b in zip(points, points[1:]))
    assert engine.stats()["orgs"] == 20_000
    assert end - begin > 0.05, "the load was too quick to tell"
    took = end - begin
    assert longest_wait < took / 2, f"waited {longest_wait:.3f} s of a {took:.3f} s load"
