#!/bin/sh
# notify: a writer and a reader share data through a shared-memory object,
# take turns under a lock, and wake each other with eventfds, instead of
# polling; the shell version of the writer/reader lab:
#
#   writer: lock, update the data, unlock, signal "ready"; wait for "done"
#   reader: wait for "ready"; lock, read the data, unlock; signal "done"
#
# The data is a POSIX object (shmctl), the lock a POSIX semaphore of value
# 1 (semctl run holds it while a command runs), and the wake-ups are two
# eventfds that `efd new` makes and both processes inherit at fds 3 and 4.
# The first round runs with --trace (IPCBOX_TRACE=1): every system call on
# stderr.  "quit" ends the reader; every object is removed at exit.
#
#   IPCBOX_BIN=build/ipcbox sh demos/notify.sh [ROUNDS]
set -eu

IPCBOX_BIN=${IPCBOX_BIN:-$(dirname "$0")/../build/ipcbox}
if ! [ -x "$IPCBOX_BIN" ]; then
	echo "notify: $IPCBOX_BIN: not built (run make, or set IPCBOX_BIN)" >&2
	exit 1
fi
ROUNDS=${1:-3}
TAG=ipcbox-notify-$$
DATA=/$TAG
LOCK=/$TAG.lock
export IPCBOX_BIN DATA LOCK ROUNDS

ipcbox() { "$IPCBOX_BIN" "$@"; }

cleanup() {
	ipcbox shmctl unlink -f "$DATA"
	ipcbox semctl unlink -f "$LOCK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "# the data: a 4 KiB object; the lock: a semaphore of value 1"
ipcbox shmctl create "$DATA" 4K
ipcbox semctl create "$LOCK" 1

# shellcheck disable=SC2016 # the inner shells expand them
reader='
	ipcbox() { "$IPCBOX_BIN" "$@"; }
	round=1
	while :; do
		[ "$round" -eq 1 ] && export IPCBOX_TRACE=1 || unset IPCBOX_TRACE
		ipcbox efd wait -t 5 3 >/dev/null     # wait for "ready"
		msg=$(ipcbox semctl run "$LOCK" -- \
		    "$IPCBOX_BIN" shmctl read "$DATA" --string)
		echo "reader: read \"$msg\""
		ipcbox efd signal 4                   # signal "done"
		[ "$msg" != quit ] || exit 0
		round=$((round + 1))
	done'

# shellcheck disable=SC2016
writer='
	ipcbox() { "$IPCBOX_BIN" "$@"; }
	sh -c "$1" reader &
	i=1
	while [ "$i" -le $((ROUNDS + 1)) ]; do
		[ "$i" -eq 1 ] && export IPCBOX_TRACE=1 || unset IPCBOX_TRACE
		if [ "$i" -le "$ROUNDS" ]; then msg="update $i"; else msg=quit; fi
		echo "writer: lock, write \"$msg\", unlock, signal"
		# One write with its NUL: the reader reads up to it.
		printf "%s\0" "$msg" | ipcbox semctl run "$LOCK" -- \
		    "$IPCBOX_BIN" shmctl write "$DATA"
		ipcbox efd signal 3                   # signal "ready"
		ipcbox efd wait -t 5 4 >/dev/null     # wait for "done"
		[ "$i" -ne 1 ] || echo "# (later rounds without --trace)"
		i=$((i + 1))
	done
	wait'

echo "# two eventfds at fds 3 (ready) and 4 (done), for the writer and the"
echo "# reader it starts; round 1 traces each system call on stderr"
ipcbox efd new --fd 3 -- "$IPCBOX_BIN" efd new --fd 4 -- \
    sh -c "$writer" writer "$reader" 2>&1
echo "# done; the object and the semaphore are removed"
