/* proc: holders of an object, descriptors of every process, fdinfo. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "msg.h"
#include "proc.h"
#include "trace.h"

static int
maps_match(int pdir, const struct proc_match *m)
{
	int fd = openat(pdir, "maps", O_RDONLY | O_CLOEXEC);
	FILE *f;
	char line[4096];
	int found = 0;

	if (fd < 0 || (f = fdopen(fd, "r")) == NULL) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		unsigned maj, min;
		unsigned long long ino;
		int path = 0;

		/* start-end perms offset major:minor inode path */
		if (sscanf(line, "%*s %*s %*s %x:%x %llu %n", &maj, &min, &ino,
			&path) != 3)
			continue;
		if (m->sysv)
			found = ino == (unsigned long long)m->shmid &&
			    strncmp(line + path, "/SYSV", 5) == 0;
		else
			found = ino == (unsigned long long)m->ino &&
			    makedev(maj, min) == m->dev;
	}
	fclose(f);
	return found;
}

static int
fds_match(int pdir, const struct proc_match *m)
{
	int fd = openat(pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *e;
	int found = 0;

	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (!found && (e = readdir(d)) != NULL) {
		char link[64];
		struct stat st;
		ssize_t n;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		/* Sockets, pipes and anon inodes are not files: skip the
		 * stat(2) of their targets. */
		n = readlinkat(fd, e->d_name, link, sizeof(link) - 1);
		if (n <= 0 || link[0] != '/')
			continue;
		found = fstatat(fd, e->d_name, &st, 0) == 0 &&
		    st.st_ino == m->ino && st.st_dev == m->dev;
	}
	closedir(d);
	return found;
}

static int
cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

ino_t
proc_ipcns(int pdir)
{
	struct stat st;

	if ((pdir < 0 ? stat("/proc/self/ns/ipc", &st)
		      : fstatat(pdir, "ns/ipc", &st, 0)) != 0)
		return 0;
	return st.st_ino;
}

size_t
proc_holders(const struct proc_match *m, pid_t **pids)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t n = 0, cap = 0;
	pid_t self = getpid();
	ino_t ns = m->sysv ? proc_ipcns(-1) : 0;

	*pids = NULL;
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		pid_t pid;
		int pdir;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = (pid_t)atoi(e->d_name);
		if (pid == self)
			continue;
		pdir = openat(dirfd(d), e->d_name,
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pdir < 0)
			continue;
		if (ns != 0 && proc_ipcns(pdir) != ns) {
			close(pdir);
			continue;
		}
		if (maps_match(pdir, m) || (!m->sysv && fds_match(pdir, m))) {
			if (n == cap)
				*pids = xreallocarray(*pids, cap = cap * 2 + 8,
				    sizeof(pid_t));
			(*pids)[n++] = pid;
		}
		close(pdir);
	}
	closedir(d);
	if (n > 1)
		qsort(*pids, n, sizeof(pid_t), cmp_pid);
	return n;
}

int
proc_sysvipc_walk(const char *name, int (*fn)(const char *line, void *arg),
    void *arg)
{
	char path[64], line[512];
	FILE *f;
	int rc = 0;

	snprintf(path, sizeof(path), "/proc/sysvipc/%s", name);
	if ((f = fopen(path, "re")) == NULL)
		return errno == ENOENT ? 0 : -1;
	trace_note("open(\"%s\", O_RDONLY) = %d", path, fileno(f));
	if (fgets(line, sizeof(line), f) != NULL) /* the heading */
		while (rc == 0 && fgets(line, sizeof(line), f) != NULL)
			rc = fn(line, arg);
	fclose(f);
	return rc < 0 ? rc : 0;
}

void
proc_fmt_pids(const pid_t *pids, size_t n, char *buf, size_t len)
{
	size_t i, k = 0;

	buf[0] = '\0';
	if (n == 0)
		snprintf(buf, len, "-");
	for (i = 0; i < n && k < len; i++)
		k += snprintf(buf + k, len - k, "%s%d", i ? "," : "",
		    (int)pids[i]);
}

int
proc_fdinfo_parse(int fd, struct proc_fdinfo *fi)
{
	char buf[4096], *line, *save;
	ssize_t n;
	size_t have = 0;

	memset(fi, 0, sizeof(*fi));
	fi->efd_id = -1;
	fi->efd_semaphore = -1;
	while (have < sizeof(buf) - 1 &&
	    (n = read(fd, buf + have, sizeof(buf) - 1 - have)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		have += n;
	}
	buf[have] = '\0';
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long v;
		int i;

		if (sscanf(line, "flags: %llo", &v) == 1)
			fi->flags = (unsigned)v;
		else if (sscanf(line, "eventfd-count: %llx", &v) == 1) {
			fi->eventfd = 1;
			fi->efd_count = v;
		} else if (sscanf(line, "eventfd-id: %d", &i) == 1)
			fi->efd_id = i;
		else if (sscanf(line, "eventfd-semaphore: %d", &i) == 1)
			fi->efd_semaphore = i;
	}
	return 0;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The numeric entries of a directory, sorted. */
static size_t
numbers(int dirfd_, int **out)
{
	int fd = dup(dirfd_);
	DIR *d;
	struct dirent *e;
	size_t n = 0, cap = 0;

	*out = NULL;
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		if (n == cap)
			*out = xreallocarray(*out, cap = cap * 2 + 32,
			    sizeof(int));
		(*out)[n++] = atoi(e->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(*out, n, sizeof(int), cmp_int);
	return n;
}

static void
read_comm(int pdir, char *buf, size_t len)
{
	int fd = openat(pdir, "comm", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		n = snprintf(buf, len, "?");
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static int
walk_process(int proc, int pid, const char *prefix,
    int (*fn)(const struct proc_fd *, void *), void *arg)
{
	struct proc_fd p;
	char name[16], link[PATH_MAX];
	int *fds, rc = 0;
	size_t i, n;

	memset(&p, 0, sizeof(p));
	p.pid = pid;
	snprintf(name, sizeof(name), "%d", pid);
	p.pdir = openat(proc, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p.pdir < 0)
		return 0;
	p.fddir = openat(p.pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p.fddir < 0) {
		close(p.pdir);
		return 0;
	}
	n = numbers(p.fddir, &fds);
	for (i = 0; rc == 0 && i < n; i++) {
		ssize_t len;

		snprintf(name, sizeof(name), "%d", fds[i]);
		len = readlinkat(p.fddir, name, link, sizeof(link) - 1);
		if (len < 0)
			continue;
		link[len] = '\0';
		if (prefix != NULL &&
		    strncmp(link, prefix, strlen(prefix)) != 0)
			continue;
		if (p.comm[0] == '\0')
			read_comm(p.pdir, p.comm, sizeof(p.comm));
		p.fd = fds[i];
		p.link = link;
		rc = fn(&p, arg);
	}
	free(fds);
	close(p.fddir);
	close(p.pdir);
	return rc;
}

int
proc_fd_walk(const char *prefix, int (*fn)(const struct proc_fd *, void *),
    void *arg)
{
	int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int *pids, rc = 0;
	size_t i, n;

	if (proc < 0)
		return -1;
	n = numbers(proc, &pids);
	for (i = 0; rc == 0 && i < n; i++)
		rc = walk_process(proc, pids[i], prefix, fn, arg);
	free(pids);
	close(proc);
	return rc;
}
