/* bench_smq: one System V message queue (msgget(2)), the direction in the
 * message's type: 1 from the parent, 2 back.  A message is msgsnd(2) and
 * msgrcv(2) of its type and bytes; the API wants the type in front of
 * the bytes, so each side first copies the message into a buffer that
 * starts with it, as any caller does.  The queue has no name to unlink
 * early: it is removed (IPC_RMID) on every way out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>

#include "bench.h"
#include "trace_ipc.h"

struct smsg {
	long type;
	char text[];
};

static char reason[160];

static int
smq_open(struct bench_obj *o, const char **why)
{
	long max = bench_limit("/proc/sys/kernel/msgmax");
	long mnb = bench_limit("/proc/sys/kernel/msgmnb");

	/* msgsnd refuses a longer message (EINVAL); one longer than the
	 * queue's bytes would wait for room for ever. */
	if (max > 0 && (long)o->size > max) {
		snprintf(reason, sizeof(reason),
		    "%zu-byte messages are over kernel.msgmax (%ld bytes)",
		    o->size, max);
		*why = reason;
		return -1;
	}
	if (mnb > 0 && (long)o->size > mnb) {
		snprintf(reason, sizeof(reason),
		    "%zu-byte messages are over kernel.msgmnb (%ld bytes)",
		    o->size, mnb);
		*why = reason;
		return -1;
	}
	if ((o->buf = malloc(sizeof(struct smsg) + o->size)) == NULL)
		return -1;
	if ((o->id = t_msgget(IPC_PRIVATE, IPC_CREAT | 0600)) < 0)
		return -1;
	return 0;
}

static int
smq_send(struct bench_obj *o, int dir, const void *p, size_t n)
{
	struct smsg *m = o->buf;

	m->type = dir + 1;
	memcpy(m->text, p, n);
	while (msgsnd((int)o->id, m, n, 0) != 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

static int
smq_recv(struct bench_obj *o, int dir, void *p, size_t n)
{
	struct smsg *m = o->buf;
	ssize_t r;

	while ((r = msgrcv((int)o->id, m, n, dir + 1, 0)) < 0)
		if (errno != EINTR)
			return -1;
	memcpy(p, m->text, n);
	return 0;
}

static void
smq_close(struct bench_obj *o)
{
	if (o->id >= 0) {
		t_msgctl((int)o->id, IPC_RMID, NULL);
		o->id = -1;
	}
}

const struct bench_mech bench_smq = {
	"smq",
	"one System V message queue, msgsnd(2) and msgrcv(2)",
	BENCH_DATA,
	smq_open,
	NULL,
	smq_send,
	smq_recv,
	smq_close,
};
