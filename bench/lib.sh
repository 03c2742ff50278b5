# bench/lib.sh: the helpers every applet's benchmark sources.
#
#   . "$(dirname "$0")/lib.sh"
#   bench_compare [-s] [-b BYTES] [-p PREPARE] [-r RUNS] [-w WARMUP] [-R ROUNDS]
#       [-g GOAL] LABEL CMD [PEER_LABEL PEER_CMD]...
#   bench_rss [-i IN] [-o OUT] LABEL LIMIT_MIB CMD [ARG]...
#   bench_say TEXT
#   bench_name WORD, bench_source
#   bench_map_holders PREFIX N, bench_kill_holders
#
# bench_compare is one hyperfine run over CMD and its peers; it prints one
# line with CMD's median and, for each peer, the ratio of the two medians
# from that same run and the peer's own median:
#
#   shmctl read 4 KiB        1.10 ms   0.74x /bin/true (1.49 ms)   0.61x cat /dev/shm/x (1.80 ms)
#
# A ratio is our time over the peer's: below 1 is faster.  With -b BYTES
# (bulk: each command moves BYTES) the line shows throughput instead, and
# the ratio is our throughput over the peer's: above 1 is faster.
#   -s          run the commands through sh (redirections, pipes); without
#               it hyperfine -N runs them directly, with no shell to subtract
#   -p PREPARE  a shell command run before every timed run of every command
#   -r, -w      runs and warm-up runs (defaults BENCH_RUNS, BENCH_WARMUP, or
#               1000 and 100 for one call, 15 and 1 with -b)
#   -R ROUNDS   the commands take turns, ROUNDS times, within the one
#               hyperfine run, each turn a share of the runs, so that a
#               burst of load elsewhere does not land on one command only;
#               a median is over all of a command's turns (default
#               BENCH_ROUNDS, or 10 for one call, 5 with -b)
#   -g GOAL     the goal for the ratio against the first peer (at most GOAL
#               for times, at least GOAL for throughput): the line says
#               whether it was met
#
# bench_rss runs CMD once under /usr/bin/time, stdin from IN and stdout to
# OUT (files; a pipe into bench_rss is CMD's stdin too), and prints its peak
# resident set size against LIMIT_MIB.
#
# bench_map_holders starts N sleeping processes, the Kth mapping the POSIX
# object /PREFIX-K (the test suite's holder program, tests/ipcls-holder.c),
# waits until the last one maps its object, and sets npids to the number
# of processes in /proc; bench_kill_holders ends them (bench_exit does too).
#
# Every line printed also goes to $BENCH_SUMMARY when that is set (bench/
# run.sh collects them for the summary).  BENCH_VERBOSE=1 shows hyperfine's
# own report.  Objects go by bench_name (unique to this run); a script that
# makes any defines bench_cleanup, which runs at exit.
# shellcheck shell=sh

: "${IPCBOX_BIN:?set IPCBOX_BIN to the ipcbox binary (make bench does)}"
if [ ! -x "$IPCBOX_BIN" ]; then
	echo "bench: $IPCBOX_BIN: not an executable" >&2
	exit 1
fi
# A script that sets BENCH_EFD=1 before it sources this file runs again
# under `efd new`, so that hyperfine, and every command it starts,
# inherits an eventfd at fd 3.
if [ "${BENCH_EFD:-0}" = 1 ] && [ -z "${BENCH_EFD_FD:-}" ]; then
	BENCH_EFD_FD=3 exec "$IPCBOX_BIN" efd new --fd 3 -- sh "$0" "$@"
fi
BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ipcbox-bench.XXXXXX") || exit 1

bench_holder_pids=

bench_exit() {
	bench_kill_holders
	if command -v bench_cleanup >/dev/null 2>&1; then
		bench_cleanup
	fi
	rm -rf "$BENCH_TMP" "${bench_src:-}"
}
trap bench_exit EXIT
trap 'exit 130' INT TERM HUP

