"""Home-realm discovery over HTTP: the engine's routing decision with the branding to show."""

from __future__ import annotations

import httpx


def test_sso_route_with_the_org_branding(client: httpx.Client) -> None:
    answer = client.post("/v1/route", json={"email": "Ann@ACME.com"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["decision"] == "sso"
    assert body["org"]["id"] == "org_acme"
    assert body["connection"]["id"] == "conn_acme"
    assert body["branding"] == {"login_title": "Sign in to Acme", "primary_color": "#112233"}


def test_no_org_gets_the_app_default_branding(client: httpx.Client) -> None:
    body = client.post("/v1/route", json={"email": "someone@gmail.com"}).json()
    assert body["decision"] == "default_login"
    assert "consumer_domain" in body["reasons"]
    assert body["branding"] == {"login_title": "Sign in", "primary_color": "#000000"}


def test_engine_errors_answer_with_their_code_and_status(client: httpx.Client) -> None:
    invalid = client.post("/v1/route", json={"email": "not-an-address"})
    assert invalid.status_code == 400
    assert invalid.json()["error"]["code"] == "invalid_email"
    assert invalid.json()["error"]["reason"] == "missing_at"
    malformed = client.post("/v1/route", content=b"{", headers={"content-type": "application/json"})
    assert malformed.status_code == 400
    assert malformed.json()["error"]["code"] == "invalid_json"
