#!/bin/sh
# ipcls --usage against what an operator runs today to find where
# /dev/shm went: du -s /dev/shm (the named files' blocks) then
# lsof +L1 /dev/shm (the deleted files that processes hold open).
# 5,000 POSIX objects of one page each, 300 processes: 250 map a named
# object, 25 map an object they then unlinked, 25 hold a descriptor to one
# they unlinked.  du sees none of the 50 deleted ones; lsof +L1 /dev/shm
# lists the 25 held by a descriptor with their size and the 25 mapped ones
# as DEL lines with none; ipcls --usage counts all 50 with their memory.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

B=$IPCBOX_BIN
NOBJ=${BENCH_USAGE_OBJECTS:-5000}
NPROC=${BENCH_USAGE_PROCS:-300}
RUNS=${BENCH_USAGE_RUNS:-10}
prefix=$(bench_name usage)
prefix=${prefix#/}
pids=

command -v lsof >/dev/null 2>&1 || {
	echo "bench: lsof is missing: sh tests/deps.sh lsof" >&2
	exit 1
}

bench_cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || :
	done
	rm -f /dev/shm/"$prefix"-*
}

# The objects: a page each, written by the shell itself (no process each).
page=$(printf '%4096s' '')
i=0
while [ "$i" -lt "$NOBJ" ]; do
	printf '%s' "$page" >"/dev/shm/$prefix-$i"
	i=$((i + 1))
done

holder=$BENCH_TMP/usage-holder
cc -O -o "$holder" "$(dirname "$0")/../tests/ipcls-holder.c"
ndel=$((NPROC / 12))
i=0
while [ "$i" -lt "$NPROC" ]; do
	if [ "$i" -lt "$ndel" ]; then
		set -- fill "/$prefix-del-$i" 4096 unlink "/$prefix-del-$i"
	elif [ "$i" -lt $((2 * ndel)) ]; then
		set -- fill-fd "/$prefix-del-$i" 4096 unlink "/$prefix-del-$i"
	else
		set -- shm-map "/$prefix-$i"
	fi
	"$holder" "$@" >"$BENCH_TMP/h.$i" 2>&1 </dev/null &
	pids="$pids $!"
	i=$((i + 1))
done
i=0
until [ "$(cat "$BENCH_TMP"/h.* | grep -c '^ready$')" -eq "$NPROC" ]; do
	i=$((i + 1))
	[ "$i" -lt 1000 ] || { echo "bench: the holders did not start" >&2; exit 1; }
	sleep 0.01
done
npids=$(find /proc -maxdepth 1 -name '[0-9]*' 2>/dev/null | wc -l)

# What each finds of the deleted ones.
ours=$("$B" ipcls --usage -t posix-shm | sed -n 's/.* in \([0-9]*\) objects\{0,1\} with no name left/\1/p')
theirs=$(lsof -nP +L1 /dev/shm 2>/dev/null | grep -c "$prefix-del-" || :)
bench_say "ipcls --usage: $NOBJ objects of a page, $NPROC holders ($npids processes" \
    "in /proc), $((2 * ndel)) objects deleted while held"
bench_say "    deleted objects found: ipcls --usage ${ours:-0}, lsof +L1 $theirs, du 0"
bench_compare -s -r "$RUNS" -w 2 -R 2 -g 1.0 "ipcls --usage" \
    "$B ipcls --usage >/dev/null" \
    "du -s /dev/shm; lsof +L1 /dev/shm" \
    "du -s /dev/shm >/dev/null; lsof -nP +L1 /dev/shm >/dev/null 2>&1"
bench_compare -s -r "$RUNS" -w 2 -R 2 "ipcls --usage --by process" \
    "$B ipcls --usage --by process >/dev/null" \
    "du -s /dev/shm; lsof +L1 /dev/shm" \
    "du -s /dev/shm >/dev/null; lsof -nP +L1 /dev/shm >/dev/null 2>&1"
