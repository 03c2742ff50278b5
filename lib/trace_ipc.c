/* trace_ipc: traced wrappers for listing and cleanup. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "trace.h"
#include "trace_fd.h"
#include "trace_ipc.h"
#include "trace_sem.h"

int
t_semctl_stat(int id, struct semid_ds *ds)
{
	int r = semctl(id, 0, IPC_STAT, ds);

	if (r == 0)
		TRACE(r, 0,
		    "semctl(%d, 0, IPC_STAT, {sem_nsems=%lu, "
		    "sem_otime=%lld, sem_ctime=%lld, ...})",
		    id, (unsigned long)ds->sem_nsems, (long long)ds->sem_otime,
		    (long long)ds->sem_ctime);
	else
		TRACE(r, 0, "semctl(%d, 0, IPC_STAT, BUF)", id);
	return r;
}

int
t_semctl_getpid(int id, int num)
{
	return t_semctl(id, num, GETPID, (union semun){ .val = 0 });
}

int
t_semctl_rmid(int id)
{
	return t_semctl(id, 0, IPC_RMID, (union semun){ .val = 0 });
}

int
t_msgctl(int id, int cmd, struct msqid_ds *ds)
{
	int r = msgctl(id, cmd, ds);

	if (cmd == IPC_STAT && r == 0)
		TRACE(r, 0,
		    "msgctl(%d, IPC_STAT, {msg_qnum=%lu, "
		    "msg_lspid=%d, msg_lrpid=%d, ...})",
		    id, (unsigned long)ds->msg_qnum, (int)ds->msg_lspid,
		    (int)ds->msg_lrpid);
	else
		TRACE(r, 0, "msgctl(%d, %s, %s)", id,
		    cmd == IPC_STAT	  ? "IPC_STAT"
			: cmd == IPC_RMID ? "IPC_RMID"
			: cmd == IPC_SET  ? "IPC_SET"
					  : "?",
		    ds ? "BUF" : "NULL");
	return r;
}

int
t_msgget(key_t key, int flags)
{
	char k[32], f[64];
	int r = msgget(key, flags);

	TRACE(r, 0, "msgget(%s, %s)", trace_ipc_key(k, sizeof(k), key),
	    trace_ipc_flags(f, sizeof(f), flags));
	return r;
}

static const char *
msg_flags(char *buf, size_t len, int flags)
{
	snprintf(buf, len, "%s%s%s%s", flags == 0 ? "0" : "",
	    flags & IPC_NOWAIT ? "IPC_NOWAIT" : "",
	    (flags & IPC_NOWAIT) && (flags & MSG_EXCEPT) ? "|" : "",
	    flags & MSG_EXCEPT ? "MSG_EXCEPT" : "");
	return buf;
}

int
t_msgsnd(int id, const void *buf, size_t n, int flags)
{
	char q[160], f[32];
	long type;
	int r = msgsnd(id, buf, n, flags);

	memcpy(&type, buf, sizeof(type));
	TRACE(r, 0, "msgsnd(%d, {mtype=%ld, mtext=%s}, %zu, %s)", id, type,
	    trace_quote(q, sizeof(q), (const char *)buf + sizeof(long), n), n,
	    msg_flags(f, sizeof(f), flags));
	return r;
}

ssize_t
t_msgrcv(int id, void *buf, size_t n, long type, int flags)
{
	char q[160], f[32];
	long got;
	ssize_t r = msgrcv(id, buf, n, type, flags);

	if (r >= 0) {
		memcpy(&got, buf, sizeof(got));
		TRACE(r, 0, "msgrcv(%d, {mtype=%ld, mtext=%s}, %zu, %ld, %s)",
		    id, got,
		    trace_quote(q, sizeof(q), (char *)buf + sizeof(long),
			(size_t)r),
		    n, type, msg_flags(f, sizeof(f), flags));
	} else
		TRACE(r, 0, "msgrcv(%d, BUF, %zu, %ld, %s)", id, n, type,
		    msg_flags(f, sizeof(f), flags));
	return r;
}

mqd_t
t_mq_open(const char *name, int oflag)
{
	return t_mq_open_mode(name, oflag, 0, NULL);
}

mqd_t
t_mq_open_mode(const char *name, int oflag, mode_t mode, struct mq_attr *attr)
{
	char q[160], f[128], a[96];
	mqd_t r = (oflag & O_CREAT) ? mq_open(name, oflag, mode, attr)
				    : mq_open(name, oflag);

	if (attr != NULL)
		snprintf(a, sizeof(a), "{mq_maxmsg=%ld, mq_msgsize=%ld}",
		    attr->mq_maxmsg, attr->mq_msgsize);
	else
		snprintf(a, sizeof(a), "NULL");
	if (oflag & O_CREAT)
		TRACE(r, 0, "mq_open(%s, %s, %04o, %s)",
		    trace_qstr(q, sizeof(q), name),
		    trace_open_flags(f, sizeof(f), oflag), (unsigned)mode, a);
	else
		TRACE(r, 0, "mq_open(%s, %s)", trace_qstr(q, sizeof(q), name),
		    trace_open_flags(f, sizeof(f), oflag));
	return r;
}

static const char *
abs_time(char *buf, size_t len, const struct timespec *t)
{
	snprintf(buf, len, "{tv_sec=%lld, tv_nsec=%ld}", (long long)t->tv_sec,
	    t->tv_nsec);
	return buf;
}

int
t_mq_timedsend(mqd_t q, const char *p, size_t n, unsigned prio,
    const struct timespec *abs_timeout)
{
	char m[160], t[64];
	int r;

	/* glibc declares abs_timeout nonnull: mq_send is the call without. */
	if (abs_timeout == NULL) {
		r = mq_send(q, p, n, prio);
		TRACE(r, 0, "mq_send(%d, %s, %zu, %u)", (int)q,
		    trace_quote(m, sizeof(m), p, n), n, prio);
		return r;
	}
	r = mq_timedsend(q, p, n, prio, abs_timeout);
	TRACE(r, 0, "mq_timedsend(%d, %s, %zu, %u, %s)", (int)q,
	    trace_quote(m, sizeof(m), p, n), n, prio,
	    abs_time(t, sizeof(t), abs_timeout));
	return r;
}

