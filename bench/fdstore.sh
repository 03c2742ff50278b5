#!/bin/sh
# fdstore: the price of the round trip to the holder, and gets on a
# loaded store.
#
# - `efd signal @ev` (connect, one request, an SCM_RIGHTS answer, then the
#   write) against `efd signal 3` (the write on an inherited eventfd),
#   both with the same start-up; the goal is 1.3x.
# - 1,000 sequential `fdstore get @eN -- true` on a store of 1,000
#   entries, against the same loop of `efd new -- true` (the same two
#   program starts, without the store) and of /bin/true: the time a
#   request, and what of it is the store's.  Three runs a loop, in three
#   rounds (BENCH_LOOP_RUNS, BENCH_LOOP_ROUNDS).
#
# The holder is started on a socket of this run (IPCBOX_FDSTORE) and
# stopped at the end.  BENCH_FDSTORE_ENTRIES (default 1000) sets the
# store's size and the loop's length.
set -eu
BENCH_EFD=1
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

B=$IPCBOX_BIN
n=${BENCH_FDSTORE_ENTRIES:-1000}
IPCBOX_FDSTORE=$BENCH_TMP/fdstore.sock
export IPCBOX_FDSTORE

bench_cleanup() {
	"$B" fdstore stop 2>/dev/null || :
}

"$B" fdstore serve --max $((n + 10))
"$B" efd create @ev

bench_say "fdstore: hyperfine -N (no shell), medians; ratio = our time / the peer's"
bench_compare -g 1.3 "efd signal @ev" "$B efd signal @ev" \
    "efd signal 3" "$B efd signal 3" /bin/true /bin/true

# The store, loaded: n entries, eventfds.
i=0
while [ "$i" -lt "$n" ]; do
	"$B" efd create "@e$i"
	i=$((i + 1))
done
loop() {
	echo "i=0; while [ \$i -lt $n ]; do $1; i=\$((i + 1)); done"
}
bench_compare -s -r "${BENCH_LOOP_RUNS:-3}" -w 0 -R "${BENCH_LOOP_ROUNDS:-3}" \
    "$n x fdstore get, $n entries" "$(loop "$B fdstore get @e\$i -- true")" \
    "$n x efd new -- true" "$(loop "$B efd new -- true")" \
    "$n x /bin/true" "$(loop /bin/true)"
# A request's time: the loop's median over n, and over the efd loop's.
jq -r --argjson n "$n" '
    .results | group_by(.command) | map({ c: .[0].command,
	m: (map(.times) | add | sort | .[length / 2 | floor]) }) |
    (map(select(.c | test("fdstore get"))) | .[0].m) as $get |
    (map(select(.c | test("efd new"))) | .[0].m) as $efd |
    (map(select(.c | test("/bin/true"))) | .[0].m) as $true |
    "fdstore get, a request:          \($get / $n * 1e6 | floor) us (efd new -- true: \($efd / $n * 1e6 | floor) us, /bin/true: \($true / $n * 1e6 | floor) us; the store adds \(($get - $efd) / $n * 1e6 | floor) us)"' \
    "$BENCH_TMP/hf.json" | while IFS= read -r line; do bench_say "$line"; done
