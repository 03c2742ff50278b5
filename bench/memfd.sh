#!/bin/sh
# memfd against cat: a 1 GiB memfd made from a file and handed to a
# command, against the same bytes copied into /dev/shm.
#
# The source is a file on tmpfs (BENCH_SRC_DIR, default /dev/shm), so both
# sides read the same bytes from memory; BENCH_SRC_DIR=/tmp measures a
# page-cache source.  BENCH_BULK_MIB (default 1024) sets the size.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

B=$IPCBOX_BIN
X=/dev/shm$(bench_name x)
mib=${BENCH_BULK_MIB:-1024}
bytes=$((mib * 1024 * 1024))
src=${BENCH_SRC_DIR:-/dev/shm}/ipcbox-bench-$$-src

bench_cleanup() {
	rm -f "$X" "$src"
}

bench_say "memfd: $mib MiB, source $src, medians; ratio = our throughput / the peer's"
head -c "${mib}M" /dev/urandom >"$src"
# cat writes into an empty /dev/shm file each time, as the memfd is new.
# The memfd's pages are freed when `true` exits, inside the timed run;
# cat's file is removed by the next prepare, outside it: the second peer
# removes its file too, the same work as ours.
bench_compare -s -b "$bytes" -p "rm -f $X" -g 1.0 \
    "memfd new --from FILE -- true" \
    "$B memfd new --from $src -- true" \
    "cat FILE >/dev/shm/x" "cat $src >$X" \
    "cat FILE >/dev/shm/x; rm" "cat $src >$X; rm -f $X"
bench_rss -o /dev/null "memfd new --from FILE -- true" 16 \
    "$B" memfd new --from "$src" -- true
