"""Every conformance vector through the binding's stateless call: each output must be byte for
byte the native engine's (from ORGKIT_NATIVE_OUTPUTS, written by the native runner), and must
match the case's expectation under the rules of tests/src/lib.rs (mirrors
wasm/test/vectors.test.mjs)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NamedTuple, Optional

import orgkit
import pytest
from conftest import REPO

VECTORS = REPO / "tests" / "vectors"


class Case(NamedTuple):
    """One vector: its file, id, op, the input text given to the call, and the expectation."""

    file: str
    id: str
    op: str
    input: str
    expected: dict[str, Any]


def read_cases() -> list[Case]:
    """Every case of every ``*.jsonl`` file under the vectors folder, files sorted by path."""
    cases = []
    for path in sorted(VECTORS.rglob("*.jsonl")):
        # Lines end at "\n" only: text may hold U+2028 and the like, which splitlines() splits at.
        for line in path.read_text(encoding="utf-8").split("\n"):
            if not line.strip():
                continue
            c = json.loads(line)
            # As the native runner serialises a case's input: compact, keys in file order.
            text = c["input_raw"] if "input_raw" in c else json.dumps(
                c["input"], separators=(",", ":"), ensure_ascii=False
            )
            file = path.relative_to(VECTORS).as_posix()
            cases.append(Case(file, c["id"], c["op"], text, c["expected"]))
    return cases


def read_native_outputs() -> Optional[dict[str, str]]:
    """Each case's native output by id, when the native runner wrote them."""
    path = os.environ.get("ORGKIT_NATIVE_OUTPUTS")
    if not path:
        return None
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    return {r["id"]: r["output"] for r in map(json.loads, filter(str.strip, lines))}


def same(a: Any, b: Any) -> bool:
    """JSON equality as serde_json's: 1, 1.0 and true are three different values."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    return bool(a == b)


def check_pattern(pattern: Any, actual: Any, at: str) -> None:
    """The rules of ``matches_pattern``: named keys, arrays by length, scalars by equality."""
    if isinstance(pattern, dict):
        assert isinstance(actual, dict), f"{at}: not an object: {actual!r}"
        for key, want in pattern.items():
            assert key in actual, f"{at}.{key}: missing"
            check_pattern(want, actual[key], f"{at}.{key}")
    elif isinstance(pattern, list):
        assert isinstance(actual, list) and len(actual) == len(pattern), f"{at}: length differs"
        for i, (want, got) in enumerate(zip(pattern, actual)):
            check_pattern(want, got, f"{at}[{i}]")
    else:
        assert same(pattern, actual), f"{at}: expected {pattern!r}, got {actual!r}"


CASES = read_cases()
NATIVE = read_native_outputs()


def test_there_are_vectors_and_native_outputs_for_each_when_given() -> None:
    assert len(CASES) >= 500, f"only {len(CASES)} vectors found"
    assert len({c.id for c in CASES}) == len(CASES), "vector ids must be unique"
    if NATIVE is not None:
        assert set(NATIVE) == {c.id for c in CASES}, "native outputs and vectors differ"


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}:{c.id}" for c in CASES])
def test_vector(case: Case) -> None:
    output = orgkit.call_json(case.op, case.input)
    if NATIVE is not None:
        assert output == NATIVE[case.id], "differs from the native engine's output"
    actual = json.loads(output)
    if "ok" in case.expected:
        assert "ok" in actual, f"expected ok, got {output}"
        assert same(actual["ok"], case.expected["ok"]), f"ok differs: {output}"
    else:
        assert "error" in actual, f"expected an error, got {output}"
        check_pattern(case.expected["error"], actual["error"], "error")
