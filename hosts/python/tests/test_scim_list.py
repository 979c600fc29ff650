"""SCIM lists over HTTP on both stores: ``sortBy``/``sortOrder`` (the SQLite store through the
engine's ``sql_scim_list``, the in-memory store through ``scim_sort``), paging with a sort, and
the root-level ``POST /.search`` over Users and Groups together."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any, Iterator, Optional

import httpx
import pytest
from conftest import ACME_SCIM, seeded, serve

from orgkit_host import MemoryStore, SqliteStore, Store, create_app

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
HEADERS = {"authorization": f"Bearer {ACME_SCIM['token']}", "content-type": "application/scim+json"}


@pytest.fixture(scope="module", params=["memory", "sqlite"])
def listed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, dict[str, str]]]:
    """A client of the app on each store, with four Users and two Groups, and their ids. The
    clock moves 1 ms per call, so creation order is the tie-break."""
    store: Store
    if request.param == "memory":
        store = MemoryStore()
    else:
        store = SqliteStore(str(Path(tmp_path_factory.mktemp("orgkit-list")) / "orgkit.db"))
    clock = itertools.count(1_767_225_600_000)
    app = create_app(seeded(store), now_ms=lambda: next(clock))
    ids: dict[str, str] = {}
    with serve(app) as client:
        for user, family in [("bob", "Young"), ("alice", "adams"), ("carol", None), ("dave", "Baker")]:
            body: dict[str, Any] = {"schemas": [USER], "userName": f"{user}@acme.com"}
            if family:
                body["name"] = {"familyName": family}
            created = client.post("/scim/v2/Users", json=body, headers=HEADERS)
            assert created.status_code == 201, created.text
            ids[user] = created.json()["id"]
        for group in ["Engineering", "admins"]:
            body = {"schemas": [GROUP], "displayName": group, "members": [{"value": ids["bob"]}]}
            created = client.post("/scim/v2/Groups", json=body, headers=HEADERS)
            assert created.status_code == 201, created.text
            ids[group] = created.json()["id"]
        yield client, ids
    if isinstance(store, SqliteStore):
        store.close()


def names(body: dict[str, Any]) -> list[Optional[str]]:
    """The userName (or, for a Group, displayName) of each listed resource."""
    return [r.get("userName", r.get("displayName")) for r in body["Resources"]]


def get(client: httpx.Client, path: str) -> dict[str, Any]:
    answer = client.get(path, headers=HEADERS)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def search(client: httpx.Client, path: str, **body: Any) -> dict[str, Any]:
    answer = client.post(path, json={"schemas": [SEARCH], **body}, headers=HEADERS)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def test_sort_ascending_ignores_case_and_puts_missing_values_last(listed: tuple[httpx.Client, dict[str, str]]) -> None:
    client, _ = listed
    body = get(client, "/scim/v2/Users?sortBy=name.familyName")
    assert names(body) == ["alice@acme.com", "dave@acme.com", "bob@acme.com", "carol@acme.com"]


def test_sort_descending_puts_missing_values_first(listed: tuple[httpx.Client, dict[str, str]]) -> None:
    client, _ = listed
    body = get(client, "/scim/v2/Users?sortBy=name.familyName&sortOrder=descending")
    assert names(body) == ["carol@acme.com", "bob@acme.com", "dave@acme.com", "alice@acme.com"]


def test_paging_follows_the_sort_and_search_bodies_sort(listed: tuple[httpx.Client, dict[str, str]]) -> None:
    client, _ = listed
    page = get(client, "/scim/v2/Users?sortBy=userName&startIndex=2&count=2")
    assert (page["totalResults"], page["startIndex"]) == (4, 2)
    assert names(page) == ["bob@acme.com", "carol@acme.com"]
    found = search(client, "/scim/v2/Users/.search", filter='userName ew "acme.com"', sortBy="userName",
                   sortOrder="DESCENDING", count=2)
    assert found["totalResults"] == 4
    assert names(found) == ["dave@acme.com", "carol@acme.com"]
    assert names(get(client, "/scim/v2/Groups?sortBy=displayName")) == ["admins", "Engineering"]


def test_an_unsortable_sort_by_is_invalid_value(listed: tuple[httpx.Client, dict[str, str]]) -> None:
    client, _ = listed
    for path in ["/scim/v2/Users?sortBy=emails", "/scim/v2/Groups?sortBy=userName"]:
        refused = client.get(path, headers=HEADERS)
        assert refused.status_code == 400, path
        assert refused.json()["scimType"] == "invalidValue", path


def test_root_search_lists_users_and_groups_each_with_its_resource_type(
    listed: tuple[httpx.Client, dict[str, str]],
) -> None:
    client, ids = listed
    body = search(client, "/scim/v2/.search", sortBy="displayName")
    assert body["totalResults"] == 6
    first, second, *users = body["Resources"]
    assert [first["displayName"], second["displayName"]] == ["admins", "Engineering"]
    assert first["meta"]["resourceType"] == "Group"
    assert first["meta"]["location"].endswith(f"/scim/v2/Groups/{ids['admins']}")
    assert [u["meta"]["resourceType"] for u in users] == ["User"] * 4
    assert [u["id"] for u in users] == [ids["bob"], ids["alice"], ids["carol"], ids["dave"]]


def test_root_search_with_a_filter_only_users_know(listed: tuple[httpx.Client, dict[str, str]]) -> None:
    client, ids = listed
    found = search(client, "/scim/v2/.search", filter='userName sw "B" or userName sw "c"', sortBy="userName",
                   sortOrder="descending")
    assert found["totalResults"] == 2
    assert names(found) == ["carol@acme.com", "bob@acme.com"]
    groups = search(client, "/scim/v2/.search", filter=f'members[value eq "{ids["bob"]}"]', sortBy="displayName")
    assert [r["meta"]["resourceType"] for r in groups["Resources"]] == ["Group", "Group"]
    negated = search(client, "/scim/v2/.search", filter='not (userName sw "b")', sortBy="userName", startIndex=3,
                     count=2)
    assert negated["totalResults"] == 5, "not (…) keeps the Groups, which have no userName"
    assert names(negated) == ["dave@acme.com", "Engineering"]
