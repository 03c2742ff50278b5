/* bench: the fork, the pinning, the timed loops and the figures, shared by
 * every mechanism (lib/bench.h). */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "ipclimits.h"
#include "msg.h"
#include "trace.h"
#include "trace_bench.h"
#include "trace_ring.h"

const struct bench_mech *const bench_mechs[BENCH_NMECHS + 1] = {
	&bench_pipe,
	&bench_fifo,
	&bench_unix,
	&bench_pmq,
	&bench_smq,
	&bench_eventfd,
	&bench_futex,
	&bench_psem,
	&bench_ssem,
	&bench_spin,
	NULL,
};

const struct bench_mech *
bench_find(const char *name)
{
	size_t i;

	for (i = 0; bench_mechs[i] != NULL; i++)
		if (strcmp(bench_mechs[i]->name, name) == 0)
			return bench_mechs[i];
	return NULL;
}

void
bench_placement(struct bench_place *pl)
{
	cpu_set_t set;
	int i, n = 0;

	pl->ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	pl->cpu[0] = pl->cpu[1] = -1;
	pl->nallowed = 0;
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return;
	pl->nallowed = CPU_COUNT(&set);
	for (i = 0; i < CPU_SETSIZE && n < 2; i++)
		if (CPU_ISSET(i, &set))
			pl->cpu[n++] = i;
	if (n == 1)
		pl->cpu[1] = pl->cpu[0];
	pl->shared = pl->cpu[0] == pl->cpu[1];
}

int
bench_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, c, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int
bench_read_all(int fd, void *p, size_t n)
{
	char *c = p;
	ssize_t r;

	while (n > 0) {
		if ((r = read(fd, c, n)) <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			if (r == 0)
				errno = EPIPE;
			return -1;
		}
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

int
bench_fd_send(struct bench_obj *o, int dir, const void *p, size_t n)
{
	return bench_write_all(o->fd[2 + dir], p, n);
}

int
bench_fd_recv(struct bench_obj *o, int dir, void *p, size_t n)
{
	return bench_read_all(o->fd[dir], p, n);
}

void
bench_fd_close(struct bench_obj *o)
{
	int i, j;

	for (i = 0; i < 4; i++) {
		if (o->fd[i] < 0)
			continue;
		t_close(o->fd[i]);
		/* One descriptor may serve two ends (a socket, an eventfd). */
		for (j = i + 1; j < 4; j++)
			if (o->fd[j] == o->fd[i])
				o->fd[j] = -1;
		o->fd[i] = -1;
	}
}

void *
bench_word(const struct bench_obj *o, int dir)
{
	return (char *)o->word + dir * 64;
}

int
bench_words_open(struct bench_obj *o, const char **why)
{
	(void)why;
	return (o->word = bench_shared(BENCH_WORDS)) == NULL ? -1 : 0;
}

void
bench_words_close(struct bench_obj *o)
{
	bench_unshare(o->word, BENCH_WORDS);
	o->word = NULL;
}

void *
bench_shared(size_t len)
{
	void *p = t_mmap_anon(len);

	return p == MAP_FAILED ? NULL : p;
}

void
bench_unshare(void *p, size_t len)
{
	if (p != NULL)
		t_munmap(p, len);
}

long
bench_limit(const char *path)
{
	uint64_t v;

	return ipclimits_read(path, &v, 1) == 0 ? (long)v : -1;
}

/* The run in progress, for the signal handler. */
static struct {
	const struct bench_mech *m;
	struct bench_obj *o;
	volatile sig_atomic_t child; /* its pid, or 0 */
	volatile sig_atomic_t ending; /* the child is expected to end */
	volatile sig_atomic_t reaped;
	int status;
} run;

static void
say(const char *s)
{
	(void)!write(STDERR_FILENO, s, strlen(s));
}

/* A signal, or the child's death when not expected: remove the objects,
 * stop the child, say why, and end. */
static void
on_signal(int sig)
{
	sigset_t set;
	int st;
	pid_t p;

	if (sig == SIGCHLD) {
		if (run.child == 0 ||
		    (p = waitpid((pid_t)run.child, &st, WNOHANG)) <= 0)
			return;
		run.reaped = 1;
		run.status = st;
		if (run.ending || (WIFEXITED(st) && WEXITSTATUS(st) == 0))
			return;
		/* ^C reaches both sides: the child's death by it is the
		 * user's interruption, not a failure. */
		if (WIFSIGNALED(st) &&
		    (WTERMSIG(st) == SIGINT || WTERMSIG(st) == SIGTERM ||
			WTERMSIG(st) == SIGHUP))
			sig = WTERMSIG(st);
	}
	trace_on = 0; /* no stdio from here */
	if (run.child != 0 && !run.reaped) {
		kill((pid_t)run.child, SIGKILL);
		waitpid((pid_t)run.child, NULL, 0);
	}
	if (run.m != NULL) {
		run.m->close(run.o);
		say(msg_applet());
		say(": ");
		say(run.m->name);
		say(sig == SIGCHLD ? ": the other side ended: stopped, "
				     "objects removed\n"
				   : ": interrupted: objects removed\n");
	}
	if (sig == SIGCHLD)
		_exit(EXIT_FAIL);
	/* Die of the signal, as without a handler. */
	sigemptyset(&set);
	sigaddset(&set, sig);
	signal(sig, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD };
#define NSIGS (sizeof(sigs) / sizeof(sigs[0]))

static void
handle_signals(void (*fn)(int))
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < NSIGS; i++)
		sigaction(sigs[i], &sa, NULL);
}

static void
block_signals(int how)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < NSIGS; i++)
		sigaddset(&set, sigs[i]);
	sigprocmask(how, &set, NULL);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* One side's view of a run. */
