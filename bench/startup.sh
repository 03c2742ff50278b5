#!/bin/sh
# The hot verbs, one call each, against the floor for this linking: an
# empty dynamic C program (int main(void) { return 0; }) built here with
# the same compiler and flags as ipcbox (make bench passes them as
# BENCH_CC, BENCH_CFLAGS and BENCH_LDFLAGS), and /bin/true.  The goal:
# every hot verb within 1.05x of the empty program.  The script runs
# itself again under `efd new` (BENCH_EFD, bench/lib.sh), so that every
# command inherits an eventfd at fd 3.
set -eu
BENCH_EFD=1
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

B=$IPCBOX_BIN
x=$(bench_name x)
s=$(bench_name s)
t=$(bench_name t)

bench_cleanup() {
	"$B" shmctl rm -f "$x" >/dev/null 2>&1 || :
	"$B" semctl rm -f "$s" "$t" >/dev/null 2>&1 || :
}

empty=$BENCH_TMP/empty
echo 'int main(void) { return 0; }' >"$BENCH_TMP/empty.c"
# shellcheck disable=SC2086 # flags are words
${BENCH_CC:-cc} ${BENCH_CFLAGS:--O2 -g} ${BENCH_LDFLAGS:-} \
    -o "$empty" "$BENCH_TMP/empty.c"

"$B" shmctl create "$x" 4096
head -c 4096 /dev/urandom | "$B" shmctl write "$x"
"$B" semctl create "$s" 0
# Enough for every timed and warm-up run to take one without waiting.
"$B" semctl create "$t" 100000000

bench_say "start-up: one call, hyperfine -N (no shell), medians; ratio = our time / the peer's"
bench_say "$("$B" --version | head -n 1): $(file -bL "$B" | cut -d, -f1-2,4);" \
    "empty program: $(file -bL "$empty" | cut -d, -f1-2,4)"
bench_compare "empty program" "$empty" /bin/true /bin/true
for v in "shmctl read $x -n 4096" "shmctl write $x STRING" \
    "semctl post $s" "semctl trywait $t" "efd signal 3" "efd get 3"; do
	# shellcheck disable=SC2086 # the verb's words
	set -- $v
	label="$1 $2"
	# The object's short name: /x, not /ipcbox-bench-PID-x.
	case ${3:-} in /*) label="$label /${3##*-} ${4:-} ${5:-}" ;; esac
	bench_compare -g 1.05 "$label" "$B $v" "empty program" "$empty" \
	    /bin/true /bin/true
done
