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

# Waits for another process scale by IPCBOX_TIME_FACTOR (make check
# VALGRIND=1 sets it: a binary under valgrind starts in a second or two).
TIME_FACTOR=${IPCBOX_TIME_FACTOR:-1}

# TENTHS tenths of a second times TIME_FACTOR, in seconds, as sleep and
# timeout take them: scaled 5 is 0.5 (10.0 under valgrind).
scaled() {
	echo "$(($1 * TIME_FACTOR / 10)).$(($1 * TIME_FACTOR % 10))"
}

# A name no other test or run uses: /ipcbox-tPID-TEST-SUBPID-N.  Usually
# called as $(uniq_name), in a subshell whose counter is lost: the
# subshell's own pid keeps two calls apart.
uniq_name() {
	_uniq=$(( ${_uniq:-0} + 1 ))
	echo "/ipcbox-t$$-${BATS_TEST_NUMBER:-0}-$BASHPID-$_uniq"
}

# A System V key no other test uses.
uniq_key() {
	printf 'key:0x%x\n' $(( 0x1b000000 + ($$ % 0x10000) * 256 + ${BATS_TEST_NUMBER:-0} ))
}

# Every object whose name holds this run's tag, POSIX and System V.
leftovers() {
	local f
	for f in /dev/shm/*"ipcbox-t$$-"*; do
		[ -e "$f" ] && echo "${f#/dev/shm/}"
	done
	return 0
}

# Run as an unprivileged user (root-only tests call this to drop).
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

skip_unless_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}

# pid:P:N takes a descriptor with pidfd_open and pidfd_getfd, which
# valgrind 3.19 (Debian 12's) does not implement: under it (make check
# VALGRIND=1) both fail with ENOSYS.
skip_under_valgrind_pidfd() {
	[ "${IPCBOX_VALGRIND:-0}" != 1 ] ||
		skip "valgrind 3.19 does not implement pidfd_open and pidfd_getfd"
}

# hold_new APPLET ARGS...: start "APPLET new ARGS -- sleep 30" (efd, memfd;
# the 30 s times TIME_FACTOR) in its own session, an unrelated process, and
# wait until it holds its descriptor and runs sleep; its pid in $HOLDER.
# bats keeps its output on fd 3: the holder does not inherit it.
# stop_holders (in teardown) ends every holder the test started.
HOLDERS=()
hold_new() {
	local applet=$1 _
	shift
	setsid "$applet" new "$@" -- sleep $((30 * TIME_FACTOR)) </dev/null >/dev/null 2>&1 3>&- &
	HOLDER=$!
	HOLDERS+=("$HOLDER")
	for _ in $(seq $((200 * TIME_FACTOR))); do
		[ "$(cat "/proc/$HOLDER/comm" 2>/dev/null)" = sleep ] && return 0
		sleep 0.01
	done
	return 1
}

stop_holders() {
	local p
	for p in "${HOLDERS[@]}"; do
		kill "$p" 2>/dev/null || :
		wait "$p" 2>/dev/null || :
	done
	HOLDERS=()
}

# Like `run --separate-stderr` in fewer processes, for loops over many
# bad inputs: sets status, output and stderr.
try() {
	output=$("$@" 2>"$BATS_TEST_TMPDIR/stderr") && status=0 || status=$?
	stderr=$(<"$BATS_TEST_TMPDIR/stderr")
}

# CMD exits CODE with exactly the message MSG on stderr and nothing on
# stdout.
assert_fails() {
	local code=$1 msg=$2
	shift 2
	try "$@"
	assert_equal "$status: $stderr" "$code: $msg"
	assert_equal "$output" ''
}

# closed_stdio STATEFN CMD...: run CMD as usual, then again with stdin
# and stderr closed (and IPCBOX_TRACE=1, so that a trace has somewhere to
# go); both runs exit alike, and STATEFN (a function that prints the state
# of every object) prints the same after the second as after the first:
# no message and no trace went into an object through a reused descriptor.
closed_stdio() {
	local statefn=$1 st1 st2 s1 s2
	shift
	"$@" >/dev/null 2>&1 </dev/null && st1=0 || st1=$?
	s1=$("$statefn")
	IPCBOX_TRACE=1 "$@" >/dev/null <&- 2>&- && st2=0 || st2=$?
	s2=$("$statefn")
	assert_equal "closed: $*: $st2" "closed: $*: $st1"
	assert_equal "$s2" "$s1"
}

# Wait (up to 5 s, times TIME_FACTOR) until the shell condition COND holds.
wait_for() {
	local _
	for _ in $(seq $((250 * TIME_FACTOR))); do
		eval "$1" && return 0
		sleep 0.02
	done
	return 1
}

# JSON on stdin, as compact JSON after the python expression EXPR of d;
# $PY is the interpreter (a suite's setup_file sets it: the interpreter
# itself, not a version manager's slow wrapper).
json() {
	"$PY" -c 'import json, sys
d = json.load(sys.stdin)
print(json.dumps(eval(sys.argv[1]), separators=(",", ":")))' "$1"
}
