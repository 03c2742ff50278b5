#!/bin/sh
# seqnum: the seeds' sequence number (pshm_seqnum_init, pshm_seqnum_get)
# from the shell.  A number lives in a shared-memory object; every process
# that reads and advances it does so holding a semaphore of value 1, so
# that no two updates interleave and none is lost:
#
#   init:  shmctl create /seq 16; write 100; semctl create /seq.lock 1
#   get:   semctl run /seq.lock -- sh -c 'read it; print it; add RUN'
#
# The first get runs with --trace (IPCBOX_TRACE=1, which the commands that
# `semctl run` starts inherit): every system call on stderr, the
# semaphore's and the object's.  Then three gets that each add to the
# number and hold the lock for a second start at once: they take turns,
# and the number ends 60 higher.  Every object is removed at exit.
#
#   IPCBOX_BIN=build/ipcbox sh demos/seqnum.sh [INITIAL]
set -eu

IPCBOX_BIN=${IPCBOX_BIN:-$(dirname "$0")/../build/ipcbox}
if ! [ -x "$IPCBOX_BIN" ]; then
	echo "seqnum: $IPCBOX_BIN: not built (run make, or set IPCBOX_BIN)" >&2
	exit 1
fi
INITIAL=${1:-100}
TAG=ipcbox-seqnum-$$
SEQ=/$TAG
LOCK=/$TAG.lock
START=$(date +%s)
export IPCBOX_BIN SEQ START

ipcbox() { "$IPCBOX_BIN" "$@"; }

cleanup() {
	ipcbox shmctl unlink -f "$SEQ"
	ipcbox semctl unlink -f "$LOCK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The seeds' pshm_seqnum_get NAME RUN-LENGTH, as one critical section: read
# the number (up to its NUL), print it, and with a RUN-LENGTH sleep a
# second ("make update slow") and write the number plus RUN-LENGTH.
# shellcheck disable=SC2016 # the inner shell expands them
get='n=$("$IPCBOX_BIN" shmctl read "$SEQ" --string)
echo "$1 (t+$(($(date +%s) - START))s): current value of sequence number: $n"
if [ "$2" -gt 0 ]; then
	sleep 1
	printf "%s\0" $((n + $2)) | "$IPCBOX_BIN" shmctl write "$SEQ"
	echo "$1: updated sequence number to $((n + $2))"
fi'

echo "# init: the number, $INITIAL, in a 16-byte object; the lock, a semaphore"
echo "# of value 1 (mode 0600, created exclusively)"
ipcbox shmctl create "$SEQ" 16
printf '%s\0' "$INITIAL" | ipcbox shmctl write "$SEQ"
ipcbox semctl --trace create "$LOCK" 1 2>&1
echo

echo "# get, traced: semctl takes the lock (sem_wait), starts the command,"
echo "# which opens, reads and closes the object, then gives the lock back"
echo "# (sem_post) once the command has ended"
IPCBOX_TRACE=1 ipcbox semctl run "$LOCK" -- sh -c "$get" sh get 0 2>&1
echo

echo "# three gets at once, adding 10, 20 and 30, each holding the lock for a"
echo "# second: one runs while the others wait in sem_wait, a second apart"
for run in 10 20 30; do
	ipcbox semctl run "$LOCK" -- sh -c "$get" sh "get+$run" "$run" &
done
sleep 0.5
echo "# meanwhile the lock reads 0, taken:"
ipcbox semctl ls -o NAME,VALUE | awk -v l="$LOCK" 'NR == 1 || $1 == l'
wait
echo

value=$(ipcbox shmctl read "$SEQ" --string)
echo "# the number ended at $value: $INITIAL + 10 + 20 + 30, none lost"
[ "$value" -eq $((INITIAL + 60)) ]
echo "# and the lock is free again, value $(ipcbox semctl get "$LOCK")"
