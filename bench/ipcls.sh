#!/bin/sh
# ipcls and the ls verbs at scale, against their peers:
#   - the holders: `ipcls -o +HOLDERS` and `shmctl ls -o +HOLDERS` with
#     5,000 then 20,000 POSIX objects and 300 sleeping processes that map
#     them: one scan, one walk of /proc, so the time per object must not
#     grow with the processes (it did: shmctl ls walked /proc once a row);
#   - 20,000 POSIX objects without holders against ls -l /dev/shm;
#   - 30,000 System V segments against lsipc -m and the kernel's own table
#     (cat /proc/sysvipc/shm, the floor), kernel.shmmni raised in this IPC
#     namespace (bench/run.sh runs every benchmark in a private one).
# Each line is followed by the time per object of each command.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

B=$IPCBOX_BIN
SIZES=${BENCH_IPCLS_SIZES:-5000 20000}
NSEG=${BENCH_IPCLS_SEGMENTS:-30000}
NPROC=${BENCH_IPCLS_PROCS:-300}
RUNS=${BENCH_IPCLS_RUNS:-30}
prefix=$(bench_name ipcls)
prefix=${prefix#/}
key0=$((0x1c000000 + ($$ % 0x1000) * 0x10000))
made=0
segs=0

# The objects, made and removed in one process each: 30,000 runs of
# shmctl create would take longer than the benchmark.
maker=$BENCH_TMP/ipcls-maker
cc -O -o "$maker" "$(dirname "$0")/maker.c"

bench_cleanup() {
	"$maker" sysv-rm "$key0" "$segs" 2>/dev/null || :
	rm -f /dev/shm/"$prefix"-*
}

# per_object N: the time per object of each command of the last
# bench_compare (its medians, from the same run).
per_object() {
	_line=$(jq -r --argjson n "$1" '
	    .results | (map(.command) | unique | length) as $m |
	    to_entries | group_by(.key % $m) | map(
		(map(.value.times) | add | sort |
		    if length % 2 == 1 then .[length / 2 | floor]
		    else (.[length / 2 - 1] + .[length / 2]) / 2 end) as $med |
		"\(.[0].value.command): \($med / $n * 1e9 | floor) ns") |
	    join(", ")' "$BENCH_TMP/hf.json")
	bench_say "    per object ($1): $_line"
}

# posix_to N: POSIX objects $prefix-0 .. $prefix-(N-1).
posix_to() {
	if [ "$made" -lt "$1" ]; then
		"$maker" posix "$prefix" "$made" "$1"
		made=$1
	fi
}

# The holders: $NPROC sleeping processes, each mapping one object.
posix_to "$NPROC"
bench_map_holders "$prefix" "$NPROC"

bench_say "ipcls: POSIX objects with their holders, $NPROC mapping processes" \
    "($npids in /proc), hyperfine -N, medians; ratio = our time / the peer's"
for n in $SIZES; do
	posix_to "$n"
	bench_compare -r "$RUNS" -w 3 -R 3 \
	    "ipcls -t posix-shm -o +HOLDERS, $n" \
	    "$B ipcls -t posix-shm -o +HOLDERS" \
	    "shmctl ls -o +HOLDERS" "$B shmctl ls -o +HOLDERS" \
	    "ipcls -t posix-shm" "$B ipcls -t posix-shm"
	per_object "$n"
done

n=$(echo "$SIZES" | awk '{ print $NF }')
bench_say ""
bench_say "ipcls: $n POSIX objects, no holders, hyperfine -N, medians; ratio = our time / the peer's"
bench_compare -r "$RUNS" -w 3 -R 3 -g 1.2 "ipcls -t posix-shm, $n" \
    "$B ipcls -t posix-shm" "ls -l /dev/shm" "ls -l /dev/shm" \
    "shmctl ls" "$B shmctl ls"
per_object "$n"

# The System V part alone: shmctl ls lists POSIX objects too.
bench_kill_holders
rm -f /dev/shm/"$prefix"-*

# kernel.shmmni is per IPC namespace: raising it here leaves the host's.
bench_say ""
bench_say "ipcls: $NSEG System V segments, hyperfine -N, medians; ratio = our time / the peer's"
if [ "$(cat /proc/sys/kernel/shmmni)" -lt "$NSEG" ]; then
	if [ -z "${IPCBOX_BENCH_NS:-}" ]; then
		bench_say "(skipped: kernel.shmmni is below $NSEG and this is not bench/run.sh's own IPC namespace)"
		exit 0
	fi
	echo "$NSEG" >/proc/sys/kernel/shmmni
fi
segs=$NSEG
"$maker" sysv "$key0" "$NSEG"
# The goal against lsipc: at least 3 times faster, a ratio of 0.33.
bench_compare -r "$RUNS" -w 3 -R 3 -g 0.33 "ipcls -t sysv-shm, $NSEG" \
    "$B ipcls -t sysv-shm" "lsipc -m" "lsipc -m" \
    "cat /proc/sysvipc/shm" "cat /proc/sysvipc/shm" \
    "shmctl ls" "$B shmctl ls"
per_object "$NSEG"
