#!/usr/bin/env bats
# fdstore: the holder, put/get/rm/ls, @name in efd and memfd, access by
# owner and mode, unsafe directories, a dead holder's socket, the
# autostart race, hostile clients.  Every test uses a socket in a
# directory of its own (IPCBOX_FDSTORE or -S), never a user's store, and
# teardown ends every holder it started.

load test_helper

CLIENT=$BATS_TEST_DIRNAME/fdstore-client.py

setup() {
	SOCKDIR=$(mktemp -d /tmp/ipcbox-fdstore-test.XXXXXX)
	SOCK=$SOCKDIR/fd.sock
	export IPCBOX_FDSTORE=$SOCK
	unset IPCBOX_NO_AUTOSTART
	PY=python3
	[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
}

# The pids of the holders serving sockets under SOCKDIR (their pidfiles).
holder_pids() {
	local f
	find "$SOCKDIR" -name '*.sock.pid' 2>/dev/null | while read -r f; do
		cat "$f" 2>/dev/null && echo
	done | grep -v '^$' || :
}

# Processes whose command line names SOCKDIR (autostarted holders): one
# grep, whose pattern does not match its own command line.
procs_here() {
	grep -l -- "${SOCKDIR%?}[${SOCKDIR: -1}]" /proc/[0-9]*/cmdline 2>/dev/null |
		cut -d/ -f3 || :
}

# Process $1 runs (a zombie, an ended daemon that init has yet to reap,
# does not).
alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "${st%% *}" != Z ]
}

teardown() {
	local pids p _
	pids=$(holder_pids)
	for p in $pids; do
		kill "$p" 2>/dev/null || :
	done
	stop_holders
	for p in $pids; do
		for _ in $(seq 200); do
			alive "$p" || break
			sleep 0.01
		done
	done
	rm -rf "$SOCKDIR"
	# Nothing left running: no holder, no client of this test's sockets.
	assert_equal "$(procs_here)" ''
}

# The one holder of SOCK: its pid, from its pidfile.
holder() {
	cat "$SOCK.pid"
}

# wait_for CMD...: until CMD succeeds, for 2 s at most.
wait_for() {
	local _
	for _ in $(seq 200); do
		"$@" && return 0
		sleep 0.01
	done
	return 1
}

# ------------------------------------------------------------ put, get, rm, ls

@test "put, get, rm: the descriptor a process put is the one another runs with" {
	run efd new -c 5 -- fdstore put @ev 3
	assert_success
	assert_output ''
	run fdstore get @ev -- sh -c 'readlink /proc/self/fd/3; efd get 3'
	assert_success
	assert_output "$(printf 'anon_inode:[eventfd]\n5')"
	run fdstore get @ev --fd 7 -- efd get 7
	assert_success
	assert_output 5
	run fdstore rm @ev
	assert_success
	assert_fails 1 "fdstore: get: @ev: no such entry" fdstore get @ev -- true
}

@test "get: CMD's status is fdstore's; 127 not found; --fd 1 is a usage error" {
	efd create @ev
	run fdstore get @ev -- sh -c 'exit 7'
	assert_failure 7
	run -127 --separate-stderr fdstore get @ev -- ipcbox-no-such-command
	assert_equal "$stderr" "fdstore: get: ipcbox-no-such-command: command not found"
	assert_fails 2 "fdstore: get: --fd '1' would shadow stdout; use 3 or above" \
		fdstore get @ev --fd 1 -- true
	assert_fails 2 "fdstore: get: missing CMD after '--'" fdstore get @ev --
}

@test "ls: name, type, owner, mode, age, count of an eventfd, size and seals of a memfd" {
	efd create @ev -c 42
	printf 'abc' | memfd create @blob --from - --seal write,seal -m 0640
	efd new -- fdstore put @other 0
	run fdstore ls
	assert_success
	assert_line --index 0 --regexp '^NAME +TYPE +OWNER +MODE +AGE +COUNT +SIZE +SEALS$'
	assert_line --index 1 --regexp '^@blob +memfd +root +0640 +[0-9]+s +- +3B +seal,write(,exec)?$'
	assert_line --index 2 --regexp '^@ev +eventfd +root +0600 +[0-9]+s +42 +- +-$'
	assert_line --index 3 --regexp '^@other +other +root +0600 '
	run fdstore ls --json -o NAME,COUNT,SIZE,HOLDERS
	assert_success
	assert_output --partial '"name": "@ev",'
	assert_output --partial '"count": 42,'
	assert_output --partial '"size": 3,'
	assert_output --partial "\"holders\": [$(holder)]"
}

