/* trace: the system calls that create, open, size, map, read, write,
 * control or remove an IPC object, each printed to stderr as the C call
 * with its result when tracing is on (--trace, IPCBOX_TRACE=1):
 *
 *   shm_open("/demo", O_RDWR|O_CREAT|O_EXCL, 0600) = 3
 *   shmget(0x1234, 4096, IPC_CREAT|IPC_EXCL|0600) = 32769
 *   shm_open("/nope", O_RDONLY, 0) = -1 ENOENT (No such file or directory)
 *
 * Every wrapper keeps the errno of the call it wraps.
 */
#ifndef IPCBOX_TRACE_H
#define IPCBOX_TRACE_H

#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>

extern int trace_on;

/* Turn tracing on when IPCBOX_TRACE is set to a non-empty value but "0". */
void trace_from_env(void);

/* Print a line of the trace (for calls with no wrapper of their own). */
void trace_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The engine the wrappers share.  TRACE formats the call, then prints it
 * with its result (ptr: print the result as an address), keeping errno. */
void trace_emit(const char *call, long ret, int err, int ptr);
#define TRACE(ret, ptr, ...) \
	do { \
		if (trace_on) { \
			int e_ = errno; \
			char c_[768]; \
			snprintf(c_, sizeof(c_), __VA_ARGS__); \
			trace_emit(c_, (long)(ret), (ret) == -1 ? e_ : 0, \
			    ptr); \
			errno = e_; \
		} \
	} while (0)

/* Formatters for arguments: each writes into buf and returns it. */
const char *trace_quote(char *buf, size_t len, const void *p, size_t n);
const char *trace_qstr(char *buf, size_t len, const char *s);
const char *trace_open_flags(char *buf, size_t len, int flags);
const char *trace_ipc_flags(char *buf, size_t len, int flags);
const char *trace_ipc_key(char *buf, size_t len, key_t key);
const char *trace_offp(char *buf, size_t len, const off_t *off);

/* Wrappers by family: shared memory here (lib/trace_shm.c); other
 * families declare theirs in lib/trace_FAMILY.h. */

/* POSIX shared memory and plain descriptors. */
int t_shm_open(const char *name, int oflag, mode_t mode);
int t_shm_unlink(const char *name);
int t_ftruncate(int fd, off_t len);
int t_fallocate(int fd, off_t off, off_t len);
int t_fstat(int fd, struct stat *st);
int t_fstatvfs(int fd, struct statvfs *sv);
int t_fchmod(int fd, mode_t mode);
int t_close(int fd);

/* Bytes. */
ssize_t t_read(int fd, void *buf, size_t n);
ssize_t t_write(int fd, const void *buf, size_t n);
ssize_t t_pread(int fd, void *buf, size_t n, off_t off);
ssize_t t_pwrite(int fd, const void *buf, size_t n, off_t off);
ssize_t t_sendfile(int out, int in, off_t *off, size_t n);
ssize_t t_splice(int in, off_t *inoff, int out, off_t *outoff, size_t n,
    unsigned flags);
ssize_t t_copy_file_range(int in, off_t *inoff, int out, off_t *outoff,
    size_t n, unsigned flags);

/* System V shared memory. */
key_t t_ftok(const char *path, int proj);
int t_shmget(key_t key, size_t size, int flags);
void *t_shmat(int id, const void *addr, int flags);
int t_shmdt(const void *addr);
int t_shmctl(int id, int cmd, struct shmid_ds *ds);

#endif
