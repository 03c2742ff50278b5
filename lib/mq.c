/* mq: POSIX and System V message queues behind one interface. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "ipclimits.h"
#include "mq.h"
#include "msg.h"
#include "sysv.h"
#include "trace.h"
#include "trace_ipc.h"
#include "trace_sem.h"
#include "ts.h"

static char reason[192]; /* the fuller reasons *why points at */

long
mqobj_limit(const char *path)
{
	uint64_t v;

	if (ipclimits_read(path, &v, 1) != 0 || v > LONG_MAX)
		return -1;
	return (long)v;
}

static void
obj_init(struct mqobj *o, const struct addr *a)
{
	memset(o, 0, offsetof(struct mqobj, small));
	o->addr = *a;
	o->q = (mqd_t)-1;
	o->id = -1;
}

/* --- POSIX ---------------------------------------------------------- */

/* A create's attributes, each checked against the kernel's limit: the
 * kernel would take a privileged caller past it, or say EINVAL. */
static int
posix_attr(const struct mqattr *in, struct mq_attr *out, const char **why)
{
	static const struct {
		const char *what, *max, *dflt;
	} lim[2] = {
		{ "maxmsg", MQOBJ_MSG_MAX, MQOBJ_MSG_DEFAULT },
		{ "msgsize", MQOBJ_MSGSIZE_MAX, MQOBJ_MSGSIZE_DEFAULT },
	};
	long v[2] = { in->maxmsg, in->msgsize }, max;
	int i;

	for (i = 0; i < 2; i++) {
		max = mqobj_limit(lim[i].max);
		if (v[i] == 0) { /* the default, as mq_open(NULL) takes it */
			v[i] = mqobj_limit(lim[i].dflt);
			if (v[i] <= 0)
				v[i] = i == 0 ? 10 : 8192;
			if (max > 0 && v[i] > max)
				v[i] = max;
		} else if (max > 0 && v[i] > max) {
			snprintf(reason, sizeof(reason),
			    "%s %ld is above the kernel's limit %ld (%s)",
			    lim[i].what, v[i], max, lim[i].max);
			*why = reason;
			errno = EINVAL;
			return -1;
		}
	}
	memset(out, 0, sizeof(*out));
	out->mq_maxmsg = v[0];
	out->mq_msgsize = v[1];
	return 0;
}

/* errno from mq_open as a user reads it. */
static int
posix_open_fail(const char **why)
{
	if (errno == ENOSPC)
		*why = "too many queues (/proc/sys/fs/mqueue/queues_max)";
	else if (errno == EMFILE)
		*why = "too many queues or descriptors open (RLIMIT_MSGQUEUE "
		       "or RLIMIT_NOFILE)";
	else if (errno == ENOSYS)
		*why = "POSIX message queues are not in this kernel";
	return -1;
}

static int
posix_getattr(struct mqobj *o)
{
	struct mq_attr at;

	if (t_mq_getattr(o->q, &at) != 0)
		return -1;
	o->msgsize = at.mq_msgsize;
	return 0;
}

static int
posix_create(struct mqobj *o, mode_t mode, const struct mqattr *attr,
    int exist_ok, int *created, const char **why)
{
	struct mq_attr at, *atp = NULL;
	mode_t old;

	if (attr->maxmsg != 0 || attr->msgsize != 0) {
		if (posix_attr(attr, &at, why) != 0)
			return -1;
		atp = &at;
	}
	old = t_umask(0); /* exactly mode */
	o->q = t_mq_open_mode(o->addr.name,
	    O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode, atp);
	t_umask(old);
	*created = o->q != (mqd_t)-1;
	if (o->q == (mqd_t)-1 && errno == EEXIST && exist_ok)
		o->q = t_mq_open(o->addr.name, O_RDWR | O_CLOEXEC);
	if (o->q == (mqd_t)-1) {
		if (errno == EINVAL && atp != NULL)
			*why = "maxmsg and msgsize must be 1 or more";
		return posix_open_fail(why);
	}
	return 0;
}

static int
posix_open(struct mqobj *o, int what, const char **why)
{
	int rw = what & (MQOBJ_SEND | MQOBJ_RECV);
	int flags = rw == MQOBJ_SEND	      ? O_WRONLY
	    : rw == (MQOBJ_SEND | MQOBJ_RECV) ? O_RDWR
					      : O_RDONLY;

	o->q = t_mq_open(o->addr.name, flags | O_CLOEXEC);
	if (o->q == (mqd_t)-1)
		return posix_open_fail(why);
	/* A receiver's buffer holds the longest message; a sender learns
	 * the length only when a message is refused. */
	if ((what & (MQOBJ_RECV | MQOBJ_SIZE)) && posix_getattr(o) != 0)
		return -1;
	return 0;
}

