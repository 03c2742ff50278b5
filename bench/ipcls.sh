#!/bin/sh
# ipcls against its peers: 2,000 System V segments against the kernel's
# own table (cat /proc/sysvipc/shm, the floor) and lsipc -m; 5,000 POSIX
# objects against ls -l /dev/shm; then what the HOLDERS column costs with
# 300 sleeping processes that map objects.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

B=$IPCBOX_BIN
NSEG=${BENCH_IPCLS_SEGMENTS:-2000}
NOBJ=${BENCH_IPCLS_OBJECTS:-5000}
NPROC=${BENCH_IPCLS_PROCS:-300}
RUNS=${BENCH_IPCLS_RUNS:-200}
prefix=$(bench_name ipcls)
prefix=${prefix#/}
key0=$((0x1c000000 + ($$ % 0x1000) * 0x1000))
pids=

bench_cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || :
	done
	i=0
	while [ "$i" -lt "$NSEG" ]; do
		ipcrm -M "$((key0 + i))" 2>/dev/null || :
		i=$((i + 1))
	done
	rm -f /dev/shm/"$prefix"-*
}

bench_say "ipcls: $NSEG System V segments, hyperfine -N, medians; ratio = our time / the peer's"
i=0
while [ "$i" -lt "$NSEG" ]; do
	"$B" shmctl create "key:$((key0 + i))" 4096 >/dev/null
	i=$((i + 1))
done
bench_compare -r "$RUNS" -w 20 -g 1.5 "ipcls -t sysv-shm" \
    "$B ipcls -t sysv-shm" "cat /proc/sysvipc/shm" "cat /proc/sysvipc/shm"
# The goal against lsipc: at least 3 times faster, a ratio of 0.33.
bench_compare -r "$RUNS" -w 20 -g 0.33 "ipcls -t sysv-shm" \
    "$B ipcls -t sysv-shm" "lsipc -m" "lsipc -m"

bench_say ""
bench_say "ipcls: $NOBJ POSIX objects, hyperfine -N, medians; ratio = our time / the peer's"
i=0
while [ "$i" -lt "$NOBJ" ]; do
	: >"/dev/shm/$prefix-$i"
	i=$((i + 1))
done
bench_compare -r "$RUNS" -w 20 -g 1.2 "ipcls -t posix-shm" \
    "$B ipcls -t posix-shm" "ls -l /dev/shm" "ls -l /dev/shm"

# The holders: $NPROC sleeping processes, each mapping one object (the
# test suite's holder program), and the cost of -o +HOLDERS over the same
# listing without it.
holder=$BENCH_TMP/ipcls-holder
cc -O -o "$holder" "$(dirname "$0")/../tests/ipcls-holder.c"
i=0
while [ "$i" -lt "$NPROC" ]; do
	"$holder" shm-map "/$prefix-$i" >/dev/null 2>&1 </dev/null &
	pids="$pids $!"
	i=$((i + 1))
done
# Wait until the last one maps its object.
i=0
until grep -q "/$prefix-$((NPROC - 1))\$" "/proc/$!/maps" 2>/dev/null; do
	i=$((i + 1))
	[ "$i" -lt 500 ] || break
	sleep 0.01
done
npids=$(find /proc -maxdepth 1 -name '[0-9]*' | wc -l)
bench_compare -r "$RUNS" -w 20 \
    "ipcls -t posix-shm -o +HOLDERS ($npids pids)" \
    "$B ipcls -t posix-shm -o +HOLDERS" \
    "ipcls -t posix-shm" "$B ipcls -t posix-shm" \
    "ls -l /dev/shm" "ls -l /dev/shm"
