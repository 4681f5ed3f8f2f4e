# An import killed with SIGKILL part-way changes nothing: neither the first
# import into a new database (made under a temporary name, which is left
# behind and cleared by the next import) nor a re-import (written through
# the WAL).
. tests/cli/lib.sh
export PATH="$(dirname "$LANYARD_BIN"):$PATH"

# big N [WORD]: N talks with long abstracts, titles ending in WORD.
big() {
	awk -v n="$1" -v w="${2:-first}" 'BEGIN {
		print "id,title,date,start,end,room,abstract"
		a = "Operators reconcile desired state against observed state in a loop"
		for (i = 0; i < 2; i++) a = a " " a
		for (i = 1; i <= n; i++)
			printf "K%d,Talk %d %s,2022-05-%02d,%02d:%02d,23:00,Room %d,%s\n", i, i, w, 16 + i % 4, 8 + i % 12, i % 60, i % 30, a
	}'
}
big 30000 >"$TMP/big.csv"
big 30000 second >"$TMP/big2.csv"

# killed DB FILE CONDITION: start an import, wait until CONDITION holds,
# kill it and report whether the kill came before the import ended.
killed() {
	"$LANYARD_BIN" import --db "$1" --name big "$2" >/dev/null 2>&1 &
	pid=$!
	i=0
	while ! sh -c "$3" && [ $i -lt 4000 ]; do
		kill -0 $pid 2>/dev/null || break
		sleep 0.005
		i=$((i + 1))
	done
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	rc=$?
	[ $rc -eq 137 ] && echo "import of $(basename "$2") killed part-way" || echo "import of $(basename "$2") not killed in time (exit $rc)"
}

# A first import: killed once its database, not yet in place, holds a few
# megabytes. No database appears; the next import clears what was left.
killed "$DB" "$TMP/big.csv" "test -n \"\$(find '$TMP' -name '.test.db.??????' -size +2M)\"" >>"$OUT"
t lanyard list --db "$DB"
t "ls -A $TMP | grep -c '^[.]test[.]db[.]'"
t "lanyard import --db $DB $D/conf-v1.csv"
t "lanyard list --db $DB | wc -l"
t "ls -A $TMP | grep -c '^[.]test[.]db[.]'"

# A re-import that changes every title: killed while it writes them.
t "lanyard import --db $DB --name big $TMP/big.csv"
lanyard list --db "$DB" --conf big >"$TMP/before"
killed "$DB" "$TMP/big2.csv" "test -f '$DB-wal' && test \$(wc -c <'$DB-wal') -gt 1000000" >>"$OUT"
lanyard list --db "$DB" --conf big >"$TMP/after"
t cmp "$TMP/before" "$TMP/after"
t "lanyard list --db $DB --conf big --search second | wc -l"
t "lanyard list --db $DB --conf big --search first | wc -l"
finish
