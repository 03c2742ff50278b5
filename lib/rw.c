/* rw: the read and write verbs. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "io.h"
#include "msg.h"
#include "parse.h"
#include "rw.h"
#include "trace.h"

#define CHUNK (64 << 10)

/* Point *p at len bytes of the object at off: the System V attachment
 * itself, or buf filled by pread (a short count when the object shrank). */
static ssize_t
obj_chunk(struct shmobj *o, char *buf, size_t len, uint64_t off, const char **p)
{
	ssize_t n;

	if (o->mem != NULL) {
		*p = (const char *)o->mem + off;
		return (ssize_t)len;
	}
	while ((n = t_pread(o->fd, buf, len, (off_t)off)) < 0 && errno == EINTR)
		;
	*p = buf;
	return n;
}

static void
hexline(FILE *f, uint64_t off, const unsigned char *b, size_t n)
{
	char line[80], *q = line;
	size_t i;

	q += sprintf(q, "%08" PRIx64 "  ", off);
	for (i = 0; i < 16; i++) {
		if (i < n)
			q += sprintf(q, "%02x ", b[i]);
		else
			q += sprintf(q, "   ");
		if (i == 7)
			*q++ = ' ';
	}
	*q++ = ' ';
	*q++ = '|';
	for (i = 0; i < n; i++)
		*q++ = b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '.';
	*q++ = '|';
	*q++ = '\n';
	fwrite(line, 1, q - line, f);
}

int
rw_hexdump(struct shmobj *o, uint64_t off, uint64_t len, uint64_t *done)
{
	char *buf = o->mem == NULL ? xmalloc(CHUNK) : NULL;
	unsigned char prev[16], cur[16];
	size_t have = 0;
	int squeezing = 0, first = 1, rc = 0;
	uint64_t pos = off, end = off + len;

	/* Lines are 16 bytes from off, as hexdump -C -s OFF prints them. */
	while (pos < end) {
		const char *p;
		ssize_t n = obj_chunk(o, buf,
		    end - pos < CHUNK ? end - pos : CHUNK, pos, &p);

		if (n < 0) {
			rc = -1;
			break;
		}
		if (n == 0) {
			end = pos; /* shrank under us */
			break;
		}
		for (ssize_t i = 0; i < n; i++) {
			cur[have++] = p[i];
			if (have < 16)
				continue;
			uint64_t lineoff = pos + i + 1 - 16;

			if (!first && memcmp(cur, prev, 16) == 0) {
				if (!squeezing)
					fputs("*\n", stdout);
				squeezing = 1;
			} else {
				hexline(stdout, lineoff, cur, 16);
				squeezing = 0;
			}
			memcpy(prev, cur, 16);
			first = 0;
			have = 0;
		}
		pos += n;
	}
	if (have > 0)
		hexline(stdout, end - have, cur, have);
	if (end > 0) /* as hexdump -C -s OFF: the end offset, even at EOF */
		printf("%08" PRIx64 "\n", end);
	*done = end - off;
	free(buf);
	return rc;
}

/* Up to the first NUL; *done is len when one was found. */
static int
read_string(struct shmobj *o, uint64_t off, uint64_t len, uint64_t *done)
{
	char *buf = o->mem == NULL ? xmalloc(CHUNK) : NULL;
	uint64_t pos = off, end = off + len;
	int rc = 0;

	*done = len;

	while (pos < end) {
		const char *p, *nul;
		ssize_t n = obj_chunk(o, buf,
		    end - pos < CHUNK ? end - pos : CHUNK, pos, &p);

		if (n <= 0) {
			rc = n < 0 ? -1 : 0;
			*done = pos - off; /* shrank under us */
			break;
		}
		nul = memchr(p, '\0', n);
		fwrite(p, 1, nul ? (size_t)(nul - p) : (size_t)n, stdout);
		if (nul != NULL)
			break;
		pos += n;
	}
	free(buf);
	return rc;
}

/* The object refused: errno, or the fuller reason (a memfd's seal). */
static noreturn void
obj_fail(const struct shmobj *o)
{
	msg_fail(o->addr.text, shm_why(o, errno));
}

