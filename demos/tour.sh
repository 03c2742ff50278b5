#!/bin/sh
# A guided tour of ipcbox: each step prints the command, runs it, and says
# what happened.  Run by `make demo`, or: IPCBOX_BIN=build/ipcbox sh demos/tour.sh
#
#   sh demos/tour.sh [APPLET...]    only those applets' sections
#
# Works as root and as a normal user.  It touches only the objects it
# creates (exclusively, under names holding its pid) and removes them on
# every exit, failure and ^C included.
#
# One section per applet.  To add one, put a block like the shmctl one
# after the last section (before the closing "done" line):
#
#	if section APPLET "one line saying what it is"; then
#		say "what the next step shows"
#		run APPLET VERB ARGS...           a step that must succeed
#		run_sh "APPLET VERB ... | CMD"    a line of shell, shown as is
#		fails 1 APPLET VERB ARGS...       a step that must exit 1
#	fi
#
# Name objects with $TAG (unique to this run) and register each one with
# `on_exit "APPLET rm -f OBJ"` as soon as it exists.
set -u

IPCBOX_BIN=${IPCBOX_BIN:-$(dirname "$0")/../build/ipcbox}
if ! [ -x "$IPCBOX_BIN" ]; then
	echo "tour: $IPCBOX_BIN: not built (run make, or set IPCBOX_BIN)" >&2
	exit 1
fi
ONLY=$*
APPLETS=$("$IPCBOX_BIN" --list) || exit 1
APPLETS=$(printf '%s' "$APPLETS" | tr '\n' ' ')
for a in $ONLY; do
	case " $APPLETS " in
	*" $a "*) ;;
	*) echo "tour: $a: no such applet in $IPCBOX_BIN" >&2; exit 2 ;;
	esac
done
TAG=ipcbox-tour-$$

# Each applet runs through the binary under test, named as a reader would
# type it.
for a in $APPLETS; do
	eval "$a() { \"\$IPCBOX_BIN\" $a \"\$@\"; }"
done

# Cleanup: commands registered by on_exit, run last-in first-out.
CLEANUP=:
on_exit() {
	CLEANUP="$1 >/dev/null 2>&1; $CLEANUP"
}
finish() {
	status=$?
	trap - EXIT HUP INT TERM
	eval "$CLEANUP"
	exit "$status"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Print words as a shell would need them typed.
quote() {
	sep=
	for w in "$@"; do
		case $w in
		'' | *[!A-Za-z0-9_./:,=+@%-]*)
			w="'$(printf '%s' "$w" | sed "s/'/'\\\\''/g")'" ;;
		esac
		printf '%s%s' "$sep" "$w"
		sep=' '
	done
}

say() {
	printf '# %s\n' "$@"
}

# step WANT SHOWN CMD ARGS...: print "$ SHOWN", run CMD (its stderr too, in
# order) and stop the tour unless it exits WANT; a failure that is the
# point of the step (WANT > 0) shows its exit status.
step() {
	want=$1 shown=$2
	shift 2
	printf '$ %s\n' "$shown"
	"$@" 2>&1
	rc=$?
	[ "$want" -eq 0 ] || echo "(exit status $rc)"
	if [ "$rc" -ne "$want" ]; then
		echo "tour: that step exited $rc, not $want; stopping" >&2
		exit 1
	fi
	echo
}

# run CMD ARGS...: a step that must succeed.
run() {
	step 0 "$(quote "$@")" "$@"
}

# run_sh 'PIPELINE': the same for a line of shell.
run_sh() {
	step 0 "$1" eval "$1"
}

# fails CODE CMD ARGS...: a step that must fail with exit CODE.
fails() {
	want=$1
	shift
	step "$want" "$(quote "$@")" "$@"
}

# section APPLET TITLE: a heading, or false when the applet is not built
# (or not asked for on the command line).
section() {
	case " $APPLETS " in
	*" $1 "*) ;;
	*) return 1 ;;
	esac
	if [ -n "$ONLY" ]; then
		case " $ONLY " in
		*" $1 "*) ;;
		*) return 1 ;;
		esac
	fi
	printf '\n==== %s: %s ====\n\n' "$1" "$2"
}

echo "ipcbox tour: $("$IPCBOX_BIN" --version); applets: $APPLETS"
say "Every applet runs as 'ipcbox APPLET ...' or through a symlink named APPLET." \
    "Exit status: 0 done, 1 failed, 2 usage, 3 timed out." \
    "Messages go to stderr as 'APPLET: VERB: OBJECT: reason'; data to stdout."

