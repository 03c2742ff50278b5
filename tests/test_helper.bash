# Shared by every suite: bats libraries, the binary under test, unique
bats_require_minimum_version 1.5.0

# object names, and a check that a test leaves no object behind.

bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

: "${IPCBOX_BIN:?set IPCBOX_BIN to the ipcbox binary (make check does)}"
BUILD_DIR=$(dirname "$IPCBOX_BIN")
PATH="$BUILD_DIR:$PATH"
export PATH

# A name no other test or run uses: /ipcbox-test-PID-N.
uniq_name() {
	_uniq=$(( ${_uniq:-0} + 1 ))
	echo "/ipcbox-t$$-${BATS_TEST_NUMBER:-0}-$_uniq"
}

# A System V key no other test uses.
uniq_key() {
	printf 'key:0x%x\n' $(( 0x1b000000 + ($$ % 0x10000) * 256 + ${BATS_TEST_NUMBER:-0} ))
}

# Every object whose name holds this run's tag, POSIX and System V.
leftovers() {
	ls /dev/shm 2>/dev/null | grep "ipcbox-t$$-" || true
}

# Run as an unprivileged user (root-only tests call this to drop).
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

skip_unless_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}
