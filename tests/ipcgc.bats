#!/usr/bin/env bats
# ipcgc: the dry run changes nothing; --yes removes orphans of every
# removable type and never one a process maps, holds, has attached or
# waits on; an object nothing uses whose owner (or creator, or a pid it
# recorded) lives is kept with the reason, unless named by --prefix, a
# NAME or --owner; --older-than, -t, --sort; an object attached between
# the scan and its removal is skipped and reported; every bad input with
# its exit code.
#
# Orphans are made as GONE_UID (ipc_helper.bash), a user none of whose
# processes runs: root, who runs the suite, always has live processes, so
# an object of root's that nothing uses is "unheld", never an orphan.

load test_helper
load ipc_helper

# ---------------------------------------------------------------- helpers

setup_file() {
	ipc_setup_file
}

teardown_file() {
	ipc_teardown_file
}

setup() {
	umask 022
}

teardown() {
	ipc_teardown
}

# Every object this test may touch, with what identifies its state.
state() {
	ls -l --time-style=+%s /dev/shm | awk '{ print $1, $5, $6, $7 }'
	if [ -n "$MQ_DIR" ]; then
		ls "$MQ_DIR"
	fi
	tail -n +2 /proc/sysvipc/shm | awk '{ print $1, $2, $3, $7 }'
	tail -n +2 /proc/sysvipc/sem | awk '{ print $1, $2, $3 }'
	tail -n +2 /proc/sysvipc/msg | awk '{ print $1, $2, $3, $5 }'
}

# A set of objects: orphans of every removable type (GONE_UID's, their
# programs gone), objects in use (root's, held by live processes), and
# root's unheld ones (nothing uses them, but root lives).
make_objects() {
	ORPHAN=$(uniq_name) MAPPED=$(uniq_name) OPEN=$(uniq_name)
	SEM=$(uniq_name) LIVESEM=$(uniq_name) MQ=$(uniq_name)
	ROOTS=$(uniq_name)
	as_gone shmctl create "$ORPHAN" 4096
	shmctl create "$OPEN" 4096
	shmctl create "$ROOTS" 8192        # root's, unused: unheld
	hold shm "$MAPPED" 4096 shm-fd "$OPEN" sem "$LIVESEM" 1
	as_gone "$HOLDER_BIN" sem "$SEM" 2 exit
	if [ -n "$MQ_DIR" ]; then
		as_gone "$HOLDER_BIN" mq "$MQ" 1 exit
	fi
	SHM_ORPHAN=$(gone_ipcmk_id -M 4096)   # creator (ipcmk) gone
	sysv_made -m "$SHM_ORPHAN"
	SHM_LIVE=$(ipcmk_id -M 4096)
	sysv_made -m "$SHM_LIVE"
	hold attach "$SHM_LIVE"
	SEM_ORPHAN=$(gone_ipcmk_id -S 1)
	sysv_made -s "$SEM_ORPHAN"
	as_gone "$HOLDER_BIN" semop "$SEM_ORPHAN" exit   # its last pid, gone
	SEM_UNUSED=$(gone_ipcmk_id -S 1)       # no pid recorded, owner gone
	sysv_made -s "$SEM_UNUSED"
	SEM_ROOT=$(ipcmk_id -S 1)              # root's: unheld
	sysv_made -s "$SEM_ROOT"
	MSG_ORPHAN=$(gone_ipcmk_id -Q)
	sysv_made -q "$MSG_ORPHAN"
	as_gone "$HOLDER_BIN" msgsnd "$MSG_ORPHAN" exit
	MSG_LIVE=$(ipcmk_id -Q)               # root's, its last sender lives
	sysv_made -q "$MSG_LIVE"
	hold msgsnd "$MSG_LIVE"
}

# wait_sleeping PID...: until each sleeps (blocked in a system call).
wait_sleeping() {
	local p
	for p in "$@"; do
		for _ in $(seq 500); do
			[ "$(awk '{ print $3 }' "/proc/$p/stat")" = S ] && break
			sleep 0.01
		done
	done
}

# The reason root's unheld objects are kept.
ROOT_LIVE='owner root has [0-9]+ live process(es)? \(.+\)'

# ----------------------------------------------------------------- dry run

