/* sysv: what every System V object shares, whatever its kind: the id an
 * address names, and errno as a user reads it. */
#ifndef IPCBOX_SYSV_H
#define IPCBOX_SYSV_H

#include <sys/types.h>

#include "addr.h"

/* EINVAL and EIDRM from an id that is gone read as ENOENT ("No such file
 * or directory"), as for a missing POSIX object. */
int sysv_errno(int e);

/* The id a names: id: as it is, key: and ftok: looked up with get(key)
 * (shmget, semget or msgget with size and flags 0, traced).  0, or -1
 * with errno set; key 0 (IPC_PRIVATE) names no object: *why says so,
 * naming it as what ("set", "segment", "queue"). */
int sysv_id(const struct addr *a, int (*get)(key_t), const char *what, int *id,
    const char **why);

#endif
