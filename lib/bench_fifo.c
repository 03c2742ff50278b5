/* bench_fifo: two named pipes (mkfifo(3)) in a private directory made for
 * the run.  Each side opens them by name after the fork (an open for
 * reading waits for a writer, and the other way round, so both open in the
 * same order); once both are open, the names and the directory are
 * removed and the pipes live on in the descriptors.  A message then moves
 * as through a pipe: the same kernel code. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "trace.h"
#include "trace_bench.h"
#include "trace_fd.h"
#include "trace_ipc.h"

static int
fifo_open(struct bench_obj *o, const char **why)
{
	const char *tmp = getenv("TMPDIR");
	int dir;

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(o->dir, sizeof(o->dir), "%s/ipcbench.XXXXXX",
		tmp) >= sizeof(o->dir) - 2) {
		o->dir[0] = '\0';
		*why = "TMPDIR is too long";
		return -1;
	}
	if (t_mkdtemp(o->dir) == NULL) {
		o->dir[0] = '\0';
		return -1;
	}
	for (dir = 0; dir < 2; dir++) {
		snprintf(o->path[dir], sizeof(o->path[dir]), "%s/%d", o->dir,
		    dir);
		if (t_mkfifo(o->path[dir], 0600) != 0) {
			o->path[dir][0] = '\0';
			return -1;
		}
	}
	return 0;
}

/* Remove the names (the descriptors keep the pipes). */
static void
fifo_unlink(struct bench_obj *o)
{
	int dir;

	for (dir = 0; dir < 2; dir++)
		if (o->path[dir][0] != '\0') {
			t_unlink(o->path[dir]);
			o->path[dir][0] = '\0';
		}
	if (o->dir[0] != '\0') {
		t_rmdir(o->dir);
		o->dir[0] = '\0';
	}
}

/* The parent writes fifo 0 and reads fifo 1; the child the other way.
 * (t_open_proc is the traced open(2) of any path.) */
static int
fifo_attach(struct bench_obj *o, int side)
{
	if (side == 0) {
		if ((o->fd[2] = t_open_proc(o->path[0], O_WRONLY | O_CLOEXEC)) <
			0 ||
		    (o->fd[1] = t_open_proc(o->path[1], O_RDONLY | O_CLOEXEC)) <
			0)
			return -1;
		fifo_unlink(o);
	} else if ((o->fd[0] = t_open_proc(o->path[0], O_RDONLY | O_CLOEXEC)) <
		0 ||
	    (o->fd[3] = t_open_proc(o->path[1], O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	return 0;
}

static void
fifo_close(struct bench_obj *o)
{
	bench_fd_close(o);
	fifo_unlink(o);
}

const struct bench_mech bench_fifo = {
	"fifo",
	"two named pipes (mkfifo), write(2) and read(2)",
	BENCH_DATA,
	fifo_open,
	fifo_attach,
	bench_fd_send,
	bench_fd_recv,
	fifo_close,
};
