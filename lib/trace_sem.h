/* trace_sem: traced wrappers for POSIX named and System V semaphores,
 * printed as the C calls with their results (see trace.h):
 *
 *   sem_open("/lock", O_CREAT|O_EXCL, 0600, 1) = 0x7f3a2c1d4000
 *   semop(32768, [{0, -1, SEM_UNDO}], 1) = 0
 *   sem_timedwait(0x7f3a2c1d4000, {tv_sec=1763877000, tv_nsec=0}) = -1 ETIMEDOUT (Connection timed out)
 *
 * Every wrapper keeps the errno of the call it wraps.
 */
#ifndef IPCBOX_TRACE_SEM_H
#define IPCBOX_TRACE_SEM_H

#include <semaphore.h>
#include <stddef.h>
#include <sys/sem.h>
#include <sys/types.h>
#include <time.h>

/* The fourth argument of semctl(2), which callers must define. */
union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
	struct seminfo *info;
};

/* POSIX named semaphores.  sem_open's mode and value are printed only
 * with O_CREAT, as a C caller would pass them. */
sem_t *t_sem_open(const char *name, int oflag, mode_t mode, unsigned value);
int t_sem_close(sem_t *sem);
int t_sem_unlink(const char *name);
int t_sem_post(sem_t *sem);
int t_sem_wait(sem_t *sem);
int t_sem_trywait(sem_t *sem);
int t_sem_timedwait(sem_t *sem, const struct timespec *abstime);
int t_sem_getvalue(sem_t *sem, int *value);

/* The process umask, which sem_open(3) applies to the mode. */
mode_t t_umask(mode_t mask);

/* System V semaphore sets. */
int t_semget(key_t key, int nsems, int flags);
int t_semctl(int id, int num, int cmd, union semun arg);
/* GETALL or SETALL of a set of n semaphores, printed as the values. */
int t_semctl_all(int id, int cmd, unsigned short *array, int n);
int t_semop(int id, struct sembuf *ops, size_t n);
int t_semtimedop(int id, struct sembuf *ops, size_t n,
    const struct timespec *timeout);

#endif
