/* usage: where shared memory went.  From one scan (lib/ipcscan.h, with
 * IPCSCAN_HOLDERS, IPCSCAN_COMM and IPCSCAN_DELETED), the memory each
 * object takes (its used bytes: pages written, in memory or in swap, not
 * its apparent size) summed by owner, by holding process, by the cgroup
 * of its holders, or by type: ipcls --usage.
 *
 * What counts: POSIX shared memory and semaphores (files of /dev/shm,
 * with those unlinked while a process still maps or holds them), System V
 * segments (those removed while attached too), memfds.  Queues, eventfds
 * and the fd store's entries take kernel memory that no tmpfs counts, and
 * are left out; a memfd the fd store keeps is counted as a memfd, held by
 * the store's holder.
 */
#ifndef IPCBOX_USAGE_H
#define IPCBOX_USAGE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipcscan.h"

enum usage_by {
	USAGE_OWNER, /* the object's owner */
	USAGE_PROCESS, /* each process that maps or holds it */
	USAGE_CGROUP, /* the cgroup v2 of each process that holds it */
	USAGE_TYPE, /* its type, named objects apart from deleted ones */
};

/* The shared-memory kinds (IPC_T()) that usage counts. */
#define USAGE_TYPES \
	(IPC_T(IPC_POSIX_SHM) | IPC_T(IPC_POSIX_SEM) | IPC_T(IPC_SYSV_SHM) | \
	    IPC_T(IPC_MEMFD))

/* "owner", "process", "cgroup", "type": its enum, or -1. */
int usage_by_lookup(const char *name);
/* The names, comma-separated, for a usage error. */
extern const char usage_by_names[];

/* One group. */
struct usage_row {
	uid_t uid; /* USAGE_OWNER */
	pid_t pid; /* USAGE_PROCESS; 0: the objects nothing holds */
	const char *comm; /* its name, "?" unknown */
	const char *cgroup; /* USAGE_CGROUP; NULL: nothing holds them; "?":
			       a holder whose cgroup cannot be read */
	int type, deleted; /* USAGE_TYPE */
	size_t objects; /* objects it is charged with */
	size_t procs; /* distinct processes that hold them */
	uint64_t size; /* their apparent sizes (shared memory, memfds) */
	uint64_t used; /* the memory they take */
	uint64_t only; /* of used: objects held by this group alone
			  (USAGE_PROCESS, USAGE_CGROUP) */
	uint64_t deleted_used; /* of used: objects with no name left */
};

/* Each object counted once. */
struct usage_sum {
	size_t objects;
	uint64_t size, used;
	size_t deleted;
	uint64_t deleted_used;
};

struct usage {
	struct usage_row *rows; /* the largest used first */
	size_t n;
	struct usage_sum all;
	struct usage_sum shm; /* POSIX, in /dev/shm: what df counts */
	struct usage_sum sysv; /* System V segments: against SHMALL */
	struct usage_sum memfd; /* memfds: memory, no limit of their own */
	/* the names of cgroups, owned */
	char **names;
	size_t nnames;
};

/* Sum the objects of s by by into u (u's memory is its own: free it with
 * usage_free).  Returns 0. */
int usage_sum(const struct ipcscan *s, enum usage_by by, struct usage *u);
void usage_free(struct usage *u);

#endif
