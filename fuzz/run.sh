#!/bin/sh
# run.sh — runs the libFuzzer targets of a fuzzing build.
#
#   fuzz/run.sh BUILDDIR SECONDS
#
# BUILDDIR is a build configured with CC=clang --enable-fuzzing in which
# `make fuzz/fuzz_json` (and optionally `make fuzz/fuzz_pack`) has been run.
# Each target present in BUILDDIR/fuzz runs for SECONDS seconds on a fresh
# corpus seeded here: a few valid and invalid JSON documents for fuzz_json,
# the files of BUILDDIR/tests/fixtures (when that directory exists) for
# fuzz_pack.  Inputs that crash a target are kept in
# BUILDDIR/fuzz/artifacts/TARGET/.  Exit status: 0 when no target found
# anything, 1 when one did, 2 on a usage error.

set -u

me=${0##*/}

usage() {
	echo "usage: $me BUILDDIR SECONDS" >&2
	exit 2
}

[ $# -eq 2 ] || usage
builddir=$1
seconds=$2
case $seconds in
'' | *[!0-9]* | 0) usage ;;
esac
if [ ! -x "$builddir/fuzz/fuzz_json" ]; then
	echo "$me: $builddir/fuzz/fuzz_json not found; configure with" \
	     "CC=clang --enable-fuzzing and run make fuzz/fuzz_json" >&2
	exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/packgate-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- seeds

seed_json() {
	dir=$1
	mkdir -p "$dir"
	n=0
	# one document per line of the here-document; printf %b turns \\ into
	# a backslash and \0ooo into that byte, so invalid bytes can be seeded
	while IFS= read -r doc; do
		n=$((n + 1))
		printf '%b' "$doc" >"$dir/seed-$n.json"
	done <<'EOF'
{"name":"skill.math","version":"1.3.0","files":[{"path":"model.onnx","size":123}]}
{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001]}
{"\\u20ac":1,"\\r":2,"\\ufb33":3,"1":4,"\\ud83d\\ude00":5,"\\u0080":6}
["\\b\\t\\n\\f\\r\\"\\\\\\/","\\u001f\\u007f",true,false,null]
[[[[[[[[[[[[[[[[{}]]]]]]]]]]]]]]]]
-0.0e+1
5e-324
1e309
{"a":1,"\\u0061":2}
[1,]
"\\ud800\\u0041"
"\\u0000"
"\0300\0257"
"\0355\0240\0200"
\0357\0273\0277{}
{"a":{"b":[1,{"c":null,"c":0}]}}
0123
EOF
}

# Tokens that help the mutator build JSON.
write_json_dict() {
	cat >"$1" <<'EOF'
"{"
"}"
"["
"]"
":"
","
"\x22"
"true"
"false"
"null"
"-0"
"e+"
"E-"
".5"
"1e308"
"\x5cu"
"\x5cud800"
"\x5cudc00"
"\x5cu0000"
"\x5cn"
"\xc0\xaf"
"\xed\xa0\x80"
"\xf4\x90\x80\x80"
"\xf0\x9f\x98\x80"
EOF
}

seed_pack() {
	dir=$1
	mkdir -p "$dir"
	if [ -d "$builddir/tests/fixtures" ]; then
		n=0
		find "$builddir/tests/fixtures" -type f | while IFS= read -r f; do
			n=$((n + 1))
			cp -- "$f" "$dir/seed-$n"
		done
	fi
	# libFuzzer needs at least one input to start from
	[ -n "$(ls -A "$dir")" ] || printf 'x' >"$dir/seed-empty"
}

# ----------------------------------------------------------------- run

failed=0
ran=0
for target in fuzz_json fuzz_pack; do
	bin=$builddir/fuzz/$target
	[ -x "$bin" ] || continue
	corpus=$work/$target
	artifacts=$builddir/fuzz/artifacts/$target
	mkdir -p "$artifacts" || exit 2
	set --
	case $target in
	fuzz_json)
		seed_json "$corpus"
		write_json_dict "$work/json.dict"
		set -- -dict="$work/json.dict"
		;;
	fuzz_pack)
		seed_pack "$corpus"
		;;
	esac
	echo "$me: $target for ${seconds}s"
	if "$bin" -max_total_time="$seconds" -timeout=30 \
	    -artifact_prefix="$artifacts/" -print_final_stats=1 \
	    "$@" "$corpus" >"$work/$target.log" 2>&1; then
		echo "$me: $target: no crash ($(find "$corpus" -type f | wc -l) inputs in corpus)"
	else
		status=$?
		failed=1
		tail -n 40 "$work/$target.log" >&2
		echo "$me: $target FAILED (exit $status); crashing inputs in $artifacts" >&2
	fi
	ran=$((ran + 1))
done

[ "$ran" -gt 0 ] || exit 2
exit "$failed"
