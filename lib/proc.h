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
	int sysv; /* match System V maps of this shmid */
	int shmid;
	dev_t dev; /* else match maps and descriptors of this file */
	ino_t ino;
};

/* The sorted pids, other than this process, that map or hold the object.
 * Processes we may not inspect are skipped, and so are, for a System V
 * segment, those of another IPC namespace (their ids are their own). */
size_t proc_holders(const struct proc_match *m, pid_t **pids);

/* The IPC namespace of a process (pdir: its /proc/PID, open) or of this
 * one (pdir -1), as the inode of its ns/ipc; 0 when it cannot be read. */
ino_t proc_ipcns(int pdir);

/* Call fn for each line of /proc/sysvipc/NAME (shm, sem or msg) past its
 * heading, the open traced.  A non-zero return from fn stops the walk; a
 * negative one is returned.  No such file (no System V IPC here) is an
 * empty list; -1 with errno set when it cannot be read. */
int proc_sysvipc_walk(const char *name, int (*fn)(const char *line, void *arg),
    void *arg);

/* "123,456" or "-" into buf. */
void proc_fmt_pids(const pid_t *pids, size_t n, char *buf, size_t len);

/* What /proc/PID/fdinfo/N says of a descriptor (the fields we use). */
struct proc_fdinfo {
	unsigned flags; /* the open flags, O_ACCMODE among them */
	int eventfd; /* an eventfd-count line was there */
	uint64_t efd_count;
	int efd_id; /* eventfd-id, or -1 */
	int efd_semaphore; /* eventfd-semaphore: 1, 0, or -1 when absent */
};

/* Parse an fdinfo file already open as fd (read from its start). */
int proc_fdinfo_parse(int fd, struct proc_fdinfo *fi);

/* One descriptor of one process, as proc_fd_walk finds it. */
struct proc_fd {
	pid_t pid;
	int fd;
	char comm[32]; /* /proc/PID/comm */
	const char *link; /* the /proc/PID/fd/N link */
	int fddir; /* /proc/PID/fd, open: openat(fddir, "N") */
	int pdir; /* /proc/PID, open */
};

/* Call fn for every descriptor of every process this user may inspect
 * (this one too) whose link starts with prefix, in pid then fd order.
 * A non-zero return from fn stops the walk and is returned. */
int proc_fd_walk(const char *prefix, int (*fn)(const struct proc_fd *, void *),
    void *arg);

#endif
