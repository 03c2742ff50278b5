/* sysv: System V ids and errno, for every kind of object. */
#include <errno.h>
#include <stdio.h>
#include <sys/ipc.h>

#include "sysv.h"

int
sysv_errno(int e)
{
	return e == EINVAL || e == EIDRM ? ENOENT : e;
}

int
sysv_id(const struct addr *a, int (*get)(key_t), const char *what, int *id,
    const char **why)
{
	static char reason[64];

	if (a->kind == ADDR_ID) {
		*id = a->id;
		return 0;
	}
	if (a->key == IPC_PRIVATE) {
		snprintf(reason, sizeof(reason),
		    "key 0 (IPC_PRIVATE) names no %s: use its id:", what);
		*why = reason;
		errno = ENOENT;
		return -1;
	}
	*id = get(a->key);
	return *id < 0 ? -1 : 0;
}
