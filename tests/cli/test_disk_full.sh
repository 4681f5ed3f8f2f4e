# A full disk (a 1 MB tmpfs holding the database): an import that does not
# fit and takeaways that do not fit fail with a clear message naming the
# database, exit 1, and leave the database exactly as it was. Needs root to
# mount the tmpfs (as CI is); elsewhere it says so and checks nothing. (The
# browser's side of a failing write is in tests/screen/test_safety.c.)
. tests/cli/lib.sh
export PATH="$(dirname "$LANYARD_BIN"):$PATH"
full=$TMP/full
mkdir -p "$full"
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=1m,mode=0700 tmpfs "$full" 2>/dev/null; then
	echo "disk_full: skipped (mounting a tmpfs needs root)"
	exit 0
fi
trap 'umount "$full" 2>/dev/null; rm -rf "$TMP"' EXIT
fail=0
check() { # check WHAT COND...
	what=$1
	shift
	if ! "$@"; then
		echo "disk_full: $what"
		fail=1
	fi
}
db=$full/lanyard.db
lanyard import --db "$db" $D/conf-v1.csv >/dev/null 2>&1 || { echo "disk_full: the small import failed"; exit 1; }
lanyard attend --db "$db" --conf conf-v1 K3 attended
lanyard note --db "$db" --conf conf-v1 K3 "Big red button: halt all rollouts."
lanyard list --db "$db" >"$TMP/before"
lanyard note --db "$db" --conf conf-v1 K3 >"$TMP/note-before"
# 2,000 talks with long abstracts: about 3 MB, more than the disk holds.
awk 'BEGIN { print "id,title,date,start,end,abstract";
  for (i = 0; i < 2000; i++) { printf "B%d,Big talk %d,2022-05-19,10:00,10:30,", i, i;
    for (j = 0; j < 30; j++) printf "filler%d ", i * 31 + j; printf "\n" } }' >"$TMP/big.csv"
lanyard import --db "$db" --name big "$TMP/big.csv" >/dev/null 2>"$TMP/err"
rc=$?
check "a full disk: import exit $rc, not 1" [ "$rc" -eq 1 ]
check "the message does not name the database: $(cat "$TMP/err")" grep -q "$db" "$TMP/err"
check "the message does not say the disk is full: $(cat "$TMP/err")" grep -qi "full" "$TMP/err"
lanyard list --db "$db" >"$TMP/after"
check "the failed import changed the database" cmp -s "$TMP/before" "$TMP/after"
check "the conference 'big' exists after a failed import" \
	sh -c "! lanyard list --db '$db' --conf big >/dev/null 2>&1"
# Takeaways that do not fit: refused, the old ones kept.
head -c 2000000 /dev/zero | tr '\0' 'n' >"$TMP/long.txt"
lanyard note --db "$db" --conf conf-v1 K3 - <"$TMP/long.txt" 2>"$TMP/err"
rc=$?
check "a note on a full disk: exit $rc, not 1" [ "$rc" -eq 1 ]
check "the note's message does not name the database: $(cat "$TMP/err")" grep -q "$db" "$TMP/err"
lanyard note --db "$db" --conf conf-v1 K3 >"$TMP/note-after"
check "the takeaways changed on a full disk" cmp -s "$TMP/note-before" "$TMP/note-after"
exit $fail
