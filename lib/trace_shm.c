/* trace_shm: traced wrappers for POSIX and System V shared memory and for
 * the byte-moving calls on their descriptors. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "trace.h"
#include "trace_shm.h"

int
t_shm_open(const char *name, int oflag, mode_t mode)
{
	char q[160], f[128];
	int r = shm_open(name, oflag, mode);

	TRACE(r, 0, "shm_open(%s, %s, %04o)", trace_qstr(q, sizeof(q), name),
	    trace_open_flags(f, sizeof(f), oflag), (unsigned)mode);
	return r;
}

int
t_shm_unlink(const char *name)
{
	char q[160];
	int r = shm_unlink(name);

	TRACE(r, 0, "shm_unlink(%s)", trace_qstr(q, sizeof(q), name));
	return r;
}

int
t_ftruncate(int fd, off_t len)
{
	int r = ftruncate(fd, len);

	TRACE(r, 0, "ftruncate(%d, %lld)", fd, (long long)len);
	return r;
}

/* fallocate(2) with mode 0: the pages of [off, off + len) are taken now,
 * or ENOSPC now rather than SIGBUS at the first touch of a mapping. */
int
t_fallocate(int fd, off_t off, off_t len)
{
	int r = fallocate(fd, 0, off, len);

	TRACE(r, 0, "fallocate(%d, 0, %lld, %lld)", fd, (long long)off,
	    (long long)len);
	return r;
}

/* What a stat call filled in, or where it would have. */
static const char *
stat_buf(char *buf, size_t len, int r, const struct stat *st)
{
	if (r == 0)
		snprintf(buf, len, "{st_mode=%04o, st_size=%lld, ...}",
		    (unsigned)(st->st_mode & 07777), (long long)st->st_size);
	else
		snprintf(buf, len, "%p", (const void *)st);
	return buf;
}

/* The directory and the flags of an *at call. */
static const char *
at_dir(char *buf, size_t len, int dir)
{
	if (dir == AT_FDCWD)
		snprintf(buf, len, "AT_FDCWD");
	else
		snprintf(buf, len, "%d", dir);
	return buf;
}

static const char *
at_flags(int flags)
{
	return flags & AT_SYMLINK_NOFOLLOW ? "AT_SYMLINK_NOFOLLOW" : "0";
}

int
t_fstat(int fd, struct stat *st)
{
	char b[96];
	int r = fstat(fd, st);

	TRACE(r, 0, "fstat(%d, %s)", fd, stat_buf(b, sizeof(b), r, st));
	return r;
}

int
t_fstatat(int dir, const char *path, struct stat *st, int flags)
{
	char d[16], q[160], b[96];
	int r = fstatat(dir, path, st, flags);

	TRACE(r, 0, "fstatat(%s, %s, %s, %s)", at_dir(d, sizeof(d), dir),
	    trace_qstr(q, sizeof(q), path), stat_buf(b, sizeof(b), r, st),
	    at_flags(flags));
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
t_fchmodat(int dir, const char *path, mode_t mode, int flags)
{
	char d[16], q[160];
	int r = fchmodat(dir, path, mode, flags);

	TRACE(r, 0, "fchmodat(%s, %s, %04o, %s)", at_dir(d, sizeof(d), dir),
	    trace_qstr(q, sizeof(q), path), (unsigned)mode, at_flags(flags));
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
	    r > 0 ? trace_quote(q, sizeof(q), buf, r) : "\"\"", n);
	return r;
}

ssize_t
t_write(int fd, const void *buf, size_t n)
{
	char q[160];
	ssize_t r = write(fd, buf, n);

	TRACE(r, 0, "write(%d, %s, %zu)", fd, trace_quote(q, sizeof(q), buf, n),
	    n);
	return r;
}

ssize_t
t_pread(int fd, void *buf, size_t n, off_t off)
{
	char q[160];
	ssize_t r = pread(fd, buf, n, off);

	TRACE(r, 0, "pread(%d, %s, %zu, %lld)", fd,
	    r > 0 ? trace_quote(q, sizeof(q), buf, r) : "\"\"", n,
	    (long long)off);
	return r;
}

