/* proc: which processes map or hold an object, from /proc/PID/maps and
 * /proc/PID/fd. */
#ifndef IPCBOX_PROC_H
#define IPCBOX_PROC_H

#include <stddef.h>
#include <sys/types.h>

struct proc_match {
	int sysv;  /* match System V maps of this shmid */
	int shmid;
	dev_t dev; /* else match maps and descriptors of this file */
	ino_t ino;
};

/* The sorted pids, other than this process, that map or hold the object.
 * Processes we may not inspect are skipped. */
size_t proc_holders(const struct proc_match *m, pid_t **pids);

/* "123,456" or "-" into buf. */
void proc_fmt_pids(const pid_t *pids, size_t n, char *buf, size_t len);

#endif
