#!/usr/bin/env bats
# faults: a hostile environment for every applet (issue 17): a full
# /dev/shm and the limits that stand for one, objects shrunk or removed
# under a reader, a fd store holder under hostile clients, EMFILE, EINTR,
# a closed or full stdout, and another user's objects.  Every failure is
# one line, a documented exit code, and nothing made, changed or leaked.
#
# Cases that live in the per-applet suites, not repeated here:
#   shmctl.bats  closed stdin/stderr (every verb), FIFO/directory/socket/
#                symlink in /dev/shm, RLIMIT_FSIZE (create, write --grow,
#                resize), a read whose object is truncated under it (raw,
#                -n, --hex, --string), read and create to /dev/full, the
#                capacity of /dev/shm, write and read as nobody
#   ring.bats    a killed sender, a second reader or writer, send -t
#   semctl.bats  closed stdio, a FIFO at sem.NAME, post as another user,
#                a terminating signal during wait and run
#   mqctl.bats   send/recv as nobody, recv with stdout closed or full, a System V
#                queue removed under a waiting recv or send, a POSIX one
#                unlinked under recv (it lives on), recv -f ended by a signal
#   efd.bats     wait -f ended while blocked on a full pipe, closed stdio
#   memfd.bats   new -s past RLIMIT_FSIZE, closed stdio
#   fdstore.bats garbage, oversized, truncated requests, extra descriptors,
#                a silent client, one killed mid-request, nobody against a
#                0600 entry (get, rm)
#   ipcbox.bats, ipcls.bats  --help and tables to /dev/full

load test_helper

CLIENT=$BATS_TEST_DIRNAME/fdstore-client.py

setup_file() {
	PY=$(python3 -c 'import sys; print(sys.executable)')
	export PY
}

setup() {
	STORE_DIR=$(mktemp -d /tmp/ipcbox-faults.XXXXXX)
	chmod 711 "$STORE_DIR"
	export IPCBOX_FDSTORE=$STORE_DIR/fd.sock IPCBOX_NO_AUTOSTART=1
}