if section shmctl "POSIX and System V shared memory"; then
	obj=/$TAG
	say "A POSIX object is a file in /dev/shm made by shm_open(3)." \
	    "create is exclusive and sets exactly the mode asked for (default 0600)." \
	    "--trace, before the verb, prints each system call with its result:"
	run shmctl --trace create "$obj" 4K
	on_exit "shmctl unlink -f $obj"

	say "write puts a STRING (or stdin) at an offset; the size does not change."
	run shmctl --trace write "$obj" "hello, shared memory"
	say "From a pipe, splice(2) moves the bytes into the object in the kernel:"
	run_sh "printf 'from a pipe' | shmctl --trace write $obj -o 64"

	say "read --hex prints the bytes in hexdump -C layout; '*' stands for" \
	    "repeated lines (here, the zeros up to the end of the 4 KiB)."
	run shmctl read "$obj" --hex
	say "Without --hex, read sends the raw bytes to stdout with sendfile(2):"
	run_sh "shmctl --trace read $obj -o 64 -n 11 | tr a-z A-Z; echo"

	say "Writing past the end is an error (exit 1) and nothing is written;" \
	    "a POSIX object can grow with --grow, a System V segment cannot."
	fails 1 shmctl write "$obj" "too long" -o 4092

	say "stat shows size, mode, owner, times, and the pids that map or hold it."
	run shmctl stat "$obj"

	say "ls lists every object on the machine; keep the heading and ours:"
	run_sh "shmctl ls | awk 'NR == 1 || \$2 == \"$obj\"'"

	say "A System V segment is named by key:, id: or ftok:PATH:PROJ, here a" \
	    "key that ftok(3) makes from a file of ours.  create prints the new id."
	keyfile=$(mktemp "${TMPDIR:-/tmp}/$TAG.XXXXXX") || exit 1
	on_exit "rm -f $(quote "$keyfile")"
	printf '$ %s\n' "$(quote shmctl --trace create "ftok:$keyfile:1" 4K)"
	{ id=$(shmctl --trace create "ftok:$keyfile:1" 4K 2>&3); } 3>&1
	case $id in
	*[!0-9]* | '') echo "tour: create printed '$id', not an id" >&2; exit 1 ;;
	esac
	echo "$id"
	echo
	# Removed at exit unless the tour removed it (id= then): an id can
	# be reused by a later segment, which is not ours to remove.
	# shellcheck disable=SC2016 # $id is expanded at exit
	on_exit '[ -z "$id" ] || shmctl unlink -f "id:$id"'
	say "ipcs(1) from util-linux sees the same segment:"
	run_sh "ipcs -m | awk 'NR == 3 || \$2 == $id'"
	say "write and read take every address form; a segment is attached with" \
	    "shmat(2) and its bytes copied in memory."
	run shmctl write "id:$id" "System V bytes"
	say "read --string stops at the first NUL byte."
	run_sh "shmctl read id:$id --string; echo"

	say "unlink (or rm) removes objects; -f ignores missing ones."
	run shmctl --trace unlink "$obj" "id:$id"
	id=
	say "Now the object is gone, reading it is an error naming it (exit 1):"
	fails 1 shmctl read "$obj"
fi

# efd and memfd hand descriptors to commands that run other applets: give
# those commands the applets on PATH, as symlinks to the binary under test.
if section efd "" >/dev/null || section memfd "" >/dev/null ||
    section semctl "" >/dev/null || section fdstore "" >/dev/null; then
	links=$(mktemp -d "${TMPDIR:-/tmp}/$TAG.XXXXXX") || exit 1
	on_exit "rm -rf $(quote "$links")"
	bin=$(cd "$(dirname "$IPCBOX_BIN")" && pwd)/$(basename "$IPCBOX_BIN")
	for a in $APPLETS; do
		ln -s "$bin" "$links/$a"
	done
	PATH=$links:$PATH
	export PATH
fi

# holder APPLET ARGS...: start "APPLET new ARGS -- sleep 30" in the
# background, stopped at exit; its pid in $holder once it holds fd 3.
holder() {
	"$IPCBOX_BIN" "$@" -- sleep 30 </dev/null >/dev/null 2>&1 &
	holder=$!
	on_exit "kill $holder"
	i=0
	while [ "$(cat "/proc/$holder/comm" 2>/dev/null)" != sleep ]; do
		i=$((i + 1))
		if [ "$i" -gt 500 ]; then
			echo "tour: $* did not start" >&2
			exit 1
		fi
		sleep 0.01
	done
}

