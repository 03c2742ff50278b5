/* io: bytes between objects and descriptors. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "msg.h"
#include "trace.h"

#define CHUNK (1 << 20) /* one kernel-side copy call through a pipe */
/* One file-to-file call (copy_file_range, sendfile), as large as cat's:
 * the kernel moves it in 64 KiB steps through a pipe of its own, capped
 * at 2 GiB a call, so a larger request only saves system calls (1 a GiB
 * instead of 1024) and --trace lines. */
#define FILECHUNK (1 << 30)
#define BUFSZ (256 << 10) /* the userspace fallback buffer */
#define PIPESZ (1 << 20) /* a pipe, widened (the default pipe-max-size) */

static uint64_t
min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The userspace fallback, both ways: up to len bytes (fewer at the
 * input's end) through a buffer between the object at off (pread/pwrite,
 * traced) and fd at its file position (read/write). */
static int
copy_rw(int obj, off_t off, int fd, int to_obj, uint64_t len, uint64_t *done,
    enum io_side *side)
{
	char *buf = xmalloc(BUFSZ);
	int rc = 0;

	while (len > 0) {
		size_t want = min64(len, BUFSZ);
		ssize_t n = to_obj ? read(fd, buf, want)
				   : t_pread(obj, buf, want, off),
			w;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0)
				*side = to_obj ? IO_FD : IO_OBJ, rc = -1;
			break;
		}
		for (ssize_t k = 0; k < n; k += w) {
			w = to_obj ? t_pwrite(obj, buf + k, n - k, off + k)
				   : write(fd, buf + k, n - k);
			if (w < 0 && errno == EINTR)
				w = 0;
			else if (w <= 0) {
				/* A write of nothing would be tried for ever:
				 * no space, as gnulib's full_write says. */
				if (w == 0)
					errno = ENOSPC;
				*side = to_obj ? IO_OBJ : IO_FD, rc = -1;
				goto out;
			}
		}
		off += n, len -= n, *done += n;
	}
out:
	free(buf);
	return rc;
}

/* A wider pipe lets the process at its other end and us each move 1 MiB
 * a wake-up instead of 64 KiB: about a third less CPU time for a bulk copy
 * through a pipe.  The kernel may refuse (pipe-max-size, the user's pipe
 * quota): then the pipe stays as it is. */
static void
pipe_widen(int fd, uint64_t len)
{
	struct stat st;
	int sz;

	if (len < PIPESZ || fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode))
		return;
	sz = fcntl(fd, F_GETPIPE_SZ);
	if (sz > 0 && sz < PIPESZ)
		(void)fcntl(fd, F_SETPIPE_SZ, PIPESZ);
}