# Background processes go into HOLDERS (test_helper.bash), which
# stop_holders ends.
teardown() {
	local kind
	stop_holders
	if [ -S "$IPCBOX_FDSTORE" ]; then
		fdstore stop >/dev/null 2>&1 || :
	fi
	rm -rf "$STORE_DIR"
	rm -f /dev/shm/*ipcbox-t$$-* /dev/mqueue/ipcbox-t$$-* 2>/dev/null || :
	# Our keys: 0x1bPPPP.. (uniq_key).
	for kind in shm:m sem:s msg:q; do
		awk -v p=$((0x1b000000 / 256 + $$ % 0x10000)) \
			'NR > 1 && int($1 / 256) == p { print $2 }' "/proc/sysvipc/${kind%:*}" |
			while read -r id; do
				ipcrm "-${kind#*:}" "$id" 2>/dev/null || :
			done
	done
	assert_equal "$(leftovers)" ''
}

# Every object there is: the files of /dev/shm and /dev/mqueue (size
# and digest), and the System V tables' keys, ids, modes and sizes.
world() {
	local f
	for f in /dev/shm/* /dev/mqueue/*; do
		[ -e "$f" ] || continue
		printf '%s %s %s\n' "$f" "$(stat -c '%a %s %u' "$f")" \
			"$(md5sum <"$f")"
	done
	awk 'NR > 1 { print "shm", $1, $2, $3, $4 }' /proc/sysvipc/shm
	awk 'NR > 1 { print "sem", $1, $2, $3, $4 }' /proc/sysvipc/sem
	awk 'NR > 1 { print "msg", $1, $2, $3, $4, $5 }' /proc/sysvipc/msg
}

# A fd store holder of our own (serve -f in the background), $HOLDER.
holder() {
	fdstore serve -f "$@" </dev/null >/dev/null 2>&1 3>&- &
	HOLDER=$!
	HOLDERS+=("$HOLDER")
	wait_for '[ -S "$IPCBOX_FDSTORE" ]'
}

# The number of descriptors process $1 has open.
nfds() {
	ls "/proc/$1/fd" | wc -l
}

# The CPU time, in clock ticks, that process $1 has used.
cputicks() {
	awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# ------------------------------------------------------------- a full tmpfs

# Run the bash script $2 with a tmpfs of size $1 over /dev/shm, in a mount
# namespace of its own: the suite's /dev/shm is left alone.
tiny_shm() {
	unshare --mount --propagation private bash -c \
		'mount -t tmpfs -o "size=$0,mode=1777" ipcbox-tiny /dev/shm && eval "$1"' \
		"$1" "$2"
}

@test "a full /dev/shm: create, write --grow, resize and send fail with the reason (exit 1), nothing half made" {
	skip_unless_root
	BIG=$BATS_TEST_TMPDIR/big
	head -c 1000K /dev/zero >"$BIG"
	export BIG
	run --separate-stderr tiny_shm 4M '
		head -c 4M /dev/zero >/dev/shm/filler 2>/dev/null
		shmctl create /c 8K; echo "create $?"
		echo hi | shmctl send /r; echo "send $?"
		ls -A /dev/shm
		rm /dev/shm/filler
		head -c 3500K /dev/zero >/dev/shm/filler
		shmctl create /c 0
		head -c 100K /dev/zero | shmctl write /c --grow; echo "write $?"
		shmctl write /c --grow <"$BIG"; echo "write file $?"
		head -c 1000K /dev/zero | shmctl write /c --grow; echo "write pipe $?"
		shmctl write /c x -o 1000K --grow; echo "write -o $?"
		shmctl resize /c 1M; echo "resize $?"
		stat -c "%n %s" /dev/shm/c
		echo hi | shmctl send /r; echo "send $?"
		ls -A /dev/shm'
	assert_success
	assert_equal "$output" "create 1
send 1
filler
write 0
write file 1
write pipe 1
write -o 1
resize 1
/dev/shm/c 102400
send 1
c
filler"
	assert_equal "$stderr" "shmctl: create: /c: not enough free space in /dev/shm (0B free)
shmctl: send: /r: not enough free space in /dev/shm (0B free)
shmctl: write: /c: not enough free space in /dev/shm (496K free)
shmctl: write: /c: No space left on device
shmctl: write: /c: not enough free space in /dev/shm (496K free)
shmctl: resize: /c: not enough free space in /dev/shm (496K free)
shmctl: send: /r: not enough free space in /dev/shm (496K free)"
}

@test "a full /dev/shm: no SIGBUS for a ring, and --trace shows its pages taken with fallocate" {
	skip_unless_root
	run --separate-stderr tiny_shm 2M '
		head -c 900K /dev/zero >/dev/shm/filler
		echo hello | shmctl --trace send /r -s 64K 2>/dev/shm/trace; echo "send $?"
		grep -cE "^fallocate\([0-9]+, 0, 0, 69632\) = 0$" /dev/shm/trace; rm /dev/shm/trace
		shmctl recv /r; echo "recv $?"
		shmctl rm /r
		head -c 1000K /dev/zero >/dev/shm/filler2
		echo hello | shmctl send /r2 -s 512K; echo "send $?"
		ls -A /dev/shm'
	assert_success
	assert_equal "$output" "send 0
1
hello
recv 0
send 1
filler
filler2"
	assert_regex "$stderr" '^shmctl: send: /r2: not enough free space in /dev/shm \([0-9.]+K free\)$'
}

@test "memfd: --from past RLIMIT_FSIZE (its only limit: no mount holds it) is exit 1, CMD not run, nothing stored" {
	head -c 100K /dev/zero >"$BATS_TEST_TMPDIR/big"
	holder
	for from in "$BATS_TEST_TMPDIR/big" -; do
		try bash -c 'ulimit -f 10; exec memfd new --from "$0" -- touch "$1"' \
			"$from" "$BATS_TEST_TMPDIR/ran" <"$BATS_TEST_TMPDIR/big"
		assert_equal "$from: $status: $stderr" "$from: 1: memfd: new: ipcbox: File too large"
		assert_file_not_exists "$BATS_TEST_TMPDIR/ran"
		try bash -c 'ulimit -f 10; exec memfd create @m --from "$0"' "$from" \
			<"$BATS_TEST_TMPDIR/big"
		assert_equal "$from: $status: $stderr" "$from: 1: memfd: create: @m: File too large"
	done
	run fdstore ls -n
	assert_output ''
}

@test "mqctl create past RLIMIT_MSGQUEUE and past the kernel's limits: exit 1, the reason, no queue" {
	skip_unless_root
	q=$(uniq_name)
	k=$(uniq_key)
	before=$(world)
	try bash -c 'ulimit -q 1000; exec mqctl create "$0" --maxmsg 10 --msgsize 8192' "$q"
	assert_equal "$status: $stderr" "1: mqctl: create: $q: too many queues or descriptors open (RLIMIT_MSGQUEUE or RLIMIT_NOFILE)"
	max=$(cat /proc/sys/fs/mqueue/msg_max)
	assert_fails 1 "mqctl: create: $q: maxmsg 100000 is above the kernel's limit $max (/proc/sys/fs/mqueue/msg_max)" \
		mqctl create "$q" --maxmsg 100000 --msgsize 64
	mnb=$(cat /proc/sys/kernel/msgmnb)
	assert_fails 1 "mqctl: create: $k: qbytes 999999999 is above kernel.msgmnb $mnb (going past it needs CAP_SYS_RESOURCE)" \
		mqctl create "$k" --qbytes 999999999
	assert_equal "$(world)" "$before"
	# Within the limit it works.
	bash -c 'ulimit -q unlimited; exec mqctl create "$0" --maxmsg 10 --msgsize 8192' "$q"
	mqctl unlink "$q"
}

# ------------------------------------ objects shrunk or removed under a reader

@test "a ring truncated under a waiting recv, and under a sender mid-stream: exit 1, said so, no SIGBUS" {
	r=$(uniq_name)
	shmctl create "$r" 64K --ring
	shmctl recv "$r" >/dev/null 2>"$BATS_TEST_TMPDIR/err" &
	pid=$!
	# The receiver's word in the header (at 40, as in ring.bats): it is
	# in place and waiting.
	wait_for "[ \"\$(od -A n -t u8 -j 40 -N 8 /dev/shm$r | tr -d ' ')\" != 0 ]"
	truncate -s 0 "/dev/shm$r"
	# A sender finds no ring; the receiver, at its next look (a 250 ms
	# poll at most), finds that the object shrank.
	try bash -c 'echo hi | shmctl send "$0"' "$r"
	assert_equal "$status: $stderr" "1: shmctl: send: $r: not a ring (no ipcbox ring header: 'shmctl create OBJ SIZE --ring' makes one)"
	wait "$pid" && st=0 || st=$?
	assert_equal "$st: $(cat "$BATS_TEST_TMPDIR/err")" \
		"1: shmctl: recv: $r: the object shrank under the ring (truncated by another process)"
	shmctl unlink "$r"
	# A sender mid-stream, with -t so that it cannot wait for ever.
	shmctl create "$r" 64K --ring
	{ head -c 10M /dev/zero | shmctl send "$r" -t 2 2>"$BATS_TEST_TMPDIR/serr" &&
		echo 0 >"$BATS_TEST_TMPDIR/src" || echo $? >"$BATS_TEST_TMPDIR/src"; } &
	HOLDERS+=($!)
	try bash -c 'shmctl recv "$0" | { head -c 100000 >/dev/null; truncate -s 0 "/dev/shm$0"; cat >/dev/null; }; exit "${PIPESTATUS[0]}"' "$r"
	assert_equal "$status: $stderr" "1: shmctl: recv: $r: the object shrank under the ring (truncated by another process)"
	wait_for "[ -s '$BATS_TEST_TMPDIR/src' ]"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/src"): $(cat "$BATS_TEST_TMPDIR/serr")" \
		"1: shmctl: send: $r: the object shrank under the ring (truncated by another process)"
	shmctl unlink "$r"
}

@test "a System V segment removed (IPC_RMID) during a read: the read completes (the kernel keeps it while attached)" {
	k=$(uniq_key)
	id=$(shmctl create "$k" 16M)
	printf 'tail' | shmctl write "$k" -o $((16 * 1024 * 1024 - 4))
	try bash -c 'shmctl read "id:$0" | { head -c 1 >/dev/null; ipcrm -m "$0"; tail -c 3; }; exit "${PIPESTATUS[0]}"' "$id"
	assert_equal "$status: $output: $stderr" "0: ail: "
	run awk -v i="$id" 'NR > 1 && $2 == i' /proc/sysvipc/shm
	assert_output ''
}

@test "shmctl unlink of a POSIX object during a read: the read completes from the open object" {
	n=$(uniq_name)
	shmctl create "$n" 16M
	printf 'tail' | shmctl write "$n" -o $((16 * 1024 * 1024 - 4))
	try bash -c 'shmctl read "$0" | { head -c 1 >/dev/null; shmctl unlink "$0"; tail -c 3; }; exit "${PIPESTATUS[0]}"' "$n"
	assert_equal "$status: $output: $stderr" "0: ail: "
	assert_file_not_exists "/dev/shm$n"
}

# ------------------------------------------------- the fd store's holder

@test "holder: clients that hang up mid-request, or send a descriptor of the wrong kind; it serves on, leaks nothing" {
	holder
	efd create @ev -c 4
	base=$(nfds "$HOLDER")
	"$PY" "$CLIENT" "$IPCBOX_FDSTORE" hangup '1 get ev' 0 20
	"$PY" "$CLIENT" "$IPCBOX_FDSTORE" hangup '1 ls' 0 20
	"$PY" "$CLIENT" "$IPCBOX_FDSTORE" hangup '1 put x 0600 0' 2 20
	run efd get @ev
	assert_output 4
	wait_for "[ \$(nfds $HOLDER) -eq $base ]"
	# A put whose answer is never read is still made, once.
	"$PY" "$CLIENT" "$IPCBOX_FDSTORE" hangup "1 put hung 0600 0" 1
	wait_for "fdstore ls -n -o NAME | grep -qx @hung"
	fdstore rm @hung
	# Descriptors of other kinds: stored as what they are, refused by
	# the applets that want an eventfd or a memfd.
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	exec 5<>"$BATS_TEST_TMPDIR/fifo"
	fdstore put @p 5
	exec 5>&-
	fdstore put @n 0 </dev/null
	memfd create @m -s 4
	fifo="$BATS_TEST_TMPDIR/fifo"
	assert_fails 1 "efd: get: @p: not an eventfd: a FIFO ($fifo)" efd get @p
	assert_fails 1 "efd: signal: @p: not an eventfd: a FIFO ($fifo)" efd signal @p
	assert_fails 1 "efd: wait: @p: not an eventfd: a FIFO ($fifo)" efd wait @p
	assert_fails 1 "efd: wait: @n: not an eventfd: a character device (/dev/null)" efd wait @n
	assert_fails 1 "efd: get: @m: not an eventfd: a memfd (m)" efd get @m
	assert_fails 1 "memfd: read: @p: not a memfd: a FIFO ($fifo)" memfd read @p
	assert_fails 1 "memfd: write: @p: not a memfd: a FIFO ($fifo)" memfd write @p x
	assert_fails 1 "memfd: seal: @ev: not a memfd: an eventfd" memfd seal @ev seal
	assert_fails 1 "memfd: seals: @n: not a memfd: a character device (/dev/null)" memfd seals @n
	run fdstore ls -n -o NAME,TYPE
	assert_output "@ev  eventfd
@m   memfd
@n   other
@p   other"
	fdstore stop
	wait "$HOLDER"
}

@test "holder: a flood of silent connections, past its 256 and past its RLIMIT_NOFILE, does not keep others out" {
	holder --timeout 60s
	efd create @ev -c 7
	base=$(nfds "$HOLDER")
	coproc FLOOD { "$PY" "$CLIENT" "$IPCBOX_FDSTORE" flood 300; }
	read -r ready <&"${FLOOD[0]}"
	assert_equal "$ready" ready
	run efd get @ev
	assert_output 7
	[ "$(nfds "$HOLDER")" -le $((base + 256)) ]
	exec {FLOOD[1]}>&-
	wait "$FLOOD_PID"
	wait_for "[ \$(nfds $HOLDER) -eq $base ]"
	fdstore stop
	wait "$HOLDER"
	# A holder with 24 descriptors: connections past them push out the
	# idlest, and puts stop 8 short of the limit, so that it can always
	# be asked to give some back.  Under valgrind this holder runs
	# without it: valgrind keeps descriptors of its own under the
	# process's RLIMIT_NOFILE, and 24 would leave the holder a dozen.
	local serve=fdstore
	[ "${IPCBOX_VALGRIND:-0}" != 1 ] || serve=$BUILD_DIR/../fdstore
	prlimit --nofile=24:24 "$serve" serve -f --timeout 60s </dev/null >/dev/null 2>&1 3>&- &
	HOLDER=$!
	HOLDERS+=("$HOLDER")
	wait_for '[ -S "$IPCBOX_FDSTORE" ]'
	efd create @ev -c 7
	i=0
	while efd create "@e$i" 2>"$BATS_TEST_TMPDIR/err"; do
		i=$((i + 1))
		[ "$i" -lt 24 ] || break
	done
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" "efd: create: @e$i: the holder has no descriptor left (its RLIMIT_NOFILE)"
	[ "$i" -gt 5 ]
	coproc FLOOD { "$PY" "$CLIENT" "$IPCBOX_FDSTORE" flood 30; }
	read -r ready <&"${FLOOD[0]}"
	run efd get @ev
	assert_output 7
	fdstore rm @e0
	exec {FLOOD[1]}>&-
	wait "$FLOOD_PID"
	fdstore stop
	wait "$HOLDER"
}

# ------------------------------------------------------------------ EINTR

# Process $1 sleeps in a system call (state S): a waiter in its wait.
sleeping() {
	[ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" = S ] &&
		[ "$(cut -d' ' -f1 "/proc/$1/syscall" 2>/dev/null)" != running ]
}

# Stop and continue process $1 three times, and send it the signals whose
# default is to be ignored: semop(2) and others return EINTR after a stop
# even with no handler (signal(7)); the waiter must wait on.
pester() {
	local i
	for i in 1 2 3; do
		kill -STOP "$1"
		wait_for "[ \"\$(sed 's/.*) //' /proc/$1/stat | cut -d' ' -f1)\" = T ]"
		kill -CONT "$1"
		kill -WINCH "$1"
		kill -CHLD "$1"
		kill -URG "$1"
	done
	wait_for "sleeping $1"
}

@test "EINTR: stops, continues and ignored signals during semctl wait, efd wait, mqctl recv, shmctl recv: each waits on and completes" {
	holder
	s=$(uniq_name)
	q=$(uniq_name)
	r=$(uniq_name)
	k=$(uniq_key)
	semctl create "$s" 0
	semctl create "$k" -N 1 >/dev/null
	mqctl create "$q"
	mqctl create "$k" >/dev/null
	efd create @ev
	shmctl create "$r" 4K --ring
	waiters=("semctl wait $s" "semctl wait $k" "efd wait @ev" "mqctl recv $q"
		"mqctl recv $k" "shmctl recv $r")
	wakers=("semctl post $s" "semctl post $k" "efd signal @ev -n 5" "mqctl send $q hello"
		"mqctl send $k hello" "shmctl send $r")
	for i in "${!waiters[@]}"; do
		out=$BATS_TEST_TMPDIR/out.$i
		IPCBOX_TRACE=1 ${waiters[i]} >"$out" 2>"$out.trace" 3>&- &
		pid=$!
		HOLDERS+=("$pid")
		wait_for "sleeping $pid"
		pester "$pid"
		kill -0 "$pid"
		echo hello | ${wakers[i]}
		wait_for "! kill -0 $pid 2>/dev/null || [ \"\$(sed 's/.*) //' /proc/$pid/stat | cut -d' ' -f1)\" = Z ]"
		wait "$pid" && st=0 || st=$?
		assert_equal "${waiters[i]}: $st: $(cat "$out")" "${waiters[i]}: 0: $(
			case ${waiters[i]} in
			efd*) echo 5 ;; mqctl* | shmctl*) echo hello ;;
			esac)"
		# No message, only the trace (calls: name, parenthesis).
		run grep -v '^[a-z_0-9]*(' "$out.trace"
		assert_output ''
	done
	# The System V semaphore's semop did return EINTR, and was retried.
	grep -q '^semop(.* = -1 EINTR' "$BATS_TEST_TMPDIR/out.1.trace"
	semctl unlink "$s" "$k"
	mqctl unlink "$q" "$k"
	shmctl unlink "$r"
}

# ----------------------------------------------------------------- EMFILE

# CMD... with at most $1 descriptors (ulimit -n): 0, 1 and 2 take three;
# the others bats keeps open are closed first.  (LeakSanitizer needs
# descriptors of its own at exit: in a sanitizer build it is left out.)
nofile() {
	local n=$1
	shift
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 bash -c 'for f in /proc/$$/fd/*; do
			f=${f##*/}
			[ "$f" -le 2 ] || eval "exec $f>&-"
		done
		ulimit -n "$0"
		exec "$@"' "$n" "$@"
}

