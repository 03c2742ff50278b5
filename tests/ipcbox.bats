#!/usr/bin/env bats
# The multi-call binary: dispatch, --list, --help, --version, usage errors.

load test_helper

@test "ipcbox --list prints the applets, one a line" {
	run ipcbox --list
	assert_success
	assert_line shmctl
}

@test "ipcbox --version prints the version" {
	run ipcbox --version
	assert_success
	assert_output --regexp '^ipcbox [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "ipcbox --help prints usage on stdout" {
	run ipcbox --help
	assert_success
	assert_line --partial 'Usage: ipcbox'
}

@test "ipcbox with no applet is a usage error: the usage on stderr, nothing on stdout" {
	run --separate-stderr ipcbox
	assert_failure 2
	assert_output ''
	[[ $stderr == "Usage: ipcbox [--trace] APPLET [ARGS...]"* ]]
	[[ $stderr == *"  shmctl     POSIX and System V shared memory"* ]]
}

@test "every ls: --json and --raw exclude each other (exit 2, nothing printed)" {
	local a
	for a in shmctl semctl efd memfd mqctl; do
		run --separate-stderr "$a" ls --json --raw
		assert_failure 2
		assert_output ''
		assert_equal "$stderr" "$a: ls: --json and --raw exclude each other"
	done
	# Declared once with the verb, named as they were written, in order.
	run --separate-stderr shmctl ls --raw --json
	assert_failure 2
	assert_equal "$stderr" "shmctl: ls: --raw and --json exclude each other"
	run --separate-stderr shmctl read /x --string --hex
	assert_failure 2
	assert_equal "$stderr" "shmctl: read: --string and --hex exclude each other"
}

@test "an unknown applet is a usage error that names it" {
	run --separate-stderr ipcbox nosuch
	assert_failure 2
	assert_equal "$stderr" "ipcbox: nosuch: unknown applet (try 'ipcbox --list')"
}

@test "dispatch on argv[0]: the symlink runs the applet" {
	run "$BUILD_DIR/shmctl" --version
	assert_success
	assert_output --partial 'shmctl (ipcbox)'
}

@test "an unknown verb is a usage error that names it" {
	run --separate-stderr ipcbox shmctl frob
	assert_failure 2
	assert_equal "$stderr" "shmctl: frob: unknown verb (try 'shmctl --help')"
}

@test "stdout is checked at exit: --help to /dev/full fails" {
	run sh -c 'ipcbox --help > /dev/full'
	assert_failure 1
	assert_output --partial 'stdout'
}

@test "addresses: numbers are what the syntax says, nothing else (exit 2, one line)" {
	run --separate-stderr shmctl stat key:0x0x1234
	assert_failure 2
	assert_equal "$stderr" "shmctl: stat: key:0x0x1234: invalid key: want key:0xHEX or key:DECIMAL up to 0xffffffff"
	run --separate-stderr shmctl stat id:0x10
	assert_failure 2
	assert_equal "$stderr" "shmctl: stat: id:0x10: invalid id: want id:DECIMAL"
	for a in fd:0x3 fd:0X3 0x3 pid:1:0x3 pid:0x1:3; do
		run --separate-stderr efd get "$a"
		assert_failure 2
		[[ $stderr == "efd: get: $a: invalid "* ]]
	done
}
