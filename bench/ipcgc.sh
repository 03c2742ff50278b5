#!/bin/sh
# ipcgc against what an operator scripts today to clean up shared memory:
#
#   lsof -nP -Fn /dev/shm | sed -n 's/^n//p' | sort -u >held
#   find /dev/shm -type f | sort | comm -23 - held | xargs -r rm -f
#   ipcs -m | awk '$6 == 0 { printf "-m %s ", $2 }' | xargs -r ipcrm
#
# (POSIX: the files no process has open or mapped; System V: the segments
# with no attachment.)  The script is the weaker rule: it would also take
# an object nothing uses right now whose owner still runs (a program
# between two runs, a pool a server maps only when busy), which ipcgc
# keeps, and it knows nothing of semaphores, queues or waiters.  Here
# every unused object is an orphan (uid 4242, no process of that user),
# so both find the same ones and the figures compare the same work.
#
# BENCH_IPCGC_OBJECTS POSIX objects (default 5,000) and BENCH_IPCGC_SEGMENTS
# System V segments (1,000) made as uid 4242 by a process that is gone;
# BENCH_IPCGC_PROCS (300) processes of root that each map one more object
# of root's (in use: neither may take it).  First the dry run (ipcgc
# without --yes against the script without rm and ipcrm: what each would
# remove), then the removal, the orphans made again before every run.
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

B=$IPCBOX_BIN
NOBJ=${BENCH_IPCGC_OBJECTS:-5000}
NSEG=${BENCH_IPCGC_SEGMENTS:-1000}
NPROC=${BENCH_IPCGC_PROCS:-300}
RUNS=${BENCH_IPCGC_RUNS:-20}
GONE=4242
prefix=$(bench_name ipcgc)
prefix=${prefix#/}
key0=$((0x1d000000 + ($$ % 0x1000) * 0x10000))

if [ "$(id -u)" -ne 0 ]; then
	echo "bench: ipcgc.sh runs as root (orphans of another user)" >&2
	exit 1
fi
command -v lsof >/dev/null 2>&1 || {
	echo "bench: lsof is missing: sh tests/deps.sh lsof" >&2
	exit 1
}
if ps -u "$GONE" >/dev/null 2>&1; then
	echo "bench: uid $GONE runs processes: its objects would not be orphans" >&2
	exit 1
fi

maker=$BENCH_TMP/ipcgc-maker
cc -O -o "$maker" "$(dirname "$0")/maker.c"
chmod 755 "$BENCH_TMP" # uid $GONE runs the maker from there

bench_cleanup() {
	"$maker" sysv-rm "$key0" "$NSEG" 2>/dev/null || :
	rm -f /dev/shm/"$prefix"-*
}

# The orphans, made again before each removal run.
orphans="setpriv --reuid=$GONE --regid=$GONE --clear-groups sh -c '$maker posix $prefix-gone 0 $NOBJ && $maker sysv $key0 $NSEG'"
sh -c "$orphans"

# The held objects, one per holder.
"$maker" posix "$prefix-held" 0 "$NPROC"
bench_map_holders "$prefix-held" "$NPROC"

held=$BENCH_TMP/held
peer_list="lsof -nP -Fn /dev/shm 2>/dev/null | sed -n 's/^n//p' | sort -u >$held; find /dev/shm -type f | sort | comm -23 - $held; ipcs -m | awk '\$6 == 0 { print \$2 }'"
peer_rm="lsof -nP -Fn /dev/shm 2>/dev/null | sed -n 's/^n//p' | sort -u >$held; find /dev/shm -type f | sort | comm -23 - $held | xargs -r rm -f; ipcs -m | awk '\$6 == 0 { printf \"-m %s \", \$2 }' | xargs -r ipcrm"

# Both must find every orphan and nothing else.
ours=$("$B" ipcgc -t posix-shm,sysv-shm | grep -c '^would remove ' || :)
theirs=$(sh -c "$peer_list" | wc -l)
bench_say "ipcgc: $NOBJ POSIX objects and $NSEG System V segments orphaned," \
    "$NPROC held by mapping processes ($npids in /proc)"
bench_say "    orphans found: ipcgc $ours, lsof+find+ipcs $theirs" \
    "(want $((NOBJ + NSEG)))"
if [ "$ours" -ne $((NOBJ + NSEG)) ] || [ "$theirs" -ne $((NOBJ + NSEG)) ]; then
	echo "bench: ipcgc.sh: the two do not find the same orphans" >&2
	exit 1
fi

bench_compare -s -r "$RUNS" -w 2 -R 2 "ipcgc (dry run)" \
    "$B ipcgc -t posix-shm,sysv-shm >/dev/null" \
    "lsof+find+ipcs (list)" "{ $peer_list; } >/dev/null"
bench_compare -s -p "$orphans" -r "$RUNS" -w 2 -R 2 "ipcgc --yes" \
    "$B ipcgc -t posix-shm,sysv-shm --yes >/dev/null" \
    "lsof+find+ipcs | rm, ipcrm" "{ $peer_rm; } >/dev/null"

# Each removal run removed every orphan and kept every held object.
left=$(find /dev/shm -name "$prefix-gone-*" | wc -l)
kept=$(find /dev/shm -name "$prefix-held-*" | wc -l)
if [ "$left" -ne 0 ] || [ "$kept" -ne "$NPROC" ]; then
	echo "bench: ipcgc.sh: after the runs $left orphans left, $kept of $NPROC held objects" >&2
	exit 1
fi
