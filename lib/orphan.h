/* orphan: whether an IPC object may still be wanted by a live program,
 * and the reason, from one scan (lib/ipcscan.h) made with
 * IPCSCAN_HOLDERS | IPCSCAN_PIDS | IPCSCAN_OWNERS.
 *
 * No process mapping or holding an object does not make it an orphan:
 * PostgreSQL keeps pinned dynamic shared memory by handle with nobody
 * attached, other programs open a semaphore or a queue by name when they
 * need it.  So an object is judged one of three ways:
 *
 *   in use   a process maps, holds or has attached it, or waits on it
 *            (a System V semaphore's GETNCNT and GETZCNT, a process
 *            blocked in msgrcv or msgsnd on a queue), or we cannot see
 *            whether one does: never removed;
 *   unheld   nothing uses it now, but a live program may want it: a live
 *            process runs as its owner (or, System V, its creator: the
 *            rule of systemd-logind's RemoveIPC), or a pid it recorded
 *            (creator, last operation) is alive: removed only when the
 *            user names it;
 *   orphan   none of these.
 *
 * Processes count in the object's own namespaces: for POSIX shared
 * memory and semaphores, those that see the /dev/shm scanned; for queues
 * and System V objects, those in the IPC namespace scanned.  ipcgc
 * itself is none of them.
 */
#ifndef IPCBOX_ORPHAN_H
#define IPCBOX_ORPHAN_H

#include <stddef.h>
#include <sys/types.h>

#include "ipcscan.h"

enum orphan_verdict {
	ORPHAN,
	ORPHAN_UNHELD,
	ORPHAN_INUSE,
};

enum orphan_reason {
	OR_GONE, /* orphan: no live owner, no live pid it recorded */
	OR_FDOBJ, /* eventfd, memfd: it lives only while held */
	OR_HELD, /* n processes map or hold it: pids */
	OR_ATTACHED, /* sysv-shm attached n times (pids: the attachers seen) */
	OR_WAITERS, /* sysv-sem: n processes wait on it */
	OR_BLOCKED, /* sysv-msg: n processes blocked on it (pids; msgsnd
		       when the first waits to send) */
	OR_BLIND, /* n processes may not be inspected: a hold is unknown */
	OR_OWNER, /* its owner uid has n live processes: pids */
	OR_CREATOR, /* System V: its creator uid has n live processes */
	OR_PID, /* pids[0], a pid it recorded, is alive (creator or not) */
	OR_NOPID, /* sysv-shm: its creator is in another pid namespace */
};

#define ORPHAN_PIDS 8

struct orphan {
	enum orphan_verdict verdict;
	enum orphan_reason reason;
	uid_t uid; /* OR_OWNER, OR_CREATOR */
	int creator; /* OR_PID: the creator's pid */
	int msgsnd; /* OR_BLOCKED: the first waits to send */
	size_t n; /* the processes (or attachments) the reason counts */
	pid_t pids[ORPHAN_PIDS]; /* the first of them */
	size_t npids;
};

void
orphan_judge(const struct ipcscan *s, const struct ipcobj *o, struct orphan *w);

/* orphan_judge's verdict is ORPHAN. */
int orphan_is(const struct ipcscan *s, const struct ipcobj *o);

#endif
