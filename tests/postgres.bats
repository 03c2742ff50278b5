#!/usr/bin/env bats
# ipcgc and ipcls --orphans against a real PostgreSQL (Debian's postgresql
# package): a throwaway cluster in a temporary directory, run as the
# postgres user, with POSIX dynamic shared memory and parallel queries
# forced.  While it runs, nothing of it is an orphan and ipcgc --yes
# removes nothing of it, the pinned segment that no process maps
# included, and queries go on working; after kill -9 of the cluster, its
# leftovers are orphans, ipcgc --yes removes them and the cluster starts
# again.
#
# As root only (the cluster runs as postgres), in the suite's own IPC
# namespace and /dev/shm (tests/run.sh): another PostgreSQL on the
# machine is neither seen nor touched.

load test_helper

setup_file() {
	[ "$(id -u)" -eq 0 ] || skip "needs root (the cluster runs as postgres)"
	PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -x "$PGBIN/postgres" ] || skip "needs PostgreSQL (apt-get install postgresql)"
	id postgres >/dev/null 2>&1 || skip "needs the postgres user"
	PGDIR=$(mktemp -d /tmp/ipcbox-pg.XXXXXX)
	chown postgres: "$PGDIR"
	as_pg "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres -N \
	    >"$PGDIR/initdb.log" 2>&1
	export PGBIN PGDIR
}

teardown_file() {
	[ -n "${PGDIR:-}" ] || return 0
	pkill -9 -u postgres -f "$PGDIR" 2>/dev/null || :
	rm -rf "$PGDIR"
}

teardown() {
	stop_cluster
	rm -f /dev/shm/PostgreSQL.*
	local id
	for id in $(awk 'NR > 1 && $8 == '"$(id -u postgres)"' { print $2 }' /proc/sysvipc/shm); do
		ipcrm -m "$id" 2>/dev/null || :
	done
}

as_pg() {
	setpriv --reuid=postgres --regid=postgres --init-groups "$@"
}

psql_q() {
	as_pg "$PGBIN/psql" -h "$PGDIR" -U postgres -X -q -A -t -v ON_ERROR_STOP=1 "$@"
}

# The cluster, a child of this shell (so that it is reaped when killed):
# posix dynamic shared memory, parallel queries forced, no autovacuum (no
# process then maps the statistics' extra segment once the session that
# grew it has gone).
start_cluster() {
	local force=force_parallel_mode
	[ "$("$PGBIN/postgres" -V | awk '{ print int($NF) }')" -ge 16 ] &&
		force=debug_parallel_query
	setpriv --reuid=postgres --regid=postgres --init-groups \
	    "$PGBIN/postgres" -D "$PGDIR/data" -c listen_addresses= \
	    -c unix_socket_directories="$PGDIR" \
	    -c dynamic_shared_memory_type=posix -c $force=on \
	    -c parallel_setup_cost=0 -c parallel_tuple_cost=0 \
	    -c min_parallel_table_scan_size=0 -c autovacuum=off \
	    -c fsync=off >>"$PGDIR/server.log" 2>&1 &
	PM=$!
	for _ in $(seq 300); do
		psql_q -c 'select 1' >/dev/null 2>&1 && return 0
		kill -0 "$PM" 2>/dev/null || break
		sleep 0.05
	done
	cat "$PGDIR/server.log" >&2
	return 1
}

# kill -9 of every process of the cluster, as a crash or an OOM kill.
crash_cluster() {
	local pids
	pids=$(pgrep -u postgres -f "$PGDIR" || :)
	pids="$pids $(pgrep -u postgres -P "$PM" || :)"
	# shellcheck disable=SC2086 # pids
	kill -9 "$PM" $pids 2>/dev/null || :
	wait "$PM" 2>/dev/null || :
	for _ in $(seq 200); do
		[ -z "$(ps -u postgres -o stat= | grep -v '^Z')" ] && break
		sleep 0.02
	done
	PM=
}

stop_cluster() {
	[ -n "${PM:-}" ] || return 0
	kill -INT "$PM" 2>/dev/null || :
	wait "$PM" 2>/dev/null || :
	PM=
}

@test "a running PostgreSQL: nothing of it is an orphan, ipcgc --yes removes nothing, queries go on" {
	start_cluster
	# A parallel query (dynamic shared memory for its workers) and a few
	# thousand tables, whose statistics grow past the main segment into
	# a pinned dynamic segment that the session leaves unmapped.
	run psql_q -c 'create table t as select generate_series(1, 100000) x' \
	    -c 'select count(*) from t'
	assert_success
	assert_output 100000
	psql_q -c "do \$\$ begin for i in 1..5000 loop
	    execute 'create table s' || i || '(x int)';
	    execute 'insert into s' || i || ' values (1)'; end loop; end \$\$"
	local segs unmapped
	segs=$(ls /dev/shm | grep -c '^PostgreSQL\.')
	[ "$segs" -ge 2 ]
	# Some segment of it no process maps (no /proc/PID/maps names it):
	# the case that once crashed it.
	local f
	unmapped=
	for f in /dev/shm/PostgreSQL.*; do
		grep -qs -- " $f\$" /proc/[0-9]*/maps ||
			unmapped="$unmapped /${f##*/}"
	done
	[ -n "$unmapped" ] || skip "this PostgreSQL left no unmapped segment to test"
	run ipcls --orphans -n --raw -o NAME
	assert_success
	refute_output --partial PostgreSQL
	run ipcgc --older-than 0
	assert_success
	refute_output --partial "would remove"
	# The unmapped segment is listed as kept, with the reason.
	local u
	for u in $unmapped; do
		assert_line --regexp "^kept posix-shm $u \\([0-9.]+[KMG], idle [0-9]+s\\): owner postgres has [0-9]+ live processes \\(postgres.*\\)$"
	done
	run ipcgc --yes
	assert_success
	refute_line --regexp '^removed '
	[ "$(ls /dev/shm | grep -c '^PostgreSQL\.')" -eq "$segs" ]
	# The statistics, and a parallel query, still work.
	run psql_q -c 'select count(*) from pg_stat_user_tables' \
	    -c 'select sum(x) from t'
	assert_success
	assert_line --index 0 5001
	assert_line --index 1 5000050000
}

@test "after kill -9 of the cluster, its leftovers are orphans and go; it starts again" {
	start_cluster
	run psql_q -c 'create table if not exists t as select generate_series(1, 100000) x' \
	    -c 'select count(*) from t'
	assert_success
	local segs sysv
	segs=$(ls /dev/shm | grep -c '^PostgreSQL\.')
	sysv=$(awk 'NR > 1 && $8 == '"$(id -u postgres)"' { n++ } END { print n + 0 }' /proc/sysvipc/shm)
	[ "$segs" -ge 1 ]
	crash_cluster
	run ipcls --orphans -n --raw -o TYPE,NAME
	assert_success
	[ "$(grep -c '^posix-shm /PostgreSQL\.' <<<"$output")" -eq "$segs" ]
	[ "$(grep -c '^sysv-shm ' <<<"$output")" -eq "$sysv" ]
	run ipcgc --yes
	assert_success
	[ "$(grep -c '^removed posix-shm /PostgreSQL\.' <<<"$output")" -eq "$segs" ]
	[ "$(grep -c '^removed sysv-shm ' <<<"$output")" -eq "$sysv" ]
	refute_line --regexp '^kept '
	[ "$(ls /dev/shm | grep -c '^PostgreSQL\.')" -eq 0 ]
	# It starts again, and its data is there.
	start_cluster
	run psql_q -c 'select count(*) from t'
	assert_success
	assert_output 100000
}
