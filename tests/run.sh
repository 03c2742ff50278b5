#!/bin/bash
# Run the bats suites.
#
# As root, every suite file runs inside its own IPC and mount namespace
# with a private /dev/shm (and mqueue), so nothing a suite makes or removes
# touches the host's objects or another suite's; the files then run side by
# side, as many at once as there are CPUs (IPCBOX_TEST_JOBS), and their TAP
# output is printed file by file, followed by the count of tests and
# failures.  As another user, bats runs the files one after another.
set -euo pipefail
: "${IPCBOX_BIN:?set IPCBOX_BIN to the ipcbox binary}"
export IPCBOX_BIN

# One suite file, in a namespace of its own (as root).
if [ "${1:-}" = --in-ns ]; then
	mount -t tmpfs -o size=2g,mode=1777 ipcbox-test /dev/shm
	mkdir -p /dev/mqueue 2>/dev/null || :
	mount -t mqueue mqueue /dev/mqueue 2>/dev/null || :
	exec bats --tap "$2"
fi

files=()
for a in "$@"; do
	if [ -d "$a" ]; then
		files+=("$a"/*.bats)
	else
		files+=("$a")
	fi
done

if [ "$(id -u)" -ne 0 ]; then
	exec bats "${files[@]}"
fi

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
jobs=${IPCBOX_TEST_JOBS:-$(nproc)}
# The longest suites first, so that the last to finish are short ones.
# shellcheck disable=SC2016 # the inner sh expands them
printf '%s\n' "${files[@]}" |
	while read -r f; do echo "$(grep -c '^@test' "$f") $f"; done |
	sort -rn | cut -d' ' -f2- |
	xargs -P "$jobs" -I{} sh -c '
		log="$1/$(basename "$2").tap"
		unshare --ipc --mount --propagation private \
			bash "$0" --in-ns "$2" >"$log" 2>&1
		echo $? >"$log.rc"' "$0" "$logs" {} || :

tests=0 failures=0 skipped=0 bad=0
for f in "${files[@]}"; do
	log="$logs/$(basename "$f").tap"
	echo "# $f"
	cat "$log"
	n=$(grep -c '^ok \|^not ok ' "$log" || :)
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n 1)
	tests=$((tests + ${planned:-0}))
	failures=$((failures + $(grep -c '^not ok ' "$log" || :)))
	skipped=$((skipped + $(grep -c '^ok .* # skip' "$log" || :)))
	if [ "$(cat "$log.rc")" -ne 0 ] || [ "$n" -ne "${planned:-0}" ]; then
		bad=1
		[ "$n" -eq "${planned:-0}" ] ||
			echo "# $f: ran $n of ${planned:-?} tests"
	fi
done
echo
printf '%d tests, %d failures' "$tests" "$failures"
[ "$skipped" -eq 0 ] || printf ', %d skipped' "$skipped"
echo
[ "$bad" -eq 0 ] && [ "$failures" -eq 0 ]
