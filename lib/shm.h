/* shm: a shared-memory object, POSIX (/dev/shm), System V (key:, id:,
 * ftok:) or any descriptor-backed one (memfd), behind one interface.
 *
 * Functions return 0, or -1 with errno set; callers name the object and
 * the verb in the message.  Where errno alone would mislead, *why (when
 * not NULL) is set to a fuller reason.
 */
#ifndef IPCBOX_SHM_H
#define IPCBOX_SHM_H

#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "addr.h"

struct shmobj {
	struct addr addr;
	int fd; /* POSIX or descriptor-backed: the descriptor, else -1 */
	int id; /* System V: the id, else -1 */
	void *mem; /* System V: the attachment, else NULL */
	uint64_t size;
	int writable;
};

/* What stat and ls print of an object. */
struct shmdesc {
	int sysv;
	char name[NAME_MAX + 2]; /* POSIX */
	key_t key; /* System V */
	int id;
	uint64_t size;
	mode_t mode;
	uid_t uid, cuid;
	gid_t gid, cgid;
	time_t atime, mtime, ctime; /* SysV: attach, detach, change */
	unsigned long nattch;
	pid_t cpid, lpid;
	dev_t dev; /* POSIX: /dev/shm device and inode */
	ino_t ino;
};

#define SHM_DIR "/dev/shm"
/* The reason given for a symbolic link where an object was named. */
#define SHM_LINK_REASON "is a symbolic link, not followed"

/* Usage checks that need no object: a POSIX name that is not a
 * semaphore's file (sem.NAME).  0, or -1 with *errstr set. */
int shm_check_addr(const struct addr *a, const char **errstr);

/* Create exclusively (exist_ok: open an existing one instead, unchanged).
 * Sets *created.  A System V create stores the new id in o->id. */
int shm_create(struct shmobj *o, const struct addr *a, uint64_t size,
    mode_t mode, int exist_ok, int *created, const char **why);

/* Open for reading, or for writing too. */
int
shm_open_obj(struct shmobj *o, const struct addr *a, int rw, const char **why);
/* Open for stat and chmod only: a POSIX object is found by its path, not
 * opened, so its owner may stat and chmod it whatever its mode (as with
 * stat(1) and chmod(1)); a System V segment is found, not attached, so its
 * attach time, detach time and lpid stay as they were. */
int shm_open_meta(struct shmobj *o, const struct addr *a, const char **why);
/* Adopt a descriptor-backed object (memfd). */
void shm_from_fd(struct shmobj *o, const struct addr *a, int fd, int rw);
/* Re-read the size (another process may have changed it). */
int shm_refresh(struct shmobj *o);
void shm_close(struct shmobj *o);
/* Why an I/O call on the object failed with err where errno alone would
 * mislead (EPERM from a memfd seal: "sealed against writing"), or NULL. */
const char *shm_why(const struct shmobj *o, int err);

int shm_resize(struct shmobj *o, uint64_t size, const char **why);
/* Whether the object may grow to size: not past the capacity of SHM_DIR
 * (tmpfs takes a sparse size past it and fails the writes later), nor
 * past the largest file size.  0, or -1 with errno and *why set. */
int shm_check_size(struct shmobj *o, uint64_t size, const char **why);
int shm_chmod(struct shmobj *o, mode_t mode);
int shm_describe(struct shmobj *o, struct shmdesc *in);
/* Remove by address, without opening the object for I/O. */
int shm_remove(const struct addr *a, const char **why);

#endif
