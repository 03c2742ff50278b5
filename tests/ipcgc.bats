#!/usr/bin/env bats
# ipcgc: the dry run changes nothing; --yes removes orphans of every
# removable type and never one a process maps, holds or has attached;
# --prefix, --older-than and -t; an object attached between the scan and
# its removal is skipped and reported; every bad input with its exit code.

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

# A set of objects: orphans of every removable type, and live ones.
make_objects() {
	ORPHAN=$(uniq_name) MAPPED=$(uniq_name) OPEN=$(uniq_name)
	SEM=$(uniq_name) LIVESEM=$(uniq_name) MQ=$(uniq_name)
	shmctl create "$ORPHAN" 4096
	shmctl create "$OPEN" 4096
	hold shm "$MAPPED" 4096 shm-fd "$OPEN" sem "$LIVESEM" 1
	"$HOLDER_BIN" sem "$SEM" 2 exit
	if [ -n "$MQ_DIR" ]; then
		"$HOLDER_BIN" mq "$MQ" 1 exit
	fi
	SHM_ORPHAN=$(ipcmk_id -M 4096)        # creator (ipcmk) gone
	sysv_made -m "$SHM_ORPHAN"
	SHM_LIVE=$(ipcmk_id -M 4096)
	sysv_made -m "$SHM_LIVE"
	hold attach "$SHM_LIVE"
	SEM_ORPHAN=$(ipcmk_id -S 1)
	sysv_made -s "$SEM_ORPHAN"
	"$HOLDER_BIN" semop "$SEM_ORPHAN" exit   # its last pid, gone
	SEM_UNUSED=$(ipcmk_id -S 1)            # no pid recorded: unknown
	sysv_made -s "$SEM_UNUSED"
	MSG_ORPHAN=$(ipcmk_id -Q)
	sysv_made -q "$MSG_ORPHAN"
	"$HOLDER_BIN" msgsnd "$MSG_ORPHAN" exit
	MSG_LIVE=$(ipcmk_id -Q)
	sysv_made -q "$MSG_LIVE"
	hold msgsnd "$MSG_LIVE"
}

# ----------------------------------------------------------------- dry run

@test "a dry run lists the orphans of every type and changes nothing" {
	make_objects
	before=$(state)
	run --separate-stderr ipcgc
	assert_success
	assert_equal "$stderr" ''
	assert_equal "$(state)" "$before"
	assert_line --regexp "^would remove posix-shm $ORPHAN \(idle [0-9]+s\)$"
	assert_line --regexp "^would remove posix-sem $SEM \(idle [0-9]+s\)$"
	if [ -n "$MQ_DIR" ]; then
		assert_line --regexp "^would remove posix-mq $MQ \(idle [0-9]+s\)$"
	fi
	# System V: the segment whose creator is gone, the set and the queue
	# whose last pid is gone; not the attached segment, nor the set no
	# process has used, nor the queue whose last sender lives.
	assert_line --regexp "^would remove sysv-shm $(sysv_name shm "$SHM_ORPHAN") \(idle [0-9]+s\)$"
	assert_line --regexp "^would remove sysv-sem $(sysv_name sem "$SEM_ORPHAN") \(idle [0-9]+s\)$"
	assert_line --regexp "^would remove sysv-msg $(sysv_name msg "$MSG_ORPHAN") \(idle [0-9]+s\)$"
	refute_output --partial "$(sysv_name shm "$SHM_LIVE")"
	refute_output --partial "$(sysv_name sem "$SEM_UNUSED")"
	refute_output --partial "$(sysv_name msg "$MSG_LIVE")"
	refute_output --partial "$MAPPED"
	refute_output --partial "$OPEN"
	refute_output --partial "$LIVESEM"
	run ipcls -t sysv-shm,sysv-sem,sysv-msg --orphans -o TYPE,ID --raw -n
	assert_line "sysv-shm $SHM_ORPHAN"
	assert_line "sysv-sem $SEM_ORPHAN"
	assert_line "sysv-msg $MSG_ORPHAN"
	refute_line "sysv-shm $SHM_LIVE"
	refute_line "sysv-sem $SEM_UNUSED"
	refute_line "sysv-msg $MSG_LIVE"
}

# --------------------------------------------------------------------- yes

@test "--yes removes the orphans, and nothing mapped, held or attached" {
	make_objects
	local n_shm n_sem n_msg
	n_shm=$(sysv_name shm "$SHM_ORPHAN") n_sem=$(sysv_name sem "$SEM_ORPHAN")
	n_msg=$(sysv_name msg "$MSG_ORPHAN")
	run --separate-stderr ipcgc --yes
	assert_success
	assert_equal "$stderr" ''
	assert_line "removed sysv-shm $n_shm"
	assert_line "removed sysv-sem $n_sem"
	assert_line "removed sysv-msg $n_msg"
	assert_line "removed posix-shm $ORPHAN"
	assert_line "removed posix-sem $SEM"
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
	sysv_gone msg "$MSG_ORPHAN"
	# Kept.
	assert_file_exist "/dev/shm/${MAPPED#/}"
	assert_file_exist "/dev/shm/${OPEN#/}"
	assert_file_exist "/dev/shm/sem.${LIVESEM#/}"
	sysv_exists shm "$SHM_LIVE"
	sysv_exists sem "$SEM_UNUSED"
	sysv_exists msg "$MSG_LIVE"
	# Nothing left to do.
	run ipcgc
	refute_output --partial "ipcbox-t$$-"
}