@test "ls: more entries than one answer holds (32) come in pages, each once" {
	efd new -- sh -c 'for i in $(seq 40); do fdstore put "@n$i" 3; done'
	run fdstore ls -n -o NAME
	assert_success
	assert_equal "$(sort <<<"$output" | uniq | wc -l)" 40
	assert_equal "$(wc -l <<<"$output")" 40
}

@test "ls with no holder running lists nothing and starts none" {
	run fdstore ls -n
	assert_success
	assert_output ''
	assert [ ! -e "$SOCK" ]
}

@test "put: a taken name is an error unless --replace; -m sets the mode" {
	efd create @ev -c 1
	assert_fails 1 "fdstore: put: @ev: the name is taken (--replace replaces it)" \
		efd new -c 2 -- fdstore put @ev 3
	assert_fails 1 "efd: create: @ev: the name is taken (--replace replaces it)" \
		efd create @ev
	efd new -c 2 -- fdstore put @ev 3 --replace -m g=r,u=rw
	run efd get @ev
	assert_output 2
	run fdstore ls -n -o MODE
	assert_output 0640
}

@test "names and addresses: bad ones are usage errors before the store is touched" {
	local long
	long=$(printf 'x%.0s' $(seq 256))
	assert_fails 2 "fdstore: put: @a/b: invalid name: only A-Z a-z 0-9 . _ - may be used" \
		fdstore put @a/b 0
	assert_fails 2 "fdstore: rm: @: invalid name: empty" fdstore rm @
	assert_fails 2 "fdstore: rm: @$long: invalid name: longer than 255 bytes" fdstore rm "@$long"
	assert_fails 2 "fdstore: get: ev: not an address this verb accepts" fdstore get ev -- true
	assert_fails 2 "fdstore: put: pid:1:3: want a descriptor of this process: N or fd:N" \
		fdstore put @ev pid:1:3
	assert_fails 1 "fdstore: put: 9: not an open descriptor" fdstore put @ev 9
	assert_fails 2 "efd: signal: @a b: invalid name: only A-Z a-z 0-9 . _ - may be used" \
		efd signal '@a b'
	assert_fails 2 "fdstore: put: mode 'rwx' is invalid" fdstore put @ev 0 -m rwx
	assert [ ! -e "$SOCK" ]
}

# ------------------------------------------------- unrelated processes share

@test "two unrelated processes share an eventfd by name: a waiter and a signaller" {
	efd create @ev
	setsid efd wait @ev -t 5 >"$BATS_TEST_TMPDIR/out" 2>&1 </dev/null 3>&- &
	local waiter=$!
	HOLDERS+=("$waiter")
	# It waits once it holds the eventfd.
	wait_for sh -c "ls -l /proc/$waiter/fd 2>/dev/null | grep -q eventfd"
	setsid efd signal @ev -n 3 </dev/null 3>&-
	wait "$waiter"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" 3
}

@test "a producer seals a memfd and quits; a consumer in another session reads it byte for byte" {
	head -c 100000 /dev/urandom >"$BATS_TEST_TMPDIR/blob"
	setsid sh -c "memfd create @cfg --from '$BATS_TEST_TMPDIR/blob' --seal write,grow,shrink,seal" \
		</dev/null 3>&-
	setsid memfd read @cfg >"$BATS_TEST_TMPDIR/back" </dev/null 3>&-
	cmp "$BATS_TEST_TMPDIR/blob" "$BATS_TEST_TMPDIR/back"
	run setsid memfd seals @cfg
	assert_output --regexp '^seal,shrink,grow,write(,exec)?$'
	assert_fails 1 "memfd: write: @cfg: sealed against writing" memfd write @cfg x
}

# ------------------------------------------------------------------ access