/* POSIX's absolute timeout: NULL for ever, the epoch for "now". */
static const struct timespec *
posix_deadline(const struct timespec *timeout, struct timespec *end)
{
	if (timeout == NULL)
		return NULL;
	if (ts_zero(timeout)) {
		end->tv_sec = 0, end->tv_nsec = 0;
		return end;
	}
	ts_deadline(CLOCK_REALTIME, timeout, end);
	return end;
}

/* After a refused send, the queue's msgsize for the message. */
static int
too_long(size_t n, const char *what, long max, const char **why)
{
	snprintf(reason, sizeof(reason),
	    "message of %zu bytes is longer than the queue's %s %ld", n, what,
	    max);
	*why = reason;
	errno = EMSGSIZE;
	return -1;
}

static int
posix_send(struct mqobj *o, const void *p, size_t n, long prio,
    const struct timespec *timeout, volatile sig_atomic_t *stop,
    const char **why)
{
	struct timespec end;
	const struct timespec *abs = posix_deadline(timeout, &end);

	for (;;) {
		if (t_mq_timedsend(o->q, p, n, (unsigned)prio, abs) == 0)
			return 0;
		if (errno != EINTR || (stop != NULL && *stop))
			break;
	}
	if (errno == ETIMEDOUT)
		errno = EAGAIN;
	else if (errno == EMSGSIZE && posix_getattr(o) == 0)
		return too_long(n, "msgsize", o->msgsize, why);
	else if (errno == EBADF)
		*why = "not open for sending";
	return -1;
}

static int
posix_recv(struct mqobj *o, const struct timespec *timeout,
    volatile sig_atomic_t *stop, size_t *n, long *prio)
{
	struct timespec end;
	const struct timespec *abs = posix_deadline(timeout, &end);
	unsigned pr = 0;
	ssize_t r;

	for (;;) {
		r = t_mq_timedreceive(o->q, o->buf, o->cap, &pr, abs);
		if (r >= 0) {
			*n = (size_t)r;
			*prio = pr;
			return 0;
		}
		if (errno != EINTR || (stop != NULL && *stop))
			break;
	}
	if (errno == ETIMEDOUT)
		errno = EAGAIN;
	return -1;
}

/* The line an mqueue file reads as: "QSIZE:129 NOTIFY:2 SIGNO:0
 * NOTIFY_PID:8260". */
static void
posix_qsize(struct mqobj *o, struct mqdesc *d)
{
	char line[128];
	long qsize;
	int pid;
	ssize_t r = t_pread((int)o->q, line, sizeof(line) - 1, 0);

	if (r <= 0)
		return;
	line[r] = '\0';
	if (sscanf(line, "QSIZE:%ld NOTIFY:%*d SIGNO:%*d NOTIFY_PID:%d", &qsize,
		&pid) == 2) {
		d->bytes = qsize;
		d->notify_pid = pid;
	}
}

static int
posix_describe(struct mqobj *o, struct mqdesc *d)
{
	struct mq_attr at;
	struct stat st;

	if (t_mq_getattr(o->q, &at) != 0 || t_fstat((int)o->q, &st) != 0)
		return -1;
	d->maxmsg = at.mq_maxmsg;
	d->msgsize = at.mq_msgsize;
	d->messages = at.mq_curmsgs;
	d->mode = st.st_mode & 07777;
	d->uid = d->cuid = st.st_uid;
	d->gid = d->cgid = st.st_gid;
	d->stime = st.st_mtime;
	d->rtime = st.st_atime;
	d->ctime = st.st_ctime;
	d->dev = st.st_dev;
	d->ino = st.st_ino;
	posix_qsize(o, d);
	return 0;
}

/* --- System V ------------------------------------------------------- */

static int
msg_get(key_t key)
{
	return t_msgget(key, 0);
}

static int
sysv_stat(int id, struct msqid_ds *ds)
{
	if (t_msgctl(id, IPC_STAT, ds) != 0) {
		errno = sysv_errno(errno);
		return -1;
	}
	return 0;
}

