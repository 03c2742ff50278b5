#!/bin/sh
# Install what ipcbox needs to build and test, from Debian packages only.
# As root: apt-get, waiting for another apt or dpkg that holds the lock (a
# fresh cloud machine often runs one at boot).  Otherwise: print the one
# command to run.  Arguments name extra packages (make bench: sh
# tests/deps.sh hyperfine jq time).
set -u
pkgs="gcc make libc6-dev libbsd-dev libsmartcols-dev pkg-config bats bats-support bats-assert bats-file mandoc util-linux bsdextrautils python3 jq strace procps postgresql lsof $*"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing:$missing" >&2
	echo "deps: run: sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi

# apt-get waits for the dpkg lock itself (DPkg::Lock::Timeout); the lists
# lock that "apt-get update" takes it does not wait for, so that one is
# retried while another apt holds it.
wait=600
apt_get() {
	log=$(mktemp)
	t=0
	while :; do
		apt-get -o DPkg::Lock::Timeout=$wait "$@" >"$log" 2>&1 && break
		if grep -q 'Could not get lock\|Unable to acquire\|Unable to lock' "$log" &&
			[ "$t" -lt "$wait" ]; then
			[ "$t" -eq 0 ] && echo "deps: waiting for another apt or dpkg to finish" >&2
			sleep 5
			t=$((t + 5))
			continue
		fi
		cat "$log" >&2
		rm -f "$log"
		return 1
	done
	grep -v '^debconf: delaying' "$log" | grep -i 'warn\|err' >&2
	rm -f "$log"
	return 0
}

echo "deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # one word a package
apt_get update -qq && apt_get install -y -qq --no-install-recommends $missing