@test "nobody cannot get or remove root's 0600 entry on a shared socket, and can with 0606" {
	chmod 755 "$SOCKDIR"
	efd create @secret -c 1
	efd create @open -c 2 -m 0606
	assert_fails 1 "efd: get: @secret: permission denied (the entry is uid 0's, mode 0600)" \
		as_nobody efd get @secret
	assert_fails 1 "fdstore: rm: @secret: permission denied (the entry is uid 0's, mode 0600)" \
		as_nobody fdstore rm @secret
	assert_fails 1 "fdstore: put: @secret: permission denied (the entry is uid 0's, mode 0600)" \
		as_nobody efd new -- fdstore put @secret 3 --replace
	run as_nobody fdstore ls -n -o NAME
	assert_output '@open'
	run as_nobody efd get @open
	assert_success
	assert_output 2
	run as_nobody fdstore rm @open
	assert_success
	run fdstore ls -n -o NAME
	assert_output '@secret'
	# nobody's own entry is nobody's, and root may do everything.
	as_nobody efd create @mine
	run fdstore ls -n -o NAME,OWNER
	assert_line --regexp '^@mine +nobody$'
	run efd get @mine
	assert_output 0
	assert_fails 1 "fdstore: stop: $SOCK: permission denied (the holder runs as uid 0: only that user and root may stop it)" \
		as_nobody fdstore stop
}

@test "unsafe socket directories are refused, by the holder and by clients" {
	local d=$SOCKDIR/d
	mkdir -m 775 "$d"
	assert_fails 1 "fdstore: serve: $d/s: unsafe directory $d: mode 0775, writable by others" \
		fdstore serve -S "$d/s"
	assert_fails 1 "efd: create: @x: unsafe directory $d: mode 0775, writable by others" \
		efd create @x -S "$d/s"
	chmod 700 "$d"
	chown nobody "$d"
	assert_fails 1 "fdstore: serve: $d/s: unsafe directory $d: owned by uid 65534, not by this user or root" \
		fdstore serve -S "$d/s"
	mkdir -m 700 "$SOCKDIR/real"
	ln -s real "$SOCKDIR/link"
	assert_fails 1 "fdstore: serve: $SOCKDIR/link/s: unsafe directory $SOCKDIR/link: a symbolic link" \
		fdstore serve -S "$SOCKDIR/link/s"
	assert_fails 1 "memfd: seals: @x: unsafe directory $SOCKDIR/link: a symbolic link" \
		env IPCBOX_FDSTORE="$SOCKDIR/link/s" memfd seals @x
	touch "$SOCKDIR/real/s"
	assert_fails 1 "fdstore: serve: $SOCKDIR/real/s: exists and is not a socket" \
		fdstore serve -S "$SOCKDIR/real/s"
	assert_equal "$(ls "$SOCKDIR/real")" s
}

@test "the default socket: \$XDG_RUNTIME_DIR/ipcbox, made 0700; another user's is refused" {
	unset IPCBOX_FDSTORE
	mkdir -m 700 "$SOCKDIR/xdg"
	XDG_RUNTIME_DIR=$SOCKDIR/xdg efd create @ev -c 9
	assert_equal "$(stat -c '%a %U' "$SOCKDIR/xdg/ipcbox")" '700 root'
	assert [ -S "$SOCKDIR/xdg/ipcbox/fdstore.sock" ]
	run env XDG_RUNTIME_DIR="$SOCKDIR/xdg" efd get @ev
	assert_output 9
	run env XDG_RUNTIME_DIR="$SOCKDIR/xdg" fdstore stop
	assert_success
	chown nobody "$SOCKDIR/xdg/ipcbox"
	assert_fails 1 "efd: get: @ev: unsafe directory $SOCKDIR/xdg/ipcbox: owned by uid 65534, not by this user" \
		env XDG_RUNTIME_DIR="$SOCKDIR/xdg" efd get @ev
	# Without XDG_RUNTIME_DIR: /tmp/ipcbox-UID.
	assert_fails 1 "efd: get: @ev: no fd store running at /tmp/ipcbox-65534/fdstore.sock (IPCBOX_NO_AUTOSTART is set)" \
		as_nobody env -u XDG_RUNTIME_DIR IPCBOX_NO_AUTOSTART=1 efd get @ev
}

# ------------------------------------------------------------ the holder

@test "serve: one holder a socket; stop ends it and removes its socket" {
	fdstore serve
	local pid
	pid=$(holder)
	assert [ -S "$SOCK" ]
	assert_equal "$(cat "/proc/$pid/comm")" fdstore
	assert_fails 1 "fdstore: serve: $SOCK: a holder is running (pid $pid)" fdstore serve
	assert_fails 1 "fdstore: serve: $SOCK: a holder is running (pid $pid)" fdstore serve -f
	run fdstore stop
	assert_success
	assert [ ! -e "$SOCK" ]
	assert [ ! -e "$SOCK.pid" ]
	wait_for eval "! alive $pid"
	assert_fails 1 "fdstore: stop: no fd store running at $SOCK" fdstore stop
}

