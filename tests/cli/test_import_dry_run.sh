# What `import --dry-run` says it understood (the mapping, ignored columns,
# days, first talks), on shapes real tools write; --column and --date.
. tests/cli/lib.sh
export PATH="$(dirname "$LANYARD_BIN"):$PATH"
T=tests/data
t lanyard import --db "$DB" --dry-run $T/sessionize-rows.csv
t lanyard import --db "$DB" --dry-run $T/google-calendar.csv
t lanyard import --db "$DB" --dry-run $T/guidebook-template.csv
t lanyard import --db "$DB" --dry-run $T/neuro-agenda.csv
t lanyard import --db "$DB" --dry-run $T/security-oneday.csv
t lanyard import --db "$DB" --dry-run $T/vendor-catalog.csv
t lanyard import --db "$DB" --dry-run --date 2023-11-04 $T/security-oneday.csv
t lanyard import --db "$DB" --dry-run --column title=fullname --column speakers=title $T/neuro-agenda.csv
t lanyard import --db "$DB" --dry-run --column title=Headline $T/neuro-agenda.csv
t lanyard import --db "$DB" --dry-run --column colour=room $T/neuro-agenda.csv
t lanyard import --db "$DB" --dry-run --column title $T/neuro-agenda.csv
t lanyard import --db "$DB" --dry-run --name nowhere
# Nothing was written: not even a database file.
t lanyard list --db "$DB"
# Over a conference that exists, while another program holds the database's
# write lock: the dry runs of an update and of a restore say what would
# change without waiting for the lock, and nothing changes.
t lanyard import --db "$DB" $D/conf-v1.csv
t lanyard attend --db "$DB" K2 planned
t lanyard attend --db "$DB" K5 planned
t lanyard export --db "$DB" --format csv -o "$TMP/backup.csv"
t lanyard attend --db "$DB" K2 none
t python3 tests/cli/hold_lock.py "$DB" lanyard import --db "$DB" --name conf-v1 --dry-run $D/conf-v2.csv \| tail -n 1
t python3 tests/cli/hold_lock.py "$DB" lanyard import --db "$DB" --dry-run "$TMP/backup.csv"
t lanyard list --db "$DB" --status planned
finish
