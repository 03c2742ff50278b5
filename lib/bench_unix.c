/* bench_unix: one connected pair of Unix stream sockets (socketpair(2)):
 * the parent's end sends and receives both directions.  A message is
 * write(2) into one end and read(2) from the other; the kernel copies the
 * bytes into a socket buffer and out again, as a pipe does, with the
 * socket layer's bookkeeping on top. */
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"
#include "trace_bench.h"

static int
unix_open(struct bench_obj *o, const char **why)
{
	int s[2];

	(void)why;
	if (t_socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s) != 0)
		return -1;
	o->fd[2] = o->fd[1] = s[0]; /* the parent writes and reads here */
	o->fd[0] = o->fd[3] = s[1]; /* the child: the other end */
	return 0;
}

const struct bench_mech bench_unix = {
	"unix",
	"a Unix stream socket pair, write(2) and read(2)",
	BENCH_DATA,
	unix_open,
	NULL,
	bench_fd_send,
	bench_fd_recv,
	bench_fd_close,
};
