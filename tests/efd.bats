#!/usr/bin/env bats
# efd: new, signal, wait, get, ls; descriptor addresses; bad input.
# bats keeps its own output on fd 3: every eventfd here is made by
# `efd new`, which puts it at fd 3 of its command only.

load test_helper

teardown() {
	stop_holders
}

@test "new: CMD runs with an eventfd at fd 3, not close-on-exec" {
	run efd new -- sh -c 'readlink /proc/self/fd/3'
	assert_success
	assert_output 'anon_inode:[eventfd]'
}

@test "new: -c sets the counter, --fd places it, CMD's status is efd's" {
	run efd new -c 5 --fd 7 -- sh -c 'efd get 7; exit 9'
	assert_failure 9
	assert_output 5
}

@test "new: a counter past 2^32 is written after eventfd(2)" {
	run efd new -c 18446744073709551614 -- efd get 3
	assert_success
	assert_output 18446744073709551614
}

@test "new: --semaphore makes wait take one at a time" {
	run efd new -c 3 --semaphore -- sh -c 'efd wait 3; efd wait 3; efd get 3'
	assert_success
	assert_output "$(printf '1\n1\n1')"
}

@test "new: --fd 0, 1 and 2 would shadow stdio: usage error" {
	run --separate-stderr efd new --fd 1 -- true
	assert_failure 2
	assert_equal "$stderr" "efd: new: --fd '1' would shadow stdout; use 3 or above"
	run --separate-stderr efd new --fd 0 -- true
	assert_failure 2
	assert_equal "$stderr" "efd: new: --fd '0' would shadow stdin; use 3 or above"
	run --separate-stderr efd new --fd 2 -- true
	assert_failure 2
	assert_equal "$stderr" "efd: new: --fd '2' would shadow stderr; use 3 or above"
}

@test "new: bad --fd, -c and a missing CMD are usage errors" {
	run --separate-stderr efd new --fd -3 -- true
	assert_failure 2
	assert_equal "$stderr" "efd: new: --fd '-3' is negative"
	run --separate-stderr efd new --fd 99999999999 -- true
	assert_failure 2
	assert_equal "$stderr" "efd: new: --fd '99999999999' is too large"
	run --separate-stderr efd new -c 18446744073709551615 -- true
	assert_failure 2
	assert_equal "$stderr" "efd: new: count '18446744073709551615' is too large"
	run --separate-stderr efd new -c 2x -- true
	assert_failure 2
	assert_equal "$stderr" "efd: new: count '2x' is invalid"
	run --separate-stderr efd new
	assert_failure 2
	assert_equal "$stderr" "efd: new: missing '-- CMD' (usage: efd new [-c INIT] [--semaphore] [--fd N] -- CMD [ARG...])"
	run --separate-stderr efd new --
	assert_failure 2
	assert_equal "$stderr" "efd: new: missing CMD after '--'"
}

@test "new: 127 when CMD is not found, 126 when it cannot run" {
	run -127 --separate-stderr efd new -- ipcbox-no-such-command
	assert_failure 127
	assert_equal "$stderr" "efd: new: ipcbox-no-such-command: command not found"
	run -126 --separate-stderr efd new -- /etc/passwd
	assert_failure 126
	assert_equal "$stderr" "efd: new: /etc/passwd: Permission denied"
}

@test "signal adds N; get reads the counter without consuming it" {
	run efd new -- sh -c 'efd signal 3; efd signal fd:3 -n 41; efd get 3; efd get 3'
	assert_success
	assert_output "$(printf '42\n42')"
}

@test "signal: -n 0 and -n 2^64-1 are usage errors, nothing is added" {
	run --separate-stderr efd new -- sh -c 'efd signal -n 0 3; echo $?; efd signal -n 18446744073709551615 3; echo $?; efd get 3'
	assert_success
	assert_output "$(printf '2\n2\n0')"
	assert_equal "$stderr" "$(printf '%s\n' "efd: signal: count '0' is too small" "efd: signal: count '18446744073709551615' is too large")"
}

@test "signal: the largest count, 2^64-2, is taken" {
	run efd new -- sh -c 'efd signal -n 18446744073709551614 3 && efd wait 3'
	assert_success
	assert_output 18446744073709551614
}

