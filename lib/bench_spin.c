/* bench_spin: shared memory and a flag polled in a loop, no system call
 * at all: post adds one to a counter in shared memory, wait spins until
 * it is above 0 and takes one.  The fastest way there is while each side
 * has a CPU of its own, and the worst when they share one: a spinner then
 * burns its time slice waiting for a side that cannot run, so here it
 * gives the CPU up (sched_yield(2)) at every turn when the two share a
 * CPU, and after 4096 turns otherwise.  The message's bytes go through
 * the shared memory beside the counter. */
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>

#include "bench.h"

static int
spin_post(struct bench_obj *o, int dir, const void *p, size_t n)
{
	_Atomic uint32_t *count = bench_word(o, dir);

	(void)p;
	(void)n;
	atomic_fetch_add(count, 1);
	return 0;
}

static int
spin_wait(struct bench_obj *o, int dir, void *p, size_t n)
{
	_Atomic uint32_t *count = bench_word(o, dir);
	unsigned turns = 0;
	uint32_t v;

	(void)p;
	(void)n;
	for (;;) {
		v = atomic_load_explicit(count, memory_order_acquire);
		while (v > 0)
			if (atomic_compare_exchange_weak(count, &v, v - 1))
				return 0;
		if (o->shared || ++turns % 4096 == 0)
			sched_yield();
#if defined(__x86_64__) || defined(__i386__)
		else
			__builtin_ia32_pause();
#endif
	}
}

const struct bench_mech bench_spin = {
	"spin",
	"shared memory and a counter polled in a loop, no system call",
	BENCH_SIGNAL,
	bench_words_open,
	NULL,
	spin_post,
	spin_wait,
	bench_words_close,
};
