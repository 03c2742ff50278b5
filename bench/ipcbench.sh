#!/bin/sh
# ipcbench's pipe round trip against an independent C ping-pong
# (bench/pingpong.c: the same two pipes, fork, pinning and 100-byte
# messages, written apart from lib/bench.c), taking turns in one run, so
# that the ratio compares two figures taken under the same load.  Then
# ipcbench over every mechanism once, with the load average, for the
# README's table.
#
#   BENCH_IPCBENCH_ROUNDS (default 5000) round trips a turn,
#   BENCH_IPCBENCH_TURNS (default 5) turns each.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

B=$IPCBOX_BIN
n=${BENCH_IPCBENCH_ROUNDS:-5000}
turns=${BENCH_IPCBENCH_TURNS:-5}
peer=$BENCH_TMP/pingpong
# shellcheck disable=SC2086 # the flags are words
${BENCH_CC:-cc} ${BENCH_CFLAGS:--O2} -o "$peer" "$(dirname "$0")/pingpong.c" \
    ${BENCH_LDFLAGS:-}

# The median of the numbers on stdin.
median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

: >"$BENCH_TMP/ours"
: >"$BENCH_TMP/peer"
i=0
while [ "$i" -lt "$turns" ]; do
	"$B" ipcbench -m pipe -n "$n" --runs 1 -o RTT --raw | tail -n 1 |
	    awk '{ print $1 * 1000 }' >>"$BENCH_TMP/ours"
	"$peer" "$n" >>"$BENCH_TMP/peer"
	i=$((i + 1))
done
ours=$(median <"$BENCH_TMP/ours")
theirs=$(median <"$BENCH_TMP/peer")
bench_say "ipcbench: pipe round trip, 100 bytes, $turns turns of $n, medians of the turns' medians; ratio = our time / the peer's"
bench_say "$(awk -v o="$ours" -v p="$theirs" 'BEGIN {
	printf "ipcbench -m pipe  %.2f us   %.2fx C ping-pong (%.2f us)\n",
	    o / 1000, o / p, p / 1000 }')"
bench_say "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$B" ipcbench -n "$n" | while IFS= read -r line; do bench_say "$line"; done
