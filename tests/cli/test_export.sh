# lanyard export: usage errors, the trip report, CSV out and back in (a new
# laptop, then a merge), -o writes a private file, shell completion.
. tests/cli/lib.sh
export PATH="$(dirname "$LANYARD_BIN"):$PATH"
S=tests/data/export-trip.csv
t lanyard import --db "$DB" --name kubecon-eu-2022 --tz Europe/Madrid $S
t lanyard attend --db "$DB" T03 attended
t lanyard rate --db "$DB" T03 5
t lanyard attend --db "$DB" T04 attended
t lanyard rate --db "$DB" T04 2
t lanyard attend --db "$DB" T06 attended
t lanyard rate --db "$DB" T06 4
ti "Big red button: halt all deployments.
# our runbook has none
<b>ask about it</b>" lanyard note --db "$DB" T06 -
t lanyard attend --db "$DB" T08 attended
t lanyard note --db "$DB" T08 "'=1+1 is not a formula here'"
t lanyard attend --db "$DB" T11 planned
# Usage errors: exit 2 and a hint.
t lanyard export --db "$DB"
t lanyard export --db "$DB" --format pdf
t lanyard export --db "$DB" --format csv --min-rating 9
t lanyard export --db "$DB" --format csv --day tomorrow
t lanyard export --db "$DB" --format csv --bogus
t lanyard export --db "$DB" --format csv extra
t lanyard export --db "$DB" --format csv -o
t lanyard export --db "$DB" --conf nope --format csv
# The trip report, whole and narrowed.
t lanyard export --db "$DB" --format markdown
t lanyard export --db "$DB" --format md --day 2022-05-18 --min-rating 4
# After the conference the planned talk was missed.
t LANYARD_NOW="'2022-05-21 09:00'" lanyard export --db "$DB" --format markdown --day 2022-05-19
# CSV to a file: private, complete; then restored on a new laptop.
t lanyard export --db "$DB" --format csv -o "$TMP/backup.csv"
t stat -c %a "$TMP/backup.csv"
t lanyard import --db "$TMP/new.db" "$TMP/backup.csv"
t lanyard list --db "$TMP/new.db" --status attended
t lanyard note --db "$TMP/new.db" T08
t lanyard export --db "$TMP/new.db" --format csv -o "$TMP/again.csv"
t cmp "$TMP/backup.csv" "$TMP/again.csv"
# A merge: the new laptop wrote its own takeaways meanwhile.
t lanyard note --db "$TMP/new.db" T06 "'Written on the train.'"
t lanyard import --db "$TMP/new.db" "$TMP/backup.csv"
t lanyard note --db "$TMP/new.db" T06
t lanyard import --db "$TMP/new.db" --dry-run "$TMP/backup.csv"
# A backup from elsewhere: talks, marks, takeaways, notes (a formula-like
# takeaway comes back as written).
t lanyard import --db "$TMP/fix.db" $D/lanyard-export.csv
t lanyard list --db "$TMP/fix.db" --status attended
t lanyard note --db "$TMP/fix.db" T08
t lanyard note --db "$TMP/fix.db" T15
t lanyard export --db "$TMP/fix.db" --format markdown --day 2022-05-18
# JSON parses.
t "lanyard export --db '$DB' --format json | python3 -m json.tool >/dev/null"
# Completion: commands, formats, conferences and keys from the database.
t bash tests/cli/complete-words.sh lanyard ex
t bash tests/cli/complete-words.sh lanyard export --format "''"
t bash tests/cli/complete-words.sh lanyard --db "$DB" export --conf "''"
t bash tests/cli/complete-words.sh lanyard --db "$DB" attend T1
t bash tests/cli/complete-words.sh lanyard --db "$DB" attend T11 "''"
finish