@test "a dry run lists the orphans of every type and changes nothing" {
	make_objects
	before=$(state)
	run --separate-stderr ipcgc
	assert_success
	assert_equal "$stderr" ''
	assert_equal "$(state)" "$before"
	assert_line --regexp "^would remove posix-shm $ORPHAN \(4\.0K, idle [0-9]+s\)$"
	assert_line --regexp "^would remove posix-sem $SEM \(idle [0-9]+s\)$"
	if [ -n "$MQ_DIR" ]; then
		assert_line --regexp "^would remove posix-mq $MQ \(idle [0-9]+s\)$"
	fi
	# System V: the segment whose creator is gone, the sets and the
	# queue whose owner and recorded pids are gone (a set no process
	# has used too, now that its owner has no process); not the attached
	# segment.
	assert_line --regexp "^would remove sysv-shm $(sysv_name shm "$SHM_ORPHAN") \(4\.0K, idle [0-9]+s\)$"
	assert_line --regexp "^would remove sysv-sem $(sysv_name sem "$SEM_ORPHAN") \(idle [0-9]+s\)$"
	assert_line --regexp "^would remove sysv-sem $(sysv_name sem "$SEM_UNUSED") \(idle [0-9]+s\)$"
	assert_line --regexp "^would remove sysv-msg $(sysv_name msg "$MSG_ORPHAN") \(idle [0-9]+s\)$"
	# Root's objects that nothing uses: kept, with the reason.
	assert_line --regexp "^kept posix-shm $ROOTS \(8\.0K, idle [0-9]+s\): $ROOT_LIVE$"
	assert_line --regexp "^kept sysv-sem $(sysv_name sem "$SEM_ROOT") \(idle [0-9]+s\): $ROOT_LIVE$"
	assert_line --regexp "^kept sysv-msg $(sysv_name msg "$MSG_LIVE") \(idle [0-9]+s\): $ROOT_LIVE$"
	# In use: not even mentioned.
	refute_output --partial "$(sysv_name shm "$SHM_LIVE")"
	refute_output --partial "$MAPPED"
	refute_output --partial "$OPEN"
	refute_output --partial "$LIVESEM"
	# The sum: two 4 KiB segments to free; root's 8 KiB one kept.
	local n=6
	[ -n "$MQ_DIR" ] && n=7
	assert_line "$n objects would be removed (8.0K of shared memory); 3 kept (8.0K)"
	run ipcls -t sysv-shm,sysv-sem,sysv-msg --orphans -o TYPE,ID --raw -n
	assert_line "sysv-shm $SHM_ORPHAN"
	assert_line "sysv-sem $SEM_ORPHAN"
	assert_line "sysv-sem $SEM_UNUSED"
	assert_line "sysv-msg $MSG_ORPHAN"
	refute_line "sysv-shm $SHM_LIVE"
	refute_line "sysv-sem $SEM_ROOT"
	refute_line "sysv-msg $MSG_LIVE"
}

# --------------------------------------------------------------------- yes

@test "--yes removes the orphans, and nothing mapped, held, attached or unheld" {
	make_objects
	local n_shm n_sem n_msg n_unused
	n_shm=$(sysv_name shm "$SHM_ORPHAN") n_sem=$(sysv_name sem "$SEM_ORPHAN")
	n_msg=$(sysv_name msg "$MSG_ORPHAN") n_unused=$(sysv_name sem "$SEM_UNUSED")
	run --separate-stderr ipcgc --yes
	assert_success
	assert_equal "$stderr" ''
	assert_line "removed sysv-shm $n_shm"
	assert_line "removed sysv-sem $n_sem"
	assert_line "removed sysv-sem $n_unused"
	assert_line "removed sysv-msg $n_msg"
	assert_line "removed posix-shm $ORPHAN"
	assert_line "removed posix-sem $SEM"
	assert_line --regexp "^kept posix-shm $ROOTS \(8\.0K, idle [0-9]+s\): $ROOT_LIVE$"
	refute_output --partial would
	# Gone.
	assert_file_not_exist "/dev/shm/${ORPHAN#/}"
	assert_file_not_exist "/dev/shm/sem.${SEM#/}"
	if [ -n "$MQ_DIR" ]; then
		assert_line "removed posix-mq $MQ"
		assert_file_not_exist "$MQ_DIR/${MQ#/}"
	fi
	sysv_gone shm "$SHM_ORPHAN"
	sysv_gone sem "$SEM_ORPHAN"
	sysv_gone sem "$SEM_UNUSED"
	sysv_gone msg "$MSG_ORPHAN"
	# Kept.
	assert_file_exist "/dev/shm/${MAPPED#/}"
	assert_file_exist "/dev/shm/${OPEN#/}"
	assert_file_exist "/dev/shm/${ROOTS#/}"
	assert_file_exist "/dev/shm/sem.${LIVESEM#/}"
	sysv_exists shm "$SHM_LIVE"
	sysv_exists sem "$SEM_ROOT"
	sysv_exists msg "$MSG_LIVE"
	# Nothing left to do but what is kept.
	run ipcgc
	refute_output --partial "would remove"
}

