/* ts: the arithmetic of a wait with a timeout (sem, mq): a deadline, the
 * time left until it, and the zero timeout that means "do not wait". */
#ifndef IPCBOX_TS_H
#define IPCBOX_TS_H

#include <time.h>

/* a += b. */
void ts_add(struct timespec *a, const struct timespec *b);
/* now on clock + t, into end. */
void
ts_deadline(clockid_t clock, const struct timespec *t, struct timespec *end);
/* What is left until end (CLOCK_MONOTONIC): 1, or 0 when it has passed. */
int ts_left(const struct timespec *end, struct timespec *left);
/* t is given and zero. */
int ts_zero(const struct timespec *t);

#endif