ssize_t
t_mq_timedreceive(mqd_t q, char *p, size_t n, unsigned *prio,
    const struct timespec *abs_timeout)
{
	const char *call = abs_timeout ? "mq_timedreceive" : "mq_receive";
	char m[160], t[64];
	ssize_t r = abs_timeout ? mq_timedreceive(q, p, n, prio, abs_timeout)
				: mq_receive(q, p, n, prio);

	/* The timeout as a C caller of each passes it: none for mq_receive. */
	if (abs_timeout != NULL)
		snprintf(t, sizeof(t), ", {tv_sec=%lld, tv_nsec=%ld}",
		    (long long)abs_timeout->tv_sec, abs_timeout->tv_nsec);
	else
		t[0] = '\0';
	if (r >= 0)
		TRACE(r, 0, "%s(%d, %s, %zu, [%u]%s)", call, (int)q,
		    trace_quote(m, sizeof(m), p, (size_t)r), n, *prio, t);
	else
		TRACE(r, 0, "%s(%d, BUF, %zu, PRIO%s)", call, (int)q, n, t);
	return r;
}

int
t_mq_notify(mqd_t q, const struct sigevent *sev)
{
	char sig[16];
	int r = mq_notify(q, sev);

	if (sev == NULL)
		TRACE(r, 0, "mq_notify(%d, NULL)", (int)q);
	else {
		snprintf(sig, sizeof(sig), "SIG%s",
		    sigabbrev_np(sev->sigev_signo)
			? sigabbrev_np(sev->sigev_signo)
			: "?");
		TRACE(r, 0,
		    "mq_notify(%d, {sigev_notify=SIGEV_SIGNAL, "
		    "sigev_signo=%s})",
		    (int)q, sig);
	}
	return r;
}

int
t_mq_getattr(mqd_t q, struct mq_attr *a)
{
	int r = mq_getattr(q, a);

	if (r == 0)
		TRACE(r, 0,
		    "mq_getattr(%d, {mq_maxmsg=%ld, mq_msgsize=%ld, "
		    "mq_curmsgs=%ld})",
		    (int)q, a->mq_maxmsg, a->mq_msgsize, a->mq_curmsgs);
	else
		TRACE(r, 0, "mq_getattr(%d, BUF)", (int)q);
	return r;
}

int
t_mq_close(mqd_t q)
{
	int r = mq_close(q);

	TRACE(r, 0, "mq_close(%d)", (int)q);
	return r;
}

int
t_mq_unlink(const char *name)
{
	char q[160];
	int r = mq_unlink(name);

	TRACE(r, 0, "mq_unlink(%s)", trace_qstr(q, sizeof(q), name));
	return r;
}

int
t_open_rdonly(const char *path)
{
	return t_open_proc(path, O_RDONLY | O_CLOEXEC);
}

int
t_unlink(const char *path)
{
	char q[160];
	int r = unlink(path);

	TRACE(r, 0, "unlink(%s)", trace_qstr(q, sizeof(q), path));
	return r;
}

int
t_seals_of(int fd)
{
	int r = fcntl(fd, F_GET_SEALS);

	TRACE(r, 0, "fcntl(%d, F_GET_SEALS)", fd);
	return r;
}

int
t_setns(int fd, int nstype)
{
	int r = setns(fd, nstype);

	TRACE(r, 0, "setns(%d, %s)", fd,
	    nstype == CLONE_NEWIPC	? "CLONE_NEWIPC"
		: nstype == CLONE_NEWNS ? "CLONE_NEWNS"
					: "0");
	return r;
}

int
t_open_dir(const char *path)
{
	int r = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	char q[160];

	TRACE(r, 0, "open(%s, O_PATH|O_DIRECTORY|O_CLOEXEC)",
	    trace_qstr(q, sizeof(q), path));
	return r;
}

int
t_fchdir(int fd)
{
	int r = fchdir(fd);

	TRACE(r, 0, "fchdir(%d)", fd);
	return r;
}

int
t_chroot(const char *path)
{
	int r = chroot(path);
	char q[160];

	TRACE(r, 0, "chroot(%s)", trace_qstr(q, sizeof(q), path));
	return r;
}
