/* bench_pmq: two POSIX message queues (mq_open(3)), one a direction.  A
 * message is mq_send(3) of its bytes and mq_receive(3) of them: the
 * kernel copies them into a message of its own and out again.  The
 * queues are unlinked as soon as they are open: the descriptors, which
 * the fork shares, keep them, and nothing is left by any way out. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench.h"
#include "trace_ipc.h"

static char reason[160];

/* Why mq_open refused messages of n bytes, naming the limit. */
static const char *
refused(size_t n, long maxmsg)
{
	int e = errno;
	long max = bench_limit("/proc/sys/fs/mqueue/msgsize_max");
	struct rlimit rl;

	errno = e;
	if (errno == EINVAL && max > 0 && (long)n > max)
		snprintf(reason, sizeof(reason),
		    "%zu-byte messages are over fs.mqueue.msgsize_max (%ld "
		    "bytes)",
		    n, max);
	else if (errno == EMFILE && getrlimit(RLIMIT_MSGQUEUE, &rl) == 0)
		snprintf(reason, sizeof(reason),
		    "two queues of %ld %zu-byte messages are over "
		    "RLIMIT_MSGQUEUE (%llu bytes)",
		    maxmsg, n, (unsigned long long)rl.rlim_cur);
	else
		return NULL; /* errno says it */
	return reason;
}

static int
pmq_open(struct bench_obj *o, const char **why)
{
	struct mq_attr attr = { 0 };
	long max = bench_limit("/proc/sys/fs/mqueue/msg_max");
	char name[64];
	int dir;

	/* Ten messages a queue (the kernel's default), fewer when
	 * fs.mqueue.msg_max is lower. */
	attr.mq_maxmsg = max > 0 && max < 10 ? max : 10;
	attr.mq_msgsize = (long)o->size;
	for (dir = 0; dir < 2; dir++) {
		snprintf(name, sizeof(name), "/ipcbench-%ld-%d", (long)getpid(),
		    dir);
		o->fd[dir] = o->fd[2 + dir] = t_mq_open_mode(name,
		    O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &attr);
		if (o->fd[dir] < 0) {
			*why = refused(o->size, attr.mq_maxmsg);
			return -1;
		}
		t_mq_unlink(name);
	}
	return 0;
}

static int
pmq_send(struct bench_obj *o, int dir, const void *p, size_t n)
{
	while (mq_send(o->fd[2 + dir], p, n, 0) != 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

static int
pmq_recv(struct bench_obj *o, int dir, void *p, size_t n)
{
	ssize_t r;

	while ((r = mq_receive(o->fd[dir], p, n, NULL)) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

const struct bench_mech bench_pmq = {
	"pmq",
	"two POSIX message queues, mq_send(3) and mq_receive(3)",
	BENCH_DATA,
	pmq_open,
	NULL,
	pmq_send,
	pmq_recv,
	bench_fd_close,
};
