/* ipclimits: the kernel's IPC limits and what is in use against them, the
 * rows of ipcls --summary, in the order lsipc --global prints them. */
#ifndef IPCBOX_IPCLIMITS_H
#define IPCBOX_IPCLIMITS_H

#include <stddef.h>

#include "ipcscan.h"

struct ipc_limit {
	const char *name, *desc;
	int bytes; /* limit and used are bytes */
	int have_limit, have_used;
	/* shmall is in pages: times the page size it can pass 2^64. */
	unsigned __int128 limit, used;
};

#define IPC_NLIMITS 18

/* Up to max rows from /proc/sys and the scan s (of IPC_POSIX and
 * IPC_SYSV): their number.  A limit or use that cannot be read has its
 * have_ flag 0. */
size_t ipc_limits(const struct ipcscan *s, struct ipc_limit *out, size_t max);

/* The first n numbers of a file of /proc/sys: 0, or -1. */
int ipclimits_read(const char *path, uint64_t *v, int n);

#endif