@test "wait consumes the counter and prints it; a second wait times out" {
	run --separate-stderr efd new -c 7 -- sh -c 'efd wait 3; efd wait -t 0.05 3; echo $?; efd get 3'
	assert_success
	assert_output "$(printf '7\n3\n0')"
	assert_equal "$stderr" "efd: wait: 3: timed out after 0.05"
}

@test "wait -t 0 polls; a bad timeout is a usage error" {
	run --separate-stderr efd new -- efd wait -t 0 3
	assert_failure 3
	assert_equal "$stderr" "efd: wait: 3: timed out after 0"
	run --separate-stderr efd new -- efd wait -t 1x 3
	assert_failure 2
	assert_equal "$stderr" "efd: wait: timeout '1x' is invalid"
}

@test "wait blocks until another process signals" {
	run efd new -- sh -c '(sleep 0.1; efd signal -n 3 3) & efd wait -t 5 3'
	assert_success
	assert_output 3
}

@test "ping-pong: 100 rounds, every signal seen exactly once" {
	run efd new --fd 3 -- efd new --fd 4 -- bash -c '
		pong() {
			local i v sum=0
			for ((i = 0; i < 100; i++)); do
				v=$(efd wait -t 5 3) || exit 1
				sum=$((sum + v))
				efd signal 4
			done
			echo "pong $sum"
		}
		pong > "$BATS_TEST_TMPDIR/pong" &
		sum=0
		for ((i = 0; i < 100; i++)); do
			efd signal 3
			v=$(efd wait -t 5 4) || exit 1
			sum=$((sum + v))
		done
		wait $! || exit 1
		echo "ping $sum"
		cat "$BATS_TEST_TMPDIR/pong"
		efd get 3; efd get 4'
	assert_success
	assert_output "$(printf 'ping 100\npong 100\n0\n0')"
}

@test "wait on three EFDs prints the one signalled" {
	run efd new --fd 3 -- efd new --fd 4 -- efd new --fd 5 -- sh -c '
		efd signal -n 7 4; efd wait 3 fd:4 5
		(sleep 0.1; efd signal 5) & efd wait -t 5 3 4 5
		efd get 3; efd get 4; efd get 5'
	assert_success
	assert_output "$(printf 'fd:4 7\n5 1\n0\n0\n0')"
}

@test "wait on several: a timeout names none, the same EFD twice is refused" {
	run --separate-stderr efd new --fd 3 -- efd new --fd 4 -- efd wait -t 0.01 3 4
	assert_failure 3
	assert_equal "$stderr" "efd: wait: timed out after 0.01"
	run --separate-stderr efd new -- efd wait 3 fd:3
	assert_failure 2
	assert_equal "$stderr" "efd: wait: fd:3: named twice"
}

@test "wait -f: 1,000 signals in semaphore mode print exactly 1,000 lines" {
	# Each printf is one write(2) of the count 1 to the eventfd, what
	# `efd signal 3` does, without 1,000 process start-ups; every 100th
	# signal is an `efd signal`.
	run --separate-stderr efd new --semaphore -- bash -c '
		efd wait -f -t 1 3 > "$BATS_TEST_TMPDIR/out" & w=$!
		for ((i = 1; i <= 1000; i++)); do
			if ((i % 100 == 0)); then
				efd signal 3
			else
				printf "\001\000\000\000\000\000\000\000" >&3
			fi
		done
		wait $w; echo "rc=$?"
		sort "$BATS_TEST_TMPDIR/out" | uniq -c | tr -s " "
		efd get 3'
	assert_success
	assert_output "$(printf 'rc=3\n 1000 1\n0')"
	assert_equal "$stderr" "efd: wait: 3: timed out after 1"
}

@test "wait -f ends at EOF on stdout (the reader went away)" {
	# head exits after two lines while efd waits for a third event:
	# without noticing the closed pipe, efd would wait until -t.
	run efd new -c 2 --semaphore -- bash -c '
		efd wait -f -t 20 3 | head -n 2
		echo "rc=${PIPESTATUS[0]}"'
	assert_success
	assert_output "$(printf '1\n1\nrc=0')"
}