@test "EMFILE: with one descriptor to spare, verbs that need one work; those that need two fail in one line (exit 1), nothing made" {
	# valgrind needs descriptors of its own under RLIMIT_NOFILE: it
	# cannot run a program with a limit of 4.
	[ "${IPCBOX_VALGRIND:-0}" != 1 ] ||
		skip "valgrind cannot run a program under ulimit -n 4"
	holder
	n=$(uniq_name)
	q=$(uniq_name)
	efd create @ev -c 3
	before=$(world)
	try nofile 4 shmctl create "$n" 4K
	try nofile 4 shmctl write "$n" abc
	try nofile 4 shmctl read "$n" -n 3
	assert_equal "$status: $output" "0: abc"
	try nofile 4 mqctl create "$q"
	try nofile 4 mqctl send "$q" hi
	try nofile 4 mqctl recv "$q"
	assert_equal "$status: $output" "0: hi"
	try nofile 4 ipcls -n -o NAME -t posix-shm
	assert_equal "$status: $output" "0: $n"
	try nofile 4 fdstore ls -n -o NAME
	assert_equal "$status: $output" "0: @ev"
	shmctl unlink "$n"
	mqctl unlink "$q"
	assert_equal "$(world)" "$before"
	# Two: the socket and the descriptor it carries.
	assert_fails 1 "efd: get: @ev: the descriptor in the answer cannot be received: Too many open files" \
		nofile 4 efd get @ev
	assert_fails 1 "fdstore: get: @ev: the descriptor in the answer cannot be received: Too many open files" \
		nofile 4 fdstore get @ev -- true
	assert_fails 1 "efd: create: @e2: socket: Too many open files" nofile 4 efd create @e2
	assert_fails 1 "memfd: create: @m2: socket: Too many open files" nofile 4 memfd create @m2 -s 1
	run fdstore ls -n -o NAME,COUNT
	assert_output "@ev      3"
	assert_equal "$(world)" "$before"
	# ulimit -n 8: everything.
	run nofile 8 efd get @ev
	assert_output 3
	run nofile 8 memfd new -s 1 -- memfd seals 3
	assert_success
}

