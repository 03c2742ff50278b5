/* pingpong: the peer of ipcbench's pipe figure (bench/ipcbench.sh,
 * tests/ipcbench.bats), written apart from it: two pipes, a fork, SIZE-byte
 * messages sent back and forth ROUNDS times after ROUNDS/10 untimed ones,
 * parent and child pinned to the first two CPUs allowed (one CPU: both on
 * it), each round trip timed with CLOCK_MONOTONIC.  Prints the median
 * round trip in nanoseconds.
 *
 *   pingpong ROUNDS [SIZE]      (SIZE defaults to 100)
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void
pin(int nth)
{
	cpu_set_t all, one;
	int i, k = 0, last = -1;

	if (sched_getaffinity(0, sizeof(all), &all) != 0)
		return;
	for (i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, &all))
			continue;
		last = i;
		if (k++ == nth)
			break;
	}
	CPU_ZERO(&one);
	CPU_SET(last, &one);
	sched_setaffinity(0, sizeof(one), &one);
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The whole of n bytes, or exit. */
static void
xfer(int rd, int fd, char *m, size_t n)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = rd ? read(fd, m + done, n - done)
		       : write(fd, m + done, n - done);
		if (r <= 0)
			_exit(1);
		done += (size_t)r;
	}
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000, warm, a[2], b[2], i;
	size_t size = argc > 2 ? (size_t)atol(argv[2]) : 100;
	char *m = calloc(1, size);
	double *t = calloc((size_t)n, sizeof(double));
	struct timespec t0, t1;

	if (n < 1 || size < 1 || m == NULL || t == NULL || pipe(a) != 0 ||
	    pipe(b) != 0)
		return 1;
	warm = n / 10;
	if (fork() == 0) {
		pin(1);
		for (i = 0; i < warm + n; i++) {
			xfer(1, a[0], m, size);
			xfer(0, b[1], m, size);
		}
		_exit(0);
	}
	pin(0);
	for (i = 0; i < warm + n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		xfer(0, a[1], m, size);
		xfer(1, b[0], m, size);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (i >= warm)
			t[i - warm] = (double)(t1.tv_sec - t0.tv_sec) * 1e9 +
			    (double)(t1.tv_nsec - t0.tv_nsec);
	}
	qsort(t, (size_t)n, sizeof(double), cmp);
	printf("%.0f\n", t[n / 2]);
	return 0;
}
