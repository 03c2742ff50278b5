/* trace_sem: traced wrappers for POSIX named and System V semaphores. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fmt.h"
#include "trace.h"
#include "trace_sem.h"

/* sem_open's oflag: only O_CREAT and O_EXCL mean anything there. */
static const char *
sem_oflag(char *buf, size_t len, int f)
{
	snprintf(buf, len, "%s%s%s", f & O_CREAT ? "O_CREAT" : "",
	    (f & O_CREAT) && (f & O_EXCL) ? "|" : "",
	    f & O_EXCL ? "O_EXCL" : "");
	if (buf[0] == '\0')
		snprintf(buf, len, "0");
	return buf;
}

sem_t *
t_sem_open(const char *name, int oflag, mode_t mode, unsigned value)
{
	char q[160], f[32];
	sem_t *r = (oflag & O_CREAT) ? sem_open(name, oflag, mode, value)
				     : sem_open(name, oflag);
	long ret = r == SEM_FAILED ? -1L : (long)r;

	if (oflag & O_CREAT)
		TRACE(ret, 1, "sem_open(%s, %s, %04o, %u)",
		    trace_qstr(q, sizeof(q), name),
		    sem_oflag(f, sizeof(f), oflag), (unsigned)mode, value);
	else
		TRACE(ret, 1, "sem_open(%s, %s)",
		    trace_qstr(q, sizeof(q), name),
		    sem_oflag(f, sizeof(f), oflag));
	return r;
}

/* The calls that take a semaphore alone: call(0x7f...). */
static int
sem_call(const char *call, int (*fn)(sem_t *), sem_t *sem)
{
	int r = fn(sem);

	TRACE(r, 0, "%s(%p)", call, (void *)sem);
	return r;
}

int
t_sem_close(sem_t *sem)
{
	return sem_call("sem_close", sem_close, sem);
}

int
t_sem_unlink(const char *name)
{
	char q[160];
	int r = sem_unlink(name);

	TRACE(r, 0, "sem_unlink(%s)", trace_qstr(q, sizeof(q), name));
	return r;
}

int
t_sem_post(sem_t *sem)
{
	return sem_call("sem_post", sem_post, sem);
}

int
t_sem_wait(sem_t *sem)
{
	return sem_call("sem_wait", sem_wait, sem);
}

int
t_sem_trywait(sem_t *sem)
{
	return sem_call("sem_trywait", sem_trywait, sem);
}

int
t_sem_timedwait(sem_t *sem, const struct timespec *abstime)
{
	int r = sem_timedwait(sem, abstime);

	TRACE(r, 0, "sem_timedwait(%p, {tv_sec=%lld, tv_nsec=%ld})",
	    (void *)sem, (long long)abstime->tv_sec, abstime->tv_nsec);
	return r;
}

int
t_sem_getvalue(sem_t *sem, int *value)
{
	int r = sem_getvalue(sem, value);

	if (r == 0)
		TRACE(r, 0, "sem_getvalue(%p, [%d])", (void *)sem, *value);
	else
		TRACE(r, 0, "sem_getvalue(%p, %p)", (void *)sem, (void *)value);
	return r;
}

mode_t
t_umask(mode_t mask)
{
	mode_t r = umask(mask);

	if (trace_on)
		trace_note("umask(%04o) = %04o", (unsigned)mask, (unsigned)r);
	return r;
}

int
t_semget(key_t key, int nsems, int flags)
{
	char k[32], f[64];
	int r = semget(key, nsems, flags);

	TRACE(r, 0, "semget(%s, %d, %s)", trace_ipc_key(k, sizeof(k), key),
	    nsems, trace_ipc_flags(f, sizeof(f), flags));
	return r;
}

static const char *
semctl_cmd(int cmd)
{
	switch (cmd) {
	case IPC_STAT:
		return "IPC_STAT";
	case IPC_SET:
		return "IPC_SET";
	case IPC_RMID:
		return "IPC_RMID";
	case GETVAL:
		return "GETVAL";
	case SETVAL:
		return "SETVAL";
	case GETALL:
		return "GETALL";
	case SETALL:
		return "SETALL";
	case GETNCNT:
		return "GETNCNT";
	case GETZCNT:
		return "GETZCNT";
	case GETPID:
		return "GETPID";
	case SEM_STAT:
		return "SEM_STAT";
	case SEM_STAT_ANY:
		return "SEM_STAT_ANY";
	default:
		return "?";
	}
}

