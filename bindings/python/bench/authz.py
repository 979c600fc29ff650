"""Authorization in Python: the scenario of core/benches/authz.rs (and wasm/bench/authz.mjs), run
through the orgkit package and two published Cedar engines with Python bindings, in one process,
one run.

N orgs; two role templates (admin, member) linked per org; each user holds one role in one org;
4-entity requests (user → role → org, resource in an org); every tenth request crosses orgs;
actions users.read and sso.configure. 1,000 distinct requests, replayed in order.

- orgkit: ``engine.load(directory)`` once, then ``engine.authorize(request)`` per decision: the
  typed call, a dict in and a dict out with no JSON text (the request's fields read into the
  core's typed request, the decision with the GIL released, the result built as Python objects).
  Also, for where the time goes: the native typed call without the package's wrapper
  (``engine._native.authorize``), the same request through the JSON call API
  (``engine.call("authorize", request)``: json.dumps, the native call, json.loads; the path every
  call took before the typed one), the raw ``engine.call_json("authorize", text)`` with
  pre-serialised inputs, and the smallest engine call (``normalize_domain`` of a short domain).
  And ``engine.check(request)``: the same question answered with the decision, its policies and
  errors only (no audit event), checked equal to ``authorize``'s on every request.
- cedarpy: the plain-Cedar peer of the native bench: the PEER_TEMPLATES of core/benches/authz.rs
  and every org's two links in one ``PolicySet`` handle, parsed and linked once and reused;
  ``is_authorized`` per decision with the request's own entities (user, role, org(s), resource),
  the least a host can send (as the Node bench does for cedar-wasm).
- cedarling-python: ``authorize_unsigned`` with the policy store passed inline, its policies as
  in wasm/bench/authz.mjs (the role is a principal attribute; see ``cedarling_world``).

Every measured decision of a peer is checked against orgkit's (the run stops on the first
disagreement). Prints Markdown tables.

Usage: python authz.py [--sizes=10,1000,100000] [--rounds=20000] [--large-peer-rounds=60]
                       [--peers=cedarpy,cedarling]
"""

from __future__ import annotations

import argparse
import base64
import json
import platform
import resource
import sys
import time
from importlib import metadata
from typing import Any, Callable, Optional

import orgkit

REQUESTS = 1_000
ACTIONS = ["users.read", "sso.configure"]
NOW = 1_800_000_000
# The templates of PEER_TEMPLATES in core/benches/authz.rs.
PEER_TEMPLATES = {
    "admin": 'permit (principal in ?principal, action in [Action::"users.read", Action::"sso.configure"], '
    "resource in ?resource);",
    "member": 'permit (principal in ?principal, action in [Action::"users.read"], resource in ?resource);',
}

# ---- the scenario (core/benches/authz.rs) ---------------------------------------------------


def plan(n: int, k: int) -> tuple[int, int, str]:
    """Request k: user k·7919 mod n, on a member resource of their org, or (k mod 10 = 0) the next org's."""
    user = (k * 7919) % n
    return user, (user + 1) % n if k % 10 == 0 else user, ACTIONS[k % 2]


def role(user: int) -> str:
    """Even users are admins, odd ones members."""
    return "admin" if user % 2 == 0 else "member"


