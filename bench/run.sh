#!/bin/bash
# bench/run.sh — the foundation benchmarks of doc/performance.md.
#
#   bench/run.sh BUILDDIR [WORKDIR]
#
# 1. verify of a pack holding one 1 GiB member, against `openssl dgst
#    -sha256` of the same pack file, interleaved runs, warm page cache;
# 2. peak RSS of that verify (GNU time's %M);
# 3. inspect of the 1 GiB pack against inspect of a 1 MiB pack;
# 4. import of the 1 GiB pack into a fresh registry (every member hashed,
#    written and synced), against copying the pack file and syncing the
#    copy (`dd ... conv=fdatasync`), and the import's peak RSS.
# Needs: openssl, GNU time (package `time`).  Not run by make check.
set -euo pipefail
build=$(cd "${1:?usage: bench/run.sh BUILDDIR [WORKDIR]}" && pwd)
work=${2:-$(mktemp -d "${TMPDIR:-/tmp}/pgbench.XXXXXX")}
pg="$build/src/packgate"
runs=${RUNS:-5}
mkdir -p "$work"
cd "$work"

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

make_pack() { # make_pack DIR BYTES OUT
	local dir=$1 bytes=$2 out=$3
	rm -rf "$dir" && mkdir -p "$dir"
	"$build/tests/mkfixtures" --good-dir "$dir" >/dev/null
	rm -f "$dir/model.onnx"
	# incompressible, deterministic content (openssl dies of SIGPIPE)
	{ openssl enc -aes-128-ctr -nosalt -pass pass:packgate -in /dev/zero 2>/dev/null || true; } |
		head -c "$bytes" >"$dir/model.onnx"
	"$pg" build "$dir" -o "$out" >/dev/null
}

[ -f big.mpk ] || make_pack big-dir $((1024 * 1024 * 1024)) big.mpk
[ -f small.mpk ] || make_pack small-dir $((1024 * 1024)) small.mpk
rm -rf big-dir small-dir
cat big.mpk >/dev/null # warm the page cache

echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores), $(uname -r)"
echo "pack:    $(stat -c %s big.mpk) bytes"

: >t_ssl; : >t_pg
for i in $(seq "$runs"); do
	s=$(now); openssl dgst -sha256 big.mpk >/dev/null; e=$(now); echo $(((e - s) / 1000000)) >>t_ssl
	s=$(now); "$pg" verify big.mpk >/dev/null; e=$(now); echo $(((e - s) / 1000000)) >>t_pg
done
ssl=$(median <t_ssl); pgv=$(median <t_pg)
echo "verify 1 GiB:          median ${pgv} ms  (runs: $(tr '\n' ' ' <t_pg))"
echo "openssl dgst -sha256:  median ${ssl} ms  (runs: $(tr '\n' ' ' <t_ssl))"
awk -v a="$pgv" -v b="$ssl" 'BEGIN { printf "ratio verify/openssl: %.3f (target <= 1.10)\n", a / b }'

rss=$(/usr/bin/time -f %M "$pg" verify big.mpk 2>&1 >/dev/null | tail -n 1)
echo "verify peak RSS:       ${rss} KiB (target <= 32768)"

n=200
s=$(now); for i in $(seq $n); do "$pg" inspect big.mpk >/dev/null; done; e=$(now); big=$(((e - s) / n / 1000))
s=$(now); for i in $(seq $n); do "$pg" inspect small.mpk >/dev/null; done; e=$(now); small=$(((e - s) / n / 1000))
echo "inspect 1 GiB pack:    ${big} us per run ($n runs)"
echo "inspect 1 MiB pack:    ${small} us per run ($n runs)"
awk -v a="$big" -v b="$small" 'BEGIN { printf "ratio inspect big/small: %.3f (target <= 1.5)\n", a / b }'

: >t_imp; : >t_dd
for i in $(seq "$runs"); do
	rm -rf reg copy.mpk
	sync
	s=$(now); "$pg" --registry reg/registry.db import big.mpk >/dev/null; e=$(now); echo $(((e - s) / 1000000)) >>t_imp
	rm -rf reg
	sync
	s=$(now); dd if=big.mpk of=copy.mpk bs=4M conv=fdatasync status=none; e=$(now); echo $(((e - s) / 1000000)) >>t_dd
	rm -f copy.mpk
done
imp=$(median <t_imp); dd=$(median <t_dd)
echo "import 1 GiB:          median ${imp} ms  (runs: $(tr '\n' ' ' <t_imp))"
echo "dd conv=fdatasync:     median ${dd} ms  (runs: $(tr '\n' ' ' <t_dd))"
rm -rf reg
rss=$(/usr/bin/time -f %M "$pg" --registry reg/registry.db import big.mpk 2>&1 >/dev/null | tail -n 1)
echo "import peak RSS:       ${rss} KiB"
rm -rf reg
