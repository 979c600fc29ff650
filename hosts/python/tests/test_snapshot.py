"""The SQLite store hands its directory snapshot out as the stored JSON text (no Python round
trip), takes one back in either form, and a damaged stored document fails the open."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import orgkit
import pytest
from conftest import DIRECTORY, OPTIONS
from orgkit_host import DirectoryEngine, DirectorySnapshot, MemoryStore, SqliteStore, Store


def test_an_empty_store_hands_out_the_empty_directory() -> None:
    store = SqliteStore(":memory:")
    assert store.directory.snapshot() == (DirectorySnapshot({"schema_version": 1}), 0)
    store.close()


def test_a_stored_snapshot_comes_back_as_the_directorys_text_and_its_options() -> None:
    store = SqliteStore(":memory:")
    store.directory.put_snapshot(DirectorySnapshot(DIRECTORY, OPTIONS))
    snapshot, seq = store.directory.snapshot()
    assert seq == 0
    assert isinstance(snapshot.directory, str)
    assert json.loads(snapshot.directory) == DIRECTORY
    assert snapshot.options == OPTIONS
    store.directory.put_snapshot(DirectorySnapshot(DIRECTORY))
    assert store.directory.snapshot()[0].options is None
    store.close()


def test_a_snapshot_given_as_text_is_stored_with_its_memberships() -> None:
    source = SqliteStore(":memory:")
    source.directory.put_snapshot(DirectorySnapshot(DIRECTORY, OPTIONS))
    for copy in (SqliteStore(":memory:"), MemoryStore()):
        copy.directory.put_snapshot(source.directory.snapshot()[0])
        snapshot, _ = copy.directory.snapshot()
        assert isinstance(snapshot.directory, str) and json.loads(snapshot.directory) == DIRECTORY
        assert snapshot.options == OPTIONS
        ann = copy.memberships.membership("org_acme", "u_ann")
        assert ann is not None and ann.roles == ["admin"]
        opened = DirectoryEngine.open(copy.directory).engine
        assert opened.export() == orgkit.Engine(DIRECTORY, OPTIONS).export()
    source.close()


@pytest.mark.parametrize("text", ['{"schema_version": 1,', '{"schema_version": 1, "orgs": NaN}', "Infinity"])
@pytest.mark.parametrize("store", [SqliteStore(":memory:"), MemoryStore()], ids=["sqlite", "memory"])
def test_text_that_is_not_json_is_refused_and_changes_nothing(store: Store, text: str) -> None:
    store.directory.put_snapshot(DirectorySnapshot(DIRECTORY, OPTIONS))
    before = store.directory.snapshot()
    with pytest.raises(ValueError):
        store.directory.put_snapshot(DirectorySnapshot(text))
    assert store.directory.snapshot() == before
    assert store.memberships.membership("org_acme", "u_ann") is not None


@pytest.mark.parametrize(
    ("document", "refusal"),
    [("not json", sqlite3.OperationalError), ('{"options": {}}', orgkit.OrgkitError)],
)
def test_a_damaged_stored_document_fails_the_open(tmp_path: Path, document: str, refusal: type) -> None:
    path = str(tmp_path / "orgkit.db")
    store = SqliteStore(path)
    store.directory.put_snapshot(DirectorySnapshot(DIRECTORY))
    with sqlite3.connect(path) as db:
        db.execute("UPDATE directory_snapshot SET document = ? WHERE id = 1", (document,))
    with pytest.raises(refusal):
        DirectoryEngine.open(store.directory)
    store.close()
