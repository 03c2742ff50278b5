/* trace_bench: the set-up calls of ipcbench's mechanisms (lib/bench.h)
 * that no other applet makes, traced as the others are:
 *
 *   pipe2([3, 4], O_CLOEXEC) = 0
 *   mkfifo("/tmp/ipcbench.Yx2kQa/0", 0600) = 0
 *   socketpair(AF_UNIX, SOCK_STREAM, 0, [5, 6]) = 0
 *   mmap(NULL, 128, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7f0c2e1f3000
 *   sem_init(0x7f0c2e1f3000, 1, 0) = 0
 *   sched_setaffinity(0, [1]) = 0
 *
 * Every wrapper keeps the errno of the call it wraps.
 */
#ifndef IPCBOX_TRACE_BENCH_H
#define IPCBOX_TRACE_BENCH_H

#include <sched.h>
#include <semaphore.h>
#include <stddef.h>
#include <sys/types.h>

int t_pipe2(int fd[2], int flags);
int t_mkfifo(const char *path, mode_t mode);
char *t_mkdtemp(char *tmpl);
int t_rmdir(const char *path);
int t_socketpair(int domain, int type, int proto, int fd[2]);
/* A shared anonymous mapping that a fork shares: MAP_FAILED on error. */
void *t_mmap_anon(size_t len);
int t_sem_init(sem_t *sem, int pshared, unsigned value);
/* This process onto one CPU, printed as that CPU. */
int t_sched_setaffinity(int cpu, const cpu_set_t *set);

#endif
