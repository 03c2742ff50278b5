#!/bin/sh
# efd against /bin/true: one call (start-up plus one eventfd write, or one
# fdinfo read).  The script runs itself again under `efd new` (BENCH_EFD,
# bench/lib.sh), so that every command inherits an eventfd at fd 3.
set -eu
BENCH_EFD=1
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

B=$IPCBOX_BIN

bench_say "efd: one call on an inherited eventfd, hyperfine -N (no shell), medians; ratio = our time / the peer's"
bench_compare "efd signal 3" "$B efd signal 3" /bin/true /bin/true
bench_compare "efd get 3" "$B efd get 3" /bin/true /bin/true