/* The longest message: the smaller of kernel.msgmax and the queue's
 * msg_qbytes (a longer one would wait for room for ever). */
static int
sysv_sizes(struct mqobj *o, int msgmax)
{
	struct msqid_ds ds;

	if (sysv_stat(o->id, &ds) != 0)
		return -1;
	o->sysv_qbytes = (long)ds.msg_qbytes;
	/* A sender learns msgmax only when a message is refused. */
	o->sysv_msgmax = msgmax ? mqobj_limit(MQOBJ_SYSV_MSGMAX) : LONG_MAX;
	if (o->sysv_msgmax <= 0)
		o->sysv_msgmax = 8192;
	o->msgsize = o->sysv_msgmax < o->sysv_qbytes ? o->sysv_msgmax
						     : o->sysv_qbytes;
	return 0;
}

static int
sysv_create(struct mqobj *o, mode_t mode, const struct mqattr *attr,
    int exist_ok, int *created, const char **why)
{
	struct msqid_ds ds;
	long mnb;
	int e;

	if (o->addr.kind == ADDR_ID) {
		*why = "an id names an existing queue: create by key: or ftok:";
		errno = EINVAL;
		return -1;
	}
	o->id = t_msgget(o->addr.key, IPC_CREAT | IPC_EXCL | (int)mode);
	*created = o->id >= 0;
	if (o->id < 0 && errno == EEXIST && exist_ok)
		o->id = t_msgget(o->addr.key, 0);
	if (o->id < 0) {
		if (errno == ENOSPC)
			*why = "too many queues (kernel.msgmni)";
		return -1;
	}
	if (!*created || attr->qbytes == 0)
		return 0;
	if (sysv_stat(o->id, &ds) == 0) {
		ds.msg_qbytes = (msglen_t)attr->qbytes;
		if (t_msgctl(o->id, IPC_SET, &ds) == 0)
			return 0;
	}
	/* No queue with the wrong size is left behind. */
	e = errno;
	if (e == EPERM && (mnb = mqobj_limit("/proc/sys/kernel/msgmnb")) > 0) {
		snprintf(reason, sizeof(reason),
		    "qbytes %ld is above kernel.msgmnb %ld "
		    "(going past it needs CAP_SYS_RESOURCE)",
		    attr->qbytes, mnb);
		*why = reason;
	}
	(void)t_msgctl(o->id, IPC_RMID, NULL);
	o->id = -1;
	*created = 0;
	errno = e;
	return -1;
}

static int
sysv_open(struct mqobj *o, int what, const char **why)
{
	if (sysv_id(&o->addr, msg_get, "queue", &o->id, why) != 0) {
		errno = sysv_errno(errno);
		return -1;
	}
	return sysv_sizes(o, what & (MQOBJ_RECV | MQOBJ_SIZE));
}

static void
on_alarm(int sig)
{
	(void)sig;
}

/* A System V call has no timeout: an interval timer interrupts it
 * (msgsnd and msgrcv are never restarted after a handler), again every
 * 10 ms in case the first came before the call began. */
struct alarm {
	struct sigaction old;
	struct itimerval oldt;
	int armed;
};

static void
alarm_arm(struct alarm *al, const struct timespec *left)
{
	struct sigaction sa;
	struct itimerval it;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &al->old);
	it.it_value.tv_sec = left->tv_sec;
	it.it_value.tv_usec = left->tv_nsec / 1000;
	if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
		it.it_value.tv_usec = 1;
	it.it_interval.tv_sec = 0;
	it.it_interval.tv_usec = 10000;
	setitimer(ITIMER_REAL, &it, &al->oldt);
	al->armed = 1;
}

static void
alarm_disarm(struct alarm *al)
{
	int e = errno;

	if (!al->armed)
		return;
	setitimer(ITIMER_REAL, &al->oldt, NULL);
	sigaction(SIGALRM, &al->old, NULL);
	al->armed = 0;
	errno = e;
}

/* One msgsnd or msgrcv (recv: type and flags), waiting as timeout says:
 * no wait first, then a blocking call bounded by the alarm.  The result
 * of the call, with errno EAGAIN when the time ran out. */