@test "wait -f ends on SIGTERM with status 0" {
	run efd new -- bash -c '
		efd wait -f 3 > "$BATS_TEST_TMPDIR/out" & w=$!
		efd signal -n 2 3
		for ((i = 0; i < 200; i++)); do
			[ -s "$BATS_TEST_TMPDIR/out" ] && break; sleep 0.01
		done
		kill -TERM $w; wait $w; echo "rc=$?"; cat "$BATS_TEST_TMPDIR/out"'
	assert_success
	assert_output "$(printf 'rc=0\n2')"
}

@test "wait -f ends on SIGTERM while blocked writing to a full pipe" {
	run efd new -c 100000 --semaphore -- bash -c '
		mkfifo "$BATS_TEST_TMPDIR/fifo"
		sleep 10 < "$BATS_TEST_TMPDIR/fifo" & r=$!
		efd wait -f 3 > "$BATS_TEST_TMPDIR/fifo" & w=$!
		before=$(efd get 3)
		for ((i = 0; i < 100; i++)); do   # until the pipe is full
			sleep 0.05; now=$(efd get 3)
			[ "$now" = "$before" ] && [ "$now" != 100000 ] && break
			before=$now
		done
		kill -TERM $w
		for ((i = 0; i < 60; i++)); do
			kill -0 $w 2>/dev/null || break; sleep 0.05
		done
		kill -KILL $w 2>/dev/null; wait $w; echo "rc=$?"; kill $r'
	assert_success
	assert_output rc=0
}

@test "wait -f on several EFDs prints EFD VALUE lines" {
	run --separate-stderr efd new --fd 3 -- efd new --fd 4 -- sh -c '
		efd signal -n 2 3; efd signal -n 5 4
		efd wait -f -t 0.1 3 4; echo "rc=$?"'
	assert_success
	assert_output "$(printf '3 2\n4 5\nrc=3')"
	assert_equal "$stderr" "efd: wait: timed out after 0.1"
}

@test "pid:P:N: get, signal and wait on a sibling's eventfd" {
	skip_under_valgrind_pidfd
	hold_new efd -c 4
	run efd get "pid:$HOLDER:3"
	assert_success
	assert_output 4
	run efd signal "pid:$HOLDER:3" -n 6
	assert_success
	run efd wait -t 1 "pid:$HOLDER:3"
	assert_success
	assert_output 10
	run efd get "pid:$HOLDER:3"
	assert_output 0
}

@test "pid:P:N: a dead process, a missing descriptor, not an eventfd" {
	skip_under_valgrind_pidfd
	hold_new efd
	run --separate-stderr efd get "pid:$HOLDER:9"
	assert_failure 1
	assert_equal "$stderr" "efd: get: pid:$HOLDER:9: process $HOLDER has no descriptor 9"
	run --separate-stderr efd get "pid:$HOLDER:0"
	assert_failure 1
	assert_equal "$stderr" "efd: get: pid:$HOLDER:0: not an eventfd: a character device (/dev/null)"
	kill "$HOLDER"; wait "$HOLDER" || :
	run --separate-stderr efd get "pid:$HOLDER:3"
	assert_failure 1
	assert_equal "$stderr" "efd: get: pid:$HOLDER:3: no such process"
}

@test "pid:P:N: pid 0, junk, no descriptor number: usage errors (exit 2)" {
	run --separate-stderr efd get pid:0:3
	assert_failure 2
	assert_equal "$stderr" "efd: get: pid:0:3: invalid process id"
	run --separate-stderr efd get pid:12x:3
	assert_failure 2
	assert_equal "$stderr" "efd: get: pid:12x:3: invalid process id"
	run --separate-stderr efd get pid:1
	assert_failure 2
	assert_equal "$stderr" "efd: get: pid:1: invalid address: want pid:PID:FD"
}

@test "a non-root user cannot take a root process's eventfd" {
	skip_unless_root
	skip_under_valgrind_pidfd
	hold_new efd -c 1
	run --separate-stderr as_nobody efd get "pid:$HOLDER:3"
	assert_failure 1
	assert_equal "$stderr" "efd: get: pid:$HOLDER:3: ptrace access to process $HOLDER denied (taking its descriptors needs it)"
	run efd get "pid:$HOLDER:3"
	assert_output 1
}