@test "an object of a user whose processes are all gone is an orphan; while the user runs, it is kept" {
	local shm sleeper
	shm=$(uniq_name)
	as_gone shmctl create "$shm" 64K
	run ipcgc --older-than 0 --prefix "${shm#/}"
	assert_line --regexp "^would remove posix-shm $shm \(64K, idle [0-9]+s\)$"
	# The user logs in again: its object may be wanted.
	"${AS_GONE[@]}" sleep $((30 * TIME_FACTOR)) &
	sleeper=$!
	HELD+=("$sleeper")
	run ipcgc --older-than 0
	assert_line --regexp "^kept posix-shm $shm \(64K, idle [0-9]+s\): owner $GONE_UID has 1 live process \(sleep\)$"
	refute_output --partial "would remove posix-shm $shm"
	run ipcgc --older-than 0 --yes
	assert_success
	assert_file_exist "/dev/shm/${shm#/}"
	run ipcls --orphans -t posix-shm -n -o NAME
	refute_output --partial "$shm"
	# Named, it goes, and the dry run names the user's processes.
	run ipcgc --prefix "${shm#/}"
	assert_output --partial "would remove posix-shm $shm (64K, idle "
	assert_output --partial "): unheld, owner $GONE_UID has 1 live process ($sleeper sleep)"
	kill "$sleeper"
	wait "$sleeper" || :
	run ipcgc --older-than 0 --yes
	assert_line "removed posix-shm $shm"
}

@test "a System V segment whose creator is alive is kept; once the creator exits, an orphan" {
	local out=$BATS_TEST_TMPDIR/creator shmid key=0x7e7e0abc pid
	# The creator makes the segment, attaches nothing, and lives on.
	"${AS_GONE[@]}" "$HOLDER_BIN" shmget "$key" 4096 >"$out" 2>&1 </dev/null &
	pid=$!
	HELD+=("$pid")
	for _ in $(seq 200); do grep -q ready "$out" && break; sleep 0.01; done
	shmid=$(awk -v k=$((key)) '$1 == k { print $2 }' /proc/sysvipc/shm)
	sysv_made -m "$shmid"
	run ipcgc -t sysv-shm --older-than 0
	assert_output --partial "kept sysv-shm key:0x7e7e0abc (4.0K, idle "
	assert_output --partial "): owner $GONE_UID has 1 live process (ipcls-holder)"
	run ipcgc -t sysv-shm --yes
	sysv_exists shm "$shmid"
	# A live pid it recorded keeps it too: root attaches and detaches
	# it, and lives on; the creator exits.
	hold touch "$shmid"
	kill "$pid"
	wait "$pid" || :
	run ipcgc -t sysv-shm --older-than 0
	assert_line --regexp "\): the last to use it, pid $HELD_PID \(ipcls-holder\) is alive$"
	stop_holders
	kill "$HELD_PID"
	wait "$HELD_PID" || :
	run ipcgc -t sysv-shm --older-than 0 --yes
	assert_line "removed sysv-shm key:0x7e7e0abc"
	sysv_gone shm "$shmid"
}

