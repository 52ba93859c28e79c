#!/bin/bash
# bench/registry.sh — the registry benchmarks of doc/performance.md.
#
#   bench/registry.sh BUILDDIR [WORKDIR]
#
# 1. 10,000 small packs imported by one `packgate import DIR` (packs/s);
# 2. with 100,000 packs in a registry (chains 1,000 deep): `list --limit 50`
#    with each filter and with a text search, and `lineage` of a 1,000-deep
#    chain, each the median whole-process time of 21 runs;
# 3. the database size per pack.
# Needs `make bench/mkpacks` in BUILDDIR.  Not run by make check.
set -euo pipefail
build=$(cd "${1:?usage: bench/registry.sh BUILDDIR [WORKDIR]}" && pwd)
work=${2:-$(mktemp -d "${TMPDIR:-/tmp}/pgbench.XXXXXX")}
pg="$build/src/packgate"
mk="$build/bench/mkpacks"
mkdir -p "$work"
cd "$work"
unset PACKGATE_POLICY XDG_CONFIG_HOME

now() { date +%s%N; }
median_ms() { # median_ms CMD... : 21 runs, whole process
	local t=()
	for i in $(seq 21); do
		local s e
		s=$(now); "$@" >/dev/null; e=$(now)
		t+=($(((e - s) / 1000)))
	done
	printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[11] / 1000}'
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores), $(uname -r), $(df -T . | awk 'NR==2 {print $2}')"

[ -d p10k ] || "$mk" p10k 10000 50
rm -rf r10k
s=$(now); "$pg" --registry r10k/registry.db import p10k >/dev/null; e=$(now)
awk -v ms=$(((e - s) / 1000000)) 'BEGIN { printf "import 10,000 packs:   %d ms, %.0f packs/s (target >= 300)\n", ms, 10000 / (ms / 1000) }'

if [ ! -f r100k/registry.db ]; then
	[ -d p100k ] || "$mk" p100k 100000 1000
	"$pg" --registry r100k/registry.db import p100k >/dev/null
fi
R="--registry r100k/registry.db"
echo "registry: $("$pg" $R list --json | jq '.packs | length') packs"
echo "list --limit 50:                         $(median_ms "$pg" $R list --limit 50) ms"
echo "list --limit 50 --state candidate:       $(median_ms "$pg" $R list --limit 50 --state candidate) ms"
echo "list --limit 50 --name skill.code.helper: $(median_ms "$pg" $R list --limit 50 --name skill.code.helper) ms"
echo "list --limit 50 --sort -created_at:      $(median_ms "$pg" $R list --limit 50 --sort -created_at) ms"
echo "list --limit 50 --offset 50000:          $(median_ms "$pg" $R list --limit 50 --offset 50000) ms"
echo "list --limit 50 --search arithmetic:     $(median_ms "$pg" $R list --limit 50 --search arithmetic) ms"
echo "list --limit 50 --search 'gsm8k carry':  $(median_ms "$pg" $R list --limit 50 --search 'gsm8k carry') ms"
echo "lineage of a 1,000-deep chain:           $(median_ms "$pg" $R lineage skill.math.reasoner@0.999.0) ms (target < 100)"
echo "lineage --json of the same chain:        $(median_ms "$pg" $R lineage --json skill.math.reasoner@0.999.0) ms"
db=$(( $(stat -c %s r100k/registry.db) + $(stat -c %s r100k/registry.db-wal 2>/dev/null || echo 0) ))
blobs=$(du -sb r100k/blobs | cut -f1)
echo "database: $db bytes, $((db / 100000)) bytes per pack; blob store $((blobs / 100000)) bytes per pack"
