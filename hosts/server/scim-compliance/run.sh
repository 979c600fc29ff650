#!/usr/bin/env bash
# Runs the independent SCIM checker (scim2-tester) against a fresh demo server on loopback.
# Usage: run.sh PYTHON SERVER_BINARY   (PYTHON: a venv with requirements.txt installed)
set -euo pipefail
python=$1
server=$2
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
"$server" --demo --listen 127.0.0.1:0 --database "$dir/scim.db" >"$dir/out" 2>&1 &
pid=$!
for _ in $(seq 100); do
  grep -q '^orgkit-server listening on' "$dir/out" && break
  sleep 0.1
done
url=$(sed -n 's/^orgkit-server listening on \(http[^ ]*\).*/\1/p' "$dir/out")
token=$(sed -n 's/^SCIM=\([^ ]*\).*/\1/p' "$dir/out")
if [ -z "$url" ] || [ -z "$token" ]; then
  echo "the server did not start:" >&2
  cat "$dir/out" >&2
  exit 1
fi
"$python" "$(dirname "$0")/check.py" "$url/scim/v2" "$token"