@test "waiters: a set a process waits on, a queue a process is blocked on, are in use" {
	local semid msgid waiter zero rcv out=$BATS_TEST_TMPDIR/rcv
	semid=$(gone_ipcmk_id -S 3)
	sysv_made -s "$semid"
	msgid=$(gone_ipcmk_id -Q)
	sysv_made -q "$msgid"
	run ipcgc -t sysv-sem,sysv-msg --older-than 0
	assert_line --regexp "^would remove sysv-sem "
	assert_line --regexp "^would remove sysv-msg "
	# As a user would: a wait for a post, then a wait for zero.
	semctl wait "id:$semid" -t 30 &
	waiter=$!
	HELD+=("$waiter")
	semctl set "id:$semid" 1 -i 2
	semctl op "id:$semid" 2:0 -t 30 &
	zero=$!
	HELD+=("$zero")
	"$HOLDER_BIN" msgrcv "$msgid" >"$out" 2>&1 </dev/null &
	rcv=$!
	HELD+=("$rcv")
	grep -q ready "$out" || sleep 0.2
	wait_sleeping "$waiter" "$zero" "$rcv"
	run --separate-stderr ipcgc -t sysv-sem,sysv-msg --older-than 0 --yes
	assert_success
	assert_line --regexp "^kept sysv-sem $(sysv_name sem "$semid") \(idle [0-9]+s\): 2 processes wait on it$"
	assert_line --regexp "^kept sysv-msg $(sysv_name msg "$msgid") \(idle [0-9]+s\): 1 process is blocked in msgrcv on it \($rcv ipcls-holder\)$"
	sysv_exists sem "$semid"
	sysv_exists msg "$msgid"
	# Not even named: a waiter is a user.
	run ipcgc --owner "$GONE_UID" --yes
	sysv_exists sem "$semid"
	sysv_exists msg "$msgid"
	kill "$waiter" "$zero" "$rcv"
	wait "$waiter" "$zero" "$rcv" || :
}