@test "--prefix: only POSIX names that start with it" {
	local a b shmid
	a=/ipcbox-t$$-appA-1 b=/ipcbox-t$$-appB-1
	shmctl create "$a" 4096
	shmctl create "$b" 4096
	shmid=$(ipcmk_id -M 4096)
	sysv_made -m "$shmid"
	run --separate-stderr ipcgc --prefix "ipcbox-t$$-appA" --yes
	assert_success
	assert_equal "$output" "removed posix-shm $a"
	assert_file_not_exist "/dev/shm/${a#/}"
	assert_file_exist "/dev/shm/${b#/}"
	sysv_exists shm "$shmid"
}

@test "--older-than: only objects unused that long" {
	local old new shmid
	old=$(uniq_name) new=$(uniq_name)
	shmctl create "$old" 4096
	shmctl create "$new" 4096
	touch -d '2 days ago' "/dev/shm/${old#/}"
	shmid=$(ipcmk_id -M 4096)   # its ctime is now, and cannot be faked
	sysv_made -m "$shmid"
	run ipcgc --older-than 1d
	assert_success
	assert_line "would remove posix-shm $old (idle 2d)"
	refute_output --partial "$new"
	refute_output --partial "sysv-shm"
	run ipcgc --older-than 36h --yes
	assert_success
	assert_output "removed posix-shm $old"
	assert_file_exist "/dev/shm/${new#/}"
	sysv_exists shm "$shmid"
	# A fresh System V orphan is younger than an hour.
	run ipcgc -t sysv-shm --older-than 1h
	assert_output ''
	run ipcgc -t sysv-shm --older-than 0
	assert_line --regexp "^would remove sysv-shm $(sysv_name shm "$shmid") "
}

@test "-t: only those types" {
	local shm shmid
	shm=$(uniq_name)
	shmctl create "$shm" 4096
	shmid=$(ipcmk_id -M 4096)
	sysv_made -m "$shmid"
	run ipcgc -t sysv-shm --yes
	assert_success
	refute_output --partial posix
	assert_file_exist "/dev/shm/${shm#/}"
	sysv_gone shm "$shmid"
	run ipcgc -t posix-shm --prefix "ipcbox-t$$-"
	assert_output --regexp "^would remove posix-shm $shm \(idle [0-9]s\)$"
}

# ------------------------------------------------------------------ races

@test "a segment attached between the scan and its removal is skipped" {
	command -v strace >/dev/null || skip "needs strace"
	local shmid out=$BATS_TEST_TMPDIR/gc
	shmid=$(ipcmk_id -M 4096)
	sysv_made -m "$shmid"
	# Hold ipcgc's first shmctl (the check before IPC_RMID) for 1.5 s
	# and attach the segment meanwhile.  (LeakSanitizer cannot work
	# under ptrace: off, for the sanitizer build.)
	ASAN_OPTIONS=detect_leaks=0 strace -o /dev/null -e trace=shmctl \
	    -e inject=shmctl:delay_enter=1500000:when=1 \
	    ipcgc -t sysv-shm --yes >"$out" 2>"$out.err" &
	local gc=$!
	sleep 0.5
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
	    "-t posix-shm,frob" "extra" "--frob" "--older-than"; do
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
	run --separate-stderr ipcgc extra
	assert_equal "$stderr" "ipcgc: extra: unexpected operand (try 'ipcgc --help')"
	assert_equal "$(state)" "$before"
}

@test "a user who may not inspect every process removes no POSIX object" {
	skip_unless_root
	local shm shmid
	shm=$(uniq_name)
	shmctl create "$shm" 4096 -m 0666
	chown nobody "/dev/shm/${shm#/}"
	shmid=$(ipcmk_id -M 4096)     # root's, mode 0644
	sysv_made -m "$shmid"
	run --separate-stderr as_nobody ipcgc --yes
	assert_failure 1
	assert_file_exist "/dev/shm/${shm#/}"
	[[ $stderr == "ipcgc: "*" processes may not be inspected (run as root): POSIX objects are left alone"* ]]
	# The segment is root's: nobody may not remove it.
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
	run --separate-stderr ipcgc --trace -t posix-shm,sysv-shm --yes
	assert_success
	[[ $stderr == *"shm_unlink(\"$shm\") = 0"* ]]
	[[ $stderr == *"shmctl($shmid, IPC_STAT, {shm_segsz=4096, shm_nattch=0, ...}) = 0"* ]]
	[[ $stderr == *"shmctl($shmid, IPC_RMID, NULL) = 0"* ]]
}

@test "--help: the synopsis and the options" {
	run ipcgc --help
	assert_success
	assert_line --index 0 "Usage: ipcgc [--trace] [-t TYPES] [--prefix P] [--older-than TIME] [--yes]"
	assert_line --partial "--older-than TIME"
}

# ------------------------------------------------------ hostile environments

@test "names with a newline or an escape are printed escaped, one line each" {
	n="ipcbox-t$$-nl"$'\nx\e[1m'
	shmctl create "/$n" 8
	touch -d '2 hours ago' "/dev/shm/$n"
	run --separate-stderr ipcgc --prefix "ipcbox-t$$-nl"
	assert_success
	assert_output --regexp "^would remove posix-shm /ipcbox-t$$-nl\\\\nx\\\\033\\[1m \\(idle [0-9]+[smhd]+[0-9]*[smh]?\\)\$"
	run --separate-stderr ipcgc --prefix "ipcbox-t$$-nl" --yes
	assert_success
	assert_output "removed posix-shm /ipcbox-t$$-nl\\nx\\033[1m"
}

@test "an unknown option gives the --help hint" {
	assert_fails 2 "ipcgc: --bogus: unknown option (try 'ipcgc --help')" ipcgc --bogus
}
