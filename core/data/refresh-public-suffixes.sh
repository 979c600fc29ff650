#!/usr/bin/env bash
# Regenerate core/data/public_suffixes.txt (the embedded ICANN section of the
# Public Suffix List) from the copy shipped by Debian's `publicsuffix` package.
#
# Usage: bash core/data/refresh-public-suffixes.sh
#
# Needs: python3, dpkg-query, and the Public Suffix List file (default
# /usr/share/publicsuffix/public_suffix_list.dat; override with PSL_SOURCE).
# This script installs nothing; run `apt-get install publicsuffix` first.
#
# Only rules between "// ===BEGIN ICANN DOMAINS===" and
# "// ===END ICANN DOMAINS===" are kept (the private section is dropped).
# Comments and blank lines are removed, internationalised rules are converted to
# ASCII (punycode, via python3's built-in idna codec, falling back to
# encodings.idna per label), everything is lowercased, and rule syntax
# (wildcards "*.ck", exceptions "!www.ck") is preserved. Rules that cannot be
# converted are reported on stderr and skipped.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out="$script_dir/public_suffixes.txt"
psl=${PSL_SOURCE:-/usr/share/publicsuffix/public_suffix_list.dat}
pkg=publicsuffix

if [[ ! -r "$psl" ]]; then
  echo "error: Public Suffix List not found at $psl" >&2
  echo "       install it with: apt-get install publicsuffix" >&2
  echo "       (or point PSL_SOURCE at a copy of public_suffix_list.dat)" >&2
  exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "error: python3 is required (for IDN -> punycode conversion)" >&2
  exit 1
fi

pkg_version=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)
if [[ -z "$pkg_version" ]]; then
  if [[ -n "${PSL_SOURCE:-}" ]]; then
    pkg_version="unknown (read from PSL_SOURCE, not the installed package)"
  else
    echo "error: Debian package $pkg is not installed (dpkg-query found no version)" >&2
    echo "       install it with: apt-get install publicsuffix" >&2
    exit 1
  fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

begin='// ===BEGIN ICANN DOMAINS==='
end='// ===END ICANN DOMAINS==='
if ! grep -qxF "$begin" "$psl" || ! grep -qxF "$end" "$psl"; then
  echo "error: ICANN section markers not found in $psl" >&2
  exit 1
fi

# ICANN section only; a rule is the first whitespace-delimited token of a line.
awk -v b="$begin" -v e="$end" '
  $0 == b { inside = 1; next }
  $0 == e { inside = 0; exit }
  inside
' "$psl" \
  | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]].*//' -e '/^\/\//d' -e '/^$/d' \
  > "$tmp/raw.txt"
raw_count=$(wc -l < "$tmp/raw.txt")

# Unicode -> ASCII. Good rules on stdout, failures on stderr (reported below).
python3 -c '
import sys, encodings.idna

def to_ascii(name):
    try:
        a = name.encode("idna").decode("ascii")
    except UnicodeError:
        labels = []
        for label in name.split("."):
            labels.append(encodings.idna.ToASCII(label).decode("ascii"))
        a = ".".join(labels)
    return a.lower()

for line in sys.stdin.buffer.read().decode("utf-8").splitlines():
    rule = line.strip()
    if not rule:
        continue
    bang = "!" if rule.startswith("!") else ""
    name = rule[len(bang):].lower()
    try:
        a = name if name.isascii() else to_ascii(name)
    except (UnicodeError, ValueError) as exc:
        sys.stderr.write("%s\t%s\n" % (rule, exc))
        continue
    if not a.isascii() or not a or ".." in a or a.startswith(".") or a.endswith("."):
        sys.stderr.write("%s\tconverted to unusable %r\n" % (rule, a))
        continue
    print(bang + a)
' < "$tmp/raw.txt" > "$tmp/ascii.txt" 2> "$tmp/failed.txt"

tr '[:upper:]' '[:lower:]' < "$tmp/ascii.txt" | LC_ALL=C sort -u > "$tmp/final.txt"

count=$(wc -l < "$tmp/final.txt")
wildcards=$(grep -c '^\*\.' "$tmp/final.txt" || true)
exceptions=$(grep -c '^!' "$tmp/final.txt" || true)
idn=$(grep -c 'xn--' "$tmp/final.txt" || true)

{
  echo "# Public suffix rules embedded in orgkit: the ICANN section of the"
  echo "# Public Suffix List (rules between \"===BEGIN ICANN DOMAINS===\" and"
  echo "# \"===END ICANN DOMAINS===\"; the private section is not included)."
  echo "# The Public Suffix List is licensed under the Mozilla Public License 2.0"
  echo "# (MPL-2.0); this file is a derived copy of it and is under the same licence."
  echo "#"
  echo "# Source: Debian package $pkg $pkg_version"
  echo "# Transformed: comments and blank lines removed, internationalised rules"
  echo "# converted to ASCII (punycode, xn--), lowercased, rule syntax kept"
  echo "# (\"*.\" wildcard, \"!\" exception), sorted with LC_ALL=C sort -u."
  echo "# Generated: $(date -u +%Y-%m-%d) ($count rules: $wildcards wildcard, $exceptions exception)"
  echo "#"
  echo "# Do not edit by hand. Refresh with:"
  echo "#   bash core/data/refresh-public-suffixes.sh"
  cat "$tmp/final.txt"
} > "$tmp/out.txt"
mv "$tmp/out.txt" "$out"

failed=$(wc -l < "$tmp/failed.txt")
echo "$pkg $pkg_version: $raw_count ICANN rules read, $idn with xn-- labels," \
  "$failed skipped, $count written to $out ($wildcards wildcard, $exceptions exception)" >&2
if (( failed > 0 )); then
  echo "rules that could not be converted to ASCII (skipped):" >&2
  sed 's/^/  /' "$tmp/failed.txt" >&2
fi
if (( count < 5000 )); then
  echo "warning: only $count rules (< 5000); is $psl complete?" >&2
fi
