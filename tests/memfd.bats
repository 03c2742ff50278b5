#!/usr/bin/env bats
# memfd: new, seal, seals, read, write, ls; descriptor addresses; bad input.
# bats keeps its own output on fd 3: every memfd here is made by
# `memfd new`, which puts it at fd 3 of its command only.

load test_helper

setup() {
	DATA=$BATS_TEST_TMPDIR/data
	head -c 100000 /dev/urandom > "$DATA"
}

teardown() {
	stop_holders
}

@test "new: CMD runs with a memfd at fd 3 of SIZE zero bytes" {
	run memfd new cfg -s 4K -- sh -c 'readlink /proc/self/fd/3; memfd read 3 | od -An -tx1 | sort -u'
	assert_success
	assert_output "$(printf '/memfd:cfg (deleted)\n 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n*')"
}

@test "new: the default name, --fd N, CMD's status is memfd's" {
	run memfd new --fd 9 -- sh -c 'readlink /proc/self/fd/9; exit 4'
	assert_failure 4
	assert_output '/memfd:ipcbox (deleted)'
}

@test "new --from FILE: the same bytes come back (cmp)" {
	run memfd new --from "$DATA" -- sh -c 'memfd read 3 | cmp - "$0" && memfd read fd:3 -o 99990 | wc -c' "$DATA"
	assert_success
	assert_output 10
}

@test "new --from - fills from stdin; -s pads; input past -s SIZE fails" {
	run memfd new --from - -- memfd read 3 < "$DATA"
	assert_success
	cmp <(printf '%s' "$output") <(printf '%s' "$(cat "$DATA")") || false
	run bash -c 'printf abc | memfd new --from - -s 6 -- memfd read --hex 3'
	assert_success
	assert_output "$(printf '00000000  61 62 63 00 00 00                                 |abc...|\n00000006')"
	run --separate-stderr memfd new --from "$DATA" -s 10 -- true
	assert_failure 1
	assert_equal "$stderr" "memfd: new: $DATA: more than the 10 bytes of -s SIZE"
	run --separate-stderr memfd new --from /nonexistent -- true
	assert_failure 1
	assert_equal "$stderr" "memfd: new: /nonexistent: No such file or directory"
}

@test "new: bad name, size, seal list, --fd and missing CMD" {
	run --separate-stderr memfd new "$(printf 'n%.0s' $(seq 250))" -- true
	assert_failure 2
	assert_equal "$stderr" "memfd: new: name is longer than 249 bytes"
	run --separate-stderr memfd new -s 1Q -- true
	assert_failure 2
	assert_equal "$stderr" "memfd: new: size '1Q' is invalid"
	run --separate-stderr memfd new --seal wirte -- true
	assert_failure 2
	assert_equal "$stderr" "memfd: new: wirte: unknown seal (valid: seal,shrink,grow,write,future-write,exec)"
	run --separate-stderr memfd new --fd 2 -- true
	assert_failure 2
	assert_equal "$stderr" "memfd: new: --fd '2' would shadow stderr; use 3 or above"
	run --separate-stderr memfd new a b -- true
	assert_failure 2
	assert_equal "$stderr" "memfd: new: b: extra operand (usage: memfd new [NAME] [-s SIZE] [--from FILE|-] [--seal LIST] [--exec] [--fd N] -- CMD [ARG...])"
	run -127 --separate-stderr memfd new -- ipcbox-no-such-command
	assert_equal "$stderr" "memfd: new: ipcbox-no-such-command: command not found"
}

@test "new --seal, seals: the list comes back in a fixed order" {
	run memfd new --seal write,grow,shrink -- memfd seals 3
	assert_success
	assert_output shrink,grow,write,exec
	run memfd new --exec -- memfd seals 3
	assert_equal "$output" -
	run memfd new -- sh -c 'memfd seal 3 future-write && memfd seal 3 seal && memfd seals 3'
	assert_output seal,future-write,exec
}

