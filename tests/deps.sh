#!/bin/sh
# Install what ipcbox needs to build and test, from Debian packages only.
# As root: apt-get. Otherwise: print the one command to run.
# Arguments name extra packages (make bench: sh tests/deps.sh hyperfine jq time).
set -u
pkgs="gcc make libc6-dev libbsd-dev libsmartcols-dev pkg-config bats bats-support bats-assert bats-file mandoc util-linux bsdextrautils python3 jq strace $*"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086 # one word a package
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "deps: missing:$missing" >&2
	echo "deps: run: sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi
