#!/usr/bin/env bats
# ipcbench: every mechanism runs and reports positive finite figures in a
# short run; the JSON parses and has every mechanism; the header names the
# CPUs, their placement (shared on one CPU) and the kernel; bad mechanism
# names, sizes, round counts and columns are usage errors; a queue size
# over the kernel's limit fails naming the limit; --trace shows the set-up
# calls; nothing is left behind (objects, the fifos' directory, processes)
# after a normal end, SIGINT, SIGTERM or the child's death; and the pipe's
# round trip is of the same order as a small C ping-pong's, compiled here.

load test_helper

MECHS=(pipe fifo unix pmq smq eventfd futex psem ssem spin)

setup_file() {
	PY=python3
	[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
	export PY
	# The peer (bench/pingpong.c): two pipes, fork, 100-byte ping-pong,
	# each side pinned as ipcbench pins them; prints the median round
	# trip in ns.
	cc -O2 -o "$BATS_FILE_TMPDIR/peer" "$BATS_TEST_DIRNAME/../bench/pingpong.c"
}

setup() {
	# Each test's own TMPDIR: the fifos' directory goes there, and it
	# marks the test's ipcbench processes (in their environment).
	export TMPDIR=$BATS_TEST_TMPDIR/tmp-$BASHPID
	mkdir -p "$TMPDIR"
}

# ipcbench processes of this test still running (by the TMPDIR in their
# environment).
ours() {
	local p
	for p in $(pgrep -x ipcbench); do
		grep -qsF "TMPDIR=$TMPDIR" "/proc/$p/environ" && echo "$p"
	done
	return 0
}

# A test that failed half-way leaves no ipcbench running (bats would wait
# for it).
teardown() {
	local p
	for p in $(ours); do
		kill -KILL "$p" 2>/dev/null || :
	done
}

# Nothing left: System V queues and sets, POSIX queues, /dev/shm, the
# fifos' directory, processes.
assert_nothing_left() {
	run ipcs -q
	refute_output --partial 0x
	run ipcs -s
	refute_output --partial 0x
	run ls -A /dev/mqueue /dev/shm "$TMPDIR"
	refute_output --partial ipcbench
	# The child is gone once the parent has waited for it.
	run ours
	assert_output ''
}

@test "every mechanism reports positive finite figures; the JSON parses and has every mechanism" {
	local out
	run --separate-stderr ipcbench -n 20 --runs 1 --json
	assert_success
	assert_equal "$stderr" ''
	out=$output
	"$PY" -m json.tool <<<"$out" >/dev/null
	run json '[r["mech"] for r in d["ipcbench"]]' <<<"$out"
	assert_output '["pipe","fifo","unix","pmq","smq","eventfd","futex","psem","ssem","spin"]'
	run "$PY" -c '
import json, math, sys
d = json.load(sys.stdin)["ipcbench"]
for r in d:
    for k in ("rtt", "p99", "msgs", "mibs"):
        v = r[k]
        assert isinstance(v, (int, float)) and math.isfinite(v) and v > 0, (r["mech"], k, v)
    assert r["p99"] >= r["rtt"], r
    assert r["size"] == 100 and r["rounds"] == 20 and r["runs"] == 1, r
    assert r["kind"] in ("data", "signal"), r
    assert r["cpus"] >= 1, r
print("ok", len(d))' <<<"$out"
	assert_output 'ok 10'
	assert_nothing_left
}

@test "the table: a header with the CPUs, their placement and the kernel, then one row a mechanism" {
	run --separate-stderr ipcbench -m spin,pipe -n 20 --runs 2 -s 1K
	assert_success
	local cpus
	cpus=$(nproc --all)
	[[ ${lines[0]} == "$cpus CPUs online, "*"; Linux $(uname -r) $(uname -m); 1024-byte messages; 2 runs of 20 round trips and 20 one-way messages, each after 2 warm-up rounds" ]]
	assert_equal "$(awk 'NR == 2 { print $1, $2, $3, $4, $5, $6 }' <<<"$output")" \
		"MECH KIND RTT P99 MSGS MIBS"
	# In the table's order, not -m's.
	assert_equal "$(awk 'NR > 2 { print $1, $2 }' <<<"$output" | paste -sd,)" \
		"pipe data,spin signal"
	run ipcbench -m eventfd -n 10 --runs 1 -o MECH,SIZE,KIND --raw -s 0x10
	assert_success
	assert_line --index 1 'MECH SIZE KIND'
	assert_line --index 2 'eventfd 16 signal'
}

@test "one CPU: both sides on it, placement printed as shared, figures still positive" {
	command -v taskset >/dev/null || skip "no taskset"
	run --separate-stderr taskset -c 0 ipcbench -m pipe,futex,spin -n 20 --runs 1 --json
	assert_success
	run json '[(r["placement"], r["rtt"] > 0, r["msgs"] > 0) for r in d["ipcbench"]]' <<<"$output"
	assert_output '[["both on CPU 0 (shared)",true,true],["both on CPU 0 (shared)",true,true],["both on CPU 0 (shared)",true,true]]'
	run taskset -c 0 ipcbench -m pipe -n 5 --runs 1
	assert_success
	[[ ${lines[0]} == *"1 allowed; sides: both on CPU 0 (shared);"* ]]
}

@test "usage errors: bad mechanisms, sizes, round counts, runs, columns and operands exit 2, one line, nothing on stdout" {
	local a
	while IFS='|' read -r a want; do
		# shellcheck disable=SC2086 # one word an argument
		run --separate-stderr ipcbench $a
		assert_failure 2
		assert_output ''
		assert_equal "$stderr" "$want"
	done <<'EOF'
-m nope|ipcbench: -m 'nope': unknown mechanism (all, or: pipe, fifo, unix, pmq, smq, eventfd, futex, psem, ssem, spin)
-m pipe,Pipe|ipcbench: -m 'Pipe': unknown mechanism (all, or: pipe, fifo, unix, pmq, smq, eventfd, futex, psem, ssem, spin)
-m ,|ipcbench: -m ',': no mechanism named
-s 0|ipcbench: -s '0' is too small (at least 1)
-s 2M|ipcbench: -s '2M' is too large (at most 1M)
-s 1025K|ipcbench: -s '1025K' is too large (at most 1M)
-s -1|ipcbench: -s '-1' is negative
-s 10q|ipcbench: -s '10q' is invalid
-n 0|ipcbench: -n '0' is too small
-n 1000001|ipcbench: -n '1000001' is too large
-n 1e3|ipcbench: -n '1e3' is invalid
--runs 101|ipcbench: --runs '101' is too large
-o NOPE|ipcbench: NOPE: unknown column (valid: MECH,KIND,SIZE,RTT,P99,MSGS,MIBS,WHAT,CPUS,PLACEMENT,KERNEL,ROUNDS,RUNS)
--json --raw|ipcbench: --json and --raw exclude each other
EOF
	run --separate-stderr ipcbench pipe
	assert_failure 2
	[[ $stderr == "ipcbench: pipe: extra operand"* ]]
	run --separate-stderr ipcbench -m
	assert_failure 2
	assert_output ''
	assert_nothing_left
}

@test "a message over the queue limits fails naming the limit: exit 1, nothing left, the others still measured" {
	local max mq
	max=$(cat /proc/sys/kernel/msgmax)
	run --separate-stderr ipcbench -m smq,pipe -n 10 --runs 1 -s $((max + 1))
	assert_failure 1
	assert_equal "$stderr" "ipcbench: smq: $((max + 1))-byte messages are over kernel.msgmax ($max bytes)"
	assert_equal "$(awk 'NR > 2 { print $1 }' <<<"$output")" pipe
	mq=$(cat /proc/sys/fs/mqueue/msgsize_max)
	if [ "$mq" -lt $((1024 * 1024)) ]; then
		run --separate-stderr ipcbench -m pmq -n 10 --runs 1 -s 1M
		assert_failure 1
		assert_output ''
		assert_equal "$stderr" "ipcbench: pmq: 1048576-byte messages are over fs.mqueue.msgsize_max ($mq bytes)"
	fi
	assert_nothing_left
}

@test "--trace shows the set-up calls, not the timed loop; without it stderr is empty" {
	run --separate-stderr ipcbox --trace ipcbench -m fifo,pmq,smq,ssem,psem,eventfd -n 10 --runs 1
	assert_success
	local want
	for want in 'mkdtemp("' 'mkfifo("' 'rmdir("' 'mq_open("/ipcbench-' \
		'mq_unlink("/ipcbench-' 'msgget(IPC_PRIVATE, IPC_CREAT|0600) = ' \
		', IPC_RMID, NULL) = 0' 'semget(IPC_PRIVATE, 2, IPC_CREAT|0600) = ' \
		'sem_init(' 'eventfd(0, EFD_CLOEXEC|EFD_SEMAPHORE) = ' \
		'sched_setaffinity(0, ['; do
		[[ $stderr == *"$want"* ]] || fail "no '$want' in the trace: $stderr"
	done
	# 10 rounds and 10 messages, yet no msgsnd or semop line: the loops
	# are not traced.
	[[ $stderr != *msgsnd* && $stderr != *"semop("* ]]
	run --separate-stderr ipcbench -m pipe -n 10 --runs 1
	assert_success
	assert_equal "$stderr" ''
}

@test "SIGINT and SIGTERM in the middle of a run, to the parent or the process group, remove every object and end the child" {
	local sig m pid st
	for sig in INT TERM; do
		# SIGINT while a System V queue exists, SIGTERM while a fifo
		# pair is open (its names are gone by then).
		m=smq
		[ $sig = TERM ] && m=fifo
		ipcbench -m $m -n 1000000 --runs 1 >/dev/null 2>"$TMPDIR/err" &
		pid=$!
		if [ $m = smq ]; then
			wait_for '[ -n "$(ipcs -q | grep 0x)" ]'
		else
			wait_for '[ -n "$(pgrep -P '$pid')" ] && ! ls "$TMPDIR" | grep -q ipcbench'
		fi
		sleep 0.1
		kill -s $sig $pid
		st=0
		wait $pid || st=$?
		if [ $sig = INT ]; then assert_equal "$st" 130; else assert_equal "$st" 143; fi
		assert_equal "$(cat "$TMPDIR/err")" "ipcbench: $m: interrupted: objects removed"
		rm "$TMPDIR/err"
		assert_nothing_left
	done
	# ^C at a terminal reaches both sides (the process group): the same.
	setsid ipcbench -m ssem -n 1000000 --runs 1 >/dev/null 2>"$TMPDIR/err" &
	pid=$!
	wait_for '[ -n "$(ipcs -s | grep 0x)" ] && [ -n "$(pgrep -P '$pid')" ]'
	kill -s INT -- -"$pid"
	st=0
	wait $pid || st=$?
	assert_equal "$st" 130
	assert_equal "$(cat "$TMPDIR/err")" "ipcbench: ssem: interrupted: objects removed"
	assert_nothing_left
}

@test "the child's death stops the run, removes the objects, exit 1" {
	local pid child st=0
	ipcbench -m ssem -n 1000000 --runs 1 >"$TMPDIR/out" 2>"$TMPDIR/err" &
	pid=$!
	wait_for '[ -n "$(ipcs -s | grep 0x)" ] && [ -n "$(pgrep -P '$pid')" ]'
	child=$(pgrep -P $pid)
	kill -KILL "$child"
	wait $pid || st=$?
	assert_equal "$st" 1
	assert_equal "$(cat "$TMPDIR/err")" "ipcbench: ssem: the other side ended: stopped, objects removed"
	assert_equal "$(cat "$TMPDIR/out")" ''
	assert_nothing_left
}

@test "stdout on /dev/full fails (exit 1)" {
	run --separate-stderr bash -c 'ipcbench -m pipe -n 5 --runs 1 >/dev/full'
	assert_failure 1
	[[ $stderr == "ipcbench: "*"No space left on device" ]]
}

@test "the pipe's round trip is within 10x of a C pipe ping-pong's measured beside it" {
	local ours peer
	peer=$("$BATS_FILE_TMPDIR/peer" 1000)
	ours=$(ipcbench -m pipe -n 1000 --runs 1 -o RTT --raw | tail -n 1)
	# ours in microseconds, peer in nanoseconds.
	run "$PY" -c '
import sys
ours, peer = float(sys.argv[1]) * 1000, float(sys.argv[2])
r = ours / peer
print("ratio %.2f" % r, "ok" if 0.1 <= r <= 10 else "off")' "$ours" "$peer"
	assert_output --regexp 'ok$'
}