# ------------------------------------------- a closed or full standard output

@test "stdout to /dev/full: 'APPLET: stdout: ...No space left on device', exit 1, for every applet's data" {
	holder
	n=$(uniq_name)
	q=$n-q s=$n-s
	shmctl create "$n" 64K
	mqctl create "$q"
	mqctl send "$q" hello
	semctl create "$s" 2
	efd create @ev -c 2
	memfd create @m -s 16
	for c in "shmctl read $n" "shmctl read $n --hex" "shmctl stat $n" "shmctl ls" \
		"semctl get $s" "semctl ls" "mqctl stat $q" "mqctl ls" "efd get @ev" "efd ls" \
		"memfd read @m" "memfd seals @m" "memfd ls" "fdstore ls" "ipcls" "ipcls --json" \
		"ipcgc"; do
		try bash -c "exec $c >/dev/full"
		assert_equal "$c: $status" "$c: 1"
		assert_regex "$c: $stderr" "^$c: ${c%% *}: (stdout: write error|[a-z]+: stdout): No space left on device\$"
	done
	shmctl unlink "$n"
	mqctl unlink "$q"
	semctl unlink "$s"
}

@test "a closed pipe (| head -c1): killed by SIGPIPE, as cat is; with SIGPIPE ignored, 'stdout: Broken pipe' and exit 1" {
	n=$(uniq_name)
	shmctl create "$n" 64M
	# cat first: the behaviour to match.
	run bash -c 'cat /dev/zero | head -c1 >/dev/null; echo "${PIPESTATUS[0]}"'
	assert_output 141
	run bash -c 'shmctl read "$0" | head -c1 >/dev/null; echo "${PIPESTATUS[0]}"' "$n"
	assert_output 141
	run --separate-stderr bash -c 'trap "" PIPE; shmctl read "$0" | head -c1 >/dev/null; echo "${PIPESTATUS[0]}"' "$n"
	assert_equal "$output: $stderr" "1: shmctl: read: stdout: Broken pipe"
	# Followers end on the first write after the reader left: mqctl
	# recv -f by SIGPIPE; efd wait -f quietly with 0, as efd(1) says
	# (its reader went away: standard output reached its end).
	holder
	efd create @ev
	mqctl create "$n"
	for f in "efd wait -f @ev" "mqctl recv -f $n"; do
		bash -c "$f | head -c1 >/dev/null; echo \"\${PIPESTATUS[0]}\" >$BATS_TEST_TMPDIR/st" 3>&- &
		HOLDERS+=($!)
		# An event each look until the follower is gone: the first
		# write after head left kills it.
		case $f in
		efd*) kick="efd signal @ev" ;;
		mqctl*) kick="mqctl send -t 0 $n m" ;;
		esac
		wait_for "[ -s $BATS_TEST_TMPDIR/st ] || { $kick >/dev/null 2>&1; false; }"
		assert_equal "$f: $(cat "$BATS_TEST_TMPDIR/st")" "$f: $(
			[ "${f%% *}" = efd ] && echo 0 || echo 141)"
		rm "$BATS_TEST_TMPDIR/st"
	done
	mqctl unlink "$n"
	shmctl unlink "$n"
}

