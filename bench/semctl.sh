#!/bin/sh
# semctl against its peers: `run` (take, run true, give back) against
# flock(1) on a file; post and trywait against /bin/true (the hot-path
# rule); and the tests' contention race, 200 processes x 50 increments of
# a counter in a shmctl object, each inside `semctl run` or inside flock.
#
# BENCH_RACE_RUNS (default 2) sets the timed runs of each race, which take
# turns; 0 skips the race (on a 2-CPU virtual machine one run of each takes
# 2 to 5 minutes).
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

B=$IPCBOX_BIN
s=$(bench_name s)
t=$(bench_name t)
r=$(bench_name r)
ctr=$(bench_name ctr)
k=$(printf 'key:0x%x' $((0x1b5e0000 + $$ % 0x10000)))
lock=$BENCH_TMP/lock
race_runs=${BENCH_RACE_RUNS:-2}

bench_cleanup() {
	"$B" semctl rm -f "$s" "$t" "$r" "$k" >/dev/null 2>&1 || :
	"$B" shmctl rm -f "$ctr" >/dev/null 2>&1 || :
}

bench_say "semctl: one call, hyperfine -N (no shell), medians; ratio = our time / the peer's"
"$B" semctl create "$s" 1
: >"$lock"
bench_compare -g 1.0 "semctl run /s -- true" \
    "$B semctl run $s -- true" "flock FILE true" "flock $lock true"
bench_compare "semctl post /s" \
    "$B semctl post $s" /bin/true /bin/true
# Enough for every timed and warm-up run to take one without waiting.
"$B" semctl create "$t" 100000000
bench_compare "semctl trywait /s" \
    "$B semctl trywait $t" /bin/true /bin/true
bench_compare -g 1.0 "semctl run key:K -- true" \
    "$B semctl run $k --create 1 -- true" "flock FILE true" "flock $lock true"

# The race: each of 200 processes adds 1 fifty times to the counter, in
# one sh -c that reads and rewrites it, inside the lock; the run fails
# unless the counter ends at 10000.
"$B" shmctl create "$ctr" 16
"$B" semctl create "$r" 1
cat >"$BENCH_TMP/race.sh" <<'EOF'
# race.sh semctl|flock IPCBOX_BIN SEM LOCKFILE COUNTER
kind=$1 B=$2 sem=$3 lock=$4 file=/dev/shm$5
echo 0 >"$file"
for _ in $(seq 200); do
	if [ "$kind" = semctl ]; then
		set -- "$B" semctl run "$sem" --
	else
		set -- flock "$lock"
	fi
	sh -c 'f=$1; shift; for _ in $(seq 50); do
		"$@" sh -c "read -r n <$f; echo \$((n + 1)) >$f"
	done' sh "$file" "$@" &
done
wait
read -r n <"$file"
[ "$n" -eq 10000 ] || { echo "race: $kind: counter $n, not 10000" >&2; exit 1; }
EOF
[ "$race_runs" -gt 0 ] || exit 0
bench_say ""
bench_say "semctl: contention, 200 processes x 50 increments, each inside the lock; $race_runs runs each, medians"
bench_compare -r "$race_runs" -R "$race_runs" -w 0 "200x50 race, semctl run" \
    "sh $BENCH_TMP/race.sh semctl $B $r $lock $ctr" \
    "200x50 race, flock" "sh $BENCH_TMP/race.sh flock $B $r $lock $ctr"
