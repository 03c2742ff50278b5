/* fdaddr: descriptor addresses, what a descriptor is, memfd seals. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fdaddr.h"
#include "msg.h"
#include "parse.h"
#include "trace.h"
#include "trace_fd.h"

#define MEMFD_PREFIX "/memfd:"
#define DELETED " (deleted)"

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
	else if (link[0] == '/' && fstat(fd, &st) == 0)
		snprintf(what, len, "%s (%s)", file_type(st.st_mode), link);
	else
		snprintf(what, len, "%s", link);
	return FD_OTHER;
}

static noreturn void
no_ptrace(const struct addr *a)
{
	msg_die(EXIT_FAIL, a->text,
	    "ptrace access to process %d denied "
	    "(taking its descriptors needs it)",
	    (int)a->pid);
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

static int
take(const struct addr *a, enum fd_kind want, int rw)
{
	int pidfd, fd, e;

	pidfd = t_pidfd_open(a->pid, 0);
	if (pidfd < 0 && errno == ESRCH)
		msg_die(EXIT_FAIL, a->text, "no such process");
	if (pidfd < 0)
		msg_die_e(EXIT_FAIL, a->text, "pidfd_open");
	fd = t_pidfd_getfd(pidfd, a->fd, 0);
	e = errno;
	t_close(pidfd);
	if (fd >= 0)
		return fd;
	if (e == ESRCH)
		msg_die(EXIT_FAIL, a->text, "no such process");
	if (e == EBADF)
		msg_die(EXIT_FAIL, a->text, "process %d has no descriptor %d",
		    (int)a->pid, a->fd);
	if ((e == EPERM || e == ENOSYS) && want == FD_MEMFD &&
	    (fd = reopen_memfd(a, rw)) >= 0)
		return fd;
	if (e == EPERM || e == EACCES)
		no_ptrace(a);
	errno = e;
	msg_die_e(EXIT_FAIL, a->text, "pidfd_getfd");
}

int
fdaddr_open_or_die(const struct addr *a, enum fd_kind want, int rw)
{
	char what[PATH_MAX + 64];
	enum fd_kind k;
	int fd;

	if (a->kind != ADDR_PIDFD && a->kind != ADDR_FD)
		msg_die(EXIT_USAGE, a->text, "not a descriptor address");
	fd = a->kind == ADDR_PIDFD ? take(a, want, rw) : a->fd;
	k = fd_identify(fd, what, sizeof(what));
	if (k == FD_CLOSED)
		msg_die(EXIT_FAIL, a->text, "not an open descriptor");
	if (k != want)
		msg_die(EXIT_FAIL, a->text, "not %s: %s",
		    want == FD_EVENTFD ? "an eventfd" : "a memfd", what);
	/* An eventfd is always open for reading and writing. */
	if (rw && k != FD_EVENTFD &&
	    (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY)
		msg_die(EXIT_FAIL, a->text, "open read-only, and %s writes",
		    msg_verb());
	return fd;
}

static const struct {
	const char *name;
	int bit;
} seal_tab[] = {
	{ "seal", F_SEAL_SEAL },
	{ "shrink", F_SEAL_SHRINK },
	{ "grow", F_SEAL_GROW },
	{ "write", F_SEAL_WRITE },
	{ "future-write", F_SEAL_FUTURE_WRITE },
	{ "exec", F_SEAL_EXEC },
};
#define NSEALS (sizeof(seal_tab) / sizeof(seal_tab[0]))

static int
seal_bit(const char *name)
{
	size_t i;

	for (i = 0; i < NSEALS; i++)
		if (strcmp(name, seal_tab[i].name) == 0)
			return seal_tab[i].bit;
	return 0;
}

int
seals_parse_or_die(const char *list)
{
	char *copy = xstrdup(list), *p = copy, *tok;
	int mask = 0, bit;

	do {
		tok = strsep(&p, ",");
		if (*tok == '\0')
			cli_usage(NULL,
			    "seal list '%s' has an empty name "
			    "(valid: " SEAL_NAMES ")",
			    list);
		if ((bit = seal_bit(tok)) == 0)
			cli_usage(tok, "unknown seal (valid: " SEAL_NAMES ")");
		if (mask & bit)
			cli_usage(tok, "seal named twice");
		mask |= bit;
	} while (p != NULL);
	free(copy);
	return mask;
}

void
seals_fmt(int seals, char *buf, size_t len)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < NSEALS; i++)
		if (seals & seal_tab[i].bit) {
			if (buf[0] != '\0')
				strlcat(buf, ",", len);
			strlcat(buf, seal_tab[i].name, len);
		}
	if (buf[0] == '\0')
		snprintf(buf, len, "-");
}

const char *
seals_why(int fd, int err, int adding)
{
	int cur;

	if (err == EBUSY && (adding & F_SEAL_WRITE))
		return "cannot seal against writing while a writable shared "
		       "mapping exists";
	if (err == EINVAL && (adding & F_SEAL_EXEC))
		return "this kernel has no exec seal (Linux 6.3 and later do)";
	if (err != EPERM || (cur = t_get_seals(fd)) < 0)
		return NULL;
	if (adding) {
		if (cur & F_SEAL_SEAL)
			return "sealed against sealing";
		if ((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY)
			return "open read-only, and sealing needs write access";
		return NULL;
	}
	if (cur & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return "sealed against writing";
	if (cur & F_SEAL_GROW)
		return "sealed against growing";
	if (cur & F_SEAL_SHRINK)
		return "sealed against shrinking";
	return NULL;
}

int
fd_target_or_die(const char *text)
{
	static const char *const stdio_names[] = { "stdin", "stdout",
		"stderr" };
	const char *errstr;
	struct rlimit rl;
	uint64_t v;
	char why[64];

	if (parse_u64(text, 0, INT_MAX, &v, &errstr) != 0)
		cli_bad_value("--fd", text, errstr);
	if (v <= 2) {
		snprintf(why, sizeof(why), "would shadow %s; use 3 or above",
		    stdio_names[v]);
		cli_bad_value("--fd", text, why);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY && v >= rl.rlim_cur) {
		snprintf(why, sizeof(why),
		    "is past the descriptor limit (%llu)",
		    (unsigned long long)rl.rlim_cur);
		cli_bad_value("--fd", text, why);
	}
	return (int)v;
}

void
fd_exec_at(int fd, int target, char **cmd)
{
	int e;

	if (fd != target) {
		if (t_dup2(fd, target) < 0)
			msg_die_e(EXIT_FAIL, NULL, "dup2 to %d", target);
		t_close(fd);
	} else if (t_clear_cloexec(fd) < 0)
		msg_die_e(EXIT_FAIL, NULL, "fcntl");
	fflush(stdout);
	signal(SIGXFSZ, SIG_DFL); /* main ignores it; CMD gets the default */
	execvp(cmd[0], cmd);
	e = errno;
	if (e == ENOENT) /* as semctl run says it */
		msg_die(127, cmd[0], "command not found");
	errno = e;
	msg_die_e(e == ENOENT ? 127 : 126, cmd[0], "%s", "");
}
