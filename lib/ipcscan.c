/* ipcscan: every IPC object in one pass. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fdstore.h"
#include "ipcscan.h"
#include "msg.h"
#include "proc.h"
#include "shm.h"
#include "trace.h"
#include "trace_ipc.h"
#include "trace_sem.h"

#define MQUEUE_MAGIC 0x19800202

static const char *const type_names[IPC_NTYPES] = {
	[IPC_POSIX_SHM] = "posix-shm",
	[IPC_POSIX_SEM] = "posix-sem",
	[IPC_POSIX_MQ] = "posix-mq",
	[IPC_SYSV_SHM] = "sysv-shm",
	[IPC_SYSV_SEM] = "sysv-sem",
	[IPC_SYSV_MSG] = "sysv-msg",
	[IPC_EVENTFD] = "eventfd",
	[IPC_MEMFD] = "memfd",
	[IPC_STORED] = "stored",
};

const char *
ipc_type_name(int type)
{
	return type >= 0 && type < IPC_NTYPES ? type_names[type] : "?";
}

int
ipc_type_lookup(const char *name, unsigned allowed)
{
	int t;

	for (t = 0; t < IPC_NTYPES; t++)
		if ((allowed & IPC_T(t)) &&
		    strcasecmp(name, type_names[t]) == 0)
			return t;
	return -1;
}

/* The identity index: open addressing over indices into s->v (plus one;
 * zero is an empty slot). */
enum { K_FILE, K_SHM, K_SEM, K_MSG, K_EFD, K_EFDFD };

struct ident {
	int kind;
	uint64_t a, b;
};

static struct ident
ident_of(const struct ipcobj *o)
{
	struct ident k = { K_FILE, 0, 0 };

	switch (o->type) {
	case IPC_SYSV_SHM:
		k.kind = K_SHM, k.a = (uint64_t)o->id;
		break;
	case IPC_SYSV_SEM:
		k.kind = K_SEM, k.a = (uint64_t)o->id;
		break;
	case IPC_SYSV_MSG:
		k.kind = K_MSG, k.a = (uint64_t)o->id;
		break;
	case IPC_EVENTFD:
		if (o->id >= 0)
			k.kind = K_EFD, k.a = (uint64_t)o->id;
		else /* no eventfd-id (before Linux 6.0): one per fd */
			k.kind = K_EFDFD, k.a = (uint64_t)o->fds[0].pid,
			k.b = (uint64_t)o->fds[0].fd;
		break;
	default:
		k.a = (uint64_t)o->dev, k.b = (uint64_t)o->ino;
		break;
	}
	return k;
}

static size_t
ident_hash(const struct ident *k)
{
	uint64_t h = (uint64_t)k->kind * 0x9e3779b97f4a7c15ULL;

	h ^= k->a + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h ^= k->b + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdULL;
	return (size_t)(h ^ (h >> 33));
}

static int
ident_eq(const struct ident *x, const struct ident *y)
{
	return x->kind == y->kind && x->a == y->a && x->b == y->b;
}

static void
index_insert(struct ipcscan *s, size_t i)
{
	struct ident k = ident_of(&s->v[i]);
	size_t h;

	for (h = ident_hash(&k) & (s->nslots - 1); s->slots[h] != 0;
	     h = (h + 1) & (s->nslots - 1))
		;
	s->slots[h] = i + 1;
}

/* At most half full; nslots a power of two. */
static void
index_rebuild(struct ipcscan *s, size_t nslots)
{
	size_t i;

	while (nslots < (s->n + 1) * 2)
		nslots *= 2;
	free(s->slots);
	s->nslots = nslots;
	s->slots = xcalloc(nslots, sizeof(size_t));
	for (i = 0; i < s->n; i++)
		index_insert(s, i);
}

/* Index s->v[i], just added. */
static void
index_put(struct ipcscan *s, size_t i)
{
	if ((s->n + 1) * 2 > s->nslots)
		index_rebuild(s, s->nslots ? s->nslots * 2 : 64);
	else
		index_insert(s, i);
}

static struct ipcobj *
index_get(struct ipcscan *s, const struct ident *k)
{
	size_t h;

	if (s->nslots == 0)
		return NULL;
	for (h = ident_hash(k) & (s->nslots - 1); s->slots[h] != 0;
	     h = (h + 1) & (s->nslots - 1)) {
		struct ipcobj *o = &s->v[s->slots[h] - 1];
		struct ident ko = ident_of(o);

		if (ident_eq(&ko, k))
			return o;
	}
	return NULL;
}

struct ipcobj *
ipcscan_find(struct ipcscan *s, const struct ipcobj *o)
{
	struct ident k = ident_of(o);
	struct ipcobj *f;

	if (s->nslots == 0)
		index_rebuild(s, 64);
	f = index_get(s, &k);
	return f != NULL && f->type == o->type ? f : NULL;
}

/* "PREFIX" + the n bytes at p, kept until ipcscan_free. */
static const char *
save_name(struct ipcscan *s, const char *prefix, const char *p, size_t n)
{
	size_t plen = strlen(prefix), need = plen + n + 1;
	char *d;

	if (need > s->left) {
		size_t size = need > 16384 ? need : 16384;

		s->blocks = xreallocarray(s->blocks, s->nblocks + 1,
		    sizeof(char *));
		s->blocks[s->nblocks++] = s->cur = xmalloc(size);
		s->left = size;
	}
	d = s->cur;
	memcpy(d, prefix, plen);
	memcpy(d + plen, p, n);
	d[plen + n] = '\0';
	s->cur += need;
	s->left -= need;
	return d;
}

/* A new object at the end of s->v (which may move). */
static struct ipcobj *
obj_new(struct ipcscan *s, int type)
{
	struct ipcobj *o;

	/* Large steps: the memory is mapped, not copied, as it grows. */
	if (s->n == s->cap)
		s->v = xreallocarray(s->v, s->cap = s->cap * 2 + 1024,
		    sizeof(*s->v));
	o = &s->v[s->n++];
	memset(o, 0, sizeof(*o));
	o->type = type;
	o->name = "";
	o->id = -1;
	o->cpid = o->lpid = -1;
	o->efd_semaphore = -1;
	return o;
}

static void
obj_holder(struct ipcobj *o, pid_t pid)
{
	/* The walk goes a process at a time: a repeat is the last one. */
	if (o->nholders > 0 && o->holders[o->nholders - 1] == pid)
		return;
	if (o->nholders == o->capholders)
		o->holders = xreallocarray(o->holders,
		    o->capholders = o->capholders * 2 + 2, sizeof(pid_t));
	o->holders[o->nholders++] = pid;
}

static void
obj_fd(struct ipcobj *o, pid_t pid, int fd)
{
	if (o->nfds == o->capfds)
		o->fds = xreallocarray(o->fds, o->capfds = o->capfds * 2 + 2,
		    sizeof(*o->fds));
	o->fds[o->nfds].pid = pid;
	o->fds[o->nfds++].fd = fd;
	obj_holder(o, pid);
}

