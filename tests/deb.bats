#!/usr/bin/env bats
# The Debian package that `make deb` builds (build/deb/ipcbox_*.deb, or
# $IPCBOX_DEB): its contents and dependencies, then installed with
# dpkg --root into a scratch root and run from there: ipcbox --version,
# shmctl --help, man shmctl, the completion.  Skipped, with the reason,
# when no package has been built (make check does not build one).

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

setup_file() {
	local d
	if [ -z "${IPCBOX_DEB:-}" ]; then
		for d in "$BATS_TEST_DIRNAME"/../build/deb/ipcbox_*.deb; do
			[ -f "$d" ] && IPCBOX_DEB=$d
		done
	fi
	export IPCBOX_DEB
}

setup() {
	[ -n "${IPCBOX_DEB:-}" ] && [ -f "$IPCBOX_DEB" ] ||
		skip "no package built: make deb builds build/deb/ipcbox_*.deb"
	ROOT=$BATS_TEST_TMPDIR/root
}

# Install the package into an empty root of its own (dpkg's database
# too); its dependencies are the host's, so they are not checked there.
install_deb() {
	mkdir -p "$ROOT/var/lib/dpkg/info" "$ROOT/var/lib/dpkg/updates"
	: >"$ROOT/var/lib/dpkg/status"
	dpkg --root="$ROOT" --log=/dev/null --force-depends -i "$IPCBOX_DEB" \
		>/dev/null 2>"$BATS_TEST_TMPDIR/dpkg.err" || {
		cat "$BATS_TEST_TMPDIR/dpkg.err"
		return 1
	}
}

@test "the package: binary, a symlink an applet, man pages, completion; Depends names libsmartcols1" {
	local a list
	list=$(dpkg-deb -c "$IPCBOX_DEB")
	run dpkg-deb -f "$IPCBOX_DEB" Package Version Depends
	assert_line 'Package: ipcbox'
	assert_line --regexp '^Depends: .*libc6.*libsmartcols1'
	install_deb
	assert [ -x "$ROOT/usr/bin/ipcbox" ]
	for a in $("$ROOT/usr/bin/ipcbox" --list); do
		assert_equal "$a: $(readlink "$ROOT/usr/bin/$a")" "$a: ipcbox"
		assert [ -f "$ROOT/usr/share/man/man1/$a.1.gz" ]
		assert_equal "$a: $(readlink "$ROOT/usr/share/bash-completion/completions/$a")" "$a: ipcbox"
	done
	assert [ -f "$ROOT/usr/share/man/man1/ipcbox.1.gz" ]
	assert [ -f "$ROOT/usr/share/bash-completion/completions/ipcbox" ]
	assert [ -f "$ROOT/usr/share/doc/ipcbox/copyright" ]
	[[ $list == *"./usr/bin/shmctl -> ipcbox"* ]]
}

@test "installed: ipcbox --version is the package's version, shmctl --help and a verb run" {
	install_deb
	run "$ROOT/usr/bin/ipcbox" --version
	assert_success
	assert_output "ipcbox $(dpkg-deb -f "$IPCBOX_DEB" Version)"
	run "$ROOT/usr/bin/shmctl" --help
	assert_success
	assert_line --partial 'Usage: shmctl'
	# A table: libsmartcols, loaded with dlopen, from the host.
	run "$ROOT/usr/bin/ipcls" --summary -o RESOURCE -n
	assert_success
	assert_line MSGMNI
}

@test "installed: man shmctl renders the installed page" {
	install_deb
	command -v man >/dev/null || skip "man (man-db) is not installed"
	run env MANPATH="$ROOT/usr/share/man" MANPAGER=cat MANWIDTH=80 man shmctl
	assert_success
	assert_line --regexp '^SHMCTL\(1\) '
	assert_line --partial 'shmctl — POSIX and System V shared memory'
}

@test "installed: the completion, loaded by command name, completes verbs" {
	install_deb
	run env PATH="$ROOT/usr/bin:/usr/bin:/bin" bash -c '
		. "$1/usr/share/bash-completion/completions/shmctl"
		COMP_LINE="shmctl re"; COMP_POINT=${#COMP_LINE}
		_ipcbox
		printf "%s\n" "${COMPREPLY[@]}" | sort' bash "$ROOT"
	assert_success
	assert_output $'read\nrecv\nresize'
}

@test "built with dpkg-buildflags' hardening: PIE, full RELRO, stack protector, fortify" {
	install_deb
	run readelf -hdlW "$ROOT/usr/bin/ipcbox"
	assert_line --regexp 'Type: +DYN'
	assert_line --partial 'GNU_RELRO'
	assert_line --regexp 'FLAGS.*BIND_NOW'
	run readelf --dyn-syms -W "$ROOT/usr/bin/ipcbox"
	assert_line --partial '__stack_chk_fail'
	assert_line --regexp '__[a-z]+_chk'
}

@test "removed: dpkg --root -r leaves nothing of it" {
	install_deb
	dpkg --root="$ROOT" --log=/dev/null -r ipcbox >/dev/null
	run find "$ROOT" -path "$ROOT/var" -prune -o ! -type d -print
	assert_success
	assert_output ''
}
