/* shm: POSIX and System V shared memory behind one interface. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "fmt.h"
#include "seals.h"
#include "ipcscan.h"
#include "parse.h"
#include "shm.h"
#include "sysv.h"
#include "trace.h"
#include "trace_shm.h"

static void
obj_init(struct shmobj *o, const struct addr *a)
{
	memset(o, 0, sizeof(*o));
	o->addr = *a;
	o->fd = -1;
	o->id = -1;
}

static int
shm_get(key_t key)
{
	return t_shmget(key, 0, 0);
}

/* The segment's id (lib/sysv.c); key 0 never gets here (a usage error). */
static int
seg_id(const struct addr *a, int *id, const char **why)
{
	return sysv_id(a, shm_get, "segment", id, why);
}

static int
sysv_stat(int id, struct shmid_ds *ds)
{
	if (t_shmctl(id, IPC_STAT, ds) != 0) {
		errno = sysv_errno(errno);
		return -1;
	}
	return 0;
}

/* The segment o->addr names: its id and size, without attaching it. */
static int
sysv_find(struct shmobj *o)
{
	struct shmid_ds ds;

	const char *why;

	if (seg_id(&o->addr, &o->id, &why) != 0 || sysv_stat(o->id, &ds) != 0)
		return -1;
	o->size = ds.shm_segsz;
	return 0;
}

static void
info_from_ds(struct shmdesc *in, int id, const struct shmid_ds *ds)
{
	memset(in, 0, sizeof(*in));
	in->sysv = 1;
	in->key = ds->shm_perm.__key;
	in->id = id;
	in->size = ds->shm_segsz;
	in->mode = ds->shm_perm.mode & 0777;
	in->uid = ds->shm_perm.uid;
	in->gid = ds->shm_perm.gid;
	in->cuid = ds->shm_perm.cuid;
	in->cgid = ds->shm_perm.cgid;
	in->atime = ds->shm_atime;
	in->mtime = ds->shm_dtime;
	in->ctime = ds->shm_ctime;
	in->nattch = ds->shm_nattch;
	in->cpid = ds->shm_cpid;
	in->lpid = ds->shm_lpid;
}

/* The segment of this id as the scanner read it from /proc/sysvipc/shm. */
static int
sysv_lookup(int id, struct shmdesc *in)
{
	struct ipcscan s;
	const char *what;
	size_t i;
	int found = 0;

	if (ipcscan(&s, IPC_T(IPC_SYSV_SHM), 0, &what) != 0)
		return -1;
	for (i = 0; i < s.n && !found; i++) {
		const struct ipcobj *o = &s.v[i];

		if (o->id != id)
			continue;
		memset(in, 0, sizeof(*in));
		in->sysv = 1;
		in->key = o->key;
		in->id = id;
		in->size = o->size;
		in->mode = o->mode;
		in->cpid = o->cpid;
		in->lpid = o->lpid;
		in->nattch = o->nattch;
		in->uid = o->uid, in->gid = o->gid;
		in->cuid = o->cuid, in->cgid = o->cgid;
		in->atime = o->atime, in->mtime = o->mtime;
		in->ctime = o->ctime;
		found = 1;
	}
	ipcscan_free(&s);
	if (!found)
		errno = EACCES;
	return found ? 0 : -1;
}

/* IPC_STAT wants read permission, but the kernel's table shows every
 * segment (ipcs(1) reads it): its owner may stat and chmod a segment of
 * mode 000, as with a file. */
static int
sysv_describe(int id, struct shmdesc *in)
{
	struct shmid_ds ds;

	if (sysv_stat(id, &ds) == 0) {
		info_from_ds(in, id, &ds);
		return 0;
	}
	if (errno != EACCES)
		return -1;
	return sysv_lookup(id, in);
}

/* tmpfs takes a sparse size past its capacity, or past its free space,
 * and fails the writes later (a mapping's with SIGBUS): refuse at create,
 * resize and write --grow instead.  cur is the object's size now: only
 * the growth needs free space. */
