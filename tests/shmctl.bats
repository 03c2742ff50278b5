#!/usr/bin/env bats
# shmctl: every verb for POSIX and System V objects, every exit code, the
# exact message of each bad input (and that nothing changed), --trace,
# stat and ls, util-linux interop, and a 256 MiB round trip.

load test_helper

# ---------------------------------------------------------------- helpers

# The state of every object: each /dev/shm file with its mode, size, mtime
# and a digest of its bytes, and each System V segment with its key, id,
# mode, size and a digest of its bytes.
state() {
	local f key id perms size
	for f in /dev/shm/* /dev/shm/.[!.]*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		# A FIFO, directory, socket or link planted there: its kind
		# (opening a FIFO to read it would wait).
		if [ -L "$f" ] || [ ! -f "$f" ]; then
			printf '%s %s\n' "$f" "$(stat -c '%F %a %Y' "$f")"
			continue
		fi
		printf '%s %s %s\n' "$f" "$(stat -c '%a %s %Y' "$f")" \
			"$(md5sum <"$f")"
	done
	while read -r key id perms size _; do
		printf 'sysv %s %s %s %s %s\n' "$key" "$id" "$perms" "$size" \
			"$(ipcbox shmctl read "id:$id" | md5sum)"
	done < <(tail -n +2 /proc/sysvipc/shm)
}

# Say "nothing was created or changed since $before".
assert_unchanged() {
	assert_equal "$(state)" "$before"
}

# The id of a System V segment by key (0x...), from the kernel's table
# (which prints keys as signed ints).
sysv_id() {
	local k=$(( $1 ))
	[ "$k" -lt $(( 1 << 31 )) ] || k=$(( k - (1 << 32) ))
	awk -v k="$k" 'NR > 1 && $1 == k { print $2 }' /proc/sysvipc/shm
}

# A second key for a test that needs two.
other_key() {
	printf 'key:0x%x\n' $(( ${1#key:} + 0x80 ))
}

# Segments made with a random key (ipcmk, key:0) that teardown removes.
track_id() {
	echo "$1" >>"$BATS_TEST_TMPDIR/ids"
}

# Run CMD in the background as a holder; teardown kills it.
hold() {
	"$@" >/dev/null 2>&1 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/holders"
}

# Wait until stat shows a holder (up to 5 s).
wait_holders() {
	local i
	for i in $(seq 100); do
		[ "$(shmctl stat "$1" | sed -n 's/^holders: //p')" != "-" ] &&
			return 0
		sleep 0.05
	done
	return 1
}

# A process that maps a POSIX object (and closes its descriptor) or
# attaches a System V segment, then waits; it writes its pid to READY.
holder_py() {
	cat >"$BATS_FILE_TMPDIR/holder.py" <<-'EOF'
		import ctypes, mmap, os, signal, sys
		kind, what, ready = sys.argv[1:4]
		if kind == "mmap":
		    fd = os.open("/dev/shm/" + what.lstrip("/"), os.O_RDONLY)
		    m = mmap.mmap(fd, 0, prot=mmap.PROT_READ)
		    os.close(fd)
		else:
		    libc = ctypes.CDLL(None, use_errno=True)
		    libc.shmat.restype = ctypes.c_void_p
		    p = libc.shmat(int(what), None, 0o10000)  # SHM_RDONLY
		    if p is None or p == ctypes.c_void_p(-1).value:
		        sys.exit(1)
		with open(ready + ".tmp", "w") as f:
		    f.write(str(os.getpid()))
		os.rename(ready + ".tmp", ready)
		signal.pause()
	EOF
	echo "$BATS_FILE_TMPDIR/holder.py"
}

# Start holder.py KIND WHAT and print its pid once it holds the object.
start_holder() {
	local ready="$BATS_TEST_TMPDIR/ready.$RANDOM" i
	hold "$PY" "$(holder_py)" "$1" "$2" "$ready"
	for i in $(seq 200); do
		if [ -s "$ready" ]; then
			# The pid python reports, in case a wrapper forked it.
			cat "$ready" >>"$BATS_TEST_TMPDIR/holders"
			cat "$ready"
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# A file of N bytes: 0..255 repeated, so that offsets show in the data.
pattern() {
	"$PY" -c 'import sys; n = int(sys.argv[1]); sys.stdout.buffer.write(bytes(i % 256 for i in range(n)))' "$1"
}

setup_file() {
	state >"$BATS_FILE_TMPDIR/state.before"
	# The interpreter itself: a version manager's wrapper costs a
	# quarter of a second a call.
	PY=$(python3 -c 'import sys; print(sys.executable)')
	export PY
}

teardown() {
	local pid id f i
	if [ -f "$BATS_TEST_TMPDIR/holders" ]; then
		while read -r pid; do
			kill "$pid" 2>/dev/null || :
		done <"$BATS_TEST_TMPDIR/holders"
		while read -r pid; do
			for i in $(seq 200); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.01
			done
		done <"$BATS_TEST_TMPDIR/holders"
	fi
	for f in $(leftovers); do
		rm -f "/dev/shm/$f"
	done
	# Our keys: 0x1bPPPP.. (uniq_key), and the ids tests tracked.
	for id in $(awk -v p=$(( 0x1b000000 / 256 + $$ % 0x10000 )) \
		'NR > 1 && int($1 / 256) == p { print $2 }' /proc/sysvipc/shm) \
		$(cat "$BATS_TEST_TMPDIR/ids" 2>/dev/null); do
		ipcrm -m "$id" 2>/dev/null || :
	done
}

# Nothing the suite made is left: /dev/shm and the System V table are as
# they were before it ran (in the test namespace: empty).
teardown_file() {
	local after
	after=$(state)
	if [ "$after" != "$(cat "$BATS_FILE_TMPDIR/state.before")" ]; then
		echo "objects left behind:" >&2
		diff <(cat "$BATS_FILE_TMPDIR/state.before") <(echo "$after") >&2
		return 1
	fi
	if [ -n "${IPCBOX_TEST_NS:-}" ]; then
		[ -z "$(ls -A /dev/shm)" ] && [ -z "$(ipcs -m | awk 'NR > 3 && NF')" ]
	fi
}

# ----------------------------------------------------------------- create

@test "create: a POSIX object of SIZE bytes, mode 0600, nothing on stdout" {
	n=$(uniq_name)
	run --separate-stderr shmctl create "$n" 4K
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	assert_equal "$(stat -c '%a %s %U' "/dev/shm${n}")" "600 4096 $(id -un)"
	cmp <(head -c 4096 /dev/zero) "/dev/shm${n}"
}

@test "create: sizes in every documented form" {
	for s in 4096:4096 0x1000:4096 4K:4096 4KiB:4096 4KB:4096 1M:1048576 0:0 010:10; do
		n=$(uniq_name)
		run shmctl create "$n" "${s%%:*}"
		assert_success
		assert_equal "$(stat -c %s "/dev/shm${n}")" "${s#*:}"
	done
}

@test "create is exclusive: a second create fails (exit 1), --exist-ok leaves it as it was" {
	n=$(uniq_name)
	shmctl create "$n" 64 -m 0640
	shmctl write "$n" keep
	before=$(state)
	run --separate-stderr shmctl create "$n" 128
	assert_failure 1
	assert_equal "$stderr" "shmctl: create: $n: File exists"
	assert_unchanged
	run --separate-stderr shmctl create "$n" 128 -m 0666 --exist-ok
	assert_success
	assert_equal "$stderr" ''
	assert_unchanged
}

@test "create --exist-ok makes the object when it is missing" {
	n=$(uniq_name)
	run shmctl create "$n" 10 --exist-ok
	assert_success
	assert_equal "$(stat -c '%a %s' "/dev/shm${n}")" "600 10"
}

@test "create -m sets exactly that mode whatever the umask (POSIX)" {
	for m in 0666:666 0640:640 0400:400 0:0 u=rw,g=r:640 a=rw:666 u=rwx,go=:700; do
		n=$(uniq_name)
		(umask 077 && shmctl create "$n" 1 -m "${m%%:*}")
		assert_equal "$(stat -c %a "/dev/shm${n}")" "${m#*:}"
	done
	n=$(uniq_name)
	(umask 0 && shmctl create "$n" 1)
	assert_equal "$(stat -c %a "/dev/shm${n}")" 600
}

@test "create -m sets exactly that mode whatever the umask (System V)" {
	k=$(uniq_key)
	id=$(umask 077 && shmctl create "$k" 100 -m 0664)
	run ipcs -m -i "$id"
	assert_line --regexp '^mode=0664'
	assert_equal "$(awk -v id="$id" '$2 == id { print $3 }' /proc/sysvipc/shm)" 664
}

@test "create: a System V segment prints its id, the one ipcs -m shows" {
	k=$(uniq_key)
	run --separate-stderr shmctl create "$k" 4096
	assert_success
	assert_equal "$stderr" ''
	assert_output --regexp '^[0-9]+$'
	assert_equal "$output" "$(sysv_id "${k#key:}")"
	run ipcs -m
	assert_line --regexp "^$(printf '0x%08x' "${k#key:}") +$(sysv_id "${k#key:}") +$(id -un) +600 +4096 +0"
}

@test "create: --exist-ok on an existing segment prints its id and changes nothing" {
	k=$(uniq_key)
	id=$(shmctl create "$k" 100)
	before=$(state)
	run --separate-stderr shmctl create "$k" 100
	assert_failure 1
	assert_equal "$stderr" "shmctl: create: $k: File exists"
	run shmctl create "$k" 200 -m 0666 --exist-ok
	assert_success
	assert_output "$id"
	assert_unchanged
}

@test "create: ftok:PATH:PROJ makes the segment of ftok(3)'s key" {
	f="$BATS_TEST_TMPDIR/ftok-file"
	touch "$f"
	read -r dev ino < <(stat -c '%d %i' "$f")
	want=$(printf '0x%08x' $(( (65 << 24) | ((dev & 0xff) << 16) | (ino & 0xffff) )))
	id=$(shmctl create "ftok:$f:A" 100)
	track_id "$id"
	run shmctl stat "ftok:$f:65"
	assert_success
	assert_line "key: $want"
	assert_line "id: $id"
	run shmctl unlink "ftok:$f:A"
	assert_success
	assert_equal "$(sysv_id "$want")" ''
}

@test "create: key:0 makes a private segment, named by id: from then on" {
	run shmctl create key:0 100
	assert_success
	id=$output
	track_id "$id"
	run shmctl ls -n -o NAME,ID,SIZE
	assert_line --regexp "^id:$id +$id +100B$"
	run --separate-stderr shmctl read key:0
	assert_failure 2
	assert_equal "$stderr" "shmctl: read: key:0: key 0 is IPC_PRIVATE and names no segment: use id:"
	run shmctl unlink "id:$id"
	assert_success
}

@test "create: an id: names an existing segment and cannot be created (exit 2)" {
	before=$(state)
	run --separate-stderr shmctl create id:12345 100
	assert_failure 2
	assert_equal "$stderr" "shmctl: create: id:12345: an id names an existing segment: create by key: or ftok:"
	assert_unchanged
}

@test "create: a size over the capacity of /dev/shm fails (exit 1) and leaves nothing" {
	n=$(uniq_name)
	before=$(state)
	run --separate-stderr shmctl create "$n" 100T
	assert_failure 1
	if [ -n "${IPCBOX_TEST_NS:-}" ]; then # tests/run.sh: a 2 GiB tmpfs
		assert_equal "$stderr" "shmctl: create: $n: size exceeds the capacity of /dev/shm (2.0G)"
	else
		assert_regex "$stderr" "^shmctl: create: $n: size exceeds the capacity of /dev/shm \([0-9.]+[KMGTP]\)$"
	fi
	assert_unchanged
	assert_file_not_exists "/dev/shm${n}"
}

@test "create: a System V size outside the kernel's limits fails (exit 1) and leaves nothing" {
	k=$(uniq_key)
	before=$(state)
	run --separate-stderr shmctl create "$k" 0
	assert_failure 1
	assert_equal "$stderr" "shmctl: create: $k: size is outside the System V limits (1 to kernel.shmmax bytes)"
	assert_unchanged
}

# ------------------------------------------------------- bad input: exit 2

@test "bad names: a second '/', empty, '.', '..', over NAME_MAX (exit 2, nothing created)" {
	long=$(printf 'n%.0s' $(seq 256))
	before=$(state)
	# Every verb parses names in one place: each bad name with create,
	# and one with every verb.
	for verb in "create NAME 10" "write NAME x" "read NAME" "stat NAME" \
		"resize NAME 10" "chmod NAME 0600" "unlink NAME"; do
		set -- $verb
		assert_fails 2 "shmctl: $1: /a/b: invalid name: a '/' after the first" \
			shmctl "$1" /a/b "${@:3}"
	done
	while IFS='|' read -r name reason; do
		assert_fails 2 "shmctl: create: $name: $reason" \
			shmctl create "$name" 10
	done <<-EOF
		/a/b|invalid name: a '/' after the first
		a/b|invalid name: a '/' after the first
		/a/|invalid name: a '/' after the first
		|invalid name: empty
		/|invalid name: empty
		.|invalid name: '.' and '..' are not objects
		/.|invalid name: '.' and '..' are not objects
		..|invalid name: '.' and '..' are not objects
		/..|invalid name: '.' and '..' are not objects
		/$long|invalid name: longer than 255 bytes
		$long|invalid name: longer than 255 bytes
	EOF
	assert_unchanged
}

@test "a name of exactly NAME_MAX (255) bytes is fine" {
	n="/ipcbox-t$$-"
	n="$n$(printf 'n%.0s' $(seq $(( 256 - ${#n} ))))"
	assert_equal "${#n}" 256
	run shmctl create "$n" 1
	assert_success
	run shmctl unlink "$n"
	assert_success
}

@test "bad sizes: -1, 1Q, 99999999999T, 0x (exit 2, nothing created or resized)" {
	n=$(uniq_name)
	k=$(uniq_key)
	m=$(uniq_name)
	shmctl create "$m" 100
	before=$(state)
	for size in -1:negative 1Q:invalid; do
		assert_fails 2 "shmctl: create: $k: size '${size%:*}' is ${size#*:}" \
			shmctl create "$k" "${size%:*}"
		assert_fails 2 "shmctl: resize: $m: size '${size%:*}' is ${size#*:}" \
			shmctl resize "$m" "${size%:*}"
	done
	while IFS='|' read -r size reason; do
		assert_fails 2 "shmctl: create: $n: size '$size' $reason" \
			shmctl create "$n" "$size"
	done <<-'EOF'
		-1|is negative
		1Q|is invalid
		99999999999T|is too large
		0x|is invalid
		|is invalid
		4K4|is invalid
		1.5K|is invalid
		99999999999999999999|is too large
	EOF
	assert_unchanged
}

@test "bad modes: 0999, u=rwz (exit 2, nothing created or changed)" {
	n=$(uniq_name)
	k=$(uniq_key)
	m=$(uniq_name)
	shmctl create "$m" 10
	mk=$(other_key "$k")
	shmctl create "$mk" 10 >/dev/null
	before=$(state)
	assert_fails 2 "shmctl: create: $k: mode '0999' is invalid" \
		shmctl create "$k" 10 -m 0999
	assert_fails 2 "shmctl: chmod: $mk: mode 'u=rwz' is invalid" \
		shmctl chmod "$mk" u=rwz
	while IFS='|' read -r mode reason; do
		assert_fails 2 "shmctl: create: $n: mode '$mode' $reason" \
			shmctl create "$n" 10 -m "$mode"
		assert_fails 2 "shmctl: chmod: $m: mode '$mode' $reason" \
			shmctl chmod "$m" "$mode"
	done <<-'EOF'
		0999|is invalid
		u=rwz|is invalid
		01777|is out of range (0 to 0777)
		u+s|is out of range (no setuid, setgid or sticky bits)
		rw|is invalid
	EOF
	assert_unchanged
}

@test "bad System V addresses: key: with junk, id: with junk, ftok: malformed (exit 2)" {
	before=$(state)
	for verb in "create OBJ 10" "write OBJ x" "stat OBJ" "chmod OBJ 0600" "unlink OBJ"; do
		set -- $verb
		assert_fails 2 "shmctl: $1: key:junk: invalid key: want key:0xHEX or key:DECIMAL up to 0xffffffff" \
			shmctl "$1" key:junk "${@:3}"
	done
	while IFS='|' read -r obj reason; do
		assert_fails 2 "shmctl: read: $obj: $reason" shmctl read "$obj"
	done <<-'EOF'
		key:junk|invalid key: want key:0xHEX or key:DECIMAL up to 0xffffffff
		key:0x12zz|invalid key: want key:0xHEX or key:DECIMAL up to 0xffffffff
		key:|invalid key: want key:0xHEX or key:DECIMAL up to 0xffffffff
		key:-1|invalid key: want key:0xHEX or key:DECIMAL up to 0xffffffff
		key:0x100000000|invalid key: want key:0xHEX or key:DECIMAL up to 0xffffffff
		key:12 |invalid key: want key:0xHEX or key:DECIMAL up to 0xffffffff
		id:x1|invalid id: want id:DECIMAL
		id:|invalid id: want id:DECIMAL
		ftok:/etc/passwd|invalid ftok address: want ftok:PATH:PROJ
		ftok::1|invalid ftok address: want ftok:PATH:PROJ
		ftok:/etc/passwd:0|invalid ftok project: want a character or 1 to 255
		ftok:/etc/passwd:256|invalid ftok project: want a character or 1 to 255
		ftok:/etc/passwd:ab|invalid ftok project: want a character or 1 to 255
	EOF
	assert_unchanged
}

@test "ftok: of a missing path fails (exit 1) and creates nothing" {
	before=$(state)
	for verb in "create OBJ 10" "read OBJ" "write OBJ x" "stat OBJ" "unlink OBJ"; do
		set -- $verb
		assert_fails 1 "shmctl: $1: ftok:$BATS_TEST_TMPDIR/nope:1: No such file or directory" \
			shmctl "$1" "ftok:$BATS_TEST_TMPDIR/nope:1" "${@:3}"
	done
	assert_unchanged
}

@test "usage errors: operands, options, verbs (exit 2)" {
	n=$(uniq_name)
	shmctl create "$n" 10
	before=$(state)
	while IFS='|' read -r args msg; do
		assert_fails 2 "$msg" shmctl $args
	done <<-EOF
		create $n|shmctl: create: missing operand (usage: shmctl create OBJ SIZE [-m MODE] [--exist-ok] [--ring])
		create $n 10 20|shmctl: create: 20: extra operand (usage: shmctl create OBJ SIZE [-m MODE] [--exist-ok] [--ring])
		send|shmctl: send: missing operand (usage: shmctl send OBJ [-s SIZE] [-m MODE] [-t TIMEOUT])
		recv $n $n|shmctl: recv: $n: extra operand (usage: shmctl recv OBJ [-s SIZE] [-m MODE] [-t TIMEOUT])
		recv $n -s|shmctl: recv: -s: option needs a value
		create $n 10 --bogus|shmctl: create: --bogus: unknown option
		create $n 10 -m|shmctl: create: -m: option needs a value
		read|shmctl: read: missing operand (usage: shmctl read OBJ [-o OFFSET] [-n LEN] [--hex | --string])
		read $n --hex --string|shmctl: read: --hex and --string exclude each other
		read $n -n|shmctl: read: -n: option needs a value
		read $n -o 1Q|shmctl: read: $n: offset '1Q' is invalid
		read $n -n -1|shmctl: read: $n: length '-1' is negative
		write $n -o 0x|shmctl: write: $n: offset '0x' is invalid
		write $n a b|shmctl: write: b: extra operand (usage: shmctl write OBJ [STRING] [-o OFFSET] [--grow])
		stat|shmctl: stat: missing operand (usage: shmctl stat OBJ [--json])
		stat $n -x|shmctl: stat: -x: unknown option
		resize $n|shmctl: resize: missing operand (usage: shmctl resize OBJ SIZE)
		chmod $n|shmctl: chmod: missing operand (usage: shmctl chmod OBJ MODE)
		unlink|shmctl: unlink: missing operand (usage: shmctl unlink OBJ... [-f])
		ls extra|shmctl: ls: extra: extra operand (usage: shmctl ls [--json] [--raw] [-n] [-b] [-o COLS])
		frob|shmctl: frob: unknown verb (try 'shmctl --help')
		--frob ls|shmctl: --frob: unknown option (try 'shmctl --help')
	EOF
	run --separate-stderr shmctl
	assert_failure 2
	assert_equal "$stderr" "shmctl: missing verb (try 'shmctl --help')"
	assert_unchanged
}

@test "--help for the applet and for each verb; --version" {
	run shmctl --help
	assert_success
	for v in "create OBJ SIZE" "write OBJ" "read OBJ" "stat OBJ" "resize OBJ SIZE" \
		"chmod OBJ MODE" "send OBJ" "recv OBJ" "unlink OBJ..." "ls "; do
		assert_line --partial "  $v"
	done
	run shmctl read --help
	assert_success
	assert_line "Usage: shmctl read OBJ [-o OFFSET] [-n LEN] [--hex | --string]"
	run shmctl rm --help
	assert_success
	assert_line "Alias: rm"
	run shmctl --version
	assert_success
	assert_output --regexp '^shmctl \(ipcbox\) [0-9]+\.[0-9]+\.[0-9]+$'
}

# ------------------------------------------------------ missing, forbidden

@test "a missing object: every verb fails with exit 1, POSIX, key: and id:" {
	n=$(uniq_name)
	k=$(uniq_key)
	before=$(state)
	for obj in "$n" "$k" id:2147483647; do
		for verb in "read OBJ" "write OBJ x" "stat OBJ" "resize OBJ 10" "chmod OBJ 0600" "unlink OBJ"; do
			set -- $verb
			[ "$1" = resize ] && [ "$obj" != "$n" ] && continue
			assert_fails 1 "shmctl: $1: $obj: No such file or directory" \
				shmctl "$1" "$obj" "${@:3}"
		done
	done
	assert_unchanged
}

@test "a write as nobody to a root object of mode 0644: Permission denied (exit 1), unchanged" {
	n=$(uniq_name)
	k=$(uniq_key)
	shmctl create "$n" 16 -m 0644
	shmctl write "$n" hello
	shmctl create "$k" 16 -m 0644 >/dev/null
	shmctl write "$k" hello
	before=$(state)
	for obj in "$n" "$k"; do
		run --separate-stderr as_nobody shmctl write "$obj" XX
		assert_failure 1
		assert_equal "$stderr" "shmctl: write: $obj: Permission denied"
		run --separate-stderr as_nobody shmctl write "$obj" < <(echo XX)
		assert_failure 1
		assert_equal "$stderr" "shmctl: write: $obj: Permission denied"
		run --separate-stderr as_nobody shmctl chmod "$obj" 0666
		assert_failure 1
		assert_equal "$stderr" "shmctl: chmod: $obj: Operation not permitted"
		# Reading is allowed.
		run as_nobody shmctl read "$obj" --string
		assert_success
		assert_output hello
	done
	run --separate-stderr as_nobody shmctl resize "$n" 100
	assert_failure 1
	assert_equal "$stderr" "shmctl: resize: $n: Permission denied"
	run --separate-stderr as_nobody shmctl unlink "$n"
	assert_failure 1
	assert_equal "$stderr" "shmctl: unlink: $n: Permission denied"
	run --separate-stderr as_nobody shmctl unlink "$k"
	assert_failure 1
	assert_equal "$stderr" "shmctl: unlink: $k: Operation not permitted"
	assert_unchanged
}

@test "a read as nobody of a root object of mode 0600: Permission denied (exit 1)" {
	n=$(uniq_name)
	k=$(uniq_key)
	shmctl create "$n" 16
	shmctl create "$k" 16 >/dev/null
	for obj in "$n" "$k"; do
		run --separate-stderr as_nobody shmctl read "$obj"
		assert_failure 1
		assert_equal "$stderr" "shmctl: read: $obj: Permission denied"
		assert_output ''
	done
}

# ------------------------------------------------------------------ write

@test "write STRING: the bytes land at offset 0 and at -o, as the /dev/shm file shows" {
	n=$(uniq_name)
	shmctl create "$n" 32
	run --separate-stderr shmctl write "$n" hello
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	run shmctl write "$n" world -o 0x10
	assert_success
	{ printf 'hello'; head -c 11 /dev/zero; printf 'world'; head -c 11 /dev/zero; } >"$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/want" "/dev/shm${n}"
}

@test "write from stdin: a pipe and a regular file, at -o" {
	n=$(uniq_name)
	shmctl create "$n" 4096
	pattern 1000 >"$BATS_TEST_TMPDIR/in"
	run shmctl write "$n" -o 100 <"$BATS_TEST_TMPDIR/in"
	assert_success
	pattern 3000 | tail -c 2000 | shmctl write "$n" -o 1100
	{
		head -c 100 /dev/zero
		cat "$BATS_TEST_TMPDIR/in"
		pattern 3000 | tail -c 2000
		head -c 996 /dev/zero
	} >"$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/want" "/dev/shm${n}"
}

@test "write: exactly to the end is fine; one byte past it is an error (exit 1), unchanged" {
	n=$(uniq_name)
	shmctl create "$n" 16
	run shmctl write "$n" 0123456789abcdef
	assert_success
	run shmctl write "$n" "" -o 16
	assert_success
	before=$(state)
	run --separate-stderr shmctl write "$n" hello -o 12
	assert_failure 1
	assert_equal "$stderr" "shmctl: write: $n: 5 bytes at offset 12 run past the end (16 bytes); --grow extends the object"
	run --separate-stderr shmctl write "$n" x -o 17
	assert_failure 1
	assert_equal "$stderr" "shmctl: write: $n: offset 17 is past the end (16 bytes)"
	printf '0123456789abcdefg' >"$BATS_TEST_TMPDIR/in"
	run --separate-stderr shmctl write "$n" <"$BATS_TEST_TMPDIR/in"
	assert_failure 1
	assert_equal "$stderr" "shmctl: write: $n: 17 bytes at offset 0 run past the end (16 bytes); --grow extends the object"
	run --separate-stderr shmctl write "$n" -o 17 <"$BATS_TEST_TMPDIR/in"
	assert_failure 1
	assert_equal "$stderr" "shmctl: write: $n: offset 17 is past the end (16 bytes)"
	assert_unchanged
}

@test "write: a pipe that runs past the end is an error (exit 1), and the object keeps its size" {
	n=$(uniq_name)
	shmctl create "$n" 16
	run --separate-stderr bash -c "printf '0123456789abcdefXYZ' | shmctl write $n"
	assert_failure 1
	assert_equal "$stderr" "shmctl: write: $n: input runs past the end (16 bytes); --grow extends the object"
	assert_equal "$(stat -c %s "/dev/shm${n}")" 16
}

@test "write --grow extends a POSIX object, from STRING and from stdin" {
	n=$(uniq_name)
	shmctl create "$n" 4
	run shmctl write "$n" hello --grow
	assert_success
	assert_equal "$(stat -c %s "/dev/shm${n}")" 5
	run shmctl write "$n" world -o 10 --grow
	assert_success
	assert_equal "$(stat -c %s "/dev/shm${n}")" 15
	printf 'tail' | shmctl write "$n" -o 15 --grow
	printf 'hello\0\0\0\0\0worldtail' | cmp - "/dev/shm${n}"
	run shmctl read "$n" -o 10 --string
	assert_output worldtail
}

@test "write --grow on a System V segment is a clear usage error (exit 2), unchanged" {
	k=$(uniq_key)
	shmctl create "$k" 16 >/dev/null
	before=$(state)
	run --separate-stderr shmctl write "$k" hello --grow
	assert_failure 2
	assert_equal "$stderr" "shmctl: write: $k: --grow: System V segments cannot grow"
	assert_unchanged
}

@test "write and read a System V segment: STRING, stdin, -o, -n, past the end" {
	k=$(uniq_key)
	id=$(shmctl create "$k" 64)
	shmctl write "$k" hello
	printf 'world' | shmctl write "id:$id" -o 8
	pattern 40 >"$BATS_TEST_TMPDIR/in"
	shmctl write "$k" -o 24 <"$BATS_TEST_TMPDIR/in"
	{ printf 'hello\0\0\0world'; head -c 11 /dev/zero; cat "$BATS_TEST_TMPDIR/in"; } >"$BATS_TEST_TMPDIR/want"
	shmctl read "$k" | cmp - "$BATS_TEST_TMPDIR/want"
	run shmctl read "id:$id" -o 8 -n 5
	assert_output world
	run shmctl read "$k" --string
	assert_output hello
	before=$(state)
	run --separate-stderr shmctl write "$k" hello -o 60
	assert_failure 1
	assert_equal "$stderr" "shmctl: write: $k: 5 bytes at offset 60 run past the end (64 bytes)"
	run --separate-stderr shmctl write "$k" -o 30 <"$BATS_TEST_TMPDIR/in"
	assert_failure 1
	assert_equal "$stderr" "shmctl: write: $k: 40 bytes at offset 30 run past the end (64 bytes)"
	run --separate-stderr shmctl read "$k" -o 65
	assert_failure 1
	assert_equal "$stderr" "shmctl: read: $k: offset 65 is past the end (64 bytes)"
	assert_unchanged
	run --separate-stderr bash -c "head -c 70 /dev/zero | shmctl write $k"
	assert_failure 1
	assert_equal "$stderr" "shmctl: write: $k: input runs past the end (64 bytes)"
}

# ------------------------------------------------------------------- read

@test "read: raw bytes, -o, -n; a length past the end stops at the end" {
	n=$(uniq_name)
	shmctl create "$n" 1000
	pattern 1000 | shmctl write "$n"
	shmctl read "$n" | cmp - "/dev/shm${n}"
	shmctl read "$n" -o 100 | cmp - <(tail -c 900 "/dev/shm${n}")
	shmctl read "$n" -o 100 -n 50 | cmp - <(tail -c 900 "/dev/shm${n}" | head -c 50)
	shmctl read "$n" -o 990 -n 1M | cmp - <(tail -c 10 "/dev/shm${n}")
	run shmctl read "$n" -o 1000
	assert_success
	assert_output ''
	run shmctl read "$n" -n 0
	assert_success
	assert_output ''
}

@test "read: an offset past the end is an error (exit 1), POSIX and System V" {
	n=$(uniq_name)
	shmctl create "$n" 100
	run --separate-stderr shmctl read "$n" -o 101
	assert_failure 1
	assert_equal "$stderr" "shmctl: read: $n: offset 101 is past the end (100 bytes)"
	assert_output ''
	run --separate-stderr shmctl read "$n" -o 1G --hex
	assert_failure 1
	assert_equal "$stderr" "shmctl: read: $n: offset 1073741824 is past the end (100 bytes)"
}

@test "read --hex is byte for byte hexdump -C -s OFF -n LEN of the /dev/shm file" {
	n=$(uniq_name)
	shmctl create "$n" 1000
	{ printf 'hello\0world'; head -c 200 /dev/zero; pattern 300; } | shmctl write "$n" -o 3
	run shmctl read "$n" --hex
	assert_success
	assert_equal "$output" "$(hexdump -C "/dev/shm${n}")"
	# OFF:LEN, or OFF: for no -n (to the end).
	for r in 0:1000 5:100 3:12 0:0 1000:0 17:33 0:16 16:16 0:64 100:250 \
		990:50 1:1 250:700 1000:5 1000: 999: 0: 17:; do
		off=${r%:*} len=${r#*:}
		try shmctl read "$n" --hex -o "$off" ${len:+-n "$len"}
		assert_equal "$status" 0
		assert_equal "$output" "$(hexdump -C -s "$off" ${len:+-n "$len"} "/dev/shm${n}")"
	done
}

@test "read --hex of a System V segment matches hexdump -C of the same bytes" {
	k=$(uniq_key)
	shmctl create "$k" 300 >/dev/null
	{ pattern 100; head -c 100 /dev/zero; pattern 100; } >"$BATS_TEST_TMPDIR/want"
	shmctl write "$k" <"$BATS_TEST_TMPDIR/want"
	for r in 0:300 7:200 100:100 299:10; do
		off=${r%:*} len=${r#*:}
		try shmctl read "$k" --hex -o "$off" -n "$len"
		assert_equal "$status" 0
		assert_equal "$output" "$(hexdump -C -s "$off" -n "$len" "$BATS_TEST_TMPDIR/want")"
	done
}

@test "read --string stops at the first NUL (or the end, or -n)" {
	n=$(uniq_name)
	shmctl create "$n" 16
	printf 'hello\0world!' | shmctl write "$n"
	run shmctl read "$n" --string
	assert_output hello
	run shmctl read "$n" --string -o 6
	assert_output 'world!'
	run shmctl read "$n" --string -o 6 -n 3
	assert_output wor
	run shmctl read "$n" --string -o 5
	assert_success
	assert_output ''
	m=$(uniq_name)
	shmctl create "$m" 4
	shmctl write "$m" abcd
	run shmctl read "$m" --string
	assert_output abcd
}

@test "read to a full stdout (/dev/full) fails with exit 1 naming stdout" {
	n=$(uniq_name)
	k=$(uniq_key)
	shmctl create "$n" 64
	shmctl write "$n" data
	shmctl create "$k" 64 >/dev/null
	shmctl write "$k" data
	for obj in "$n" "$k"; do
		for how in "" --hex --string; do
			try bash -c "shmctl read $obj $how >/dev/full"
			assert_equal "$status: $stderr" "1: shmctl: read: stdout: No space left on device"
		done
	done
}

# ---------------------------------------------------------------- --trace

@test "--trace: create, write, read, unlink of a POSIX object print each call" {
	n=$(uniq_name)
	run --separate-stderr shmctl --trace create "$n" 4096 -m 0640 3>&-
	assert_success
	assert_equal "$(sed -n 1p <<<"$stderr")" "shm_open(\"$n\", O_RDWR|O_CREAT|O_EXCL, 0640) = 3"
	assert_equal "$(sed -n 2p <<<"$stderr")" "fchmod(3, 0640) = 0"
	assert_regex "$(sed -n 3p <<<"$stderr")" '^fstatvfs\(3, \{f_frsize=[0-9]+, f_blocks=[0-9]+, \.\.\.\}\) = 0$'
	assert_equal "$(sed -n '4,$p' <<<"$stderr")" "ftruncate(3, 4096) = 0
close(3) = 0"
	run --separate-stderr shmctl --trace write "$n" hello -o 2 3>&-
	assert_success
	assert_equal "$stderr" "shm_open(\"$n\", O_RDWR|O_NONBLOCK, 0000) = 3
fstat(3, {st_mode=0640, st_size=4096, ...}) = 0
pwrite(3, \"hello\", 5, 2) = 5
close(3) = 0"
	run --separate-stderr shmctl --trace read "$n" -o 2 -n 5 3>&-
	assert_success
	assert_output hello
	assert_equal "$(sed -n '1,2p;$p' <<<"$stderr")" "shm_open(\"$n\", O_RDONLY|O_NONBLOCK, 0000) = 3
fstat(3, {st_mode=0640, st_size=4096, ...}) = 0
close(3) = 0"
	# The copy: sendfile, or pread where the kernel refuses it.
	assert_regex "$(sed -n 3p <<<"$stderr")" '^(sendfile\(1, 3, \[2\], 5\)|pread\(3, "hello", 5, 2\)) = 5$'
	run --separate-stderr shmctl --trace unlink "$n" 3>&-
	assert_success
	assert_equal "$stderr" "shm_unlink(\"$n\") = 0"
}

@test "--trace: a failed call prints -1 and the errno, then the message" {
	n=$(uniq_name)
	run --separate-stderr shmctl --trace read "$n" 3>&-
	assert_failure 1
	assert_equal "$stderr" "shm_open(\"$n\", O_RDONLY|O_NONBLOCK, 0000) = -1 ENOENT (No such file or directory)
shmctl: read: $n: No such file or directory"
	run --separate-stderr shmctl --trace unlink "$n" 3>&-
	assert_failure 1
	assert_equal "$stderr" "shm_unlink(\"$n\") = -1 ENOENT (No such file or directory)
shmctl: unlink: $n: No such file or directory"
	shmctl create "$n" 1
	run --separate-stderr shmctl --trace create "$n" 1 3>&-
	assert_failure 1
	assert_equal "$stderr" "shm_open(\"$n\", O_RDWR|O_CREAT|O_EXCL, 0600) = -1 EEXIST (File exists)
shmctl: create: $n: File exists"
}

@test "--trace: create, write, read, unlink of a System V segment" {
	k=$(uniq_key)
	hex=$(printf '0x%x' "${k#key:}")
	run --separate-stderr shmctl --trace create "$k" 4096
	assert_success
	id=$output
	assert_equal "$stderr" "shmget($hex, 4096, IPC_CREAT|IPC_EXCL|0600) = $id"
	run --separate-stderr shmctl --trace write "$k" hi
	assert_success
	assert_regex "$stderr" "^shmget\\($hex, 0, 0000\\) = $id
shmctl\\($id, IPC_STAT, \\{shm_segsz=4096, shm_nattch=0, \\.\\.\\.\\}\\) = 0
shmat\\($id, NULL, 0\\) = (0x[0-9a-f]+)
memcpy\\(0x[0-9a-f]+ \\+ 0, \"hi\", 2\\)
shmdt\\(0x[0-9a-f]+\\) = 0$"
	run --separate-stderr shmctl --trace read "id:$id" -n 2
	assert_success
	assert_output hi
	assert_regex "$stderr" "^shmctl\\($id, IPC_STAT, \\{shm_segsz=4096, shm_nattch=0, \\.\\.\\.\\}\\) = 0
shmat\\($id, NULL, SHM_RDONLY\\) = 0x[0-9a-f]+
write\\(1, \"hi\", 2\\) = 2
shmdt\\(0x[0-9a-f]+\\) = 0$"
	run --separate-stderr shmctl --trace unlink "$k"
	assert_success
	assert_equal "$stderr" "shmget($hex, 0, 0000) = $id
shmctl($id, IPC_RMID, NULL) = 0"
	run --separate-stderr shmctl --trace unlink "$k"
	assert_failure 1
	assert_equal "$stderr" "shmget($hex, 0, 0000) = -1 ENOENT (No such file or directory)
shmctl: unlink: $k: No such file or directory"
}

@test "IPCBOX_TRACE=1 traces like --trace; IPCBOX_TRACE=0 and unset do not" {
	n=$(uniq_name)
	IPCBOX_TRACE=1 run --separate-stderr shmctl create "$n" 10 3>&-
	assert_success
	assert_equal "$(sed -n 1p <<<"$stderr")" "shm_open(\"$n\", O_RDWR|O_CREAT|O_EXCL, 0600) = 3"
	IPCBOX_TRACE=1 run --separate-stderr shmctl unlink "$n" 3>&-
	assert_equal "$stderr" "shm_unlink(\"$n\") = 0"
	IPCBOX_TRACE=0 run --separate-stderr shmctl create "$n" 10
	assert_success
	assert_equal "$stderr" ''
	run --separate-stderr shmctl unlink "$n"
	assert_equal "$stderr" ''
}

# ------------------------------------------------------------------- stat

@test "stat of a POSIX object: key: value lines" {
	n=$(uniq_name)
	shmctl create "$n" 4096 -m 0640
	run --separate-stderr shmctl stat "$n"
	assert_success
	assert_equal "$stderr" ''
	t=$(date -d "@$(stat -c %Y "/dev/shm${n}")" +%Y-%m-%dT%H:%M:%S%z)
	assert_equal "$output" "type: posix-shm
name: $n
size: 4096 (4.0K)
perms: rw-r-----
mode: 0640
owner: $(id -un)
group: $(id -gn)
atime: $(date -d "@$(stat -c %X "/dev/shm${n}")" +%Y-%m-%dT%H:%M:%S%z)
mtime: $t
ctime: $(date -d "@$(stat -c %Z "/dev/shm${n}")" +%Y-%m-%dT%H:%M:%S%z)
holders: -"
}

@test "stat --json parses, with numbers, and an empty holders array" {
	n=$(uniq_name)
	shmctl create "$n" 1M
	run --separate-stderr shmctl stat "$n" --json
	assert_success
	run "$PY" -c '
import json, sys
o = json.loads(sys.argv[1])["shm"][0]
print(o["type"], o["name"], o["size"], o["perms"], o["mode"], o["holders"])' "$output"
	assert_success
	assert_output "posix-shm $n 1048576 rw------- 0600 []"
}

@test "stat names the pid holding a descriptor, and the one mapping the object" {
	n=$(uniq_name)
	shmctl create "$n" 4096
	hold bash -c "exec 7</dev/shm${n}; exec sleep $((30 * TIME_FACTOR))"
	pid=$(tail -n 1 "$BATS_TEST_TMPDIR/holders")
	wait_holders "$n"
	run shmctl stat "$n"
	assert_line "holders: $pid"
	run shmctl stat "$n" --json
	assert_equal "$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1])["shm"][0]["holders"])' "$output")" "[$pid]"
	mpid=$(start_holder mmap "$n")
	run shmctl stat "$n"
	want=$(printf '%s\n' "$pid" "$mpid" | sort -n | paste -sd,)
	assert_line "holders: $want"
	run shmctl stat "$n" --json
	assert_equal "$("$PY" -c 'import json,sys; print(",".join(map(str, json.loads(sys.argv[1])["shm"][0]["holders"])))' "$output")" "$want"
}

@test "stat of a System V segment: key, id, nattch, cpid, lpid, holders; stat itself attaches nothing" {
	k=$(uniq_key)
	id=$(shmctl create "$k" 100 -m 0604)
	run shmctl stat "$k"
	assert_success
	assert_equal "$(sed -n '1,13p;$p' <<<"$output")" "type: sysv-shm
key: $(printf '0x%08x' "${k#key:}")
id: $id
size: 100 (100B)
perms: rw----r--
mode: 0604
owner: $(id -un)
group: $(id -gn)
cuid: $(id -u)
cgid: $(id -g)
nattch: 0
cpid: $(awk -v id="$id" '$2 == id { print $5 }' /proc/sysvipc/shm)
lpid: 0
holders: -"
	assert_line 'atime: -'
	assert_line 'mtime: -'
	pid=$(start_holder shmat "$id")
	run shmctl stat "id:$id"
	assert_line 'nattch: 1'
	assert_line "lpid: $pid"
	assert_line "holders: $pid"
	run shmctl stat "$k" --json
	run "$PY" -c '
import json, sys
o = json.loads(sys.argv[1])["shm"][0]
print(o["key"], o["id"], o["size"], o["nattch"], o["lpid"], o["holders"], o["mtime"])' "$output"
	assert_output "$(printf '0x%08x' "${k#key:}") $id 100 1 $pid [$pid] None"
}

# --------------------------------------------------------------------- ls

@test "ls: default columns TYPE NAME ID SIZE PERMS OWNER NATTCH MTIME, POSIX then System V" {
	n=$(uniq_name)
	k=$(uniq_key)
	shmctl create "$n" 4K -m 0640
	id=$(shmctl create "$k" 100)
	touch "/dev/shm/sem.ipcbox-t$$-x"
	run --separate-stderr shmctl ls
	assert_success
	assert_equal "$stderr" ''
	assert_line --index 0 --regexp '^TYPE +NAME +ID +SIZE +PERMS +OWNER +NATTCH +MTIME$'
	assert_line --regexp "^posix-shm +$n +- +4.0K +rw-r----- +$(id -un) +- +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[-+][0-9]{4}$"
	assert_line --regexp "^sysv-shm +$(printf 'key:0x%08x' "${k#key:}") +$id +100B +rw------- +$(id -un) +0 +-$"
	refute_output --partial "sem.ipcbox-t$$-x"
	# POSIX objects come before System V segments.
	posix=$(grep -n '^posix-shm' <<<"$output" | tail -n 1 | cut -d: -f1)
	sysv=$(grep -n '^sysv-shm' <<<"$output" | head -n 1 | cut -d: -f1)
	[ "$posix" -lt "$sysv" ]
}

@test "ls --json parses and holds the same rows, numbers for ID/SIZE/NATTCH, null where none applies" {
	n=$(uniq_name)
	k=$(uniq_key)
	shmctl create "$n" 4K
	id=$(shmctl create "$k" 100)
	touch "/dev/shm/sem.ipcbox-t$$-x"
	run --separate-stderr shmctl ls --json -o +KEY,HOLDERS,CPID
	assert_success
	run "$PY" -c '
import json, sys
for o in json.loads(sys.argv[1])["shm"]:
    print(o["type"], o["name"], json.dumps(o["id"]), o["size"], o["perms"],
          json.dumps(o["nattch"]), json.dumps(o["key"]), o["holders"],
          "cpid=int" if isinstance(o["cpid"], int) else json.dumps(o["cpid"]),
          "mtime=str" if isinstance(o["mtime"], str) else json.dumps(o["mtime"]))' "$output"
	assert_success
	assert_line "posix-shm $n null 4096 rw------- null null [] null mtime=str"
	assert_line "sysv-shm $(printf 'key:0x%08x' "${k#key:}") $id 100 rw------- 0 \"$(printf '0x%08x' "${k#key:}")\" [] cpid=int null"
	refute_output --partial sem.
	# The same rows as the table.
	assert_equal "$(shmctl ls --json | "$PY" -c 'import json,sys; [print(o["name"]) for o in json.load(sys.stdin)["shm"]]')" \
		"$(shmctl ls -n -o NAME | sed 's/ *$//')"
}

@test "ls --raw, -n, -b, -o COLS, -o +COL" {
	n=$(uniq_name)
	shmctl create "$n" 4K -m 0640
	run shmctl ls --raw
	assert_success
	assert_line --index 0 'TYPE NAME ID SIZE PERMS OWNER NATTCH MTIME'
	assert_line --regexp "^posix-shm $n - 4.0K rw-r----- $(id -un) - [0-9T:+-]+$"
	run shmctl ls -n --raw
	refute_line --partial TYPE
	assert_line --regexp "^posix-shm $n "
	run shmctl ls -o NAME,SIZE,MODE --raw -b
	assert_line --index 0 'NAME SIZE MODE'
	assert_line "$n 4096 0640"
	run shmctl ls -o +MODE,GROUP --raw
	assert_line --index 0 'TYPE NAME ID SIZE PERMS OWNER NATTCH MTIME MODE GROUP'
	assert_line --regexp "^posix-shm $n .* 0640 $(id -gn)$"
	run shmctl ls -o name,size -n
	assert_line --regexp "^$n +4.0K$"
}

@test "ls -o with an unknown column is exit 2 and lists the valid ones" {
	run --separate-stderr shmctl ls -o NAME,BOGUS
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "shmctl: ls: BOGUS: unknown column (valid: TYPE,NAME,KEY,ID,SIZE,PERMS,MODE,OWNER,GROUP,CUID,CGID,NATTCH,CPID,LPID,ATIME,MTIME,CTIME,HOLDERS)"
	run --separate-stderr shmctl ls -o ,
	assert_failure 2
	assert_equal "$stderr" "shmctl: ls: no columns selected"
}

# --------------------------------------------------------- util-linux interop

@test "interop: a segment made by ipcmk -M is read and written by id: and key:" {
	run ipcmk -M 1000 -p 0640
	assert_success
	id=$(awk '{ print $NF }' <<<"$output")
	track_id "$id"
	key=$(ipcs -m | awk -v id="$id" '$2 == id { print $1 }')
	assert_regex "$key" '^0x[0-9a-f]{8}$'

	run shmctl write "id:$id" from-id
	assert_success
	run shmctl write "key:$key" from-key -o 500
	assert_success
	run shmctl read "key:$key" -n 7
	assert_output from-id
	run shmctl read "id:$id" -o 500 --string
	assert_output from-key
	run shmctl stat "id:$id"
	assert_line "key: $key"
	assert_line 'size: 1000 (1.0K)'
	assert_line 'mode: 0640'
	run shmctl unlink "key:$key"
	assert_success
	assert_equal "$(sysv_id "$key")" ''
}

@test "interop: a segment made by shmctl shows in ipcs -m with its key, size and mode; ipcrm removes it" {
	k=$(uniq_key)
	id=$(shmctl create "$k" 12345 -m 0620)
	run ipcs -m
	assert_line --regexp "^$(printf '0x%08x' "${k#key:}") +$id +$(id -un) +620 +12345 +0 *$"
	run ipcs -m -i "$id"
	assert_line --regexp '^mode=0620'
	run ipcrm -m "$id"
	assert_success
	run --separate-stderr shmctl stat "$k"
	assert_failure 1
	assert_equal "$stderr" "shmctl: stat: $k: No such file or directory"
	run ipcs -m
	refute_line --partial "$(printf '0x%08x' "${k#key:}")"
}

# --------------------------------------------------------------- 256 MiB

@test "a 256 MiB write and read, from a file and from a pipe, compared with cmp" {
	n=$(uniq_name)
	f="$BATS_TEST_TMPDIR/random"
	head -c 256M /dev/urandom >"$f"
	shmctl create "$n" 256M
	run shmctl write "$n" <"$f"
	assert_success
	cmp "$f" "/dev/shm${n}"
	shmctl read "$n" | cmp - "$f"
	shmctl write "$n" hello
	cat "$f" | shmctl write "$n"
	cmp "$f" "/dev/shm${n}"
	rm -f "$f"
}

# --------------------------------------------------------- resize, chmod

@test "resize grows and shrinks a POSIX object" {
	n=$(uniq_name)
	shmctl create "$n" 4096
	shmctl write "$n" hello
	run shmctl resize "$n" 1M
	assert_success
	assert_output ''
	run shmctl stat "$n"
	assert_line 'size: 1048576 (1.0M)'
	assert_equal "$(stat -c %s "/dev/shm${n}")" 1048576
	run shmctl resize "$n" 3
	assert_success
	run shmctl stat "$n"
	assert_line 'size: 3 (3B)'
	run shmctl read "$n"
	assert_output hel
	run shmctl resize "$n" 0
	assert_success
	assert_equal "$(stat -c %s "/dev/shm${n}")" 0
}

@test "resize: over the capacity of /dev/shm (exit 1) and of a System V segment (exit 2) change nothing" {
	n=$(uniq_name)
	k=$(uniq_key)
	shmctl create "$n" 10
	shmctl create "$k" 10 >/dev/null
	before=$(state)
	run --separate-stderr shmctl resize "$n" 100T
	assert_failure 1
	assert_regex "$stderr" "^shmctl: resize: $n: size exceeds the capacity of /dev/shm \([0-9.]+[KMGTP]\)$"
	run --separate-stderr shmctl resize "$k" 100
	assert_failure 2
	assert_equal "$stderr" "shmctl: resize: $k: System V segments cannot be resized"
	assert_unchanged
}

@test "chmod: octal and symbolic, POSIX and System V" {
	n=$(uniq_name)
	k=$(uniq_key)
	shmctl create "$n" 10
	id=$(shmctl create "$k" 10)
	for obj in "$n" "$k"; do
		run shmctl chmod "$obj" 0640
		assert_success
		run shmctl stat "$obj"
		assert_line 'mode: 0640'
		run shmctl chmod "$obj" g+w,o+r
		assert_success
		run shmctl stat "$obj"
		assert_line 'mode: 0664'
		assert_line 'perms: rw-rw-r--'
		run shmctl chmod "$obj" go=
		assert_success
		run shmctl stat "$obj"
		assert_line 'mode: 0600'
		run shmctl chmod "$obj" g+r
		assert_success
	done
	assert_equal "$(stat -c %a "/dev/shm${n}")" 640
	assert_equal "$(awk -v id="$id" '$2 == id { print $3 }' /proc/sysvipc/shm)" 640
	run ipcs -m
	assert_line --regexp "^$(printf '0x%08x' "${k#key:}") +$id +$(id -un) +640 +10 "
}

# ----------------------------------------------------------------- unlink

@test "unlink several at once, POSIX and System V; rm is the same verb" {
	n=$(uniq_name)
	m=$(uniq_name)
	k=$(uniq_key)
	shmctl create "$n" 1
	shmctl create "$m" 1
	id=$(shmctl create "$k" 1)
	run --separate-stderr shmctl unlink "$n" "$k"
	assert_success
	assert_equal "$stderr" ''
	assert_file_not_exists "/dev/shm${n}"
	assert_equal "$(sysv_id "${k#key:}")" ''
	id=$(shmctl create "$k" 1)
	run shmctl rm "$m" "id:$id"
	assert_success
	assert_file_not_exists "/dev/shm${m}"
	assert_equal "$(sysv_id "${k#key:}")" ''
}

@test "unlink -f ignores missing objects; without -f a missing one is exit 1 and the others go" {
	n=$(uniq_name)
	m=$(uniq_name)
	missing=$(uniq_name)
	k=$(uniq_key)
	shmctl create "$n" 1
	shmctl create "$m" 1
	shmctl create "$k" 1 >/dev/null
	run --separate-stderr shmctl unlink -f "$missing" "$n" "$(other_key "$k")" id:2147483647
	assert_success
	assert_equal "$stderr" ''
	assert_file_not_exists "/dev/shm${n}"
	run --separate-stderr shmctl unlink "$m" "$missing" "$k"
	assert_failure 1
	assert_equal "$stderr" "shmctl: unlink: $missing: No such file or directory"
	assert_file_not_exists "/dev/shm${m}"
	assert_equal "$(sysv_id "${k#key:}")" ''
}

@test "unlink: a bad name among several removes none (exit 2)" {
	n=$(uniq_name)
	m=$(uniq_name)
	k=$(uniq_key)
	shmctl create "$n" 1
	shmctl create "$m" 1
	shmctl create "$k" 1 >/dev/null
	before=$(state)
	for bad in bad/name key:junk .. "" key:0; do
		try shmctl unlink -f "$n" "$k" "$bad" "$m"
		assert_equal "$status" 2
		assert_regex "$stderr" "^shmctl: unlink: $bad: (invalid|key 0 is IPC_PRIVATE)"
	done
	assert_unchanged
}

# ------------------------------------------------- chmod and stat by owner

@test "the owner may chmod and stat an object whatever its mode, as with chmod(1) and stat(1); others stay refused" {
	n=$(uniq_name)
	k=$(uniq_key)
	for obj in "$n" "$k"; do
		run as_nobody shmctl create "$obj" 16
		assert_success
		assert_fails 0 '' as_nobody shmctl chmod "$obj" 000
		run --separate-stderr as_nobody shmctl stat "$obj"
		assert_success
		assert_line 'mode: 0000'
		assert_line 'owner: nobody'
		assert_fails 1 "shmctl: read: $obj: Permission denied" \
			as_nobody shmctl read "$obj"
		# A symbolic mode applies to the mode it has.
		assert_fails 0 '' as_nobody shmctl chmod "$obj" u+r
		run as_nobody shmctl stat "$obj"
		assert_line 'mode: 0400'
		assert_fails 0 '' as_nobody shmctl chmod "$obj" 0600
		run --separate-stderr as_nobody shmctl stat "$obj"
		assert_success
		assert_line 'perms: rw-------'
		assert_fails 0 '' as_nobody shmctl write "$obj" hi
		run as_nobody shmctl read "$obj" --string
		assert_output hi
		assert_fails 0 '' as_nobody shmctl unlink "$obj"
	done
	assert_file_not_exists "/dev/shm${n}"
	assert_equal "$(sysv_id "${k#key:}")" ''
	# Root's objects: nobody may stat them (as stat(1) and ipcs(1) may),
	# not change their mode nor read them.
	shmctl create "$n" 16
	shmctl create "$k" 16 >/dev/null
	before=$(state)
	for obj in "$n" "$k"; do
		assert_fails 1 "shmctl: chmod: $obj: Operation not permitted" \
			as_nobody shmctl chmod "$obj" 0666
		assert_fails 1 "shmctl: read: $obj: Permission denied" \
			as_nobody shmctl read "$obj"
		run --separate-stderr as_nobody shmctl stat "$obj"
		assert_success
		assert_line 'mode: 0600'
		assert_line "owner: $(id -un)"
	done
	assert_unchanged
	shmctl unlink "$n" "$k"
}

# ------------------------------------------- closed standard descriptors

@test "closed stderr: a failed write's message does not go into the object (exit 1, unchanged)" {
	n=$(uniq_name)
	shmctl create "$n" 64
	before=$(state)
	run bash -c 'exec shmctl write "$0" "$1" 2>&-' "$n" "$(printf 'x%.0s' {1..100})"
	assert_failure 1
	assert_output ''
	assert_unchanged
	cmp <(head -c 64 /dev/zero) "/dev/shm$n"
}

@test "closed stderr: --trace does not go into the object" {
	n=$(uniq_name)
	shmctl create "$n" 64
	run bash -c 'exec shmctl --trace resize "$0" 128 2>&-' "$n"
	assert_success
	assert_output ''
	cmp <(head -c 128 /dev/zero) "/dev/shm$n"
}

@test "closed stdin: write --grow fails naming stdin (exit 1), the object unchanged" {
	n=$(uniq_name)
	shmctl create "$n" 64
	shmctl write "$n" hello
	before=$(state)
	# exec: closed in the command itself (a closed stdin around $(...)
	# would let bash's own pipe take fd 0)
	try bash -c 'exec shmctl write "$0" -o 4 --grow <&-' "$n"
	assert_equal "$status: $stderr" "1: shmctl: write: stdin: Bad file descriptor"
	assert_unchanged
}

@test "closed stdin and stderr: a sample of verbs leaves every object as it does with them open" {
	n=$(uniq_name)
	k=$(uniq_key)
	shmctl create "$n" 64
	shmctl write "$n" hello
	shmctl create "$k" 4K >/dev/null
	closed_stdio state shmctl read "$n"
	closed_stdio state shmctl read "$n" --hex
	closed_stdio state shmctl read "$k"
	closed_stdio state shmctl stat "$n"
	closed_stdio state shmctl stat "$k" --json
	closed_stdio state shmctl ls
	closed_stdio state shmctl create "$n" 64
	closed_stdio state shmctl create "$n" 64 --exist-ok
	closed_stdio state shmctl write "$n" "$(printf 'x%.0s' {1..100})"
	closed_stdio state shmctl write "$k" again -o 5000
	closed_stdio state shmctl resize "$n" 1P
	closed_stdio state shmctl chmod "$n" 0600
	closed_stdio state shmctl chmod "$k" u=rw
	closed_stdio state shmctl read /ipcbox-missing
	closed_stdio state shmctl unlink /ipcbox-missing
}

# ------------------------------------------------------ names, escaped

@test "a name with a newline or an escape is shown escaped in a message: one line" {
	try shmctl read $'a\nb/'
	assert_equal "$status: $stderr" "2: shmctl: read: a\\nb/: invalid name: a '/' after the first"
	try shmctl read $'/esc\e[31m'
	assert_equal "$status: $stderr" "1: shmctl: read: /esc\\033[31m: No such file or directory"
	try shmctl read $'/b\\s\xff'
	assert_equal "$status: $stderr" "1: shmctl: read: /b\\\\s\\377: No such file or directory"
}

@test "stat shows the name escaped as messages do; --json keeps it whole" {
	n=$(uniq_name)$'\n\t-x'
	shmctl create "$n" 8
	run --separate-stderr shmctl stat "$n"
	assert_success
	assert_line --index 1 "name: ${n%%$'\n'*}\\n\\t-x"
	assert_equal "$(shmctl stat "$n" --json | jq -r '.shm[0].name')" "$n"
	shmctl unlink "$n"
}

# ------------------------------------------- names that are not objects

@test "a name beginning with sem. is a usage error pointing to semctl (exit 2), for every verb; nothing made" {
	before=$(state)
	msg='invalid name: sem.NAME is the file of the POSIX semaphore /NAME (use semctl)'
	assert_fails 2 "shmctl: create: sem.foo: $msg" shmctl create sem.foo 4K
	assert_fails 2 "shmctl: write: sem.bar: $msg" shmctl write sem.bar garbage
	assert_fails 2 "shmctl: read: /sem.bar: $msg" shmctl read /sem.bar
	assert_fails 2 "shmctl: stat: /sem.bar: $msg" shmctl stat /sem.bar
	assert_fails 2 "shmctl: chmod: /sem.bar: $msg" shmctl chmod /sem.bar 0644
	assert_fails 2 "shmctl: resize: /sem.bar: $msg" shmctl resize /sem.bar 64
	assert_fails 2 "shmctl: unlink: /sem.bar: $msg" shmctl unlink /sem.bar
	assert_unchanged
}

@test "a name beginning with a dot is created and listed by ls" {
	n=/.ipcbox-t$$-$BATS_TEST_NUMBER-hidden
	shmctl create "$n" 4K
	run shmctl ls -o NAME -n
	assert_line "$n"
	shmctl unlink "$n"
}

@test "a FIFO, a directory or a socket in /dev/shm is not an object: exit 1 at once, for every verb" {
	n=$(uniq_name)
	mkfifo "/dev/shm${n}f"
	mkdir "/dev/shm${n}d"
	"$PY" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "/dev/shm${n}s"
	before=$(state)
	for v in "read" "write x" "stat" "chmod 0644" "resize 64" "create 64 --exist-ok"; do
		# shellcheck disable=SC2086 # the verb and its arguments
		set -- $v
		try timeout $((5 * TIME_FACTOR)) shmctl "$1" "${n}f" "${@:2}"
		assert_equal "$status: $stderr" "1: shmctl: $1: ${n}f: not a shared memory object: a FIFO"
		try timeout $((5 * TIME_FACTOR)) shmctl "$1" "${n}d" "${@:2}"
		assert_equal "$status: $stderr" "1: shmctl: $1: ${n}d: not a shared memory object: a directory"
		try timeout $((5 * TIME_FACTOR)) shmctl "$1" "${n}s" "${@:2}"
		assert_equal "$status: $stderr" "1: shmctl: $1: ${n}s: not a shared memory object: a socket"
	done
	assert_unchanged
	rm -rf "/dev/shm${n}f" "/dev/shm${n}d" "/dev/shm${n}s"
}

@test "a symbolic link is reported as one, not followed (exit 1)" {
	n=$(uniq_name)
	m=$(uniq_name)
	shmctl create "$m" 8
	ln -s "/dev/shm$m" "/dev/shm$n"
	before=$(state)
	for v in read stat "write x" "chmod 0644"; do
		# shellcheck disable=SC2086
		set -- $v
		try shmctl "$1" "$n" "${@:2}"
		assert_equal "$status: $stderr" "1: shmctl: $1: $n: is a symbolic link, not followed"
	done
	assert_unchanged
	rm -f "/dev/shm$n"
}

# ------------------------------------------------- partial work is failure

@test "read: an object truncated by another process during the read is exit 1, 'object shrank'" {
	n=$(uniq_name)
	shmctl create "$n" 64M
	got=$(
		set -o pipefail
		{ shmctl read "$n" 2>"$BATS_TEST_TMPDIR/err"; echo $? >"$BATS_TEST_TMPDIR/rc"; } |
			{ head -c 1 >/dev/null; truncate -s 1000 "/dev/shm$n"; cat; } | wc -c
	)
	got=$((got + 1))
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rc")" 1
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" "shmctl: read: $n: object shrank during read: $got of 67108864 bytes"
	[ "$got" -lt 67108864 ]
}

@test "read -n, --hex and --string: an object truncated during the read is exit 1" {
	n=$(uniq_name)
	shmctl create "$n" 0
	# Bytes that neither --hex squeezes nor --string stops at.
	for opt in "-n 64M" --hex --string; do
		: >"/dev/shm$n"
		if [ "$opt" = --string ]; then
			head -c 64M /dev/zero | tr '\0' a | shmctl write "$n" --grow
		else
			pattern $((64 << 20)) | shmctl write "$n" --grow
		fi
		# shellcheck disable=SC2086
		{ shmctl read "$n" $opt 2>"$BATS_TEST_TMPDIR/err" && echo 0 >"$BATS_TEST_TMPDIR/rc" ||
			echo $? >"$BATS_TEST_TMPDIR/rc"; } |
			{ head -c 1 >/dev/null; truncate -s 1000 "/dev/shm$n"; cat >/dev/null; }
		assert_equal "$opt: $(cat "$BATS_TEST_TMPDIR/rc")" "$opt: 1"
		run grep -c "^shmctl: read: $n: object shrank during read: [0-9]* of 67108864 bytes\$" "$BATS_TEST_TMPDIR/err"
		assert_output 1
	done
}

@test "write --grow is refused past the capacity of /dev/shm, and past the largest size; unchanged" {
	n=$(uniq_name)
	shmctl create "$n" 64
	before=$(state)
	try shmctl write "$n" x -o 1P --grow
	assert_equal "$status" 1
	assert_regex "$stderr" "^shmctl: write: $n: size exceeds the capacity of /dev/shm \\([0-9.]+[KMGT]\\)\$"
	assert_fails 1 "shmctl: write: $n: size 9223372036854775808 is past the largest object size" \
		shmctl write "$n" x -o 9223372036854775807 --grow
	assert_unchanged
}

@test "read at an offset past 16 TiB into a file works as into a pipe" {
	n=$(uniq_name)
	off=$(((1 << 50) - 4))
	shmctl create "$n" 64
	truncate -s 1P "/dev/shm$n"
	shmctl write "$n" tail -o "$off"
	assert_equal "$(shmctl read "$n" -o "$off" | cat)" tail
	shmctl read "$n" -o "$off" >"$BATS_TEST_TMPDIR/out"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" tail
	shmctl unlink "$n"
}

# ------------------------------------------- failures leave nothing behind

@test "create key: whose id cannot be printed (stdout full or closed) exits 1 and leaves no segment" {
	k=$(uniq_key)
	assert_fails 1 "shmctl: stdout: write error: No space left on device" \
		bash -c 'exec shmctl create "$0" 4K >/dev/full' "$k"
	assert_equal "$(sysv_id "${k#key:}")" ''
	try bash -c 'exec shmctl create "$0" 4K >&-' "$k"
	assert_equal "$status: $stderr" "1: shmctl: stdout: write error: Bad file descriptor"
	assert_equal "$(sysv_id "${k#key:}")" ''
	run shmctl create "$k" 4K
	assert_success
	track_id "$output"
}

@test "create --exist-ok of an existing segment to a full stdout keeps the segment" {
	k=$(uniq_key)
	id=$(shmctl create "$k" 4K)
	run bash -c 'exec shmctl create "$0" 4K --exist-ok >/dev/full' "$k"
	assert_failure 1
	assert_equal "$(sysv_id "${k#key:}")" "$id"
}

@test "past RLIMIT_FSIZE: create, write --grow and resize fail with EFBIG (exit 1); create leaves nothing" {
	n=$(uniq_name)
	before=$(state)
	try bash -c 'ulimit -f 1; exec shmctl create "$0" 4M' "$n"
	assert_equal "$status: $stderr" "1: shmctl: create: $n: File too large"
	assert_unchanged
	shmctl create "$n" 64
	before=$(state)
	try bash -c 'ulimit -f 1; exec shmctl resize "$0" 4M' "$n"
	assert_equal "$status: $stderr" "1: shmctl: resize: $n: File too large"
	try bash -c 'ulimit -f 1; exec shmctl write "$0" x -o 4M --grow' "$n"
	assert_equal "$status: $stderr" "1: shmctl: write: $n: File too large"
	assert_unchanged
}

# ------------------------------------------------------- smaller mismatches

@test "modes that add s or t for anyone are refused, o+t and o+s too (exit 2), unchanged" {
	n=$(uniq_name)
	o=$(uniq_name)
	shmctl create "$n" 8 -m 0640
	before=$(state)
	for m in o+t o+s +t a+t u+s g=s u=rwt; do
		assert_fails 2 "shmctl: chmod: $n: mode '$m' is out of range (no setuid, setgid or sticky bits)" \
			shmctl chmod "$n" "$m"
		assert_fails 2 "shmctl: create: $o: mode '$m' is out of range (no setuid, setgid or sticky bits)" \
			shmctl create "$o" 8 -m "$m"
	done
	assert_unchanged
	run shmctl chmod "$n" o-t,g+w
	assert_success
	assert_equal "$(stat -c %a "/dev/shm$n")" 660
}

@test "--help lists the exit codes shmctl returns: 3 for send and recv -t" {
	run shmctl --help
	assert_line 'Exit status: 0 done, 1 failed, 2 usage, 3 timed out.'
}
