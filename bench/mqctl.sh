#!/bin/sh
# mqctl against its floors, each ratio from one hyperfine run:
#
# - one call: `mqctl send /q MSG` and `mqctl recv -t 0 /q` against an
#   empty C program built with ipcbox's compiler and flags (make bench
#   passes them as BENCH_CC, BENCH_CFLAGS and BENCH_LDFLAGS), the floor
#   for any dynamic program; goal <= 1.05x.
# - a stream: BENCH_MQ_LINES (default 1,000,000) short lines sent with
#   `mqctl send -l` and taken with `mqctl recv` in another process
#   (`-n LINES`: recv -f, which ends only on a signal, with an end), against
#   a minimal C sender and receiver built here (one mq_send and one
#   mq_receive a message, stdio lines, the same queue), the floor for this
#   mechanism, and against the same lines through a FIFO (cat to cat).
#   Goal: >= 0.7x the C pair's messages per second.
#
# The queues are made with the kernel's default attributes (maxmsg 10,
# msgsize 8192 here); the one-call queue is larger (it must hold every
# run's message), with /proc/sys/fs/mqueue/msg_max raised when we may
# (as root in bench/run.sh's private IPC namespace).
set -eu
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

B=$IPCBOX_BIN
q=$(bench_name q)
s=$(bench_name s)
lines=${BENCH_MQ_LINES:-1000000}
runs=${BENCH_RUNS:-1000}
warm=${BENCH_WARMUP:-100}

bench_cleanup() {
	"$B" mqctl rm -f "$q" "$s" >/dev/null 2>&1 || :
}

cc_flags() {
	# shellcheck disable=SC2086 # flags are words
	${BENCH_CC:-cc} ${BENCH_CFLAGS:--O2 -g} ${BENCH_LDFLAGS:-} "$@"
}

empty=$BENCH_TMP/empty
echo 'int main(void) { return 0; }' >"$BENCH_TMP/empty.c"
cc_flags -o "$empty" "$BENCH_TMP/empty.c"

# The C pair: csend Q reads lines and sends each; crecv Q N takes N and
# writes each as a line.
cat >"$BENCH_TMP/cpair.c" <<'EOF'
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
	static char buf[65536];
	struct mq_attr a;
	unsigned prio;
	long i, n;
	ssize_t r;
	mqd_t q;

	if (argc < 3)
		return 2;
	q = mq_open(argv[2], argv[1][0] == 's' ? O_WRONLY : O_RDONLY);
	if (q == (mqd_t)-1 || mq_getattr(q, &a) != 0)
		return perror("mq_open"), 1;
	if (argv[1][0] == 's') {
		while (fgets(buf, sizeof(buf), stdin) != NULL)
			if (mq_send(q, buf, strcspn(buf, "\n"), 0) != 0)
				return perror("mq_send"), 1;
		return 0;
	}
	n = atol(argv[3]);
	for (i = 0; i < n; i++) {
		if ((r = mq_receive(q, buf, sizeof(buf), &prio)) < 0)
			return perror("mq_receive"), 1;
		buf[r] = '\n';
		fwrite(buf, 1, (size_t)r + 1, stdout);
	}
	return fflush(stdout) != 0;
}
EOF
cc_flags -o "$BENCH_TMP/cpair" "$BENCH_TMP/cpair.c"

# One call: room for every timed and warm-up run's message.
need=$((runs + warm + 100))
max=$(cat /proc/sys/fs/mqueue/msg_max)
if [ "$max" -lt "$need" ] && [ "$need" -le 65536 ] &&
    { echo "$need" >/proc/sys/fs/mqueue/msg_max; } 2>/dev/null; then
	max=$need
fi
[ "$max" -ge "$need" ] || {
	echo "bench: mqctl: a queue of $need messages needs msg_max >= $need" \
	    "(it is $max): run as root (make bench does it in a namespace)," \
	    "or set BENCH_RUNS and BENCH_WARMUP lower" >&2
	exit 1
}
"$B" mqctl create "$s" --maxmsg "$need" --msgsize 64

bench_say "mqctl: one call, hyperfine -N (no shell), medians; ratio = our time / the peer's"
bench_compare -g 1.05 "mqctl send /s MSG" "$B mqctl send $s MSG" \
    "empty program" "$empty" /bin/true /bin/true
# Every run of recv must find a message: the sends above left theirs
# (runs + warm-ups), and these top them up.
seq "$need" | "$B" mqctl send -l "$s" -t 0 2>/dev/null || :
bench_compare -g 1.05 "mqctl recv -t 0 /s" "$B mqctl recv -t 0 $s" \
    "empty program" "$empty" /bin/true /bin/true

# The stream: each command moves every line from the file to /dev/null
# through the queue (or the FIFO).
seq "$lines" >"$BENCH_TMP/lines"
"$B" mqctl create "$q"
mkfifo "$BENCH_TMP/fifo"
L=$BENCH_TMP/lines
bench_say ""
bench_say "mqctl: $lines lines, sender and receiver in two processes, medians; ratio = our messages/s over the peer's"
# bench_compare's throughput is in bytes: run it quietly and say the
# same medians as messages a second.
(BENCH_SUMMARY='' bench_compare -s -r "${BENCH_MQ_RUNS:-5}" -R "${BENCH_MQ_RUNS:-5}" -w 1 \
    -b "$lines" "send -l | recv -n" \
    "$B mqctl recv -n $lines $q >/dev/null & $B mqctl send -l $q <$L; wait" \
    "C mq_send/mq_receive pair" \
    "$BENCH_TMP/cpair r $q $lines >/dev/null & $BENCH_TMP/cpair s $q <$L; wait" \
    "fifo, cat to cat" \
    "cat $BENCH_TMP/fifo >/dev/null & cat $L >$BENCH_TMP/fifo; wait") >/dev/null
bench_say "$(jq -r --argjson n "$lines" '
    .results | to_entries | group_by(.key % 3) | .[] |
    [.[0].value.command, (map(.value.times) | add | sort |
	if length % 2 == 1 then .[length / 2 | floor]
	else (.[length / 2 - 1] + .[length / 2]) / 2 end)] | @tsv' \
    "$BENCH_TMP/hf.json" | awk -F '\t' -v n="$lines" '
	NR == 1 { ours = n / $2; out = sprintf("%-22s %8.0f msg/s", $1, ours); next }
	{
		r = ours / (n / $2)
		out = out sprintf(r < 0.1 ? "   %5.3fx %s (%.0f msg/s)" : "   %5.2fx %s (%.0f msg/s)", r, $1, n / $2)
		if (NR == 2) g = sprintf("   [goal >= 0.7x: %s]", r >= 0.7 ? "met" : "MISSED")
	}
	END { print out g }')"
