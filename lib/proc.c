/* proc: holders of an object. */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "msg.h"
#include "proc.h"

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

size_t
proc_holders(const struct proc_match *m, pid_t **pids)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t n = 0, cap = 0;
	pid_t self = getpid();

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