@test "serve -f stays in the foreground; --idle-exit ends an empty holder" {
	export IPCBOX_NO_AUTOSTART=1 # no second holder if this one ended
	# 1 s idle (times TIME_FACTOR: under valgrind a client takes longer
	# than a second to connect).
	fdstore serve -f --idle-exit "${TIME_FACTOR}s" 3>&- &
	local pid=$!
	HOLDERS+=("$pid")
	wait_for test -S "$SOCK"
	assert_equal "$(holder)" "$pid"
	# An entry keeps it, however long idle.
	efd create @ev
	sleep "$(scaled 12)"
	alive "$pid"
	fdstore rm @ev
	wait "$pid"
	assert [ ! -e "$SOCK" ]
	assert [ ! -e "$SOCK.pid" ]
}

@test "a dead holder's socket: the next client says the store restarted, starts a new one, exit 1" {
	efd create @jobs
	local old
	old=$(holder)
	kill -9 "$old"
	wait_for eval "! alive $old"
	assert [ -S "$SOCK" ]
	run --separate-stderr efd signal @jobs
	assert_failure 1
	assert_equal "$output" ''
	[[ $stderr =~ ^"efd: signal: @jobs: no such entry (the fd store restarted at "[0-9]{2}:[0-9]{2}:[0-9]{2}"; what the old one held is gone)"$ ]]
	local new
	new=$(holder)
	[ "$new" != "$old" ]
	alive "$new"
	efd create @jobs
	run efd get @jobs
	assert_output 0
}

@test "autostart: 20 clients at once end with one holder and every request served" {
	local i pids=() failed=0
	for i in $(seq 20); do
		efd create "@e$i" -c "$i" 3>&- &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i" || failed=$((failed + 1))
	done
	assert_equal "$failed" 0
	assert_equal "$(procs_here | wc -l)" 1
	run fdstore ls -n -o COUNT
	assert_equal "$(tr -d ' ' <<<"$output" | sort -n | paste -sd,)" "$(seq 20 | paste -sd,)"
}

@test "IPCBOX_NO_AUTOSTART: no holder is started, the client fails" {
	assert_fails 1 "efd: get: @ev: no fd store running at $SOCK (IPCBOX_NO_AUTOSTART is set)" \
		env IPCBOX_NO_AUTOSTART=1 efd get @ev
	assert [ ! -e "$SOCK" ]
}

@test "--max: a full store refuses a put and keeps serving" {
	fdstore serve --max 2
	efd create @a -c 1
	efd create @b -c 2
	assert_fails 1 "efd: create: @c: the fd store is full (2 entries)" efd create @c
	run efd get @b
	assert_output 2
	fdstore rm @a
	efd create @c
}

@test "hostile clients: garbage, oversized, truncated, extra descriptors, silence; the holder serves on" {
	efd create @ev -c 4
	local pid
	pid=$(holder)
	run "$PY" "$CLIENT" "$SOCK" send 'garbage'
	assert_output 'err proto'
	run "$PY" "$CLIENT" "$SOCK" send '2 get ev'
	assert_output 'err version 1'
	run "$PY" "$CLIENT" "$SOCK" send '1 get ev\x00'
	assert_output 'err proto'
	run "$PY" "$CLIENT" "$SOCK" send '1 get  ev'
	assert_output 'err proto'
	run "$PY" "$CLIENT" "$SOCK" send '1 frob ev'
	assert_output 'err inval'
	run "$PY" "$CLIENT" "$SOCK" send '1 get ../ev'
	assert_output 'err inval'
	run "$PY" "$CLIENT" "$SOCK" send '1 put x 0600 0'
	assert_output 'err inval'
	run "$PY" "$CLIENT" "$SOCK" send '1 put x 0900 0' 1
	assert_output 'err inval'
	run "$PY" "$CLIENT" "$SOCK" send '1 get ev' 1
	assert_output 'err proto'
	run "$PY" "$CLIENT" "$SOCK" send '1 put x 0600 0' 3
	assert_output 'err toobig'
	run "$PY" "$CLIENT" "$SOCK" big 100000
	assert_output 'err toobig'
	run "$PY" "$CLIENT" "$SOCK" send '1 get ev'
	assert_output 'ok eventfd +fd'
	# Nothing of those was kept: three descriptors of /dev/null at most.
	assert_equal "$(ls -l "/proc/$pid/fd" | grep -c /dev/null)" 3
	# A silent client is closed after --timeout (5 s: here 300 ms) and
	# holds nobody up meanwhile.
	fdstore stop
	fdstore serve --timeout 300ms
	efd create @ev -c 4
	"$PY" "$CLIENT" "$SOCK" idle 5 >"$BATS_TEST_TMPDIR/idle" &
	local idle=$!
	run efd get @ev
	assert_output 4
	wait "$idle"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/idle")" EOF
	# A client killed mid-request.
	timeout -s KILL 0.1 "$PY" "$CLIENT" "$SOCK" idle 5 || :
	run efd get @ev
	assert_output 4
	alive "$(holder)"
}