static int
check_capacity(int fd, uint64_t cur, uint64_t size, const char **why)
{
	static char reason[128];
	struct statvfs sv;
	uint64_t cap, avail;
	char h[16];

	if (t_fstatvfs(fd, &sv) != 0)
		return 0;
	cap = (uint64_t)sv.f_blocks * sv.f_frsize;
	avail = (uint64_t)sv.f_bavail * sv.f_frsize;
	if (cap == 0 || size <= cur || size - cur <= avail)
		return 0;
	if (size > cap) {
		fmt_size(cap, h, sizeof(h));
		snprintf(reason, sizeof(reason),
		    "size exceeds the capacity of " SHM_DIR " (%s)", h);
		errno = EFBIG;
	} else {
		fmt_size(avail, h, sizeof(h));
		snprintf(reason, sizeof(reason),
		    "not enough free space in " SHM_DIR " (%s free)", h);
		errno = ENOSPC;
	}
	*why = reason;
	return -1;
}

/* What a file in SHM_DIR that is not a regular one is, for the message. */
static const char *
kind_name(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO"
	    : S_ISDIR(m)   ? "a directory"
	    : S_ISSOCK(m)  ? "a socket"
	    : S_ISCHR(m)   ? "a character device"
	    : S_ISBLK(m)   ? "a block device"
			   : "not a regular file";
}

/* Refuse what is not a regular file: a symbolic link (never followed),
 * a FIFO (whose open or read would wait), a directory, a socket.  0 for a
 * regular file, else -1 with errno and *why set. */
static int
check_regular(mode_t m, const char **why)
{
	static char reason[64];

	if (S_ISREG(m))
		return 0;
	if (S_ISLNK(m)) {
		*why = SHM_LINK_REASON;
		errno = ELOOP;
		return -1;
	}
	snprintf(reason, sizeof(reason), "not a shared memory object: %s",
	    kind_name(m));
	*why = reason;
	errno = EINVAL;
	return -1;
}

int
shm_check_addr(const struct addr *a, const char **errstr)
{
	if (a->kind == ADDR_POSIX && strncmp(a->name, "/sem.", 5) == 0) {
		*errstr = "invalid name: sem.NAME is the file of the POSIX "
			  "semaphore /NAME (use semctl)";
		return -1;
	}
	return 0;
}

/* The file of a POSIX object, by its path: stat and chmod need no
 * permission on the object, so its owner may use them whatever its mode,
 * as with stat(1) and chmod(1).  A symbolic link is not followed, and is
 * refused as shm_open(3) refuses it (it opens with O_NOFOLLOW). */
static const char *
posix_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, SHM_DIR "%s", name);
	return buf;
}

static int
posix_stat(const char *name, struct stat *st, const char **why)
{
	char path[sizeof(SHM_DIR) + NAME_MAX + 2];

	if (t_fstatat(AT_FDCWD, posix_path(path, sizeof(path), name), st,
		AT_SYMLINK_NOFOLLOW) != 0)
		return -1;
	return check_regular(st->st_mode, why);
}

/* Why shm_open(3) of name failed, when the file is not a regular one
 * (ELOOP: a symbolic link; EISDIR; ENXIO: a socket): errno stays as it
 * is when it is. */
static void
posix_open_why(const char *name, const char **why)
{
	struct stat st;
	int e = errno;

	if (e == ENOENT || e == EACCES || e == EEXIST)
		return;
	if (posix_stat(name, &st, why) == 0 || *why == NULL)
		errno = e;
}

static int
posix_chmod(const char *name, mode_t mode)
{
	char path[sizeof(SHM_DIR) + NAME_MAX + 2];

	return t_fchmodat(AT_FDCWD, posix_path(path, sizeof(path), name), mode,
	    AT_SYMLINK_NOFOLLOW);
}

