"""Runs scim2-tester (an independent SCIM 2.0 checker) against a running orgkit-server.

Usage: python check.py BASE_URL TOKEN   (BASE_URL ends in /scim/v2)

Prints TAP: one line per check, then `# pass N` and `# fail N`. A check fails when the checker
rates the server's behaviour ERROR (a MUST of RFC 7643/7644 broken) or CRITICAL; DEVIATION (a
SHOULD not followed) passes with a note. Exits 1 when any check failed.

The checker's generated Users carry only a random UUID `userName` (valid RFC 7643: only
`userName` is required). The demo orgs' mapping keeps the default `missing_email: unlinked`, so
such a User is stored and linked to no orgkit user.
"""

import sys

import httpx2
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

FAILED = {Status.ERROR, Status.CRITICAL}


def main() -> int:
    base_url, token = sys.argv[1], sys.argv[2]
    http = httpx2.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"})
    results = check_server(SyncSCIMClient(http))
    print("TAP version 13")
    print(f"1..{len(results)}")
    passed = failed = 0
    for n, result in enumerate(results, 1):
        title = f"{result.resource_type or ''} {result.title}".strip()
        if result.status in FAILED:
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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