struct side {
	const struct bench_mech *m;
	struct bench_obj *o;
	unsigned char *slots; /* [dir][BENCH_SLOTS][size], shared */
	unsigned char *buf; /* this side's message */
	size_t size;
};

static unsigned char *
slot(const struct side *s, int dir, unsigned i)
{
	return s->slots +
	    ((size_t)dir * BENCH_SLOTS + i % BENCH_SLOTS) * s->size;
}

/* Message i in direction dir: its first and last bytes tell which, so
 * the receiver checks that the bytes came through. */
static int
put(const struct side *s, int dir, unsigned i)
{
	s->buf[0] = s->buf[s->size - 1] = (unsigned char)i;
	if (s->m->kind == BENCH_DATA)
		return s->m->send(s->o, dir, s->buf, s->size);
	memcpy(slot(s, dir, i), s->buf, s->size);
	return s->m->send(s->o, dir, NULL, 0);
}

static int
get(const struct side *s, int dir, unsigned i)
{
	if (s->m->kind == BENCH_DATA) {
		if (s->m->recv(s->o, dir, s->buf, s->size) != 0)
			return -1;
	} else {
		if (s->m->recv(s->o, dir, NULL, 0) != 0)
			return -1;
		memcpy(s->buf, slot(s, dir, i), s->size);
	}
	if (s->buf[0] != (unsigned char)i ||
	    s->buf[s->size - 1] != (unsigned char)i) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

/* n round trips; rtt (may be NULL) gets each one's time. */
static int
ping(const struct side *s, unsigned n, double *rtt)
{
	uint64_t t0;
	unsigned i;

	for (i = 0; i < n; i++) {
		t0 = now_ns();
		if (put(s, 0, 0) != 0 || get(s, 1, 0) != 0)
			return -1;
		if (rtt != NULL)
			rtt[i] = (double)(now_ns() - t0);
	}
	return 0;
}

static int
pong(const struct side *s, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (get(s, 0, 0) != 0 || put(s, 1, 0) != 0)
			return -1;
	return 0;
}

/* n messages one way, until the receiver has the last: a signal
 * mechanism's receiver answers each message (its slot is free again) and
 * the sender keeps BENCH_SLOTS in flight; a data mechanism's receiver
 * answers the last only.  *ns (may be NULL) gets the time. */
static int
stream_send(const struct side *s, unsigned n, uint64_t *ns)
{
	uint64_t t0 = now_ns();
	unsigned i, acks = 0;

	for (i = 0; i < n; i++) {
		if (s->m->kind == BENCH_SIGNAL && i >= BENCH_SLOTS) {
			if (s->m->recv(s->o, 1, NULL, 0) != 0)
				return -1;
			acks++;
		}
		if (put(s, 0, i) != 0)
			return -1;
	}
	if (s->m->kind == BENCH_DATA) {
		if (get(s, 1, n) != 0)
			return -1;
	} else
		for (; acks < n; acks++)
			if (s->m->recv(s->o, 1, NULL, 0) != 0)
				return -1;
	if (ns != NULL)
		*ns = now_ns() - t0;
	return 0;
}

static int
stream_recv(const struct side *s, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (get(s, 0, i) != 0)
			return -1;
		if (s->m->kind == BENCH_SIGNAL &&
		    s->m->send(s->o, 1, NULL, 0) != 0)
			return -1;
	}
	return s->m->kind == BENCH_DATA ? put(s, 1, n) : 0;
}

static int
pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return t_sched_setaffinity(cpu, &set);
}

