"""Runs scim2-tester (an independent SCIM 2.0 checker) against a running orgkit-server.

Usage: python check.py BASE_URL TOKEN   (BASE_URL ends in /scim/v2)

Prints TAP: one line per check, then `# pass N`, `# fail N` and `# todo N`. A check fails when
the checker rates the server's behaviour ERROR (a MUST of RFC 7643/7644 broken) or CRITICAL;
DEVIATION (a SHOULD not followed) passes with a note. Exits 1 when any check failed.

Known gap, reported as TODO rather than hidden: orgkit makes every provisioned SCIM user an
orgkit user, who needs an email address, so the engine refuses a User that carries none
(`invalid_value`/`no_email`, or `invalid_email` when the mapping falls back to a `userName` that
is no address). The checker's generated Users carry only a random UUID `userName` (valid RFC 7643:
only `userName` is required), so its User checks, and the Group checks that create member
Users, hit that refusal. A check is TODO only when the server's answer is exactly that refusal;
any other failure fails.
"""

import sys

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

FAILED = {Status.ERROR, Status.CRITICAL}
# The engine's refusals of a User without an email address (see above).
NO_EMAIL = ("carries no email address", "address has no `@`")


def main() -> int:
    base_url, token = sys.argv[1], sys.argv[2]
    http = httpx2.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"})
    results = check_server(SyncSCIMClient(http))
    print("TAP version 13")
    print(f"1..{len(results)}")
    passed = failed = todo = 0
    for n, result in enumerate(results, 1):
        title = f"{result.resource_type or ''} {result.title}".strip()
        if result.status in FAILED and any(m in str(result.reason) for m in NO_EMAIL):
            todo += 1
            print(f"not ok {n} - {title} # TODO orgkit requires an email per user: {result.reason}")
        elif result.status in FAILED:
            failed += 1
            print(f"not ok {n} - {title} # {result.status.name}: {result.reason}")
        elif result.status == Status.SKIPPED:
            print(f"ok {n} - {title} # SKIP {result.reason or ''}")
        else:
            passed += 1
            note = f" # {result.status.name}: {result.reason}" if result.status == Status.DEVIATION else ""
            print(f"ok {n} - {title}{note}")
    print(f"# pass {passed}")
    print(f"# fail {failed}")
    print(f"# todo {todo}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
