/* trace_ipc: traced wrappers for the calls ipcls and ipcgc make on objects
 * of every kind: reading and removing System V semaphore sets and message
 * queues, POSIX message queues, POSIX semaphores by their /dev/shm file,
 * memfd seals through /proc, and entering another process's namespaces.
 *
 *   semctl(5, 0, IPC_RMID) = 0
 *   mq_getattr(3, {mq_maxmsg=10, mq_msgsize=8192, mq_curmsgs=2}) = 0
 *   setns(4, CLONE_NEWIPC) = 0
 *
 * Every wrapper keeps the errno of the call it wraps.  The semaphore
 * applet's own wrappers live in lib/trace_sem.h; these are the few that
 * listing and cleanup need, named for what they do.
 */
#ifndef IPCBOX_TRACE_IPC_H
#define IPCBOX_TRACE_IPC_H

#include <mqueue.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/types.h>

/* System V semaphore sets: IPC_STAT, GETPID of one semaphore, IPC_RMID. */
int t_semctl_stat(int id, struct semid_ds *ds);
int t_semctl_getpid(int id, int num);
int t_semctl_rmid(int id);

/* System V message queues: IPC_STAT, IPC_SET (msg_qbytes) and IPC_RMID. */
int t_msgctl(int id, int cmd, struct msqid_ds *ds);
/* The queue applet's own: msgsnd(2) and msgrcv(2) with the message's
 * mtype first in buf, as the C caller passes it. */
int t_msgget(key_t key, int flags);
int t_msgsnd(int id, const void *buf, size_t n, int flags);
ssize_t t_msgrcv(int id, void *buf, size_t n, long type, int flags);

/* POSIX message queues.  t_mq_open_mode prints mode and attr with
 * O_CREAT, as a C caller passes them; abs_timeout NULL: wait for ever,
 * with mq_send or mq_receive (glibc's timed calls take no NULL). */
mqd_t t_mq_open(const char *name, int oflag);
mqd_t
t_mq_open_mode(const char *name, int oflag, mode_t mode, struct mq_attr *attr);
int t_mq_timedsend(mqd_t q, const char *p, size_t n, unsigned prio,
    const struct timespec *abs_timeout);
ssize_t t_mq_timedreceive(mqd_t q, char *p, size_t n, unsigned *prio,
    const struct timespec *abs_timeout);
int t_mq_notify(mqd_t q, const struct sigevent *sev);
int t_mq_getattr(mqd_t q, struct mq_attr *attr);
int t_mq_close(mqd_t q);
int t_mq_unlink(const char *name);

/* A path opened for reading (a namespace file, /proc/PID/fd/N). */
int t_open_rdonly(const char *path);
/* unlink(2) of a file: a POSIX semaphore is /dev/shm/sem.NAME. */
int t_unlink(const char *path);
/* fcntl(fd, F_GET_SEALS), for listing (lib/trace_fd.h has the memfd
 * applet's own). */
int t_seals_of(int fd);
/* setns(2) with CLONE_NEWIPC or CLONE_NEWNS. */
int t_setns(int fd, int nstype);
/* A directory opened with O_PATH (a process's root or working directory),
 * fchdir(2) to one and chroot(2): entering another process's root. */
int t_open_dir(const char *path);
int t_fchdir(int fd);
int t_chroot(const char *path);

#endif
