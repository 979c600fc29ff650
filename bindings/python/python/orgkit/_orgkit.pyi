"""The native module (pyo3): the engine's JSON call API, unchanged, and typed authorization
calls on Python values. Use the package ``orgkit``."""

from typing import Any, Optional, final

__all__ = ["call", "Engine", "EngineError", "ERROR_FAMILIES", "OPS", "__version__"]

OPS: tuple[str, ...]
"""Every operation name the call API accepts."""

ERROR_FAMILIES: dict[str, str]
"""The core's family (``ErrorFamily``) of every stable error code, by code."""

__version__: str
"""The engine's version."""

class EngineError(Exception):
    """An engine error from a typed call; ``args[0]`` is the error object (a dict)."""

def call(op: str, input: str) -> str:
    """Runs ``op`` statelessly on JSON text; returns ``{"ok": …}`` or ``{"error": {…}}`` as JSON text."""

@final
class Engine:
    """An engine holding a directory, swapped atomically by ``load`` and ``apply_changes``."""

    def __new__(cls) -> Engine:
        """An engine with an empty directory."""

    def call(self, op: str, input: str) -> str:
        """Runs ``op`` on the engine's directory; returns the output envelope as JSON text."""

    def authorize(self, request: Any) -> Optional[dict[str, Any]]:
        """``authorize`` on a dict of its input fields: the decision, or ``None`` when the input
        is not of the typed shape (then ``call`` answers). Raises ``EngineError``."""

    def authorize_batch(self, input: Any) -> Optional[list[dict[str, Any]]]:
        """``authorize_batch`` on ``{"requests": [...]}``: one ``{ok}``/``{error}`` per request,
        or ``None`` as for ``authorize``. Raises ``EngineError``."""

    def check(self, request: Any) -> Optional[dict[str, Any]]:
        """``check`` on a dict of its input fields: ``{decision, policies, errors}``, or ``None``
        as for ``authorize``. Raises ``EngineError``."""

    def allowed_actions(self, input: Any) -> Optional[list[str]]:
        """``allowed_actions`` on a dict of its input fields: the sorted action names, or
        ``None`` as for ``authorize``. Raises ``EngineError``."""
