/* ts: timeouts. */
#include "ts.h"

void
ts_add(struct timespec *a, const struct timespec *b)
{
	a->tv_sec += b->tv_sec;
	a->tv_nsec += b->tv_nsec;
	if (a->tv_nsec >= 1000000000L) {
		a->tv_sec++;
		a->tv_nsec -= 1000000000L;
	}
}

void
ts_deadline(clockid_t clock, const struct timespec *t, struct timespec *end)
{
	clock_gettime(clock, end);
	ts_add(end, t);
}

int
ts_left(const struct timespec *end, struct timespec *left)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	left->tv_sec = end->tv_sec - now.tv_sec;
	left->tv_nsec = end->tv_nsec - now.tv_nsec;
	if (left->tv_nsec < 0) {
		left->tv_sec--;
		left->tv_nsec += 1000000000L;
	}
	return left->tv_sec > 0 || (left->tv_sec == 0 && left->tv_nsec > 0);
}

int
ts_zero(const struct timespec *t)
{
	return t != NULL && t->tv_sec == 0 && t->tv_nsec == 0;
}
