# Shared by ipcls.bats and ipcgc.bats: a holder program that makes, maps
# and holds objects (tests/ipcls-holder.c), an mqueue file system, System V
# objects made with ipcmk, and a teardown that removes all of them.

# setup_file: build the holder; mount an mqueue file system unless
# /dev/mqueue is one (ipcls finds one mounted anywhere).  MQ_DIR is where
# the queues are, or empty.
ipc_setup_file() {
	# In a directory of its own that every user may search: the holder
	# also runs as GONE_UID.
	HOLDER_DIR=$(mktemp -d /tmp/ipcbox-holder.XXXXXX)
	chmod 755 "$HOLDER_DIR"
	HOLDER_BIN="$HOLDER_DIR/ipcls-holder"
	cc -O -o "$HOLDER_BIN" "$BATS_TEST_DIRNAME/ipcls-holder.c"
	MQ_MOUNT=
	if [ "$(stat -f -c %T /dev/mqueue 2>/dev/null)" = mqueue ]; then
		MQ_DIR=/dev/mqueue
	elif mkdir -p "$BATS_FILE_TMPDIR/mq" &&
	    mount -t mqueue ipcbox-test "$BATS_FILE_TMPDIR/mq" 2>/dev/null; then
		MQ_DIR=$BATS_FILE_TMPDIR/mq
		MQ_MOUNT=$MQ_DIR
	else
		MQ_DIR=
	fi
	export HOLDER_DIR HOLDER_BIN MQ_DIR MQ_MOUNT
}

ipc_teardown_file() {
	rm -rf "$HOLDER_DIR"
	if [ -n "$MQ_MOUNT" ]; then
		umount "$MQ_MOUNT"
	fi
}

# hold ACTION...: run the holder in the background until it says ready;
# its pid in $HELD_PID, its output in $BATS_TEST_TMPDIR/hold.N.
HELD=()
hold() {
	local out="$BATS_TEST_TMPDIR/hold.${#HELD[@]}" i
	"$HOLDER_BIN" "$@" >"$out" 2>&1 </dev/null 3>&- &
	HELD_PID=$!
	HELD+=("$HELD_PID")
	for i in $(seq 500); do
		grep -q '^ready$' "$out" 2>/dev/null && return 0
		kill -0 "$HELD_PID" 2>/dev/null || break
		sleep 0.01
	done
	cat "$out" >&2
	return 1
}

# sysv_made -m|-s|-q ID: remove that System V object in teardown.
SYSV=()
sysv_made() {
	SYSV+=("$1" "$2")
}

# The id ipcmk prints ("Shared memory id: 5").
ipcmk_id() {
	ipcmk "$@" | awk '{ print $NF }'
}

# A user id that no process runs as, in no passwd file: the owner of
# objects whose programs are all gone (ipcgc's orphans).  The suite runs
# in an IPC namespace and a /dev/shm of its own, so the host's processes
# do not count either way.
# "${AS_GONE[@]}" CMD & runs CMD itself in the background (its pid in $!),
# where a function would leave a subshell between.
GONE_UID=4242
AS_GONE=(setpriv "--reuid=$GONE_UID" "--regid=$GONE_UID" --clear-groups)
as_gone() {
	"${AS_GONE[@]}" "$@"
}

gone_ipcmk_id() {
	as_gone ipcmk "$@" | awk '{ print $NF }'
}

# Whether a System V object of this kind (shm, sem, msg) and id exists.
sysv_exists() {
	awk -v i="$2" 'NR > 1 && $2 == i { f = 1 } END { exit !f }' \
	    "/proc/sysvipc/$1"
}

sysv_gone() {
	! sysv_exists "$@"
}

# The NAME of a System V object of this kind and id, as ipcls and ipcgc
# print it: key:0x... (the kernel prints keys as ints), or id:N.
sysv_name() {
	local k
	k=$(awk -v i="$2" 'NR > 1 && $2 == i { print $1 }' "/proc/sysvipc/$1")
	if [ "$k" = 0 ]; then
		echo "id:$2"
	else
		printf 'key:0x%08x\n' $((k & 0xffffffff))
	fi
}

# teardown: stop every holder, remove every object the test made.
ipc_teardown() {
	local p i
	stop_holders
	for p in "${HELD[@]}"; do
		kill "$p" 2>/dev/null || :
		wait "$p" 2>/dev/null || :
	done
	for ((i = 0; i < ${#SYSV[@]}; i += 2)); do
		ipcrm "${SYSV[i]}" "${SYSV[i + 1]}" 2>/dev/null || :
	done
	rm -f /dev/shm/*ipcbox-t$$-* /dev/shm/sem.ipcbox-t$$-*
	if [ -n "$MQ_DIR" ]; then
		rm -f "$MQ_DIR"/ipcbox-t$$-*
	fi
	assert_equal "$(leftovers)" ''
}
