"""The native module (pyo3): the engine's JSON call API, unchanged. Use the package ``orgkit``."""

from typing import final

__all__ = ["call", "Engine", "OPS", "__version__"]

OPS: tuple[str, ...]
"""Every operation name the call API accepts."""

__version__: str
"""The engine's version."""

def call(op: str, input: str) -> str:
    """Runs ``op`` statelessly on JSON text; returns ``{"ok": …}`` or ``{"error": {…}}`` as JSON text."""

@final
class Engine:
    """An engine holding a directory, swapped atomically by ``load`` and ``apply_changes``."""

    def __new__(cls) -> Engine:
        """An engine with an empty directory."""

    def call(self, op: str, input: str) -> str:
        """Runs ``op`` on the engine's directory; returns the output envelope as JSON text."""