ssize_t
t_pwrite(int fd, const void *buf, size_t n, off_t off)
{
	char q[160];
	ssize_t r = pwrite(fd, buf, n, off);

	TRACE(r, 0, "pwrite(%d, %s, %zu, %lld)", fd,
	    trace_quote(q, sizeof(q), buf, n), n, (long long)off);
	return r;
}

ssize_t
t_sendfile(int out, int in, off_t *off, size_t n)
{
	char o[32];
	off_t before = off ? *off : 0;
	ssize_t r = sendfile(out, in, off, n);

	TRACE(r, 0, "sendfile(%d, %d, %s, %zu)", out, in,
	    trace_offp(o, sizeof(o), off ? &before : NULL), n);
	return r;
}

/* splice(2) and copy_file_range(2) take the same arguments; the offsets
 * print as they were before the call moved them, the flags as fl. */
typedef ssize_t copy_fn(int, off_t *, int, off_t *, size_t, unsigned);

static ssize_t
copy_call(const char *call, copy_fn *fn, int in, off_t *inoff, int out,
    off_t *outoff, size_t n, unsigned flags, const char *fl)
{
	char a[32], b[32];
	off_t ib = inoff ? *inoff : 0, ob = outoff ? *outoff : 0;
	ssize_t r = fn(in, inoff, out, outoff, n, flags);

	TRACE(r, 0, "%s(%d, %s, %d, %s, %zu, %s)", call, in,
	    trace_offp(a, sizeof(a), inoff ? &ib : NULL), out,
	    trace_offp(b, sizeof(b), outoff ? &ob : NULL), n, fl);
	return r;
}

ssize_t
t_splice(int in, off_t *inoff, int out, off_t *outoff, size_t n, unsigned flags)
{
	return copy_call("splice", splice, in, inoff, out, outoff, n, flags,
	    flags & SPLICE_F_MOVE ? "SPLICE_F_MOVE" : "0");
}

ssize_t
t_copy_file_range(int in, off_t *inoff, int out, off_t *outoff, size_t n,
    unsigned flags)
{
	char fl[16];

	snprintf(fl, sizeof(fl), "%u", flags);
	return copy_call("copy_file_range", copy_file_range, in, inoff, out,
	    outoff, n, flags, fl);
}

key_t
t_ftok(const char *path, int proj)
{
	char q[160];
	key_t r = ftok(path, proj);

	if (r == -1)
		TRACE(r, 0, "ftok(%s, %d)", trace_qstr(q, sizeof(q), path),
		    proj);
	else if (trace_on)
		trace_note("ftok(%s, %d) = %#x", trace_qstr(q, sizeof(q), path),
		    proj, (unsigned)r);
	return r;
}

int
t_shmget(key_t key, size_t size, int flags)
{
	char k[32], f[64];
	int r = shmget(key, size, flags);

	TRACE(r, 0, "shmget(%s, %zu, %s)", trace_ipc_key(k, sizeof(k), key),
	    size, trace_ipc_flags(f, sizeof(f), flags));
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
	const char *c = cmd == IPC_STAT ? "IPC_STAT"
	    : cmd == IPC_SET		? "IPC_SET"
	    : cmd == IPC_RMID		? "IPC_RMID"
					: "?";
	int r = shmctl(id, cmd, ds);

	if (cmd == IPC_SET && ds != NULL)
		TRACE(r, 0, "shmctl(%d, IPC_SET, {shm_perm.mode=%04o, ...})",
		    id, (unsigned)(ds->shm_perm.mode & 0777));
	else if (cmd == IPC_STAT && r == 0)
		TRACE(r, 0,
		    "shmctl(%d, IPC_STAT, {shm_segsz=%zu, "
		    "shm_nattch=%lu, ...})",
		    id, ds->shm_segsz, (unsigned long)ds->shm_nattch);
	else
		TRACE(r, 0, "shmctl(%d, %s, %s)", id, c, ds ? "BUF" : "NULL");
	return r;
}
