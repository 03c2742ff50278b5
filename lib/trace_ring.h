/* trace_ring: the calls of a shared-memory ring (lib/ring.h), traced as
 * the others are:
 *
 *   mmap(NULL, 1052672, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7f1c2a400000
 *   futex(0x7f1c2a400048, FUTEX_WAIT, 17, {0, 250000000}) = -1 ETIMEDOUT
 *   futex(0x7f1c2a400048, FUTEX_WAKE, 1) = 1
 *
 * Every wrapper keeps the errno of the call it wraps.
 */
#ifndef IPCBOX_TRACE_RING_H
#define IPCBOX_TRACE_RING_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

void *t_mmap_shared(int fd, size_t len);
int t_munmap(void *p, size_t len);
/* FUTEX_WAIT on a shared word while it holds val, at most *rel. */
int t_futex_wait(uint32_t *word, uint32_t val, const struct timespec *rel);
/* FUTEX_WAKE of every waiter on a shared word. */
int t_futex_wake(uint32_t *word);

#endif
