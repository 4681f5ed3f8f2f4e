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
t lanyard import --db "$DB" --dry-run --date 2023-11-04 $T/security-oneday.csv
t lanyard import --db "$DB" --dry-run --column title=fullname --column speakers=title $T/neuro-agenda.csv
t lanyard import --db "$DB" --dry-run --column title=Headline $T/neuro-agenda.csv
t lanyard import --db "$DB" --dry-run --column colour=room $T/neuro-agenda.csv
t lanyard import --db "$DB" --dry-run --column title $T/neuro-agenda.csv
# Nothing was written: not even a database file.
t lanyard list --db "$DB"
finish
