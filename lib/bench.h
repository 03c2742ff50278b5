/* bench: the ipcbench engine.  Two processes (fork), each pinned to a CPU
 * of its own when there are two, pass messages through one mechanism and
 * time it: ping-pong round trips (median and p99) and a one-way stream
 * (messages a second).
 *
 * A mechanism is one short file, lib/bench_NAME.c, and one struct
 * bench_mech: it makes its objects before the fork (through the trace
 * wrappers, so --trace shows them), then moves messages with the raw
 * calls (a traced call in the timed loop would time the trace).
 *
 * Two directions: 0 from the parent to the child, 1 back.  A mechanism
 * that carries data (BENCH_DATA) sends and receives the MSGSIZE bytes
 * itself; one that only signals (BENCH_SIGNAL) posts and waits a count,
 * and the engine copies the payload through shared memory slots next to
 * it, so that every mechanism moves the same bytes.  A signal's post and
 * wait count, as a semaphore does: k posts allow k waits.
 *
 * Every object is removed on every way out: the normal end, an error,
 * SIGINT, SIGTERM, SIGHUP and the child's death (bench_run's handler
 * removes them and exits).
 */
#ifndef IPCBOX_BENCH_H
#define IPCBOX_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BENCH_MAXSIZE (1024 * 1024) /* the largest MSGSIZE */
#define BENCH_SLOTS 8 /* the stream's window: messages in flight */

enum { BENCH_DATA, BENCH_SIGNAL };

/* One mechanism's objects: each file uses the fields it needs. */
struct bench_obj {
	int fd[4]; /* descriptors: [dir] to read, [2 + dir] to write */
	long id; /* a System V id, or -1 */
	void *word; /* shared counters (futex, spin, semaphores) */
	char path[2][256]; /* a fifo's paths */
	char dir[248]; /* their private directory, or "" */
	size_t size; /* MSGSIZE */
	int shared; /* both sides on one CPU: a spinner yields it */
	void *buf; /* a mechanism's own message buffer (System V) */
};

struct bench_mech {
	const char *name; /* for -m */
	const char *what; /* one line, for --help and the table */
	int kind; /* BENCH_DATA or BENCH_SIGNAL */
	/* Before the fork, in the parent: make the objects.  0, or -1
	 * with *why (NULL: strerror(errno)). */
	int (*open)(struct bench_obj *o, const char **why);
	/* After the fork, in each side (side 0 the parent): what must be
	 * done there (a fifo is opened on both sides).  NULL: nothing. */
	int (*attach)(struct bench_obj *o, int side);
	/* Send or receive one message in direction dir (BENCH_DATA), or
	 * post or wait once (BENCH_SIGNAL: p is NULL).  0, or -1 with
	 * errno.  Raw calls: no trace. */
	int (*send)(struct bench_obj *o, int dir, const void *p, size_t n);
	int (*recv)(struct bench_obj *o, int dir, void *p, size_t n);
	/* Remove what open made: on every way out, so it is safe to call
	 * from a signal handler (no stdio, no malloc) and more than once. */
	void (*close)(struct bench_obj *o);
};

extern const struct bench_mech bench_pipe, bench_fifo, bench_unix, bench_pmq,
    bench_smq, bench_eventfd, bench_futex, bench_psem, bench_ssem, bench_spin;

/* Every mechanism, in the table's order; NULL-terminated. */
#define BENCH_NMECHS 10
extern const struct bench_mech *const bench_mechs[BENCH_NMECHS + 1];
const struct bench_mech *bench_find(const char *name);

/* Where the two sides run. */
struct bench_place {
	int ncpu; /* CPUs online */
	int nallowed; /* CPUs this process may use */
	int cpu[2]; /* the parent's and the child's, or -1: not pinned */
	int shared; /* both on one CPU */
};
void bench_placement(struct bench_place *pl);

struct bench_conf {
	size_t size; /* MSGSIZE */
	unsigned rounds; /* timed round trips and stream messages a run */
	unsigned warmup; /* untimed rounds before each run */
	unsigned runs; /* repeated runs */
	struct bench_place place;
};

struct bench_result {
	double rtt_median, rtt_p99; /* ns, over every timed round trip */
	double msgs; /* one-way messages a second: the median of the runs */
	double mibs; /* msgs times MSGSIZE, in MiB a second */
};

/* Run mechanism m: 0, or -1 with *why set (a reason to print; NULL:
 * strerror(errno)).  Exits (1) itself only on a signal or the child's
 * death, after removing the objects and saying why. */
int bench_run(const struct bench_mech *m, const struct bench_conf *c,
    struct bench_result *r, const char **why);

/* For the mechanisms: the whole of n bytes through a descriptor (short
 * reads and writes continued; EOF is EPIPE). */
int bench_write_all(int fd, const void *p, size_t n);
int bench_read_all(int fd, void *p, size_t n);
/* The shared word for a signal mechanism's counters: 2 directions, each
 * on its own cache line; made by open with bench_shared. */
void *bench_shared(size_t len);
void bench_unshare(void *p, size_t len);
/* A descriptor mechanism's send and recv: the n bytes written to
 * fd[2 + dir], read from fd[dir]; its close: each descriptor closed. */
int bench_fd_send(struct bench_obj *o, int dir, const void *p, size_t n);
int bench_fd_recv(struct bench_obj *o, int dir, void *p, size_t n);
void bench_fd_close(struct bench_obj *o);
/* Direction dir's word in o->word (each on a cache line of its own). */
void *bench_word(const struct bench_obj *o, int dir);
#define BENCH_WORDS 128 /* bytes of o->word: two 64-byte lines */
/* open and close of a mechanism whose objects are only o->word. */
int bench_words_open(struct bench_obj *o, const char **why);
void bench_words_close(struct bench_obj *o);
/* A kernel limit from /proc/sys (kernel.msgmax): its value, or -1. */
long bench_limit(const char *path);

#endif