# ------------------------------------------- another user's objects, as nobody

# Each of "$@" (a command line, word-split) run as nobody: exit 1, one
# line that says the permission was refused, nothing on stdout.
denied_all() {
	local c
	for c in "$@"; do
		# shellcheck disable=SC2086 # one word an argument
		try as_nobody $c </dev/null
		assert_equal "$c: $status: $output" "$c: 1: "
		assert_regex "$c: $stderr" "^$c: [a-z]+: [a-z]+: [^
]*([Pp]ermission denied|Operation not permitted)[^
]*\$"
	done
}

@test "nobody against root's 0600 objects: shmctl, POSIX and System V; denied with the reason, nothing changed" {
	skip_unless_root
	n=$(uniq_name)
	r=$(uniq_name)
	k=$(uniq_key)
	shmctl create "$n" 4K
	shmctl write "$n" secret
	shmctl create "$r" 4K --ring
	shmctl create "$k" 4K >/dev/null
	shmctl write "$k" secret
	snap() {
		world
		shmctl read "$k" | md5sum
	}
	before=$(snap)
	# stat is allowed (as stat(1) and ipcs(1) are): shmctl.bats.
	denied_all "shmctl read $n" "shmctl write $n x" "shmctl write $n x -o 8K --grow" \
		"shmctl resize $n 8K" "shmctl chmod $n 0666" "shmctl unlink $n" \
		"shmctl create $n 4K --exist-ok" "shmctl send $r" "shmctl recv $r" \
		"shmctl read $k" "shmctl write $k x" "shmctl chmod $k 0666" "shmctl unlink $k" \
		"shmctl create $k 4K --exist-ok"
	assert_equal "$(snap)" "$before"
	shmctl unlink "$n" "$r" "$k"
}

