#!/usr/bin/env bash
# The Node benchmarks of the Wasm package (issue #6), one run: authorization against the two
# Cedar-in-Wasm peers at N = 10, 1,000 and 100,000 orgs, routing at 10k and 1M domains, and cold
# start with a 10k-org directory. Prints Markdown tables (ratios from this run) and keeps a copy
# in target/node-bench/.
#
# Needs the built package (wasm/pkg: `cd wasm && npm ci && bash build.sh`). Takes about 13-20
# minutes on 2 cores, most of it the peers at N = 1,000 and 100,000; its peak memory is about
# 2.5 GiB. QUICK=1 runs a smoke pass (small sizes, few rounds) in about a minute.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ ! -f "$here/../pkg/orgkit_wasm_bg.wasm" ]; then
  echo "wasm/pkg is missing: build it first (cd wasm && npm ci && bash build.sh)" >&2
  exit 1
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2

if [ "${QUICK:-0}" = 1 ]; then
  authz_args=(--sizes=10,1000 --rounds=2000)
  route_args=(--domains=10000 --rounds=2000)
  cold_args=(--runs=2)
else
  authz_args=()
  route_args=()
  cold_args=()
fi

out_dir="${CARGO_TARGET_DIR:-$root/target}/node-bench"
mkdir -p "$out_dir"
out="$out_dir/results-$(date -u +%Y%m%dT%H%M%SZ).md"
node_run() { node --max-old-space-size=8192 "$@"; }

{
  echo "## Node benchmarks of @orgkit/engine ($(date -u +%Y-%m-%d))"
  echo
  echo "\`bash wasm/bench/run.sh\` at $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'); $(nproc) cores;" \
    "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  node_run "$here/authz.mjs" "${authz_args[@]}"
  echo
  node_run "$here/route.mjs" "${route_args[@]}"
  echo
  node_run "$here/cold_start.mjs" "${cold_args[@]}"
  echo
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
} | tee "$out"
echo "(kept in $out)" >&2