static void
io_fail(const struct shmobj *o, enum io_side side)
{
	if (side == IO_OBJ)
		obj_fail(o);
	msg_die_e(EXIT_FAIL, msg_verb()[0] == 'r' ? "stdout" : "stdin", "%s",
	    "");
}

/* An option's value, parsed once the object is known so that a bad one
 * is a usage error naming it; text NULL: the option was not given. */
static uint64_t
opt_size(const struct addr *a, const char *what, const char *text,
    uint64_t dflt)
{
	const char *errstr;
	uint64_t v;

	if (text == NULL)
		return dflt;
	if (parse_size(text, INT64_MAX, &v, &errstr) != 0)
		cli_usage(a->text, "%s '%s' %s", what, text, errstr);
	return v;
}

int
rw_read(const struct rw_ops *ops, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "offset", required_argument, NULL, 'o' },
		{ "length", required_argument, NULL, 'n' },
		{ "hex", no_argument, NULL, 'x' },
		{ "string", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct shmobj o;
	struct addr a;
	struct cli c;
	const char *off_text = NULL, *len_text = NULL;
	uint64_t off, len, done;
	enum io_side side = IO_OBJ;
	int ch, hex = 0, str = 0, rc;

	cli_init(&c, argc, argv, "o:n:", lopts, 0);
	cli_exclusive(&c, "xs");
	while ((ch = cli_next(&c)) != -1) {
		switch (ch) {
		case 'o':
			off_text = optarg;
			break;
		case 'n':
			len_text = optarg;
			break;
		case 'x':
			hex = 1;
			break;
		case 's':
			str = 1;
			break;
		}
	}
	cli_operands(&c, 1, 1);
	addr_parse_or_die(c.ops[0], ops->accept, &a);
	off = opt_size(&a, "offset", off_text, 0);
	len = opt_size(&a, "length", len_text, IO_ALL);
	ops->open(&o, &a, 0);
	if (off > o.size)
		msg_die(EXIT_FAIL, a.text,
		    "offset %" PRIu64 " is past the end "
		    "(%" PRIu64 " bytes)",
		    off, o.size);
	if (len == 0) /* -n 0: hexdump -C prints nothing, not even the end */
		hex = 0;
	if (len > o.size - off)
		len = o.size - off;
	done = len;
	if (hex || str) {
		rc = hex ? rw_hexdump(&o, off, len, &done)
			 : read_string(&o, off, len, &done);
		/* Report a full stdout here, as the raw copy does. */
		if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout)))
			rc = -1, side = IO_FD;
	} else if (fflush(stdout) != 0)
		rc = -1, side = IO_FD;
	else if (o.mem != NULL)
		rc = io_mem_to_fd((char *)o.mem + off, len, STDOUT_FILENO,
		    &side);
	else
		rc = io_obj_to_fd(o.fd, (off_t)off, len, STDOUT_FILENO, &done,
		    &side);
	if (rc != 0)
		io_fail(&o, side);
	/* Another process truncated the object while we read it. */
	if (done < len) {
		fflush(stdout);
		msg_die(EXIT_FAIL, a.text,
		    "object shrank during read: %" PRIu64 " of %" PRIu64
		    " bytes",
		    done, len);
	}
	shm_close(&o);
	return EXIT_DONE;
}

static void
past_end(const struct shmobj *o, uint64_t off, uint64_t n, int stream)
{
	if (stream)
		msg_die(EXIT_FAIL, o->addr.text,
		    "input runs past the end "
		    "(%" PRIu64 " bytes)%s",
		    o->size, o->mem ? "" : "; --grow extends the object");
	msg_die(EXIT_FAIL, o->addr.text,
	    "%" PRIu64 " bytes at offset %" PRIu64 " run past the end (%" PRIu64
	    " bytes)%s",
	    n, off, o->size, o->mem ? "" : "; --grow extends the object");
}

