#!/bin/sh
# make memcheck: every command-line test with lanyard run under valgrind
# (--error-exitcode=1, definite leaks count as errors). valgrind's reports
# go to log files, so the golden transcripts still compare; any report
# fails the run and is printed.
BUILD=${BUILD:-build}
real=$(cd "$(dirname "$BUILD/lanyard")" && pwd)/lanyard
work=$(mktemp -d "${TMPDIR:-/tmp}/lanyard-memcheck-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/logs"
# The fault tests run some commands as an unprivileged user.
chmod 0755 "$work" "$work/bin"
chmod 1777 "$work/logs"
cat >"$work/bin/lanyard" <<WRAP
#!/bin/sh
exec valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \\
  --log-file="$work/logs/vg.%p.log" "$real" "\$@"
WRAP
chmod 0755 "$work/bin/lanyard"
failed=0
for t in tests/cli/test_*.sh; do
	if LANYARD_BIN="$work/bin/lanyard" sh "$t" >"$work/out" 2>&1; then
		printf 'PASS  memcheck %s\n' "$t"
	else
		printf 'FAIL  memcheck %s\n' "$t"
		sed 's/^/      /' "$work/out"
		failed=1
	fi
done
runs=$(ls "$work/logs" | wc -l)
for log in "$work/logs"/*.log; do
	[ -s "$log" ] || continue
	echo "valgrind reported:"
	cat "$log"
	failed=1
done
echo "$runs runs of lanyard under valgrind"
[ "$runs" -gt 0 ] && [ "$failed" -eq 0 ]
