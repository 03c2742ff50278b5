/* fdaddr: descriptor addresses, what a descriptor is. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdaddr.h"
#include "fdstore.h"
#include "msg.h"
#include "trace.h"
#include "trace_fd.h"

#define MEMFD_PREFIX "/memfd:"
#define DELETED " (deleted)"
#define MQUEUE_MAGIC 0x19800202 /* linux/magic.h */

const char *
fd_memfd_name(const char *link, char *buf, size_t len)
{
	size_t n;

	if (strncmp(link, MEMFD_PREFIX, strlen(MEMFD_PREFIX)) != 0)
		return NULL;
	link += strlen(MEMFD_PREFIX);
	n = strlen(link);
	if (n >= strlen(DELETED) &&
	    strcmp(link + n - strlen(DELETED), DELETED) == 0)
		n -= strlen(DELETED);
	snprintf(buf, len, "%.*s", (int)n, link);
	return buf;
}

/* anon_inode:[NAME] and the kernel's other pseudo-files, in words. */
static const char *
pseudo_name(const char *link)
{
	static const struct {
		const char *link, *what;
	} tab[] = {
		{ "anon_inode:[eventpoll]", "an epoll instance" },
		{ "anon_inode:[signalfd]", "a signalfd" },
		{ "anon_inode:[timerfd]", "a timerfd" },
		{ "anon_inode:[pidfd]", "a pidfd" },
		{ "anon_inode:[io_uring]", "an io_uring instance" },
		{ "anon_inode:inotify", "an inotify instance" },
		{ "anon_inode:[fanotify]", "a fanotify instance" },
		{ "anon_inode:bpf-map", "a BPF map" },
		{ "anon_inode:bpf-prog", "a BPF program" },
		{ "pipe:", "a pipe" },
		{ "socket:", "a socket" },
		{ "pidfd:", "a pidfd" },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strncmp(link, tab[i].link, strlen(tab[i].link)) == 0)
			return tab[i].what;
	return NULL;
}

static const char *
file_type(mode_t m)
{
	return S_ISREG(m) ? "a regular file"
	    : S_ISDIR(m)  ? "a directory"
	    : S_ISCHR(m)  ? "a character device"
	    : S_ISBLK(m)  ? "a block device"
	    : S_ISFIFO(m) ? "a FIFO"
	    : S_ISSOCK(m) ? "a socket"
	    : S_ISLNK(m)  ? "a symbolic link"
			  : "a file";
}

enum fd_kind
fd_identify(int fd, char *what, size_t len)
{
	char path[64], link[PATH_MAX], name[PATH_MAX];
	const char *p;
	struct statfs sf;
	struct stat st;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		if (fcntl(fd, F_GETFD) < 0)
			return FD_CLOSED;
		snprintf(what, len, "unknown: %s: %s", path, strerror(errno));
		return FD_OTHER;
	}
	link[n] = '\0';
	if (strcmp(link, "anon_inode:[eventfd]") == 0) {
		snprintf(what, len, "an eventfd");
		return FD_EVENTFD;
	}
	if (fd_memfd_name(link, name, sizeof(name)) != NULL) {
		snprintf(what, len, "a memfd (%s)", name);
		return FD_MEMFD;
	}
	if ((p = pseudo_name(link)) != NULL)
		snprintf(what, len, "%s", p);
	else if (strncmp(link, "anon_inode:", 11) == 0)
		snprintf(what, len, "an anonymous inode (%s)", link);
	else if (link[0] == '/' && fstatfs(fd, &sf) == 0 &&
	    sf.f_type == MQUEUE_MAGIC)
		snprintf(what, len, "a POSIX message queue (%s)", link);
	else if (link[0] == '/' && fstat(fd, &st) == 0)
		snprintf(what, len, "%s (%s)", file_type(st.st_mode), link);
	else
		snprintf(what, len, "%s", link);
	return FD_OTHER;
}

/* The /proc/P/fd/N fallback for a memfd that pidfd_getfd may not take.
 * Read-only unless the verb writes: the reopen is a new open file
 * description, which may be writable where P's is not. */
static int
reopen_memfd(const struct addr *a, int rw)
{
	char path[64], link[PATH_MAX], name[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)a->pid, a->fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = '\0';
	if (fd_memfd_name(link, name, sizeof(name)) == NULL)
		return -1;
	return t_open_proc(path, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC);
}

/* Descriptor N of process P (pidfd_getfd), or the /proc reopen of a
 * memfd; -1 with the reason in why. */
static int
take(const struct addr *a, enum fd_kind want, int rw, char *why, size_t len)
{
	int pidfd, fd, e;

	pidfd = t_pidfd_open(a->pid, 0);
	if (pidfd < 0) {
		if (errno == ESRCH)
			snprintf(why, len, "no such process");
		else
			snprintf(why, len, "pidfd_open: %s", strerror(errno));
		return -1;
	}
	fd = t_pidfd_getfd(pidfd, a->fd, 0);
	e = errno;
	t_close(pidfd);
	if (fd >= 0)
		return fd;
	if ((e == EPERM || e == ENOSYS) && want == FD_MEMFD &&
	    (fd = reopen_memfd(a, rw)) >= 0)
		return fd;
	if (e == ESRCH)
		snprintf(why, len, "no such process");
	else if (e == EBADF)
		snprintf(why, len, "process %d has no descriptor %d",
		    (int)a->pid, a->fd);
	else if (e == EPERM || e == EACCES)
		snprintf(why, len,
		    "ptrace access to process %d denied "
		    "(taking its descriptors needs it)",
		    (int)a->pid);
	else
		snprintf(why, len, "pidfd_getfd: %s", strerror(e));
	return -1;
}

int
fdaddr_open(const struct addr *a, enum fd_kind want, int rw, int *code,
    char *why, size_t len)
{
	char what[PATH_MAX + 64];
	enum fd_kind k;
	int fd;

	*code = EXIT_FAIL;
	if (a->kind == ADDR_STORE) {
		if (fdstore_get(a->name, &fd, why, len) != 0)
			return -1;
	} else if (a->kind != ADDR_PIDFD && a->kind != ADDR_FD) {
		*code = EXIT_USAGE;
		snprintf(why, len, "not a descriptor address");
		return -1;
	} else if (a->kind == ADDR_PIDFD) {
		if ((fd = take(a, want, rw, why, len)) < 0)
			return -1;
	} else
		fd = a->fd;
	k = fd_identify(fd, what, sizeof(what));
	if (k == FD_CLOSED)
		snprintf(why, len, "not an open descriptor");
	else if (k != want)
		snprintf(why, len, "not %s: %s",
		    want == FD_EVENTFD ? "an eventfd" : "a memfd", what);
	/* An eventfd is always open for reading and writing. */
	else if (rw && k != FD_EVENTFD &&
	    (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY)
		snprintf(why, len, "open read-only, and %s writes", msg_verb());
	else
		return fd;
	if (a->kind == ADDR_PIDFD || a->kind == ADDR_STORE)
		t_close(fd);
	return -1;
}