static void
obj_stat(struct ipcobj *o, const struct stat *st)
{
	o->size = (uint64_t)st->st_size;
	o->has_size = 1;
	o->mode = st->st_mode & 07777;
	o->has_mode = 1;
	o->uid = o->cuid = st->st_uid;
	o->gid = o->cgid = st->st_gid;
	o->has_owner = 1;
	o->atime = st->st_atime;
	o->mtime = st->st_mtime;
	o->ctime = st->st_ctime;
	o->dev = st->st_dev;
	o->ino = st->st_ino;
	/* tmpfs counts a page in memory or in swap alike: what df adds up */
	o->used = (uint64_t)st->st_blocks * 512;
	o->has_used = 1;
}

/* The next regular file of the directory d (names starting with a dot
 * and those want refuses left out), with its lstat: 1, or 0 at the end,
 * or -1 with errno set when the directory cannot be read or a file in it
 * cannot be looked at (a directory we may read but not search): a list
 * that would be empty is an error.  A file gone since readdir is none. */
static int
dir_next(DIR *d, int (*want)(const struct ipcscan *, const char *),
    const struct ipcscan *s, struct dirent **ep, struct stat *st)
{
	struct dirent *e;

	for (;;) {
		errno = 0;
		if ((e = readdir(d)) == NULL)
			return errno != 0 ? -1 : 0;
		/* "." and ".." are directories; a name that begins with
		 * a dot is an object like any other. */
		if ((e->d_type != DT_REG && e->d_type != DT_UNKNOWN) ||
		    (want != NULL && !want(s, e->d_name)))
			continue;
		if (fstatat(dirfd(d), e->d_name, st, AT_SYMLINK_NOFOLLOW) !=
		    0) {
			if (errno == ENOENT)
				continue;
			return -1;
		}
		if (S_ISREG(st->st_mode)) {
			*ep = e;
			return 1;
		}
	}
}

/* closedir after dir_next's last rc, keeping its errno. */
static int
dir_end(DIR *d, int rc)
{
	int e = errno;

	closedir(d);
	errno = e;
	return rc;
}

/* In /dev/shm, sem.NAME is a POSIX semaphore ("sem." alone is neither),
 * the rest shared memory. */
static int
shm_dir_want(const struct ipcscan *s, const char *name)
{
	if (strncmp(name, "sem.", 4) == 0)
		return name[4] != '\0' && (s->types & IPC_T(IPC_POSIX_SEM));
	return !!(s->types & IPC_T(IPC_POSIX_SHM));
}

