/* ipcscan: every IPC object of the host in one pass, read from the
 * kernel's own views: /dev/shm (POSIX shared memory, and sem.NAME for
 * POSIX semaphores), /proc/sysvipc/{shm,sem,msg}, an mqueue file system
 * (/dev/mqueue, else the first one mounted), and /proc/PID/fd and
 * /proc/PID/maps for eventfds, memfds and the holders of everything.
 *
 * Holders come from one walk over /proc that builds an index from object
 * identity (device and inode for files, shmid for `SYSV%08x` maps,
 * eventfd-id for eventfds) to pids, so its cost grows with processes plus
 * objects, never with their product.  The walk is made only when asked
 * for or when the kinds listed need it (eventfds and memfds are found
 * there); System V segments that nobody has attached need no walk.
 */
#ifndef IPCBOX_IPCSCAN_H
#define IPCBOX_IPCSCAN_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

enum ipc_type {
	IPC_POSIX_SHM,
	IPC_POSIX_SEM,
	IPC_POSIX_MQ,
	IPC_SYSV_SHM,
	IPC_SYSV_SEM,
	IPC_SYSV_MSG,
	IPC_EVENTFD,
	IPC_MEMFD,
	IPC_STORED, /* a descriptor the fd store holds (lib/fdstore.h) */
	IPC_NTYPES
};

#define IPC_T(t) (1u << (t))
#define IPC_ALL ((1u << IPC_NTYPES) - 1)
#define IPC_POSIX \
	(IPC_T(IPC_POSIX_SHM) | IPC_T(IPC_POSIX_SEM) | IPC_T(IPC_POSIX_MQ))
#define IPC_SYSV \
	(IPC_T(IPC_SYSV_SHM) | IPC_T(IPC_SYSV_SEM) | IPC_T(IPC_SYSV_MSG))
#define IPC_FDOBJ (IPC_T(IPC_EVENTFD) | IPC_T(IPC_MEMFD))
/* What ipcgc may remove: objects with a name or an id. */
#define IPC_REMOVABLE (IPC_POSIX | IPC_SYSV)

/* "posix-shm", "sysv-msg", ... */
const char *ipc_type_name(int type);
/* The type named name ("posix-shm", any case) among allowed, or -1. */
int ipc_type_lookup(const char *name, unsigned allowed);

struct ipc_fdref {
	pid_t pid;
	int fd;
};

struct ipcobj {
	int type;
	const char *name; /* POSIX: "/name"; memfd: its name; else "" */
	key_t key; /* System V */
	long long id; /* System V id, eventfd-id, memfd inode; -1 */
	uint64_t size; /* bytes; posix-sem: value, sysv-sem: nsems, queues:
			  messages, eventfd: counter */
	mode_t mode;
	uid_t uid, cuid; /* cuid, cgid: System V's creator; else uid, gid */
	gid_t gid, cgid;
	unsigned has_size : 1, has_mode : 1, has_owner : 1, has_seals : 1;
	/* deleted: it has no name left and still takes memory: a file of
	   /dev/shm unlinked while a process maps or holds it
	   (IPCSCAN_DELETED), a System V segment removed while attached */
	unsigned has_used : 1, deleted : 1;
	uint64_t used; /* shared memory and memfds: the bytes of memory it
			  takes (st_blocks of a file, resident plus swapped
			  pages of a System V segment), not its size */
	pid_t live_pid; /* System V (IPCSCAN_PIDS): a pid it recorded that
			   is alive (creator or last operation), or 0 */
	int live_creator; /* live_pid is the creator (sysv-shm) */
	unsigned long waiters; /* sysv-sem (IPCSCAN_OWNERS): processes
				  blocked on it, GETNCNT plus GETZCNT */
	unsigned seals;
	unsigned long nattch; /* sysv-shm */
	pid_t cpid, lpid; /* System V (msg: last send or receive) */
	pid_t lspid, lrpid; /* sysv-msg: last send, last receive */
	time_t atime, mtime, ctime; /* 0: unknown */
	dev_t dev; /* files: POSIX objects and memfds */
	ino_t ino;
	int efd_semaphore; /* eventfd: EFD_SEMAPHORE 1 or 0; -1 unknown */
	unsigned short *semvals; /* sysv-sem: size values (IPCSCAN_SEMVALS) */
	pid_t map_pid; /* memfd: a process that maps it, at map_range */
	char map_range[40];
	pid_t *holders; /* sorted, this process left out */
	size_t nholders, capholders;
	struct ipc_fdref *fds; /* descriptors that hold it */
	size_t nfds, capfds;
	int holds; /* stored: what it holds, IPC_EVENTFD, IPC_MEMFD or -1 */
};

