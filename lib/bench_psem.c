/* bench_psem: two unnamed POSIX semaphores (sem_init(3) with pshared 1)
 * in shared memory, one a direction: sem_post(3) and sem_wait(3).  glibc
 * builds them on a futex and makes the system call only when a waiter
 * sleeps or must be woken.  The message's bytes go through shared memory
 * beside them.  sem_destroy(3) has nothing to free on Linux: the
 * mapping goes, and the semaphores with it. */
#include <errno.h>
#include <semaphore.h>

#include "bench.h"
#include "trace_bench.h"

static int
psem_open(struct bench_obj *o, const char **why)
{
	int dir;

	if (bench_words_open(o, why) != 0)
		return -1;
	for (dir = 0; dir < 2; dir++)
		if (t_sem_init(bench_word(o, dir), 1, 0) != 0)
			return -1;
	return 0;
}

static int
psem_post(struct bench_obj *o, int dir, const void *p, size_t n)
{
	(void)p;
	(void)n;
	return sem_post(bench_word(o, dir));
}

static int
psem_wait(struct bench_obj *o, int dir, void *p, size_t n)
{
	(void)p;
	(void)n;
	while (sem_wait(bench_word(o, dir)) != 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

const struct bench_mech bench_psem = {
	"psem",
	"two POSIX semaphores (sem_init) in shared memory, payload beside",
	BENCH_SIGNAL,
	psem_open,
	NULL,
	psem_post,
	psem_wait,
	bench_words_close,
};