if section efd "eventfd counters"; then
	say "An eventfd is a 64-bit counter with no name in any file system." \
	    "'efd new' makes one and runs a command with it at fd 3, which the" \
	    "command and everything it starts inherit; here, efd get reads it:"
	run efd --trace new -c 2 -- efd get 3
	say "signal adds to the counter and wakes the waiters; wait takes it all" \
	    "and prints what it took (epoll, then a read that never blocks):"
	run_sh "efd new -- sh -c 'efd signal 3 -n 5; efd --trace wait 3; efd get 3'"
	say "With nothing to take, wait -t gives up: exit 3."
	fails 3 efd new -- efd wait -t 0.2 3
	say "In semaphore mode each read takes 1: -f prints one line an event," \
	    "until TIMEOUT passes without one."
	fails 3 efd new --semaphore -c 3 -- efd wait -f -t 0.2 3
	say "wait on several eventfds prints the one that fired and its value:"
	run_sh "efd new --fd 3 -- efd new --fd 4 -- sh -c '(sleep 0.2; efd signal 4 -n 7) & efd wait -t 5 3 4'"
	say "Another process's eventfd is pid:PID:FD, taken with pidfd_getfd(2)" \
	    "(which needs ptrace access to it).  A holder in the background:"
	holder efd new -c 9
	run efd --trace get "pid:$holder:3"
	say "ls finds every eventfd of every process we may see:"
	run_sh "efd ls | awk 'NR == 1 || \$1 == $holder'"
	say "A descriptor that is not an eventfd is refused, saying what it is:"
	step 1 "efd signal 0 < /dev/null" eval "efd signal 0 < /dev/null"
fi

if section memfd "sealed memory files"; then
	conf=$links/app.conf
	printf 'mode=prod\nkey=42\n' >"$conf"
	say "A memfd is a file in memory with no name in any file system." \
	    "'memfd new' fills one in the kernel, seals it and runs a command" \
	    "with it at fd 3.  Seals forbid a change for good, to every holder:"
	run memfd --trace new config --from "$conf" --seal seal,shrink,grow,write -- memfd seals 3
	say "A write that a seal forbids fails (exit 1):"
	fails 1 memfd new config --from "$conf" --seal write -- memfd write 3 hacked
	say "So a child can check the seals, then trust the bytes without a copy:"
	run_sh "memfd new config --from $(quote "$conf") --seal seal,shrink,grow,write -- sh -c 'case \$(memfd seals 3) in seal,shrink,grow,write*) memfd read 3 ;; *) echo unsealed >&2; exit 1 ;; esac'"
	say "Another process's memfd is pid:PID:FD too; read it from a holder:"
	holder memfd new config --from "$conf" --seal seal,shrink,grow,write
	run_sh "memfd read pid:$holder:3 | cmp - $(quote "$conf") && echo same bytes"
	say "ls shows every memfd we may see, with its size and seals:"
	run_sh "memfd ls | awk 'NR == 1 || \$1 == $holder'"
fi

if section fdstore "named descriptors for unrelated processes"; then
	store=$(mktemp -d "${TMPDIR:-/tmp}/$TAG-store.XXXXXX") || exit 1
	IPCBOX_FDSTORE=$store/fdstore.sock
	export IPCBOX_FDSTORE
	on_exit "rm -rf $(quote "$store")"
	on_exit "fdstore stop"
	say "Scripts that are not parent and child cannot inherit an eventfd," \
	    "nor reopen one.  The fd store holds descriptors under names;" \
	    "the first client starts its holder (here on a socket of this tour:" \
	    "IPCBOX_FDSTORE).  efd create @NAME makes an eventfd in it:"
	run efd create @ready -c 2
	say "Any process of this user reaches it by name, even from another" \
	    "session; the descriptor comes back over the socket (SCM_RIGHTS):"
	run setsid efd --trace get @ready
	say "A producer leaves a sealed memfd and quits; a consumer reads it:"
	run_sh "printf 'mode=prod\\n' | memfd create @config --from - --seal seal,shrink,grow,write"
	run setsid memfd read @config
	say "ls: what the store holds, each entry with an owner and a mode:"
	run fdstore ls
	say "A name that the store does not hold is an error (exit 1):"
	fails 1 efd signal @nope
	say "demos/handoff.sh runs two unrelated scripts that share both."
fi