static ssize_t
sysv_call(struct mqobj *o, int recv, size_t n, long type, int flags,
    const struct timespec *timeout, volatile sig_atomic_t *stop)
{
	struct alarm al = { .armed = 0 };
	struct timespec end, left;
	ssize_t r;
	int wait = timeout == NULL ? 0 : IPC_NOWAIT;

	if (timeout != NULL && !ts_zero(timeout))
		ts_deadline(CLOCK_MONOTONIC, timeout, &end);
	for (;;) {
		r = recv ? t_msgrcv(o->id, o->buf, n, type, flags | wait)
			 : t_msgsnd(o->id, o->buf, n, flags | wait);
		if (r >= 0)
			break;
		if (errno == ENOMSG)
			errno = EAGAIN;
		if (errno == EAGAIN && wait && timeout != NULL &&
		    !ts_zero(timeout) && !al.armed) {
			if (!ts_left(&end, &left))
				break;
			alarm_arm(&al, &left);
			wait = 0;
			continue;
		}
		if (errno != EINTR || (stop != NULL && *stop))
			break;
		if (al.armed && !ts_left(&end, &left)) {
			errno = EAGAIN;
			break;
		}
	}
	alarm_disarm(&al);
	return r;
}

/* Room for n bytes after the mtype: the object's own few kilobytes when
 * they do (no malloc on the one-message path), else the heap. */
static void
sysv_buf(struct mqobj *o, size_t n)
{
	if (o->buf != NULL && o->cap >= n)
		return;
	if (o->buf != o->small)
		free(o->buf);
	if (n <= sizeof(o->small) - sizeof(long))
		o->buf = o->small;
	else
		o->buf = xmalloc(sizeof(long) + n);
	o->cap = n;
}

static int
sysv_send(struct mqobj *o, const void *p, size_t n, long type,
    const struct timespec *timeout, volatile sig_atomic_t *stop,
    const char **why)
{
	if ((long)n > o->sysv_qbytes)
		return too_long(n, "qbytes", o->sysv_qbytes, why);
	sysv_buf(o, n);
	memcpy(o->buf, &type, sizeof(type));
	memcpy(o->buf + sizeof(long), p, n);
	if (sysv_call(o, 0, n, 0, 0, timeout, stop) >= 0)
		return 0;
	if (errno == EINVAL) {
		/* msgmax may have changed since the queue was opened. */
		long max = mqobj_limit(MQOBJ_SYSV_MSGMAX);

		if (max >= 0 && (long)n > max) {
			snprintf(reason, sizeof(reason),
			    "message of %zu bytes is longer than kernel.msgmax "
			    "%ld",
			    n, max);
			*why = reason;
			errno = EMSGSIZE;
			return -1;
		}
	}
	if (errno == EIDRM)
		*why = "the queue was removed";
	errno = sysv_errno(errno);
	return -1;
}

static int
sysv_recv(struct mqobj *o, long type, int except,
    const struct timespec *timeout, volatile sig_atomic_t *stop, size_t *n,
    long *prio, const char **why)
{
	ssize_t r;

	for (;;) {
		r = sysv_call(o, 1, o->cap, type, except ? MSG_EXCEPT : 0,
		    timeout, stop);
		if (r >= 0 || errno != E2BIG)
			break;
		/* Longer than the buffer (msgmax was lowered since it was
		 * sent): it stays queued; take it with a larger one. */
		sysv_buf(o, o->cap * 2);
	}
	if (r < 0) {
		if (errno == EIDRM)
			*why = "the queue was removed";
		errno = sysv_errno(errno);
		return -1;
	}
	memcpy(prio, o->buf, sizeof(long));
	*n = (size_t)r;
	return 0;
}

static int
sysv_describe(struct mqobj *o, struct mqdesc *d)
{
	struct msqid_ds ds;

	if (sysv_stat(o->id, &ds) != 0)
		return -1;
	d->key = ds.msg_perm.__key;
	d->id = o->id;
	d->qbytes = (long)ds.msg_qbytes;
	d->messages = (long)ds.msg_qnum;
	d->bytes = (long)ds.__msg_cbytes;
	d->mode = ds.msg_perm.mode & 0777;
	d->uid = ds.msg_perm.uid, d->cuid = ds.msg_perm.cuid;
	d->gid = ds.msg_perm.gid, d->cgid = ds.msg_perm.cgid;
	d->stime = ds.msg_stime;
	d->rtime = ds.msg_rtime;
	d->ctime = ds.msg_ctime;
	d->lspid = ds.msg_lspid;
	d->lrpid = ds.msg_lrpid;
	return 0;
}

/* --- Both ----------------------------------------------------------- */

