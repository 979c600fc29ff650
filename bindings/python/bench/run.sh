#!/usr/bin/env bash
# The Python authorization benchmark (issue #7), one run: orgkit's `authorize` against cedarpy
# and cedarling-python at N = 10, 1,000 and 100,000 orgs. Makes a venv beside the build
# (target/py-bench-venv) with the package (`pip install ./bindings/python`, a release build)
# and the pinned peers, prints Markdown tables (ratios from this run) and keeps a copy in
# target/py-bench/. Arguments go to authz.py (e.g. --sizes=10,1000 --rounds=2000 for a smoke run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
venv=$target/py-bench-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
"$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$root/bindings/python"

out_dir=$target/py-bench
mkdir -p "$out_dir"
out="$out_dir/results-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "\`bash bindings/python/bench/run.sh $*\` at $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?');" \
    "$(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  "$venv/bin/python" "$here/authz.py" "$@"
  echo
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
} | tee "$out"
echo "(kept in $out)" >&2
