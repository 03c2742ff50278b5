/* bench_futex: a counting semaphore built on a futex(2) word in shared
 * memory, one a direction: what glibc's semaphores and mutexes are made
 * of, with nothing else around it.  Post adds one and, when someone
 * sleeps on the word, wakes one (FUTEX_WAKE); wait takes one if the count
 * is above 0, else sleeps (FUTEX_WAIT, which returns at once if the word
 * is no longer 0).  The word is shared between two processes, so the
 * futex is not FUTEX_PRIVATE.  The message's bytes go through shared
 * memory beside it. */
#include <errno.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

struct fword {
	_Atomic uint32_t count; /* posts not yet taken */
	_Atomic uint32_t sleepers; /* waiters in FUTEX_WAIT */
};

static int
futex_post(struct bench_obj *o, int dir, const void *p, size_t n)
{
	struct fword *w = bench_word(o, dir);

	(void)p;
	(void)n;
	atomic_fetch_add(&w->count, 1);
	if (atomic_load(&w->sleepers) > 0 &&
	    syscall(SYS_futex, &w->count, FUTEX_WAKE, 1, NULL, NULL, 0) < 0)
		return -1;
	return 0;
}

static int
futex_wait(struct bench_obj *o, int dir, void *p, size_t n)
{
	struct fword *w = bench_word(o, dir);
	uint32_t v;

	(void)p;
	(void)n;
	for (;;) {
		v = atomic_load(&w->count);
		while (v > 0)
			if (atomic_compare_exchange_weak(&w->count, &v, v - 1))
				return 0;
		atomic_fetch_add(&w->sleepers, 1);
		if (syscall(SYS_futex, &w->count, FUTEX_WAIT, 0, NULL, NULL,
			0) < 0 &&
		    errno != EAGAIN && errno != EINTR) {
			atomic_fetch_sub(&w->sleepers, 1);
			return -1;
		}
		atomic_fetch_sub(&w->sleepers, 1);
	}
}

const struct bench_mech bench_futex = {
	"futex",
	"a futex word a direction in shared memory, payload beside it",
	BENCH_SIGNAL,
	bench_words_open,
	NULL,
	futex_post,
	futex_wait,
	bench_words_close,
};
