# Golden tests of the command line: each test script runs commands through
# `t`, which appends the command, its standard output and error and its exit
# status to a transcript; the transcript must equal expected/NAME.out.
# UPDATE=1 rewrites the expected file (review the diff before committing).
set -u
LANYARD_BIN=${LANYARD_BIN:-build/lanyard}
case $LANYARD_BIN in /*) ;; *) LANYARD_BIN=$(pwd)/$LANYARD_BIN ;; esac
NAME=$(basename "$0" .sh); NAME=${NAME#test_}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lanyard-cli-XXXXXX")
OUT=$TMP/transcript
trap 'rm -rf "$TMP"' EXIT
: >"$OUT"
# A private, pinned environment: no user database or clock leaks in.
export HOME=$TMP/home TZ=UTC LC_ALL=C.UTF-8 LANYARD_NOW="2022-05-18 11:07"
unset LANYARD_DB XDG_DATA_HOME
mkdir -p "$HOME"
export DB=$TMP/test.db
D=tests/cli/data

lanyard() { "$LANYARD_BIN" "$@"; }

# t CMD...: run CMD (a shell string), record everything it printed.
t() {
	printf '$ %s\n' "$*" >>"$OUT"
	sh -c "$*" >"$TMP/stdout" 2>"$TMP/stderr" </dev/null
	rc=$?
	cat "$TMP/stdout" >>"$OUT"
	sed 's/^/stderr: /' "$TMP/stderr" >>"$OUT"
	printf '[exit %d]\n' "$rc" >>"$OUT"
}

# ti INPUT CMD...: like t, with INPUT on standard input.
ti() {
	input=$1
	shift
	printf '$ %s <<< %s\n' "$*" "$input" >>"$OUT"
	printf '%s' "$input" | sh -c "$*" >"$TMP/stdout" 2>"$TMP/stderr"
	rc=$?
	cat "$TMP/stdout" >>"$OUT"
	sed 's/^/stderr: /' "$TMP/stderr" >>"$OUT"
	printf '[exit %d]\n' "$rc" >>"$OUT"
}

finish() {
	# Temporary paths differ per run.
	sed -i "s|$TMP|\$TMP|g" "$OUT"
	want=tests/cli/expected/$NAME.out
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$OUT" "$want"
		echo "updated $want"
		exit 0
	fi
	if ! diff -u "$want" "$OUT"; then
		echo "$NAME: transcript differs from $want (UPDATE=1 to accept)"
		exit 1
	fi
}
