#!/bin/sh
# Run every test tier: unit (cmocka), command-line golden tests, screen
# tests (real binary in libvterm). Prints one closing line:
#   N passed, N failed
# and exits non-zero when anything failed.
BUILD=${BUILD:-build}
export BUILD LANYARD_BIN="$BUILD/lanyard" LANYARD_SRCDIR="$(pwd)"
passed=0
failed=0
failures=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run() {
	name=$1
	shift
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		printf 'PASS  %s\n' "$name"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		printf 'FAIL  %s\n' "$name"
		sed 's/^/      /' "$log"
	fi
}

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	run "$(basename "$t")" "$t"
done
for t in tests/cli/test_*.sh; do
	[ -f "$t" ] || continue
	run "cli/$(basename "$t" .sh)" sh "$t"
done

echo
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
