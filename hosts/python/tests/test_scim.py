"""SCIM 2.0 over HTTP against the SQLite store: writes stored with their audit events in one
transaction, reads, filters run as the engine's SQL, RFC 7644 errors, discovery, and the
engine's directory following the writes (also after a restart). The tests run in order, each
building on the last."""

from __future__ import annotations

from typing import Any

import httpx
import orgkit
import pytest
from starlette.applications import Starlette
from conftest import ACME_SCIM, GLOBEX_SCIM

from orgkit_host import SqliteStore, create_app

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"

CAROL = {
    "schemas": [USER],
    "userName": "carol@acme.com",
    "name": {"givenName": "Carol", "familyName": "Jones"},
    "active": True,
    "emails": [{"value": "carol@acme.com", "type": "work", "primary": True}],
}


def scim(token: str = ACME_SCIM["token"], **headers: str) -> dict[str, str]:
    """Headers of a SCIM request with the org's bearer token."""
    return {"authorization": f"Bearer {token}", "content-type": "application/scim+json", **headers}


def find(client: httpx.Client, kind: str, filter: str) -> dict[str, Any]:
    """A filtered list."""
    answer = client.get(f"/scim/v2/{kind}", params={"filter": filter}, headers=scim())
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


@pytest.fixture(scope="module")
def carol(client: httpx.Client) -> dict[str, Any]:
    """Carol, created by the first test's POST."""
    created = client.post("/scim/v2/Users", json=CAROL, headers=scim())
    assert created.status_code == 201, created.text
    return {"id": created.json()["id"], "created": created}


def test_post_creates_the_user(client: httpx.Client, carol: dict[str, Any]) -> None:
    created: httpx.Response = carol["created"]
    assert len(carol["id"]) == 36
    assert created.json()["userName"] == "carol@acme.com"
    assert created.json()["meta"]["resourceType"] == "User"
    assert created.json()["meta"]["version"] == 'W/"1"'
    assert created.headers["etag"] == 'W/"1"'
    assert created.headers["location"] == f"{client.base_url}/scim/v2/Users/{carol['id']}"
    assert created.headers["content-type"].startswith("application/scim+json")


def test_the_membership_reaches_the_store_and_the_engine(
    app: Starlette, sqlite_store: SqliteStore, carol: dict[str, Any]
) -> None:
    stored = sqlite_store.memberships.membership("org_acme", carol["id"])
    assert stored is not None
    assert (stored.roles, stored.status) == (["member"], "active")
    membership = app.state.host.directory.engine.membership(user_id=carol["id"], org_id="org_acme")
    assert membership["roles"] == ["member"]


def test_get_reads_it_back_and_another_org_does_not_see_it(client: httpx.Client, carol: dict[str, Any]) -> None:
    read = client.get(f"/scim/v2/Users/{carol['id']}", headers=scim())
    assert read.status_code == 200
    assert read.json()["name"]["givenName"] == "Carol"
    other = client.get(f"/scim/v2/Users/{carol['id']}", headers=scim(GLOBEX_SCIM["token"]))
    assert other.status_code == 404
    assert other.json()["schemas"] == [ERROR]
    assert other.json()["status"] == "404"


def test_get_with_if_none_match_answers_304_while_the_version_is_current(
    client: httpx.Client, carol: dict[str, Any]
) -> None:
    same = client.get(f"/scim/v2/Users/{carol['id']}", headers=scim(**{"if-none-match": 'W/"1"'}))
    assert same.status_code == 304
    assert same.headers["etag"] == 'W/"1"'
    other = client.get(f"/scim/v2/Users/{carol['id']}", headers=scim(**{"if-none-match": 'W/"7"'}))
    assert other.status_code == 200
    assert other.json()["userName"] == "carol@acme.com"


def test_list_filters_run_as_the_engines_sql(client: httpx.Client, carol: dict[str, Any]) -> None:
    dave = {"schemas": [USER], "userName": "dave@acme.com", "emails": [{"value": "dave@acme.com", "type": "home"}]}
    assert client.post("/scim/v2/Users", json=dave, headers=scim()).status_code == 201
    by_name = find(client, "Users", 'userName eq "CAROL@acme.com"')
    assert by_name["totalResults"] == 1
    assert by_name["Resources"][0]["id"] == carol["id"]
    by_email = find(client, "Users", 'emails[type eq "home"]')
    assert [r["userName"] for r in by_email["Resources"]] == ["dave@acme.com"]
    page = client.get("/scim/v2/Users?startIndex=2&count=1&attributes=userName", headers=scim()).json()
    assert (page["totalResults"], page["itemsPerPage"], page["startIndex"]) == (2, 1, 2)
    assert sorted(page["Resources"][0]) == ["id", "meta", "schemas", "userName"]
    search = client.post(
        "/scim/v2/Users/.search", json={"schemas": [SEARCH], "filter": 'name.familyName sw "jo"'}, headers=scim()
    )
    assert search.json()["totalResults"] == 1


