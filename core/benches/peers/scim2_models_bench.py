#!/usr/bin/env python3
"""The SCIM benchmark's peer (issue #4): the work of `core/benches/scim.rs` done with the Python
library scim2-models (pydantic models of RFC 7643/7644), on the same payload files
(`core/benches/data/scim/*.json`).

Cases, each on what scim2-models has for it:

- ``create_user``: ``User[EnterpriseUser].model_validate_json(bytes)`` in the resource-creation
  request context (JSON parse and validation of every attribute against the schema). The
  library has no mapping to an application's user and roles, so there is no counterpart of
  orgkit's ``map_user``.
- ``patch_3_ops/group``, ``patch_3_ops/user``: ``PatchOp[Group]`` / ``PatchOp[User[...]]``
  validated from the body's bytes in the PATCH request context, then ``PatchOp.patch`` applied
  to a copy of the stored resource (an already validated model; copying it is not timed).
- ``filter/parse``: ``ScimFilter[User[EnterpriseUser]](text)`` (lark parse and validation
  against the model); ``filter/match``: ``ScimFilter.match`` of the parsed filter against the
  stored User (a validated model); ``filter/parse_and_match``: both.

scim2-models keeps an LRU cache of parsed filters and PATCH paths (1,024 entries), which a
benchmark repeating one string would only ever hit. Cases that parse filters or paths therefore
run twice: ``cold`` clears the two caches before each operation (untimed), as for a filter or
path not seen before; ``warm`` leaves them, as for a string seen recently.

Each operation is timed alone with ``time.perf_counter_ns`` (garbage collector on, as in a
server) after a warm-up; the mean, p50 and p99 are printed in µs. ``--json FILE`` also writes
them for ``run_scim_comparison.sh``.

Run: ``python core/benches/peers/scim2_models_bench.py`` in an environment with
``requirements.txt`` installed (the driver script makes one).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from scim2_models import Context
from scim2_models import EnterpriseUser
from scim2_models import Group
from scim2_models import PatchOp
from scim2_models import ScimFilter
from scim2_models import User
from scim2_models.path import grammar

DATA = Path(__file__).resolve().parent.parent / "data" / "scim"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

UserE = User[EnterpriseUser]
PatchGroup = PatchOp[Group]
PatchUser = PatchOp[UserE]
UserFilter = ScimFilter[UserE]


def clear_caches() -> None:
    """Forget every parsed filter and PATCH path."""
    grammar._cached_filter.cache_clear()
    grammar._cached_path.cache_clear()


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


class World:
    """Everything the cases read, loaded once."""

    def __init__(self) -> None:
        self.create_body = read("create_user.json")
        self.patch_group_body = read("patch_group.json")
        self.patch_user_body = read("patch_user.json")
        self.group = Group.model_validate_json(read("group.json"))
        self.user = UserE.model_validate_json(read("user.json"))
        self.filter_text = json.loads(read("filter.json"))["filter"]
        self.filter = UserFilter(self.filter_text)


def create_user(w: World, _: Any) -> UserE:
    return UserE.model_validate_json(
        w.create_body, scim_ctx=Context.RESOURCE_CREATION_REQUEST
    )


def patch_group(w: World, group: Group) -> Group:
    patch = PatchGroup.model_validate_json(
        w.patch_group_body, scim_ctx=Context.RESOURCE_PATCH_REQUEST
    )
    patch.patch(group)
    return group


def patch_user(w: World, user: UserE) -> UserE:
    patch = PatchUser.model_validate_json(
        w.patch_user_body, scim_ctx=Context.RESOURCE_PATCH_REQUEST
    )
    patch.patch(user)
    return user


def filter_parse(w: World, _: Any) -> Any:
    return UserFilter(w.filter_text)


def filter_parse_and_match(w: World, _: Any) -> bool:
    return UserFilter(w.filter_text).match(w.user)


def filter_match(w: World, _: Any) -> bool:
    return w.filter.match(w.user)


def check(w: World) -> None:
    """Each case yields what the payloads are meant to produce, as the Rust bench checks."""
    user = create_user(w, None)
    assert user.emails[0].value == "Isaac.Brock@example.com"
    assert user[EnterpriseUser].department == "Finance"
    group = patch_group(w, w.group.model_copy(deep=True))
    assert group.display_name == "Platform Engineering"
    ids = [m.value for m in group.members]
    assert len(ids) == 10
    assert "7c5e1b2a-0000-4000-8000-000000000011" in ids
    assert "7c5e1b2a-0000-4000-8000-000000000003" not in ids
    user = patch_user(w, w.user.model_copy(deep=True))
    assert user.active is False
    assert len(user.emails) == 3
    assert user[EnterpriseUser].department == "Platform"
    assert filter_parse_and_match(w, None) is True
    assert filter_match(w, None) is True


def measure(
    op: Callable[[World, Any], Any],
    w: World,
    setup: Callable[[], Any],
    iterations: int,
    warmup: int,
) -> list[int]:
    """Nanoseconds of each of `iterations` single calls of `op` (after `warmup` untimed ones);
    `setup` runs untimed before each call and its result is the call's argument."""
    clock = time.perf_counter_ns
    for _ in range(warmup):
        op(w, setup())
    samples = []
    for _ in range(iterations):
        arg = setup()
        start = clock()
        op(w, arg)
        samples.append(clock() - start)
    return samples


