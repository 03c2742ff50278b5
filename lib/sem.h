/* sem: a semaphore, POSIX named (sem_open(3), /dev/shm/sem.NAME) or one
 * index of a System V set (key:, id:, ftok:), behind one interface, the
 * way shm.h does it for shared memory.
 *
 * Functions return 0, or -1 with errno set; callers name the object and
 * the verb in the message.  Where errno alone would mislead, *why (when
 * not NULL) is set to a fuller reason.  EAGAIN means "timed out" or
 * "would block"; EINTR means a signal arrived and *stop was set.
 *
 * A POSIX semaphore has one value (index 0); a System V set has nsems.
 */
#ifndef IPCBOX_SEM_H
#define IPCBOX_SEM_H

#include <semaphore.h>
#include <signal.h>
#include <sys/sem.h>
#include <sys/types.h>
#include <time.h>

#include "addr.h"

/* The largest values: SEM_VALUE_MAX for POSIX, SEMVMX for System V. */
#define SEMOBJ_POSIX_MAX 2147483647U
#define SEMOBJ_SYSV_MAX 32767U
/* The most semaphores a System V set has (sem_num is an unsigned short). */
#define SEMOBJ_NSEMS_MAX 65535
/* glibc keeps "/name" as /dev/shm/sem.name: four bytes of NAME_MAX go. */
#define SEMOBJ_NAME_MAX (NAME_MAX - 4)
#define SEMOBJ_DIR "/dev/shm"

struct semobj {
	struct addr addr;
	sem_t *sem; /* POSIX: the mapping sem_open made, else NULL */
	int id; /* System V: the set's id, else -1 */
};

/* One index of a System V set, as get --all prints it. */
struct semstate {
	int value;
	int ncnt; /* processes waiting for the value to grow */
	int zcnt; /* processes waiting for it to be zero */
	pid_t pid; /* the last process that changed it */
};

/* The largest value the object's kind holds. */
unsigned semobj_max(const struct addr *a);

/* Usage checks that need no object: a POSIX name short enough for
 * sem_open(3).  0, or -1 with *errstr set. */
int semobj_check_addr(const struct addr *a, const char **errstr);

/* Create exclusively, with exactly mode (no umask), and values[i] in
 * each of the nsems semaphores (POSIX: nsems is 1).  exist_ok: open an
 * existing one instead, unchanged, once its creator has initialised it.
 * Sets *created.  A System V set is initialised by one semop(2), which
 * also sets its sem_otime: openers wait for that, so none sees a set
 * whose values are not yet in place. */
int semobj_create(struct semobj *o, const struct addr *a, int nsems,
    const unsigned *values, mode_t mode, int exist_ok, int *created,
    const char **why);

int semobj_open(struct semobj *o, const struct addr *a, const char **why);
void semobj_close(struct semobj *o);

/* Add count to index idx.  Fails, with nothing changed, when the value
 * would pass semobj_max().  undo: SEM_UNDO (System V). */
int semobj_post(struct semobj *o, int idx, unsigned count, int undo,
    const char **why);

/* Take count from index idx: timeout NULL waits for ever, a zero one
 * does not wait.  A POSIX semaphore is taken one at a time, and what was
 * taken is given back when the rest cannot be; a System V one in one
 * semop(2).  A signal handler's run restarts the wait unless *stop (when
 * stop is not NULL) is set, which fails with EINTR. */
int semobj_wait(struct semobj *o, int idx, unsigned count,
    const struct timespec *timeout, int undo, volatile sig_atomic_t *stop,
    const char **why);

int semobj_get(struct semobj *o, int idx, int *value, const char **why);
/* System V: every index's state; *st is allocated. */
int
semobj_state(struct semobj *o, struct semstate **st, int *n, const char **why);
int semobj_set(struct semobj *o, int idx, int value, const char **why);

/* System V: one atomic semop(2) of n operations, as semobj_wait waits. */
int semobj_op(struct semobj *o, struct sembuf *ops, size_t n,
    const struct timespec *timeout, volatile sig_atomic_t *stop,
    const char **why);

/* Remove by address. */
int semobj_remove(const struct addr *a, const char **why);

#endif
