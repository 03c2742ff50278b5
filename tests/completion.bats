#!/usr/bin/env bats
# completions/ipcbox, the bash completion: sourced into a bash without the
# bash-completion package, COMP_LINE/COMP_POINT set as readline sets them,
# _ipcbox called, COMPREPLY printed one a line.  Applets, verbs and options
# must be what the binary offers (checked by running it), object names what
# is live in /dev/shm, /dev/mqueue, /proc/sysvipc and the fd store.

load test_helper

COMPLETION=$BATS_TEST_DIRNAME/../completions/ipcbox

setup() {
	SOCKDIR=$(mktemp -d /tmp/ipcbox-completion-test.XXXXXX)
	export IPCBOX_FDSTORE=$SOCKDIR/fd.sock
	unset IPCBOX_NO_AUTOSTART
}

teardown() {
	[ -S "$IPCBOX_FDSTORE" ] && fdstore stop >/dev/null 2>&1
	rm -rf "$SOCKDIR"
	assert_equal "$(leftovers)" ''
}

# comp LINE...: the candidates for each LINE (cursor at its end), one a
# line, "== LINE" before each, in one bash that sources the file once.
comp() {
	bash -c '. "$1" || exit 1; shift
		for COMP_LINE in "$@"; do
			COMP_POINT=${#COMP_LINE}
			COMPREPLY=()
			_ipcbox
			echo "== $COMP_LINE"
			[ "${#COMPREPLY[@]}" -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"
		done' bash "$COMPLETION" "$@"
}

# section TEXT OUT: the part of comp's output OUT for the line that
# starts with TEXT.
section() {
	sed -n "/^== $1/,/^==/p" <<<"$2"
}

# The candidates of one line, space-separated and sorted.
comp1() {
	comp "$1" | sed 1d | sort | tr '\n' ' ' | sed 's/ $//'
}

@test "applets: as ipcbox APPLET from ipcbox --list, each name registered with complete" {
	assert_equal "$(comp1 'ipcbox ')" "$(ipcbox --list | sort | tr '\n' ' ' | sed 's/ $//')"
	assert_equal "$(comp1 'ipcbox sh')" shmctl
	assert_equal "$(comp1 'ipcbox --trace sem')" semctl
	assert_equal "$(comp1 'ipcbox --v')" --version
	run bash -c '. "$1"; complete -p' bash "$COMPLETION"
	for a in ipcbox $(ipcbox --list); do
		assert_line "complete -F _ipcbox $a"
	done
	# An unknown applet: nothing, quietly.
	run comp1 'ipcbox nosuch '
	assert_output ''
}

@test "verbs: the applet's own, as APPLET and as ipcbox APPLET; each answers VERB --help" {
	assert_equal "$(comp1 'shmctl ')" "chmod create ls read recv resize send stat unlink write"
	assert_equal "$(comp1 'ipcbox shmctl ')" "$(comp1 'shmctl ')"
	assert_equal "$(comp1 'ipcbox --trace shmctl ')" "$(comp1 'shmctl ')"
	assert_equal "$(comp1 'semctl tr')" trywait
	assert_equal "$(comp1 'shmctl -')" "--help --trace --version -h"
	local a v
	for a in $(ipcbox --list); do
		for v in $(comp1 "$a "); do
			run "$a" "$v" --help
			assert_success
			assert_line --partial "$a $v"
		done
	done
}

@test "options: a verb's, each accepted by it; one that takes a value is completed by nothing (or files)" {
	assert_equal "$(comp1 'shmctl create /x 1M -')" "--exist-ok --help --ring -m"
	assert_equal "$(comp1 'ipcbox shmctl read /x --')" "--help --hex --string"
	assert_equal "$(comp1 'ipcgc --o')" "--older-than --owner"
	assert_equal "$(comp1 'shmctl read /x -n ')" ''
	assert_equal "$(comp1 'semctl wait /x -t 1 -')" "--help -i -n -t"
	# Every option offered is one the applet's parser takes: a flag with
	# --help after it exits 0 (the verb's help); an option that takes a
	# value, alone at the end, says it needs one (not "unknown option"),
	# and the completion offers nothing or files for its value.
	local a v o out rc lines=() argv vals=()
	for a in $(ipcbox --list); do
		v=$(comp1 "$a ")
		[ -n "$v" ] || lines+=("$a -")
		for v in $v; do lines+=("$a $v -"); done
	done
	while IFS= read -r o; do
		if [[ $o == "== "* ]]; then
			read -ra argv <<<"${o#== }"
			unset 'argv[-1]'
			continue
		fi
		[ "$o" = --help ] && continue
		"${argv[@]}" "$o" --help >/dev/null 2>&1 && continue
		out=$("${argv[@]}" "$o" 2>&1 >/dev/null) && rc=0 || rc=$?
		assert_equal "${argv[*]} $o: $rc ${out##*: }" "${argv[*]} $o: 2 option needs a value"
		vals+=("${argv[*]} $o ")
	done < <(comp "${lines[@]}")
	[ "${#vals[@]}" -gt 20 ]
	# Nothing offered for any value (files are readline's, not COMPREPLY).
	run comp "${vals[@]}"
	refute_line --regexp '^[^=]'
}

@test "object names: POSIX shm, semaphores and queues by /NAME, System V by key: and id:" {
	local n s q k id
	n=$(uniq_name)
	s=$(uniq_name)s
	q=$(uniq_name)q
	k=$(uniq_key)
	shmctl create "$n" 4K
	semctl create "$s"
	mqctl create "$q"
	id=$(shmctl create "$k" 4K)
	run comp 'shmctl read /ipcbox-t' 'semctl wait /ipcbox-t' 'mqctl stat /ipcbox-t' \
		'ipcgc /ipcbox-t' "shmctl stat ${k%??}" 'shmctl stat id:' 'shmctl create /x 1M '
	shmctl rm "$n" "$k"
	semctl rm "$s"
	mqctl rm "$q"
	assert_success
	local out=$output
	# shm lists only shm, semctl only semaphores (sem.NAME), mqctl queues.
	run section "shmctl read" "$out"
	assert_line "$n"
	refute_line "$s"
	run section "semctl wait" "$out"
	assert_line "$s"
	refute_line "$n"
	run section "mqctl stat" "$out"
	assert_line "$q"
	refute_line "$n"
	run section "ipcgc" "$out"
	assert_line "$n"
	assert_line "$s"
	assert_line "$q"
	# key: and id: as bash splits words at ':': the part after it.
	run section "shmctl stat key" "$out"
	assert_line "${k#key:}"
	run section "shmctl stat id:" "$out"
	assert_line "$id"
	# SIZE is not an object.
	run sed -n '/^== shmctl create/,$p' <<<"$out"
	assert_output '== shmctl create /x 1M '
}

@test "store entries: @NAME from fdstore ls, by kind; never starts a holder; quiet without one" {
	# No holder: nothing, no message, and none started.
	run --separate-stderr comp1 'efd signal @'
	assert_output ''
	assert_equal "$stderr" ''
	[ ! -e "$IPCBOX_FDSTORE" ]
	efd create @ev
	memfd create @mf -s 4K
	run comp 'efd signal @' 'memfd read @' 'fdstore rm @' 'fdstore rm @m'
	assert_output "== efd signal @
@ev
== memfd read @
@mf
== fdstore rm @
@ev
@mf
== fdstore rm @m
@mf"
	# -S on the line is the store asked.
	local sock=$IPCBOX_FDSTORE
	assert_equal "$(IPCBOX_FDSTORE=$SOCKDIR/none.sock comp1 "efd wait -S $sock @")" @ev
	fdstore stop
}

@test "a command after --: command names" {
	PATH=$BUILD_DIR:/usr/bin:/bin
	run comp 'efd new -- slee' 'semctl run /x -t 1 -- tru'
	assert_line sleep
	assert_line true
}
