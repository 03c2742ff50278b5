/* bench_ssem: one System V semaphore set of two (semget(2)), one a
 * direction: post is semop(2) of +1, wait semop of -1, which sleeps while
 * the value is 0.  Every post and wait is a system call, whoever waits.
 * The set is removed (IPC_RMID) on every way out.  The message's bytes go
 * through shared memory beside it. */
#include <errno.h>
#include <sys/sem.h>

#include "bench.h"
#include "trace_ipc.h"
#include "trace_sem.h"

static int
ssem_open(struct bench_obj *o, const char **why)
{
	unsigned short zero[2] = { 0, 0 };

	(void)why;
	if ((o->id = t_semget(IPC_PRIVATE, 2, IPC_CREAT | 0600)) < 0)
		return -1;
	return t_semctl_all((int)o->id, SETALL, zero, 2);
}

static int
ssem_op(struct bench_obj *o, int dir, int delta)
{
	struct sembuf op = { (unsigned short)dir, (short)delta, 0 };

	while (semop((int)o->id, &op, 1) != 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

static int
ssem_post(struct bench_obj *o, int dir, const void *p, size_t n)
{
	(void)p;
	(void)n;
	return ssem_op(o, dir, 1);
}

static int
ssem_wait(struct bench_obj *o, int dir, void *p, size_t n)
{
	(void)p;
	(void)n;
	return ssem_op(o, dir, -1);
}

static void
ssem_close(struct bench_obj *o)
{
	if (o->id >= 0) {
		t_semctl_rmid((int)o->id);
		o->id = -1;
	}
}

const struct bench_mech bench_ssem = {
	"ssem",
	"a System V semaphore set of two, semop(2), payload beside",
	BENCH_SIGNAL,
	ssem_open,
	NULL,
	ssem_post,
	ssem_wait,
	ssem_close,
};
