"""Keeps an engine's directory in step with a ``DirectorySource``: the whole document at open,
then the change sets appended since, applied incrementally (no reload)."""

from __future__ import annotations

import threading
from typing import Any, Mapping, Optional

import orgkit

from .storage import ChangeSet, DirectorySource


class DirectoryEngine:
    """An ``orgkit.Engine`` loaded from a directory source, and how far into its log it is."""

    def __init__(self, engine: orgkit.Engine, source: DirectorySource, seq: int) -> None:
        """Use ``open``."""
        self.engine = engine
        """The engine the routes call."""
        self._source = source
        self._seq = seq
        self._lock = threading.Lock()

    @classmethod
    def open(cls, source: DirectorySource, sessions: Optional[Mapping[str, Any]] = None) -> DirectoryEngine:
        """Loads the source's snapshot into a new engine, ``sessions`` (the engine's
        ``options.sessions``: issuers and their keys, the signing key) added to its load options,
        then applies the change sets logged since."""
        snapshot, seq = source.snapshot()
        options = dict(snapshot.options or {})
        if sessions is not None:
            options["sessions"] = dict(sessions)
        opened = cls(orgkit.Engine(snapshot.directory, options), source, seq)
        opened.sync()
        return opened

    def sync(self) -> None:
        """Applies every change set logged after the last one applied (another process's writes)."""
        for logged in self._source.changes_since(self._seq):
            self.applied(logged.seq, logged.changes)

    def applied(self, seq: int, changes: ChangeSet) -> None:
        """Applies a change set logged as ``seq``; ones already applied are skipped."""
        with self._lock:
            if seq <= self._seq:
                return
            self.engine.apply_changes(changes)
            self._seq = seq
