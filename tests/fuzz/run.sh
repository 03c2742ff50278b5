#!/bin/sh
# Run libFuzzer harnesses: tests/fuzz/run.sh DIR NAME...  (make fuzz).
#
# Each DIR/fuzz/NAME runs for FUZZ_TIME seconds (default 60), or until
# FUZZ_RUNS executions when that is set, on a copy of its seed corpus
# (tests/fuzz/NAME/, with tests/fuzz/regress/NAME/ when there is one) in
# DIR/run/NAME/corpus, which it grows; the tree is not written.  One line
# a harness: executions, coverage (libFuzzer's cov: edges and ft:
# features at the end), executions a second, and ok or what failed, with
# the log and the input that failed left in DIR/run/NAME/.  Exit 1 when
# any harness crashed, leaked, timed out or could not run.
set -u
export LC_ALL=C # libFuzzer's log quotes inputs: bytes, not text
dir=$1
shift
time=${FUZZ_TIME:-60}
runs=${FUZZ_RUNS:-}
failed=0

printf '%-12s %12s %6s %6s %9s  %s\n' HARNESS EXECS COV FT EXECS/S RESULT
for h in "$@"; do
	bin=$dir/fuzz/$h
	work=$dir/run/$h
	rm -rf "$work"
	mkdir -p "$work/corpus" "$work/crash"
	if [ ! -x "$bin" ] || [ ! -d "tests/fuzz/$h" ]; then
		printf '%-12s %12s %6s %6s %9s  %s\n' "$h" - - - - \
			"FAILED: no $bin or no tests/fuzz/$h/"
		failed=1
		continue
	fi
	cp "tests/fuzz/$h"/* "$work/corpus/"
	if [ -d "tests/fuzz/regress/$h" ]; then
		for f in "tests/fuzz/regress/$h"/*; do
			[ -f "$f" ] && cp "$f" "$work/corpus/regress-${f##*/}"
		done
	fi
	opts="-max_total_time=$time -print_final_stats=1 -timeout=10"
	opts="$opts -rss_limit_mb=2048 -artifact_prefix=$work/crash/"
	[ -n "$runs" ] && opts="$opts -runs=$runs"
	[ -f "tests/fuzz/$h.dict" ] && opts="$opts -dict=tests/fuzz/$h.dict"
	# shellcheck disable=SC2086 # one word an option
	"$bin" $opts "$work/corpus" >"$work/log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
	last=$(grep -a -E '^#[0-9]+.*cov: ' "$work/log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	result=ok
	if [ "$rc" -ne 0 ]; then
		why=$(grep -a -m 1 -E '^==[0-9]+==ERROR|SUMMARY|check failed|ALARM|timeout|out-of-memory' \
			"$work/log")
		result="FAILED (exit $rc): ${why:-see $work/log}; input: $(find "$work/crash" -type f | head -n 1)"
		failed=1
	fi
	printf '%-12s %12s %6s %6s %9s  %s\n' "$h" "${execs:--}" "${cov:--}" \
		"${ft:--}" "${speed:--}" "$result"
done
exit "$failed"
