#!/bin/sh
# shmctl send / recv against a named pipe between two cats and a plain
# pipe: 1 GiB file to file, /dev/zero to /dev/null, and ten million short
# lines from seq; the futex calls each side made; peak RSS of both sides.
# The files are on /dev/shm (bench_source), so that the disk is not what
# is measured.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

B=$IPCBOX_BIN
r=$(bench_name ring)
out=/dev/shm/ipcbox-bench-$$-out
fifo=$BENCH_TMP/fifo

bench_cleanup() {
	"$B" shmctl unlink -f "$r" 2>/dev/null || :
	rm -f "$out"
}

mkfifo "$fifo"
bench_source
src=$bench_src
bytes=$bench_bytes
"$B" shmctl create "$r" 1M --ring

bench_say "shmctl send | recv through a 1 MiB ring, $bench_mib MiB, medians; ratio = our throughput / the peer's"
bench_compare -s -b "$bytes" -g 1.5 "send <FILE, recv >FILE" \
    "$B shmctl send $r <$src & $B shmctl recv $r >$out; wait" \
    "cat FILE >fifo, cat fifo >FILE" "cat $src >$fifo & cat $fifo >$out; wait" \
    "cat FILE | cat >FILE" "cat $src | cat >$out"
cmp "$src" "$out"
bench_compare -s -b "$bytes" "send </dev/zero, recv >/dev/null" \
    "head -c $bytes /dev/zero | $B shmctl send $r & $B shmctl recv $r >/dev/null; wait" \
    "the same through a fifo" "head -c $bytes /dev/zero >$fifo & cat $fifo >/dev/null; wait" \
    "the same through a pipe" "head -c $bytes /dev/zero | cat >/dev/null"
# seq's output is 78,888,897 bytes; the ratio is of times here.
lines=${BENCH_LINES:-10000000}
bench_compare -s -g 1.0 "seq $lines | send, recv" \
    "seq $lines | $B shmctl send $r & $B shmctl recv $r >/dev/null; wait" \
    "seq >fifo, cat fifo" "seq $lines >$fifo & cat $fifo >/dev/null; wait"

# How often each side slept and woke the other: strace counts the futex
# calls, against the reads and writes that move the bytes.
if command -v strace >/dev/null; then
	strace -f -c -o "$BENCH_TMP/st.send" -e trace=futex,read \
	    "$B" shmctl send "$r" <"$src" &
	strace -f -c -o "$BENCH_TMP/st.recv" -e trace=futex,write \
	    "$B" shmctl recv "$r" >"$out"
	wait
	for side in send recv; do
		bench_say "$(awk -v s="$side" '$NF == "futex" { f = $4 }
		    $NF == "read" || $NF == "write" { n = $4; c = $NF }
		    END { printf "%s: %d %s calls, %d futex calls\n", s, n, c, f }' \
		    "$BENCH_TMP/st.$side")"
	done
fi

"$B" shmctl send "$r" <"$src" &
bench_rss -o "$out" "shmctl recv >FILE (1 MiB ring)" 16 "$B" shmctl recv "$r"
wait
"$B" shmctl recv "$r" >"$out" &
bench_rss -i "$src" "shmctl send <FILE (1 MiB ring)" 16 "$B" shmctl send "$r"
wait