/* POSIX shared memory and semaphores: one read of /dev/shm. */
static int
scan_shm_dir(struct ipcscan *s)
{
	int dfd = open(SHM_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;
	struct dirent *e;
	struct stat st;
	DIR *d;

	if (dfd < 0)
		return errno == ENOENT ? 0 : -1;
	trace_note("open(\"" SHM_DIR "\", O_RDONLY|O_DIRECTORY) = %d", dfd);
	if ((d = fdopendir(dfd)) == NULL) {
		close(dfd);
		return -1;
	}
	while ((rc = dir_next(d, shm_dir_want, s, &e, &st)) > 0) {
		int sem = strncmp(e->d_name, "sem.", 4) == 0;
		struct ipcobj *o;

		o = obj_new(s, sem ? IPC_POSIX_SEM : IPC_POSIX_SHM);
		o->name = save_name(s, "/", e->d_name + (sem ? 4 : 0),
		    strlen(e->d_name + (sem ? 4 : 0)));
		obj_stat(o, &st);
		if (sem)
			o->has_size = 0; /* the value, read on request */
	}
	return dir_end(d, rc);
}

/* The mqueue file system: /dev/mqueue, else the first one mounted. */
static int
find_mqueue(struct ipcscan *s)
{
	struct statfs sf;
	struct mntent *m;
	FILE *f;

	if (statfs("/dev/mqueue", &sf) == 0 && sf.f_type == MQUEUE_MAGIC) {
		snprintf(s->mq_dir, sizeof(s->mq_dir), "/dev/mqueue");
		return 1;
	}
	if ((f = setmntent("/proc/self/mounts", "re")) == NULL)
		return 0;
	while ((m = getmntent(f)) != NULL)
		if (strcmp(m->mnt_type, "mqueue") == 0 &&
		    statfs(m->mnt_dir, &sf) == 0 && sf.f_type == MQUEUE_MAGIC) {
			snprintf(s->mq_dir, sizeof(s->mq_dir), "%s",
			    m->mnt_dir);
			endmntent(f);
			return 1;
		}
	endmntent(f);
	return 0;
}

static void
mq_value(struct ipcobj *o)
{
	struct mq_attr a;
	struct stat st;
	mqd_t q = t_mq_open(o->name, O_RDONLY | O_NONBLOCK);

	if (q == (mqd_t)-1)
		return;
	/* The queue of that name in our IPC namespace must be the file we
	 * listed (the mount may belong to another namespace). */
	if (fstat((int)q, &st) == 0 && st.st_dev == o->dev &&
	    st.st_ino == o->ino && t_mq_getattr(q, &a) == 0) {
		o->size = (uint64_t)a.mq_curmsgs;
		o->has_size = 1;
	}
	t_mq_close(q);
}

static int
scan_mqueue(struct ipcscan *s)
{
	struct dirent *e;
	struct stat st;
	DIR *d;
	int dfd, rc;

	if (!(s->mq_found = find_mqueue(s)))
		return 0;
	dfd = open(s->mq_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || (d = fdopendir(dfd)) == NULL) {
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	trace_note("open(\"%s\", O_RDONLY|O_DIRECTORY) = %d", s->mq_dir, dfd);
	while ((rc = dir_next(d, NULL, s, &e, &st)) > 0) {
		struct ipcobj *o;

		o = obj_new(s, IPC_POSIX_MQ);
		o->name = save_name(s, "/", e->d_name, strlen(e->d_name));
		obj_stat(o, &st);
		o->has_size = 0; /* messages, read on request */
		if (s->flags & IPCSCAN_VALUES)
			mq_value(o);
	}
	return dir_end(d, rc);
}

/* The numbers of one line of /proc/sysvipc/X, up to max of them (the
 * third, perms, in octal), and *p past the line. */
static int
fields(char **p, long long *v, int max)
{
	const char *q = *p;
	int n = 0;

	while (n < max) {
		unsigned long long x = 0;
		int neg = 0, base = n == 2 ? 8 : 10;
		const char *start;

		while (*q == ' ')
			q++;
		if (*q == '-')
			neg = 1, q++;
		for (start = q; *q >= '0' && *q <= '9'; q++)
			x = x * (unsigned)base + (unsigned)(*q - '0');
		if (q == start)
			break;
		v[n++] = neg ? -(long long)x : (long long)x;
	}
	while (*q != '\n' && *q != '\0')
		q++;
	*p = (char *)(*q == '\n' ? q + 1 : q);
	return n;
}

static time_t
latest(time_t a, time_t b)
{
	return a > b ? a : b;
}

int
ipcscan_pid_alive(pid_t pid)
{
	char state;

	if (pid <= 0)
		return 0;
	/* One we may not read counts as alive; a zombie (Z) or a dying one
	 * (X) lives no more: its pid goes once its parent reaps it. */
	if (proc_stat_state(pid, &state, NULL) != 0)
		return errno != ENOENT && errno != ESRCH;
	return state != 'Z' && state != 'X';
}

/* A pid it recorded is alive: remember the first. */
static void
pid_check(struct ipcobj *o, pid_t pid, int creator)
{
	if (o->live_pid == 0 && pid > 0 && ipcscan_pid_alive(pid)) {
		o->live_pid = pid;
		o->live_creator = creator;
	}
}

/* sysv-sem: the last pid of each semaphore (IPCSCAN_PIDS), and how many
 * processes wait on it (IPCSCAN_OWNERS). */
static void
sem_pids(struct ipcobj *o, unsigned flags)
{
	union semun arg = { .val = 0 };
	unsigned long i;
	int n;

	for (i = 0; i < o->size && i < 65536; i++) {
		if ((flags & IPCSCAN_PIDS) && o->live_pid == 0)
			pid_check(o, t_semctl_getpid((int)o->id, (int)i), 0);
		if (!(flags & IPCSCAN_OWNERS))
			continue;
		if ((n = t_semctl((int)o->id, (int)i, GETNCNT, arg)) > 0)
			o->waiters += (unsigned long)n;
		if ((n = t_semctl((int)o->id, (int)i, GETZCNT, arg)) > 0)
			o->waiters += (unsigned long)n;
	}
}

/* sysv-sem: every value, in one GETALL. */
static void
sem_values(struct ipcobj *o)
{
	if (o->size == 0 || o->size > 65535)
		return;
	o->semvals = xcalloc((size_t)o->size, sizeof(*o->semvals));
	if (t_semctl_all((int)o->id, GETALL, o->semvals, (int)o->size) != 0) {
		free(o->semvals);
		o->semvals = NULL;
	}
}

static const char *const sysv_files[] = {
	[IPC_SYSV_SHM] = "/proc/sysvipc/shm",
	[IPC_SYSV_SEM] = "/proc/sysvipc/sem",
	[IPC_SYSV_MSG] = "/proc/sysvipc/msg",
};

/* One line of /proc/sysvipc/X (the heading excluded). */
static void
sysv_line(struct ipcscan *s, int type, char *p)
{
	long long f[16];
	struct ipcobj *o;
	int k = fields(&p, f, 16);

	if ((type == IPC_SYSV_SHM && k < 14) ||
	    (type == IPC_SYSV_SEM && k < 10) ||
	    (type == IPC_SYSV_MSG && k < 14))
		return;
	o = obj_new(s, type);
	o->key = (key_t)f[0];
	o->id = f[1];
	o->mode = (mode_t)f[2] & 0777;
	o->has_mode = 1;
	/* SHM_DEST: removed (IPC_RMID) while attached, gone at the last
	 * detach */
	o->deleted = type == IPC_SYSV_SHM && (f[2] & 01000) != 0;
	o->has_size = 1;
	o->has_owner = 1;
	switch (type) {
	case IPC_SYSV_SHM:
		/* key shmid perms size cpid lpid nattch uid gid cuid
		 * cgid atime dtime ctime */
		o->size = (uint64_t)f[3];
		o->cpid = (pid_t)f[4];
		o->lpid = (pid_t)f[5];
		o->nattch = (unsigned long)f[6];
		o->uid = (uid_t)f[7], o->gid = (gid_t)f[8];
		o->cuid = (uid_t)f[9], o->cgid = (gid_t)f[10];
		o->atime = f[11], o->mtime = f[12], o->ctime = f[13];
		if (k >= 16) { /* rss swap, in bytes (Linux 2.6.31) */
			o->used = (uint64_t)f[14] + (uint64_t)f[15];
			o->has_used = 1;
		}
		if (s->flags & IPCSCAN_PIDS) {
			pid_check(o, o->cpid, 1);
			pid_check(o, o->lpid, 0);
		}
		break;
	case IPC_SYSV_SEM:
		/* key semid perms nsems uid gid cuid cgid otime
		 * ctime */
		o->size = (uint64_t)f[3];
		o->uid = (uid_t)f[4], o->gid = (gid_t)f[5];
		o->cuid = (uid_t)f[6], o->cgid = (gid_t)f[7];
		o->mtime = f[8], o->ctime = f[9];
		if (s->flags & (IPCSCAN_PIDS | IPCSCAN_OWNERS))
			sem_pids(o, s->flags);
		if (s->flags & IPCSCAN_SEMVALS)
			sem_values(o);
		break;
	case IPC_SYSV_MSG:
		/* key msqid perms cbytes qnum lspid lrpid uid gid
		 * cuid cgid stime rtime ctime */
		o->size = (uint64_t)f[4];
		o->uid = (uid_t)f[7], o->gid = (gid_t)f[8];
		o->cuid = (uid_t)f[9], o->cgid = (gid_t)f[10];
		o->mtime = f[11], o->atime = f[12], o->ctime = f[13];
		o->lpid = (pid_t)(o->atime > o->mtime ? f[6] : f[5]);
		if (o->lpid == 0)
			o->lpid = (pid_t)(f[5] ? f[5] : f[6]);
		o->lspid = (pid_t)f[5];
		o->lrpid = (pid_t)f[6];
		if (s->flags & IPCSCAN_PIDS) {
			pid_check(o, o->lspid, 0);
			pid_check(o, o->lrpid, 0);
		}
		break;
	}
}

/* Read through a buffer of fixed size: a copy of the whole file would
 * cost a page fault every 4 KiB. */
static int
scan_sysv(struct ipcscan *s, int type)
{
	char buf[65536], *p, *nl;
	size_t have = 0, total = 0;
	int fd = open(sysv_files[type], O_RDONLY | O_CLOEXEC), head = 1;
	int skip = 0; /* in a line longer than buf: not one of ours */
	ssize_t r;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	for (;;) {
		r = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		total += (size_t)r;
		have += (size_t)r;
		buf[have] = '\0';
		for (p = buf; (nl = memchr(p, '\n', buf + have - p)) != NULL;
		     p = nl + 1) {
			*nl = '\0';
			if (!head && !skip)
				sysv_line(s, type, p);
			head = skip = 0;
		}
		have = (size_t)(buf + have - p);
		memmove(buf, p, have);
		/* No line of the kernel's is that long: drop it whole, up
		 * to its newline, rather than parse its tail as a line. */
		if (have == sizeof(buf) - 1)
			have = 0, skip = 1;
	}
	close(fd);
	trace_note("read(\"%s\") = %zu", sysv_files[type], total);
	return r < 0 ? -1 : 0;
}

/* The walk over /proc. */
struct walk {
	struct ipcscan *s;
	int want_efd, want_memfd, want_files; /* files: POSIX holders */
	int want_deleted; /* IPCSCAN_DELETED */
	int maps, fds;
	pid_t pid;
	int pdir;
	uid_t puid;
	int have_puid;
	ino_t ipcns; /* ours (0: unknown, every process taken as in it) */
	int same_ipcns; /* this process's: 1 ours, -1 another, 2 unknown, 0
			   not read */
	int refused; /* this process counted in uninspected */
	int held; /* this process holds or maps an object */
	int msgs; /* System V queues were listed: look for waiters */
	dev_t shm_dev; /* the /dev/shm scanned (0: unknown; IPCSCAN_OWNERS
			  and IPCSCAN_DELETED) */
	ino_t shm_ino;
	char *buf;
	size_t cap;
};

static int
has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* The length of a path of fd/ or maps without its " (deleted)". */
static size_t
undeleted_len(const char *n)
{
	size_t k = strlen(n);

	return k >= 10 && strcmp(n + k - 10, " (deleted)") == 0 ? k - 10 : k;
}

/* "/memfd:NAME (deleted)": NAME. */
static const char *
memfd_name(struct ipcscan *s, const char *path)
{
	const char *n = path + strlen("/memfd:");

	return save_name(s, "", n, undeleted_len(n));
}

static struct ipcobj *
memfd_obj(struct walk *w, const char *path, const struct stat *st, int sized)
{
	struct ident k = { K_FILE, (uint64_t)st->st_dev, (uint64_t)st->st_ino };
	struct ipcobj *o = index_get(w->s, &k);

	if (o == NULL) {
		o = obj_new(w->s, IPC_MEMFD);
		o->name = memfd_name(w->s, path);
		o->dev = st->st_dev;
		o->ino = st->st_ino;
		o->id = (long long)st->st_ino;
		index_put(w->s, (size_t)(o - w->s->v));
	}
	if (sized && !o->has_size && o->type == IPC_MEMFD)
		obj_stat(o, st);
	return o;
}

/* A file of /dev/shm with no name left (IPCSCAN_DELETED), as fd/ or maps
 * shows it ("/dev/shm/NAME (deleted)"): its object, made on first sight.
 * st is its stat when sized, else only its st_dev and st_ino are. */
static struct ipcobj *
deleted_obj(struct walk *w, const char *path, const struct stat *st, int sized)
{
	struct ident k = { K_FILE, (uint64_t)st->st_dev, (uint64_t)st->st_ino };
	struct ipcobj *o = index_get(w->s, &k);
	const char *n = path + strlen(SHM_DIR "/");
	size_t len = undeleted_len(n);
	int sem = len > 4 && strncmp(n, "sem.", 4) == 0 &&
	    memchr(n, '/', len) == NULL;

	if (o != NULL)
		return o;
	o = obj_new(w->s, sem ? IPC_POSIX_SEM : IPC_POSIX_SHM);
	o->name = save_name(w->s, "/", n + (sem ? 4 : 0), len - (sem ? 4 : 0));
	o->deleted = 1;
	o->dev = st->st_dev;
	o->ino = st->st_ino;
	if (sized) {
		obj_stat(o, st);
		o->has_size = !sem;
	}
	index_put(w->s, (size_t)(o - w->s->v));
	return o;
}

/* The process's IPC namespace is ours: 1, 0 another, -1 unknown (we may
 * not look: taken as ours, the safe side for a holder or an owner). */
static int
ipcns_state(struct walk *w)
{
	ino_t ns;

	if (w->same_ipcns == 0) {
		ns = w->ipcns == 0 ? 0 : proc_ipcns(w->pdir);
		w->same_ipcns = w->ipcns == 0 ? 1
		    : ns == 0		      ? 2
		    : ns == w->ipcns	      ? 1
					      : -1;
	}
	return w->same_ipcns == 2 ? -1 : w->same_ipcns > 0;
}

/* System V ids are per IPC namespace: a map of a segment counts only in
 * a process of ours. */
static int
in_our_ipcns(struct walk *w)
{
	return ipcns_state(w) != 0;
}

static void
proc_uid(struct walk *w)
{
	struct stat st;

	if (!w->have_puid && fstat(w->pdir, &st) == 0) {
		w->puid = st.st_uid;
		w->have_puid = 1;
	}
}

static void
eventfd_fd(struct walk *w, int fd)
{
	char path[64], info[512];
	const char *p;
	long long id = -1;
	unsigned long long count = 0;
	int ifd, semaphore = -1;
	ssize_t n;
	struct ipcobj *o, tmp;
	struct ident k;

	snprintf(path, sizeof(path), "fdinfo/%d", fd);
	if ((ifd = openat(w->pdir, path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	n = read(ifd, info, sizeof(info) - 1);
	close(ifd);
	if (n <= 0)
		return;
	info[n] = '\0';
	if ((p = strstr(info, "eventfd-count:")) != NULL)
		count = strtoull(p + 14, NULL, 16);
	if ((p = strstr(info, "eventfd-id:")) != NULL)
		id = strtoll(p + 11, NULL, 10);
	if ((p = strstr(info, "eventfd-semaphore:")) != NULL)
		semaphore = (int)strtol(p + 18, NULL, 10);
	memset(&tmp, 0, sizeof(tmp));
	tmp.type = IPC_EVENTFD;
	tmp.id = id;
	tmp.fds = &(struct ipc_fdref){ w->pid, fd };
	k = ident_of(&tmp);
	if ((o = index_get(w->s, &k)) == NULL) {
		o = obj_new(w->s, IPC_EVENTFD);
		o->id = id;
		o->size = count;
		o->has_size = 1;
		o->efd_semaphore = semaphore;
		proc_uid(w);
		o->uid = w->puid;
		o->gid = 0;
		o->has_owner = w->have_puid;
		obj_fd(o, w->pid, fd);
		index_put(w->s, (size_t)(o - w->s->v));
		return;
	}
	obj_fd(o, w->pid, fd);
}

/* A process gone since readdir is no holder; one we may not read may be. */
static void
refused(struct walk *w)
{
	if (errno != ENOENT && errno != ESRCH && !w->refused) {
		w->refused = 1;
		w->s->uninspected++;
		if (!w->s->one) /* shmctl stat's --trace stays as it was */
			trace_note("/proc/%d: %s: what it maps or holds is "
				   "unknown",
			    (int)w->pid, strerror(errno));
	}
}

int
ipcscan_blind(const struct ipcscan *s)
{
	return s->uninspected > 0 && geteuid() != 0;
}

static void
walk_fds(struct walk *w)
{
	int fddir = openat(w->pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *e;
	DIR *d;

	if (fddir < 0 || (d = fdopendir(fddir)) == NULL) {
		refused(w);
		if (fddir >= 0)
			close(fddir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char link[PATH_MAX];
		struct stat st;
		struct ipcobj *o;
		struct ident k;
		ssize_t n;
		int fd;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		n = readlinkat(fddir, e->d_name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		fd = atoi(e->d_name);
		if (link[0] != '/') {
			if (w->want_efd &&
			    strcmp(link, "anon_inode:[eventfd]") == 0) {
				eventfd_fd(w, fd);
				w->held = 1;
			}
			continue;
		}
		if (has_prefix(link, "/memfd:")) {
			if (w->want_memfd &&
			    fstatat(fddir, e->d_name, &st, 0) == 0) {
				o = memfd_obj(w, link, &st, 1);
				obj_fd(o, w->pid, fd);
				w->held = 1;
			}
			continue;
		}
		/* POSIX shared memory and semaphores are files in /dev/shm;
		 * a message queue's link is "/NAME". */
		if (!w->want_files ||
		    (!has_prefix(link, SHM_DIR "/") &&
			strchr(link + 1, '/') != NULL))
			continue;
		if (fstatat(fddir, e->d_name, &st, 0) != 0)
			continue;
		k = (struct ident){ K_FILE, (uint64_t)st.st_dev,
			(uint64_t)st.st_ino };
		if ((o = index_get(w->s, &k)) == NULL && w->want_deleted &&
		    st.st_nlink == 0 && st.st_dev == w->shm_dev &&
		    has_prefix(link, SHM_DIR "/"))
			o = deleted_obj(w, link, &st, 1);
		if (o != NULL) {
			obj_fd(o, w->pid, fd);
			w->held = 1;
		}
	}
	closedir(d);
}

/* A mapping only (its descriptor closed): the size from map_files. */
static void
memfd_map(struct walk *w, const char *range, size_t rlen, dev_t dev, ino_t ino,
    const char *path)
{
	struct ident k = { K_FILE, (uint64_t)dev, (uint64_t)ino };
	struct ipcobj *o = index_get(w->s, &k);
	char mf[64];
	struct stat st;

	if (o == NULL) {
		memset(&st, 0, sizeof(st));
		st.st_dev = dev;
		st.st_ino = ino;
		snprintf(mf, sizeof(mf), "map_files/%.*s", (int)rlen, range);
		o = memfd_obj(w, path, &st,
		    fstatat(w->pdir, mf, &st, 0) == 0 && st.st_ino == ino);
	}
	if (o->map_pid == 0 && rlen < sizeof(o->map_range)) {
		o->map_pid = w->pid;
		memcpy(o->map_range, range, rlen);
		o->map_range[rlen] = '\0';
	}
	obj_holder(o, w->pid);
	w->held = 1;
}

/* A mapping of a file of /dev/shm that was not listed: one unlinked since
 * (or one made after the listing, which is left out). */
static void
deleted_map(struct walk *w, const char *range, size_t rlen, dev_t dev,
    ino_t ino, const char *path)
{
	char mf[64];
	struct stat st;
	int sized;

	snprintf(mf, sizeof(mf), "map_files/%.*s", (int)rlen, range);
	sized = fstatat(w->pdir, mf, &st, 0) == 0 && st.st_ino == ino &&
	    st.st_dev == dev;
	/* Without map_files (not root), the kernel's word for it. */
	if (sized ? st.st_nlink != 0 : undeleted_len(path) == strlen(path))
		return;
	if (!sized) {
		memset(&st, 0, sizeof(st));
		st.st_dev = dev;
		st.st_ino = ino;
	}
	obj_holder(deleted_obj(w, path, &st, sized), w->pid);
	w->held = 1;
}

static void
maps_line(struct walk *w, char *l)
{
	char *p = l, *range = l, *end;
	unsigned long maj, min;
	unsigned long long ino;
	size_t rlen;
	struct ident k;
	struct ipcobj *o;
	int i;

	/* start-end perms offset major:minor inode path */
	rlen = strcspn(p, " ");
	for (i = 0; i < 3; i++) {
		p = strchr(p, ' ');
		if (p == NULL)
			return;
		p++;
	}
	maj = strtoul(p, &end, 16);
	if (*end != ':')
		return;
	min = strtoul(end + 1, &end, 16);
	ino = strtoull(end, &end, 10);
	while (*end == ' ')
		end++;
	if (*end != '/')
		return;
	/* A System V segment's inode is its shmid, 0 among them. */
	if (has_prefix(end, "/SYSV")) {
		if (!in_our_ipcns(w))
			return;
		k = (struct ident){ K_SHM, ino, 0 };
	} else if (ino != 0)
		k = (struct ident){ K_FILE, makedev(maj, min), ino };
	else
		return;
	if ((o = index_get(w->s, &k)) != NULL) {
		obj_holder(o, w->pid);
		if (o->type == IPC_MEMFD && o->map_pid == 0)
			memfd_map(w, range, rlen, o->dev, o->ino, end);
		w->held = 1;
	} else if (w->want_memfd && has_prefix(end, "/memfd:"))
		memfd_map(w, range, rlen, makedev(maj, min), (ino_t)ino, end);
	else if (w->want_deleted && has_prefix(end, SHM_DIR "/") &&
	    makedev(maj, min) == w->shm_dev)
		deleted_map(w, range, rlen, makedev(maj, min), (ino_t)ino, end);
}

static void
walk_maps(struct walk *w)
{
	int fd = openat(w->pdir, "maps", O_RDONLY | O_CLOEXEC);
	size_t have = 0;
	ssize_t r;

	if (fd < 0) {
		refused(w);
		return;
	}
	if (w->cap == 0)
		w->buf = xmalloc(w->cap = 1 << 16);
	for (;;) {
		char *p, *nl;

		r = read(fd, w->buf + have, w->cap - have - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			refused(w);
		if (r <= 0)
			break;
		have += (size_t)r;
		w->buf[have] = '\0';
		for (p = w->buf; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
			*nl = '\0';
			maps_line(w, p);
		}
		have = strlen(p);
		memmove(w->buf, p, have);
		if (have + 1 >= w->cap) /* a line longer than the buffer */
			w->buf = xreallocarray(w->buf, w->cap *= 2, 1);
	}
	close(fd);
}

static int
cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

static void
proc_read_comm(struct walk *w, struct ipcproc *p)
{
	ssize_t n;
	int fd;

	fd = openat(w->pdir, "comm", O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, p->comm, sizeof(p->comm) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		n = snprintf(p->comm, sizeof(p->comm), "?");
	p->comm[n] = '\0';
	p->comm[strcspn(p->comm, "\n")] = '\0';
}

/* The small file name of the process, NUL-terminated in buf: its length,
 * or -1. */
static ssize_t
proc_file(struct walk *w, const char *name, char *buf, size_t len)
{
	int fd = openat(w->pdir, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	do
		n = read(fd, buf, len - 1);
	while (n < 0 && errno == EINTR);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* From /proc/PID/status: its name, user ids, whether it is a zombie and
 * whether it has an address space (a kernel thread has none), and its
 * number of threads.  0, or -1 when it cannot be read. */
static int
proc_status(struct walk *w, struct ipcproc *p, int *user, int *zombie,
    long *threads)
{
	char buf[4096], *l;
	unsigned long u[3];

	if (proc_file(w, "status", buf, sizeof(buf)) <= 0)
		return -1;
	*user = *zombie = 0;
	*threads = 1;
	for (l = buf; l != NULL && *l != '\0';
	     l = strchr(l, '\n'), l = l ? l + 1 : l) {
		if (has_prefix(l, "Name:\t")) {
			size_t k = strcspn(l + 6, "\n");

			if (k >= sizeof(p->comm))
				k = sizeof(p->comm) - 1;
			memcpy(p->comm, l + 6, k);
			p->comm[k] = '\0';
		} else if (has_prefix(l, "State:\t"))
			*zombie = l[7] == 'Z' || l[7] == 'X';
		else if (has_prefix(l, "Uid:\t") &&
		    sscanf(l + 5, "%lu %lu %lu", &u[0], &u[1], &u[2]) == 3) {
			p->uid[0] = (uid_t)u[0];
			p->uid[1] = (uid_t)u[1];
			p->uid[2] = (uid_t)u[2];
			p->known = 1;
		} else if (has_prefix(l, "VmSize:"))
			*user = 1;
		else if (has_prefix(l, "Threads:\t"))
			*threads = strtol(l + 9, NULL, 10);
	}
	return p->known ? 0 : -1;
}

/* The system call numbers of msgrcv(2) and msgsnd(2), or of ipc(2) where
 * they go through it (the call number then first, the queue second). */
#if defined(SYS_msgrcv) && defined(SYS_msgsnd)
#define NR_MSGRCV SYS_msgrcv
#define NR_MSGSND SYS_msgsnd
#define NR_IPC (-2)
#elif defined(SYS_ipc)
#define NR_MSGRCV (-2)
#define NR_MSGSND (-2)
#define NR_IPC SYS_ipc
#else
#define NR_MSGRCV (-2)
#define NR_MSGSND (-2)
#define NR_IPC (-2)
#endif

/* One /proc/.../syscall: 1 blocked in msgrcv or msgsnd (p->msq set), 0
 * not, -1 unreadable. */
static int
syscall_msg(int dirfd, const char *name, struct ipcproc *p)
{
	char buf[256], *e;
	long nr;
	unsigned long long a1, a2;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? 0 : -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return errno == ESRCH ? 0 : -1;
	buf[n] = '\0';
	/* "NR ARG1 ... SP PC", "-1 SP PC" outside a call, "running" */
	nr = strtol(buf, &e, 10);
	if (e == buf || nr < 0)
		return 0;
	a1 = strtoull(e, &e, 16);
	a2 = strtoull(e, &e, 16);
	if (nr == NR_MSGRCV || nr == NR_MSGSND) {
		p->msq = (int)a1;
		p->msgsnd = nr == NR_MSGSND;
		return 1;
	}
	/* ipc(2): MSGSND 11, MSGRCV 12 */
	if (nr == NR_IPC && ((a1 & 0xffff) == 11 || (a1 & 0xffff) == 12)) {
		p->msq = (int)a2;
		p->msgsnd = (a1 & 0xffff) == 11;
		return 1;
	}
	return 0;
}

/* Whether one of its threads is blocked on a System V queue. */
static void
proc_msgwait(struct walk *w, struct ipcproc *p, long threads)
{
	struct dirent *e;
	DIR *d;
	int tfd, r;

	if (threads <= 1) {
		p->msgwait = (signed char)syscall_msg(w->pdir, "syscall", p);
		return;
	}
	tfd = openat(w->pdir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tfd < 0 || (d = fdopendir(tfd)) == NULL) {
		if (tfd >= 0)
			close(tfd);
		p->msgwait = -1;
		return;
	}
	p->msgwait = 0;
	while ((e = readdir(d)) != NULL) {
		char name[NAME_MAX + 16];

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(name, sizeof(name), "%s/syscall", e->d_name);
		if ((r = syscall_msg(tfd, name, p)) != 0) {
			p->msgwait = (signed char)r;
			if (r > 0)
				break;
		}
	}
	closedir(d);
}

/* Remember a process: one that holds an eventfd or a memfd (its name),
 * or, for IPCSCAN_OWNERS, every process but a zombie, with its user ids,
 * whether it shares our IPC namespace and our /dev/shm, and whether it
 * waits on a System V queue. */
static void
proc_record(struct walk *w, int owners)
{
	struct ipcscan *s = w->s;
	struct ipcproc *p, tmp;
	int user = 0, zombie = 0;
	long threads = 1;
	struct stat st;

	memset(&tmp, 0, sizeof(tmp));
	tmp.pid = w->pid;
	tmp.ipcns = tmp.shm = 1;
	tmp.msq = -1;
	if (owners) {
		snprintf(tmp.comm, sizeof(tmp.comm), "?");
		if (proc_status(w, &tmp, &user, &zombie, &threads) != 0) {
			if (errno == ENOENT || errno == ESRCH)
				return; /* gone */
		} else if (zombie || (!user && !w->held))
			return; /* a zombie, a kernel thread: no user's */
		if (s->types & (IPC_SYSV | IPC_T(IPC_POSIX_MQ)))
			tmp.ipcns = (signed char)ipcns_state(w);
		if (w->shm_dev != 0 &&
		    (s->types & (IPC_T(IPC_POSIX_SHM) | IPC_T(IPC_POSIX_SEM))))
			tmp.shm = fstatat(w->pdir, "root" SHM_DIR, &st, 0) != 0
			    ? -1
			    : st.st_dev == w->shm_dev &&
				st.st_ino == w->shm_ino;
		if (w->msgs && user && tmp.ipcns != 0) {
			proc_msgwait(w, &tmp, threads);
			if (tmp.msgwait < 0)
				trace_note("/proc/%d/syscall: %s: whether it "
					   "waits on a queue is unknown",
				    (int)w->pid, strerror(errno));
		}
	} else
		proc_read_comm(w, &tmp);
	if (s->nprocs % 64 == 0)
		s->procs = xreallocarray(s->procs, s->nprocs + 64,
		    sizeof(*s->procs));
	p = &s->procs[s->nprocs++];
	*p = tmp;
}

static int
cmp_proc(const void *a, const void *b)
{
	pid_t x = ((const struct ipcproc *)a)->pid;
	pid_t y = ((const struct ipcproc *)b)->pid;

	return (x > y) - (x < y);
}

const struct ipcproc *
ipcscan_proc(const struct ipcscan *s, pid_t pid)
{
	struct ipcproc k = { .pid = pid };

	return s->nprocs == 0
	    ? NULL
	    : bsearch(&k, s->procs, s->nprocs, sizeof(k), cmp_proc);
}

const char *
ipcscan_comm(const struct ipcscan *s, pid_t pid)
{
	const struct ipcproc *p = ipcscan_proc(s, pid);

	return p != NULL ? p->comm : "?";
}

static void
walk_proc(struct ipcscan *s, int holders)
{
	struct walk w;
	struct dirent *e;
	DIR *d;
	size_t i;
	int attached = 0, owners;
	pid_t self = getpid();

	memset(&w, 0, sizeof(w));
	w.s = s;
	w.want_efd = !!(s->types & IPC_T(IPC_EVENTFD));
	w.want_memfd = !!(s->types & IPC_T(IPC_MEMFD));
	w.want_deleted = (s->flags & IPCSCAN_DELETED) &&
	    (s->types & (IPC_T(IPC_POSIX_SHM) | IPC_T(IPC_POSIX_SEM)));
	w.want_files = (holders && (s->types & IPC_POSIX)) || w.want_deleted;
	for (i = 0; i < s->n && !attached; i++)
		attached = s->v[i].type == IPC_SYSV_SHM && s->v[i].nattch > 0;
	/* A segment nobody has attached is in no process's maps. */
	w.maps = w.want_memfd || w.want_deleted ||
	    (holders &&
		(attached ||
		    (s->types &
			(IPC_T(IPC_POSIX_SHM) | IPC_T(IPC_POSIX_SEM)))));
	w.fds = w.want_efd || w.want_memfd || w.want_files;
	owners = !!(s->flags & IPCSCAN_OWNERS);
	if (!w.maps && !w.fds && !owners)
		return;
	if (owners || w.want_deleted) {
		struct stat st;

		if (stat(SHM_DIR, &st) == 0)
			w.shm_dev = st.st_dev, w.shm_ino = st.st_ino;
	}
	if (owners) {
		s->owners_read = 1;
		for (i = 0; i < s->n && !w.msgs; i++)
			w.msgs = s->v[i].type == IPC_SYSV_MSG;
	}
	if ((d = opendir("/proc")) == NULL)
		return;
	w.ipcns = proc_ipcns(-1);
	index_rebuild(s, 64);
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		w.pid = (pid_t)atoi(e->d_name);
		if (w.pid == self && !(s->flags & IPCSCAN_SELF))
			continue;
		w.pdir = openat(dirfd(d), e->d_name,
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (w.pdir < 0)
			continue;
		w.have_puid = w.refused = w.same_ipcns = w.held = 0;
		if (w.fds)
			walk_fds(&w);
		if (w.maps)
			walk_maps(&w);
		if (owners || (w.held && (s->flags & IPCSCAN_COMM)))
			proc_record(&w, owners);
		close(w.pdir);
	}
	closedir(d);
	free(w.buf);
	if (s->nprocs > 1)
		qsort(s->procs, s->nprocs, sizeof(*s->procs), cmp_proc);
	for (i = 0; i < s->n; i++)
		if (s->v[i].nholders > 1)
			qsort(s->v[i].holders, s->v[i].nholders, sizeof(pid_t),
			    cmp_pid);
}

static void
sem_value(struct ipcobj *o)
{
	char name[NAME_MAX + 8];
	uint64_t data;
	int fd;

	/* The one way every listing reads a POSIX semaphore's value: a
	 * pread of the file, not sem_open(3) and sem_getvalue(3).  Measured
	 * at 5,000 semaphores (hyperfine, a private /dev/shm): semctl ls
	 * took 306 ms mapping each one, 99 ms reading it (callgrind: 230M
	 * and 190M instructions; the rest is mmap and munmap in the
	 * kernel); a read needs read permission only, where sem_open wants
	 * read and write; and a listing that maps the semaphore shows up
	 * among its holders.  The price: glibc's sem_t layout
	 * (nptl/semaphoreP.h), stable since glibc 2.21: on 64-bit targets
	 * the value is the low 32 bits of the first 64-bit word, on 32-bit
	 * ones the first word shifted right by one. */
	snprintf(name, sizeof(name), "/sem.%s", o->name + 1);
	if ((fd = t_shm_open(name, O_RDONLY, 0)) < 0)
		return;
	if (t_pread(fd, &data, sizeof(data), 0) == (ssize_t)sizeof(data)) {
#if UINTPTR_MAX > 0xffffffffu
		o->size = (uint32_t)data;
#else
		o->size = (uint32_t)data >> 1;
#endif
		o->has_size = 1;
	}
	t_close(fd);
}

static void
memfd_seals(struct ipcobj *o)
{
	char path[96];
	int fd, seals;

	/* A memfd that only a mapping holds: through map_files (root). */
	if (o->nfds > 0)
		snprintf(path, sizeof(path), "/proc/%d/fd/%d",
		    (int)o->fds[0].pid, o->fds[0].fd);
	else if (o->map_pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/map_files/%s",
		    (int)o->map_pid, o->map_range);
	else
		return;
	if ((fd = t_open_rdonly(path)) < 0)
		return;
	if ((seals = t_seals_of(fd)) >= 0) {
		o->seals = (unsigned)seals;
		o->has_seals = 1;
	}
	t_close(fd);
}

static int
cmp_obj(const void *a, const void *b)
{
	const struct ipcobj *x = a, *y = b;

	if (x->type != y->type)
		return x->type - y->type;
	switch (x->type) {
	case IPC_SYSV_SHM:
	case IPC_SYSV_SEM:
	case IPC_SYSV_MSG:
		return 0; /* kept in the kernel's order (qsort is not
			     stable: see ipcscan) */
	case IPC_EVENTFD:
	case IPC_MEMFD:
		if (x->id != y->id)
			return x->id < y->id ? -1 : 1;
		return strcmp(x->name, y->name);
	default:
		return strcmp(x->name, y->name);
	}
}

int
ipcscan(struct ipcscan *s, unsigned types, unsigned flags, const char **what)
{
	size_t i, start;
	int t;

	memset(s, 0, sizeof(*s));
	s->types = types;
	s->flags = flags;
	*what = NULL;
	if ((types & (IPC_T(IPC_POSIX_SHM) | IPC_T(IPC_POSIX_SEM))) &&
	    scan_shm_dir(s) != 0) {
		*what = SHM_DIR;
		return -1;
	}
	if ((types & IPC_T(IPC_POSIX_MQ)) && scan_mqueue(s) != 0) {
		*what = s->mq_dir;
		return -1;
	}
	for (t = IPC_SYSV_SHM; t <= IPC_SYSV_MSG; t++)
		if ((types & IPC_T(t)) && scan_sysv(s, t) != 0) {
			*what = sysv_files[t];
			return -1;
		}
	/* POSIX objects by name; System V ones keep the kernel's order, so
	 * sort only the POSIX run at the front. */
	for (start = 0; start < s->n && s->v[start].type <= IPC_POSIX_MQ;
	     start++)
		;
	if (start > 1)
		qsort(s->v, start, sizeof(*s->v), cmp_obj);
	start = s->n;
	walk_proc(s, !!(flags & IPCSCAN_HOLDERS));
	/* What the walk found (deleted files, eventfds and memfds) goes by
	 * type, then name or id, after the rest. */
	if (s->n - start > 1)
		qsort(s->v + start, s->n - start, sizeof(*s->v), cmp_obj);
	/* The sort moved them: the index is made again when needed. */
	free(s->slots);
	s->slots = NULL;
	s->nslots = 0;
	if ((types & IPC_T(IPC_STORED)) && ipcscan_stored(s, what) != 0)
		return -1;
	for (i = 0; i < s->n; i++) {
		if ((flags & IPCSCAN_VALUES) && s->v[i].type == IPC_POSIX_SEM)
			sem_value(&s->v[i]);
		if ((flags & IPCSCAN_SEALS) && s->v[i].type == IPC_MEMFD)
			memfd_seals(&s->v[i]);
	}
	return 0;
}

void
ipcscan_free(struct ipcscan *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].holders);
		free(s->v[i].fds);
		free(s->v[i].semvals);
	}
	free(s->procs);
	for (i = 0; i < s->nblocks; i++)
		free(s->blocks[i]);
	free(s->blocks);
	free(s->v);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

void
ipcscan_one(struct ipcscan *s, const struct ipcobj *o)
{
	struct ipcobj *c;

	memset(s, 0, sizeof(*s));
	s->types = IPC_T(o->type);
	s->flags = IPCSCAN_HOLDERS;
	s->one = 1;
	c = obj_new(s, o->type);
	*c = *o;
	c->name = save_name(s, "", o->name, strlen(o->name));
	c->holders = NULL;
	c->nholders = c->capholders = 0;
	c->fds = NULL;
	c->nfds = c->capfds = 0;
	c->semvals = NULL;
	walk_proc(s, 1);
}

time_t
ipcscan_last_use(const struct ipcobj *o)
{
	switch (o->type) {
	case IPC_SYSV_SHM:
	case IPC_SYSV_SEM:
	case IPC_SYSV_MSG:
		return latest(latest(o->atime, o->mtime), o->ctime);
	default:
		return o->mtime;
	}
}

uint64_t
ipcscan_used(const struct ipcobj *o)
{
	if (o->has_used &&
	    (o->type == IPC_POSIX_SHM || o->type == IPC_SYSV_SHM ||
		o->type == IPC_MEMFD || o->type == IPC_POSIX_SEM))
		return o->used;
	return ipcscan_bytes(o);
}

uint64_t
ipcscan_bytes(const struct ipcobj *o)
{
	return o->has_size &&
		(o->type == IPC_POSIX_SHM || o->type == IPC_SYSV_SHM ||
		    o->type == IPC_MEMFD)
	    ? o->size
	    : 0;
}

static enum ipcsort sort_key;

static int
cmp_sort(const void *a, const void *b)
{
	const struct ipcobj *x = a, *y = b;
	uint64_t bx, by;
	time_t tx, ty;

	switch (sort_key) {
	case IPCSORT_SIZE:
		bx = ipcscan_bytes(x), by = ipcscan_bytes(y);
		if (bx != by)
			return bx > by ? -1 : 1;
		break;
	case IPCSORT_AGE:
		/* unknown (0) last */
		tx = ipcscan_last_use(x), ty = ipcscan_last_use(y);
		if ((tx <= 0) != (ty <= 0))
			return tx <= 0 ? 1 : -1;
		if (tx != ty)
			return tx < ty ? -1 : 1;
		break;
	case IPCSORT_NAME:
		break;
	}
	if (x->type != y->type)
		return x->type - y->type;
	if (strcmp(x->name, y->name) != 0)
		return strcmp(x->name, y->name);
	return (x->id > y->id) - (x->id < y->id);
}

void
ipcscan_sort(struct ipcscan *s, enum ipcsort key)
{
	sort_key = key;
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_sort);
	free(s->slots);
	s->slots = NULL;
	s->nslots = 0;
}

void
ipcscan_name(const struct ipcobj *o, char *buf, size_t len)
{
	switch (o->type) {
	case IPC_SYSV_SHM:
	case IPC_SYSV_SEM:
	case IPC_SYSV_MSG:
		/* A private object (key 0) is reachable by id only. */
		if (o->key == 0)
			snprintf(buf, len, "id:%lld", o->id);
		else { /* key:0x%08x, without printf's cost, cut to len */
			static const char hex[] = "0123456789abcdef";
			unsigned k = (unsigned)o->key;
			char tmp[15];
			int i;

			memcpy(tmp, "key:0x", 6);
			for (i = 0; i < 8; i++)
				tmp[6 + i] = hex[(k >> (28 - 4 * i)) & 0xf];
			tmp[14] = '\0';
			strlcpy(buf, tmp, len);
		}
		break;
	case IPC_MEMFD:
		snprintf(buf, len, "memfd:%s", o->name);
		break;
	case IPC_EVENTFD:
		if (o->nfds > 0)
			snprintf(buf, len, "pid:%d:%d", (int)o->fds[0].pid,
			    o->fds[0].fd);
		else
			snprintf(buf, len, "-");
		break;
	default:
		snprintf(buf, len, "%s", o->name);
		break;
	}
}

int
ipcscan_stored(struct ipcscan *s, const char **what)
{
	static char path[PATH_MAX];
	char why[FDSTORE_WHY_LEN];
	struct fdstore_entry *es;
	size_t n, i;

	static char whole[PATH_MAX + FDSTORE_WHY_LEN + 2];

	if (fdstore_socket(path, sizeof(path), why, sizeof(why)) != 0) {
		snprintf(whole, sizeof(whole), "%s", why);
		*what = whole;
		return -1;
	}
	if (fdstore_list(&es, &n, 0, why, sizeof(why)) != 0) {
		/* No holder: nothing stored.  Listed with other kinds, a
		 * store that cannot be read is left out (--trace says
		 * why); listed alone, it is the error. */
		if (errno == ECONNREFUSED || errno == ENOENT ||
		    s->types != IPC_T(IPC_STORED)) {
			trace_note("fd store %s: %s", path, why);
			return 0;
		}
		snprintf(whole, sizeof(whole), "%s: %s", path, why);
		*what = whole;
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct ipcobj *o = obj_new(s, IPC_STORED);
		const struct fdstore_entry *e = &es[i];

		o->name = save_name(s, "@", e->name, strlen(e->name));
		o->holds = e->type == FDSTORE_EVENTFD ? IPC_EVENTFD
		    : e->type == FDSTORE_MEMFD	      ? IPC_MEMFD
						      : -1;
		o->uid = o->cuid = e->uid;
		o->gid = o->cgid = e->gid;
		o->mode = e->mode;
		o->has_mode = o->has_owner = 1;
		o->ctime = o->mtime = e->ctime;
		if (e->size >= 0 || e->count >= 0) {
			o->size = (uint64_t)(e->size >= 0 ? e->size : e->count);
			o->has_size = 1;
		}
		if (e->seals >= 0) {
			o->seals = (unsigned)e->seals;
			o->has_seals = 1;
		}
		obj_holder(o, e->holder);
	}
	free(es);
	return 0;
}
