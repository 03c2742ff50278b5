#!/bin/bash
# Run the bats suites.  As root, they run inside their own IPC and mount
# namespace with a private /dev/shm (and /dev/mqueue), so nothing they make
# or remove touches the host's objects.
set -euo pipefail
if [ "$(id -u)" -eq 0 ] && [ -z "${IPCBOX_TEST_NS:-}" ]; then
	exec unshare --ipc --mount --propagation private \
		env IPCBOX_TEST_NS=1 bash -c '
			mount -t tmpfs -o size=2g,mode=1777 ipcbox-test /dev/shm
			if [ -d /dev/mqueue ]; then
				mount -t mqueue mqueue /dev/mqueue 2>/dev/null || :
			fi
			exec bash "$0" "$@"' "$0" "$@"
fi
: "${IPCBOX_BIN:?set IPCBOX_BIN to the ipcbox binary}"
if [ -t 1 ]; then
	exec bats --pretty "$@"
fi
# Not a terminal (CI, a log): bats' pretty output, which ends with its
# summary ("N tests, 0 failures"), without the colour and the progress
# lines.
bats --pretty "$@" 2>&1 | sed 's/\x1b\[[0-9;]*[A-Za-z]/\n/g' | awk '
	/^[ \t]*$/ || /^[0-9]+\/[0-9]+$/ { next }
	{
		# "   NAME" is a test in progress: drop it when its result
		# line (" ✓ NAME", " ✗ NAME", " - NAME ...") follows.
		if (held != "") {
			name = substr(held, 4)
			if (index($0, name) == 0 || index($0, name) > 8)
				print held
		}
		held = ""
		if ($0 ~ /^   [^ (]/)
			held = $0
		else
			print
	}
	END { if (held != "") print held }'
