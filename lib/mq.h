/* mq: a message queue, POSIX (mq_open(3), /name) or System V (key:,
 * id:, ftok:), behind one interface, the way shm.h and sem.h do it for
 * shared memory and semaphores.
 *
 * Functions return 0, or -1 with errno set; callers name the object and
 * the verb in the message.  Where errno alone would mislead, *why (when
 * not NULL) is set to a fuller reason.  EAGAIN means "timed out" or
 * "would block"; EINTR means a signal arrived and *stop was set.
 *
 * A message is never split: one that does not fit is refused before
 * anything is sent, and one is received whole or not at all (a buffer too
 * small for a System V message grows and the call is made again; the
 * message stays queued meanwhile).
 *
 * A message's priority (POSIX, 0 to MQ_PRIO_MAX - 1) and type (System V,
 * 1 or more) are one number, "prio" below.
 */
#ifndef IPCBOX_MQ_H
#define IPCBOX_MQ_H

#include <mqueue.h>
#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "addr.h"

/* The kernel's limits (/proc/sys/fs/mqueue, /proc/sys/kernel/msgmax). */
#define MQOBJ_MSG_MAX "/proc/sys/fs/mqueue/msg_max"
#define MQOBJ_MSGSIZE_MAX "/proc/sys/fs/mqueue/msgsize_max"
#define MQOBJ_MSG_DEFAULT "/proc/sys/fs/mqueue/msg_default"
#define MQOBJ_MSGSIZE_DEFAULT "/proc/sys/fs/mqueue/msgsize_default"
#define MQOBJ_SYSV_MSGMAX "/proc/sys/kernel/msgmax"
/* Linux's MQ_PRIO_MAX (sysconf(_SC_MQ_PRIO_MAX)). */
#define MQOBJ_PRIO_MAX 32768L

struct mqobj {
	struct addr addr;
	mqd_t q; /* POSIX: the descriptor, else -1 */
	int id; /* System V: the id, else -1 */
	long msgsize; /* the longest message: POSIX mq_msgsize; System V
			 the smaller of kernel.msgmax and msg_qbytes */
	long sysv_qbytes; /* System V: msg_qbytes */
	long sysv_msgmax; /* System V: kernel.msgmax */
	char *buf; /* receive buffer (System V: mtype first): small, or
		      from the heap */
	size_t cap; /* its bytes after the mtype */
	char small[8192 + sizeof(long)];
};

/* create's attributes: 0 for "the default". */
struct mqattr {
	long maxmsg, msgsize; /* POSIX */
	long qbytes; /* System V */
};

/* What stat prints. */
struct mqdesc {
	int sysv;
	key_t key;
	int id;
	long maxmsg, msgsize; /* POSIX */
	long qbytes; /* System V */
	long messages, bytes; /* bytes: -1 when unknown */
	mode_t mode;
	uid_t uid, cuid;
	gid_t gid, cgid;
	time_t stime, rtime, ctime; /* System V; POSIX: mtime, atime, ctime */
	pid_t lspid, lrpid; /* System V */
	pid_t notify_pid; /* POSIX: the process registered, 0 none, -1
			     unknown */
	dev_t dev; /* POSIX: the queue's file */
	ino_t ino;
};

/* A limit from /proc/sys (MQOBJ_*), or -1 when it cannot be read. */
long mqobj_limit(const char *path);

/* Create exclusively with exactly mode (no umask); exist_ok: open an
 * existing one instead, unchanged.  POSIX: maxmsg and msgsize, each
 * checked against the kernel's limit first (*why names it); System V:
 * qbytes, set with IPC_SET after msgget.  Sets *created; a System V
 * create keeps the new id in o->id.  The queue is open for sending and
 * receiving. */
int mqobj_create(struct mqobj *o, const struct addr *a, mode_t mode,
    const struct mqattr *attr, int exist_ok, int *created, const char **why);

enum {
	MQOBJ_SEND = 1, /* for sending */
	MQOBJ_RECV = 2, /* for receiving: a buffer for the longest message */
	MQOBJ_SIZE = 4, /* learn the longest message (mqobj_fits) now */
};
/* Open for what (MQOBJ_*; none of them: only to describe). */
int
mqobj_open(struct mqobj *o, const struct addr *a, int what, const char **why);
void mqobj_close(struct mqobj *o);

/* Whether a message of n bytes fits (opened with MQOBJ_SIZE or
 * MQOBJ_RECV): 0, or -1 with EMSGSIZE and *why ("message of N bytes is
 * longer than the queue's msgsize M").  A send checks it too. */
int mqobj_fits(const struct mqobj *o, size_t n, const char **why);

/* Send one message: timeout NULL waits for room for ever, a zero one
 * does not wait.  A signal handler's run restarts the wait unless *stop
 * (when stop is not NULL) is set, which fails with EINTR. */
int mqobj_send(struct mqobj *o, const void *p, size_t n, long prio,
    const struct timespec *timeout, volatile sig_atomic_t *stop,
    const char **why);

/* Receive one message into o's buffer: *p and *n say where it is and
 * how long, *prio its priority or type.  type and except: System V's
 * msgrcv selection (0 the first, N the first of type N, -N the first of
 * the lowest type up to N; except: the first not of type N).  Waits as
 * mqobj_send does. */
int mqobj_recv(struct mqobj *o, long type, int except,
    const struct timespec *timeout, volatile sig_atomic_t *stop, const char **p,
    size_t *n, long *prio, const char **why);

int mqobj_describe(struct mqobj *o, struct mqdesc *d, const char **why);

/* POSIX: register for one notification, signal signo when a message
 * arrives in the empty queue (mq_notify(3)); EBUSY: another process is
 * registered (*why says so). */
int mqobj_notify(struct mqobj *o, int signo, const char **why);

/* Remove by address. */
int mqobj_remove(const struct addr *a, const char **why);

#endif