# ------------------------------------------------------------- @name in efd, memfd

@test "efd create @name: -c, --semaphore; every verb takes @name and -S" {
	local s2=$SOCKDIR/two.sock
	efd create @sem -c 3 --semaphore -S "$s2"
	run efd get @sem --socket "$s2"
	assert_output 3
	run efd wait @sem -S "$s2"
	assert_output 1
	efd signal @sem -n 5 --socket="$s2"
	run efd get @sem -S"$s2"
	assert_output 7
	assert_fails 1 "efd: get: @sem: no such entry" efd get @sem
	assert_fails 1 "efd: get: @blob: not an eventfd: a memfd (blob)" \
		sh -c 'memfd create @blob -S "$1" && efd get @blob -S "$1"' sh "$s2"
	run fdstore ls -n -o NAME -S "$s2"
	assert_output "$(printf '@blob\n@sem')"
}

@test "efd wait on several @names: which one fired" {
	efd create @a
	efd create @b -c 2
	run efd wait @a @b -t 1
	assert_success
	assert_output '@b 2'
	assert_fails 2 "efd: wait: @a: named twice" efd wait @a @a
}

@test "memfd create @name: -s, --from, --seal, -m; seal, read and write through the store" {
	memfd create @m -s 8 -m 0644
	memfd write @m hi
	run memfd read @m -n 2
	assert_output hi
	memfd seal @m grow
	run memfd seals @m
	assert_output --regexp '^grow(,exec)?$'
	assert_fails 1 "memfd: write: @m: write past the end (8 bytes), and --grow is sealed" \
		memfd write @m 123456789 || :
	run fdstore ls -n -o NAME,MODE,SIZE -b
	assert_output --regexp '^@m +0644 +8$'
}

@test "--trace: connect, sendmsg and recvmsg with SCM_RIGHTS" {
	efd create @ev
	run --separate-stderr sh -c 'exec 4>&-; efd --trace get @ev' 3>&-
	assert_success
	# (the path cut at 32 bytes, as every traced name is)
	[[ $stderr == *'connect(3, {AF_UNIX, "/tmp/ipcbox-fdstore-test.'*'"...}, 110) = 0'* ]]
	[[ $stderr == *'sendmsg(3, {"1 get ev"}, MSG_NOSIGNAL) = 8'* ]]
	[[ $stderr == *'recvmsg(3, {"ok eventfd", [SCM_RIGHTS 4]}, MSG_CMSG_CLOEXEC) = 10'* ]]
	run --separate-stderr sh -c 'exec 4>&-; efd --trace create @two' 3>&-
	[[ $stderr == *'eventfd(0, EFD_CLOEXEC) = 3'* ]]
	[[ $stderr == *'sendmsg(4, {"1 put two 0600 0", [SCM_RIGHTS 3]}, MSG_NOSIGNAL) = 16'* ]]
	[[ $stderr == *'recvmsg(4, {"ok"}, MSG_CMSG_CLOEXEC) = 2'* ]]
}

@test "ipcls lists stored descriptors (type stored) and names the holder" {
	efd create @ev -c 3
	memfd create @blob -s 4K
	local pid
	pid=$(holder)
	run ipcls -t stored -o TYPE,NAME,HOLDS,OWNER,PERMS,HOLDERS
	assert_success
	assert_line --regexp "^stored +@blob +memfd +root +rw------- +$pid\$"
	assert_line --regexp "^stored +@ev +eventfd +root +rw------- +$pid\$"
	run efd ls -o PID,COMMAND,COUNT
	assert_line --regexp "^ *$pid +fdstore +3\$"
	run ipcls -o TYPE,NAME
	assert_line --regexp '^stored +@ev$'
}
