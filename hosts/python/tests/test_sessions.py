"""The authorization dependency and checks over HTTP: bearer session tokens verified by the
engine (``session_resolve`` with the issuer keys of ``options.sessions``), decisions for the
session's user in the session's org, and org selection."""

from __future__ import annotations

import time
import uuid

import httpx
import orgkit
from conftest import DIRECTORY, OPTIONS, SigningKey, claims_for, sessions_config
from orgkit_host import SqliteStore

SSO_CONFIGURE = {"action": "sso.configure", "resource": {"type": "Organization", "id": "org_acme"}}


def bearer(token: str, **headers: str) -> dict[str, str]:
    """Request headers carrying ``token``."""
    return {"authorization": f"Bearer {token}", **headers}


def test_authorize_allows_the_admin_and_denies_a_member(client: httpx.Client, key: SigningKey) -> None:
    allowed = client.post("/v1/authorize", json=SSO_CONFIGURE, headers=bearer(key.sign(claims_for("u_ann"))))
    assert allowed.status_code == 200
    assert allowed.json()["decision"] == "allow"
    assert allowed.json()["event"]["actor"] == {"type": "user", "id": "u_ann"}
    denied = client.post("/v1/authorize", json=SSO_CONFIGURE, headers=bearer(key.sign(claims_for("u_bob"))))
    assert denied.status_code == 200
    assert denied.json()["decision"] == "deny"


SUPPORT_GRANT = {"id": "g1", "staff_id": "s_sam", "org_id": "org_acme", "reason": "ticket #1",
                 "actions": ["sso.configure"], "expires_at": 4102444800}


def test_check_answers_as_authorize_without_an_event_and_records_nothing(
    client: httpx.Client, key: SigningKey, sqlite_store: SqliteStore
) -> None:
    for user in ("u_ann", "u_bob"):
        token = key.sign(claims_for(user))
        authorized = client.post("/v1/authorize", json=SSO_CONFIGURE, headers=bearer(token)).json()
        before = len(sqlite_store.audit.events("org_acme"))
        checked = client.post("/v1/check", json=SSO_CONFIGURE, headers=bearer(token))
        assert checked.status_code == 200
        assert checked.json() == {"decision": authorized["decision"], "policies": authorized["policies"], "errors": []}
        assert len(sqlite_store.audit.events("org_acme")) == before
    bob = key.sign(claims_for("u_bob"))
    granted = client.post("/v1/check", json={**SSO_CONFIGURE, "grant": SUPPORT_GRANT}, headers=bearer(bob))
    assert granted.status_code == 400
    assert granted.json()["error"]["code"] == "invalid_input"
    assert granted.json()["error"]["path"] == "grant"


def test_principal_org_and_clock_come_from_the_session_and_host(client: httpx.Client, key: SigningKey) -> None:
    token = key.sign(claims_for("u_bob"))
    for field, value in [("principal", {"user": "u_ann"}), ("active_org", "org_globex"), ("now", 0)]:
        spoofed = client.post("/v1/authorize", json={**SSO_CONFIGURE, field: value}, headers=bearer(token))
        assert spoofed.status_code == 400
        assert spoofed.json()["error"]["code"] == "invalid_input"


def test_batch_and_allowed_actions(client: httpx.Client, key: SigningKey) -> None:
    ann = key.sign(claims_for("u_ann"))
    requests = [SSO_CONFIGURE, {**SSO_CONFIGURE, "action": "no.such.action"}]
    batch = client.post("/v1/authorize/batch", json={"requests": requests}, headers=bearer(ann))
    assert batch.status_code == 200
    first, second = batch.json()
    assert first["ok"]["decision"] == "allow"
    assert second["error"]["code"] == "unknown_action"
    bob = key.sign(claims_for("u_bob"))
    actions = client.post("/v1/allowed-actions", json={"resource": SSO_CONFIGURE["resource"]}, headers=bearer(bob))
    assert actions.status_code == 200
    assert "org.read" in actions.json()
    assert "sso.configure" not in actions.json()


def test_tokens_the_engine_refuses(client: httpx.Client, key: SigningKey) -> None:
    expired = client.post(
        "/v1/authorize", json=SSO_CONFIGURE, headers=bearer(key.sign(claims_for("u_ann", lifetime=-3600)))
    )
    assert expired.status_code == 401
    assert expired.json()["error"] == {**expired.json()["error"], "code": "invalid_token", "reason": "expired"}
    stranger = SigningKey()  # the same kid, another key: the signature does not verify
    forged = client.post("/v1/authorize", json=SSO_CONFIGURE, headers=bearer(stranger.sign(claims_for("u_ann"))))
    assert forged.status_code == 401
    assert forged.json()["error"]["code"] == "invalid_token"
    missing = client.post("/v1/authorize", json=SSO_CONFIGURE)
    assert missing.status_code == 401
    assert missing.json()["error"]["reason"] == "missing"


def test_organization_selection_required_then_picked(client: httpx.Client, key: SigningKey) -> None:
    cy = key.sign(claims_for("u_cy", org=None))
    pending = client.post("/v1/allowed-actions", json={"resource": SSO_CONFIGURE["resource"]}, headers=bearer(cy))
    assert pending.status_code == 403
    assert pending.json()["error"]["reason"] == "organization_selection_required"
    assert [c["org_id"] for c in pending.json()["candidates"]] == ["org_acme", "org_globex"]
    globex = {"action": "sso.configure", "resource": {"type": "Organization", "id": "org_globex"}}
    picked = client.post("/v1/authorize", json=globex, headers=bearer(cy, **{"orgkit-org": "org_globex"}))
    assert picked.status_code == 200
    assert picked.json()["decision"] == "allow"
    assert picked.json()["event"]["org_id"] == "org_globex"
    ann = key.sign(claims_for("u_ann", org=None))
    outsider = client.post("/v1/authorize", json=globex, headers=bearer(ann, **{"orgkit-org": "org_globex"}))
    assert outsider.status_code == 403
    assert outsider.json()["error"]["reason"] == "not_a_member"


def test_an_org_switch_token_signed_by_the_engine_is_accepted(client: httpx.Client, key: SigningKey) -> None:
    # The engine that signs is any engine with the same `sessions.signing` key (here, a second one).
    engine = orgkit.Engine(DIRECTORY, {**OPTIONS, "sessions": sessions_config(key)})
    switched = engine.session_switch_org(
        token=key.sign(claims_for("u_cy", org=None)),
        now=int(time.time()),
        org_id="org_globex",
        token_id=str(uuid.uuid4()),
        event_id=str(uuid.uuid4()),
    )
    globex = {"action": "sso.configure", "resource": {"type": "Organization", "id": "org_globex"}}
    answer = client.post("/v1/authorize", json=globex, headers=bearer(switched["token"]))
    assert answer.status_code == 200
    assert answer.json()["decision"] == "allow"
