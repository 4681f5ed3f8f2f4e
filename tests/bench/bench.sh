#!/bin/sh
# make bench: lanyard against sqlite3's own CSV import of the same file, and
# the browser's first screen and per-key latency, all measured in this one
# run on this machine (ratios, since machines differ and are noisy).
#
#   BUILD   the optimised build (its lanyard and tests/bench_keys)
#   GEN     the schedule generator (../shared/tools/gen-schedule)
#   RUNS    tries per timing, best kept (default 3)
#
# Besides gen-schedule's files, tests/bench/gen-reinvent writes a schedule
# in the shape of a big vendor conference's catalog export: 2,431 sessions
# over six days, 702 on the busiest, 195 rooms.
set -eu
BUILD=${BUILD:-build-bench}
GEN=${GEN:-../shared/tools/gen-schedule}
RUNS=${RUNS:-3}
BIN=$(pwd)/$BUILD/lanyard
KEYS=$(pwd)/$BUILD/tests/bench_keys
RUNNER=$(pwd)/$BUILD/tests/bench_run
DATA=$BUILD/data
mkdir -p "$DATA"
export LANYARD_SRCDIR=$(pwd) LANYARD_BIN="$BIN" TZ=UTC LC_ALL=C.UTF-8
unset LANYARD_DB XDG_DATA_HOME LANYARD_NOW

[ -f "$DATA/s100k.csv" ] || "$GEN" --talks 100000 >"$DATA/s100k.csv"
[ -f "$DATA/s3k.csv" ] || "$GEN" --talks 3000 --days 4 >"$DATA/s3k.csv"
[ -f "$DATA/s250k.csv" ] || "$GEN" --talks 250000 >"$DATA/s250k.csv"
[ -f "$DATA/s1m.csv" ] || "$GEN" --talks 1000000 >"$DATA/s1m.csv"
[ "$DATA/reinvent.csv" -nt tests/bench/gen-reinvent ] || tests/bench/gen-reinvent >"$DATA/reinvent.csv"

