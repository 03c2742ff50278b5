/* sem: POSIX named and System V semaphores behind one interface. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "sem.h"
#include "shm.h"
#include "sysv.h"
#include "trace.h"
#include "trace_sem.h"
#include "trace_shm.h"
#include "ts.h"

static char reason[160]; /* the fuller reasons *why points at */

static void
obj_init(struct semobj *o, const struct addr *a)
{
	memset(o, 0, sizeof(*o));
	o->addr = *a;
	o->sem = NULL;
	o->id = -1;
}

unsigned
semobj_max(const struct addr *a)
{
	return addr_is_sysv(a) ? SEMOBJ_SYSV_MAX : SEMOBJ_POSIX_MAX;
}

int
semobj_check_addr(const struct addr *a, const char **errstr)
{
	if (a->kind == ADDR_POSIX && strlen(a->name + 1) > SEMOBJ_NAME_MAX) {
		*errstr = "invalid name: longer than 251 bytes";
		return -1;
	}
	return 0;
}

/* --- System V ------------------------------------------------------ */

static int
sem_get(key_t key)
{
	return t_semget(key, 0, 0);
}

/* The set's id (lib/sysv.c). */
static int
set_id(const struct addr *a, int *id, const char **why)
{
	return sysv_id(a, sem_get, "set", id, why);
}

static int
sysv_stat(int id, struct semid_ds *ds)
{
	union semun arg = { .buf = ds };

	if (t_semctl(id, 0, IPC_STAT, arg) < 0) {
		errno = sysv_errno(errno);
		return -1;
	}
	return 0;
}

/* After a failed call on index idx: an index past the end of the set
 * (EFBIG from semop, EINVAL from semctl) gets its own reason, a removed
 * set reads ENOENT. */
static int
sysv_fail(const struct semobj *o, int idx, const char **why)
{
	struct semid_ds ds;
	int e = errno;

	if (e == EFBIG || e == EINVAL) {
		if (sysv_stat(o->id, &ds) != 0)
			return -1;
		if ((unsigned long)idx >= ds.sem_nsems) {
			snprintf(reason, sizeof(reason),
			    "index %d is past the "
			    "end of the set (%lu semaphore%s)",
			    idx, (unsigned long)ds.sem_nsems,
			    ds.sem_nsems == 1 ? "" : "s");
			*why = reason;
			errno = EFBIG;
			return -1;
		}
	}
	if (e == EIDRM)
		*why = "the set was removed";
	errno = sysv_errno(e);
	return -1;
}

/* One semop: no wait with a zero timeout, semtimedop(2) with another,
 * restarted after a signal handler (with the time left) unless *stop. */
static int
sysv_semop(const struct semobj *o, struct sembuf *ops, size_t n,
    const struct timespec *timeout, volatile sig_atomic_t *stop,
    const char **why)
{
	struct timespec end, left;
	size_t i;
	int r, top = 0;

	if (ts_zero(timeout))
		for (i = 0; i < n; i++)
			ops[i].sem_flg |= IPC_NOWAIT;
	else if (timeout != NULL) {
		ts_deadline(CLOCK_MONOTONIC, timeout, &end);
	}
	for (;;) {
		if (timeout != NULL && !ts_zero(timeout)) {
			if (!ts_left(&end, &left)) {
				errno = EAGAIN;
				return -1;
			}
			r = t_semtimedop(o->id, ops, n, &left);
		} else
			r = t_semop(o->id, ops, n);
		if (r == 0)
			return 0;
		if (errno != EINTR || (stop != NULL && *stop))
			break;
	}
	if (errno == EAGAIN || errno == EINTR)
		return -1;
	if (errno == E2BIG) {
		*why = "too many operations (the limit is kernel.sem SEMOPM)";
		return -1;
	}
	if (errno == ERANGE) {
		snprintf(reason, sizeof(reason), "a value would pass %u",
		    SEMOBJ_SYSV_MAX);
		*why = reason;
		return -1;
	}
	for (i = 0; i < n; i++)
		if (ops[i].sem_num > top)
			top = ops[i].sem_num;
	return sysv_fail(o, top, why);
}