def orgkit_world(n: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The directory and the 1,000 authorize inputs."""
    directory = {
        "schema_version": 1,
        "orgs": [{"id": f"org{i}", "name": f"Org {i}", "slug": f"org{i}"} for i in range(n)],
        "users": [{"id": f"u{i}", "email": f"u{i}@org{i}.test"} for i in range(n)],
        "memberships": [
            {"user_id": f"u{i}", "org_id": f"org{i}", "roles": [role(i)], "status": "active"} for i in range(n)
        ],
    }
    requests = []
    for k in range(REQUESTS):
        user, resource_org, action = plan(n, k)
        requests.append(
            {
                "principal": {"user": f"u{user}"},
                "active_org": f"org{user}",
                "action": action,
                "resource": {"type": "Member", "id": f"m{k}", "org": f"org{resource_org}"},
                "now": NOW,
            }
        )
    return directory, requests


def uid(type_: str, id_: str) -> dict[str, str]:
    """A Cedar entity uid in JSON form."""
    return {"type": type_, "id": id_}


def entity(type_: str, id_: str, parents: Optional[list[dict[str, str]]] = None) -> dict[str, Any]:
    """A Cedar entity without attributes, in JSON form."""
    return {"uid": uid(type_, id_), "attrs": {}, "parents": parents or []}


def cedarpy_world(n: int) -> tuple[Any, list[tuple[dict[str, Any], list[dict[str, Any]]]]]:
    """The policy set (templates and every org's two links, one handle) and the requests."""
    import cedarpy

    templates = "\n".join(f'@id("{name}")\n{text}' for name, text in PEER_TEMPLATES.items())
    links = [
        {
            "template_id": name,
            "new_id": f"{name}-org{i}",
            "values": {"?principal": uid("Role", f"org{i}/{name}"), "?resource": uid("Organization", f"org{i}")},
        }
        for i in range(n)
        for name in PEER_TEMPLATES
    ]
    policies = cedarpy.PolicySet.from_str(templates).with_linked_batch(links)
    requests = []
    for k in range(REQUESTS):
        user, resource_org, action = plan(n, k)
        role_id = f"org{user}/{role(user)}"
        entities = [
            entity("User", f"u{user}", [uid("Role", role_id)]),
            entity("Role", role_id, [uid("Organization", f"org{user}")]),
            entity("Organization", f"org{user}"),
            entity("Member", f"m{k}", [uid("Organization", f"org{resource_org}")]),
        ]
        if resource_org != user:
            entities.append(entity("Organization", f"org{resource_org}"))
        request = {"principal": uid("User", f"u{user}"), "action": uid("Action", action),
                   "resource": uid("Member", f"m{k}"), "context": {}}
        requests.append((request, entities))
    return policies, requests


def cedarling_world(n: int) -> tuple[dict[str, Any], list[Any]]:
    """The bootstrap config with an inline policy store, and the requests.

    As in wasm/bench/authz.mjs: Cedarling's unsigned interface builds the principal from the
    request's entity data with no parents, so ``principal in Role::"…"`` cannot hold there. Its
    policies keep everything else (2 per org, scope ``action in […]``, ``resource in
    Organization::"org{i}"``, the Member entities with their Organization parents as default
    entities) and carry the role as a principal attribute. The decisions are the other engines'
    (checked on every measured request).
    """
    import cedarling_python as cedarling

    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    policies = {}
    for i in range(n):
        for name, actions in (("admin", ACTIONS), ("member", ACTIONS[:1])):
            listed = ", ".join(f'Action::"{a}"' for a in actions)
            text = (f'permit (principal is User, action in [{listed}], resource in Organization::"org{i}") '
                    f'when {{ principal.role == "org{i}/{name}" }};')
            policies[f"{name}-org{i}"] = {"description": name, "creation_date": "2026-01-01T00:00:00",
                                          "policy_content": b64(text)}
    # Only the 1,000 Member entities go in (the JSON store caps default entities at 1,000).
    defaults = {}
    for k in range(REQUESTS):
        _, resource_org, _ = plan(n, k)
        defaults[f"m{k}"] = b64(json.dumps(entity("Member", f"m{k}", [uid("Organization", f"org{resource_org}")])))
    context = {"type": "Record", "attributes": {}}
    schema = {"": {
        "entityTypes": {
            "Organization": {},
            "Role": {"memberOfTypes": ["Organization"]},
            "User": {"memberOfTypes": ["Role"],
                     "shape": {"type": "Record", "attributes": {"role": {"type": "String"}}}},
            "Member": {"memberOfTypes": ["Organization"]},
        },
        "actions": {a: {"appliesTo": {"principalTypes": ["User"], "resourceTypes": ["Member"], "context": context}}
                    for a in ACTIONS},
    }}
    store = {"cedar_version": "v4.0.0", "policy_stores": {"bench": {
        "name": "bench", "description": "core/benches/authz.rs scenario", "policies": policies,
        "schema": b64(json.dumps(schema)), "trusted_issuers": {}, "default_entities": defaults}}}
    config = {
        "CEDARLING_APPLICATION_NAME": "orgkit-bench",
        "CEDARLING_POLICY_STORE_LOCAL": json.dumps(store),
        "CEDARLING_LOG_TYPE": "off",
        "CEDARLING_JWT_SIG_VALIDATION": "disabled",
        "CEDARLING_JWT_STATUS_VALIDATION": "disabled",
        "CEDARLING_LOCK": "disabled",
    }
    requests = []
    for k in range(REQUESTS):
        user, _, action = plan(n, k)
        principal = cedarling.EntityData.from_dict(
            {"cedar_entity_mapping": {"entity_type": "User", "id": f"u{user}"}, "role": f"org{user}/{role(user)}"}
        )
        resource_ = cedarling.EntityData.from_dict({"cedar_entity_mapping": {"entity_type": "Member", "id": f"m{k}"}})
        requests.append(cedarling.RequestUnsigned(principal=principal, action=f'Action::"{action}"',
                                                  resource=resource_, context={}))
    return config, requests


# ---- timing ---------------------------------------------------------------------------------


def stats(samples: list[int]) -> dict[str, float]:
    """p50, p99 and mean of nanosecond samples, as in core/benches/authz.rs: index (len-1)·q."""
    ordered = sorted(samples)
    at = lambda q: float(ordered[int((len(ordered) - 1) * q)])  # noqa: E731
    return {"p50": at(0.5), "p99": at(0.99), "mean": sum(ordered) / len(ordered), "n": len(ordered)}


def time_calls(rounds: int, call: Callable[[int], Any], decide: Optional[Callable[[Any], bool]] = None,
               decisions: Optional[list[Optional[bool]]] = None) -> dict[str, float]:
    """Times `rounds` single calls of `call(k)` one by one; `decide(result)` reads the decision."""
    samples = [0] * rounds
    clock = time.perf_counter_ns
    for i in range(rounds):
        k = i % REQUESTS
        t0 = clock()
        result = call(k)
        samples[i] = clock() - t0
        if decide is not None and decisions is not None:
            decisions[k] = decide(result)
    return stats(samples)


def warm(seconds: float, call: Callable[[int], Any]) -> None:
    """Runs `call` for `seconds` (caches, allocator)."""
    end = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < end:
        call(i % REQUESTS)
        i += 1


def check_agreement(name: str, n: int, ours: list[bool], theirs: list[Optional[bool]]) -> int:
    """How many of the peer's recorded decisions equal orgkit's; raises on the first that does not."""
    checked = 0
    for k, decision in enumerate(theirs):
        if decision is None:
            continue
        checked += 1
        if decision != ours[k]:
            raise SystemExit(
                f"{name} disagrees with orgkit at N = {n} on request {k}: orgkit {ours[k]}, {name} {decision}"
            )
    return checked


# ---- report ---------------------------------------------------------------------------------


def fmt(ns: Optional[float]) -> str:
    """A duration in nanoseconds, with three significant digits and a unit."""
    if ns is None:
        return "–"
    scale, unit = next((s, u) for s, u in ((1e9, "s"), (1e6, "ms"), (1e3, "µs"), (1, "ns")) if ns >= s or s == 1)
    value = ns / scale
    return f"{value:,.{0 if value >= 100 else 1 if value >= 10 else 2}f} {unit}"


def ratio(a: float, b: float) -> str:
    """`a / b` like the other tables (`3.6×`, `374×`, `34,700×`)."""
    r = a / b
    return f"{round(r / 100) * 100:,}×" if r >= 1000 else f"{round(r)}×" if r >= 100 else f"{r:.1f}×"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, the first column left-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def log(*parts: Any) -> None:
    """Progress, on stderr."""
    print(f"[authz {time.strftime('%H:%M:%S')}]", *parts, file=sys.stderr, flush=True)


def main() -> None:
    """Runs every size and prints the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,1000,100000")
    parser.add_argument("--rounds", type=int, default=20_000)
    parser.add_argument("--large-peer-rounds", type=int, default=60)
    parser.add_argument("--peers", default="cedarpy,cedarling")
    args = parser.parse_args()
    peers = set(filter(None, args.peers.split(",")))
    versions = {name: metadata.version(name) for name in ["orgkit", "cedarpy", "cedarling-python"]
                if name == "orgkit" or name.replace("-python", "") in peers}
    environment = f"CPython {platform.python_version()} on {platform.system()}/{platform.machine()}"
    log(environment, versions)

    results = []
    for n in map(int, args.sizes.split(",")):
        row: dict[str, Any] = {"n": n}
        directory, requests = orgkit_world(n)
        texts = [json.dumps(r) for r in requests]
        engine = orgkit.Engine()
        t0 = time.perf_counter_ns()
        engine.load(directory)
        row["load"] = time.perf_counter_ns() - t0
        del directory
        ours = [engine.authorize(r)["decision"] == "allow" for r in requests]
        if any(engine.authorize(r) != engine.call("authorize", r) for r in requests):
            raise SystemExit(f"the typed call and the JSON call API disagree at N = {n}")
        row["allowed"] = sum(ours) / REQUESTS
        parts = ("decision", "policies", "errors")
        if any(engine.check(r) != {p: engine.authorize(r)[p] for p in parts} for r in requests):
            raise SystemExit(f"check and authorize disagree at N = {n}")
        log(f"N = {n:,}: orgkit loaded in {fmt(row['load'])}; warming up")
        warm(1.5, lambda k: engine.authorize(requests[k]))
        row["orgkit"] = time_calls(args.rounds, lambda k: engine.authorize(requests[k]))
        native = engine._native
        row["native"] = time_calls(args.rounds, lambda k: native.authorize(requests[k]))
        row["json"] = time_calls(args.rounds, lambda k: engine.call("authorize", requests[k]))
        row["raw"] = time_calls(args.rounds, lambda k: engine.call_json("authorize", texts[k]))
        warm(0.5, lambda k: engine.check(requests[k]))
        row["check"] = time_calls(args.rounds, lambda k: engine.check(requests[k]))
        row["native_check"] = time_calls(args.rounds, lambda k: native.check(requests[k]))
        row["tiny"] = time_calls(args.rounds, lambda k: engine.call_json("normalize_domain", '{"domain":"a.io"}'))
        log(f"N = {n:,}: orgkit p50 {fmt(row['orgkit']['p50'])}, check {fmt(row['check']['p50'])}, "
            f"native {fmt(row['native']['p50'])}, "
            f"JSON {fmt(row['json']['p50'])}, raw {fmt(row['raw']['p50'])}")
        peer_rounds = args.large_peer_rounds if n >= 100_000 else args.rounds

        if "cedarpy" in peers:
            import cedarpy

            t0 = time.perf_counter_ns()
            policies, peer = cedarpy_world(n)
            row["cedarpy_setup"] = time.perf_counter_ns() - t0

            def cedarpy_call(k: int) -> Any:
                return cedarpy.is_authorized(peer[k][0], policies, peer[k][1])

            log(f"N = {n:,}: cedarpy policy set built in {fmt(row['cedarpy_setup'])}; warming up")
            warm(0 if n >= 100_000 else 1.5, cedarpy_call)
            theirs: list[Optional[bool]] = [None] * REQUESTS
            row["cedarpy"] = time_calls(peer_rounds, cedarpy_call, lambda r: r.allowed, theirs)
            row["cedarpy_checked"] = check_agreement("cedarpy", n, ours, theirs)
            log(f"N = {n:,}: cedarpy p50 {fmt(row['cedarpy']['p50'])} ({row['cedarpy_checked']} agree)")
            del policies, peer

        if "cedarling" in peers:
            import cedarling_python as cedarling

            config, unsigned = cedarling_world(n)
            t0 = time.perf_counter_ns()
            instance = cedarling.Cedarling(cedarling.BootstrapConfig(config))
            row["cedarling_init"] = time.perf_counter_ns() - t0

            def cedarling_call(k: int) -> Any:
                return instance.authorize_unsigned(unsigned[k])

            log(f"N = {n:,}: cedarling initialised in {fmt(row['cedarling_init'])}; warming up")
            warm(0 if n >= 100_000 else 1.5, cedarling_call)
            theirs = [None] * REQUESTS
            row["cedarling"] = time_calls(peer_rounds, cedarling_call, lambda r: r.is_allowed(), theirs)
            row["cedarling_checked"] = check_agreement("cedarling", n, ours, theirs)
            log(f"N = {n:,}: cedarling p50 {fmt(row['cedarling']['p50'])} ({row['cedarling_checked']} agree)")
            instance.shut_down()
            del instance, config, unsigned
        row["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        results.append(row)

    peer_columns = [(name, key) for name, key in (("cedarpy", "cedarpy"), ("cedarling", "cedarling")) if key in peers]
    print("### Authorization in Python (`bindings/python/bench/authz.py`)\n")
    print(f"{environment}; " + ", ".join(f"{k} {v}" for k, v in versions.items())
          + f". Single decisions timed one by one (`time.perf_counter_ns`), {args.rounds:,} per case"
          + f" ({args.large_peer_rounds:,} for the peers at N ≥ 100,000).\n")
    print(table(
        ["N orgs", "orgkit `authorize` p50", "p99", "mean", "orgkit `check` p50", "p99", "mean"]
        + [c for name, _ in peer_columns
           for c in (f"{name} p50", "p99", "mean", "p50 ratio: `authorize`", "`check`", "samples")],
        [[f"{r['n']:,}"] + [fmt(r[key][q]) for key in ("orgkit", "check") for q in ("p50", "p99", "mean")]
         + [c for _, key in peer_columns for c in (
             fmt(r[key]["p50"]), fmt(r[key]["p99"]), fmt(r[key]["mean"]),
             ratio(r[key]["p50"], r["orgkit"]["p50"]), ratio(r[key]["p50"], r["check"]["p50"]), f"{r[key]['n']:,}")]
         for r in results],
    ))
    print("\nWhere orgkit's time goes (p50 / mean of the same run):\n")
    both = lambda s: f"{fmt(s['p50'])} / {fmt(s['mean'])}"  # noqa: E731
    print(table(
        ["N orgs", "`authorize(dict)` (typed)", "`_native.authorize(dict)`",
         "`call(\"authorize\", dict)` (JSON)", "`call_json` (text in, text out)",
         "`_native.check(dict)`", "`call_json(\"normalize_domain\")` of `a.io`"],
        [[f"{r['n']:,}", both(r["orgkit"]), both(r["native"]), both(r["json"]), both(r["raw"]),
          both(r["native_check"]), both(r["tiny"])]
         for r in results],
    ))
    print("\nSetup (not in the timings above):\n")
    print(table(
        ["N orgs", "allowed", "orgkit `load`"]
        + (["cedarpy `PolicySet` parse + link"] if "cedarpy" in peers else [])
        + (["cedarling init"] if "cedarling" in peers else []) + ["checked against orgkit", "peak RSS"],
        [[f"{r['n']:,}", f"{round(r['allowed'] * 100)}%", fmt(r["load"])]
         + ([fmt(r["cedarpy_setup"])] if "cedarpy" in peers else [])
         + ([fmt(r["cedarling_init"])] if "cedarling" in peers else [])
         + [", ".join(f"{name} {r[key + '_checked']}" for name, key in peer_columns) or "–", f"{r['rss']:,} MiB"]
         for r in results],
    ))


if __name__ == "__main__":
    main()
