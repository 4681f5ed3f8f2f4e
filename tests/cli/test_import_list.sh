# Import the shapes real exports have and read them back through `list`.
. tests/cli/lib.sh
export PATH="$(dirname "$LANYARD_BIN"):$PATH"
t lanyard import --db "$DB" $D/conf-v1.csv
t lanyard list --db "$DB"
t lanyard list --db "$DB" --day 2022-05-18 --track Operations
t lanyard list --db "$DB" --day 2022-05-17
t lanyard list --db "$DB" --search "'red butt'"
t lanyard list --db "$DB" --search "zoe"
t lanyard import --db "$DB" $D/sessionize.csv
t lanyard list --db "$DB"
t lanyard list --db "$DB" --conf conf-v1 --day 2022-05-20
t lanyard import --db "$DB" --name excel $D/excel.csv
t lanyard list --db "$DB" --conf excel
t lanyard import --db "$DB" $D/sched.csv
t lanyard list --db "$DB" --conf sched
t lanyard import --db "$DB" $D/cp1252.csv
t lanyard list --db "$DB" --conf cp1252
t lanyard import --db "$DB" --dry-run --name dry $D/conf-v2.csv
t lanyard list --db "$DB" --conf dry
finish
