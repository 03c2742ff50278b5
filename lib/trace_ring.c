/* trace_ring: traced mmap, munmap and futex calls for the ring. */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "trace.h"
#include "trace_ring.h"

void *
t_mmap_shared(int fd, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	TRACE(p == MAP_FAILED ? -1 : (long)p, 1,
	    "mmap(NULL, %zu, PROT_READ|PROT_WRITE, MAP_SHARED, %d, 0)", len,
	    fd);
	return p;
}

int
t_munmap(void *p, size_t len)
{
	int r = munmap(p, len);

	TRACE(r, 0, "munmap(%p, %zu)", p, len);
	return r;
}

int
t_futex_wait(uint32_t *word, uint32_t val, const struct timespec *rel)
{
	long r = syscall(SYS_futex, word, FUTEX_WAIT, val, rel, NULL, 0);

	TRACE(r, 0, "futex(%p, FUTEX_WAIT, %u, {%lld, %ld})", (void *)word, val,
	    (long long)rel->tv_sec, rel->tv_nsec);
	return (int)r;
}

int
t_futex_wake(uint32_t *word)
{
	long r = syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);

	TRACE(r, 0, "futex(%p, FUTEX_WAKE, INT_MAX)", (void *)word);
	return (int)r;
}
