#!/bin/sh
# Run every benchmark: bench/*.sh but lib.sh and this file, so an applet's
# benchmark is one more file.  As root, inside a private IPC and mount
# namespace with its own /dev/shm (and /dev/mqueue), so a run leaves
# nothing behind and touches none of the host's objects.  Then print the
# summary the README's performance section quotes.
#
#   IPCBOX_BIN=build/ipcbox sh bench/run.sh [bench/NAME.sh...]
set -eu
: "${IPCBOX_BIN:?set IPCBOX_BIN to the ipcbox binary (make bench does)}"
dir=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" -eq 0 ] && [ -z "${IPCBOX_BENCH_NS:-}" ]; then
	# Room for the bulk source and object, twice over.
	mib=$((${BENCH_BULK_MIB:-1024} * 4 + 256))
	# shellcheck disable=SC2016 # the inner shell expands them
	exec unshare --ipc --mount --propagation private \
	    env IPCBOX_BENCH_NS=1 sh -c '
		mount -t tmpfs -o size="$1"m,mode=1777 ipcbox-bench /dev/shm
		if [ -d /dev/mqueue ]; then
			mount -t mqueue mqueue /dev/mqueue 2>/dev/null || :
		fi
		shift
		exec sh "$0" "$@"' "$dir/run.sh" "$mib" "$@"
fi

if [ $# -eq 0 ]; then
	for f in "$dir"/*.sh; do
		case ${f##*/} in
		lib.sh | run.sh) ;;
		*) set -- "$@" "$f" ;;
		esac
	done
fi

BENCH_SUMMARY=$(mktemp "${TMPDIR:-/tmp}/ipcbox-bench-summary.XXXXXX")
export BENCH_SUMMARY
trap 'rm -f "$BENCH_SUMMARY"' EXIT
trap 'exit 130' INT TERM HUP

load=$(cut -d ' ' -f 1 /proc/loadavg)
rc=0
for f in "$@"; do
	echo "== ${f##*/}"
	sh "$f" || rc=1
	echo
done

cpu=$(awk -F ': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo "== summary"
echo "ipcbox $("$IPCBOX_BIN" --version | awk '{ print $2 }'), $(uname -sr)," \
    "${cpu:-unknown CPU}, $(nproc) CPUs, $(hyperfine --version)," \
    "load average $load at the start, $(cut -d ' ' -f 1 /proc/loadavg) at the end"
cat "$BENCH_SUMMARY"
exit $rc