/* The set's values, then one semop(2) on index 0: its value, and the
 * set's sem_otime, which tells openers the set is ready.  (A zero value
 * is a wait-for-zero, which succeeds at once and sets sem_otime too.) */
static int
sysv_init(int id, int nsems, const unsigned *values)
{
	struct sembuf op = { 0, (short)values[0], IPC_NOWAIT };
	unsigned short *v;
	int i, rest = 0, r;

	for (i = 1; i < nsems; i++)
		rest |= values[i] != 0;
	if (rest) {
		v = xcalloc(nsems, sizeof(*v));
		for (i = 1; i < nsems; i++)
			v[i] = (unsigned short)values[i];
		r = t_semctl_all(id, SETALL, v, nsems);
		free(v);
		if (r != 0)
			return -1;
	}
	/* EAGAIN: another process's semop moved index 0 already, which set
	 * sem_otime just as well. */
	if (t_semop(id, &op, 1) != 0 && errno != EAGAIN)
		return -1;
	return 0;
}

/* An opener of an existing set waits until its creator has initialised
 * it (sem_otime set).  A set never operated on (ipcmk -S makes those)
 * never will be: one whose creation is two seconds old is taken as it is. */
static int
sysv_wait_ready(int id)
{
	struct semid_ds ds;
	useconds_t nap = 1000;

	for (;;) {
		if (sysv_stat(id, &ds) != 0)
			return -1;
		if (ds.sem_otime != 0 || time(NULL) - ds.sem_ctime >= 2)
			return 0;
		usleep(nap);
		if (nap < 64000)
			nap *= 2;
	}
}

static int
sysv_create(struct semobj *o, int nsems, const unsigned *values, mode_t mode,
    int exist_ok, int *created, const char **why)
{
	union semun arg = { .val = 0 };
	int tries, e;

	if (o->addr.kind == ADDR_ID) {
		*why = "an id names an existing set: create by key: or ftok:";
		errno = EINVAL;
		return -1;
	}
	for (tries = 0; tries < 100; tries++) {
		o->id = t_semget(o->addr.key, nsems,
		    IPC_CREAT | IPC_EXCL | (int)mode);
		if (o->id >= 0)
			break;
		if (errno == EEXIST && exist_ok) {
			o->id = t_semget(o->addr.key, nsems, 0);
			if (o->id < 0 && errno == ENOENT)
				continue; /* removed in between */
			if (o->id < 0 && errno == EINVAL) {
				snprintf(reason, sizeof(reason),
				    "the existing "
				    "set has fewer than %d semaphores",
				    nsems);
				*why = reason;
			}
			if (o->id < 0)
				return -1;
			return sysv_wait_ready(o->id);
		}
		if (errno == EINVAL)
			*why = "NSEMS is over the kernel's limit (kernel.sem "
			       "SEMMSL)";
		else if (errno == ENOSPC)
			*why = "no space: kernel.sem SEMMNI or SEMMNS reached";
		return -1;
	}
	if (o->id < 0)
		return -1;
	*created = 1;
	if (sysv_init(o->id, nsems, values) != 0) {
		e = errno;
		t_semctl(o->id, 0, IPC_RMID, arg);
		o->id = -1;
		*created = 0;
		errno = e;
		return -1;
	}
	return 0;
}

/* --- POSIX --------------------------------------------------------- */

/* sem_open(3) maps the first bytes of /dev/shm/sem.NAME: a shorter file
 * (not made by sem_open) would fault, and a FIFO or a socket is no
 * semaphore at all.  Refuse them, and a symbolic link, instead. */
