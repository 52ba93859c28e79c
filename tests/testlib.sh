# testlib.sh — helpers for the shell tests (sourced).
# Every check compares an exact outcome; a failed check prints what differed
# and the test exits 1 at the end.  Counts are printed as "N passed, N failed".

: "${PACKGATE:?PACKGATE must name the packgate binary}"
: "${TESTS_SRCDIR:?TESTS_SRCDIR must name the tests source directory}"
TESTS_BUILDDIR=$(dirname "$PACKGATE")/../tests

export LC_ALL=C.UTF-8 TZ=UTC
unset PACKGATE_REGISTRY PACKGATE_POLICY GNUPGHOME XDG_CONFIG_HOME XDG_DATA_HOME LANGUAGE PACKGATE_LOCALEDIR

passed=0
failed=0
T=$(mktemp -d "${TMPDIR:-/tmp}/pgtest.XXXXXX")
trap 'rm -rf "$T"' EXIT

ok() { passed=$((passed + 1)); }
bad() {
	failed=$((failed + 1))
	printf 'FAIL: %s\n' "$*" >&2
}

# run CMD...: runs with stdout in $T/out, stderr in $T/err, status in $rc
run() {
	rc=0
	"$@" >"$T/out" 2>"$T/err" || rc=$?
}

# expect_rc N DESCRIPTION
expect_rc() {
	if [ "$rc" -eq "$1" ]; then ok; else bad "$2: exit $rc, expected $1 (stderr: $(head -c 300 "$T/err"))"; fi
}

# expect_file FILE EXPECTED-TEXT DESCRIPTION — exact content
expect_file() {
	local got
	got=$(cat "$1")
	if [ "$got" = "$2" ]; then ok; else bad "$3: got [$got], expected [$2]"; fi
}

# expect_prefix FILE PREFIX DESCRIPTION — first line starts with PREFIX
expect_prefix() {
	local first
	first=$(head -n 1 "$1")
	case "$first" in
	"$2"*) ok ;;
	*) bad "$3: first line [$first] does not start with [$2]" ;;
	esac
}

# expect_eq GOT EXPECTED DESCRIPTION
expect_eq() {
	if [ "$1" = "$2" ]; then ok; else bad "$3: got [$1], expected [$2]"; fi
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
