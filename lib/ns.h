/* ns: enter another process's view of IPC objects, as nsenter(1) --ipc
 * --mount --root --wd does: its IPC and mount namespaces, then its root
 * and working directory.  setns(2) into a mount namespace moves the
 * caller to that namespace's real root; a process in a chroot (a package
 * build, a service) sees its own /dev/shm and /proc only from its root. */
#ifndef IPCBOX_NS_H
#define IPCBOX_NS_H

#include <sys/types.h>

/* 0, or -1 with errno set and *why the step that failed ("cannot open
 * its IPC namespace", "cannot enter its root directory", ...).  Every
 * file is opened before the first setns, from our own root. */
int ns_enter(pid_t pid, const char **why);

#endif
