/* proc: which processes map or hold an object, from /proc/PID/maps and
 * /proc/PID/fd; every descriptor of every process (efd ls, memfd ls);
 * what /proc/PID/fdinfo/N says. */
#ifndef IPCBOX_PROC_H
#define IPCBOX_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

/* /proc/sysvipc/NAME (shm, sem or msg) open past its heading line, the
 * open traced; NULL with errno set (ENOENT: no System V IPC here). */
FILE *proc_sysvipc_open(const char *name);

/* "123,456" or "-" into buf. */
void proc_fmt_pids(const pid_t *pids, size_t n, char *buf, size_t len);

/* What /proc/PID/fdinfo/N says of a descriptor (the fields we use). */
struct proc_fdinfo {
	unsigned flags;    /* the open flags, O_ACCMODE among them */
	int eventfd;       /* an eventfd-count line was there */
	uint64_t efd_count;
	int efd_id;        /* eventfd-id, or -1 */
	int efd_semaphore; /* eventfd-semaphore: 1, 0, or -1 when absent */
};

/* Parse an fdinfo file already open as fd (read from its start). */
int proc_fdinfo_parse(int fd, struct proc_fdinfo *fi);

/* One descriptor of one process, as proc_fd_walk finds it. */
struct proc_fd {
	pid_t pid;
	int fd;
	char comm[32];   /* /proc/PID/comm */
	const char *link; /* the /proc/PID/fd/N link */
	int fddir;       /* /proc/PID/fd, open: openat(fddir, "N") */
	int pdir;        /* /proc/PID, open */
};

/* Call fn for every descriptor of every process this user may inspect
 * (this one too) whose link starts with prefix, in pid then fd order.
 * A non-zero return from fn stops the walk and is returned. */
int proc_fd_walk(const char *prefix, int (*fn)(const struct proc_fd *,
    void *), void *arg);

#endif
