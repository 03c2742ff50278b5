#!/usr/bin/env bats
# The fuzzing harnesses of tests/fuzz/ without libFuzzer: `make` links
# each with tests/fuzz/driver.c and the project's compiler, and these
# tests replay its seeds and every input that once crashed, hung or
# failed a check (tests/fuzz/regress/NAME/) through it, with the
# sanitizers when the build has them (make SANITIZE=1).  `make fuzz`
# (clang) is what finds new ones.

load test_helper

FUZZ_SRC=$BATS_TEST_DIRNAME/fuzz

# The harnesses the Makefile builds: its FUZZ_HARNESSES.
harnesses() {
	sed -n '/^FUZZ_HARNESSES *:=/,/[^\\]$/p' "$BATS_TEST_DIRNAME/../Makefile" |
		sed 's/^FUZZ_HARNESSES *:=//; s/\\$//' | tr -s ' \t' '\n' | sed '/^$/d'
}

@test "every harness in tests/fuzz/ is in the Makefile's list, built, and has seeds" {
	local listed found h
	listed=$(harnesses | sort)
	found=$(for f in "$FUZZ_SRC"/*.c; do basename "$f" .c; done | grep -vx driver | sort)
	assert_equal "$listed" "$found"
	[ "$(echo "$listed" | wc -l)" -ge 10 ]
	for h in $listed; do
		assert_file_executable "$BUILD_DIR/fuzz/$h"
		[ -n "$(ls "$FUZZ_SRC/$h")" ]
	done
}

@test "each harness replays its seeds and its regressions with no failed check" {
	local h n dirs
	for h in $(harnesses); do
		dirs=("$FUZZ_SRC/$h")
		[ -d "$FUZZ_SRC/regress/$h" ] && dirs+=("$FUZZ_SRC/regress/$h")
		n=$(find "${dirs[@]}" -type f | wc -l)
		run --separate-stderr timeout $((30 * TIME_FACTOR)) "$BUILD_DIR/fuzz/$h" "${dirs[@]}"
		[ "$status" -eq 0 ] || fail "$h: exit $status: $stderr"
		assert_output "$n inputs"
	done
}

@test "the driver: an input it cannot read is exit 1, named" {
	run --separate-stderr "$BUILD_DIR/fuzz/addr" "$BATS_TEST_TMPDIR/none"
	assert_failure 1
	assert_equal "$stderr" "driver: $BATS_TEST_TMPDIR/none: No such file or directory"
	assert_output "0 inputs"
}
