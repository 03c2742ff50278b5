/* orphan: whether an IPC object may still be wanted, and why. */
#include <string.h>
#include <unistd.h>

#include "orphan.h"

static void
add_pid(struct orphan *w, pid_t pid)
{
	if (w->npids < ORPHAN_PIDS)
		w->pids[w->npids++] = pid;
	w->n++;
}

static int
set(struct orphan *w, enum orphan_verdict v, enum orphan_reason r)
{
	w->verdict = v;
	w->reason = r;
	return v;
}

/* The process is in the object's namespaces (unknown: taken as in). */
static int
same_ns(const struct ipcobj *o, const struct ipcproc *p)
{
	if (o->type == IPC_POSIX_SHM || o->type == IPC_POSIX_SEM)
		return p->shm != 0;
	return p->ipcns != 0;
}

static int
runs_as(const struct ipcproc *p, uid_t uid)
{
	return p->known &&
	    (p->uid[0] == uid || p->uid[1] == uid || p->uid[2] == uid);
}

/* The live processes of user uid in o's namespaces, into w. */
static int
live_user(const struct ipcscan *s, const struct ipcobj *o, uid_t uid,
    struct orphan *w)
{
	size_t i;

	w->n = w->npids = 0;
	for (i = 0; i < s->nprocs; i++)
		if (runs_as(&s->procs[i], uid) && same_ns(o, &s->procs[i]))
			add_pid(w, s->procs[i].pid);
	w->uid = uid;
	return w->n > 0;
}

/* sysv-msg: the processes blocked on it; -1 when some may be and we
 * cannot see it (their n in w). */
static int
blocked(const struct ipcscan *s, const struct ipcobj *o, struct orphan *w)
{
	size_t i, unknown = 0;

	w->n = w->npids = 0;
	for (i = 0; i < s->nprocs; i++) {
		const struct ipcproc *p = &s->procs[i];

		if (p->ipcns == 0)
			continue;
		if (p->msgwait < 0)
			unknown++;
		else if (p->msgwait > 0 && p->msq == o->id) {
			if (w->n == 0)
				w->msgsnd = p->msgsnd;
			add_pid(w, p->pid);
		}
	}
	if (w->n > 0)
		return 1;
	/* As root, a process that even root may not look at is taken to
	 * wait on nothing, as it is taken to hold nothing (ipcscan_blind):
	 * a sandbox's supervisor, not a program of the host's users. */
	w->n = unknown > 0 && geteuid() != 0 ? unknown : 0;
	return w->n > 0 ? -1 : 0;
}

static int
is_sysv(int type)
{
	return type == IPC_SYSV_SHM || type == IPC_SYSV_SEM ||
	    type == IPC_SYSV_MSG;
}

static int
judge(const struct ipcscan *s, const struct ipcobj *o, struct orphan *w)
{
	size_t i;
	int b;

	memset(w, 0, sizeof(*w));
	/* In use. */
	switch (o->type) {
	case IPC_POSIX_SHM:
	case IPC_POSIX_SEM:
	case IPC_POSIX_MQ:
		if (o->nholders > 0) {
			for (i = 0; i < o->nholders; i++)
				add_pid(w, o->holders[i]);
			return set(w, ORPHAN_INUSE, OR_HELD);
		}
		if (ipcscan_blind(s)) {
			w->n = s->uninspected;
			return set(w, ORPHAN_INUSE, OR_BLIND);
		}
		break;
	case IPC_SYSV_SHM:
		if (o->nattch > 0) {
			for (i = 0; i < o->nholders; i++)
				add_pid(w, o->holders[i]);
			w->n = o->nattch;
			return set(w, ORPHAN_INUSE, OR_ATTACHED);
		}
		break;
	case IPC_SYSV_SEM:
		if (o->waiters > 0) {
			w->n = o->waiters;
			return set(w, ORPHAN_INUSE, OR_WAITERS);
		}
		break;
	case IPC_SYSV_MSG:
		if ((b = blocked(s, o, w)) != 0)
			return set(w, ORPHAN_INUSE,
			    b > 0 ? OR_BLOCKED : OR_BLIND);
		break;
	default:
		return set(w, ORPHAN_INUSE, OR_FDOBJ);
	}
	/* Unheld: a live program may want it. */
	if (live_user(s, o, o->uid, w))
		return set(w, ORPHAN_UNHELD, OR_OWNER);
	if (is_sysv(o->type) && o->cuid != o->uid &&
	    live_user(s, o, o->cuid, w))
		return set(w, ORPHAN_UNHELD, OR_CREATOR);
	w->n = w->npids = 0;
	if (o->live_pid > 0) {
		add_pid(w, o->live_pid);
		w->creator = o->live_creator;
		return set(w, ORPHAN_UNHELD, OR_PID);
	}
	/* cpid 0: made in a pid namespace we do not see. */
	if (o->type == IPC_SYSV_SHM && o->cpid <= 0)
		return set(w, ORPHAN_UNHELD, OR_NOPID);
	return set(w, ORPHAN, OR_GONE);
}

void
orphan_judge(const struct ipcscan *s, const struct ipcobj *o, struct orphan *w)
{
	judge(s, o, w);
}

int
orphan_is(const struct ipcscan *s, const struct ipcobj *o)
{
	struct orphan w;

	orphan_judge(s, o, &w);
	return w.verdict == ORPHAN;
}