@test "seal write: writes fail with 'sealed against writing'" {
	run --separate-stderr memfd new -s 8 --seal write -- sh -c 'memfd write 3 abc; echo $?; echo abc | memfd write 3; echo $?'
	assert_success
	assert_output "$(printf '1\n1')"
	assert_equal "$stderr" "$(printf '%s\n' 'memfd: write: 3: sealed against writing' 'memfd: write: 3: sealed against writing')"
}

@test "seal future-write: writes fail the same way" {
	run --separate-stderr memfd new -s 8 --seal future-write -- memfd write 3 abc
	assert_failure 1
	assert_equal "$stderr" "memfd: write: 3: sealed against writing"
}

@test "seal grow: writes inside fit, growing fails" {
	run --separate-stderr memfd new -s 4 --seal grow -- sh -c 'memfd write 3 abcd && memfd write --grow -o 4 3 e; echo $?; memfd read 3'
	assert_success
	assert_output "$(printf '1\nabcd')"
	assert_equal "$stderr" "memfd: write: 3: sealed against growing"
}

@test "seal shrink: truncating fails" {
	run memfd new -s 4 --seal shrink -- sh -c 'truncate -s 2 /proc/self/fd/3 2>/dev/null; echo $?; truncate -s 8 /proc/self/fd/3; memfd ls -b -n -o FD,SIZE | grep "^ *3 " | sort -u'
	assert_success
	assert_line --index 0 1
	assert_line --regexp '^ *3 +8$'
	run memfd new -s 4 -- sh -c 'truncate -s 2 /proc/self/fd/3 && memfd read 3 | wc -c'
	assert_output 2
}

@test "seal seal: no more seals" {
	run --separate-stderr memfd new --seal seal -- memfd seal 3 write
	assert_failure 1
	assert_equal "$stderr" "memfd: seal: 3: sealed against sealing"
}

@test "seal exec: taken on this kernel, and listed" {
	run memfd new --seal exec -- memfd seals 3
	assert_success
	assert_output --regexp '(^|,)exec$'
}

