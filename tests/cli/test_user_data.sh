# attend / rate / note, list filters, and user data surviving a re-import.
. tests/cli/lib.sh
export PATH="$(dirname "$LANYARD_BIN"):$PATH"
t lanyard import --db "$DB" $D/conf-v1.csv
t lanyard attend --db "$DB" K2 planned
t lanyard attend --db "$DB" K3 attended
t lanyard rate --db "$DB" K3 5
t lanyard attend --db "$DB" K5 planned
t lanyard attend --db "$DB" K6 skipped
t lanyard note --db "$DB" K3 "'Big red button: halt all rollouts.'"
ti "日本語 takeaway
second line" lanyard note --db "$DB" K5 -
t lanyard note --db "$DB" K5
t lanyard note --db "$DB" K1
t lanyard list --db "$DB" --status planned
t lanyard list --db "$DB" --status attended
t lanyard list --db "$DB" --rated
t lanyard list --db "$DB" --search halt
t lanyard rate --db "$DB" K3 0
t lanyard list --db "$DB" --rated
t lanyard rate --db "$DB" K3 4
# The schedule changes: K2 moves, K4 is retitled, K5 vanishes, K9 is new.
t lanyard import --db "$DB" --name conf-v1 $D/conf-v2.csv
t lanyard list --db "$DB"
t lanyard note --db "$DB" K5
t lanyard list --db "$DB" --status planned
# Importing the same file again changes nothing.
t lanyard import --db "$DB" --name conf-v1 $D/conf-v2.csv
t lanyard attend --db "$DB" K2 none
t lanyard list --db "$DB" --status planned
finish
