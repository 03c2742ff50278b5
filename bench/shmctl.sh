#!/bin/sh
# shmctl against its peers: one call (start-up plus a 4 KiB read or a small
# write) against /bin/true and cat, and a 1 GiB write and read against cat.
# The bulk source is bench_source's (lib.sh): a file on /dev/shm by default.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

B=$IPCBOX_BIN
x=$(bench_name x)
X=/dev/shm$x

bench_cleanup() {
	rm -f "$X"
}

bench_say "shmctl: one call, hyperfine -N (no shell), medians; ratio = our time / the peer's"
"$B" shmctl create "$x" 4096
head -c 4096 /dev/urandom | "$B" shmctl write "$x"
bench_compare "shmctl read /x -n 4096" \
    "$B shmctl read $x -n 4096" /bin/true /bin/true "cat /dev/shm/x" "cat $X"
bench_compare "shmctl write /x STRING" \
    "$B shmctl write $x STRING" /bin/true /bin/true
# stat reads /proc/PID/maps and /proc/PID/fd of every process for the
# holders: its time grows with what else runs.
npids=$(find /proc -maxdepth 1 -name '[0-9]*' | wc -l)
bench_compare "shmctl stat /x ($npids pids)" \
    "$B shmctl stat $x" /bin/true /bin/true

bench_source
src=$bench_src bytes=$bench_bytes
bench_say ""
bench_say "shmctl: $bench_mib MiB, source $src, medians; ratio = our throughput / the peer's"
# Every write starts from an empty object: removed, then made empty (cat's
# O_TRUNC of an empty file costs nothing, and both allocate every page).
prep="rm -f $X && $B shmctl create $x 0"
# cat (GNU coreutils 9.1 here) copies a file with copy_file_range too: both do
# the same kernel work, so the ratio sits near 1.0 and swings with load;
# twice the runs and rounds of the other lines steady its median.
bench_compare -s -b "$bytes" -p "$prep" -g 1.0 -r "${BENCH_RUNS:-30}" \
    -R "${BENCH_ROUNDS:-10}" "shmctl write /x --grow <FILE" \
    "$B shmctl write $x --grow <$src" "cat FILE >/dev/shm/x" "cat $src >$X"
bench_compare -s -b "$bytes" -g 1.0 "shmctl read /x >/dev/null" \
    "$B shmctl read $x >/dev/null" "cat /dev/shm/x >/dev/null" "cat $X >/dev/null"
bench_compare -s -b "$bytes" -p "$prep" -g 1.0 "cat FILE | shmctl write --grow" \
    "cat $src | $B shmctl write $x --grow" \
    "cat FILE | cat >/dev/shm/x" "cat $src | cat >$X"

rm -f "$X" && "$B" shmctl create "$x" 0
bench_rss -i "$src" "shmctl write --grow <FILE" 16 \
    "$B" shmctl write "$x" --grow
bench_rss -o /dev/null "shmctl read >/dev/null" 16 "$B" shmctl read "$x"
rm -f "$X" && "$B" shmctl create "$x" 0
# shellcheck disable=SC2002 # stdin a pipe, not the file, is the point
cat "$src" | bench_rss "cat FILE | shmctl write --grow" 16 \
    "$B" shmctl write "$x" --grow
