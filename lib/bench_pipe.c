/* bench_pipe: two pipes, one a direction.  A message is write(2) of its
 * bytes into one end and read(2) of them from the other: the kernel copies
 * them twice, in and out of the pipe's buffer. */
#include <fcntl.h>
#include <unistd.h>

#include "bench.h"
#include "trace_bench.h"

static int
pipe_open(struct bench_obj *o, const char **why)
{
	int p[2][2];

	(void)why;
	if (t_pipe2(p[0], O_CLOEXEC) != 0)
		return -1;
	o->fd[0] = p[0][0]; /* parent -> child: the child reads here */
	o->fd[2] = p[0][1]; /* and the parent writes here */
	if (t_pipe2(p[1], O_CLOEXEC) != 0)
		return -1;
	o->fd[1] = p[1][0]; /* child -> parent */
	o->fd[3] = p[1][1];
	return 0;
}

const struct bench_mech bench_pipe = {
	"pipe",
	"two pipes, write(2) and read(2)",
	BENCH_DATA,
	pipe_open,
	NULL,
	bench_fd_send,
	bench_fd_recv,
	bench_fd_close,
};
