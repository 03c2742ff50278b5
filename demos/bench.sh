#!/bin/sh
# bench: what a round trip between two processes costs, measured here,
# and why: a pipe and a futex put the waiting side to sleep and must wake
# it, a spin flag keeps it running.  Three runs of ipcbench:
#
#   1. pipe, futex and spin with each side on a CPU of its own;
#   2. the same with both on one CPU (taskset), where waking is cheap and
#      spinning is useless: the spinner must give the CPU up;
#   3. --trace of the System V queue: how its objects are made and
#      removed (the timed loop is not traced).
#
#   IPCBOX_BIN=build/ipcbox sh demos/bench.sh [ROUNDS]
set -eu

IPCBOX_BIN=${IPCBOX_BIN:-$(dirname "$0")/../build/ipcbox}
if ! [ -x "$IPCBOX_BIN" ]; then
	echo "bench: $IPCBOX_BIN: not built (run make, or set IPCBOX_BIN)" >&2
	exit 1
fi
ROUNDS=${1:-500}

say() { printf '\n== %s\n' "$*"; }

say "pipe, futex and spin, 100-byte messages, $ROUNDS round trips x 3 runs"
"$IPCBOX_BIN" ipcbench -m pipe,futex,spin -n "$ROUNDS" -o MECH,KIND,RTT,P99
echo "RTT is in microseconds.  pipe and futex sleep and are woken by the"
echo "other side; spin polls shared memory and never sleeps."

if command -v taskset >/dev/null 2>&1; then
	cpu=$(taskset -pc $$ | sed 's/.*: //; s/[,-].*//')
	say "the same with both sides on CPU $cpu"
	taskset -c "$cpu" "$IPCBOX_BIN" ipcbench -m pipe,futex,spin \
	    -n "$ROUNDS" -o MECH,KIND,RTT,P99
	echo "On one CPU the wake-up is a switch on the same CPU, and the"
	echo "spinner can only wait by giving the CPU up (sched_yield)."
fi

say "how the System V queue is made and removed (--trace)"
"$IPCBOX_BIN" --trace ipcbench -m smq -n 10 --runs 1 -o MECH,RTT 2>&1