static int
posix_create(struct shmobj *o, uint64_t size, mode_t mode, int exist_ok,
    int *created, const char **why)
{
	const char *name = o->addr.name;
	int e;

	o->fd = t_shm_open(name, O_RDWR | O_CREAT | O_EXCL, mode);
	if (o->fd < 0 && errno == EEXIST && exist_ok) {
		struct addr a = o->addr; /* shm_open_obj clears *o */

		return shm_open_obj(o, &a, 1, why);
	}
	if (o->fd < 0) {
		posix_open_why(name, why);
		return -1;
	}
	*created = 1;
	o->writable = 1;
	/* shm_open applies the umask: set exactly the mode asked for. */
	if (t_fchmod(o->fd, mode) != 0 ||
	    check_capacity(o->fd, 0, size, why) != 0 ||
	    t_ftruncate(o->fd, (off_t)size) != 0)
		goto undo;
	o->size = size;
	return 0;
undo:
	e = errno;
	t_shm_unlink(name);
	t_close(o->fd);
	o->fd = -1;
	*created = 0;
	errno = e;
	return -1;
}

static int
sysv_create(struct shmobj *o, uint64_t size, mode_t mode, int exist_ok,
    int *created, const char **why)
{
	if (o->addr.kind == ADDR_ID) {
		*why = "an id names an existing segment: create by key: or "
		       "ftok:";
		errno = EINVAL;
		return -1;
	}
	o->id = t_shmget(o->addr.key, size, IPC_CREAT | IPC_EXCL | mode);
	if (o->id < 0 && errno == EEXIST && exist_ok)
		return sysv_find(o);
	if (o->id < 0) {
		if (errno == EINVAL)
			*why = "size is outside the System V limits "
			       "(1 to kernel.shmmax bytes)";
		else if (errno == ENOSPC)
			*why = "no space: kernel.shmall or kernel.shmmni "
			       "reached";
		return -1;
	}
	*created = 1;
	o->size = size;
	return 0;
}

int
shm_create(struct shmobj *o, const struct addr *a, uint64_t size, mode_t mode,
    int exist_ok, int *created, const char **why)
{
	obj_init(o, a);
	*created = 0;
	if (addr_is_sysv(a))
		return sysv_create(o, size, mode, exist_ok, created, why);
	return posix_create(o, size, mode, exist_ok, created, why);
}

int
shm_open_obj(struct shmobj *o, const struct addr *a, int rw, const char **why)
{
	struct stat st;

	obj_init(o, a);
	o->writable = rw;
	if (!addr_is_sysv(a)) {
		/* O_NONBLOCK: a FIFO planted in SHM_DIR must not make the
		 * open wait; it is refused below. */
		o->fd = t_shm_open(a->name,
		    (rw ? O_RDWR : O_RDONLY) | O_NONBLOCK, 0);
		if (o->fd < 0) {
			posix_open_why(a->name, why);
			return -1;
		}
		if (t_fstat(o->fd, &st) != 0 ||
		    check_regular(st.st_mode, why) != 0) {
			int e = errno;

			shm_close(o);
			errno = e;
			return -1;
		}
		o->size = st.st_size;
		return 0;
	}
	if (sysv_find(o) != 0)
		return -1;
	o->mem = t_shmat(o->id, NULL, rw ? 0 : SHM_RDONLY);
	if (o->mem == (void *)-1) {
		o->mem = NULL;
		errno = sysv_errno(errno);
		return -1;
	}
	return 0;
}

int
shm_open_meta(struct shmobj *o, const struct addr *a, const char **why)
{
	struct shmdesc in;
	struct stat st;

	obj_init(o, a);
	if (!addr_is_sysv(a) && posix_stat(a->name, &st, why) != 0)
		return -1;
	if ((addr_is_sysv(a) && seg_id(a, &o->id, why) != 0) ||
	    shm_describe(o, &in) != 0)
		return -1;
	o->size = in.size;
	return 0;
}

