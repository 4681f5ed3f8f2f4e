# Where the database lives: --db, else $LANYARD_DB, else XDG, else ~/.local/share.
. tests/cli/lib.sh
export PATH="$(dirname "$LANYARD_BIN"):$PATH"
t lanyard import $D/sched.csv
t ls "$HOME/.local/share/lanyard"
t XDG_DATA_HOME="$TMP/xdg" lanyard import $D/sched.csv
t ls "$TMP/xdg/lanyard"
t LANYARD_DB="$TMP/env.db" lanyard import --name from-env $D/sched.csv
t LANYARD_DB="$TMP/env.db" lanyard list --conf from-env
t LANYARD_DB="$TMP/env.db" lanyard list --db "$TMP/flag.db"
finish