@test "nobody against root's 0600 semaphores, POSIX and System V: denied with the reason, values unchanged" {
	skip_unless_root
	s=$(uniq_name)
	k=$(uniq_key)
	semctl create "$s" 1
	semctl create "$k" -N 2 >/dev/null
	semctl set "$k" 1 -i 1
	snap() {
		world
		semctl get "$s"
		semctl get "$k" -i 1
	}
	before=$(snap)
	denied_all "semctl post $s" "semctl wait $s -t 0" "semctl trywait $s" "semctl get $s" \
		"semctl run $s -- true" "semctl unlink $s" "semctl create $s --exist-ok" \
		"semctl post $k" "semctl wait $k -i 1 -t 0" "semctl get $k" "semctl set $k 5" \
		"semctl op $k 1:-1" "semctl run $k -- true" "semctl unlink $k" \
		"semctl create $k --exist-ok -N 2"
	assert_equal "$(snap)" "$before"
	semctl unlink "$s" "$k"
}

@test "nobody against root's 0600 queues, POSIX and System V: denied with the reason, depth unchanged" {
	skip_unless_root
	q=$(uniq_name)
	k=$(uniq_key)
	mqctl create "$q"
	mqctl send "$q" kept
	mqctl create "$k" >/dev/null
	mqctl send "$k" kept
	before=$(world)
	denied_all "mqctl send $q x" "mqctl recv $q -t 0" "mqctl stat $q" "mqctl unlink $q" \
		"mqctl notify $q -- true" "mqctl create $q --exist-ok" \
		"mqctl send $k x" "mqctl recv $k -t 0" "mqctl stat $k" "mqctl unlink $k" \
		"mqctl create $k --exist-ok"
	assert_equal "$(world)" "$before"
	mqctl unlink "$q" "$k"
}

@test "nobody against root's 0600 eventfd and memfd in a shared fd store: denied with the reason, unchanged" {
	skip_unless_root
	holder
	efd create @ev -c 5
	memfd create @m -s 8
	memfd write @m secret
	snap() {
		fdstore ls -o NAME,TYPE,OWNER,MODE,COUNT,SIZE,SEALS
		memfd read @m | md5sum
	}
	before=$(snap)
	denied_all "efd signal @ev" "efd wait @ev -t 0" "efd get @ev" "efd create @ev --replace" \
		"memfd read @m" "memfd write @m x" "memfd seal @m seal" "memfd seals @m" \
		"memfd create @m --replace" "fdstore get @ev -- true" "fdstore rm @m"
	assert_equal "$(snap)" "$before"
}
