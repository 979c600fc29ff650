#!/usr/bin/env bash
# SCIM benchmark, orgkit against scim2-models, in one run (issue #4; results in BENCHMARKS.md).
#
#   core/benches/peers/run_scim_comparison.sh [criterion filter regex]
#
# 1. makes (once) a virtualenv with requirements.txt, under the cargo target directory
#    (override with SCIM_PEERS_VENV);
# 2. runs `cargo bench -p orgkit --bench scim -- --noplot [filter]` (criterion means, then a
#    pass of single-operation percentiles);
# 3. runs scim2_models_bench.py on the same payload files (core/benches/data/scim/);
# 4. prints a Markdown table: orgkit's criterion mean [95% interval] and single-op p50 beside
#    scim2-models' mean and p50, with the ratios (scim2-models / orgkit).
# The raw outputs stay in the directory printed at the end.
# PY_ITERATIONS (default 10000) sets the Python side's timed operations per case.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
criterion_home=${CRITERION_HOME:-$target/criterion}
venv=${SCIM_PEERS_VENV:-$target/scim-peers-venv}
out=$(mktemp -d "${TMPDIR:-/tmp}/scim-comparison.XXXXXX")

if [ ! -x "$venv/bin/python" ]; then
  echo "== making the Python environment in $venv"
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"

echo "== orgkit: cargo bench -p orgkit --bench scim -- --noplot ${1:-}"
(cd "$root" && cargo bench -p orgkit --bench scim -- --noplot ${1:+"$1"}) | tee "$out/orgkit.txt"

echo
echo "== scim2-models: scim2_models_bench.py"
"$venv/bin/python" "$here/scim2_models_bench.py" --iterations "${PY_ITERATIONS:-10000}" \
  --json "$out/scim2_models.json" | tee "$out/scim2_models.txt"

echo
echo "== side by side (same run; ratio = scim2-models / orgkit)"
python3 - "$out/orgkit.txt" "$out/scim2_models.json" "$criterion_home" <<'EOF' | tee "$out/table.md"
import json, re, sys
from pathlib import Path

orgkit_txt, peer_json, criterion_home = sys.argv[1], sys.argv[2], Path(sys.argv[3])
text = open(orgkit_txt, encoding="utf-8").read()
peer = json.load(open(peer_json, encoding="utf-8"))

# Only the benchmarks of this run: criterion prints each id before its `time:` line.
ran = set(re.findall(r"^(\S+/\S+)\s*(?:\n\s+)?time:", text, re.M))
p50 = {m[0]: float(m[1]) for m in re.findall(r"^(\S+/\S+)\s+p50\s+([\d.]+) µs", text, re.M)}

def orgkit(case):
    if case not in ran:
        return None
    est = json.load(open(criterion_home / case / "new" / "estimates.json"))
    mean = est["mean"]
    return (mean["point_estimate"] / 1e3, mean["confidence_interval"]["lower_bound"] / 1e3,
            mean["confidence_interval"]["upper_bound"] / 1e3, p50[case])

def us(x):
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"

# orgkit case, what orgkit does, scim2-models case, what scim2-models does
pairs = [
    ("create_user/parse_and_map", "parse request + map (roles, email)",
     "create_user", "parse + validate `User[EnterpriseUser]`"),
    ("create_user/parse_request", "parse request only",
     "create_user", "parse + validate `User[EnterpriseUser]`"),
    ("patch_3_ops/group", "parse request + apply",
     "patch_3_ops/group", "parse + validate `PatchOp[Group]` + `patch`"),
    ("patch_3_ops/user", "parse request + apply",
     "patch_3_ops/user", "parse + validate `PatchOp[User]` + `patch`"),
    ("filter/parse", "parse", "filter/parse", "`ScimFilter[User](text)`"),
    ("filter/parse_and_match", "parse + match",
     "filter/parse_and_match", "`ScimFilter[User](text).match(user)`"),
    ("filter/match", "match (parsed)", "filter/match", "`.match(user)` (parsed)"),
]
print(f"scim2-models {peer['scim2_models']} (pydantic {peer['pydantic']}, "
      f"Python {peer['python']}); µs per operation\n")
print("| case | orgkit does | orgkit mean [95%] | orgkit p50 | scim2-models does | caches "
      "| scim2-models mean | scim2-models p50 | ratio (mean) | ratio (p50) |")
print("|---|---|---:|---:|---|---|---:|---:|---:|---:|")
for case, ours_does, peer_case, peer_does in pairs:
    ours = orgkit(case)
    if ours is None:
        continue
    mean, lo, hi, o50 = ours
    for variant, stats in peer["cases"][peer_case].items():
        caches = {"-": "n/a", "cold": "cleared", "warm": "hit"}[variant]
        print(f"| `{case}` | {ours_does} | {us(mean)} [{us(lo)} – {us(hi)}] | {us(o50)} "
              f"| {peer_does} | {caches} | {us(stats['mean_us'])} | {us(stats['p50_us'])} "
              f"| {stats['mean_us'] / mean:,.0f}× | {stats['p50_us'] / o50:,.0f}× |")
EOF
echo
echo "raw outputs: $out"
