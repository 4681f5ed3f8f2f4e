# A schedule imported from a URL and updated from its source: a local HTTP
# server (tests/cli/http_fixture.py) serves a schedule, then the same one
# (304: not read again), then a changed one, then an error (nothing
# changes). A conference imported from a file updates from that file.
. tests/cli/lib.sh
export PATH="$(dirname "$LANYARD_BIN"):$PATH"
WWW=$TMP/www
mkdir -p "$WWW"
cp $D/conf-v1.csv "$WWW/conf.csv"
python3 tests/cli/http_fixture.py "$WWW" "$TMP/port" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$TMP/port")
URL=http://127.0.0.1:$PORT/conf.csv

t lanyard import --db "$DB" "$URL"
t lanyard attend --db "$DB" K2 planned
# Unchanged: the server says 304 and nothing is read.
t lanyard import --db "$DB" --name conf
# The schedule changes: the update reports it and names the planned talk.
cp $D/conf-v2.csv "$WWW/conf.csv"
t lanyard import --db "$DB" --name conf
t lanyard list --db "$DB" --status planned
# The server fails: nothing changes, and the message says why.
echo 503 >"$WWW/conf.csv.status"
t lanyard import --db "$DB" --name conf
t lanyard list --db "$DB" --status planned
rm "$WWW/conf.csv.status"
# Gone, and nobody listening at all.
t lanyard import --db "$DB" --name missing http://127.0.0.1:$PORT/missing.csv
kill $SERVER
wait $SERVER 2>/dev/null
t lanyard import --db "$DB" --name conf
t lanyard list --db "$DB" --status planned
# Requests carried the validators of the last answer.
t cat "$WWW/requests.log"
# A conference from a file updates from that file, from any directory.
cp $D/conf-v1.csv "$TMP/local.csv"
t lanyard import --db "$DB" "$TMP/local.csv"
cp $D/conf-v2.csv "$TMP/local.csv"
t "cd / && lanyard import --db '$DB' --name local"
t lanyard import --db "$DB" --name nosuch
sed -i "s|127.0.0.1:$PORT|127.0.0.1:PORT|g" "$OUT"
finish