int
t_semctl(int id, int num, int cmd, union semun arg)
{
	int r = semctl(id, num, cmd, arg);
	const char *c = semctl_cmd(cmd);

	if ((cmd == IPC_STAT || cmd == SEM_STAT || cmd == SEM_STAT_ANY) &&
	    r >= 0)
		TRACE(r, 0,
		    "semctl(%d, %d, %s, {sem_perm.mode=%04o, "
		    "sem_nsems=%lu, sem_otime=%lld, ...})",
		    id, num, c, (unsigned)(arg.buf->sem_perm.mode & 0777),
		    (unsigned long)arg.buf->sem_nsems,
		    (long long)arg.buf->sem_otime);
	else if (cmd == IPC_SET)
		TRACE(r, 0,
		    "semctl(%d, %d, IPC_SET, {sem_perm.mode=%04o, ...})", id,
		    num, (unsigned)(arg.buf->sem_perm.mode & 0777));
	else if (cmd == SETVAL)
		TRACE(r, 0, "semctl(%d, %d, SETVAL, %d)", id, num, arg.val);
	else if (cmd == IPC_STAT || cmd == SEM_STAT || cmd == SEM_STAT_ANY)
		TRACE(r, 0, "semctl(%d, %d, %s, %p)", id, num, c,
		    (void *)arg.buf);
	else
		TRACE(r, 0, "semctl(%d, %d, %s)", id, num, c);
	return r;
}

/* "[1, 0, 2]", at most 16 values then "...". */
static const char *
fmt_values(char *buf, size_t len, const unsigned short *v, int n)
{
	size_t k = 0;
	int i;

	k += snprintf(buf, len, "[");
	for (i = 0; i < n && i < 16 && k < len; i++)
		k += snprintf(buf + k, len - k, "%s%u", i ? ", " : "", v[i]);
	if (k < len)
		snprintf(buf + k, len - k, "%s]", n > 16 ? ", ..." : "");
	return buf;
}

int
t_semctl_all(int id, int cmd, unsigned short *array, int n)
{
	union semun arg = { .array = array };
	char v[160];
	int r = semctl(id, 0, cmd, arg);

	TRACE(r, 0, "semctl(%d, 0, %s, %s)", id, semctl_cmd(cmd),
	    r == 0 || cmd == SETALL ? fmt_values(v, sizeof(v), array, n)
				    : "ARRAY");
	return r;
}

/* "[{0, -1, SEM_UNDO}, {1, 1, 0}]", at most 8 operations then "...". */
static const char *
fmt_ops(char *buf, size_t len, const struct sembuf *ops, size_t n)
{
	size_t i, k = 0;

	k += snprintf(buf, len, "[");
	for (i = 0; i < n && i < 8 && k < len; i++) {
		int f = ops[i].sem_flg;
		char fl[32];

		snprintf(fl, sizeof(fl), "%s%s%s",
		    f & SEM_UNDO ? "SEM_UNDO" : "",
		    (f & SEM_UNDO) && (f & IPC_NOWAIT) ? "|" : "",
		    f & IPC_NOWAIT ? "IPC_NOWAIT" : "");
		k += snprintf(buf + k, len - k, "%s{%u, %d, %s}", i ? ", " : "",
		    ops[i].sem_num, ops[i].sem_op, fl[0] ? fl : "0");
	}
	if (k < len)
		snprintf(buf + k, len - k, "%s]", n > 8 ? ", ..." : "");
	return buf;
}

int
t_semop(int id, struct sembuf *ops, size_t n)
{
	char o[512];
	int r = semop(id, ops, n);

	TRACE(r, 0, "semop(%d, %s, %zu)", id, fmt_ops(o, sizeof(o), ops, n), n);
	return r;
}

int
t_semtimedop(int id, struct sembuf *ops, size_t n,
    const struct timespec *timeout)
{
	char o[512];
	int r = semtimedop(id, ops, n, timeout);

	TRACE(r, 0, "semtimedop(%d, %s, %zu, {tv_sec=%lld, tv_nsec=%ld})", id,
	    fmt_ops(o, sizeof(o), ops, n), n, (long long)timeout->tv_sec,
	    timeout->tv_nsec);
	return r;
}
