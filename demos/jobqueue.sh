#!/bin/sh
# jobqueue: a producer and four workers around one POSIX message queue,
# the shell version of a work queue with priorities:
#
#   producer: send each job, urgent ones at a higher priority, then one
#             "quit" for each worker (at the lowest priority: last)
#   worker:   take a job (the highest priority first, waiting while there
#             is none), run it, until "quit"
#
# The queue holds at most 4 jobs: the producer waits while it is full, so
# it never runs ahead of the workers by more than that.  The first job
# is traced (IPCBOX_TRACE=1): every system call of its send and of the
# recv that takes it, on stderr.  The queue is removed at exit.
#
#   IPCBOX_BIN=build/ipcbox sh demos/jobqueue.sh [JOBS]
set -eu

IPCBOX_BIN=${IPCBOX_BIN:-$(dirname "$0")/../build/ipcbox}
if ! [ -x "$IPCBOX_BIN" ]; then
	echo "jobqueue: $IPCBOX_BIN: not built (run make, or set IPCBOX_BIN)" >&2
	exit 1
fi
JOBS=${1:-12}
Q=/ipcbox-jobqueue-$$
LOG=$(mktemp "${TMPDIR:-/tmp}/ipcbox-jobqueue.XXXXXX")
export IPCBOX_BIN Q LOG

mqctl() { "$IPCBOX_BIN" mqctl "$@"; }

cleanup() {
	mqctl unlink -f "$Q"
	rm -f "$LOG" "$LOG.first"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "# the queue: at most 4 jobs of at most 256 bytes"
mqctl create "$Q" --maxmsg 4 --msgsize 256

# shellcheck disable=SC2016 # the worker's shell expands them
worker='
	mqctl() { "$IPCBOX_BIN" mqctl "$@"; }
	while :; do
		# The first job taken is traced: the worker that finds the
		# flag file takes it away first.
		if rm "$LOG.first" 2>/dev/null; then
			job=$(IPCBOX_TRACE=1 mqctl recv -v "$Q") || exit 1
		else
			job=$(mqctl recv -v "$Q") || exit 1
		fi
		prio=${job%% *} job=${job#* }
		[ "$job" = quit ] && exit 0
		sh -c "$job" >/dev/null
		echo "worker $1: priority $prio: $job" >>"$LOG"
	done'

: >"$LOG.first"
for w in 1 2 3 4; do
	sh -c "$worker" worker "$w" &
done

echo "# the producer: $JOBS jobs, every third one urgent (priority 9)"
i=1
while [ "$i" -le "$JOBS" ]; do
	if [ $((i % 3)) -eq 0 ]; then prio=9; else prio=1; fi
	if [ "$i" -eq 1 ]; then
		echo "# job 1, traced:"
		IPCBOX_TRACE=1 mqctl send "$Q" -p "$prio" "sleep 0.1; echo job $i"
	else
		mqctl send "$Q" -p "$prio" "sleep 0.1; echo job $i"
	fi
	i=$((i + 1))
done
for w in 1 2 3 4; do
	mqctl send "$Q" -p 0 quit
done
wait
echo "# what the workers did, in the order they finished:"
cat "$LOG"
mqctl stat "$Q" | grep '^messages:'