enum {
	IPCSCAN_HOLDERS = 1 << 0, /* fill holders for every kind */
	IPCSCAN_VALUES = 1 << 1, /* posix-sem values, posix-mq messages */
	IPCSCAN_SEALS = 1 << 2, /* memfd seals (opens /proc/PID/fd/N) */
	IPCSCAN_PIDS = 1 << 3, /* sysv-sem last pids (orphans) */
	IPCSCAN_SEMVALS = 1 << 4, /* sysv-sem values (GETALL) */
	IPCSCAN_SELF = 1 << 5, /* this process is a holder like any other */
	IPCSCAN_COMM = 1 << 6, /* the names of the processes that hold or
				  map an object listed (ipcscan_comm) */
	IPCSCAN_OWNERS = 1 << 7, /* every process, with its user ids and
				    namespaces, and System V waiters: what
				    lib/orphan.h judges by */
	IPCSCAN_DELETED = 1 << 8, /* files of /dev/shm unlinked while a
				     process maps or holds them (with
				     IPC_T(IPC_POSIX_SHM) or _SEM): listed,
				     deleted set, holders filled */
};

/* A process that holds or maps an object (IPCSCAN_COMM), or any process
 * (IPCSCAN_OWNERS). */
struct ipcproc {
	pid_t pid;
	char comm[16]; /* /proc/PID/comm, "?" when unreadable */
	/* IPCSCAN_OWNERS: */
	uid_t uid[3]; /* real, effective, saved */
	signed char known; /* its user ids were read */
	/* 1 yes, 0 no, -1 unknown (we may not look): */
	signed char ipcns; /* in the IPC namespace we scanned */
	signed char shm; /* sees the /dev/shm we scanned */
	signed char msgwait; /* blocked in msgrcv or msgsnd (on msq) */
	int msq; /* the queue id it waits on, when msgwait is 1 */
	int msgsnd; /* it waits to send (else to receive) */
};

struct ipcscan {
	struct ipcobj *v; /* POSIX by name, System V by kernel order, fd
			     objects by id */
	size_t n, cap;
	unsigned types; /* the kinds asked for */
	unsigned flags;
	int mq_found; /* posix-mq asked for: an mqueue file system found */
	size_t uninspected; /* processes whose maps or fds we may not read:
			       their holds are unknown */
	int one; /* ipcscan_one: no trace note of those */
	char mq_dir[PATH_MAX];
	/* the identity index, built when first needed */
	size_t *slots;
	size_t nslots;
	struct ipcproc *procs; /* by pid */
	size_t nprocs;
	int owners_read; /* IPCSCAN_OWNERS: the walk read every process */
	/* the names, in blocks */
	char **blocks, *cur;
	size_t nblocks, left;
};

/* List the kinds in types.  Returns 0, or -1 with errno set and *what
 * naming the view that could not be read. */
int
ipcscan(struct ipcscan *s, unsigned types, unsigned flags, const char **what);
void ipcscan_free(struct ipcscan *s);

/* The holders of one object (its type, and its id for System V or its
 * dev and ino for a file), by the same walk: its cost is the processes'.
 * s holds that one object, as s->v[0]. */
void ipcscan_one(struct ipcscan *s, const struct ipcobj *o);

/* The name of a process that holds or maps an object (IPCSCAN_COMM), or
 * "?". */
const char *ipcscan_comm(const struct ipcscan *s, pid_t pid);

/* Holders may be missing: this user may not inspect some processes (as
 * root, one that even root may not read, a sandbox's or an LSM's, is
 * taken to hold nothing: --trace names it). */
int ipcscan_blind(const struct ipcscan *s);

/* The object in s with the identity of o, or NULL. */
struct ipcobj *ipcscan_find(struct ipcscan *s, const struct ipcobj *o);

/* A process of the walk (IPCSCAN_COMM or IPCSCAN_OWNERS), or NULL. */
const struct ipcproc *ipcscan_proc(const struct ipcscan *s, pid_t pid);
/* The last sign of use: POSIX mtime, System V the latest of its times. */
time_t ipcscan_last_use(const struct ipcobj *o);
/* A process of this pid exists (in the /proc we read), and is not a
 * zombie. */
int ipcscan_pid_alive(pid_t pid);

/* Orders for ipcscan_sort. */
enum ipcsort {
	IPCSORT_SIZE, /* the largest first: shared memory by bytes, then the
			 rest (whose size is a count) */
	IPCSORT_AGE, /* the longest unused first */
	IPCSORT_NAME, /* by type, then name */
};
/* Put s->v in that order (ipcscan_find still works). */
void ipcscan_sort(struct ipcscan *s, enum ipcsort key);
/* The bytes of memory an object's size stands for (shared memory and
 * memfds), else 0. */
uint64_t ipcscan_bytes(const struct ipcobj *o);
/* The bytes of memory it takes (used; where that is unknown, its size
 * as ipcscan_bytes gives it); POSIX semaphores count their page. */
uint64_t ipcscan_used(const struct ipcobj *o);

/* The NAME column: the address other applets take ("/name", "key:0x...",
 * "id:N" for a private System V object, "pid:P:N" for an eventfd: its
 * first descriptor), or "memfd:NAME". */
void ipcscan_name(const struct ipcobj *o, char *buf, size_t len);

/* The entries of the fd store (IPC_STORED; ipcscan lists them with the
 * other kinds): a holder that cannot be reached holds nothing.  0, or -1
 * with errno set (an unsafe socket directory) and *what the socket. */
int ipcscan_stored(struct ipcscan *s, const char **what);

#endif
