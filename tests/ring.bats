#!/usr/bin/env bats
# shmctl send / recv: a stream through a shared-memory ring between two
# unrelated processes, started in either order: 1 GiB compared with cmp,
# a ring smaller than one write, empty streams, one stream after another,
# a killed sender, a second reader or writer refused, -t, System V rings,
# the header as shmctl(1) documents it (read by Python), bad input.

load test_helper

setup() {
	R=$(uniq_name)
	PIDS=()
}

teardown() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || :
		wait "$p" 2>/dev/null || :
	done
	shmctl unlink -f "$R" "$R-2" 2>/dev/null || :
	if [ -n "${KEY:-}" ]; then
		ipcrm -M "$KEY" 2>/dev/null || :
	fi
	assert_equal "$(leftovers)" ''
}

# The sender's (32) or the receiver's (40) word in the ring's header:
# nonzero once one has claimed its place.
slot() {
	od -A n -t u8 -j "$2" -N 8 "/dev/shm/${1#/}" 2>/dev/null | tr -d ' '
}

# bg CMD...: run in the background with this standard input (an
# asynchronous command would get /dev/null), pid remembered for teardown.
bg() {
	"$@" 0<&0 &
	PIDS+=("$!")
}

@test "1 GiB of random data through a 1 MiB ring, sender first and receiver first (cmp)" {
	local f=$BATS_TEST_TMPDIR/in
	head -c 1G /dev/urandom >"$f"
	# The sender first: it makes the ring and waits for a reader.
	bg shmctl send "$R" -s 1M <"$f"
	run cmp "$f" <(shmctl recv "$R")
	assert_success
	assert_equal "$(stat -c %s "/dev/shm/${R#/}")" $((4096 + 1048576))
	wait "${PIDS[0]}"
	# The receiver first, on a ring of its own making.
	bg cmp "$f" <(shmctl recv "$R-2" -s 1M)
	wait_for '[ "$(slot "$R-2" 40)" -gt 0 ] 2>/dev/null'
	run shmctl send "$R-2" <"$f"
	assert_success
	wait "${PIDS[1]}"
	rm -f "$f"
}

@test "a ring smaller than one write, empty streams, and one stream after another" {
	local f=$BATS_TEST_TMPDIR/in
	head -c 3M /dev/urandom >"$f"
	shmctl create "$R" 4K --ring
	assert_equal "$(stat -c %s "/dev/shm/${R#/}")" 8192
	bg shmctl send "$R" <"$f"
	run cmp "$f" <(shmctl recv "$R")
	assert_success
	wait "${PIDS[0]}"
	# An empty stream, either order: recv prints nothing and exits 0.
	shmctl send "$R" </dev/null &
	run shmctl recv "$R"
	assert_success
	assert_output ''
	wait $!
	bg shmctl recv "$R"
	shmctl send "$R" </dev/null
	wait "${PIDS[1]}"
	# Two streams, one after the other: the second sender waits until
	# the first stream is read; each recv takes one stream.
	printf 'one\n' | shmctl send "$R"
	printf 'two\n' | shmctl send "$R" &
	local second=$!
	run shmctl recv "$R"
	assert_output one
	run shmctl recv "$R"
	assert_output two
	wait "$second"
}

@test "a sender killed mid-stream: recv delivers what came, once and in order, then exits 1" {
	local f=$BATS_TEST_TMPDIR/in out=$BATS_TEST_TMPDIR/out
	local feed=$BATS_TEST_TMPDIR/feed sender n
	head -c 8M /dev/urandom >"$f"
	mkfifo "$feed"
	# A sender whose input never ends.
	bg bash -c 'exec >"$2"; cat "$1"; exec sleep $3' _ "$f" "$feed" $((30 * TIME_FACTOR))
	bg bash -c 'exec shmctl send "$1" -s 64K <"$2"' _ "$R" "$feed"
	sender=${PIDS[1]}
	# Some bytes are in the ring (its head, at 64, moved): then the
	# sender dies while recv takes them.
	wait_for '[ "$(slot "$R" 64)" -gt 0 ] 2>/dev/null'
	(sleep 0.5; kill -9 "$sender") &
	local killer=$!
	run --separate-stderr bash -c "shmctl recv '$R' >'$out'"
	wait "$killer"
	assert_failure 1
	[[ $stderr == "shmctl: recv: $R: the sender (pid $sender) died before the end of the stream (after "*" bytes)" ]]
	n=$(stat -c %s "$out")
	[ "$n" -gt 0 ]
	[ "$n" -le 8388608 ]
	cmp -n "$n" "$f" "$out"
	# The next receiver, started before the next sender, waits for it
	# (the dead sender's word is still there); the next sender takes the
	# dead one's place, and the stream after is whole.
	shmctl recv "$R" >"$out.next" &
	local next=$!
	wait_for '[ "$(slot "$R" 40)" -gt 0 ] 2>/dev/null'
	printf 'next\n' | shmctl send "$R"
	wait "$next"
	assert_equal "$(cat "$out.next")" next
}

@test "one sender and one receiver at a time: a second is refused" {
	bg shmctl recv "$R"
	wait_for '[ "$(slot "$R" 40)" -gt 0 ] 2>/dev/null'
	run --separate-stderr shmctl recv "$R"
	assert_failure 1
	assert_equal "$stderr" "shmctl: recv: $R: another recv is running (pid ${PIDS[0]})"
	# A second sender, while the first runs.
	(sleep 2 | shmctl send "$R") &
	PIDS+=("$!")
	wait_for '[ "$(slot "$R" 32)" -gt 0 ] 2>/dev/null'
	run --separate-stderr shmctl send "$R" </dev/null
	assert_failure 1
	[[ $stderr == "shmctl: send: $R: another send is running (pid "*")" ]]
	wait "${PIDS[1]}"
	wait "${PIDS[0]}"
}

@test "-t: a stall longer than the timeout exits 3; a dead receiver's slot is taken over" {
	run --separate-stderr shmctl recv "$R" -t 0.3
	assert_failure 3
	assert_equal "$stderr" "shmctl: recv: $R: timed out waiting for data (after 0 bytes)"
	# A full ring with no reader: send -t gives up.
	run --separate-stderr bash -c "head -c 64K /dev/zero | shmctl send '$R-2' -s 4K -t 0.3"
	assert_failure 3
	assert_equal "$stderr" "shmctl: send: $R-2: timed out: the ring stayed full (after 4096 bytes)"
	# A receiver killed mid-way leaves its slot to the next one.
	bg shmctl recv "$R" -t 30
	wait_for '[ "$(slot "$R" 40)" -gt 0 ] 2>/dev/null'
	kill -9 "${PIDS[0]}"
	wait "${PIDS[0]}" 2>/dev/null || :
	run --separate-stderr shmctl recv "$R" -t 0.2
	assert_failure 3
	assert_equal "$stderr" "shmctl: recv: $R: timed out waiting for data (after 0 bytes)"
}

@test "System V rings: create --ring by key, send and recv by key and id" {
	KEY=0x7e7e0bbb
	run shmctl create "key:$KEY" 16K --ring
	assert_success
	local id=$output
	printf 'through System V\n' | shmctl send "key:$KEY" &
	run shmctl recv "id:$id"
	assert_success
	assert_output 'through System V'
	wait $!
	# ipcs sees a segment of 16 KiB and the header page.
	run ipcs -m -i "$id"
	assert_output --partial "bytes=20480"
}

@test "the header is as shmctl(1) documents it (read by Python)" {
	shmctl create "$R" 64K --ring -m 0640
	printf 'abc' | shmctl send "$R"
	run python3 -c '
import struct, sys
h = open("/dev/shm/" + sys.argv[1], "rb").read(144)
magic, ver, off, cap, flags, w, r = struct.unpack_from("<8sIIQQQQ", h, 0)
head, = struct.unpack_from("<Q", h, 64)
tail, = struct.unpack_from("<Q", h, 128)
print(magic.decode(), ver, off, cap, flags, w, head, tail)
' "${R#/}"
	assert_output "IPCBRNG1 1 4096 65536 1 0 3 0"
	assert_equal "$(stat -c %a "/dev/shm/${R#/}")" 640
	run shmctl recv "$R"
	assert_output abc
}

@test "--trace shows the mapping and the futex calls" {
	local err=$BATS_TEST_TMPDIR/err
	# recv first: it makes the ring and sleeps on it until data comes.
	shmctl --trace recv "$R" >"$BATS_TEST_TMPDIR/out" 2>"$err" &
	local r=$!
	wait_for 'grep -q FUTEX_WAIT "$err"'
	printf x | shmctl send "$R"
	wait "$r"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" x
	run cat "$err"
	assert_line --regexp "^shm_open\\(\"$R\", O_RDWR\\|O_CREAT\\|O_EXCL, 0600\\) = [0-9]+$"
	assert_line --regexp "^mmap\\(NULL, 1052672, PROT_READ\\|PROT_WRITE, MAP_SHARED, [0-9]+, 0\\) = 0x[0-9a-f]+$"
	assert_line --regexp "^futex\\(0x[0-9a-f]+, FUTEX_WAIT, [0-9]+, \\{0, [0-9]+\\}\\) = "
	assert_line --regexp "^munmap\\(0x[0-9a-f]+, 1052672\\) = 0$"
}

@test "bad input: exit 2 or 1 with one line, nothing made" {
	local before
	before=$(ls /dev/shm)
	run --separate-stderr shmctl send "$R" -s 1K </dev/null
	assert_failure 2
	assert_equal "$stderr" "shmctl: send: $R: ring size '1K' is below 4K"
	run --separate-stderr shmctl recv "$R" -t soon
	assert_failure 2
	assert_equal "$stderr" "shmctl: recv: -t 'soon' is invalid"
	run --separate-stderr shmctl create "$R" 100 --ring
	assert_failure 2
	assert_equal "$stderr" "shmctl: create: $R: ring size is below 4K"
	run --separate-stderr shmctl recv id:999999
	assert_failure 1
	assert_equal "$stderr" "shmctl: recv: id:999999: No such file or directory"
	assert_equal "$(ls /dev/shm)" "$before"
	# An object that is not a ring is left alone.
	shmctl create "$R" 64K
	run --separate-stderr shmctl send "$R" </dev/null
	assert_failure 1
	assert_equal "$stderr" "shmctl: send: $R: not a ring (no ipcbox ring header: 'shmctl create OBJ SIZE --ring' makes one)"
	assert_equal "$(shmctl read "$R" | tr -d '\0' | wc -c)" 0
}

@test "a corrupt header (head and tail further apart than the ring) is an error, not an endless stream" {
	# Found by tests/fuzz/ring_hdr.c (tests/fuzz/regress/ring_hdr/):
	# recv copied stale bytes for as long as the header claimed, 2^64
	# of them when tail was past head.
	shmctl create "$R" 4K --ring
	local head tail head_tail
	for head_tail in "1099511627776 0" "5 10"; do
		read -r head tail <<<"$head_tail"
		python3 -c '
import struct, sys
with open("/dev/shm/" + sys.argv[1], "r+b") as f:
    f.seek(64); f.write(struct.pack("<Q", int(sys.argv[2])))
    f.seek(128); f.write(struct.pack("<Q", int(sys.argv[3])))
' "${R#/}" "$head" "$tail"
		run --separate-stderr timeout 10 shmctl recv "$R" -t 1
		assert_failure 1
		assert_equal "$stderr" "shmctl: recv: $R: the ring's header is corrupt (head and tail further apart than its capacity)"
		assert_equal "${#output}" 0
		run --separate-stderr timeout 10 shmctl send "$R" -t 1 <<<"x"
		assert_failure 1
		assert_equal "$stderr" "shmctl: send: $R: the ring's header is corrupt (head and tail further apart than its capacity)"
	done
}