@test "seal write while a writable shared mapping exists: the kernel's reason" {
	command -v python3 >/dev/null || skip "needs python3 to map the memfd"
	run --separate-stderr memfd new -s 4096 -- python3 -c '
import mmap, subprocess, sys
m = mmap.mmap(3, 4096, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
sys.exit(subprocess.run(["memfd", "seal", "3", "write"], pass_fds=[3]).returncode)'
	assert_failure 1
	assert_equal "$stderr" "memfd: seal: 3: cannot seal against writing while a writable shared mapping exists"
}

@test "seal: misspelt, repeated or empty seal names are usage errors" {
	run --separate-stderr memfd new -- memfd seal 3 shrink,shrink
	assert_failure 2
	assert_equal "$stderr" "memfd: seal: shrink: seal named twice"
	run --separate-stderr memfd new -- memfd seal 3 grwo
	assert_failure 2
	assert_equal "$stderr" "memfd: seal: grwo: unknown seal (valid: seal,shrink,grow,write,future-write,exec)"
	run --separate-stderr memfd new -- memfd seal 3 grow,
	assert_failure 2
	assert_equal "$stderr" "memfd: seal: seal list 'grow,' has an empty name (valid: seal,shrink,grow,write,future-write,exec)"
	run memfd new -- sh -c 'memfd seal 3 Write 2>/dev/null; memfd seals 3'
	assert_equal "$output" exec
}

@test "write and read: shmctl's options, through the same code" {
	run memfd new -s 16 -- sh -c 'memfd write 3 hello && memfd write 3 -o 6 world && memfd read 3 -n 11 --string; echo; memfd read 3 -o 6 -n 5; echo; memfd write 3 -o 16 --grow "!" && memfd read 3 --hex'
	assert_success
	assert_output "$(printf 'hello\nworld\n00000000  68 65 6c 6c 6f 00 77 6f  72 6c 64 00 00 00 00 00  |hello.world.....|\n00000010  21                                                |!|\n00000011')"
	run --separate-stderr memfd new -s 4 -- memfd write 3 hello
	assert_failure 1
	assert_equal "$stderr" "memfd: write: 3: 5 bytes at offset 0 run past the end (4 bytes); --grow extends the object"
}

@test "write through a read-only descriptor is refused" {
	run --separate-stderr memfd new -s 4 -- sh -c 'exec 4</proc/self/fd/3; memfd write 4 ab; echo $?; memfd read 4 | wc -c'
	assert_success
	assert_output "$(printf '1\n4')"
	assert_equal "$stderr" "memfd: write: 4: open read-only, and write writes"
}

@test "pid:P:N: a sealed memfd read by another process gives the same bytes" {
	skip_under_valgrind_pidfd
	hold_new memfd blob --from "$DATA" --seal seal,shrink,grow,write
	run memfd seals "pid:$HOLDER:3"
	assert_output seal,shrink,grow,write,exec
	memfd read "pid:$HOLDER:3" > "$BATS_TEST_TMPDIR/copy"
	cmp "$DATA" "$BATS_TEST_TMPDIR/copy"
	run --separate-stderr memfd write "pid:$HOLDER:3" x
	assert_failure 1
	assert_equal "$stderr" "memfd: write: pid:$HOLDER:3: sealed against writing"
}

@test "pid:P:N: write to a sibling's memfd, read it back" {
	skip_under_valgrind_pidfd
	hold_new memfd -s 5
	run memfd write "pid:$HOLDER:3" hello
	assert_success
	run memfd read "pid:$HOLDER:3"
	assert_output hello
	run --separate-stderr memfd read "pid:$HOLDER:77"
	assert_failure 1
	assert_equal "$stderr" "memfd: read: pid:$HOLDER:77: process $HOLDER has no descriptor 77"
}

@test "a non-root user cannot take a root process's memfd" {
	skip_unless_root
	skip_under_valgrind_pidfd
	hold_new memfd -s 5
	run --separate-stderr as_nobody memfd read "pid:$HOLDER:3"
	assert_failure 1
	assert_equal "$stderr" "memfd: read: pid:$HOLDER:3: ptrace access to process $HOLDER denied (taking its descriptors needs it)"
	run --separate-stderr as_nobody memfd seal "pid:$HOLDER:3" write
	assert_failure 1
	assert_equal "$stderr" "memfd: seal: pid:$HOLDER:3: ptrace access to process $HOLDER denied (taking its descriptors needs it)"
	run memfd seals "pid:$HOLDER:3"
	assert_equal "$output" exec
}

@test "descriptors that are not open, negative or not memfds" {
	run --separate-stderr memfd read 9
	assert_failure 1
	assert_equal "$stderr" "memfd: read: 9: not an open descriptor"
	run --separate-stderr memfd seals -2
	assert_failure 2
	assert_equal "$stderr" "memfd: seals: -2: invalid descriptor number"
	run --separate-stderr memfd seals 0 < "$DATA"
	assert_failure 1
	assert_equal "$stderr" "memfd: seals: 0: not a memfd: a regular file ($DATA)"
	run --separate-stderr efd new -- memfd read 3
	assert_failure 1
	assert_equal "$stderr" "memfd: read: 3: not a memfd: an eventfd"
	run --separate-stderr memfd seal pid:1:x write
	assert_failure 2
	assert_equal "$stderr" "memfd: seal: pid:1:x: invalid descriptor number"
	# A POSIX message queue is a file of the mqueue file system, not a
	# regular file.
	if [ "$(stat -f -c %T /dev/mqueue 2>/dev/null)" = mqueue ]; then
		local q=/dev/mqueue/ipcbox-t$$-q
		: >"$q"
		run --separate-stderr memfd read 3 3<"$q"
		rm -f "$q"
		assert_failure 1
		assert_equal "$stderr" "memfd: read: 3: not a memfd: a POSIX message queue ($q)"
	fi
}

@test "ls: our memfds with name, size and seals" {
	hold_new memfd lsme -s 12345 --seal grow,shrink
	run memfd ls -b -n -o PID,COMMAND,FD,NAME,SIZE,SEALS
	assert_success
	assert_line --regexp "^ *$HOLDER +sleep +3 +lsme +12345 +shrink,grow,exec\$"
	run memfd ls --json -o PID,NAME,SIZE,SEALS,ADDRESS
	assert_success
	assert_output --partial "$(printf '"pid": %s,\n         "name": "lsme",\n         "size": 12345,\n         "seals": "shrink,grow,exec",\n         "address": "pid:%s:3"' "$HOLDER" "$HOLDER")"
	run memfd ls
	assert_line --regexp "^ *$HOLDER +sleep +3 +lsme +12K +shrink,grow,exec\$"
}

@test "--trace prints memfd_create, ftruncate, F_ADD_SEALS, F_GET_SEALS" {
	run --separate-stderr memfd --trace new t -s 4 --seal write -- memfd --trace seals 3
	assert_success
	assert_output write,exec
	[[ "$stderr" == *'memfd_create("t", MFD_CLOEXEC|MFD_ALLOW_SEALING|MFD_NOEXEC_SEAL) = '* ]]
	[[ "$stderr" == *'ftruncate('*', 4) = 0'* ]]
	[[ "$stderr" == *'fcntl('*', F_ADD_SEALS, F_SEAL_WRITE) = 0'* ]]
	[[ "$stderr" == *'fcntl(3, F_GET_SEALS) = 0x28 (F_SEAL_WRITE|F_SEAL_EXEC)'* ]]
}

@test "--help for a verb prints its synopsis" {
	run memfd seal --help
	assert_success
	assert_line --index 0 "Usage: memfd seal MFD LIST [-S SOCKET]"
}

# ------------------------------------------------------ hostile environments

@test "new: a memfd is not executable (0666, exec sealed) unless --exec or --seal exec asks" {
	run memfd new -- sh -c 'stat -L -c %a /proc/self/fd/3; memfd seals 3'
	assert_success
	assert_output "$(printf '666\nexec')"
	run memfd new --exec -- sh -c 'stat -L -c %a /proc/self/fd/3; memfd seals 3'
	assert_output "$(printf '777\n-')"
	# The kernel seals an executable memfd's contents with its exec bits.
	run memfd new --seal exec -- sh -c 'stat -L -c %a /proc/self/fd/3; memfd seals 3'
	assert_output "$(printf '777\nshrink,grow,write,future-write,exec')"
	run memfd new -- sh -c 'chmod +x /proc/self/fd/3'
	assert_failure
}

@test "new: --trace shows MFD_NOEXEC_SEAL, or MFD_EXEC with --exec" {
	run --separate-stderr memfd --trace new x -- true
	assert_regex "$(echo "$stderr" | head -n 1)" '^memfd_create\("x", MFD_CLOEXEC\|MFD_ALLOW_SEALING\|MFD_NOEXEC_SEAL\) = [0-9]+$'
	run --separate-stderr memfd --trace new x --exec -- true
	assert_regex "$(echo "$stderr" | head -n 1)" '^memfd_create\("x", MFD_CLOEXEC\|MFD_ALLOW_SEALING\|MFD_EXEC\) = [0-9]+$'
}

@test "new -s past RLIMIT_FSIZE fails with EFBIG (exit 1), CMD not run" {
	try bash -c 'ulimit -f 1; exec memfd new x -s 4M -- echo ran'
	assert_equal "$status: $output: $stderr" "1: : memfd: new: x: File too large"
}

@test "new: a path that does not exist is 'command not found' (127), as semctl run says" {
	assert_fails 127 "memfd: new: /nonexistent: command not found" memfd new -- /nonexistent
}

@test "--help lists the exit codes memfd returns: no 3" {
	run memfd --help
	assert_line 'Exit status: 0 done, 1 failed, 2 usage.'
}

@test "closed stdin and stderr: read and write of a memfd are as with them open" {
	run memfd new -s 16 -- sh -c 'memfd write 3 hello 2>&- <&- && memfd write 3 toolongtoolongtoolong 2>&- <&-; echo $?; memfd read 3 --string'
	assert_output "$(printf '1\nhello')"
}
