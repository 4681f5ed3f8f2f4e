# Faults: what the file system, another process or the schema can do to the
# database, and what lanyard says and leaves behind. Runs as root in CI:
# read-only cases use the immutable flag (chattr +i, which binds root too)
# and, for file modes, an unprivileged user (setpriv) when we are root.
. tests/cli/lib.sh
export PATH="$(dirname "$LANYARD_BIN"):$PATH"
trap 'chattr -R -i "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
umask 022
# New databases and their WAL files are private (0600), directories 0700.
t lanyard import --db "$TMP/new/dir/x.db" $D/conf-v1.csv '>/dev/null 2>&1'
t stat -c "'%a %n'" "$TMP/new" "$TMP/new/dir" "$TMP/new/dir/x.db"
t lanyard attend --db "$TMP/new/dir/x.db" K3 attended
t "(echo 'BEGIN IMMEDIATE; SELECT 1;'; sleep 1) | sqlite3 '$TMP/new/dir/x.db' & sleep 0.4; stat -c '%a %n' '$TMP/new/dir/x.db-wal' '$TMP/new/dir/x.db-shm'; wait"
# A read-only command creates nothing where nothing is.
t lanyard list --db "$TMP/none/dir/x.db"
t lanyard note --db "$TMP/none/x.db" K1
t ls "$TMP/none"
t lanyard list --db "$TMP/empty.db"
t ls "$TMP/empty.db"
# A read-only directory: the WAL files cannot be created; reading works,
# writes are refused with the reason, nothing changes.
t lanyard import --db "$TMP/ro/x.db" $D/conf-v1.csv '>/dev/null 2>&1'
t lanyard note --db "$TMP/ro/x.db" K3 "'before'"
cp "$TMP/ro/x.db" "$TMP/ro-copy.db"
chattr +i "$TMP/ro"
t lanyard list --db "$TMP/ro/x.db" --status attended
t lanyard note --db "$TMP/ro/x.db" K3
t lanyard note --db "$TMP/ro/x.db" K3 "'after'"
t lanyard attend --db "$TMP/ro/x.db" K2 planned
t lanyard import --db "$TMP/ro/x.db" --name conf-v1 $D/conf-v2.csv
chattr -i "$TMP/ro"
t cmp "$TMP/ro/x.db" "$TMP/ro-copy.db"
# An immutable database file.
chattr +i "$TMP/ro/x.db"
t lanyard note --db "$TMP/ro/x.db" K3
t lanyard rate --db "$TMP/ro/x.db" K3 5
chattr -i "$TMP/ro/x.db"
t cmp "$TMP/ro/x.db" "$TMP/ro-copy.db"
# A read-only file (mode 0444) for a user who cannot override it.
chmod 0444 "$TMP/ro/x.db"
chmod 0755 "$TMP" "$TMP/ro"
mkdir "$TMP/bin"
if [ "$(id -u)" = 0 ]; then
	printf '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"\n' >"$TMP/bin/as-user"
else
	printf '#!/bin/sh\nexec "$@"\n' >"$TMP/bin/as-user"
fi
chmod 0755 "$TMP/bin" "$TMP/bin/as-user"
export PATH="$TMP/bin:$PATH"
t as-user lanyard note --db "$TMP/ro/x.db" K3
t as-user lanyard attend --db "$TMP/ro/x.db" K2 planned
chmod 0700 "$TMP"
t cmp "$TMP/ro/x.db" "$TMP/ro-copy.db"
# Corrupt databases: random bytes, a real database cut to half its size.
# A clear message naming the file, exit 1, the file untouched.
head -c 65536 /dev/urandom >"$TMP/random.db"
cp "$TMP/random.db" "$TMP/random-copy.db"
t lanyard list --db "$TMP/random.db"
t lanyard import --db "$TMP/random.db" $D/conf-v1.csv
t cmp "$TMP/random.db" "$TMP/random-copy.db"
cp "$TMP/ro-copy.db" "$TMP/half.db"
truncate -s $(($(stat -c %s "$TMP/half.db") / 2)) "$TMP/half.db"
cp "$TMP/half.db" "$TMP/half-copy.db"
t lanyard list --db "$TMP/half.db"
t lanyard attend --db "$TMP/half.db" K2 planned
t cmp "$TMP/half.db" "$TMP/half-copy.db"
# Schema versions this lanyard did not write: refused, untouched.
cp "$TMP/ro-copy.db" "$TMP/v.db"
sqlite3 "$TMP/v.db" 'PRAGMA user_version = -1'
cp "$TMP/v.db" "$TMP/v-copy.db"
t lanyard list --db "$TMP/v.db"
t lanyard attend --db "$TMP/v.db" K2 planned
t cmp "$TMP/v.db" "$TMP/v-copy.db"
sqlite3 "$TMP/v.db" 'PRAGMA user_version = 99'
cp "$TMP/v.db" "$TMP/v-copy.db"
t lanyard list --db "$TMP/v.db"
t cmp "$TMP/v.db" "$TMP/v-copy.db"
# Another process holds the write lock: the command line waits, then says
# the database is busy; nothing changes.
cp "$TMP/ro-copy.db" "$TMP/lock.db"
(echo 'BEGIN IMMEDIATE; SELECT 1;'; sleep 8) | sqlite3 "$TMP/lock.db" >/dev/null &
lock=$!
sleep 0.5
t lanyard attend --db "$TMP/lock.db" K2 planned
t lanyard list --db "$TMP/lock.db" --status planned
kill $lock; wait $lock 2>/dev/null
# A file size limit (ulimit -f, RLIMIT_FSIZE): a message, not SIGXFSZ;
# the database as it was.
cp "$TMP/ro-copy.db" "$TMP/fsize.db"
awk 'BEGIN { print "id,title,date,start,end,abstract";
  for (i = 0; i < 3000; i++) printf "X%d,Talk %d,2022-05-18,10:00,11:00,%0400d\n", i, i, i }' >"$TMP/big.csv"
t "ulimit -f 200; lanyard import --db '$TMP/fsize.db' --name conf-v1 '$TMP/big.csv'"
head -c 400000 /dev/zero | tr '\0' x >"$TMP/long.txt"
t "ulimit -f 200; lanyard note --db '$TMP/fsize.db' K3 - <'$TMP/long.txt'"
t lanyard note --db "$TMP/fsize.db" K3
t lanyard list --db "$TMP/fsize.db" --status attended
# Where the database goes when the environment says little: LANYARD_DB
# empty falls back to the default; no HOME at all says what to set.
t "LANYARD_DB= lanyard import $D/sched.csv >/dev/null && ls '$HOME/.local/share/lanyard'"
t "env -u HOME LANYARD_DB= lanyard list"
t "env -u HOME XDG_DATA_HOME='$TMP/xdg' lanyard list"
# Usage errors exit 2 with "lanyard:" and a hint.
t lanyard import --db "$TMP/u.db" --first-day tomorrow $D/conf-v1.csv
t lanyard import --db "$TMP/u.db" --first-day 2022-13-01 $D/conf-v1.csv
t ls "$TMP/u.db"
# No terminal (standard input at end of file): the browser refuses at
# once, before importing or creating anything.
t timeout 10 lanyard --db "$TMP/tty.db" $D/conf-v1.csv
t ls "$TMP/tty.db"
t "timeout 10 lanyard --db '$TMP/tty.db' </dev/zero"
finish
