#!/bin/bash
# make check VALGRIND=1: every suite with IPCBOX_BIN pointing at a wrapper
# that runs the binary under valgrind memcheck.
#
#   tests/valgrind.sh setup BUILD    make BUILD/vg/: the wrapper `ipcbox` and
#                                    one symlink to it per applet name, and
#                                    fuzz/NAME per harness of BUILD/fuzz/;
#                                    empty BUILD/vg-logs/
#   tests/valgrind.sh summary BUILD  errors and definite leaks in total, and
#                                    the logs that hold them; exit 1 if any
#
# Called through BUILD/vg/NAME (NAME: ipcbox or an applet; or fuzz/NAME, a
# fuzzing harness linked with its replay driver), the script is the
# wrapper: it runs BUILD/NAME under valgrind, so the binary still sees
# argv[0] = NAME and dispatches on it.  One log a run, named
# NAME.PID.TIME.log (fuzz-NAME for a harness), where a process it forks (the fd store's holder
# daemonizes) writes too, each line marked ==PID==.  Children that the
# binary execs (efd new -- CMD, semctl run -- CMD, get -- CMD) run natively
# (--trace-children=no): they are not ipcbox's code.  valgrind's exit code
# for an error or a definite leak is 99, an exit status the binary never
# uses, so the test that ran it fails there too.  No suppressions: a
# dlopen'd libsmartcols leaves blocks "still reachable", never "definitely
# lost", and only definite leaks count as errors here.
set -u
case ${0##*/} in
valgrind.sh) ;;
*)
	# BUILD/vg/REL runs BUILD/REL: an applet, or fuzz/NAME (a harness
	# linked with its replay driver).
	top=${0%/vg/*}
	rel=${0##*/vg/}
	log=$top/vg-logs/${rel//\//-}.$$.${EPOCHREALTIME/./}.log
	# valgrind 3.19 leaves the descriptor it opens for --log-file open
	# in the program, as fd 3, so that the program's first open gets 4
	# (tests that pin "= 3" in a trace fail).  Opened here at fd 10 or
	# above instead, for --log-fd; under a tiny ulimit -n that cannot be,
	# and --log-file it is.
	if { exec {fd}>"$log"; } 2>/dev/null; then
		logto=--log-fd=$fd
	else
		logto=--log-file=$log
	fi
	exec valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite --show-leak-kinds=definite \
		--trace-children=no --num-callers=30 "$logto" \
		"$top/$rel" "$@"
	;;
esac

cmd=${1:-} build=${2:-}
if [ -z "$build" ] || [ ! -x "$build/ipcbox" ]; then
	echo "usage: tests/valgrind.sh setup|summary BUILD (BUILD/ipcbox built)" >&2
	exit 2
fi
case $cmd in
setup)
	command -v valgrind >/dev/null || {
		echo "valgrind: not installed (make check VALGRIND=1 installs it)" >&2
		exit 1
	}
	self=$(cd "$(dirname "$0")" && pwd)/valgrind.sh
	rm -rf "$build/vg" "$build/vg-logs"
	mkdir -p "$build/vg" "$build/vg-logs"
	# Tests run the binary as nobody too.
	chmod 1777 "$build/vg-logs"
	for a in ipcbox $("$build/ipcbox" --list); do
		ln -s "$self" "$build/vg/$a"
	done
	# The fuzzing harnesses' replay binaries (tests/fuzz.bats).
	if [ -d "$build/fuzz" ]; then
		mkdir -p "$build/vg/fuzz"
		for a in "$build"/fuzz/*; do
			[ -x "$a" ] && ln -s "$self" "$build/vg/fuzz/${a##*/}"
		done
	fi
	;;
summary)
	# One awk over every log (thousands of them: a process or two a
	# log line would take minutes).
	shopt -s nullglob
	logs=("$build"/vg-logs/*.log)
	awk '
		# The number between HEAD and TAIL on this line, commas out.
		function num(head, tail, v) {
			v = $0
			sub(".*" head, "", v)
			sub(tail ".*", "", v)
			gsub(/,/, "", v)
			return v + 0
		}
		FNR == 1 && FILENAME != "/dev/null" { n++ }
		/ERROR SUMMARY: [0-9,]+ errors/ {
			v = num("ERROR SUMMARY: ", " errors")
			errors += v
			if (v) bad[FILENAME]
		}
		/definitely lost: [0-9,]+ bytes/ {
			v = num("definitely lost: ", " bytes")
			leaked += v
			if (v) bad[FILENAME]
		}
		END {
			printf "valgrind: %d processes, %d errors, %d bytes definitely lost\n",
			    n, errors, leaked
			for (f in bad) print "valgrind: see " f
			exit errors || leaked
		}' "${logs[@]}" /dev/null
	;;
*)
	echo "usage: tests/valgrind.sh setup|summary BUILD" >&2
	exit 2
	;;
esac