void
shm_from_fd(struct shmobj *o, const struct addr *a, int fd, int rw)
{
	obj_init(o, a);
	o->fd = fd;
	o->writable = rw;
	shm_refresh(o);
}

int
shm_refresh(struct shmobj *o)
{
	struct stat st;

	if (o->fd < 0)
		return 0;
	if (t_fstat(o->fd, &st) != 0)
		return -1;
	o->size = st.st_size;
	return 0;
}

void
shm_close(struct shmobj *o)
{
	if (o->mem != NULL)
		t_shmdt(o->mem);
	if (o->fd >= 0)
		t_close(o->fd);
	o->mem = NULL;
	o->fd = -1;
}

const char *
shm_why(const struct shmobj *o, int err)
{
	return o->fd >= 0 ? seals_why(o->fd, err, 0) : NULL;
}

int
shm_resize(struct shmobj *o, uint64_t size, const char **why)
{
	if (o->fd < 0) {
		*why = "System V segments cannot be resized";
		errno = EOPNOTSUPP;
		return -1;
	}
	if (check_capacity(o->fd, o->size, size, why) != 0 ||
	    t_ftruncate(o->fd, (off_t)size) != 0)
		return -1;
	o->size = size;
	return 0;
}

int
shm_check_size(struct shmobj *o, uint64_t size, const char **why)
{
	static char reason[96];

	if (size > INT64_MAX) {
		snprintf(reason, sizeof(reason),
		    "size %" PRIu64 " is past the largest object size", size);
		*why = reason;
		errno = EFBIG;
		return -1;
	}
	return o->fd >= 0 ? check_capacity(o->fd, o->size, size, why) : 0;
}

int
shm_chmod(struct shmobj *o, mode_t mode)
{
	struct shmid_ds ds;
	struct shmdesc in;

	if (o->fd >= 0)
		return t_fchmod(o->fd, mode);
	if (o->id < 0)
		return posix_chmod(o->addr.name, mode);
	/* IPC_SET takes the owner, the group and the mode. */
	if (sysv_describe(o->id, &in) != 0)
		return -1;
	memset(&ds, 0, sizeof(ds));
	ds.shm_perm.uid = in.uid;
	ds.shm_perm.gid = in.gid;
	ds.shm_perm.mode = mode;
	return t_shmctl(o->id, IPC_SET, &ds);
}

static void
info_from_stat(struct shmdesc *in, const char *name, const struct stat *st)
{
	memset(in, 0, sizeof(*in));
	snprintf(in->name, sizeof(in->name), "%s", name);
	in->id = -1;
	in->size = st->st_size;
	in->mode = st->st_mode & 0777;
	in->uid = in->cuid = st->st_uid;
	in->gid = in->cgid = st->st_gid;
	in->atime = st->st_atime;
	in->mtime = st->st_mtime;
	in->ctime = st->st_ctime;
	in->dev = st->st_dev;
	in->ino = st->st_ino;
}

int
shm_describe(struct shmobj *o, struct shmdesc *in)
{
	struct stat st;
	const char *why = NULL;

	if (o->id >= 0) {
		if (sysv_describe(o->id, in) != 0)
			return -1;
		/* Our own attachment is not one the user made. */
		if (o->mem != NULL && in->nattch > 0)
			in->nattch--;
		return 0;
	}
	if ((o->fd >= 0 ? t_fstat(o->fd, &st)
			: posix_stat(o->addr.name, &st, &why)) != 0)
		return -1;
	info_from_stat(in, o->addr.name, &st);
	return 0;
}

int
shm_remove(const struct addr *a, const char **why)
{
	int id;

	if (!addr_is_sysv(a))
		return t_shm_unlink(a->name);
	if (seg_id(a, &id, why) != 0)
		return -1;
	if (t_shmctl(id, IPC_RMID, NULL) != 0) {
		errno = sysv_errno(errno);
		return -1;
	}
	return 0;
}
