#!/usr/bin/env bats
# ipcls: every type with its fields, holders exactly, --json against the
# table, --orphans, --summary (shmall past 2^64), --target into another
# IPC and mount namespace, every bad input with its exit code, --trace,
# and System V rows against lsipc's.

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

# One row of `ipcls -o COLS --raw -n` whose NAME (or ID) column is $1.
row() {
	local key=$1
	shift
	ipcls "$@" --raw -n | awk -v k="$key" '$2 == k'
}

# ------------------------------------------------------------------ types

@test "every type appears with its fields" {
	[ -n "$MQ_DIR" ] || skip "no mqueue file system"
	local shm sem mq mf shmid semid msgid efd_pid mf_pid
	shm=$(uniq_name) sem=$(uniq_name) mq=$(uniq_name)
	mf=ipcls-t$$-memfd
	shmctl create "$shm" 4096 -m 0640
	hold sem "$sem" 3 mq "$mq" 2
	shmid=$(ipcmk_id -M 100 -p 0640)
	sysv_made -m "$shmid"
	semid=$(ipcmk_id -S 3)
	sysv_made -s "$semid"
	msgid=$(ipcmk_id -Q)
	sysv_made -q "$msgid"
	"$HOLDER_BIN" msgsnd "$msgid" msgsnd "$msgid" exit
	hold efd 7
	efd_pid=$HELD_PID
	hold memfd "$mf" 12345 3
	mf_pid=$HELD_PID

	local cols=(-o 'TYPE,NAME,SIZE,PERMS,OWNER,NATTCH')
	assert_equal "$(row "$shm" "${cols[@]}")" \
		"posix-shm $shm 4.0K rw-r----- root -"
	assert_equal "$(row "$sem" "${cols[@]}")" \
		"posix-sem $sem 3 rw------- root -"
	assert_equal "$(row "$mq" "${cols[@]}")" \
		"posix-mq $mq 2 rw------- root -"
	assert_equal "$(row "$shmid" -t sysv-shm -o TYPE,ID,SIZE,PERMS,OWNER,NATTCH,CPID,LPID)" \
		"sysv-shm $shmid 100B rw-r----- root 0 $(awk -v i="$shmid" '$2 == i { print $5 }' /proc/sysvipc/shm) 0"
	assert_equal "$(row "$semid" -t sysv-sem -o TYPE,ID,SIZE,PERMS,OWNER)" \
		"sysv-sem $semid 3 rw-r--r-- root"
	assert_equal "$(row "$msgid" -t sysv-msg -o TYPE,ID,SIZE,PERMS,OWNER)" \
		"sysv-msg $msgid 2 rw-r--r-- root"
	assert_equal "$(row "pid:$efd_pid:3" "${cols[@]}")" \
		"eventfd pid:$efd_pid:3 7 - root -"
	assert_equal "$(row "memfd:$mf" -o TYPE,NAME,SIZE,SEALS,FDS,HOLDERS)" \
		"memfd memfd:$mf 12K seal,shrink pid:$mf_pid:3 $mf_pid"
	# -b: sizes in bytes; KEY: the System V key as ipcs prints it.
	assert_equal "$(row "$shm" -o TYPE,NAME,SIZE -b)" "posix-shm $shm 4096"
	assert_equal "$(row "$shmid" -t sysv-shm -o TYPE,ID,KEY)" \
		"sysv-shm $shmid $(ipcs -m | awk -v i="$shmid" '$2 == i { print $1 }')"
}