# sleeper OBJ: a process in the background that holds /dev/shm/OBJ open,
# stopped at exit; its pid in $sleeper.
sleeper() {
	(exec 3<"/dev/shm$1" && exec sleep 30) </dev/null >/dev/null 2>&1 &
	sleeper=$!
	on_exit "kill $sleeper"
}

if section ipcls "every IPC object, with its holders"; then
	held=/$TAG-frames lone=/$TAG-leftover
	run shmctl create "$held" 64K
	on_exit "shmctl unlink -f $held"
	run shmctl create "$lone" 4K
	on_exit "shmctl unlink -f $lone"
	sleeper "$held"
	say "A process ($sleeper) holds $held open.  ipcls lists every object of" \
	    "the machine, POSIX and System V, eventfds and memfds; -o +HOLDERS adds" \
	    "the pids that map or hold each one (ours only, here):"
	run_sh "ipcls -t posix-shm -o +HOLDERS | awk 'NR == 1 || \$2 ~ /$TAG/'"
	say "--orphans: what nothing uses and no live program may want, with" \
	    "the time since its last use.  $lone is not one: no process maps it," \
	    "but its owner (we) has live processes; ipcgc below says so:"
	run_sh "ipcls --orphans -t posix-shm -o NAME,SIZE,AGE | awk 'NR == 1 || \$1 ~ /$TAG/'"
	say "--summary: the limits and their use, shmall in exact bytes:"
	run_sh "ipcls --summary -o RESOURCE,LIMIT,USED | head -n 4"
	say "An unknown column is a usage error that lists the valid ones:"
	fails 2 ipcls -o NAME,COLOUR
fi

if section ipcgc "removing orphans, never an object a live program may want"; then
	held=/$TAG-gc-frames lone=/$TAG-gc-leftover
	run shmctl create "$held" 64K
	on_exit "shmctl unlink -f $held"
	run shmctl create "$lone" 4K
	on_exit "shmctl unlink -f $lone"
	sleeper "$held"
	if [ "$(id -u)" -ne 0 ]; then
		say "Not root, ipcgc may not see what other users' processes map" \
		    "or hold, so it removes no POSIX object (exit 1):"
		fails 1 ipcgc --prefix "$TAG-gc"
	else
		say "By default ipcgc removes nothing: it prints what it would" \
		    "remove, what it keeps and why, and the sums.  Without a name," \
		    "our objects are kept: we are alive, and may want them:"
		run_sh "ipcgc --older-than 0 -t posix-shm | grep -- $TAG-gc"
		say "--prefix names them: $lone, which nothing uses, would go, with" \
		    "the live processes of its owner named; $held, held by" \
		    "$sleeper, stays whatever the options:"
		run ipcgc --prefix "$TAG-gc"
		say "--yes removes them, after checking each once more:"
		run ipcgc --trace --prefix "$TAG-gc" -t posix-shm --yes
		run_sh "ls /dev/shm | grep $TAG-gc"
	fi
	say "A prefix is the start of a name, without a slash (exit 2):"
	fails 2 ipcgc --prefix "/$TAG-gc" --yes
fi