int
mqobj_create(struct mqobj *o, const struct addr *a, mode_t mode,
    const struct mqattr *attr, int exist_ok, int *created, const char **why)
{
	obj_init(o, a);
	*created = 0;
	if (addr_is_sysv(a)) {
		if (sysv_create(o, mode, attr, exist_ok, created, why) != 0 ||
		    sysv_sizes(o, 1) != 0)
			return -1;
		return 0;
	}
	if (posix_create(o, mode, attr, exist_ok, created, why) != 0 ||
	    posix_getattr(o) != 0)
		return -1;
	return 0;
}

int
mqobj_open(struct mqobj *o, const struct addr *a, int what, const char **why)
{
	size_t n;
	int r;

	obj_init(o, a);
	r = addr_is_sysv(a) ? sysv_open(o, what, why)
			    : posix_open(o, what, why);
	if (r == 0 && (what & MQOBJ_RECV)) {
		n = (size_t)o->msgsize;
		if (addr_is_sysv(a) && o->sysv_msgmax > o->msgsize)
			n = (size_t)o->sysv_msgmax;
		sysv_buf(o, n); /* POSIX too: the mtype is room to spare */
	}
	return r;
}

void
mqobj_close(struct mqobj *o)
{
	if (o->q != (mqd_t)-1)
		t_mq_close(o->q);
	if (o->buf != o->small)
		free(o->buf);
	o->q = (mqd_t)-1;
	o->id = -1;
	o->buf = NULL;
	o->cap = 0;
}

int
mqobj_fits(const struct mqobj *o, size_t n, const char **why)
{
	if (addr_is_sysv(&o->addr)) {
		if ((long)n > o->sysv_qbytes)
			return too_long(n, "qbytes", o->sysv_qbytes, why);
		if ((long)n > o->sysv_msgmax) {
			snprintf(reason, sizeof(reason),
			    "message of %zu bytes is longer than kernel.msgmax "
			    "%ld",
			    n, o->sysv_msgmax);
			*why = reason;
			errno = EMSGSIZE;
			return -1;
		}
		return 0;
	}
	if (o->msgsize > 0 && (long)n > o->msgsize)
		return too_long(n, "msgsize", o->msgsize, why);
	return 0;
}

int
mqobj_send(struct mqobj *o, const void *p, size_t n, long prio,
    const struct timespec *timeout, volatile sig_atomic_t *stop,
    const char **why)
{
	if (addr_is_sysv(&o->addr))
		return sysv_send(o, p, n, prio, timeout, stop, why);
	return posix_send(o, p, n, prio, timeout, stop, why);
}

int
mqobj_recv(struct mqobj *o, long type, int except,
    const struct timespec *timeout, volatile sig_atomic_t *stop, const char **p,
    size_t *n, long *prio, const char **why)
{
	if (addr_is_sysv(&o->addr)) {
		if (sysv_recv(o, type, except, timeout, stop, n, prio, why) !=
		    0)
			return -1;
		*p = o->buf + sizeof(long);
		return 0;
	}
	if (posix_recv(o, timeout, stop, n, prio) != 0)
		return -1;
	*p = o->buf;
	return 0;
}

int
mqobj_describe(struct mqobj *o, struct mqdesc *d, const char **why)
{
	(void)why;
	memset(d, 0, sizeof(*d));
	d->sysv = addr_is_sysv(&o->addr);
	d->bytes = -1;
	d->notify_pid = -1;
	d->id = -1;
	return d->sysv ? sysv_describe(o, d) : posix_describe(o, d);
}

int
mqobj_notify(struct mqobj *o, int signo, const char **why)
{
	struct sigevent sev;

	if (addr_is_sysv(&o->addr)) {
		*why = "System V queues have no notification (POSIX only)";
		errno = EOPNOTSUPP;
		return -1;
	}
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = signo;
	if (t_mq_notify(o->q, &sev) == 0)
		return 0;
	if (errno == EBUSY)
		*why = "another process is registered for its notification";
	return -1;
}

int
mqobj_remove(const struct addr *a, const char **why)
{
	int id;

	if (!addr_is_sysv(a))
		return t_mq_unlink(a->name);
	if (sysv_id(a, msg_get, "queue", &id, why) != 0) {
		errno = sysv_errno(errno);
		return -1;
	}
	if (t_msgctl(id, IPC_RMID, NULL) != 0) {
		errno = sysv_errno(errno);
		return -1;
	}
	return 0;
}
