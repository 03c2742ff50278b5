/* bench_eventfd: two eventfds in semaphore mode (EFD_SEMAPHORE), one a
 * direction.  write(2) of 1 adds one to the counter, read(2) waits for it
 * to be above 0 and takes one.  An eventfd carries only its 8-byte
 * counter: the message's bytes go through shared memory beside it. */
#include <errno.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "bench.h"
#include "trace_fd.h"

static int
eventfd_open(struct bench_obj *o, const char **why)
{
	int dir;

	(void)why;
	for (dir = 0; dir < 2; dir++) {
		o->fd[dir] = o->fd[2 + dir] = t_eventfd(0,
		    EFD_CLOEXEC | EFD_SEMAPHORE);
		if (o->fd[dir] < 0)
			return -1;
	}
	return 0;
}

static int
eventfd_post(struct bench_obj *o, int dir, const void *p, size_t n)
{
	uint64_t one = 1;

	(void)p;
	(void)n;
	return write(o->fd[2 + dir], &one, sizeof(one)) == sizeof(one) ? 0 : -1;
}

static int
eventfd_wait(struct bench_obj *o, int dir, void *p, size_t n)
{
	uint64_t v;
	ssize_t r;

	(void)p;
	(void)n;
	while ((r = read(o->fd[dir], &v, sizeof(v))) < 0 && errno == EINTR)
		;
	return r == sizeof(v) ? 0 : -1;
}

const struct bench_mech bench_eventfd = {
	"eventfd",
	"two eventfds (EFD_SEMAPHORE), payload in shared memory",
	BENCH_SIGNAL,
	eventfd_open,
	NULL,
	eventfd_post,
	eventfd_wait,
	bench_fd_close,
};
