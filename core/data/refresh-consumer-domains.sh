#!/usr/bin/env bash
# Regenerate core/data/consumer_domains.txt (the embedded list of consumer /
# free mail domains) from the npm package free-email-domains.
#
# Usage: bash core/data/refresh-consumer-domains.sh [version]
#   version  free-email-domains version to use (default: latest published)
#
# Needs: npm, node, tar, and the Public Suffix List as shipped by Debian's
# `publicsuffix` package (override its path with CONSUMER_DOMAINS_PSL).
# Entries that are themselves public suffixes (e.g. co.uk, or a private-section
# suffix such as a dynamic-DNS zone) are dropped: they cannot identify a mail
# provider. The package's postinstall script is never run (npm pack + tar only).
set -euo pipefail

pkg=free-email-domains
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out="$script_dir/consumer_domains.txt"
psl=${CONSUMER_DOMAINS_PSL:-/usr/share/publicsuffix/public_suffix_list.dat}

# Well-known consumer domains that must be present whatever the package says.
extra_domains=(
  gmail.com googlemail.com outlook.com hotmail.com live.com msn.com
  yahoo.com icloud.com me.com mac.com aol.com proton.me protonmail.com
  gmx.de gmx.net web.de mail.ru yandex.ru qq.com 163.com 126.com naver.com
)

if [[ ! -r "$psl" ]]; then
  echo "error: Public Suffix List not found at $psl" >&2
  echo "       install it (apt-get install publicsuffix) or set CONSUMER_DOMAINS_PSL" >&2
  exit 1
fi

version=${1:-$(npm view "$pkg" version)}
if [[ -z "$version" ]]; then
  echo "error: could not determine $pkg version" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
shopt -s nullglob
tarballs=("$tmp"/*.tgz)
shopt -u nullglob
if [[ ${#tarballs[@]} -ne 1 ]]; then
  echo "error: expected one tarball from npm pack, got ${#tarballs[@]}" >&2
  exit 1
fi
tar -xzf "${tarballs[0]}" -C "$tmp"

# Version actually packed (resolves tags/ranges given as the argument).
resolved=$(node -e 'process.stdout.write(require(process.argv[1]).version)' "$tmp/package/package.json")

list="$tmp/package/domains.json"
if [[ ! -f "$list" ]]; then
  echo "error: $pkg@$resolved has no domains.json; the package layout changed" >&2
  exit 1
fi

# JSON array of strings -> one entry per line.
node -e '
  const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (!Array.isArray(d)) { console.error("domains.json is not an array"); process.exit(1); }
  for (const e of d) if (typeof e === "string") process.stdout.write(e + "\n");
' "$list" > "$tmp/raw.txt"
raw_count=$(wc -l < "$tmp/raw.txt")

printf '%s\n' "${extra_domains[@]}" >> "$tmp/raw.txt"

# Normalise: trim, lowercase, strip one trailing dot; drop empties, comments and
# anything that is not an ASCII LDH name with >= 2 labels (alphabetic or xn-- TLD).
ldh='^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$'
sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$tmp/raw.txt" \
  | tr '[:upper:]' '[:lower:]' \
  | sed -e 's/\.$//' \
  | grep -v -e '^$' -e '^#' \
  | LC_ALL=C grep -E "$ldh" \
  | awk 'length($0) <= 253' \
  | LC_ALL=C sort -u > "$tmp/clean.txt"

# Public suffix rules (ICANN and private sections): plain, wildcard, exception.
sed -e 's/[[:space:]].*//' -e '/^\/\//d' -e '/^$/d' "$psl" \
  | tr '[:upper:]' '[:lower:]' > "$tmp/psl.txt"

awk '
  NR == FNR { rule[$0] = 1; next }
  {
    d = $0
    parent = substr(d, index(d, ".") + 1)
    is_suffix = (d in rule) || ((("*." parent) in rule) && !(("!" d) in rule))
    if (is_suffix) print d > "/dev/stderr"; else print d
  }
' "$tmp/psl.txt" "$tmp/clean.txt" > "$tmp/final.txt" 2> "$tmp/excluded.txt"

count=$(wc -l < "$tmp/final.txt")
dropped=$(( raw_count + ${#extra_domains[@]} - $(wc -l < "$tmp/clean.txt") ))

{
  echo "# Consumer (free / personal) mail domains embedded in orgkit."
  echo "# An email address at one of these domains says nothing about the employer,"
  echo "# so orgkit never maps such a domain to an organisation."
  echo "#"
  echo "# Source: npm package $pkg@$resolved (MIT). Per that package's own"
  echo "# update script (scripts/postinstall.mjs) its list merges HubSpot's published"
  echo "# free-email-domain list, two community disposable-address blocklists"
  echo "# (\"Castle disposable email domains\", \"Disposable email domains blocklist\")"
  echo "# and a hand-curated set, so it includes throwaway/disposable domains too."
  echo "# Normalised (trimmed, lowercased, trailing dot removed, ASCII LDH names with"
  echo "# at least two labels only), entries that are themselves public suffixes removed,"
  echo "# a fixed set of well-known consumer domains added, sorted with LC_ALL=C sort -u."
  echo "# Generated: $(date -u +%Y-%m-%d) ($count domains)"
  echo "#"
  echo "# Do not edit by hand. Refresh with:"
  echo "#   bash core/data/refresh-consumer-domains.sh [version]"
  cat "$tmp/final.txt"
} > "$tmp/out.txt"
mv "$tmp/out.txt" "$out"

echo "$pkg@$resolved: $raw_count entries in package, $dropped dropped/merged by normalisation," \
  "$(wc -l < "$tmp/excluded.txt") public suffixes excluded, $count written to $out" >&2
if [[ -s "$tmp/excluded.txt" ]]; then
  echo "excluded public suffixes:" >&2
  sed 's/^/  /' "$tmp/excluded.txt" >&2
fi
if (( count < 3000 )); then
  echo "warning: only $count domains (< 3000)" >&2
fi
