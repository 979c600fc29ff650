"""The in-memory store over HTTP (filters as the engine's predicate, audit queries refused), and
both stores' transactions all or nothing."""

from __future__ import annotations

import itertools
import time
from typing import Iterator

import httpx
import orgkit
import pytest
from conftest import ACME_SCIM, SigningKey, claims_for, seeded, serve, sessions_config

from orgkit_host import MemoryStore, SqliteStore, Store, StoredMembership, create_app

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
SCIM = {"authorization": f"Bearer {ACME_SCIM['token']}", "content-type": "application/scim+json"}


@pytest.fixture(scope="module")
def memory_store() -> MemoryStore:
    """A seeded in-memory store."""
    store = MemoryStore()
    seeded(store)
    return store


@pytest.fixture(scope="module")
def memory_client(memory_store: MemoryStore, key: SigningKey) -> Iterator[httpx.Client]:
    """The app over the in-memory store, served on 127.0.0.1."""
    with serve(create_app(memory_store, sessions=sessions_config(key))) as http:
        yield http


def test_scim_on_the_memory_store(memory_client: httpx.Client, memory_store: MemoryStore) -> None:
    for name in ("erin", "frank"):
        user = {"schemas": [USER], "userName": f"{name}@acme.com", "emails": [{"value": f"{name}@acme.com"}]}
        assert memory_client.post("/scim/v2/Users", json=user, headers=SCIM).status_code == 201
    found = memory_client.get("/scim/v2/Users", params={"filter": 'userName sw "FR"'}, headers=SCIM).json()
    assert [r["userName"] for r in found["Resources"]] == ["frank@acme.com"]
    events = memory_store.audit.events("org_acme")
    assert [e["action"] for e in events] == ["scim.user.created", "scim.user.created"]
    assert orgkit.call("audit_verify_chain", events=events)["valid"] is True


def test_audit_queries_need_a_store_that_runs_sql(memory_client: httpx.Client, key: SigningKey) -> None:
    answer = memory_client.get("/v1/audit", headers={"authorization": f"Bearer {key.sign(claims_for('u_ann'))}"})
    assert (answer.status_code, answer.json()["error"]["code"]) == (501, "not_implemented")


@pytest.mark.parametrize("make", [MemoryStore, lambda: SqliteStore(":memory:")], ids=["memory", "sqlite"])
def test_a_transaction_that_raises_keeps_nothing(make: type[Store]) -> None:
    store = seeded(make())
    membership = StoredMembership("org_acme", "u_new", ["member"], "active")
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.put_membership(membership)
        tx.remove_membership("org_acme", "u_ann")
        tx.append_changes({"schema_version": 1, "changes": []})
        raise RuntimeError("refused")
    assert store.memberships.membership("org_acme", "u_new") is None
    assert store.memberships.membership("org_acme", "u_ann") is not None
    assert store.directory.changes_since(0) == []
    with store.transaction() as tx:
        tx.put_membership(membership)
    assert store.memberships.membership("org_acme", "u_new") == membership


def test_the_clock_and_ids_are_the_hosts(key: SigningKey) -> None:
    now_ms = int(time.time()) * 1000
    ids = (f"id-{n}" for n in itertools.count())
    app = create_app(seeded(MemoryStore()), sessions_config(key), now_ms=lambda: now_ms, new_id=lambda: next(ids))
    with serve(app) as http:
        headers = {"authorization": f"Bearer {key.sign(claims_for('u_ann'))}"}
        resource = {"type": "Organization", "id": "org_acme"}
        answer = http.post("/v1/authorize", json={"action": "org.read", "resource": resource}, headers=headers)
    event = answer.json()["event"]
    assert (event["id"], event["occurred_at"]) == ("id-0", now_ms // 1000)
