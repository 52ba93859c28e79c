#!/bin/bash
# bench/remote.sh — push and pull of a 1 GiB pack to a loopback OCI
# registry (Debian's docker-registry), against curl moving the same bytes to
# and from the same server.
#
#   bench/remote.sh BUILDDIR [WORKDIR]
#
# Each side runs 9 times against a fresh server storage; medians and bests
# (the least disturbed run) reported.
# Pull is also compared with curl doing what a pull guarantees besides
# moving the bytes: hashing them as they arrive and syncing them to disk.
# Dirty pages are flushed (sync) before every timed command, so that one
# command's writeback is not charged to the next.
# Also timed: curl to /dev/null, the network alone.
# Needs docker-registry, curl, jq, openssl.  Not run by make check.
set -euo pipefail
build=$(cd "${1:?usage: bench/remote.sh BUILDDIR [WORKDIR]}" && pwd)
work=${2:-$(mktemp -d "${TMPDIR:-/tmp}/pgremote.XXXXXX")}
pg="$build/src/packgate"
mkdir -p "$work"
cd "$work"
unset PACKGATE_POLICY XDG_CONFIG_HOME GNUPGHOME
PID=
trap '[ -z "$PID" ] || kill -9 $PID 2>/dev/null' EXIT

port=$((10000 + RANDOM % 20000)) # below the ephemeral ports
start() { # a fresh server storage each time
	[ -z "$PID" ] || { kill -9 $PID 2>/dev/null; wait $PID 2>/dev/null || true; }
	rm -rf srv && mkdir -p srv/data
	printf 'version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: %s/srv/data}}\nhttp: {addr: 127.0.0.1:%s}\n' \
		"$work" "$port" >srv/config.yml
	/usr/bin/docker-registry serve srv/config.yml >srv/log 2>&1 &
	PID=$!
	for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && return 0; sleep 0.1; done
	echo "registry did not start" >&2
	exit 1
}
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
best() { sort -n | head -1; }

if [ ! -f big.mpk ]; then
	rm -rf d && "$build/tests/mkfixtures" --good-dir d >/dev/null && rm -f d/model.onnx
	{ openssl enc -aes-128-ctr -nosalt -pass pass:packgate -in /dev/zero 2>/dev/null || true; } |
		head -c $((1024 * 1024 * 1024)) >d/model.onnx
	jq -c '.parents = [] | .operator = "import"' d/manifest.json >d/m && mv d/m d/manifest.json
	jq -c '.parents = [] | .operator = "import"' d/lineage.json >d/m && mv d/m d/lineage.json
	"$pg" build d -o big.mpk >/dev/null
	cp d/model.onnx blob.bin
	rm -rf d
fi
digest=sha256:$(sha256sum blob.bin | cut -c1-64)
ref=$("$pg" inspect --json big.mpk | jq -r '.name + "@" + .version')
rm -rf regA && "$pg" --registry regA/registry.db import big.mpk >/dev/null
cat big.mpk blob.bin >/dev/null

: >t_push; : >t_cup; : >t_pull; : >t_cget; : >t_cgetv; : >t_cnull
for i in 1 2 3 4 5 6 7 8 9; do
	start
	sync
	s=$(now); "$pg" --registry regA/registry.db push --remote "http://127.0.0.1:$port/bench" "$ref" >/dev/null; e=$(now)
	echo $(((e - s) / 1000000)) >>t_push
	# which download goes first alternates, so neither always meets the
	# page cache the other left
	for who in $(if [ $((i % 2)) = 1 ]; then echo pull curl curlv null; else echo null curlv curl pull; fi); do
		rm -rf regB dl.bin
		sync
		if [ "$who" = pull ]; then
			s=$(now); "$pg" --registry regB/registry.db pull "http://127.0.0.1:$port/bench/${ref%@*}:${ref#*@}" >/dev/null; e=$(now)
			echo $(((e - s) / 1000000)) >>t_pull
		elif [ "$who" = curl ]; then
			# curl at its best: on this VM a first write into pages
			# nothing used lately costs the page cache (and curl) up to
			# 4x; a download thrown away first gives curl warm ones
			curl -s -o dl.bin "http://127.0.0.1:$port/v2/bench/${ref%@*}/blobs/$digest"
			rm -f dl.bin
			sync
			s=$(now); curl -s -o dl.bin "http://127.0.0.1:$port/v2/bench/${ref%@*}/blobs/$digest"; e=$(now)
			echo $(((e - s) / 1000000)) >>t_cget
		elif [ "$who" = null ]; then
			# the network alone: what the server and the socket cost,
			# nothing written anywhere
			s=$(now); curl -s -o /dev/null "http://127.0.0.1:$port/v2/bench/${ref%@*}/blobs/$digest"; e=$(now)
			echo $(((e - s) / 1000000)) >>t_cnull
		else
			# curl given what a pull guarantees: the bytes hashed while
			# they arrive, and on disk (fdatasync) before it is done
			s=$(now)
			curl -s "http://127.0.0.1:$port/v2/bench/${ref%@*}/blobs/$digest" | tee dl.bin | openssl dgst -sha256 >/dev/null
			sync -d dl.bin
			e=$(now)
			echo $(((e - s) / 1000000)) >>t_cgetv
		fi
	done
	rm -f dl.bin

	start
	sync
	s=$(now)
	loc=$(curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$port/v2/bench/curl/blobs/uploads/" | tr -d '\r' |
		sed -n 's/^[Ll]ocation: //p')
	case "$loc" in http*) ;; *) loc="http://127.0.0.1:$port$loc" ;; esac
	case "$loc" in *\?*) sep='&' ;; *) sep='?' ;; esac
	curl -s -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' -T blob.bin "$loc${sep}digest=$digest"
	e=$(now)
	echo $(((e - s) / 1000000)) >>t_cup
done
push=$(median <t_push); cup=$(median <t_cup); pull=$(median <t_pull); cget=$(median <t_cget); cgetv=$(median <t_cgetv)
cnull=$(median <t_cnull)
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"
echo "push 1 GiB pack:   $push ms (runs $(tr '\n' ' ' <t_push)); curl upload of the blob: $cup ms (runs $(tr '\n' ' ' <t_cup))"
awk -v a="$cup" -v b="$push" 'BEGIN { printf "push speed / curl: %.2f (target >= 0.80)\n", a / b }'
echo "pull 1 GiB pack:   $pull ms (runs $(tr '\n' ' ' <t_pull)); curl download of the blob: $cget ms (runs $(tr '\n' ' ' <t_cget))"
awk -v a="$cget" -v b="$pull" 'BEGIN { printf "pull speed / curl: %.2f (target >= 0.80)\n", a / b }'
echo "curl | tee | openssl dgst -sha256, then fdatasync: $cgetv ms (runs $(tr '\n' ' ' <t_cgetv))"
awk -v a="$cgetv" -v b="$pull" 'BEGIN { printf "pull speed / (curl + hash + fdatasync): %.2f\n", a / b }'
echo "curl download to /dev/null: $cnull ms (runs $(tr '\n' ' ' <t_cnull))"
awk -v a="$(best <t_cget)" -v b="$(best <t_pull)" -v c="$(best <t_cup)" -v d="$(best <t_push)" \
	'BEGIN { printf "best runs: pull %d ms vs curl %d ms: %.2f; push %d ms vs curl %d ms: %.2f\n", b, a, a / b, d, c, c / d }'
