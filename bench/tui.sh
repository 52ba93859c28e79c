#!/bin/bash
# bench/tui.sh — the TUI benchmarks of doc/performance.md, on a registry of
# 100,000 packs (made by bench/registry.sh).
#
#   bench/tui.sh BUILDDIR REGISTRY.db
#
# The real UI runs in its scripted mode (doc/tui.md) at 200x60:
# 1. start to the first list screen drawn, then quit: whole-process time;
# 2. a search typed key by key (each key redraws the list): the extra time
#    over (1) divided by the keys typed.
# Each is the median of 11 runs.  Not run by make check.
set -euo pipefail
build=$(cd "${1:?usage: bench/tui.sh BUILDDIR REGISTRY.db}" && pwd)
reg=${2:?usage: bench/tui.sh BUILDDIR REGISTRY.db}
pg="$build/src/packgate"
w=$(mktemp -d "${TMPDIR:-/tmp}/pgtui.XXXXXX")
trap 'rm -rf "$w"' EXIT
export LANG=C.UTF-8 TERM=xterm-256color LINES=60 COLUMNS=200
unset PACKGATE_POLICY XDG_CONFIG_HOME

printf ':dump\n' >"$w/start.keys"
{ printf '/\n'; for c in s k i l l . m a t h . r e a s o n e r; do printf '%s\n' "$c"; done; printf ':dump\n'; } >"$w/search.keys"
keys=19

now() { date +%s%N; }
median_us() { # median_us SCRIPT
	local t=()
	for i in $(seq 11); do
		local s e
		s=$(now)
		PACKGATE_TUI_SCRIPT="$1" PACKGATE_TUI_DUMP="$w/dump" "$pg" --registry "$reg" >/dev/null
		e=$(now)
		t+=($(((e - s) / 1000)))
	done
	printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {print a[6]}'
}

start=$(median_us "$w/start.keys")
search=$(median_us "$w/search.keys")
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"
awk -v s="$start" 'BEGIN { printf "list screen drawn from start: %.1f ms (target < 200)\n", s / 1000 }'
awk -v s="$start" -v t="$search" -v k=$keys 'BEGIN { printf "search keystroke redraw:      %.1f ms per key over %d keys (target < 30)\n", (t - s) / 1000 / k, k }'