for _t in hyperfine jq /usr/bin/time; do
	command -v "$_t" >/dev/null 2>&1 || {
		echo "bench: $_t is missing: sh tests/deps.sh hyperfine jq time" >&2
		exit 1
	}
done

# A POSIX object name no other run uses: /ipcbox-bench-PID-WORD.
bench_name() {
	echo "/ipcbox-bench-$$-$1"
}

# The bulk source: BENCH_BULK_MIB (default 1024) MiB of random bytes in a
# file in BENCH_SRC_DIR: by default /dev/shm, so that both sides read the
# same bytes from memory, with no disk and no page-cache eviction in the
# way (BENCH_SRC_DIR=/tmp measures a page-cache source).  Sets bench_mib,
# bench_bytes and bench_src; the file goes at exit.
bench_source() {
	bench_mib=${BENCH_BULK_MIB:-1024}
	# shellcheck disable=SC2034 # the caller's
	bench_bytes=$((bench_mib * 1024 * 1024))
	bench_src=${BENCH_SRC_DIR:-/dev/shm}/ipcbox-bench-$$-src
	head -c "${bench_mib}M" /dev/urandom >"$bench_src"
}

bench_map_holders() {
	_holder=$BENCH_TMP/holder
	if [ ! -x "$_holder" ]; then
		cc -O -o "$_holder" "$(dirname "$0")/../tests/ipcls-holder.c" ||
			return 1
	fi
	_i=0
	while [ "$_i" -lt "$2" ]; do
		"$_holder" shm-map "/$1-$_i" >/dev/null 2>&1 </dev/null &
		bench_holder_pids="$bench_holder_pids $!"
		_i=$((_i + 1))
	done
	_i=0
	until grep -q "/$1-$(($2 - 1))\$" "/proc/$!/maps" 2>/dev/null; do
		_i=$((_i + 1))
		[ "$_i" -lt 500 ] || break
		sleep 0.01
	done
	# shellcheck disable=SC2034 # the caller's
	npids=$(find /proc -maxdepth 1 -name '[0-9]*' 2>/dev/null | wc -l)
}

bench_kill_holders() {
	for _p in $bench_holder_pids; do
		kill "$_p" 2>/dev/null || :
	done
	bench_holder_pids=
}

bench_say() {
	echo "$*"
	if [ -n "${BENCH_SUMMARY:-}" ]; then
		echo "$*" >>"$BENCH_SUMMARY"
	fi
}

