/* proc: what /proc says of a process: its IPC namespace, cgroup and start
 * time, one descriptor's fdinfo.  Listings read /proc through
 * lib/ipcscan.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc.h"

ino_t
proc_ipcns(int pdir)
{
	struct stat st;

	if ((pdir < 0 ? stat("/proc/self/ns/ipc", &st)
		      : fstatat(pdir, "ns/ipc", &st, 0)) != 0)
		return 0;
	return st.st_ino;
}

int
proc_stat_state(pid_t pid, char *state, uint64_t *start)
{
	char path[32], buf[1024], *p;
	unsigned long long v;
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		if (n == 0)
			errno = ESRCH;
		return -1;
	}
	buf[n] = '\0';
	/* "PID (COMM) S PPID ...": COMM may hold spaces and parentheses. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ' || p[2] == '\0') {
		errno = EINVAL;
		return -1;
	}
	*state = p[2];
	if (start == NULL)
		return 0;
	p += 2; /* at field 3, the state */
	for (i = 3; i < 22 && p != NULL; i++)
		if ((p = strchr(p, ' ')) != NULL)
			p++;
	if (p == NULL || sscanf(p, "%llu", &v) != 1) {
		errno = EINVAL;
		return -1;
	}
	*start = v;
	return 0;
}

int
proc_starttime(pid_t pid, uint64_t *start)
{
	char state;

	if (proc_stat_state(pid, &state, start) != 0 || state == 'Z' ||
	    state == 'X')
		return -1;
	return 0;
}

int
proc_cgroup(pid_t pid, char *buf, size_t len)
{
	char path[32], text[4096], *p, *nl;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 0)
		return -1;
	text[n] = '\0';
	/* One line a hierarchy, "ID:CONTROLLERS:PATH"; v2's is "0::PATH". */
	for (p = text; p != NULL && *p != '\0';
	     p = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (strncmp(p, "0::", 3) == 0) {
			size_t k = nl != NULL ? (size_t)(nl - p) - 3
					      : strlen(p + 3);

			snprintf(buf, len, "%.*s", (int)k, p + 3);
			return 0;
		}
	}
	errno = ENOENT;
	return -1;
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
