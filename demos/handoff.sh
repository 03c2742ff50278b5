#!/bin/sh
# handoff: two unrelated scripts (each in a session of its own: neither is
# the other's parent, so nothing is inherited) share a sealed config blob
# and a wake-up eventfd through the fd store, by name:
#
#   consumer: efd create @wake; efd wait @wake; check the seals of
#             @config, then trust its bytes without a copy
#   producer: memfd create @config --from FILE --seal ...; efd signal @wake;
#             quit (the store keeps the memfd)
#
# The store's holder starts on first use, on a socket of this run
# (IPCBOX_FDSTORE in a directory of its own, mode 0700), and is stopped at
# exit.  Both scripts run with --trace (IPCBOX_TRACE=1): the connect, and
# the sendmsg and recvmsg that carry each descriptor (SCM_RIGHTS), on
# stderr.
#
#   IPCBOX_BIN=build/ipcbox sh demos/handoff.sh
set -eu

IPCBOX_BIN=${IPCBOX_BIN:-$(dirname "$0")/../build/ipcbox}
if ! [ -x "$IPCBOX_BIN" ]; then
	echo "handoff: $IPCBOX_BIN: not built (run make, or set IPCBOX_BIN)" >&2
	exit 1
fi
IPCBOX_BIN=$(cd "$(dirname "$IPCBOX_BIN")" && pwd)/$(basename "$IPCBOX_BIN")
dir=$(mktemp -d "${TMPDIR:-/tmp}/ipcbox-handoff.XXXXXX")
IPCBOX_FDSTORE=$dir/fdstore.sock
export IPCBOX_BIN IPCBOX_FDSTORE

ipcbox() { "$IPCBOX_BIN" "$@"; }

cleanup() {
	ipcbox fdstore stop 2>/dev/null || :
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

printf 'listen=0.0.0.0:8080\nworkers=4\n' >"$dir/app.conf"

# shellcheck disable=SC2016 # the inner shells expand them
consumer='
	ipcbox() { "$IPCBOX_BIN" "$@"; }
	echo "consumer: create @wake, and wait on it"
	ipcbox efd create @wake
	IPCBOX_TRACE=1 ipcbox efd wait @wake -t 10 >/dev/null
	seals=$(ipcbox memfd seals @config)
	echo "consumer: woken; @config is sealed: $seals"
	case $seals in
	seal,shrink,grow,write*) ;;
	*) echo "consumer: not sealed, not trusted" >&2; exit 1 ;;
	esac
	echo "consumer: so its bytes cannot change under us:"
	ipcbox memfd read @config | sed "s/^/consumer:   /"'

# shellcheck disable=SC2016
producer='
	ipcbox() { "$IPCBOX_BIN" "$@"; }
	until ipcbox efd get @wake >/dev/null 2>&1; do sleep 0.05; done
	echo "producer: the config into a sealed memfd in the store, as @config"
	IPCBOX_TRACE=1 ipcbox memfd create @config --from "$1" \
	    --seal seal,shrink,grow,write
	echo "producer: wake the consumer, and quit"
	IPCBOX_TRACE=1 ipcbox efd signal @wake'

echo "# two unrelated scripts, each started with setsid; the store's socket:"
echo "# $IPCBOX_FDSTORE"
setsid sh -c "$consumer" consumer 2>&1 &
c=$!
setsid sh -c "$producer" producer "$dir/app.conf" 2>&1
wait "$c"
echo "# the producer is gone; the store still holds what it made:"
ipcbox fdstore ls -o NAME,TYPE,MODE,COUNT,SIZE,SEALS
echo "# done; the holder is stopped and its directory removed"