@test "objects made by shmctl, semctl, efd and memfd appear" {
	local shm sem key
	shm=$(uniq_name) sem=$(uniq_name) key=$(uniq_key)
	shmctl create "$shm" 1M
	semctl create "$sem" 5
	shmctl create "$key" 8192 >/dev/null
	sysv_made -M "${key#key:}"
	hold_new efd -c 9
	local efd_pid=$HOLDER
	hold_new memfd ipcls-t$$-applet -s 8K --seal grow
	local mf_pid=$HOLDER

	assert_equal "$(row "$shm" -o TYPE,NAME,SIZE)" "posix-shm $shm 1.0M"
	assert_equal "$(row "$sem" -o TYPE,NAME,SIZE)" "posix-sem $sem 5"
	assert_equal "$(row "$(printf 'key:0x%08x' "${key#key:}")" -o TYPE,NAME,SIZE)" \
		"sysv-shm $(printf 'key:0x%08x' "${key#key:}") 8.0K"
	assert_equal "$(row "pid:$efd_pid:3" -o TYPE,NAME,SIZE)" \
		"eventfd pid:$efd_pid:3 9"
	assert_equal "$(row "memfd:ipcls-t$$-applet" -o TYPE,NAME,SIZE,SEALS,HOLDERS)" \
		"memfd memfd:ipcls-t$$-applet 8.0K grow,exec $mf_pid"
	stop_holders
	semctl rm "$sem"
}

@test "-t filters by type; several types, in any case" {
	local shm
	shm=$(uniq_name)
	shmctl create "$shm" 4096
	run ipcls -t sysv-shm,sysv-msg -o TYPE -n --raw
	assert_success
	refute_output --partial posix-shm
	run ipcls -t POSIX-SHM -o TYPE,NAME -n --raw
	assert_success
	assert_line "posix-shm $shm"
	refute_line --regexp '^(sysv|eventfd|memfd)'
}

# ---------------------------------------------------------------- holders

@test "HOLDERS lists exactly the pids that map or hold each object" {
	local shm sem mq shmid p1 p2 p3
	shm=$(uniq_name) sem=$(uniq_name) mq=$(uniq_name)
	hold shm "$shm" 4096 sem "$sem" 1
	p1=$HELD_PID
	hold shm-fd "$shm"
	p2=$HELD_PID
	hold shm-map "$shm"
	p3=$HELD_PID
	hold                            # an unrelated process: not a holder
	shmid=$(ipcmk_id -M 4096)
	sysv_made -m "$shmid"
	hold attach "$shmid"
	local a1=$HELD_PID
	hold attach "$shmid" attach "$shmid"
	local a2=$HELD_PID

	assert_equal "$(row "$shm" -o TYPE,NAME,HOLDERS)" \
		"posix-shm $shm $(printf '%s\n' "$p1" "$p2" "$p3" | sort -n | paste -sd,)"
	assert_equal "$(row "$shm" -o TYPE,NAME,FDS)" "posix-shm $shm pid:$p2:3"
	assert_equal "$(row "$sem" -o TYPE,NAME,HOLDERS)" "posix-sem $sem $p1"
	assert_equal "$(row "$shmid" -t sysv-shm -o TYPE,ID,NATTCH,HOLDERS)" \
		"sysv-shm $shmid 3 $(printf '%s\n' "$a1" "$a2" | sort -n | paste -sd,)"
	if [ -n "$MQ_DIR" ]; then
		hold mq "$mq" 0
		assert_equal "$(row "$mq" -o TYPE,NAME,HOLDERS,FDS)" \
			"posix-mq $mq $HELD_PID pid:$HELD_PID:3"
	fi
	# Nobody left: no holders.
	kill "$p1" "$p2" "$p3"
	wait "$p1" "$p2" "$p3" 2>/dev/null || :
	assert_equal "$(row "$shm" -o TYPE,NAME,HOLDERS)" "posix-shm $shm -"
}

@test "eventfds and memfds held by several processes are one row each" {
	local mf=ipcls-t$$-shared p c
	# A holder that forks: parent and child hold the same memfd and
	# eventfd.
	hold memfd "$mf" 100 0 efd 5 fork
	p=$HELD_PID
	c=$(awk '$1 == "child" { print $2 }' "$BATS_TEST_TMPDIR/hold.$((${#HELD[@]} - 1))")
	HELD+=("$c")
	run ipcls -t memfd,eventfd -o TYPE,NAME,SIZE,HOLDERS,FDS --raw -n
	assert_line "memfd memfd:$mf 100B $p,$c pid:$p:3,pid:$c:3"
	assert_line "eventfd pid:$p:4 5 $p,$c pid:$p:4,pid:$c:4"
}

@test "a memfd that only a mapping holds shows its seals, in ipcls and memfd ls" {
	local mf=ipcls-t$$-mapped
	# F_SEAL_SHRINK|F_SEAL_GROW, then the descriptor closed.
	hold memfd-map "$mf" 4096 6
	run ipcls -t memfd -o NAME,SEALS,FDS,HOLDERS --raw -n
	assert_line "memfd:$mf shrink,grow - $HELD_PID"
	run memfd ls -n --raw -o PID,FD,NAME,SEALS,ADDRESS
	assert_line "$HELD_PID - $mf shrink,grow -"
}

@test "KEY is 0x%08x in every ls verb, key 0 (IPC_PRIVATE) too, as ipcs prints it" {
	local id kid semid k
	k=$(uniq_key)
	id=$(shmctl create key:0 100)
	sysv_made -m "$id"
	kid=$(shmctl create "$k" 100)
	sysv_made -m "$kid"
	semid=$(semctl create key:0 -N 1)
	sysv_made -s "$semid"
	assert_equal "$(row "id:$id" -t sysv-shm -o TYPE,NAME,KEY)" \
		"sysv-shm id:$id 0x00000000"
	assert_equal "$(row "$(sysv_name shm "$kid")" -t sysv-shm -o TYPE,NAME,KEY)" \
		"sysv-shm $(sysv_name shm "$kid") $(printf '0x%08x' "${k#key:}")"
	run ipcls --json -t sysv-shm -o NAME,KEY
	assert_output --partial "$(printf '"name": "id:%s",\n         "key": "0x00000000"' "$id")"
	run shmctl ls -n --raw -o NAME,KEY
	assert_line "id:$id 0x00000000"
	run semctl ls -n --raw -o NAME,KEY
	assert_line "id:$semid 0x00000000"
}

@test "a /dev/shm that cannot be read is exit 1 with the reason, not an empty list" {
	skip_unless_root
	local got= a
	# Read but not search: the names can be listed, not one looked at.
	touch /dev/shm/ipcbox-t$$-unseen /dev/shm/sem.ipcbox-t$$-unseen
	chmod 0444 /dev/shm
	for a in "ipcls -t posix-shm" "shmctl ls" "semctl ls"; do
		# shellcheck disable=SC2086 # the words of a
		try as_nobody $a
		got+="$status [$output] $stderr"$'\n'
	done
	chmod 1777 /dev/shm
	rm /dev/shm/ipcbox-t$$-unseen /dev/shm/sem.ipcbox-t$$-unseen
	assert_equal "$got" "1 [] ipcls: /dev/shm: cannot read: Permission denied
1 [] shmctl: ls: /dev/shm: Permission denied
1 [] semctl: ls: /dev/shm: Permission denied
"
}

# ------------------------------------------------------------------- JSON

@test "--json parses and holds the same rows as the table" {
	command -v jq >/dev/null || skip "needs jq"
	local shm sem shmid
	shm=$(uniq_name) sem=$(uniq_name)
	shmctl create "$shm" 4096
	hold sem "$sem" 2 shm-map "$shm"
	shmid=$(ipcmk_id -M 64)
	sysv_made -m "$shmid"
	local list=TYPE,NAME,ID,SIZE,PERMS,OWNER,NATTCH,HOLDERS
	types=-tposix-shm,posix-sem,sysv-shm,sysv-sem,sysv-msg
	run ipcls "$types" -o "$list" --json
	assert_success
	json=$output
	# The same rows, in the same order (sizes: bytes in JSON, so -b).
	table=$(ipcls "$types" -o "$list" -b --raw -n)
	from_json=$(jq -r '.ipc[] | [.type, .name, (.id // "-"), .size,
	    .perms, .owner, (.nattch // "-"),
	    (if (.holders | length) == 0 then "-"
	     else (.holders | map(tostring) | join(",")) end)]
	    | map(tostring) | join(" ")' <<<"$json")
	assert_equal "$from_json" "$table"
	# Numbers are numbers, holders an array of numbers.
	assert_equal "$(jq -r --arg n "$shm" '.ipc[] | select(.name == $n) |
	    [(.size | type), (.holders | type), (.holders[0] | type)] |
	    join(",")' <<<"$json")" "number,array,number"
	assert_equal "$(jq -r --arg n "$shm" '.ipc[] | select(.name == $n) |
	    .id' <<<"$json")" "null"
}

# ---------------------------------------------------------------- orphans

@test "--orphans: objects nothing uses and no live program may want, with their age" {
	local lone held shmid attached mine big
	lone=$(uniq_name) held=$(uniq_name) mine=$(uniq_name) big=$(uniq_name)
	# Orphans are GONE_UID's, whose processes are all gone; root lives,
	# so root's object that nothing uses is not one.
	as_gone shmctl create "$lone" 4096
	as_gone shmctl create "$big" 1M
	shmctl create "$mine" 4096
	as_gone shmctl create "$held" 4096
	touch -d '3 hours ago' "/dev/shm/${lone#/}"
	hold shm-fd "$held"
	shmid=$(gone_ipcmk_id -M 64)     # its creator, ipcmk, is gone
	sysv_made -m "$shmid"
	hold sysv 0x7e7e0001 4096        # attached by a live process
	attached=$(awk '$1 == 2122186753 { print $2 }' /proc/sysvipc/shm)
	sysv_made -m "$attached"

	run ipcls --orphans --raw -n -o TYPE,NAME,ID,AGE
	assert_success
	assert_line "posix-shm $lone - 3h"
	assert_line --regexp "^sysv-shm key:0x[0-9a-f]{8} $shmid [0-9]+s$"
	refute_line --partial "$held"
	refute_line --partial "$mine"
	refute_line --regexp "^sysv-shm [^ ]+ $attached "
	# Default columns with --orphans end with AGE; under the table, the
	# sum; --sort SIZE puts the largest first.
	run ipcls --orphans -t posix-shm,sysv-shm --sort SIZE
	assert_line --index 0 --regexp 'MTIME +AGE$'
	assert_line --index 1 --regexp "^posix-shm +$big "
	assert_line --index 2 --regexp "^posix-shm +$lone "
	assert_line --index 3 --regexp "^sysv-shm +key:"
	assert_line --index 4 "3 orphans, 1.0M of shared memory"
	run ipcls --orphans -t posix-shm,sysv-shm -n
	refute_output --partial "orphans, "
	# In JSON, AGE is a number of seconds.
	command -v jq >/dev/null || return 0
	age=$(ipcls --orphans --json -o NAME,AGE |
	    jq --arg n "$lone" '.ipc[] | select(.name == $n) | .age')
	[ "$age" -ge 10800 ] && [ "$age" -lt 10900 ]
}

# ---------------------------------------------------------------- summary

@test "--summary: limits and usage; SHMALL exact past 2^64" {
	[ "$(getconf PAGESIZE)" = 4096 ] || skip "page size is not 4 KiB"
	local old
	old=$(cat /proc/sys/kernel/shmall)
	# This IPC namespace's own limit: the kernel's default, whose byte
	# count (pages x 4096) does not fit 64 bits.
	echo 18446744073692774399 >/proc/sys/kernel/shmall
	run ipcls --summary -b --raw -n -o RESOURCE,LIMIT
	json=$(ipcls --summary --json)
	echo 1000 >/proc/sys/kernel/shmall
	run2=$(ipcls --summary -b --raw -n -o RESOURCE,LIMIT)
	echo "$old" >/proc/sys/kernel/shmall
	assert_line "SHMALL 75557863725845603938304"
	assert_line "SHMMNI $(cat /proc/sys/kernel/shmmni)"
	assert_line "SEMMSL $(awk '{ print $1 }' /proc/sys/kernel/sem)"
	assert_line "MSGMNB $(cat /proc/sys/kernel/msgmnb)"
	[[ $json == *'"limit": 75557863725845603938304,'* ]]
	[[ $run2 == *"SHMALL 4096000"* ]]
}

@test "--summary counts what is in use" {
	local shmid before after
	before=$(ipcls --summary -b --raw -n -o RESOURCE,USED | awk '$1 == "SHMMNI" || $1 == "SHMALL"' | paste -sd' ')
	shmid=$(ipcmk_id -M 10000)
	sysv_made -m "$shmid"
	after=$(ipcls --summary -b --raw -n -o RESOURCE,USED | awk '$1 == "SHMMNI" || $1 == "SHMALL"' | paste -sd' ')
	read -r _ n0 _ b0 <<<"$before"
	assert_equal "$after" "SHMMNI $((n0 + 1)) SHMALL $((b0 + 12288))"
	run ipcls --summary
	assert_success
	assert_line --index 0 --regexp '^RESOURCE +DESCRIPTION +LIMIT +USED +USE%$'
	assert_line --regexp '^SHMFS +Size of /dev/shm'
}

# ----------------------------------------------------------------- target

@test "--target lists another IPC and mount namespace, not ours" {
	local ours inner pid
	ours=$(uniq_name) inner=$(uniq_name)
	shmctl create "$ours" 4096
	unshare --ipc --mount --propagation private sh -c '
		mount -t tmpfs inner /dev/shm || exit 1
		exec "$0" shm "$1" 8192 sysv 0x7e7e0002 4096' \
	    "$HOLDER_BIN" "$inner" >"$BATS_TEST_TMPDIR/inner" 2>&1 </dev/null 3>&- &
	pid=$!
	HELD+=("$pid")
	for i in $(seq 300); do
		grep -q ready "$BATS_TEST_TMPDIR/inner" && break
		sleep 0.01
	done
	[ "$(readlink /proc/$pid/ns/ipc)" != "$(readlink /proc/$$/ns/ipc)" ]

	run --separate-stderr ipcls --target "$pid" -o TYPE,NAME,HOLDERS --raw -n \
	    -t posix-shm,posix-sem,sysv-shm,sysv-sem,sysv-msg
	assert_success
	assert_equal "$stderr" ''
	assert_equal "$output" "posix-shm $inner $pid
sysv-shm key:0x7e7e0002 $pid"
	# And ours is still here, not there.
	assert_equal "$(row "$ours" -o TYPE,NAME)" "posix-shm $ours"
	run --separate-stderr ipcls --trace --target "$pid" -t sysv-msg
	assert_success
	[[ $stderr == "open(\"/proc/$pid/ns/ipc\", O_RDONLY|O_CLOEXEC) = "* ]]
	[[ $stderr == *"setns("*", CLONE_NEWIPC) = 0"* ]]
	[[ $stderr == *"setns("*", CLONE_NEWNS) = 0"* ]]
	run --separate-stderr ipcls --target "$pid" --summary -b --raw -n -o RESOURCE,USED
	assert_line "SHMMNI 1"
	assert_line "SHMFILES 1"
}

@test "--target enters the target's root too, as nsenter --root --wd does" {
	skip_unless_root
	local ours inner pid binds d r=$BATS_TEST_TMPDIR/root
	ours=$(uniq_name) inner=$(uniq_name)
	shmctl create "$ours" 4096
	# A chroot with its own /dev/shm and /proc, in a mount namespace of
	# its own: the target is chrooted there, as a package build is.
	mkdir -p "$r/dev/shm" "$r/proc" "$r/etc" "$r/work"
	# The system's programs and libraries, where they are (merged /usr
	# or not): symlinks copied, directories bound below.
	binds=""
	for d in usr bin lib lib64 sbin; do
		if [ -L "/$d" ]; then
			ln -s "$(readlink "/$d")" "$r/$d"
		elif [ -d "/$d" ]; then
			mkdir "$r/$d"
			binds="$binds $d"
		fi
	done
	cp "$HOLDER_BIN" "$r/holder"
	# Its own user names: root is called otherwise there.
	echo 'chrootroot:x:0:0::/:/bin/sh' >"$r/etc/passwd"
	unshare --ipc --mount --propagation private sh -c '
		for d in $3; do mount --bind "/$d" "$1/$d" || exit 1; done
		mount -t tmpfs inner "$1/dev/shm" && mount -t proc proc "$1/proc" ||
		    exit 1
		exec chroot "$1" sh -c "cd /work && exec /holder shm \"\$0\" 8192" "$2"' \
	    sh "$r" "$inner" "$binds" >"$BATS_TEST_TMPDIR/inner" 2>&1 </dev/null 3>&- &
	pid=$!
	HELD+=("$pid")
	for i in $(seq 300); do
		grep -q ready "$BATS_TEST_TMPDIR/inner" && break
		sleep 0.01
	done
	grep -q ready "$BATS_TEST_TMPDIR/inner" || {
		cat "$BATS_TEST_TMPDIR/inner"
		false
	}
	# (Seen from inside a chroot, the link shows the path from the
	# namespace's real root.)
	[[ $(readlink "/proc/$pid/root") == *"$r" ]]
	run --separate-stderr ipcls --trace --target "$pid" -o TYPE,NAME,OWNER,HOLDERS --raw -n -t posix-shm
	assert_success
	assert_equal "$output" "posix-shm $inner chrootroot $pid"
	[[ $stderr == *"open(\"/proc/$pid/root\", O_PATH|O_DIRECTORY|O_CLOEXEC) = "* ]]
	[[ $stderr == *"chroot(\".\") = 0"* ]]
	# Ours is not there.
	[[ $output != *"$ours"* ]]
}

@test "--target: refused access is exit 1 with the reason" {
	skip_unless_root
	run --separate-stderr as_nobody ipcls --target $$
	assert_failure 1
	assert_equal "$stderr" "ipcls: --target $$: cannot open its IPC namespace: Permission denied"
	assert_equal "$output" ''
	# nobody's own process: opened, but entering needs CAP_SYS_ADMIN.
	setpriv --reuid=nobody --regid=nogroup --clear-groups sleep $((30 * TIME_FACTOR)) \
	    </dev/null >/dev/null 2>&1 3>&- &
	local p=$!
	HELD+=("$p")
	for i in $(seq 100); do
		[ "$(stat -c %U /proc/$p 2>/dev/null)" = nobody ] &&
		    [ "$(cat /proc/$p/comm)" = sleep ] && break
		sleep 0.01
	done
	run --separate-stderr as_nobody ipcls --target "$p"
	assert_failure 1
	assert_equal "$stderr" "ipcls: --target $p: cannot enter its IPC namespace: Operation not permitted"
}

# -------------------------------------------------------------- bad input

@test "bad input: exit 2 with one line, before anything is read" {
	local dead
	sh -c 'exit 0' &
	dead=$!
	wait "$dead"
	run --separate-stderr ipcls -o TYPE,FROB
	assert_failure 2
	assert_equal "$stderr" "ipcls: FROB: unknown column (valid: TYPE,NAME,KEY,ID,SIZE,PERMS,OWNER,GROUP,HOLDERS,NATTCH,CPID,LPID,ATIME,CTIME,MTIME,AGE,FDS,SEALS,HOLDS,USED)"
	run --separate-stderr ipcls -t posix-shm,sysv-frob
	assert_failure 2
	assert_equal "$stderr" "ipcls: sysv-frob: unknown type (valid: posix-shm,posix-sem,posix-mq,sysv-shm,sysv-sem,sysv-msg,eventfd,memfd,stored)"
	run --separate-stderr ipcls --target "$dead"
	assert_failure 2
	assert_equal "$stderr" "ipcls: --target $dead: no such process"
	run --separate-stderr ipcls --target 12x
	assert_failure 2
	assert_equal "$stderr" "ipcls: --target '12x' is invalid"
	run --separate-stderr ipcls --target 0
	assert_failure 2
	assert_equal "$stderr" "ipcls: --target '0' is too small"
	run --separate-stderr ipcls --summary --orphans
	assert_failure 2
	assert_equal "$stderr" "ipcls: --summary takes no --orphans, -t or --sort"
	run --separate-stderr ipcls --json --raw
	assert_failure 2
	assert_equal "$stderr" "ipcls: --json and --raw exclude each other"
	run --separate-stderr ipcls extra
	assert_failure 2
	assert_equal "$stderr" "ipcls: extra: unexpected operand (try 'ipcls --help')"
	run --separate-stderr ipcls --frob
	assert_failure 2
	assert_equal "$stderr" "ipcls: --frob: unknown option (try 'ipcls --help')"
	run --separate-stderr ipcls --summary -o RESOURCE,NAME
	assert_failure 2
	assert_equal "$stderr" "ipcls: NAME: unknown column (valid: RESOURCE,DESCRIPTION,LIMIT,USED,USE%)"
}

@test "posix-mq asked for with no mqueue file system: said on stderr" {
	run --separate-stderr unshare --mount --propagation private sh -c '
		awk '"'"'$3 == "mqueue" { print $2 }'"'"' /proc/self/mounts |
		while read -r dir; do
			umount "$dir"
		done
		exec ipcls -t posix-mq'
	assert_success
	assert_equal "$stderr" "ipcls: /dev/mqueue: no mqueue file system mounted: POSIX message queues are not listed"
	assert_equal "$output" ''
}

# ------------------------------------------------------------ trace, help

@test "--trace shows each call that reads an object" {
	local sem
	sem=$(uniq_name)
	hold sem "$sem" 4
	run --separate-stderr ipcls --trace -t posix-sem -o NAME,SIZE --raw -n
	assert_success
	assert_line "$sem 4"
	[[ $stderr == *"shm_open(\"/sem.${sem#/}\", O_RDONLY, 0000) = "* ]]
	[[ $stderr == *"pread("*", 8, 0) = 8"* ]]
}

@test "--help: the synopsis, the types and every column" {
	run ipcls --help
	assert_success
	assert_line --index 0 "Usage: ipcls [--trace] [-t TYPES] [-o COLS] [--json|--raw] [-n] [-b] [--orphans]"
	assert_line --regexp '^ +HOLDERS  pids that map or hold it$'
	assert_line --regexp '^ +SEALS  memfd seals$'
	assert_line 'Types: posix-shm, posix-sem, posix-mq, sysv-shm,'
	run ipcbox ipcls --version
	assert_output --regexp '^ipcls \(ipcbox\) [0-9.]+$'
}

@test "stdout is checked: a table to /dev/full fails" {
	# One object at least: a host with no eventfd or memfd anywhere and
	# an empty private namespace gives an empty table, which writes nothing.
	local shm
	shm=$(uniq_name)
	shmctl create "$shm" 4096
	run --separate-stderr sh -c 'ipcls > /dev/full'
	assert_failure 1
	[[ $stderr == "ipcls: stdout: write error: No space left on device" ]]
}

@test "System V segments: the same rows as lsipc -m, and names escaped" {
	local shm odd i cols=KEY,ID,OWNER,PERMS,SIZE,NATTCH,CPID,LPID
	shm=$(uniq_name) odd="/ipcbox-t$$-odd name\\x"
	for i in 1 2 3; do
		shmid=$(ipcmk_id -M $((i * 4096)) -p 0640)
		sysv_made -m "$shmid"
	done
	hold attach "$shmid"
	# Both through libsmartcols, from the same kernel view.
	run ipcls -t sysv-shm --raw -n -b -o "$cols"
	assert_success
	assert_equal "$(sort <<<"$output")" \
	    "$(lsipc -m --raw --noheadings -b -o "$cols" | sort)"
	assert_equal "$(ipcls -t sysv-shm --raw -o "$cols" | head -n 1)" \
	    "$(lsipc -m --raw -b -o "$cols" | head -n 1)"
	# A name with a blank or a backslash: --raw escapes as lsipc --raw
	# (libsmartcols); an aligned table as every message does (strvis).
	shmctl create "$shm" 4096
	: >"/dev/shm/${odd#/}"
	: >"/dev/shm/ipcbox-t$$-nl"$'\n'"x"
	run ipcls -t posix-shm --raw -n -o NAME
	assert_line "/ipcbox-t$$-odd\\x20name\\x5cx"
	assert_line "/ipcbox-t$$-nl\\x0ax"
	run ipcls -t posix-shm -n -o NAME
	assert_line "/ipcbox-t$$-odd name\\\\x"
	assert_line "/ipcbox-t$$-nl\\nx"
	run --separate-stderr shmctl read "/ipcbox-t$$-nl"$'\n'"y"
	assert_equal "$stderr" "shmctl: read: /ipcbox-t$$-nl\\ny: No such file or directory"
	# JSON strings are UTF-8: a byte that is not is written as \ooo.
	: >"/dev/shm/ipcbox-t$$-"$'\xff'"-caf"$'\xc3\xa9'
	run ipcls -t posix-shm --json -o NAME
	assert_success
	jq -e . <<<"$output" >/dev/null
	assert_equal "$(jq -r '.ipc[].name' <<<"$output" | grep -- -caf)" \
	    "/ipcbox-t$$-\\377-caf"$'\xc3\xa9'
}

# ------------------------------------------------------ hostile environments

@test "an unknown option gives the --help hint, as the other applets do" {
	assert_fails 2 "ipcls: --bogus: unknown option (try 'ipcls --help')" ipcls --bogus
	assert_fails 2 "ipcls: -Q: unknown option (try 'ipcls --help')" ipcls -Q
}

@test "a POSIX name beginning with a dot is listed" {
	n=/.ipcbox-t$$-$BATS_TEST_NUMBER-hidden
	shmctl create "$n" 4K
	run ipcls -t posix-shm -o NAME -n
	assert_line "$n"
	shmctl unlink "$n"
}

# ------------------------------------------------------------------ --usage

# The /dev/shm line of `ipcls --usage -b`: "OURS FS" in bytes.
shm_sums() {
	ipcls --usage -b "$@" |
	    sed -n 's|^/dev/shm: \([0-9]*\) in .*file system: \([0-9]*\) used.*|\1 \2|p'
}

@test "usage: an unlinked object a process still maps or holds is counted, against its pid, as df counts it" {
	local a b
	a=$(uniq_name) b=$(uniq_name)
	hold fill "$a" $((4 << 20)) unlink "$a"
	local pa=$HELD_PID
	hold fill-fd "$b" $((1 << 20)) unlink "$b"
	local pb=$HELD_PID
	# ls no longer shows them
	run ls /dev/shm
	refute_output --partial "${a#/}"
	refute_output --partial "${b#/}"
	run ipcls -t posix-shm --json -o TYPE,NAME,SIZE,USED,HOLDERS
	assert_success
	assert_equal "$(jq -c --arg a "$a" --arg b "$b" \
	    '[.ipc[] | select(.name == $a or .name == $b)] | sort_by(.name) | map([.type, .name, .size, .used, .holders])' <<<"$output")" \
	    "$(jq -nc --arg a "$a" --arg b "$b" --argjson pa "$pa" --argjson pb "$pb" \
	    '[["posix-shm (deleted)", $a, 4194304, 4194304, [$pa]], ["posix-shm (deleted)", $b, 1048576, 1048576, [$pb]]] | sort_by(.[1])')"
	run ipcls --usage --by process -b --raw -n -o PID,COMMAND,OBJECTS,USED,ONLY,DELETED
	assert_success
	assert_line "$pa ipcls-holder 1 4194304 4194304 4194304"
	assert_line "$pb ipcls-holder 1 1048576 1048576 1048576"
	# the sum of the objects equals df's used bytes, within a page each
	local sums ours fs n
	sums=$(shm_sums)
	ours=${sums% *} fs=${sums#* }
	n=$(ipcls --usage --by type --json | jq '[.usage[] | select(.type | startswith("posix")) | .objects] | add')
	assert_equal "$(df -B1 --output=used /dev/shm | tail -1 | tr -d ' ')" "$fs"
	(( ours >= 5 << 20 ))
	(( ours - fs <= n * 4096 && fs - ours <= n * 4096 )) ||
		fail "ours $ours, df $fs, $n objects"
	# lsof, the tool of today, per process: +L1 finds the one held by a
	# descriptor, not the one only mapped (a DEL line, with no size)
	run lsof -nP +L1 -a -p "$pa,$pb"
	refute_output --partial "${a#/}"
	assert_output --partial "${b#/}"
	run lsof -nP -a -p "$pa" -d DEL
	assert_output --partial "${a#/}"
	kill "$pa" "$pb"
	wait_for "! ipcls -t posix-shm -n -o NAME | grep -q -- '${a#/}\|${b#/}'"
}

@test "usage: a sparse object of 1G with one page written takes one page" {
	local n
	n=$(uniq_name)
	shmctl create "$n" 1G
	printf x | shmctl write "$n"
	assert_equal "$(row "$n" -o TYPE,NAME,SIZE,USED -b)" "posix-shm $n 1073741824 4096"
	assert_equal "$(row "$n" -o TYPE,NAME,SIZE,USED)" "posix-shm $n 1.0G 4.0K"
	run ipcls --usage --by type -b --json -t posix-shm
	assert_equal "$(jq -c '.usage[] | select(.type == "posix-shm") | [.objects, .size, .used]' <<<"$output")" \
	    "[1,1073741824,4096]"
	shmctl unlink "$n"
}

@test "usage: a System V segment removed while attached counts until detached, as ipcs -u says" {
	hold sysv-fill 0 $((2 << 20))
	local p=$HELD_PID id
	id=$(awk '$1 == "shmid" { print $2 }' "$BATS_TEST_TMPDIR/hold.0")
	sysv_made -m "$id"
	ipcrm -m "$id"
	sysv_exists shm "$id"
	run ipcls --usage --by type -b --json
	assert_equal "$(jq -c '.usage[] | select(.type == "sysv-shm (deleted)") | [.procs, .objects, .size, .used, .deleted]' <<<"$output")" \
	    "[1,1,2097152,2097152,2097152]"
	run ipcls -t sysv-shm -o TYPE,ID,USED,HOLDERS -b --json
	assert_equal "$(jq -c ".ipc[] | select(.id == $id) | [.type, .used, .holders]" <<<"$output")" \
	    "[\"sysv-shm (deleted)\",2097152,[$p]]"
	# ipcs -u: pages resident, of the one segment there is
	assert_equal "$(ipcs -m -u | awk '/pages resident/ { print $3 * 4096 }')" 2097152
	kill "$p"
	wait_for "sysv_gone shm $id"
	run ipcls --usage --by type --json
	assert_equal "$(jq -c '[.usage[] | select(.type | startswith("sysv"))]' <<<"$output")" "[]"
}

@test "usage: two processes in two cgroups are two rows with --by cgroup" {
	local root a b n1 n2
	root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
	[ -n "$root" ] || skip "no cgroup v2 file system mounted"
	a=$root/ipcbox-t$$-a b=$root/ipcbox-t$$-b
	mkdir "$a" 2>/dev/null || skip "the cgroup v2 root $root is not writable"
	mkdir "$b"
	n1=$(uniq_name) n2=$(uniq_name)
	hold fill "$n1" $((3 << 20))
	local p1=$HELD_PID
	hold fill "$n2" $((1 << 20)) shm-map "$n1"
	local p2=$HELD_PID
	echo "$p1" >"$a/cgroup.procs"
	echo "$p2" >"$b/cgroup.procs"
	run ipcls --usage --by cgroup -b --json -t posix-shm
	assert_success
	local rel_a=${a#"$root"} rel_b=${b#"$root"}
	assert_equal "$(jq -c --arg c "$rel_a" '.usage[] | select(.cgroup == $c) | [.procs, .objects, .used, .only]' <<<"$output")" \
	    "[1,1,3145728,0]"
	assert_equal "$(jq -c --arg c "$rel_b" '.usage[] | select(.cgroup == $c) | [.procs, .objects, .used, .only]' <<<"$output")" \
	    "[1,2,4194304,1048576]"
	kill "$p1" "$p2"
	wait "$p1" "$p2" 2>/dev/null || :
	wait_for "! grep -q . $a/cgroup.procs $b/cgroup.procs"
	rmdir "$a" "$b"
	shmctl unlink "$n1"
	shmctl unlink "$n2"
}

@test "usage: JSON parses and sums to the table's total, by owner and by type" {
	local n1 n2 total by
	n1=$(uniq_name) n2=$(uniq_name)
	hold fill "$n1" $((1 << 20)) fill "$n2" 12288 unlink "$n2"
	sysv_made -m "$(gone_ipcmk_id -M 8192)"
	shmctl create "${n1}x" 64K
	printf 'abc' | shmctl write "${n1}x"
	# memfds left out: other processes of the host make and drop them
	local t=posix-shm,posix-sem,sysv-shm
	total=$(ipcls --usage -t "$t" -b | sed -n 's/^total: [0-9]* objects\{0,1\}, \([0-9]*\) used.*/\1/p')
	(( total >= (1 << 20) + 12288 + 4096 ))
	for by in owner type process cgroup; do
		run ipcls --usage -t "$t" --by "$by" --json
		assert_success
		case $by in
		owner | type)
			assert_equal "$by: $(jq '[.usage[].used] | add' <<<"$output")" "$by: $total" ;;
		*)	# a row a holder, and one for what nothing holds: the
			# parts held by one alone add up to at most the total
			(( $(jq '[.usage[].only] | add' <<<"$output") <= total )) ;;
		esac
	done
	run ipcls --usage --by owner -b --raw -n -o OWNER,OBJECTS,USED
	assert_line "4242 1 0"
	shmctl unlink "${n1}x"
	shmctl unlink "$n1"
}

@test "usage: --watch prints a table a period, each after its time, and ends on SIGINT with status 0" {
	local n out=$BATS_TEST_TMPDIR/watch
	n=$(uniq_name)
	ipcls --usage --by type --watch=0.2 >"$out" 2>&1 0<&- &
	local w=$!
	HELD+=("$w")
	# Each period: its time, the table (nothing when there is no row:
	# in a pid namespace of its own a run may see no memfd at all), the
	# sums.
	wait_for "grep -q '^total:' $out"
	hold fill "$n" $((1 << 20))
	# a later table shows it: the log shows the growth
	wait_for "grep -q '^posix-shm .* 1.0M ' $out"
	kill -INT "$w"
	wait "$w"
	assert_equal "$(grep -c '^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T' "$out")" \
	    "$(grep -c '^total:' "$out")"
	(( $(grep -c '^total:' "$out") >= 2 ))
	shmctl unlink "$n"
}

@test "usage: bad input is a usage error, before anything is read" {
	assert_fails 2 "ipcls: --by and --watch go with --usage" ipcls --by owner
	assert_fails 2 "ipcls: --by and --watch go with --usage" ipcls --watch
	assert_fails 2 "ipcls: bogus: unknown --by (valid: owner, process, cgroup, type)" ipcls --usage --by bogus
	assert_fails 2 "ipcls: posix-mq: --usage counts shared memory: posix-shm, posix-sem, sysv-shm, memfd" ipcls --usage -t posix-mq
	assert_fails 2 "ipcls: 0: --watch period is less than 0.1s" ipcls --usage --watch=0
	assert_fails 2 "ipcls: --watch 'soon' is invalid" ipcls --usage --watch=soon
	assert_fails 2 "ipcls: --usage takes no --summary, --orphans or --sort" ipcls --usage --orphans
	assert_fails 2 "ipcls: --usage takes no --summary, --orphans or --sort" ipcls --usage --sort SIZE
	try ipcls --usage -o OWNER,BOGUS
	assert_equal "$status" 2
	assert_output ''
}
