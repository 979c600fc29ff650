"""Audit queries over HTTP: decisions recorded in the org's chained log, the engine's
``audit_query`` plan (authorized, itself audited) run as SQL by the SQLite store, and exports
through ``audit_export``."""

from __future__ import annotations

import json

import httpx
import orgkit
import pytest
from conftest import SigningKey, claims_for

from orgkit_host import SqliteStore

SSO_CONFIGURE = {"action": "sso.configure", "resource": {"type": "Organization", "id": "org_acme"}}


@pytest.fixture(scope="module")
def ann(client: httpx.Client, key: SigningKey) -> dict[str, str]:
    """Ann's (an admin's) headers, after one allowed and one denied decision were made."""
    headers = {"authorization": f"Bearer {key.sign(claims_for('u_ann'))}"}
    bob = {"authorization": f"Bearer {key.sign(claims_for('u_bob'))}"}
    assert client.post("/v1/authorize", json=SSO_CONFIGURE, headers=headers).json()["decision"] == "allow"
    assert client.post("/v1/authorize", json=SSO_CONFIGURE, headers=bob).json()["decision"] == "deny"
    return headers


def test_query_returns_the_recorded_decisions(client: httpx.Client, ann: dict[str, str]) -> None:
    read = client.get("/v1/audit?actions=authz.decision&outcomes=allow,deny", headers=ann)
    assert read.status_code == 200, read.text
    events = read.json()["events"]
    assert [(e["action"], e["outcome"], e["actor"]["id"]) for e in events] == [
        ("authz.decision", "allow", "u_ann"),
        ("authz.decision", "deny", "u_bob"),
    ]
    by_actor = client.get("/v1/audit", params={"actors": "u_bob", "actions": "authz.decision"}, headers=ann)
    assert [e["actor"]["id"] for e in by_actor.json()["events"]] == ["u_bob"]


def test_a_member_may_not_read_the_log(client: httpx.Client, key: SigningKey) -> None:
    refused = client.get("/v1/audit", headers={"authorization": f"Bearer {key.sign(claims_for('u_bob'))}"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"


def test_invalid_parameters_are_refused_by_the_engine(client: httpx.Client, ann: dict[str, str]) -> None:
    answer = client.get("/v1/audit?limit=many", headers=ann)
    assert answer.status_code == 400


def test_export_as_csv_jsonl_and_cloudevents(client: httpx.Client, ann: dict[str, str]) -> None:
    csv = client.get("/v1/audit/export?format=csv&actions=authz.decision", headers=ann)
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert len([line for line in csv.text.split("\r\n") if line]) == 3  # the header and two events
    jsonl = client.get("/v1/audit/export?format=jsonl&limit=2", headers=ann)
    assert [json.loads(line)["seq"] for line in jsonl.text.strip().split("\n")] == [0, 1]
    cloud = client.get("/v1/audit/export?format=cloudevents&actions=authz.decision", headers=ann)
    assert cloud.headers["content-type"].startswith("application/cloudevents-batch+json")
    assert [e["source"] for e in cloud.json()] == [str(client.base_url) + "/"] * 2
    bad = client.get("/v1/audit/export?format=xml", headers=ann)
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "invalid_value")


def test_the_log_is_chained_and_the_queries_audited(sqlite_store: SqliteStore, ann: dict[str, str]) -> None:
    events = sqlite_store.audit.events("org_acme")
    assert "audit.log.queried" in {e["action"] for e in events}
    assert [e["seq"] for e in events] == list(range(len(events)))
    assert orgkit.call("audit_verify_chain", events=events) == {"valid": True, "checked": len(events)}