int
io_obj_to_fd(int obj, off_t off, uint64_t len, int out, uint64_t *done,
    enum io_side *side)
{
	pipe_widen(out, len);
	*done = 0;
	while (len > 0) {
		ssize_t n = t_sendfile(out, obj, &off, min64(len, CHUNK));

		if (n < 0 && errno == EINTR)
			continue;
		/* EOVERFLOW: an offset past what out's file system takes
		 * (sendfile checks the input's offset against it). */
		if (n < 0 &&
		    (errno == EINVAL || errno == ENOSYS ||
			errno == EOVERFLOW) &&
		    *done == 0)
			return copy_rw(obj, off, out, 0, len, done, side);
		if (n < 0) {
			/* sendfile cannot say which end refused: ask. */
			int e = errno;

			*side = fcntl(out, F_GETFL) < 0 || e == ENOSPC ||
				e == EPIPE || e == EBADF
			    ? IO_FD
			    : IO_OBJ;
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		len -= n, *done += n;
	}
	return 0;
}

int
io_has_more(int in)
{
	char c;
	ssize_t n;

	while ((n = read(in, &c, 1)) < 0 && errno == EINTR)
		;
	return n > 0;
}

/* sendfile(2) writes at the output's file position: place it at the
 * first call (*placed), and each call moves it on. */
static ssize_t
sendfile_at(int obj, int in, off_t *off, size_t n, int *placed)
{
	ssize_t r;

	if (!*placed && lseek(obj, *off, SEEK_SET) < 0)
		return -1;
	*placed = 1;
	r = t_sendfile(obj, in, NULL, n);
	if (r > 0)
		*off += r;
	return r;
}

int
io_fd_to_obj(int in, int obj, off_t off, uint64_t max, uint64_t *done,
    int *more, enum io_side *side)
{
	enum { SPLICE, COPY_RANGE, SENDFILE, USERSPACE } how = USERSPACE;
	struct stat st;
	int rc = 0, placed = 0;

	/* A pipe splices into the object; a regular file copies in the
	 * kernel (copy_file_range, or sendfile across filesystems). */
	if (fstat(in, &st) == 0)
		how = S_ISFIFO(st.st_mode) ? SPLICE
		    : S_ISREG(st.st_mode)  ? COPY_RANGE
					   : USERSPACE;
	if (how == SPLICE)
		pipe_widen(in, max);
	*done = 0;
	*more = 0;
	while (max > 0 && how != USERSPACE) {
		size_t want = min64(max, how == SPLICE ? CHUNK : FILECHUNK);
		ssize_t n;

		if (how == SPLICE)
			n = t_splice(in, NULL, obj, &off, want, SPLICE_F_MOVE);
		else if (how == COPY_RANGE)
			n = t_copy_file_range(in, NULL, obj, &off, want, 0);
		else
			n = sendfile_at(obj, in, &off, want, &placed);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && *done == 0 &&
		    (errno == EINVAL || errno == EXDEV || errno == ENOSYS ||
			errno == EOPNOTSUPP)) {
			how = how == COPY_RANGE ? SENDFILE : USERSPACE;
			continue;
		}
		if (n < 0) {
			int e = errno;

			*side = e == ENOSPC || e == EFBIG || e == EPERM ||
				e == EBADF
			    ? IO_OBJ
			    : IO_FD;
			errno = e;
			return -1;
		}
		if (n == 0)
			goto end;
		max -= n, *done += n;
	}
	if (max > 0) {
		uint64_t d = 0;

		rc = copy_rw(obj, off, in, 1, max, &d, side);
		*done += d;
		max -= d;
	}
end:
	if (rc == 0 && max == 0)
		*more = io_has_more(in);
	return rc;
}

int
io_mem_to_fd(const void *p, size_t n, int out, enum io_side *side)
{
	const char *c = p;

	pipe_widen(out, n);
	while (n > 0) {
		ssize_t w = t_write(out, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = ENOSPC; /* as in copy_rw */
			*side = IO_FD;
			return -1;
		}
		c += w, n -= w;
	}
	return 0;
}

int
io_fd_to_mem(int in, void *p, size_t max, uint64_t *done, int *more,
    enum io_side *side)
{
	char *c = p;

	pipe_widen(in, max);
	*done = 0;
	*more = 0;
	while (max > 0) {
		ssize_t n = t_read(in, c, max);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*side = IO_FD;
			return -1;
		}
		if (n == 0)
			return 0;
		c += n, max -= n, *done += n;
	}
	*more = io_has_more(in);
	return 0;
}

void
io_lines_init(struct io_lines *l, int fd)
{
	memset(l, 0, sizeof(*l));
	l->fd = fd;
	l->cap = 64 << 10;
	l->buf = xmalloc(l->cap);
}

int
io_line(struct io_lines *l, const char **line, size_t *n)
{
	size_t scanned = 0;

	for (;;) {
		char *nl = memchr(l->buf + l->start + scanned, '\n',
		    l->end - l->start - scanned);
		ssize_t r;

		if (nl != NULL) {
			*line = l->buf + l->start;
			*n = (size_t)(nl - *line);
			l->start += *n + 1;
			return 1;
		}
		scanned = l->end - l->start;
		if (l->eof) {
			if (scanned == 0)
				return 0;
			*line = l->buf + l->start; /* no newline at the end */
			*n = scanned;
			l->start = l->end;
			return 1;
		}
		/* Room for more: the partial line down to the start, and a
		 * larger buffer when it fills the whole. */
		if (l->start > 0) {
			memmove(l->buf, l->buf + l->start, scanned);
			l->start = 0, l->end = scanned;
		}
		if (l->end == l->cap)
			l->buf = xreallocarray(l->buf, l->cap *= 2, 1);
		r = read(l->fd, l->buf + l->end, l->cap - l->end);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			l->eof = 1;
		l->end += (size_t)r;
	}
}

void
io_lines_free(struct io_lines *l)
{
	free(l->buf);
	l->buf = NULL;
}
