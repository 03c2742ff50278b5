#!/bin/sh
# stream: a tar of a directory through a shared-memory ring into another
# tar, between two process trees that share nothing but the ring's name,
# as a fifo would connect them, with half the copies:
#
#   tar -C SRC -cf - . | shmctl send /ring        (one pipeline)
#   shmctl recv /ring | tar -C DST -xf -          (another, started first)
#
# The receiver starts first and makes the ring; its first calls are traced
# (shm_open, mmap, the futex wait until the sender comes).  Then the two
# trees are compared file by file, and the ring is removed.
#
#   IPCBOX_BIN=build/ipcbox sh demos/stream.sh [DIRECTORY]
set -eu

IPCBOX_BIN=${IPCBOX_BIN:-$(dirname "$0")/../build/ipcbox}
if ! [ -x "$IPCBOX_BIN" ]; then
	echo "stream: $IPCBOX_BIN: not built (run make, or set IPCBOX_BIN)" >&2
	exit 1
fi
SRC=${1:-$(dirname "$0")/..}
RING=/ipcbox-stream-$$
DST=$(mktemp -d "${TMPDIR:-/tmp}/ipcbox-stream.XXXXXX")

ipcbox() { "$IPCBOX_BIN" "$@"; }

cleanup() {
	ipcbox shmctl unlink -f "$RING"
	rm -rf "$DST"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "# The receiver, first: it makes a 256 KiB ring and waits for a sender"
echo "# (traced: its first calls only, up to the first futex wait)."
ipcbox shmctl --trace recv "$RING" -s 256K -t 30 2>"$DST.trace" |
    tar -C "$DST" -xf - &
receiver=$!
sleep 0.5
sed -n '1,/FUTEX_WAIT/p' "$DST.trace"
echo
echo "# The sender, in a process tree of its own: tar of $SRC into the ring."
(cd "$SRC" && tar -cf - --exclude=./build --exclude=./build-san --exclude=./.git .) |
    ipcbox shmctl send "$RING"
wait "$receiver"
rm -f "$DST.trace"
echo "# Done: $(find "$DST" -type f | wc -l) files came through."
echo
echo "# The same tree on both sides: the file lists, then cmp of each file:"
(cd "$SRC" && find . -path ./build -prune -o -path ./build-san -prune -o \
    -path ./.git -prune -o -type f -print) | sort >"$DST.list"
(cd "$DST" && find . -type f) | sort | diff -u "$DST.list" - && echo "same file list"
(cd "$SRC" && while read -r f; do cmp "$f" "$DST/$f" || exit 1; done <"$DST.list") &&
    echo "same bytes in every file"
rm -f "$DST.list"
echo
echo "# The ring stays for the next stream, empty; shmctl unlink removes it:"
ipcbox shmctl stat "$RING" | grep -E '^(name|size):' || :
