/* trace: traced system-call wrappers. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>
#define LIBBSD_NETBSD_VIS 1 /* strnvisx(dst, dlen, src, len, flags) */
#include <vis.h>

#include "trace.h"

int trace_on;

void
trace_from_env(void)
{
	const char *e = getenv("IPCBOX_TRACE");

	if (e != NULL && *e != '\0' && strcmp(e, "0") != 0)
		trace_on = 1;
}

static void
emit(const char *call, long ret, int err, int ptr)
{
	char line[1024];
	int n;

	if (ret == -1 && err != 0)
		n = snprintf(line, sizeof(line), "%s = -1 %s (%s)\n", call,
		    strerrorname_np(err) ? strerrorname_np(err) : "E?",
		    strerror(err));
	else if (ptr)
		n = snprintf(line, sizeof(line), "%s = %#lx\n", call, ret);
	else
		n = snprintf(line, sizeof(line), "%s = %ld\n", call, ret);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1, line[n - 1] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

void
trace_note(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	if (!trace_on)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

/* Format the call, then emit it with its result, keeping errno. */
#define TRACE(ret, ptr, ...)                                          \
	do {                                                          \
		if (trace_on) {                                       \
			int e_ = errno;                               \
			char c_[768];                                 \
			snprintf(c_, sizeof(c_), __VA_ARGS__);        \
			emit(c_, (long)(ret), (ret) == -1 ? e_ : 0, ptr); \
			errno = e_;                                   \
		}                                                     \
	} while (0)

/* A C string literal for a name or a data preview ("hello\n"...). */
static const char *
quote(char *buf, size_t len, const void *p, size_t n)
{
	size_t max = n > 32 ? 32 : n;
	char v[32 * 4 + 1];

	strnvisx(v, sizeof(v), p, max, VIS_CSTYLE | VIS_OCTAL | VIS_DQ |
	    VIS_NL | VIS_TAB);
	snprintf(buf, len, "\"%s\"%s", v, n > max ? "..." : "");
	return buf;
}

static const char *
qstr(char *buf, size_t len, const char *s)
{
	return quote(buf, len, s, strlen(s));
}

static const char *
open_flags(char *buf, size_t len, int f)
{
	static const struct {
		int flag;
		const char *name;
	} fl[] = {
		{ O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" },
		{ O_TRUNC, "O_TRUNC" }, { O_APPEND, "O_APPEND" },
		{ O_NOFOLLOW, "O_NOFOLLOW" }, { O_CLOEXEC, "O_CLOEXEC" },
		{ O_NONBLOCK, "O_NONBLOCK" },
	};
	size_t i;
	int acc = f & O_ACCMODE;

	snprintf(buf, len, "%s", acc == O_RDWR ? "O_RDWR" :
	    acc == O_WRONLY ? "O_WRONLY" : "O_RDONLY");
	for (i = 0; i < sizeof(fl) / sizeof(fl[0]); i++)
		if (f & fl[i].flag)
			strlcat(buf, "|", len), strlcat(buf, fl[i].name, len);
	return buf;
}

static const char *
ipc_flags(char *buf, size_t len, int f)
{
	buf[0] = '\0';
	if (f & IPC_CREAT)
		strlcat(buf, "IPC_CREAT|", len);
	if (f & IPC_EXCL)
		strlcat(buf, "IPC_EXCL|", len);
	snprintf(buf + strlen(buf), len - strlen(buf), "%04o", f & 0777);
	return buf;
}

static const char *
ipc_key(char *buf, size_t len, key_t k)
{
	if (k == IPC_PRIVATE)
		snprintf(buf, len, "IPC_PRIVATE");
	else
		snprintf(buf, len, "%#x", (unsigned)k);
	return buf;
}

static const char *
offp(char *buf, size_t len, const off_t *off)
{
	if (off == NULL)
		snprintf(buf, len, "NULL");
	else
		snprintf(buf, len, "[%lld]", (long long)*off);
	return buf;
}

int
t_shm_open(const char *name, int oflag, mode_t mode)
{
	char q[160], f[128];
	int r = shm_open(name, oflag, mode);

	TRACE(r, 0, "shm_open(%s, %s, %04o)", qstr(q, sizeof(q), name),
	    open_flags(f, sizeof(f), oflag), (unsigned)mode);
	return r;
}

int
t_shm_unlink(const char *name)
{
	char q[160];
	int r = shm_unlink(name);

	TRACE(r, 0, "shm_unlink(%s)", qstr(q, sizeof(q), name));
	return r;
}

int
t_ftruncate(int fd, off_t len)
{
	int r = ftruncate(fd, len);

	TRACE(r, 0, "ftruncate(%d, %lld)", fd, (long long)len);
	return r;
}

int
t_fstat(int fd, struct stat *st)
{
	int r = fstat(fd, st);

	if (r == 0)
		TRACE(r, 0, "fstat(%d, {st_mode=%04o, st_size=%lld, ...})",
		    fd, (unsigned)(st->st_mode & 07777),
		    (long long)st->st_size);
	else
		TRACE(r, 0, "fstat(%d, %p)", fd, (void *)st);
	return r;
}

int
t_fstatvfs(int fd, struct statvfs *sv)
{
	int r = fstatvfs(fd, sv);

	TRACE(r, 0, "fstatvfs(%d, {f_frsize=%lu, f_blocks=%llu, ...})", fd,
	    r == 0 ? sv->f_frsize : 0UL,
	    r == 0 ? (unsigned long long)sv->f_blocks : 0ULL);
	return r;
}

int
t_fchmod(int fd, mode_t mode)
{
	int r = fchmod(fd, mode);

	TRACE(r, 0, "fchmod(%d, %04o)", fd, (unsigned)mode);
	return r;
}

int
t_close(int fd)
{
	int r = close(fd);

	TRACE(r, 0, "close(%d)", fd);
	return r;
}

ssize_t
t_read(int fd, void *buf, size_t n)
{
	char q[160];
	ssize_t r = read(fd, buf, n);

	TRACE(r, 0, "read(%d, %s, %zu)", fd,
	    r > 0 ? quote(q, sizeof(q), buf, r) : "\"\"", n);
	return r;
}

ssize_t
t_write(int fd, const void *buf, size_t n)
{
	char q[160];
	ssize_t r = write(fd, buf, n);

	TRACE(r, 0, "write(%d, %s, %zu)", fd, quote(q, sizeof(q), buf, n), n);
	return r;
}

ssize_t
t_pread(int fd, void *buf, size_t n, off_t off)
{
	char q[160];
	ssize_t r = pread(fd, buf, n, off);

	TRACE(r, 0, "pread(%d, %s, %zu, %lld)", fd,
	    r > 0 ? quote(q, sizeof(q), buf, r) : "\"\"", n, (long long)off);
	return r;
}

ssize_t
t_pwrite(int fd, const void *buf, size_t n, off_t off)
{
	char q[160];
	ssize_t r = pwrite(fd, buf, n, off);

	TRACE(r, 0, "pwrite(%d, %s, %zu, %lld)", fd,
	    quote(q, sizeof(q), buf, n), n, (long long)off);
	return r;
}

ssize_t
t_sendfile(int out, int in, off_t *off, size_t n)
{
	char o[32];
	off_t before = off ? *off : 0;
	ssize_t r = sendfile(out, in, off, n);

	TRACE(r, 0, "sendfile(%d, %d, %s, %zu)", out, in,
	    offp(o, sizeof(o), off ? &before : NULL), n);
	return r;
}

ssize_t
t_splice(int in, off_t *inoff, int out, off_t *outoff, size_t n,
    unsigned flags)
{
	char a[32], b[32];
	off_t ib = inoff ? *inoff : 0, ob = outoff ? *outoff : 0;
	ssize_t r = splice(in, inoff, out, outoff, n, flags);

	TRACE(r, 0, "splice(%d, %s, %d, %s, %zu, %s)", in,
	    offp(a, sizeof(a), inoff ? &ib : NULL), out,
	    offp(b, sizeof(b), outoff ? &ob : NULL), n,
	    flags & SPLICE_F_MOVE ? "SPLICE_F_MOVE" : "0");
	return r;
}

ssize_t
t_copy_file_range(int in, off_t *inoff, int out, off_t *outoff, size_t n,
    unsigned flags)
{
	char a[32], b[32];
	off_t ib = inoff ? *inoff : 0, ob = outoff ? *outoff : 0;
	ssize_t r = copy_file_range(in, inoff, out, outoff, n, flags);

	TRACE(r, 0, "copy_file_range(%d, %s, %d, %s, %zu, %u)", in,
	    offp(a, sizeof(a), inoff ? &ib : NULL), out,
	    offp(b, sizeof(b), outoff ? &ob : NULL), n, flags);
	return r;
}

key_t
t_ftok(const char *path, int proj)
{
	char q[160];
	key_t r = ftok(path, proj);

	if (r == -1)
		TRACE(r, 0, "ftok(%s, %d)", qstr(q, sizeof(q), path), proj);
	else if (trace_on)
		trace_note("ftok(%s, %d) = %#x", qstr(q, sizeof(q), path),
		    proj, (unsigned)r);
	return r;
}

int
t_shmget(key_t key, size_t size, int flags)
{
	char k[32], f[64];
	int r = shmget(key, size, flags);

	TRACE(r, 0, "shmget(%s, %zu, %s)", ipc_key(k, sizeof(k), key), size,
	    ipc_flags(f, sizeof(f), flags));
	return r;
}

void *
t_shmat(int id, const void *addr, int flags)
{
	void *r = shmat(id, addr, flags);

	TRACE(r == (void *)-1 ? -1L : (long)r, 1, "shmat(%d, %s, %s)", id,
	    addr ? "ADDR" : "NULL", flags & SHM_RDONLY ? "SHM_RDONLY" : "0");
	return r;
}

int
t_shmdt(const void *addr)
{
	int r = shmdt(addr);

	TRACE(r, 0, "shmdt(%p)", addr);
	return r;
}

int
t_shmctl(int id, int cmd, struct shmid_ds *ds)
{
	const char *c = cmd == IPC_STAT ? "IPC_STAT" :
	    cmd == IPC_SET ? "IPC_SET" : cmd == IPC_RMID ? "IPC_RMID" : "?";
	int r = shmctl(id, cmd, ds);

	if (cmd == IPC_SET && ds != NULL)
		TRACE(r, 0, "shmctl(%d, IPC_SET, {shm_perm.mode=%04o, ...})",
		    id, (unsigned)(ds->shm_perm.mode & 0777));
	else if (cmd == IPC_STAT && r == 0)
		TRACE(r, 0, "shmctl(%d, IPC_STAT, {shm_segsz=%zu, "
		    "shm_nattch=%lu, ...})", id, ds->shm_segsz,
		    (unsigned long)ds->shm_nattch);
	else
		TRACE(r, 0, "shmctl(%d, %s, %s)", id, c, ds ? "BUF" : "NULL");
	return r;
}