# "SECONDS KB" of one command: wall time to the millisecond, peak RSS,
# measured by bench_run around the command alone (a /usr/bin/time and two
# date processes around it added some 8 ms, half the sample's import).
measure() {
	"$RUNNER" -- "$@" 2>"$DATA/err" || {
		cat "$DATA/err" >&2
		echo "bench: failed: $*" >&2
		exit 1
	}
}
# Keep the smaller of two "SECONDS KB" pairs, field by field.
best() { echo "$1 $2" | awk '{ printf "%s %s\n", ($1 < $3 ? $1 : $3), ($2 < $4 ? $2 : $4) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# 1. Import and re-import of 100k talks against sqlite3 .import, alternated.
none="999 999999999"
imp=$none; re=$none; raw=$none
i=0
while [ $i -lt "$RUNS" ]; do
	rm -f "$DATA/raw.db" "$DATA/100k.db" "$DATA/100k.db-wal" "$DATA/100k.db-shm"
	raw=$(best "$raw" "$(measure sqlite3 -cmd '.mode csv' "$DATA/raw.db" ".import $DATA/s100k.csv t")")
	imp=$(best "$imp" "$(measure "$BIN" import --db "$DATA/100k.db" "$DATA/s100k.csv")")
	re=$(best "$re" "$(measure "$BIN" import --db "$DATA/100k.db" "$DATA/s100k.csv")")
	i=$((i + 1))
done
# The sample takes milliseconds: ten tries.
sample=$none
i=0
while [ $i -lt 10 ]; do
	rm -f "$DATA/sample.db"*
	sample=$(best "$sample" "$(measure "$BIN" import --db "$DATA/sample.db" sample-data/kubecon-eu-2022.csv)")
	i=$((i + 1))
done

# Time and memory grow linearly with the file: 250,000 and 1,000,000 talks.
rm -f "$DATA/big.db"*
big250=$(measure "$BIN" import --db "$DATA/big.db" "$DATA/s250k.csv")
rm -f "$DATA/big.db"*
big1m=$(measure "$BIN" import --db "$DATA/big.db" "$DATA/s1m.csv")
rm -f "$DATA/big.db"*

# 2. The browser: 3,000 talks over four days (750 a day), and the 100k
# database (25,000 a day). A dozen talks planned on the day it opens on.
rm -f "$DATA/3k.db"*
"$BIN" import --db "$DATA/3k.db" "$DATA/s3k.csv" >/dev/null
busiest=$("$BIN" list --db "$DATA/3k.db" --day 2022-05-17 | awk 'END { print NR - 1 }')
for db in 3k 100k; do
	for k in $("$BIN" list --db "$DATA/$db.db" --day 2022-05-17 | awk -F'\t' 'NR > 1 && NR % 40 == 2 { print $1 }' | head -12); do
		"$BIN" attend --db "$DATA/$db.db" "$k" planned
	done
done
keys3k=$("$KEYS" 3k "$DATA/3k.db" "2022-05-17 10:10")
keys100k=$("$KEYS" 100k "$DATA/100k.db" "2022-05-17 10:10")

# The re:Invent-shaped schedule: its dates have no year ("Monday, December
# 1"), so the import is told the first day. The browser opens on Tuesday,
# the busiest day (702 sessions, about 75 at once), with a dozen planned;
# the search box gets a word its catalog is full of. Its keys are run RUNS
# times: the best of each figure, and the spread of the slowest key.
ri_imp=$none
i=0
while [ $i -lt "$RUNS" ]; do
	rm -f "$DATA/ri.db"*
	ri_imp=$(best "$ri_imp" "$(measure "$BIN" import --db "$DATA/ri.db" --first-day 2025-12-01 "$DATA/reinvent.csv")")
	i=$((i + 1))
done
ri_busiest=$("$BIN" list --db "$DATA/ri.db" --day 2025-12-02 | awk 'END { print NR - 1 }')
for k in $("$BIN" list --db "$DATA/ri.db" --day 2025-12-02 | awk -F'\t' 'NR > 1 && NR % 40 == 2 { print $1 }' | head -12); do
	"$BIN" attend --db "$DATA/ri.db" "$k" planned
done
ri_keys=
i=0
while [ $i -lt "$RUNS" ]; do
	ri_keys="$ri_keys$("$KEYS" ri "$DATA/ri.db" "2025-12-02 10:10" 520 bedrock)
"
	i=$((i + 1))
done
# The best of each figure over the runs, and the highest slowest key and
# slowest search keystroke.
ri_best=$(printf '%s' "$ri_keys" | awk '
	{ for (f = 2; f <= NF; f++) if (NR == 1 || $f < b[f]) b[f] = $f
	  if (NR == 1 || $5 > hi) hi = $5
	  if (NR == 1 || $8 > shi) shi = $8 }
	END { printf "%s %s %s %s %s %s %s %s %s %s %s", b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], hi, shi }')
ri_list=$none
i=0
while [ $i -lt "$RUNS" ]; do
	ri_list=$(best "$ri_list" "$(measure "$BIN" list --db "$DATA/ri.db")")
	i=$((i + 1))
done

# 3. list and search at 100k.
list=$none; search=$none
i=0
while [ $i -lt "$RUNS" ]; do
	list=$(best "$list" "$(measure "$BIN" list --db "$DATA/100k.db")")
	search=$(best "$search" "$(measure "$BIN" list --db "$DATA/100k.db" --search etcd)")
	i=$((i + 1))
done
found=$("$BIN" list --db "$DATA/100k.db" --search etcd | wc -l)

# The table.
set -- $imp; imp_s=$1 imp_kb=$2
set -- $re; re_s=$1 re_kb=$2
set -- $raw; raw_s=$1 raw_kb=$2
set -- $sample; sample_s=$1
set -- $keys3k; k3_first=$2 k3_p50=$3 k3_p99=$4 k3_max=$5 k3_n=$6 k3_s50=$7 k3_smax=$8 k3_sn=$9
shift 9; k3_rss=$1
set -- $keys100k; k1_first=$2 k1_p50=$3 k1_p99=$4 k1_max=$5 k1_n=$6 k1_s50=$7 k1_smax=$8 k1_sn=$9
shift 9; k1_rss=$1
set -- $list; list_s=$1 list_kb=$2
set -- $big250; big250_s=$1 big250_kb=$2
set -- $big1m; big1m_s=$1 big1m_kb=$2
set -- $search; search_s=$1
set -- $ri_imp; ri_imp_s=$1 ri_imp_kb=$2
set -- $ri_best; ri_first=$1 ri_p50=$2 ri_p99=$3 ri_max=$4 ri_n=$5 ri_s50=$6 ri_smax=$7 ri_sn=$8
shift 8; ri_rss=$1 ri_maxhi=$2 ri_smaxhi=$3
set -- $ri_list; ri_list_s=$1 ri_list_kb=$2
ms() { awk -v s="$1" 'BEGIN { printf "%.0f ms", s * 1000 }'; }
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "lanyard bench — $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $cpu"
echo
printf '| %-52s | %-22s | %-12s |\n' "measure" "result" "target"
printf '|%s|%s|%s|\n' "------------------------------------------------------" "------------------------" "--------------"
printf '| %-52s | %-22s | %-12s |\n' \
	"sqlite3 .import of 100k talks (87 MB)" "${raw_s} s, ${raw_kb} KB" "reference" \
	"import 100k talks" "${imp_s} s ($(ratio "$imp_s" "$raw_s")x), ${imp_kb} KB" "<= 2.0x, 64 MB" \
	"re-import 100k talks, unchanged" "${re_s} s ($(ratio "$re_s" "$raw_s")x), ${re_kb} KB" "<= 3.0x" \
	"import the sample schedule (194 talks)" "$(awk -v s="$sample_s" 'BEGIN { printf "%.0f ms", s * 1000 }')" "< 20 ms" \
	"import 250,000 talks" "${big250_s} s, ${big250_kb} KB" "linear" \
	"import 1,000,000 talks" "${big1m_s} s, ${big1m_kb} KB" "linear" \
	"browser, 3k talks ($busiest in a day): first screen" "${k3_first} ms" "< 100 ms" \
	"browser, 3k talks: key p50 / p99 / max ($k3_n keys)" "$k3_p50 / $k3_p99 / $k3_max ms" "p99 < 16 ms" \
	"browser, 3k talks: search keystroke p50 / max ($k3_sn)" "$k3_s50 / $k3_smax ms" "< 50 ms" \
	"browser, 3k talks: peak RSS" "${k3_rss} KB" "< 32 MB" \
	"browser, 100k talks: first screen" "${k1_first} ms" "< 100 ms" \
	"browser, 100k talks: key p50 / p99 / max ($k1_n keys)" "$k1_p50 / $k1_p99 / $k1_max ms" "p99 < 16 ms" \
	"browser, 100k talks: search keystroke p50 / max ($k1_sn)" "$k1_s50 / $k1_smax ms" "< 50 ms" \
	"browser, 100k talks: peak RSS" "${k1_rss} KB" "< 32 MB" \
	"lanyard list, 100k talks" "${list_s} s, ${list_kb} KB" "about 1 s" \
	"lanyard list --search etcd, 100k ($((found - 1)) rows)" "${search_s} s" "about 1 s" \
	"import re:Invent-shaped 2,431 sessions" "$(ms "$ri_imp_s"), ${ri_imp_kb} KB" "-" \
	"browser, re:Invent-shaped 2,431 ($ri_busiest in a day): first screen" "${ri_first} ms" "< 100 ms" \
	"browser, re:Invent-shaped: key p50 / p99 / max ($ri_n keys)" "$ri_p50 / $ri_p99 / $ri_max ms (max $ri_max-$ri_maxhi in $RUNS runs)" "max < 16 ms" \
	"browser, re:Invent-shaped: search keystroke p50 / max ($ri_sn)" "$ri_s50 / $ri_smax ms (max $ri_smax-$ri_smaxhi)" "< 16 ms" \
	"browser, re:Invent-shaped: peak RSS" "${ri_rss} KB" "< 32 MB" \
	"lanyard list, re:Invent-shaped 2,431" "$(ms "$ri_list_s"), ${ri_list_kb} KB" "< 100 ms"
