#!/usr/bin/env bats
# mqctl: every verb for POSIX and System V queues, every exit code, the
# exact message of each bad input (and that nothing was created or
# taken), order by priority and by type selection, 100,000 lines through
# send -l and recv -f, a full queue, notify, interop with a C program
# (mq_send/mq_receive, msgsnd/msgrcv) and with util-linux (ipcmk, ipcs,
# lsipc, ipcrm), a permission denial as nobody, ls and --trace.

load test_helper

# ---------------------------------------------------------------- helpers

# Every queue: each POSIX one with its mode and the messages it holds
# (from /dev/mqueue), each System V one with its key, mode and counts.
state() {
	local f
	for f in /dev/mqueue/*; do
		[ -e "$f" ] || continue
		printf '%s %s %s\n' "$f" "$(stat -c %a "$f")" "$(cat "$f")"
	done
	awk 'NR > 1 { print "sysv", $1, $2, $3, $4, $5 }' /proc/sysvipc/msg
}

# Run CMD in the background; teardown kills it.  $! is its pid.
hold() {
	"$@" 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/holders"
}

# Messages queued in Q (stat's count).
count() {
	mqctl stat "$1" | awk '$1 == "messages:" { print $2 }'
}

# A C program using the kernel's APIs directly:
#   peer psend NAME PRIO MSG | precv NAME   (mq_send, mq_receive)
#   peer vsend KEY TYPE MSG | vrecv KEY TYPE (msgsnd, msgrcv)
# recv prints "PRIO-OR-TYPE MSG" on one line.
peer() {
	"$BATS_FILE_TMPDIR/peer" "$@"
}

setup_file() {
	state >"$BATS_FILE_TMPDIR/state.before"
	# The interpreter itself: a version manager's wrapper is slow.
	PY=$(python3 -c 'import sys; print(sys.executable)')
	export PY
	cat >"$BATS_FILE_TMPDIR/peer.c" <<-'EOF'
		#include <fcntl.h>
		#include <mqueue.h>
		#include <stdio.h>
		#include <stdlib.h>
		#include <string.h>
		#include <sys/msg.h>

		int
		main(int argc, char **argv)
		{
			struct { long type; char text[8192]; } m;
			char buf[65536];
			unsigned prio;
			ssize_t n;
			mqd_t q;
			int id;

			if (argc < 3)
				return 2;
			if (argv[1][0] == 'p') {
				q = mq_open(argv[2], argv[1][1] == 's' ? O_WRONLY : O_RDONLY);
				if (q == (mqd_t)-1)
					return perror("mq_open"), 1;
				if (argv[1][1] == 's')
					return mq_send(q, argv[4], strlen(argv[4]),
					    (unsigned)atoi(argv[3])) != 0;
				n = mq_receive(q, buf, sizeof(buf), &prio);
				if (n < 0)
					return perror("mq_receive"), 1;
				printf("%u %.*s\n", prio, (int)n, buf);
				return 0;
			}
			id = msgget((key_t)strtol(argv[2], NULL, 0), 0);
			if (id < 0)
				return perror("msgget"), 1;
			if (argv[1][1] == 's') {
				m.type = atol(argv[3]);
				strcpy(m.text, argv[4]);
				return msgsnd(id, &m, strlen(argv[4]), 0) != 0;
			}
			n = msgrcv(id, &m, sizeof(m.text), atol(argv[3]), 0);
			if (n < 0)
				return perror("msgrcv"), 1;
			printf("%ld %.*s\n", m.type, (int)n, m.text);
			return 0;
		}
	EOF
	cc -o "$BATS_FILE_TMPDIR/peer" "$BATS_FILE_TMPDIR/peer.c"
}

teardown() {
	local pid id
	if [ -f "$BATS_TEST_TMPDIR/holders" ]; then
		while read -r pid; do
			kill "$pid" 2>/dev/null || :
		done <"$BATS_TEST_TMPDIR/holders"
		while read -r pid; do
			while kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
		done <"$BATS_TEST_TMPDIR/holders"
	fi
	rm -f /dev/mqueue/ipcbox-t$$-*
	# Our keys: 0x1bPPPP.. (uniq_key), and every queue ipcmk made.
	for id in $(awk -v p=$(( 0x1b000000 / 256 + $$ % 0x10000 )) \
		'NR > 1 && int($1 / 256) == p { print $2 }' /proc/sysvipc/msg) \
		$(cat "$BATS_TEST_TMPDIR/ids" 2>/dev/null); do
		ipcrm -q "$id" 2>/dev/null || :
	done
}

# Nothing the suite made is left.
teardown_file() {
	local after
	after=$(state)
	if [ "$after" != "$(cat "$BATS_FILE_TMPDIR/state.before")" ]; then
		echo "queues left behind:" >&2
		diff <(cat "$BATS_FILE_TMPDIR/state.before") <(echo "$after") >&2
		return 1
	fi
}

# ----------------------------------------------------------------- create

@test "create: a POSIX queue, mode 0600 whatever the umask, default sizes; nothing on stdout" {
	n=$(uniq_name)
	run --separate-stderr bash -c "umask 077; mqctl create $n -m 0640"
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	assert_equal "$(stat -c '%a %U' "/dev/mqueue/${n#/}")" "640 $(id -un)"
	run mqctl stat "$n"
	assert_line "maxmsg: $(cat /proc/sys/fs/mqueue/msg_default)"
	assert_line "msgsize: $(cat /proc/sys/fs/mqueue/msgsize_default)"
	assert_line "messages: 0"
	assert_line "mode: 0640"
	m=$(uniq_name)
	mqctl create "$m" --maxmsg 3 --msgsize 1K -m u=rw,g=r
	run mqctl stat "$m"
	assert_line "maxmsg: 3"
	assert_line "msgsize: 1024"
	assert_line "perms: rw-r-----"
}

@test "create is exclusive (exit 1); --exist-ok leaves the queue as it was" {
	n=$(uniq_name)
	mqctl create "$n" --maxmsg 2 --msgsize 64
	mqctl send "$n" keep
	before=$(state)
	assert_fails 1 "mqctl: create: $n: File exists" mqctl create "$n"
	run --separate-stderr mqctl create "$n" --exist-ok --maxmsg 5 -m 0666
	assert_success
	assert_equal "$(state)" "$before"
}

@test "create: above the kernel's limits is refused naming the limit, nothing made" {
	n=$(uniq_name)
	max=$(cat /proc/sys/fs/mqueue/msg_max)
	smax=$(cat /proc/sys/fs/mqueue/msgsize_max)
	assert_fails 1 "mqctl: create: $n: maxmsg $((max + 1)) is above the kernel's limit $max (/proc/sys/fs/mqueue/msg_max)" \
		mqctl create "$n" --maxmsg $((max + 1))
	assert_fails 1 "mqctl: create: $n: msgsize $((smax + 1)) is above the kernel's limit $smax (/proc/sys/fs/mqueue/msgsize_max)" \
		mqctl create "$n" --msgsize $((smax + 1))
	assert_file_not_exists "/dev/mqueue/${n#/}"
}

@test "create: a System V queue prints its id; --qbytes; exclusive; --exist-ok prints the same id" {
	k=$(uniq_key)
	run --separate-stderr mqctl create "$k" --qbytes 1000 -m 0640
	assert_success
	assert_equal "$stderr" ''
	id=$output
	assert_equal "$(awk -v i="$id" '$2 == i { print $3 }' /proc/sysvipc/msg)" 640
	run mqctl stat "id:$id"
	assert_line "qbytes: 1000"
	assert_line "msgsize: 1000"
	assert_fails 1 "mqctl: create: $k: File exists" mqctl create "$k"
	run mqctl create "$k" --exist-ok
	assert_output "$id"
}

@test "create: bad input is a usage error (exit 2), nothing made" {
	n=$(uniq_name)
	k=$(uniq_key)
	before=$(state)
	assert_fails 2 "mqctl: create: missing operand (usage: mqctl create Q [-m MODE] [--exist-ok] [--maxmsg N] [--msgsize N] [--qbytes N])" mqctl create
	assert_fails 2 "mqctl: create: /a/b: invalid name: a '/' after the first" mqctl create /a/b
	assert_fails 2 "mqctl: create: /: invalid name: empty" mqctl create /
	assert_fails 2 "mqctl: create: maxmsg '0' is too small" mqctl create "$n" --maxmsg 0
	assert_fails 2 "mqctl: create: maxmsg 'x' is invalid" mqctl create "$n" --maxmsg x
	assert_fails 2 "mqctl: create: msgsize '1Q' is invalid" mqctl create "$n" --msgsize 1Q
	assert_fails 2 "mqctl: create: msgsize '0' is too small" mqctl create "$n" --msgsize 0
	assert_fails 2 "mqctl: create: mode '0999' is invalid" mqctl create "$n" -m 0999
	assert_fails 2 "mqctl: create: $n: --qbytes: System V queues only" mqctl create "$n" --qbytes 10
	assert_fails 2 "mqctl: create: $k: --maxmsg: POSIX queues only" mqctl create "$k" --maxmsg 10
	assert_fails 2 "mqctl: create: --qbytes and --maxmsg exclude each other" mqctl create "$k" --qbytes 1 --maxmsg 1
	assert_fails 2 "mqctl: create: id:5: an id names an existing queue: create by key: or ftok:" mqctl create id:5
	assert_equal "$(state)" "$before"
}

# ------------------------------------------------------------ send, recv

@test "send and recv: POSIX messages come out by priority, then in order; -v shows it" {
	n=$(uniq_name)
	mqctl create "$n"
	mqctl send "$n" low
	mqctl send "$n" -p 7 high
	mqctl send "$n" second-low
	mqctl send "$n" --priority 3 mid
	run --separate-stderr mqctl recv "$n" -v -n 4
	assert_success
	assert_output "$(printf '7 high\n3 mid\n0 low\n0 second-low')"
	assert_equal "$stderr" ''
	mqctl send "$n" -p 32767 top
	run mqctl recv "$n"
	assert_output top
}

@test "send and recv: System V types, all three forms of --type and --except" {
	k=$(uniq_key)
	mqctl create "$k" >/dev/null
	for t in 3 1 2 5 1; do mqctl send "$k" --type "$t" "t$t"; done
	run mqctl recv "$k" --type 2 -v
	assert_output '2 t2'
	run mqctl recv "$k" --type -4 -v
	assert_output '1 t1'
	run mqctl recv "$k" --type 1 --except -v
	assert_output '3 t3'
	run mqctl recv "$k" --type 0 -v
	assert_output '5 t5'
	run mqctl recv "$k" -v
	assert_output '1 t1'
	mqctl send "$k" default-type
	run mqctl recv "$k" -v
	assert_output '1 default-type'
	assert_fails 3 "mqctl: recv: $k: no message" mqctl recv "$k" -t 0
}

@test "send: MSG, or stdin as one message whatever its bytes; recv --raw writes exactly them" {
	n=$(uniq_name)
	mqctl create "$n"
	head -c 8192 /dev/urandom >"$BATS_TEST_TMPDIR/blob"
	mqctl send "$n" <"$BATS_TEST_TMPDIR/blob"
	mqctl recv "$n" --raw >"$BATS_TEST_TMPDIR/got"
	cmp "$BATS_TEST_TMPDIR/blob" "$BATS_TEST_TMPDIR/got"
	: | mqctl send "$n"
	mqctl send "$n" ''
	run mqctl recv "$n" --json
	# libsmartcols writes an empty string as null: size tells.
	assert_equal "$(json 'd["messages"]' <<<"$output")" '[{"priority":0,"size":0,"message":null}]'
	assert_equal "$(mqctl recv "$n" --raw | wc -c)" 0
	# JSON: the line escapes, and what is not ASCII as \ooo.
	printf 'caf\303\251 \377\n-' | mqctl send "$n"
	run mqctl recv "$n" --json
	assert_equal "$(json 'd["messages"][0]["message"]' <<<"$output")" '"caf\\303\\251 \\377\\n-"'
	mqctl send "$n" -- -
	run mqctl recv "$n" --json
	assert_equal "$(json 'd["messages"][0]["message"]' <<<"$output")" '"-"'
}

@test "recv: text mode escapes newline, NUL and backslash, one line a message; send -l undoes it" {
	n=$(uniq_name)
	m=$(uniq_name)
	mqctl create "$n"
	mqctl create "$m"
	printf 'two\nlines' | mqctl send "$n"
	printf 'a\\b' | mqctl send "$n"
	printf 'nul%b12' '\0' | mqctl send "$n"
	printf 'tab\tand \303\251 kept' | mqctl send "$n"
	run mqctl recv "$n" -n 4
	assert_output "$(printf '%s\n' 'two\nlines' 'a\\b' 'nul\00012' "$(printf 'tab\tand \303\251 kept')")"
	# Through a second queue, byte for byte.
	printf 'x\n\\y\0\n' | mqctl send "$n"
	mqctl recv "$n" | mqctl send -l "$m"
	mqctl recv "$m" --raw >"$BATS_TEST_TMPDIR/got"
	cmp <(printf 'x\n\\y\0\n') "$BATS_TEST_TMPDIR/got"
	run mqctl recv "$n" -t 0
	assert_failure 3
}

@test "send -l: one message a line, a last line without newline too; a bad escape stops at its line" {
	n=$(uniq_name)
	mqctl create "$n"
	printf 'one\n\ntwo\\nlines\nlast' | mqctl send -l "$n"
	assert_equal "$(count "$n")" 4
	run mqctl recv "$n" -n 4
	assert_output "$(printf '%s\n' one '' 'two\nlines' last)"
	mqctl send -l "$n" </dev/null
	assert_equal "$(count "$n")" 0
	run --separate-stderr bash -c "printf 'ok\nbad\\\\' | mqctl send -l $n"
	assert_failure 1
	assert_equal "$stderr" "mqctl: send: $n: line 2 ends in an unfinished escape (1 sent before it)"
	run mqctl recv "$n" -n 1
	assert_output ok
	assert_equal "$(count "$n")" 0
}

@test "100,000 lines: send -l in one process, recv -f in another: none lost, none duplicated, in order" {
	n=$(uniq_name)
	mqctl create "$n"
	seq 100000 | sed 's/5$/with\\\\back\\nslash/' >"$BATS_TEST_TMPDIR/lines"
	mqctl recv -f "$n" >"$BATS_TEST_TMPDIR/got" &
	rpid=$!
	mqctl send -l "$n" <"$BATS_TEST_TMPDIR/lines"
	wait_for "[ \$(wc -l <$BATS_TEST_TMPDIR/got) -ge 100000 ]"
	kill -TERM "$rpid"
	wait "$rpid" || :
	cmp "$BATS_TEST_TMPDIR/lines" "$BATS_TEST_TMPDIR/got"
	assert_equal "$(count "$n")" 0
}

@test "recv -f: a signal ends it after every message taken has been written" {
	n=$(uniq_name)
	mqctl create "$n"
	mqctl recv -f "$n" >"$BATS_TEST_TMPDIR/got" &
	rpid=$!
	mqctl send "$n" one
	mqctl send "$n" two
	wait_for "[ \$(wc -l <$BATS_TEST_TMPDIR/got) -eq 2 ]"
	kill -TERM "$rpid"
	wait "$rpid" && st=0 || st=$?
	assert_equal "$st" 143
	assert_equal "$(cat "$BATS_TEST_TMPDIR/got")" "$(printf 'one\ntwo')"
}

@test "a full queue blocks the sender until a message is taken, then times out with exit 3" {
	n=$(uniq_name)
	k=$(uniq_key)
	mqctl create "$n" --maxmsg 1 --msgsize 16
	mqctl send "$n" first
	hold mqctl send "$n" second
	spid=$!
	sleep 0.2
	kill -0 "$spid"
	assert_equal "$(mqctl recv "$n")" first
	wait_for "! kill -0 $spid 2>/dev/null"
	assert_equal "$(mqctl recv "$n")" second
	mqctl send "$n" fill
	assert_fails 3 "mqctl: send: $n: the queue is full" mqctl send "$n" x -t 0
	start=$(date +%s%N)
	assert_fails 3 "mqctl: send: $n: the queue is full: timed out after 300ms" mqctl send "$n" x -t 300ms
	took=$(( ($(date +%s%N) - start) / 1000000 ))
	(( took >= 270 && took < 3000 * TIME_FACTOR ))
	# System V: full by bytes.
	mqctl create "$k" --qbytes 10 >/dev/null
	mqctl send "$k" 0123456789
	assert_fails 3 "mqctl: send: $k: the queue is full" mqctl send "$k" x -t 0
	start=$(date +%s%N)
	assert_fails 3 "mqctl: send: $k: the queue is full: timed out after 250ms" mqctl send "$k" x -t 250ms
	took=$(( ($(date +%s%N) - start) / 1000000 ))
	(( took >= 225 && took < 3000 * TIME_FACTOR ))
	assert_equal "$(count "$k")" 1
}

@test "recv: an empty queue times out (exit 3) for both kinds; -n takes COUNT" {
	n=$(uniq_name)
	k=$(uniq_key)
	mqctl create "$n"
	mqctl create "$k" >/dev/null
	assert_fails 3 "mqctl: recv: $n: no message" mqctl recv "$n" -t 0
	assert_fails 3 "mqctl: recv: $n: no message: timed out after 200ms" mqctl recv "$n" -t 200ms
	assert_fails 3 "mqctl: recv: $k: no message: timed out after 0.2" mqctl recv "$k" -t 0.2
	for i in 1 2 3; do mqctl send "$k" "m$i"; done
	run mqctl recv "$k" -n 2
	assert_output "$(printf 'm1\nm2')"
	# -n past what is there: what there was is written, then exit 3.
	run --separate-stderr mqctl recv "$k" -n 2 -t 0
	assert_failure 3
	assert_output m3
	assert_equal "$stderr" "mqctl: recv: $k: no message"
}

@test "a blocked recv takes the message a C program sends, and the other way round (POSIX)" {
	n=$(uniq_name)
	mqctl create "$n"
	mqctl recv "$n" -v >"$BATS_TEST_TMPDIR/got" &
	rpid=$!
	sleep 0.1
	peer psend "$n" 9 'from C'
	wait "$rpid"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/got")" '9 from C'
	mqctl send "$n" -p 4 'from mqctl'
	run peer precv "$n"
	assert_output '4 from mqctl'
}

@test "interop: a C program with msgsnd and msgrcv, both directions (System V)" {
	k=$(uniq_key)
	mqctl create "$k" >/dev/null
	peer vsend "${k#key:}" 6 'from C'
	run mqctl recv "$k" -v
	assert_output '6 from C'
	mqctl send "$k" --type 8 'from mqctl'
	run peer vrecv "${k#key:}" 0
	assert_output '8 from mqctl'
}

@test "interop: a queue made by ipcmk -Q is used by mqctl; one made by mqctl shows in ipcs -q and lsipc -q; ipcrm removes it" {
	id=$(ipcmk -Q | awk '{ print $NF }')
	echo "$id" >>"$BATS_TEST_TMPDIR/ids"
	mqctl send "id:$id" hello
	assert_equal "$(mqctl recv "id:$id")" hello
	k=$(uniq_key)
	id2=$(mqctl create "$k" -m 0640)
	mqctl send "$k" abc
	run ipcs -q
	assert_line --regexp "^$(printf '0x%08x' $(( ${k#key:} )))[[:space:]]+$id2[[:space:]]+root[[:space:]]+640[[:space:]]+3[[:space:]]+1"
	run lsipc -q --noheadings -o KEY,ID,PERMS
	assert_line --regexp "^$(printf '0x%08x' $(( ${k#key:} )))[[:space:]]+$id2[[:space:]]+rw-r-----"
	ipcrm -q "$id2"
	assert_fails 1 "mqctl: stat: $k: No such file or directory" mqctl stat "$k"
}

@test "permission: nobody cannot send to or take from a 0600 queue (exit 1), nothing changes" {
	n=$(uniq_name)
	k=$(uniq_key)
	mqctl create "$n"
	mqctl create "$k" >/dev/null
	mqctl send "$n" secret
	mqctl send "$k" secret
	before=$(state)
	assert_fails 1 "mqctl: recv: $n: Permission denied" as_nobody "$IPCBOX_BIN" mqctl recv "$n"
	assert_fails 1 "mqctl: send: $n: Permission denied" as_nobody "$IPCBOX_BIN" mqctl send "$n" x
	assert_fails 1 "mqctl: recv: $k: Permission denied" as_nobody "$IPCBOX_BIN" mqctl recv "$k"
	assert_fails 1 "mqctl: send: $k: Permission denied" as_nobody "$IPCBOX_BIN" mqctl send "$k" x
	assert_equal "$(state)" "$before"
}

@test "send and recv: bad input exits 2 or 1 with one line; nothing is sent or taken" {
	n=$(uniq_name)
	k=$(uniq_key)
	mqctl create "$n" --msgsize 16
	mqctl create "$k" --qbytes 16 >/dev/null
	mqctl send "$n" keep
	mqctl send "$k" keep
	before=$(state)
	assert_fails 2 "mqctl: send: priority '32768' is too large" mqctl send "$n" x -p 32768
	assert_fails 2 "mqctl: send: priority '-1' is too small" mqctl send "$n" x -p -1
	assert_fails 2 "mqctl: send: type '0' is too small" mqctl send "$k" x --type 0
	assert_fails 2 "mqctl: send: type '-3' is too small" mqctl send "$k" x --type -3
	assert_fails 2 "mqctl: send: $n: --type: System V queues only" mqctl send "$n" x --type 1
	assert_fails 2 "mqctl: send: $k: -p: POSIX queues only" mqctl send "$k" x -p 1
	assert_fails 2 "mqctl: send: -p and --type exclude each other" mqctl send "$k" x -p 1 --type 2
	assert_fails 2 "mqctl: send: timeout '1x' is invalid" mqctl send "$n" x -t 1x
	assert_fails 2 "mqctl: send: -l reads the messages from stdin: give no MSG" mqctl send "$n" x -l
	assert_fails 2 "mqctl: send: /a/b: invalid name: a '/' after the first" mqctl send /a/b x
	assert_fails 1 "mqctl: send: $n: message of 17 bytes is longer than the queue's msgsize 16" \
		mqctl send "$n" 01234567890123456
	run --separate-stderr bash -c "head -c 100000 /dev/zero | mqctl send $n"
	assert_failure 1
	assert_equal "$stderr" "mqctl: send: $n: message of 100000 bytes is longer than the queue's msgsize 16"
	assert_fails 1 "mqctl: send: $k: message of 17 bytes is longer than the queue's qbytes 16" \
		mqctl send "$k" 01234567890123456
	assert_fails 2 "mqctl: recv: $n: --type: System V queues only" mqctl recv "$n" --type 1
	assert_fails 2 "mqctl: recv: --except goes with --type N, N > 0" mqctl recv "$k" --except
	assert_fails 2 "mqctl: recv: -n and -f exclude each other" mqctl recv "$n" -n 2 -f
	assert_fails 2 "mqctl: recv: --raw and --json exclude each other" mqctl recv "$n" --raw --json
	assert_fails 2 "mqctl: recv: count '0' is too small" mqctl recv "$n" -n 0
	assert_fails 2 "mqctl: recv: timeout '-1' is negative" mqctl recv "$n" -t -1
	assert_fails 2 "mqctl: recv: key:0: key 0 (IPC_PRIVATE) names no queue: use its id:" mqctl recv key:0
	assert_fails 1 "mqctl: recv: /nope-$$: No such file or directory" mqctl recv "/nope-$$"
	assert_fails 1 "mqctl: send: key:0x7ffffffe: No such file or directory" mqctl send key:0x7ffffffe x
	assert_equal "$(state)" "$before"
}

@test "recv with stdout closed or read-only takes nothing (exit 1)" {
	n=$(uniq_name)
	mqctl create "$n"
	mqctl send "$n" keep
	run --separate-stderr bash -c "mqctl recv $n >&-"
	assert_failure 1
	assert_equal "$stderr" "mqctl: recv: stdout: cannot write: Bad file descriptor"
	assert_equal "$(count "$n")" 1
	run --separate-stderr bash -c "mqctl recv $n >/dev/full"
	assert_failure 1
	assert_equal "$stderr" "mqctl: recv: stdout: write (1 message taken may not have been written): No space left on device"
}

@test "closed stdin and stderr: send and recv behave as with them open" {
	n=$(uniq_name)
	mqctl create "$n"
	mqctl create "$n"2 --maxmsg 1 --msgsize 8
	mqctl send "$n"2 full
	# A full queue and an empty one: each run ends alike (exit 3).
	closed_stdio state mqctl send "$n"2 x -t 0
	closed_stdio state mqctl recv "$n" -t 0
	mqctl rm "$n"2
}

# ------------------------------------------------------------ stat, ls

@test "stat: POSIX counts, bytes, mode, owner, notify pid and holders; --json" {
	n=$(uniq_name)
	mqctl create "$n" --maxmsg 4 --msgsize 100
	mqctl send "$n" abc
	mqctl send "$n" defgh
	run mqctl stat "$n" --json
	assert_success
	assert_equal "$(json '[d["queue"][0][k] for k in ("type","name","maxmsg","msgsize","messages","bytes","mode","owner","notify","holders")]' <<<"$output")" \
		"[\"posix-mq\",\"$n\",4,100,2,8,\"0600\",\"root\",null,[]]"
	# A holder: a process with the queue open, registered to be told.
	hold mqctl notify "$n" -- true
	npid=$!
	wait_for "mqctl stat $n | grep -q '^notify: $npid'"
	run mqctl stat "$n"
	assert_line "holders: $npid"
	assert_line "type: posix-mq"
	assert_line "messages: 2"
	assert_line "bytes: 8"
}

@test "stat: System V counts, bytes, qbytes, last sender and receiver pids" {
	k=$(uniq_key)
	id=$(mqctl create "$k")
	peer vsend "${k#key:}" 1 hello
	run mqctl stat "$k"
	assert_line "type: sysv-msg"
	assert_line "id: $id"
	assert_line "key: $(printf '0x%08x' $(( ${k#key:} )))"
	assert_line "messages: 1"
	assert_line "bytes: 5"
	assert_line "qbytes: $(cat /proc/sys/kernel/msgmnb)"
	assert_line --regexp '^lspid: [1-9][0-9]*$'
	assert_line 'lrpid: 0'
	assert_line 'rtime: -'
	run mqctl stat "id:$id" --json
	assert_equal "$(json '[d["queue"][0][k] for k in ("id","messages","bytes","lrpid")]' <<<"$output")" "[$id,1,5,0]"
}

@test "ls: POSIX and System V queues with their messages; --json; -o" {
	n=$(uniq_name)
	k=$(uniq_key)
	mqctl create "$n"
	mqctl send "$n" one
	mqctl send "$n" two
	id=$(mqctl create "$k")
	mqctl send "$k" x
	run mqctl ls -n -o TYPE,NAME,ID,SIZE
	assert_line --regexp "^posix-mq +$n +- +2$"
	assert_line --regexp "^sysv-msg +$(printf 'key:0x%08x' $(( ${k#key:} ))) +$id +1$"
	run mqctl ls --json -o NAME,SIZE
	assert_equal "$(json "[q for q in d['queues'] if q['name'] == '$n']" <<<"$output")" "[{\"name\":\"$n\",\"size\":2}]"
	assert_fails 2 "mqctl: ls: --json and --raw exclude each other" mqctl ls --json --raw
}

@test "no mqueue file system mounted: send and recv work, ls says how to mount one" {
	n=$(uniq_name)
	run --separate-stderr unshare --mount sh -c "umount /dev/mqueue &&
		mqctl create $n && mqctl send $n hi && mqctl recv $n && mqctl rm $n && mqctl ls -n"
	assert_success
	assert_output hi
	assert_equal "$stderr" "mqctl: ls: /dev/mqueue: no mqueue file system mounted: POSIX queues are not listed (mount -t mqueue none /dev/mqueue)"
}

@test "a System V queue removed under a waiting recv or send: exit 1, said so; a POSIX one lives on, nameless, for its holders" {
	k=$(uniq_key)
	mqctl create "$k" --qbytes 4 >/dev/null
	mqctl recv "$k" 2>"$BATS_TEST_TMPDIR/err" &
	rpid=$!
	wait_for "grep -q do_msgrcv /proc/$rpid/wchan"
	mqctl rm "$k"
	wait "$rpid" && st=0 || st=$?
	assert_equal "$st: $(cat "$BATS_TEST_TMPDIR/err")" "1: mqctl: recv: $k: the queue was removed"
	mqctl create "$k" --qbytes 4 >/dev/null
	mqctl send "$k" 1234
	mqctl send "$k" x 2>"$BATS_TEST_TMPDIR/err" &
	spid=$!
	wait_for "grep -q do_msgsnd /proc/$spid/wchan"
	mqctl rm "$k"
	wait "$spid" && st=0 || st=$?
	assert_equal "$st: $(cat "$BATS_TEST_TMPDIR/err")" "1: mqctl: send: $k: the queue was removed"
	n=$(uniq_name)
	mqctl create "$n"
	mqctl recv "$n" -t 5 >"$BATS_TEST_TMPDIR/out" &
	rpid=$!
	wait_for "grep -q wq_sleep /proc/$rpid/wchan"
	mqctl rm "$n"
	wait "$rpid" && st=0 || st=$?
	assert_equal "$st" 3
	assert_file_not_exists "/dev/mqueue/${n#/}"
}

# ---------------------------------------------------------------- notify

@test "notify runs CMD once a message arrives in the empty queue, without taking it; exits with CMD's failure" {
	n=$(uniq_name)
	mqctl create "$n"
	log=$BATS_TEST_TMPDIR/log
	hold mqctl notify "$n" -- sh -c "mqctl recv -t 0 $n >>$log"
	npid=$!
	wait_for "mqctl stat $n | grep -q '^notify: $npid'"
	mqctl send "$n" first
	wait_for "[ -s $log ]"
	wait_for "mqctl stat $n | grep -q '^notify: $npid'"
	mqctl send "$n" second
	wait_for "[ \$(wc -l <$log) -eq 2 ]"
	assert_equal "$(cat "$log")" "$(printf 'first\nsecond')"
	# Only one process may be registered.
	assert_fails 1 "mqctl: notify: $n: another process is registered for its notification" \
		mqctl notify "$n" -- true
	kill "$npid"
	# CMD's failure ends it with CMD's status; the message stays.
	mqctl notify "$n" -- sh -c 'exit 5' &
	npid=$!
	wait_for "mqctl stat $n | grep -q '^notify: $npid'"
	mqctl send "$n" third
	wait "$npid" && st=0 || st=$?
	assert_equal "$st" 5
	assert_equal "$(count "$n")" 1
	assert_fails 2 "mqctl: notify: key:1: notify: POSIX queues only" mqctl notify key:1 -- true
	assert_fails 2 "mqctl: notify: missing '-- CMD' (usage: mqctl notify Q -- CMD [ARG...])" mqctl notify "$n"
}

@test "notify: a message that arrives while CMD runs, after CMD emptied the queue, runs CMD again" {
	n=$(uniq_name)
	mqctl create "$n"
	log=$BATS_TEST_TMPDIR/log flag=$BATS_TEST_TMPDIR/sent
	# CMD takes the message, then (the first time only) a message
	# arrives before CMD ends: registered before CMD ran, notify sees
	# it; registered after, it would wait for ever.
	hold mqctl notify "$n" -- sh -c "mqctl recv -t 0 $n >>$log
		[ -e $flag ] || { : >$flag; mqctl send $n during; }"
	npid=$!
	wait_for "mqctl stat $n | grep -q '^notify: $npid'"
	mqctl send "$n" first
	wait_for "[ \$(wc -l <$log) -eq 2 ]"
	assert_equal "$(cat "$log")" "$(printf 'first\nduring')"
	kill "$npid"
}

# ---------------------------------------------------------------- unlink

@test "unlink (rm): both kinds; -f ignores missing ones; a missing one is exit 1" {
	n=$(uniq_name)
	k=$(uniq_key)
	mqctl create "$n"
	mqctl create "$k" >/dev/null
	run --separate-stderr mqctl rm "$n" "$k"
	assert_success
	assert_file_not_exists "/dev/mqueue/${n#/}"
	assert_fails 1 "mqctl: unlink: $n: No such file or directory" mqctl unlink "$n"
	assert_fails 1 "mqctl: unlink: $k: No such file or directory" mqctl unlink "$k"
	run mqctl rm -f "$n" "$k"
	assert_success
	assert_fails 2 "mqctl: unlink: //x: invalid name: a '/' after the first" mqctl rm "$n" //x
}

# ----------------------------------------------------------------- trace

@test "--trace shows each call as C with its result" {
	n=$(uniq_name)
	k=$(uniq_key)
	run --separate-stderr mqctl --trace create "$n" --maxmsg 2 --msgsize 8
	# The descriptor is the lowest free one (bats keeps some open).
	fd=$(sed -n 's/^mq_open(.*) = \([0-9]*\)$/\1/p' <<<"$stderr")
	assert_equal "$(grep mq_open <<<"$stderr")" "mq_open(\"$n\", O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC, 0600, {mq_maxmsg=2, mq_msgsize=8}) = $fd"
	run --separate-stderr mqctl --trace send "$n" hi -p 2
	assert_equal "$stderr" "mq_open(\"$n\", O_WRONLY|O_CLOEXEC) = $fd
mq_send($fd, \"hi\", 2, 2) = 0
mq_close($fd) = 0"
	run --separate-stderr mqctl --trace recv "$n" -t 1
	[[ $stderr == *"mq_getattr($fd, {mq_maxmsg=2, mq_msgsize=8, mq_curmsgs=1}) = 0"* ]]
	[[ $stderr == *"mq_timedreceive($fd, \"hi\", 8, [2], {tv_sec="* ]]
	run --separate-stderr mqctl --trace create "$k"
	id=$output
	[[ $stderr == "msgget($(printf '%#x' $(( ${k#key:} ))), IPC_CREAT|IPC_EXCL|0600) = $id"* ]]
	run --separate-stderr mqctl --trace send "$k" --type 4 hey
	assert_equal "$(tail -n 1 <<<"$stderr")" "msgsnd($id, {mtype=4, mtext=\"hey\"}, 3, 0) = 0"
	run --separate-stderr mqctl --trace recv "id:$id" --type 4
	assert_equal "$stderr" "msgctl($id, IPC_STAT, {msg_qnum=1, msg_lspid=$(awk -v i="$id" '$2 == i { print $6 }' /proc/sysvipc/msg), msg_lrpid=0, ...}) = 0
msgrcv($id, {mtype=4, mtext=\"hey\"}, $(cat /proc/sys/kernel/msgmax), 4, 0) = 3"
}
