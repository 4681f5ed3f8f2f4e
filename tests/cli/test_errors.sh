# Bad input: a FILE:LINE message, exit 1, and the database as it was.
# Usage errors exit 2.
. tests/cli/lib.sh
export PATH="$(dirname "$LANYARD_BIN"):$PATH"
t lanyard import --db "$DB" $D/conf-v1.csv
t lanyard attend --db "$DB" K3 attended
t lanyard note --db "$DB" K3 "'keep me'"
lanyard list --db "$DB" >"$TMP/before"
for f in bad-quote no-title empty header-only binary missing; do
	t lanyard import --db "$DB" --name conf-v1 $D/$f.csv
done
lanyard list --db "$DB" >"$TMP/after"
t cmp "$TMP/before" "$TMP/after"
t lanyard note --db "$DB" K3
t lanyard attend --db "$DB" NOPE planned
t lanyard attend --db "$DB" K3 maybe
t lanyard rate --db "$DB" K3 7
t lanyard rate --db "$DB" K3
t lanyard list --db "$DB" --status sometimes
t lanyard list --db "$DB" --conf nosuch
t lanyard list --db "$DB" --frobnicate
t lanyard list --day
t lanyard import --db "$DB" --date-order ymd $D/conf-v1.csv
t lanyard import --db "$DB"
t lanyard --version
t lanyard list --db "$TMP/fresh.db"
printf 'not a database at all\n' >"$TMP/text.db"
t lanyard list --db "$TMP/text.db"
t cat "$TMP/text.db"
finish