bench_compare() {
	_shell=-N _bytes='' _prep='' _runs='' _warm='' _goal='' _rounds=''
	OPTIND=1
	while getopts sb:p:r:w:g:R: _o; do
		case $_o in
		s) _shell='' ;;
		b) _bytes=$OPTARG ;;
		p) _prep=$OPTARG ;;
		r) _runs=$OPTARG ;;
		w) _warm=$OPTARG ;;
		g) _goal=$OPTARG ;;
		R) _rounds=$OPTARG ;;
		*) return 2 ;;
		esac
	done
	shift $((OPTIND - 1))
	if [ -n "$_bytes" ]; then
		: "${_runs:=${BENCH_RUNS:-15}}" "${_warm:=${BENCH_WARMUP:-1}}"
		: "${_rounds:=${BENCH_ROUNDS:-5}}"
	else
		: "${_runs:=${BENCH_RUNS:-1000}}" "${_warm:=${BENCH_WARMUP:-100}}"
		: "${_rounds:=${BENCH_ROUNDS:-10}}"
	fi
	_label=$1 _ncmd=$(($# / 2))
	# hyperfine times one command after the other: a burst of load from
	# elsewhere would land on one of them.  So the commands take turns,
	# _rounds times, and each one's median is over all its turns.
	_per=$(((_runs + _rounds - 1) / _rounds))
	_warm=$(((_warm + _rounds - 1) / _rounds))
	# Append -n LABEL CMD for each command, once a round; drop the rest.
	_n=$# _r=0
	while [ "$_r" -lt "$_rounds" ]; do
		_i=1
		while [ "$_i" -lt "$_n" ]; do
			eval "set -- \"\$@\" -n \"\${$_i}\" \"\${$((_i + 1))}\""
			_i=$((_i + 2))
		done
		_r=$((_r + 1))
	done
	shift "$_n"
	set -- --runs "$_per" --warmup "$_warm" \
	    --export-json "$BENCH_TMP/hf.json" "$@"
	if [ -n "$_prep" ]; then
		set -- --prepare "$_prep" "$@"
	fi
	if [ -n "$_shell" ]; then
		set -- "$_shell" "$@"
	fi
	if [ "${BENCH_VERBOSE:-0}" = 1 ]; then
		hyperfine --style basic "$@" >&2 || return 1
	elif ! hyperfine --style basic "$@" >"$BENCH_TMP/hf.log" 2>&1; then
		cat "$BENCH_TMP/hf.log" >&2
		echo "bench: $_label: hyperfine failed" >&2
		return 1
	fi
	# Result k is command k mod _ncmd: pool each command's times.
	_line=$(jq -r --argjson m "$_ncmd" '
	    .results | to_entries | group_by(.key % $m) | .[] |
	    [.[0].value.command, (map(.value.times) | add | sort |
		if length % 2 == 1 then .[length / 2 | floor]
		else (.[length / 2 - 1] + .[length / 2]) / 2 end)] | @tsv' \
	    "$BENCH_TMP/hf.json" | awk -F '\t' -v bytes="$_bytes" \
	    -v goal="$_goal" '
		function t(s) {
			if (s < 1e-3) return sprintf("%.0f us", s * 1e6)
			if (s < 1) return sprintf("%.2f ms", s * 1e3)
			return sprintf("%.3f s", s)
		}
		function gibs(s) { return sprintf("%.2f GiB/s", bytes / s / 2^30) }
		NR == 1 {
			ours = $2
			out = sprintf("%-30s %10s", $1, t(ours))
			if (bytes != "")
				out = out sprintf(" %12s", gibs(ours))
			next
		}
		{
			if (bytes != "")
				r = $2 / ours
			else
				r = ours / $2
			out = out sprintf("   %5.2fx %s (%s)", r, $1,
			    bytes != "" ? gibs($2) : t($2))
			if (NR == 2 && goal != "") {
				met = bytes != "" ? r >= goal : r <= goal
				g = sprintf("   [goal %s %sx: %s]",
				    bytes != "" ? ">=" : "<=", goal,
				    met ? "met" : "MISSED")
			}
		}
		END { print out g }')
	bench_say "$_line"
}

bench_rss() {
	_in='' _out=''
	OPTIND=1
	while getopts i:o: _o; do
		case $_o in
		i) _in=$OPTARG ;;
		o) _out=$OPTARG ;;
		*) return 2 ;;
		esac
	done
	shift $((OPTIND - 1))
	_label=$1 _limit=$2
	shift 2
	if [ -n "$_in" ]; then exec 4<"$_in"; else exec 4<&0; fi
	if [ -n "$_out" ]; then exec 5>"$_out"; else exec 5>&1; fi
	if ! /usr/bin/time -f %M -o "$BENCH_TMP/rss" "$@" <&4 >&5 4<&- 5>&-; then
		exec 4<&- 5>&-
		echo "bench: $_label: $* failed" >&2
		return 1
	fi
	exec 4<&- 5>&-
	bench_say "$(tail -n 1 "$BENCH_TMP/rss" | awk -v l="$_label" \
	    -v lim="$_limit" '{
		printf "%-30s peak RSS %6.2f MiB   [goal < %s MiB: %s]\n", l,
		    $1 / 1024, lim, $1 < lim * 1024 ? "met" : "MISSED"
	}')"
}