/* The child: the other end of every loop, in the same order. */
static noreturn void
child(const struct side *s, const struct bench_conf *c)
{
	const char *what = "pin";
	unsigned r;
	size_t i;

	for (i = 0; i < NSIGS; i++)
		signal(sigs[i], SIG_DFL);
	block_signals(SIG_UNBLOCK);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(EXIT_FAIL);
	if (pin(c->place.cpu[1]) != 0)
		goto fail;
	what = "attach";
	if (s->m->attach != NULL && s->m->attach(s->o, 1) != 0)
		goto fail;
	what = "receive";
	for (r = 0; r < c->runs; r++)
		if (pong(s, c->warmup + c->rounds) != 0 ||
		    stream_recv(s, c->warmup) != 0 ||
		    stream_recv(s, c->rounds) != 0)
			goto fail;
	_exit(EXIT_DONE);
fail:
	msg_warn_e(s->m->name, "child: %s", what);
	_exit(EXIT_FAIL);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-quantile of v[0..n) (sorted here): the value below which q of
 * them lie (nearest rank). */
static double
quantile(double *v, size_t n, double q)
{
	size_t k;

	qsort(v, n, sizeof(*v), cmp_double);
	k = (size_t)(q * (double)n + 0.999999);
	if (k > 0)
		k--;
	return v[k < n ? k : n - 1];
}

/* The parent's loops: runs of round trips then a stream. */
static int
parent(const struct side *s, const struct bench_conf *c,
    struct bench_result *res, double *rtt, double *rate)
{
	uint64_t ns;
	unsigned r;

	if (s->m->attach != NULL && s->m->attach(s->o, 0) != 0)
		return -1;
	for (r = 0; r < c->runs; r++) {
		if (ping(s, c->warmup, NULL) != 0 ||
		    ping(s, c->rounds, rtt + (size_t)r * c->rounds) != 0 ||
		    stream_send(s, c->warmup, NULL) != 0 ||
		    stream_send(s, c->rounds, &ns) != 0)
			return -1;
		rate[r] = (double)c->rounds * 1e9 / (double)(ns ? ns : 1);
	}
	res->rtt_median = quantile(rtt, (size_t)c->runs * c->rounds, 0.5);
	res->rtt_p99 = quantile(rtt, (size_t)c->runs * c->rounds, 0.99);
	res->msgs = quantile(rate, c->runs, 0.5);
	res->mibs = res->msgs * (double)s->size / (1024.0 * 1024.0);
	return 0;
}

int
bench_run(const struct bench_mech *m, const struct bench_conf *c,
    struct bench_result *res, const char **why)
{
	struct bench_obj o;
	struct side s = { m, &o, NULL, NULL, c->size };
	size_t slots_len = 2 * BENCH_SLOTS * c->size;
	double *rtt = NULL, *rate = NULL;
	int rc = -1, e = 0, st;
	pid_t pid;

	*why = NULL;
	memset(&o, 0, sizeof(o));
	o.fd[0] = o.fd[1] = o.fd[2] = o.fd[3] = -1;
	o.id = -1;
	o.size = c->size;
	o.shared = c->place.shared;
	rtt = calloc((size_t)c->runs * c->rounds, sizeof(*rtt));
	rate = calloc(c->runs, sizeof(*rate));
	s.buf = calloc(1, c->size);
	if (rtt == NULL || rate == NULL || s.buf == NULL)
		goto out;
	if (m->kind == BENCH_SIGNAL &&
	    (s.slots = bench_shared(slots_len)) == NULL)
		goto out;
	/* From the first object made to the last removed, a signal or the
	 * child's death removes them. */
	run.m = NULL;
	run.o = &o;
	run.child = 0;
	run.ending = run.reaped = 0;
	/* A side that is gone is EPIPE, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	handle_signals(on_signal);
	block_signals(SIG_BLOCK);
	if (m->open(&o, why) != 0) {
		e = errno;
		block_signals(SIG_UNBLOCK);
		errno = e;
		goto out;
	}
	run.m = m;
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		e = errno;
		goto removed;
	}
	if (pid == 0)
		child(&s, c);
	run.child = pid;
	block_signals(SIG_UNBLOCK);
	if (pin(c->place.cpu[0]) != 0 || parent(&s, c, res, rtt, rate) != 0) {
		e = errno;
		*why = errno == EBADMSG ? "a message arrived changed" : NULL;
		run.ending = 1;
		kill(pid, SIGKILL);
	}
	run.ending = 1;
	/* The child ends after its last answer. */
	block_signals(SIG_BLOCK);
	if (!run.reaped) {
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		run.status = st;
		run.reaped = 1;
	}
	if (e == 0 && !(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 0))
		e = ECHILD;
	run.child = 0;
removed:
	m->close(&o);
	run.m = NULL;
	block_signals(SIG_UNBLOCK);
	rc = e == 0 ? 0 : -1;
	errno = e;
out:
	e = errno;
	if (s.slots != NULL)
		bench_unshare(s.slots, slots_len);
	free(rtt);
	free(rate);
	free(s.buf);
	free(o.buf); /* a mechanism's own buffer (close may not free) */
	errno = e;
	return rc;
}
