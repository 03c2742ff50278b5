/* trace_fd: traced wrappers for the descriptor-only objects (eventfd,
 * memfd and its seals), for taking a descriptor from another process
 * (pidfd_open, pidfd_getfd, open of /proc/PID/fd/N), and for waiting on
 * and placing descriptors (epoll, dup2).  Each prints the C call with its
 * result when tracing is on, and keeps errno. */
#ifndef IPCBOX_TRACE_FD_H
#define IPCBOX_TRACE_FD_H

#include <stdint.h>
#include <sys/epoll.h>
#include <sys/types.h>

/* Newer than some libc headers. */
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020 /* Linux 6.3 */
#endif

int t_eventfd(unsigned initval, int flags);
/* The 8-byte counter transfers: write adds v, read consumes into *v.
 * t_efd_read_nowait never blocks (preadv2 RWF_NOWAIT), even on a
 * blocking description that other processes share. */
ssize_t t_efd_write(int fd, uint64_t v);
ssize_t t_efd_read_nowait(int fd, uint64_t *v);

int t_memfd_create(const char *name, unsigned flags);
int t_add_seals(int fd, int seals);
int t_get_seals(int fd);

int t_pidfd_open(pid_t pid, unsigned flags);
int t_pidfd_getfd(int pidfd, int fd, unsigned flags);
/* open(2) of a /proc path: /proc/PID/fd/N, /proc/self/fdinfo/N. */
int t_open_proc(const char *path, int flags);

int t_epoll_create1(int flags);
int t_epoll_ctl(int ep, int op, int fd, struct epoll_event *ev);
int t_epoll_pwait(int ep, struct epoll_event *evs, int max, int ms,
    const sigset_t *mask);

int t_dup2(int fd, int target);
int t_clear_cloexec(int fd);

/* "F_SEAL_SHRINK|F_SEAL_GROW" or "0". */
const char *trace_seals(char *buf, size_t len, int seals);

#endif
