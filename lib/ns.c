/* ns: enter another process's namespaces, root and working directory. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "ns.h"
#include "trace.h"
#include "trace_ipc.h"

enum { NS_IPC, NS_MNT, NS_ROOT, NS_CWD, NS_N };

static const struct {
	const char *file; /* under /proc/PID/ */
	int nstype; /* 0: a directory */
	const char *open_why, *enter_why;
} steps[NS_N] = {
	[NS_IPC] = { "ns/ipc", CLONE_NEWIPC, "cannot open its IPC namespace",
	    "cannot enter its IPC namespace" },
	[NS_MNT] = { "ns/mnt", CLONE_NEWNS, "cannot open its mount namespace",
	    "cannot enter its mount namespace" },
	[NS_ROOT] = { "root", 0, "cannot open its root directory",
	    "cannot enter its root directory" },
	[NS_CWD] = { "cwd", 0, "cannot open its working directory",
	    "cannot enter its working directory" },
};

static void
close_all(int *fd)
{
	int i, e = errno;

	for (i = 0; i < NS_N; i++)
		if (fd[i] >= 0)
			t_close(fd[i]);
	errno = e;
}

int
ns_enter(pid_t pid, const char **why)
{
	char path[64];
	int fd[NS_N], i, r = 0;

	for (i = 0; i < NS_N; i++)
		fd[i] = -1;
	for (i = 0; i < NS_N; i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid,
		    steps[i].file);
		fd[i] = steps[i].nstype ? t_open_rdonly(path)
					: t_open_dir(path);
		if (fd[i] < 0) {
			*why = steps[i].open_why;
			close_all(fd);
			return -1;
		}
	}
	for (i = 0; i < NS_N && r == 0; i++) {
		if (steps[i].nstype)
			r = t_setns(fd[i], steps[i].nstype);
		else if (i == NS_ROOT)
			r = t_fchdir(fd[i]) != 0 ? -1 : t_chroot(".");
		else
			r = t_fchdir(fd[i]);
		if (r != 0)
			*why = steps[i].enter_why;
	}
	close_all(fd);
	return r;
}
