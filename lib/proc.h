/* proc: what /proc says of a process: its IPC namespace, and what
 * /proc/PID/fdinfo/N says of a descriptor.  Every listing (objects,
 * holders, descriptors) reads /proc through lib/ipcscan.h. */
#ifndef IPCBOX_PROC_H
#define IPCBOX_PROC_H

#include <stdint.h>
#include <sys/types.h>

/* The IPC namespace of a process (pdir: its /proc/PID, open) or of this
 * one (pdir -1), as the inode of its ns/ipc; 0 when it cannot be read. */
ino_t proc_ipcns(int pdir);

/* What /proc/PID/fdinfo/N says of a descriptor (the fields we use). */
struct proc_fdinfo {
	unsigned flags; /* the open flags, O_ACCMODE among them */
	int eventfd; /* an eventfd-count line was there */
	uint64_t efd_count;
	int efd_id; /* eventfd-id, or -1 */
	int efd_semaphore; /* eventfd-semaphore: 1, 0, or -1 when absent */
};

/* A process's state (/proc/PID/stat, field 3: R, S, D, Z, X...) and, when
 * start is not NULL, its start time (field 22).  0, or -1 with errno set:
 * ENOENT or ESRCH when there is no such process. */
int proc_stat_state(pid_t pid, char *state, uint64_t *start);

/* A process's start time (/proc/PID/stat, field 22: clock ticks since
 * boot), which tells it from a later process given the same pid.  0, or
 * -1 when there is no such process or it is a zombie. */
int proc_starttime(pid_t pid, uint64_t *start);

/* The cgroup v2 path of a process ("/system.slice/cron.service": the
 * "0::" line of /proc/PID/cgroup) into buf: 0, or -1 with errno set (no
 * such process, or ENOENT: no cgroup v2 line, a host with cgroup v1
 * only). */
int proc_cgroup(pid_t pid, char *buf, size_t len);

/* Parse an fdinfo file already open as fd (read from its start). */
int proc_fdinfo_parse(int fd, struct proc_fdinfo *fi);

#endif
