/* io: bytes between an object and a descriptor, never the whole object in
 * memory.  Descriptor-backed objects (POSIX shm, memfd) move with
 * sendfile/splice/copy_file_range where the kernel allows and pread/pwrite
 * otherwise, so a concurrent shrink gives a short count, not SIGBUS.
 * System V segments cannot shrink: their attachment is read and written
 * directly.  A pipe at the other end of a bulk copy is widened to 1 MiB
 * (F_SETPIPE_SZ) when the kernel allows.
 *
 * Every function returns 0, or -1 with errno set and *side telling which
 * end failed (IO_OBJ or IO_FD), for the message.
 */
#ifndef IPCBOX_IO_H
#define IPCBOX_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum io_side { IO_OBJ, IO_FD };

#define IO_ALL UINT64_MAX

/* Object fd at off, up to len bytes (fewer at EOF), to out. */
int io_obj_to_fd(int obj, off_t off, uint64_t len, int out, uint64_t *done,
    enum io_side *side);

/* From in (to EOF) into object fd at off, at most max bytes.  *more is set
 * when input remained after max bytes. */
int io_fd_to_obj(int in, int obj, off_t off, uint64_t max, uint64_t *done,
    int *more, enum io_side *side);

/* Memory (a System V attachment) to out, and in to memory. */
int io_mem_to_fd(const void *p, size_t n, int out, enum io_side *side);
int io_fd_to_mem(int in, void *p, size_t max, uint64_t *done, int *more,
    enum io_side *side);

/* Whether in has at least one more byte (consumes it). */
int io_has_more(int in);

/* Lines read from a descriptor through a buffer that grows to hold the
 * longest: io_line gives the next without its newline (a last line
 * without one too), valid until the next call: 1, 0 at the end, -1 with
 * errno set. */
struct io_lines {
	int fd, eof;
	char *buf;
	size_t cap, start, end;
};
void io_lines_init(struct io_lines *l, int fd);
int io_line(struct io_lines *l, const char **line, size_t *n);
void io_lines_free(struct io_lines *l);

#endif