/* The bytes left to read on stdin when it is a regular file. */
static int
stdin_left(uint64_t *n)
{
	struct stat st;
	off_t pos;

	if (fstat(STDIN_FILENO, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	pos = lseek(STDIN_FILENO, 0, SEEK_CUR);
	if (pos < 0)
		return 0;
	*n = st.st_size > pos ? (uint64_t)(st.st_size - pos) : 0;
	return 1;
}

/* A write --grow that failed (a full file system, a closed stdin) takes
 * back the size it added: the object keeps the size it had.  errno is
 * kept for the message. */
static void
undo_grow(struct shmobj *o, uint64_t was)
{
	const char *why = NULL;
	struct stat st;
	int e = errno;

	if (o->fd >= 0 && t_fstat(o->fd, &st) == 0 &&
	    (uint64_t)st.st_size > was)
		(void)shm_resize(o, was, &why);
	errno = e;
}

static int
write_string(struct shmobj *o, const char *s, uint64_t off)
{
	size_t n = strlen(s);
	char q[64];

	if (o->mem != NULL) {
		memcpy((char *)o->mem + off, s, n);
		snprintf(q, sizeof(q), "%.24s%s", s, n > 24 ? "..." : "");
		trace_note("memcpy(%p + %" PRIu64 ", \"%s\", %zu)", o->mem, off,
		    q, n);
		return 0;
	}
	while (n > 0) {
		ssize_t w = t_pwrite(o->fd, s, n, (off_t)off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		s += w, n -= w, off += w;
	}
	return 0;
}

int
rw_write(const struct rw_ops *ops, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "offset", required_argument, NULL, 'o' },
		{ "grow", no_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	struct shmobj o;
	struct addr a;
	struct cli c;
	const char *off_text = NULL;
	uint64_t off, done, max, in_left, was;
	enum io_side side = IO_OBJ;
	int ch, grow = 0, more = 0, rc;

	cli_init(&c, argc, argv, "o:", lopts, 0);
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 'o')
			off_text = optarg;
		else if (ch == 'g')
			grow = 1;
	}
	cli_operands(&c, 1, 2);
	addr_parse_or_die(c.ops[0], ops->accept, &a);
	off = opt_size(&a, "offset", off_text, 0);
	if (grow && addr_is_sysv(&a))
		cli_usage(a.text, "--grow: System V segments cannot grow");
	ops->open(&o, &a, 1);
	was = o.size;
	if (off > o.size && !grow)
		msg_die(EXIT_FAIL, a.text,
		    "offset %" PRIu64 " is past the end "
		    "(%" PRIu64 " bytes)",
		    off, o.size);
	/* What --grow would extend the object to, when it is known (STRING,
	 * or a regular file on stdin): refused past the capacity of
	 * SHM_DIR, as create and resize refuse it. */
	if (grow) {
		uint64_t n = c.nops == 2   ? strlen(c.ops[1])
		    : stdin_left(&in_left) ? in_left
					   : 0;
		const char *why = NULL;

		if (off + n > o.size && shm_check_size(&o, off + n, &why) != 0)
			msg_fail(a.text, why);
	}
	if (c.nops == 2) {
		uint64_t n = strlen(c.ops[1]);

		if (!grow && n > o.size - off)
			past_end(&o, off, n, 0);
		if (write_string(&o, c.ops[1], off) != 0) {
			if (grow)
				undo_grow(&o, was);
			obj_fail(&o);
		}
		shm_close(&o);
		return EXIT_DONE;
	}
	max = grow ? IO_ALL - off : o.size - off;
	/* A regular file's length is known: refuse before writing a byte.
	 * (A pipe's is not: the bytes that fit are written first.) */
	if (!grow && stdin_left(&in_left) && in_left > max)
		past_end(&o, off, in_left, 0);
	if (o.mem != NULL)
		rc = io_fd_to_mem(STDIN_FILENO, (char *)o.mem + off, max, &done,
		    &more, &side);
	else
		rc = io_fd_to_obj(STDIN_FILENO, o.fd, (off_t)off, max, &done,
		    &more, &side);
	if (rc != 0 && grow)
		undo_grow(&o, was);
	if (rc != 0)
		io_fail(&o, side);
	if (more)
		past_end(&o, off, 0, 1);
	shm_close(&o);
	return EXIT_DONE;
}