if section semctl "POSIX and System V semaphores"; then
	sem=/$TAG-sem
	say "A POSIX named semaphore is a file in /dev/shm, sem.NAME, made by" \
	    "sem_open(3).  create is exclusive and sets exactly the mode asked" \
	    "for (default 0600), clearing the umask that sem_open applies:"
	run semctl --trace create "$sem" 2
	on_exit "semctl unlink -f $sem"
	say "post adds to the value, wait takes from it, waiting while it is" \
	    "too small; get prints it:"
	run semctl post "$sem" -n 3
	run semctl wait "$sem" -n 4
	run semctl get "$sem"
	say "trywait does not wait: exit 3 when it would block; wait -t gives" \
	    "up after the time asked, also with exit 3:"
	run semctl trywait "$sem"
	fails 3 semctl trywait "$sem"
	fails 3 semctl wait "$sem" -t 200ms
	say "run takes the semaphore, runs a command, gives it back when the" \
	    "command ends, and exits with its status.  With a value of 1 it is a" \
	    "mutex; with 4, at most 4 commands hold it at once:"
	run semctl post "$sem"
	run_sh "semctl run $sem -- sh -c 'echo inside, the value is \$(semctl get $sem); exit 7'; echo \"exit status \$?\""

	say "A System V set holds several semaphores and is named by key:, id:" \
	    "or ftok:PATH:PROJ.  create -N makes one (here with the values 1 and" \
	    "0) and prints the new id; the last semop sets the set's sem_otime," \
	    "which tells other openers it is ready:"
	keyfile=$(mktemp "${TMPDIR:-/tmp}/$TAG.XXXXXX") || exit 1
	on_exit "rm -f $(quote "$keyfile")"
	printf '$ %s\n' "$(quote semctl --trace create "ftok:$keyfile:2" -N 2 1 0)"
	{ semid=$(semctl --trace create "ftok:$keyfile:2" -N 2 1 0 2>&3); } 3>&1
	case $semid in
	*[!0-9]* | '') echo "tour: create printed '$semid', not an id" >&2; exit 1 ;;
	esac
	echo "$semid"
	echo
	# Removed at exit unless the tour removed it (semid= then).
	# shellcheck disable=SC2016 # $semid is expanded at exit
	on_exit '[ -z "$semid" ] || semctl unlink -f "id:$semid"'
	say "op applies its operations in one atomic semop(2): take 1 from" \
	    "semaphore 0 and add 1 to semaphore 1, or do neither; --nowait" \
	    "exits 3 instead of waiting:"
	run semctl --trace op "id:$semid" 0:-1 1:+1
	fails 3 semctl op "id:$semid" 0:-1 1:+1 --nowait
	say "get --all shows each semaphore's value, its waiters and the last" \
	    "process to change it:"
	run semctl get "id:$semid" --all
	say "A System V run takes the semaphore with SEM_UNDO: however run ends," \
	    "SIGKILL included, the kernel gives it back (and the command, which" \
	    "must not run on unlocked, gets SIGKILL too).  A POSIX semaphore has" \
	    "no such undo.  Kill a run that holds semaphore 1:"
	# In a shell of its own, where $! is the semctl process itself.
	killed="semctl run id:$semid -i 1 -- sleep 30 & sleep 0.3; semctl get id:$semid -i 1; kill -KILL \$!; wait \$!; semctl get id:$semid -i 1"
	step 0 "$killed" sh -c "$killed"
	say "ls lists both kinds with their values; keep the heading and ours:"
	run_sh "semctl ls -o TYPE,NAME,ID,NSEMS,VALUE,PERMS | awk 'NR == 1 || \$2 == \"$sem\" || \$3 == $semid'"
	say "unlink (or rm) removes semaphores of both kinds:"
	run semctl --trace unlink "$sem" "id:$semid"
	semid=
	say "demos/seqnum.sh shows run guarding a sequence number in shared" \
	    "memory, as the seeds' pshm_seqnum programs do, with --trace on."
fi

if section mqctl "POSIX and System V message queues"; then
	q=/$TAG-q
	say "A POSIX queue is made by mq_open(3), exclusively and with exactly" \
	    "the mode asked for; --maxmsg and --msgsize size it:"
	run mqctl --trace create "$q" --maxmsg 4 --msgsize 64
	on_exit "mqctl unlink -f $q"
	say "send takes a priority; recv takes the highest first, and -v" \
	    "shows it:"
	run mqctl send "$q" "a routine job"
	run mqctl send "$q" -p 9 "an urgent job"
	run mqctl --trace recv "$q" -v
	say "A message is one line: newline, NUL and backslash are escaped, and" \
	    "send -l undoes that, one message a line:"
	run_sh "printf 'two\\nlines' | mqctl send $q; mqctl recv $q -n 2"
	run_sh "printf 'one\\ntwo\\\\nlines\\n' | mqctl send -l $q; mqctl recv $q -n 2 -v"
	say "An empty queue: recv -t gives up after the time asked, with exit" \
	    "3 (send -t does the same on a full queue):"
	fails 3 mqctl recv "$q" -t 200ms
	say "A message longer than the queue takes is refused, nothing sent:"
	fails 1 mqctl send "$q" "$(printf '%070d' 0)"
	say "System V queues go by key:, id: or ftok:; types pick messages" \
	    "(--type -N: the lowest type up to N):"
	keyq=$(printf 'key:0x%x' $((0x1b700000 + $$ % 0x10000)))
	run mqctl create "$keyq"
	on_exit "mqctl unlink -f $keyq"
	run mqctl send "$keyq" --type 5 five
	run mqctl send "$keyq" --type 2 two
	run mqctl --trace recv "$keyq" --type -9 -v
	say "stat and ls show both kinds:"
	run mqctl stat "$keyq"
	run_sh "mqctl ls | awk 'NR == 1 || \$2 == \"$q\"'"
	run mqctl rm "$q" "$keyq"
	say "demos/jobqueue.sh runs a producer and four recv workers."
fi

echo "ipcbox tour: done; every object it made is removed."
