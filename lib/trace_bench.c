/* trace_bench: traced pipes, fifos, socket pairs, anonymous shared
 * mappings, unnamed semaphores and CPU pinning for ipcbench. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace.h"
#include "trace_bench.h"

int
t_pipe2(int fd[2], int flags)
{
	int r = pipe2(fd, flags);

	TRACE(r, 0, "pipe2([%d, %d], %s)", r == 0 ? fd[0] : -1,
	    r == 0 ? fd[1] : -1, flags & O_CLOEXEC ? "O_CLOEXEC" : "0");
	return r;
}

int
t_mkfifo(const char *path, mode_t mode)
{
	char q[320];
	int r = mkfifo(path, mode);

	TRACE(r, 0, "mkfifo(%s, %04o)", trace_qstr(q, sizeof(q), path),
	    (unsigned)mode);
	return r;
}

char *
t_mkdtemp(char *tmpl)
{
	char q[320];
	char *r;

	/* The template before the call: the name it made is in the
	 * calls that follow. */
	trace_qstr(q, sizeof(q), tmpl);
	r = mkdtemp(tmpl);
	TRACE(r == NULL ? -1 : 0, 0, "mkdtemp(%s)", q);
	return r;
}

int
t_rmdir(const char *path)
{
	char q[320];
	int r = rmdir(path);

	TRACE(r, 0, "rmdir(%s)", trace_qstr(q, sizeof(q), path));
	return r;
}

int
t_socketpair(int domain, int type, int proto, int fd[2])
{
	int r = socketpair(domain, type, proto, fd);

	TRACE(r, 0, "socketpair(%s, %s%s, %d, [%d, %d])",
	    domain == AF_UNIX ? "AF_UNIX" : "?",
	    (type & ~SOCK_CLOEXEC) == SOCK_STREAM ? "SOCK_STREAM" : "?",
	    type & SOCK_CLOEXEC ? "|SOCK_CLOEXEC" : "", proto,
	    r == 0 ? fd[0] : -1, r == 0 ? fd[1] : -1);
	return r;
}

void *
t_mmap_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	TRACE(p == MAP_FAILED ? -1 : (long)p, 1,
	    "mmap(NULL, %zu, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, "
	    "-1, 0)",
	    len);
	return p;
}

int
t_sem_init(sem_t *sem, int pshared, unsigned value)
{
	int r = sem_init(sem, pshared, value);

	TRACE(r, 0, "sem_init(%p, %d, %u)", (void *)sem, pshared, value);
	return r;
}

int
t_sched_setaffinity(int cpu, const cpu_set_t *set)
{
	int r = sched_setaffinity(0, sizeof(*set), set);

	TRACE(r, 0, "sched_setaffinity(0, [%d])", cpu);
	return r;
}
