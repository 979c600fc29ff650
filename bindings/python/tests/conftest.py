"""Shared fixtures: the repository's files the tests read (vectors, the demo directory, the core's
error codes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
"""The repository root (this file is bindings/python/tests/conftest.py)."""


@pytest.fixture
def demo() -> dict[str, Any]:
    """The CLI's demo directory: six orgs (acme, globex, …), seven users, eight memberships."""
    return json.loads((REPO / "hosts/cli/demo/directory.json").read_text(encoding="utf-8"))