@test "descriptors that are not open, negative, huge or not eventfds" {
	run --separate-stderr efd get 9
	assert_failure 1
	assert_equal "$stderr" "efd: get: 9: not an open descriptor"
	run --separate-stderr efd signal -1
	assert_failure 2
	assert_equal "$stderr" "efd: signal: -1: invalid descriptor number"
	run --separate-stderr efd get fd:4294967296
	assert_failure 2
	assert_equal "$stderr" "efd: get: fd:4294967296: invalid descriptor number"
	run --separate-stderr efd signal 0 < /dev/null
	assert_failure 1
	assert_equal "$stderr" "efd: signal: 0: not an eventfd: a character device (/dev/null)"
	run --separate-stderr bash -c 'efd signal 1 | cat; exit ${PIPESTATUS[0]}'
	assert_failure 1
	assert_equal "$stderr" "efd: signal: 1: not an eventfd: a pipe"
	run --separate-stderr memfd new cfg -- efd wait 3
	assert_failure 1
	assert_equal "$stderr" "efd: wait: 3: not an eventfd: a memfd (cfg)"
	run --separate-stderr efd get /name
	assert_failure 2
	assert_equal "$stderr" "efd: get: /name: not an address this verb accepts"
}

@test "ls: the eventfds of our processes, with count, mode and id" {
	hold_new efd -c 12 --semaphore
	run efd ls -n -o PID,FD,COUNT,SEMAPHORE
	assert_success
	assert_line --regexp "^ *$HOLDER +3 +12 +yes\$"
	run efd ls --json -o PID,COMMAND,COUNT,SEMAPHORE,ADDRESS
	assert_success
	assert_output --partial "$(printf '"pid": %s,\n         "command": "sleep",\n         "count": 12,\n         "semaphore": true,\n         "address": "pid:%s:3"' "$HOLDER" "$HOLDER")"
}

@test "ls: one eventfd held by two processes shows one id" {
	run efd new -c 2 -- sh -c 'efd ls --raw -n -o PID,FD,COUNT,ID | grep -E "^($$|[0-9]+) 3 2 " | cut -d" " -f4 | sort -u | wc -l'
	assert_success
	assert_output 1
}

@test "ls: an unknown column is a usage error" {
	run --separate-stderr efd ls -o PID,NOPE
	assert_failure 2
	assert_equal "$stderr" "efd: ls: NOPE: unknown column (valid: PID,COMMAND,FD,COUNT,SEMAPHORE,ID,ADDRESS)"
}

@test "--trace prints the calls: eventfd, dup2, write, epoll, read" {
	run --separate-stderr efd --trace new -c 1 -- efd --trace wait 3
	assert_success
	assert_output 1
	[[ "$stderr" == *"eventfd(1, EFD_CLOEXEC) = "* ]]
	[[ "$stderr" == *"dup2("*", 3) = 3"* || "$stderr" == *"fcntl(3, F_SETFD, 0) = 0"* ]]
	[[ "$stderr" == *"epoll_pwait("*"[{events=EPOLLIN, fd=3}], 2, -1, NULL) = 1"* ]]
	[[ "$stderr" == *"preadv2(3, [1], 8, -1, RWF_NOWAIT) = 8"* ]]
	run --separate-stderr efd new -- efd --trace signal -n 2 3
	assert_equal "$stderr" "write(3, [2], 8) = 8"
}

@test "--help for a verb prints its synopsis" {
	run efd wait --help
	assert_success
	assert_line --index 0 "Usage: efd wait EFD... [-t TIMEOUT] [-f] [-S SOCKET]"
}

# ------------------------------------------------------ hostile environments

@test "new: a path that does not exist is 'command not found' (127), as semctl run says" {
	assert_fails 127 "efd: new: /nonexistent: command not found" efd new -- /nonexistent
}

@test "--help lists exit 3 (wait -t times out)" {
	run efd --help
	assert_line 'Exit status: 0 done, 1 failed, 2 usage, 3 timed out.'
}

@test "closed stdin and stderr: signal and get of an eventfd are as with them open" {
	run efd new -c 5 -- sh -c 'efd signal 3 -n 2 <&- 2>&-; efd get 3 <&- 2>&-; efd get 3'
	assert_success
	assert_output "$(printf '7\n7')"
}

@test "wait -t: the timeout is echoed as written, as semctl echoes it" {
	run --separate-stderr efd new -- efd wait -t 20ms 3
	assert_failure 3
	assert_equal "$stderr" "efd: wait: 3: timed out after 20ms"
}