def test_patch_deactivates_the_user(client: httpx.Client, sqlite_store: SqliteStore, carol: dict[str, Any]) -> None:
    patch = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]}
    patched = client.patch(f"/scim/v2/Users/{carol['id']}", json=patch, headers=scim(**{"if-match": 'W/"1"'}))
    assert patched.status_code == 200, patched.text
    assert patched.json()["active"] is False
    assert patched.headers["etag"] == 'W/"2"'
    stored = sqlite_store.memberships.membership("org_acme", carol["id"])
    assert stored is not None and stored.status == "suspended"
    assert [r["id"] for r in find(client, "Users", "active eq false")["Resources"]] == [carol["id"]]


def test_groups_create_with_a_member_and_filter_by_member(client: httpx.Client, carol: dict[str, Any]) -> None:
    group = {"schemas": [GROUP], "displayName": "Admins", "members": [{"value": carol["id"], "type": "User"}]}
    created = client.post("/scim/v2/Groups", json=group, headers=scim())
    assert created.status_code == 201
    by_member = find(client, "Groups", f'members[value eq "{carol["id"]}"]')
    assert [g["displayName"] for g in by_member["Resources"]] == ["Admins"]


def test_errors_carry_the_rfc_status_and_scim_type(client: httpx.Client, carol: dict[str, Any]) -> None:
    user = f"/scim/v2/Users/{carol['id']}"
    unauthenticated = client.get("/scim/v2/Users", headers=scim("orgkit_scim_not-a-token"))
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["schemas"] == [ERROR]
    bad_filter = client.get("/scim/v2/Users", params={"filter": "userName eq"}, headers=scim())
    assert (bad_filter.status_code, bad_filter.json()["scimType"]) == (400, "invalidFilter")
    stale = client.put(user, json=CAROL, headers=scim(**{"if-match": 'W/"1"'}))
    assert stale.status_code == 412
    media = client.post("/scim/v2/Users", json=CAROL, headers=scim(**{"content-type": "text/plain"}))
    assert media.status_code == 415
    assert client.post(user, json=CAROL, headers=scim()).status_code == 405
    operation = {"op": "replace", "path": 'emails[type eq "other"].value', "value": "x@acme.com"}
    no_target = {"schemas": [PATCH], "Operations": [operation]}
    patch = client.patch(user, json=no_target, headers=scim())
    assert (patch.status_code, patch.json()["scimType"]) == (400, "noTarget")
    assert client.post("/scim/v2/Bulk", json={}, headers=scim()).status_code == 501


def test_discovery_documents_come_from_the_engine(client: httpx.Client) -> None:
    config = client.get("/scim/v2/ServiceProviderConfig", headers=scim())
    assert config.status_code == 200
    assert config.json()["patch"]["supported"] is True
    types = client.get("/scim/v2/ResourceTypes", headers=scim()).json()
    assert [t["name"] for t in types["Resources"]] == ["User", "Group"]
    schemas = client.get("/scim/v2/Schemas", headers=scim()).json()
    assert any(s["id"] == USER for s in schemas["Resources"])


def test_delete_removes_the_user_and_its_membership(
    app: Starlette, client: httpx.Client, sqlite_store: SqliteStore, carol: dict[str, Any]
) -> None:
    deleted = client.delete(f"/scim/v2/Users/{carol['id']}", headers=scim())
    assert deleted.status_code == 204
    assert client.get(f"/scim/v2/Users/{carol['id']}", headers=scim()).status_code == 404
    assert sqlite_store.memberships.membership("org_acme", carol["id"]) is None
    with pytest.raises(orgkit.NotFoundError):
        app.state.host.directory.engine.membership(user_id=carol["id"], org_id="org_acme")


def test_every_write_left_one_chained_audit_event(sqlite_store: SqliteStore) -> None:
    events = sqlite_store.audit.events("org_acme")
    assert [e["action"] for e in events] == [
        "scim.user.created",
        "scim.user.created",
        "scim.user.patched",
        "scim.group.created",
        "scim.user.deleted",
    ]
    assert [e["seq"] for e in events] == [0, 1, 2, 3, 4]
    assert events[0]["actor"] == {"type": "scim_token", "id": "tok_acme"}
    assert orgkit.call("audit_verify_chain", events=events) == {"valid": True, "checked": 5}
    assert sqlite_store.audit.events("org_globex") == []


def test_a_restarted_host_replays_the_directory_changes(client: httpx.Client, sqlite_store: SqliteStore) -> None:
    dave = find(client, "Users", 'userName eq "dave@acme.com"')["Resources"][0]
    again = create_app(sqlite_store)
    membership = again.state.host.directory.engine.membership(user_id=dave["id"], org_id="org_acme")
    assert (membership["status"], membership["roles"]) == ("active", ["member"])