@test "--older-than 0 with no name removes only orphans; a name also removes the unheld" {
	local mine gone pre
	mine=$(uniq_name) gone=$(uniq_name)
	shmctl create "$mine" 4096
	as_gone shmctl create "$gone" 4096
	run ipcgc --yes --older-than 0
	assert_line "removed posix-shm $gone"
	assert_line --regexp "^kept posix-shm $mine \(4\.0K, idle [0-9]+s\): $ROOT_LIVE$"
	assert_file_exist "/dev/shm/${mine#/}"
	# Named by prefix: root's unheld object goes too.
	pre=${mine#/}
	run ipcgc --yes --older-than 0 --prefix "${pre%-*}"
	assert_line "removed posix-shm $mine"
	assert_file_not_exist "/dev/shm/${mine#/}"
}

@test "names, --owner and --sort: what the user names, largest first" {
	local a b c shmid
	a=$(uniq_name) b=$(uniq_name) c=$(uniq_name)
	shmctl create "$a" 4K
	shmctl create "$b" 1M
	shmctl create "$c" 64K
	shmid=$(ipcmk_id -M 8192)
	sysv_made -m "$shmid"
	run ipcgc --sort SIZE "$a" "$b" "$c" "id:$shmid"
	assert_success
	assert_line --index 0 --partial "would remove posix-shm $b (1.0M, "
	assert_line --index 1 --partial "would remove posix-shm $c (64K, "
	assert_line --index 2 --partial "would remove sysv-shm $(sysv_name shm "$shmid") (8.0K, "
	assert_line --index 3 --partial "would remove posix-shm $a (4.0K, "
	assert_line --index 4 "4 objects would be removed (1.1M of shared memory); 0 kept (0B)"
	# A name that names nothing: a line, exit 1; the others still go.
	run --separate-stderr ipcgc "$a" /ipcbox-nosuch-$$
	assert_failure 1
	assert_equal "$stderr" "ipcgc: /ipcbox-nosuch-$$: no such object"
	assert_line --partial "would remove posix-shm $a (4.0K, "
	# A name removes only what it names.
	run ipcgc --yes "$c"
	assert_output "removed posix-shm $c
1 object removed (64K of shared memory); 0 kept (0B)"
	assert_file_exist "/dev/shm/${a#/}"
	# --owner names a user's objects: GONE_UID has none here.
	run ipcgc --owner "$GONE_UID" --yes -t posix-shm
	assert_output "0 objects removed (0B of shared memory); 0 kept (0B)"
	run ipcgc --owner root -t posix-shm --yes
	assert_line "removed posix-shm $a"
	assert_line "removed posix-shm $b"
	# A held object, named, is kept with its holders.
	local held
	held=$(uniq_name)
	shmctl create "$held" 4096
	hold shm-fd "$held"
	run ipcgc --yes "$held"
	assert_line --regexp "^kept posix-shm $held \\(4\\.0K, idle [0-9]+s\\): held by 1 process \\($HELD_PID ipcls-holder\\)$"
	assert_file_exist "/dev/shm/${held#/}"
}

@test "--target: a container's objects, judged by the container's processes" {
	local ours gone mine pid out=$BATS_TEST_TMPDIR/inner
	ours=$(uniq_name) gone=$(uniq_name) mine=$(uniq_name)
	as_gone shmctl create "$ours" 4096      # an orphan out here
	# The container: its own IPC namespace and /dev/shm, an orphan of
	# GONE_UID's, root's object that nothing uses, and root's process.
	unshare --ipc --mount --propagation private sh -c '
		mount -t tmpfs -o mode=1777 inner /dev/shm || exit 1
		setpriv --reuid=$3 --regid=$3 --clear-groups shmctl create "$1" 8K &&
		    shmctl create "$2" 16K || exit 1
		exec "$0" sysv 0x7e7e0003 4096' \
	    "$HOLDER_BIN" "$gone" "$mine" "$GONE_UID" >"$out" 2>&1 </dev/null 3>&- &
	pid=$!
	HELD+=("$pid")
	for _ in $(seq 300); do grep -q ready "$out" && break; sleep 0.01; done
	grep -q ready "$out" || { cat "$out"; false; }
	run --separate-stderr ipcgc --target "$pid" --older-than 0
	assert_success
	assert_equal "$stderr" ''
	assert_line --regexp "^would remove posix-shm $gone \\(8\\.0K, idle [0-9]+s\\)$"
	# Root's processes out here (this shell, bash) do not count in
	# there: the container's do.  (A process that even root may not
	# inspect counts wherever it is.)
	assert_line --regexp "^kept posix-shm $mine \\(16K, idle [0-9]+s\\): owner root has [0-9]+ live process(es)? \\(.*ipcls-holder\\)$"
	refute_line --regexp "^kept posix-shm $mine .*bash"
	refute_output --partial "$ours"
	run ipcgc --target "$pid" --yes
	assert_line "removed posix-shm $gone"
	refute_output --partial "$ours"
	assert_file_exist "/dev/shm/${ours#/}"
	run ipcgc --target "$pid"
	refute_output --partial "$gone"
}

# ------------------------------------------------------------------ races

@test "a segment attached between the scan and its removal is skipped" {
	command -v strace >/dev/null || skip "needs strace"
	local shmid out=$BATS_TEST_TMPDIR/gc
	shmid=$(gone_ipcmk_id -M 4096)
	sysv_made -m "$shmid"
	# Hold ipcgc's first shmctl (the check before IPC_RMID) for 1.5 s
	# and attach the segment meanwhile, 0.5 s in (both times
	# TIME_FACTOR: under valgrind ipcgc takes seconds to get there).
	# (LeakSanitizer cannot work under ptrace: off, for the sanitizer
	# build.)
	ASAN_OPTIONS=detect_leaks=0 strace -o /dev/null -e trace=shmctl \
	    -e inject=shmctl:delay_enter=$((1500000 * TIME_FACTOR)):when=1 \
	    ipcgc -t sysv-shm --yes >"$out" 2>"$out.err" &
	local gc=$!
	sleep "$(scaled 5)"
	hold attach "$shmid"
	wait "$gc"
	run cat "$out.err"
	assert_line "ipcgc: $(sysv_name shm "$shmid"): skipped: attached since the scan"
	refute_output --partial removed
	sysv_exists shm "$shmid"
}

# -------------------------------------------------------------- bad input

@test "bad input: exit 2 with one line, and nothing removed" {
	local shm
	shm=$(uniq_name)
	shmctl create "$shm" 4096
	before=$(state)
	for args in "--prefix a/b" "--prefix /x" "--prefix=" \
	    "--older-than junk" "--older-than -1s" "-t eventfd" \
	    "-t posix-shm,frob" "a/b" "key:zz" "--owner nosuchuser" \
	    "--sort frob" "--target 0" "--frob" "--older-than"; do
		# shellcheck disable=SC2086
		run --separate-stderr ipcgc $args --yes
		assert_failure 2
		assert_equal "$output" ''
	done
	run --separate-stderr ipcgc --prefix a/b --yes
	assert_equal "$stderr" "ipcgc: --prefix 'a/b' has a slash (it is the start of a name, without /)"
	run --separate-stderr ipcgc --prefix= --yes
	assert_equal "$stderr" "ipcgc: --prefix '' is empty"
	run --separate-stderr ipcgc --older-than junk --yes
	assert_equal "$stderr" "ipcgc: --older-than 'junk' is invalid"
	run --separate-stderr ipcgc -t eventfd --yes
	assert_equal "$stderr" "ipcgc: eventfd: unknown type (valid: posix-shm,posix-sem,posix-mq,sysv-shm,sysv-sem,sysv-msg)"
	run --separate-stderr ipcgc a/b
	assert_equal "$stderr" "ipcgc: a/b: invalid name: a '/' after the first"
	run --separate-stderr ipcgc --owner nosuchuser
	assert_equal "$stderr" "ipcgc: --owner 'nosuchuser': no such user"
	run --separate-stderr ipcgc --sort frob
	assert_equal "$stderr" "ipcgc: --sort 'frob': no such key (SIZE, AGE or NAME)"
	assert_equal "$(state)" "$before"
}

@test "a user who may not inspect every process removes no POSIX object" {
	skip_unless_root
	local shm shmid
	shm=$(uniq_name)
	shmctl create "$shm" 4096 -m 0666
	chown nobody "/dev/shm/${shm#/}"
	shmid=$(gone_ipcmk_id -M 4096)     # an orphan of GONE_UID's
	sysv_made -m "$shmid"
	run --separate-stderr as_nobody ipcgc --yes
	assert_failure 1
	assert_file_exist "/dev/shm/${shm#/}"
	[[ $stderr == "ipcgc: "*" processes may not be inspected (run as root): POSIX objects are left alone"* ]]
	# The segment is GONE_UID's: nobody may not remove it.
	[[ $stderr == *"ipcgc: key:0x"*": cannot remove: Operation not permitted"* ]]
	sysv_exists shm "$shmid"
	run --separate-stderr as_nobody ipcls --orphans -t posix-shm
	assert_success
	[[ $stderr == "ipcls: "*" processes may not be inspected: what they map or hold is unknown (run as root)" ]]
}

# ------------------------------------------------------------------ trace

@test "--trace shows the checks and the removals" {
	local shm shmid
	shm=$(uniq_name)
	shmctl create "$shm" 4096
	shmid=$(ipcmk_id -M 4096)
	sysv_made -m "$shmid"
	run --separate-stderr ipcgc --trace -t posix-shm,sysv-shm --yes "$shm" "id:$shmid"
	assert_success
	[[ $stderr == *"shm_unlink(\"$shm\") = 0"* ]]
	[[ $stderr == *"shmctl($shmid, IPC_STAT, {shm_segsz=4096, shm_nattch=0, ...}) = 0"* ]]
	[[ $stderr == *"shmctl($shmid, IPC_RMID, NULL) = 0"* ]]
}

@test "--help: the synopsis and the options" {
	run ipcgc --help
	assert_success
	assert_line --index 0 "Usage: ipcgc [--trace] [-t TYPES] [--prefix P] [--owner USER] [--older-than TIME]"
	assert_line --partial "--older-than TIME"
	assert_line --partial "--owner USER"
}

# ------------------------------------------------------ hostile environments

@test "names with a newline or an escape are printed escaped, one line each" {
	n="ipcbox-t$$-nl"$'\nx\e[1m'
	as_gone shmctl create "/$n" 8
	touch -d '2 hours ago' "/dev/shm/$n"
	run --separate-stderr ipcgc --prefix "ipcbox-t$$-nl"
	assert_success
	assert_line --index 0 --regexp "^would remove posix-shm /ipcbox-t$$-nl\\\\nx\\\\033\\[1m \\(8B, idle [0-9]+[smhd]+[0-9]*[smh]?\\)\$"
	run --separate-stderr ipcgc --prefix "ipcbox-t$$-nl" --yes
	assert_success
	assert_line --index 0 "removed posix-shm /ipcbox-t$$-nl\\nx\\033[1m"
}

@test "an unknown option gives the --help hint" {
	assert_fails 2 "ipcgc: --bogus: unknown option (try 'ipcgc --help')" ipcgc --bogus
}