static int
posix_check(const char *name, const char **why)
{
	static char reason[96];
	char path[sizeof(SEMOBJ_DIR) + NAME_MAX + 8];
	struct stat st;

	snprintf(path, sizeof(path), SEMOBJ_DIR "/sem.%s", name + 1);
	if (t_fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return -1; /* ENOENT: sem_open(3) would say no more */
	if (S_ISLNK(st.st_mode)) {
		*why = SHM_LINK_REASON;
		errno = ELOOP;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(reason, sizeof(reason), "not a semaphore: %s",
		    S_ISFIFO(st.st_mode)       ? "a FIFO"
			: S_ISDIR(st.st_mode)  ? "a directory"
			: S_ISSOCK(st.st_mode) ? "a socket"
					       : "not a regular file");
		*why = reason;
		errno = EINVAL;
		return -1;
	}
	if (st.st_size < (off_t)sizeof(sem_t)) {
		*why = "not a semaphore (" SEMOBJ_DIR "/sem.NAME is too short)";
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static int
posix_open(struct semobj *o, const char **why)
{
	if (posix_check(o->addr.name, why) != 0)
		return -1;
	o->sem = t_sem_open(o->addr.name, 0, 0, 0);
	if (o->sem == SEM_FAILED) {
		o->sem = NULL;
		return -1;
	}
	return 0;
}

/* sem_open applies the umask to the mode: clear it around the call for
 * exactly the mode asked for.  glibc makes the semaphore in a temporary
 * file and link(2)s it into place, so it is never seen half made. */
static int
posix_create(struct semobj *o, unsigned value, mode_t mode, int exist_ok,
    int *created, const char **why)
{
	mode_t old;
	int tries, e;

	for (tries = 0; tries < 100; tries++) {
		old = t_umask(0);
		o->sem = t_sem_open(o->addr.name, O_CREAT | O_EXCL, mode,
		    value);
		e = errno;
		t_umask(old);
		if (o->sem != SEM_FAILED) {
			*created = 1;
			return 0;
		}
		o->sem = NULL;
		errno = e;
		if (e != EEXIST || !exist_ok)
			return -1;
		if (posix_open(o, why) == 0 || errno != ENOENT)
			return o->sem != NULL ? 0 : -1;
		/* removed in between: create it again */
	}
	return -1;
}

static int
posix_wait(sem_t *sem, unsigned count, const struct timespec *timeout,
    volatile sig_atomic_t *stop)
{
	struct timespec abs;
	unsigned i;
	int r, e;

	/* sem_timedwait(3) takes an absolute CLOCK_REALTIME deadline: one
	 * for the whole wait, however many times it is restarted. */
	if (timeout != NULL && !ts_zero(timeout)) {
		ts_deadline(CLOCK_REALTIME, timeout, &abs);
	}
	for (i = 0; i < count; i++) {
		for (;;) {
			if (ts_zero(timeout))
				r = t_sem_trywait(sem);
			else if (timeout != NULL)
				r = t_sem_timedwait(sem, &abs);
			else
				r = t_sem_wait(sem);
			if (r == 0 || errno != EINTR || (stop != NULL && *stop))
				break;
		}
		if (r == 0)
			continue;
		e = errno == ETIMEDOUT ? EAGAIN : errno;
		while (i-- > 0) /* give back what was taken */
			t_sem_post(sem);
		errno = e;
		return -1;
	}
	return 0;
}

/* --- Both ---------------------------------------------------------- */

int
semobj_create(struct semobj *o, const struct addr *a, int nsems,
    const unsigned *values, mode_t mode, int exist_ok, int *created,
    const char **why)
{
	obj_init(o, a);
	*created = 0;
	if (addr_is_sysv(a))
		return sysv_create(o, nsems, values, mode, exist_ok, created,
		    why);
	return posix_create(o, values[0], mode, exist_ok, created, why);
}

int
semobj_open(struct semobj *o, const struct addr *a, const char **why)
{
	obj_init(o, a);
	if (addr_is_sysv(a))
		return set_id(a, &o->id, why);
	return posix_open(o, why);
}

void
semobj_close(struct semobj *o)
{
	if (o->sem != NULL)
		t_sem_close(o->sem);
	o->sem = NULL;
	o->id = -1;
}

static int
overflow(unsigned count, unsigned max, int value, const char **why)
{
	snprintf(reason, sizeof(reason),
	    "posting %u would take the value "
	    "past %u (it is %d)",
	    count, max, value);
	*why = reason;
	errno = EOVERFLOW;
	return -1;
}

int
semobj_post(struct semobj *o, int idx, unsigned count, int undo,
    const char **why)
{
	struct sembuf op = { (unsigned short)idx, (short)count,
		undo ? SEM_UNDO : 0 };
	unsigned i;
	int v;

	if (o->sem != NULL) {
		if (t_sem_getvalue(o->sem, &v) != 0)
			return -1;
		if (count > SEMOBJ_POSIX_MAX - (unsigned)v)
			return overflow(count, SEMOBJ_POSIX_MAX, v, why);
		for (i = 0; i < count; i++)
			if (t_sem_post(o->sem) != 0)
				return -1;
		return 0;
	}
	if (t_semop(o->id, &op, 1) == 0)
		return 0;
	if (errno == ERANGE && semobj_get(o, idx, &v, why) == 0)
		return overflow(count, SEMOBJ_SYSV_MAX, v, why);
	return sysv_fail(o, idx, why);
}

int
semobj_wait(struct semobj *o, int idx, unsigned count,
    const struct timespec *timeout, int undo, volatile sig_atomic_t *stop,
    const char **why)
{
	struct sembuf op = { (unsigned short)idx, -(short)count,
		undo ? SEM_UNDO : 0 };

	if (o->sem != NULL)
		return posix_wait(o->sem, count, timeout, stop);
	return sysv_semop(o, &op, 1, timeout, stop, why);
}

int
semobj_op(struct semobj *o, struct sembuf *ops, size_t n,
    const struct timespec *timeout, volatile sig_atomic_t *stop,
    const char **why)
{
	return sysv_semop(o, ops, n, timeout, stop, why);
}

int
semobj_get(struct semobj *o, int idx, int *value, const char **why)
{
	union semun arg = { .val = 0 };
	int r;

	if (o->sem != NULL)
		return t_sem_getvalue(o->sem, value);
	r = t_semctl(o->id, idx, GETVAL, arg);
	if (r < 0)
		return sysv_fail(o, idx, why);
	*value = r;
	return 0;
}

int
semobj_set(struct semobj *o, int idx, int value, const char **why)
{
	union semun arg = { .val = value };

	if (t_semctl(o->id, idx, SETVAL, arg) == 0)
		return 0;
	return sysv_fail(o, idx, why);
}

int
semobj_state(struct semobj *o, struct semstate **st, int *n, const char **why)
{
	union semun arg = { .val = 0 };
	struct semid_ds ds;
	unsigned short *v;
	int i, r = 0;

	*st = NULL;
	if (sysv_stat(o->id, &ds) != 0)
		return -1;
	*n = (int)ds.sem_nsems;
	v = xcalloc(*n, sizeof(*v));
	*st = xcalloc(*n, sizeof(**st));
	if (t_semctl_all(o->id, GETALL, v, *n) != 0)
		r = -1;
	for (i = 0; r == 0 && i < *n; i++) {
		(*st)[i].value = v[i];
		if (((*st)[i].ncnt = t_semctl(o->id, i, GETNCNT, arg)) < 0 ||
		    ((*st)[i].zcnt = t_semctl(o->id, i, GETZCNT, arg)) < 0 ||
		    ((*st)[i].pid = t_semctl(o->id, i, GETPID, arg)) < 0)
			r = -1;
	}
	free(v);
	if (r != 0) {
		free(*st);
		*st = NULL;
		return sysv_fail(o, 0, why);
	}
	return 0;
}

int
semobj_remove(const struct addr *a, const char **why)
{
	union semun arg = { .val = 0 };
	int id;

	if (!addr_is_sysv(a))
		return t_sem_unlink(a->name);
	if (set_id(a, &id, why) != 0)
		return -1;
	if (t_semctl(id, 0, IPC_RMID, arg) != 0) {
		errno = sysv_errno(errno);
		return -1;
	}
	return 0;
}