def summary(samples: list[int]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "mean_us": statistics.fmean(ordered) / 1e3,
        "p50_us": ordered[(len(ordered) - 1) // 2] / 1e3,
        "p99_us": ordered[int((len(ordered) - 1) * 0.99)] / 1e3,
        "n": len(ordered),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    w = World()
    check(w)

    def none() -> None:
        return None

    def cold() -> None:
        clear_caches()

    def group_copy() -> Group:
        return w.group.model_copy(deep=True)

    def user_copy() -> UserE:
        return w.user.model_copy(deep=True)

    def cold_group_copy() -> Group:
        clear_caches()
        return group_copy()

    def cold_user_copy() -> UserE:
        clear_caches()
        return user_copy()

    # (case, variant, operation, setup)
    plan: list[tuple[str, str, Callable[[World, Any], Any], Callable[[], Any]]] = [
        ("create_user", "-", create_user, none),
        ("patch_3_ops/group", "cold", patch_group, cold_group_copy),
        ("patch_3_ops/group", "warm", patch_group, group_copy),
        ("patch_3_ops/user", "cold", patch_user, cold_user_copy),
        ("patch_3_ops/user", "warm", patch_user, user_copy),
        ("filter/parse", "cold", filter_parse, cold),
        ("filter/parse", "warm", filter_parse, none),
        ("filter/parse_and_match", "cold", filter_parse_and_match, cold),
        ("filter/parse_and_match", "warm", filter_parse_and_match, none),
        ("filter/match", "-", filter_match, none),
    ]
    results: dict[str, dict[str, dict[str, float]]] = {}
    print(
        f"scim2-models {version('scim2-models')}, pydantic {version('pydantic')}, "
        f"Python {platform.python_version()}; {args.iterations} timed operations per case"
    )
    print(f"{'case':<26} {'variant':<7} {'mean µs':>10} {'p50 µs':>10} {'p99 µs':>10}")
    for case, variant, op, setup in plan:
        stats = summary(measure(op, w, setup, args.iterations, args.warmup))
        results.setdefault(case, {})[variant] = stats
        print(
            f"{case:<26} {variant:<7} {stats['mean_us']:>10.2f} "
            f"{stats['p50_us']:>10.2f} {stats['p99_us']:>10.2f}",
            flush=True,
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "scim2_models": version("scim2-models"),
                    "pydantic": version("pydantic"),
                    "python": platform.python_version(),
                    "cases": results,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
