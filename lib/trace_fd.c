/* trace_fd: traced wrappers for eventfd, memfd, pidfd and epoll. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "trace.h"
#include "trace_fd.h"

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

struct flagname {
	int flag;
	const char *name;
};

static const char *
flags_str(char *buf, size_t len, int f, const struct flagname *fl, size_t n)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		if (f & fl[i].flag) {
			if (buf[0] != '\0')
				strlcat(buf, "|", len);
			strlcat(buf, fl[i].name, len);
			f &= ~fl[i].flag;
		}
	if (f != 0 || buf[0] == '\0')
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%#x",
		    buf[0] != '\0' ? "|" : "", (unsigned)f);
	if (strcmp(buf, "0x0") == 0)
		snprintf(buf, len, "0");
	return buf;
}

#define FLAGS(buf, f, tab) \
	flags_str(buf, sizeof(buf), f, tab, sizeof(tab) / sizeof(tab[0]))

const char *
trace_seals(char *buf, size_t len, int seals)
{
	static const struct flagname fl[] = {
		{ F_SEAL_SEAL, "F_SEAL_SEAL" },
		{ F_SEAL_SHRINK, "F_SEAL_SHRINK" },
		{ F_SEAL_GROW, "F_SEAL_GROW" },
		{ F_SEAL_WRITE, "F_SEAL_WRITE" },
		{ F_SEAL_FUTURE_WRITE, "F_SEAL_FUTURE_WRITE" },
		{ F_SEAL_EXEC, "F_SEAL_EXEC" },
	};

	return flags_str(buf, len, seals, fl, sizeof(fl) / sizeof(fl[0]));
}

int
t_eventfd(unsigned initval, int flags)
{
	static const struct flagname fl[] = {
		{ EFD_CLOEXEC, "EFD_CLOEXEC" },
		{ EFD_NONBLOCK, "EFD_NONBLOCK" },
		{ EFD_SEMAPHORE, "EFD_SEMAPHORE" },
	};
	char f[64];
	int r = eventfd(initval, flags);

	TRACE(r, 0, "eventfd(%u, %s)", initval, FLAGS(f, flags, fl));
	return r;
}

ssize_t
t_efd_write(int fd, uint64_t v)
{
	ssize_t r = write(fd, &v, sizeof(v));

	TRACE(r, 0, "write(%d, [%llu], 8)", fd, (unsigned long long)v);
	return r;
}

ssize_t
t_efd_read_nowait(int fd, uint64_t *v)
{
	struct iovec iov = { v, sizeof(*v) };
	ssize_t r = preadv2(fd, &iov, 1, -1, RWF_NOWAIT);

	if (r == (ssize_t)sizeof(*v))
		TRACE(r, 0, "preadv2(%d, [%llu], 8, -1, RWF_NOWAIT)", fd,
		    (unsigned long long)*v);
	else
		TRACE(r, 0, "preadv2(%d, %p, 8, -1, RWF_NOWAIT)", fd,
		    (void *)v);
	return r;
}

int
t_memfd_create(const char *name, unsigned flags)
{
	static const struct flagname fl[] = {
		{ MFD_CLOEXEC, "MFD_CLOEXEC" },
		{ MFD_ALLOW_SEALING, "MFD_ALLOW_SEALING" },
		{ MFD_HUGETLB, "MFD_HUGETLB" },
		{ MFD_NOEXEC_SEAL, "MFD_NOEXEC_SEAL" },
		{ MFD_EXEC, "MFD_EXEC" },
	};
	char q[160], f[96];
	int r = memfd_create(name, flags);

	TRACE(r, 0, "memfd_create(%s, %s)", trace_qstr(q, sizeof(q), name),
	    FLAGS(f, (int)flags, fl));
	return r;
}

int
t_add_seals(int fd, int seals)
{
	char s[128];
	int r = fcntl(fd, F_ADD_SEALS, seals);

	TRACE(r, 0, "fcntl(%d, F_ADD_SEALS, %s)", fd,
	    trace_seals(s, sizeof(s), seals));
	return r;
}

int
t_get_seals(int fd)
{
	char s[128];
	int r = fcntl(fd, F_GET_SEALS);

	if (r >= 0 && trace_on)
		trace_note("fcntl(%d, F_GET_SEALS) = %#x (%s)", fd, (unsigned)r,
		    trace_seals(s, sizeof(s), r));
	else
		TRACE(r, 0, "fcntl(%d, F_GET_SEALS)", fd);
	return r;
}

int
t_pidfd_open(pid_t pid, unsigned flags)
{
	int r = (int)syscall(SYS_pidfd_open, pid, flags);

	TRACE(r, 0, "pidfd_open(%d, %u)", (int)pid, flags);
	return r;
}

int
t_pidfd_getfd(int pidfd, int fd, unsigned flags)
{
	int r = (int)syscall(SYS_pidfd_getfd, pidfd, fd, flags);

	TRACE(r, 0, "pidfd_getfd(%d, %d, %u)", pidfd, fd, flags);
	return r;
}

int
t_open_proc(const char *path, int flags)
{
	char q[160], f[128];
	int r = open(path, flags);

	TRACE(r, 0, "open(%s, %s)", trace_qstr(q, sizeof(q), path),
	    trace_open_flags(f, sizeof(f), flags));
	return r;
}

int
t_epoll_create1(int flags)
{
	int r = epoll_create1(flags);

	TRACE(r, 0, "epoll_create1(%s)",
	    flags & EPOLL_CLOEXEC ? "EPOLL_CLOEXEC" : "0");
	return r;
}

static const char *
epoll_events(char *buf, size_t len, unsigned ev)
{
	static const struct flagname fl[] = {
		{ EPOLLIN, "EPOLLIN" },
		{ EPOLLOUT, "EPOLLOUT" },
		{ EPOLLERR, "EPOLLERR" },
		{ EPOLLHUP, "EPOLLHUP" },
	};

	return flags_str(buf, len, (int)ev, fl, sizeof(fl) / sizeof(fl[0]));
}

int
t_epoll_ctl(int ep, int op, int fd, struct epoll_event *ev)
{
	char e[64];
	int r = epoll_ctl(ep, op, fd, ev);

	TRACE(r, 0, "epoll_ctl(%d, %s, %d, {events=%s})", ep,
	    op == EPOLL_CTL_ADD	      ? "EPOLL_CTL_ADD"
		: op == EPOLL_CTL_DEL ? "EPOLL_CTL_DEL"
				      : "EPOLL_CTL_MOD",
	    fd, ev ? epoll_events(e, sizeof(e), ev->events) : "0");
	return r;
}

int
t_epoll_pwait(int ep, struct epoll_event *evs, int max, int ms,
    const sigset_t *mask)
{
	char e[64];
	int r = epoll_pwait(ep, evs, max, ms, mask);

	if (r > 0)
		TRACE(r, 0,
		    "epoll_pwait(%d, [{events=%s, fd=%d}%s], %d, %d, "
		    "%s)",
		    ep, epoll_events(e, sizeof(e), evs[0].events),
		    evs[0].data.fd, r > 1 ? ", ..." : "", max, ms,
		    mask ? "MASK" : "NULL");
	else
		TRACE(r, 0, "epoll_pwait(%d, [], %d, %d, %s)", ep, max, ms,
		    mask ? "MASK" : "NULL");
	return r;
}

int
t_dup2(int fd, int target)
{
	int r = dup2(fd, target);

	TRACE(r, 0, "dup2(%d, %d)", fd, target);
	return r;
}

int
t_clear_cloexec(int fd)
{
	int r = fcntl(fd, F_SETFD, 0);

	TRACE(r, 0, "fcntl(%d, F_SETFD, 0)", fd);
	return r;
}
