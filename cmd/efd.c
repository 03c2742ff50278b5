/* efd: eventfd counters from the shell. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "applets.h"
#include "cli.h"
#include "cols.h"
#include "fdarg.h"
#include "msg.h"
#include "parse.h"
#include "run.h"
#include "proc.h"
#include "table.h"
#include "trace.h"
#include "trace_fd.h"

#define ACCEPT (ADDR_ACCEPT_FD | ADDR_ACCEPT_STORE)
#define COUNT_MAX (UINT64_MAX - 1) /* the largest an eventfd holds */

static uint64_t
count_arg(const char *what, const char *text, uint64_t min)
{
	const char *errstr;
	uint64_t v;

	if (parse_u64(text, min, COUNT_MAX, &v, &errstr) != 0)
		cli_bad_value(what, text, errstr);
	return v;
}

/* A new eventfd with counter init, or exit 1. */
static int
make_efd(uint64_t init, int flags)
{
	/* eventfd(2) takes an unsigned int: a larger start is written. */
	int fd = t_eventfd(init <= UINT_MAX ? (unsigned)init : 0, flags);

	if (fd < 0)
		msg_die_e(EXIT_FAIL, NULL, "eventfd");
	if (init > UINT_MAX && t_efd_write(fd, init) < 0)
		msg_die_e(EXIT_FAIL, NULL, "eventfd");
	return fd;
}

static int
do_new(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "semaphore", no_argument, NULL, 's' },
		{ "fd", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c;
	const char *init_text = NULL, *fd_text = NULL;
	uint64_t init = 0;
	int ch, flags = EFD_CLOEXEC, target = 3;

	cli_init(&c, argc, argv, "c:", lopts, CLI_CMD);
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 'c')
			init_text = optarg;
		else if (ch == 's')
			flags |= EFD_SEMAPHORE;
		else if (ch == 'F')
			fd_text = optarg;
	}
	cli_operands(&c, 0, 0);
	if (c.ncmd == 0)
		cli_usage(NULL, "missing CMD after '--'");
	if (init_text != NULL)
		init = count_arg("count", init_text, 0);
	if (fd_text != NULL)
		target = fd_target_or_die(fd_text);
	run_exec_at(make_efd(init, flags), target, c.cmd);
}

/* create @name: a new eventfd straight into the fd store. */
static int
do_create(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "semaphore", no_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "replace", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	struct addr a;
	struct cli c;
	const char *init_text = NULL;
	uint64_t init = 0;
	mode_t mode = 0600;
	int ch, flags = EFD_CLOEXEC, replace = 0;

	cli_init(&c, argc, argv, "c:m:", lopts, 0);
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 'c')
			init_text = optarg;
		else if (ch == 's')
			flags |= EFD_SEMAPHORE;
		else if (ch == 'm')
			mode = fdstore_mode_or_die(optarg);
		else if (ch == 'R')
			replace = 1;
	}
	cli_operands(&c, 1, 1);
	addr_parse_or_die(c.ops[0], ADDR_ACCEPT_STORE, &a);
	if (init_text != NULL)
		init = count_arg("count", init_text, 0);
	fdstore_put_or_die(&a, make_efd(init, flags), mode, replace);
	return EXIT_DONE;
}

static int
do_signal(int argc, char **argv)
{
	struct addr a;
	struct cli c;
	const char *n_text = NULL;
	uint64_t n = 1;
	ssize_t r;
	int ch, fd;

	cli_init(&c, argc, argv, "n:", NULL, 0);
	while ((ch = cli_next(&c)) != -1)
		n_text = optarg;
	cli_operands(&c, 1, 1);
	if (n_text != NULL)
		n = count_arg("count", n_text, 1);
	addr_parse_or_die(c.ops[0], ACCEPT, &a);
	fd = fdaddr_open_or_die(&a, FD_EVENTFD, 1);
	/* Blocks while the counter would overflow, as write(2) does. */
	while ((r = t_efd_write(fd, n)) < 0 && errno == EINTR)
		;
	if (r < 0 && errno == EAGAIN)
		msg_die(EXIT_TIMEOUT, a.text, "the counter would overflow");
	if (r < 0)
		msg_die_e(EXIT_FAIL, a.text, "%s", "");
	return EXIT_DONE;
}

static int
do_get(int argc, char **argv)
{
	struct proc_fdinfo fi;
	struct addr a;
	struct cli c;
	char path[64];
	int fd, info;

	cli_init(&c, argc, argv, "", NULL, 0);
	while (cli_next(&c) != -1)
		;
	cli_operands(&c, 1, 1);
	addr_parse_or_die(c.ops[0], ACCEPT, &a);
	fd = fdaddr_open_or_die(&a, FD_EVENTFD, 0);
	/* The counter, read without consuming it. */
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	info = t_open_proc(path, O_RDONLY | O_CLOEXEC);
	if (info < 0 || proc_fdinfo_parse(info, &fi) != 0)
		msg_die_e(EXIT_FAIL, a.text, "%s", path);
	t_close(info);
	if (!fi.eventfd)
		msg_die(EXIT_FAIL, a.text, "%s has no eventfd-count", path);
	printf("%" PRIu64 "\n", fi.efd_count);
	return EXIT_DONE;
}

/* wait: -f ends on one of these (exit 0). */
static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
}

static int
write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR && !got_signal)
			continue;
		if (w < 0)
			return -1;
		s += w, n -= w;
	}
	return 0;
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* epoll's timeout in ms until deadline (rounded up), -1 for none. */
static int
ms_left(int64_t deadline)
{
	int64_t left;

	if (deadline < 0)
		return -1;
	left = deadline - now_ns();
	if (left <= 0)
		return 0;
	left = (left + 999999) / 1000000;
	return left > INT_MAX ? INT_MAX : (int)left;
}

struct waiter {
	int n; /* EFDs */
	struct addr *as;
	int *fds;
	int follow;
	int watch_stdout; /* fd 1 is in the epoll set (ERR/HUP only) */
	const char *t_text; /* -t as the user wrote it, for the message */
	sigset_t block; /* follow: the signals that end it */
	sigset_t run_mask; /* and the mask without them */
};

/* Follow mode: SIGINT, SIGTERM and SIGHUP end it (caught, without
 * SA_RESTART, so that a write blocked on a full pipe ends too); a reader
 * that went away ends it as well (EPIPE, not SIGPIPE). */
static void
follow_signals(struct waiter *w)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&w->block);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&w->block, sigs[i]);
	}
	signal(SIGPIPE, SIG_IGN);
	sigprocmask(SIG_SETMASK, NULL, &w->run_mask);
	sigdelset(&w->run_mask, SIGINT);
	sigdelset(&w->run_mask, SIGTERM);
	sigdelset(&w->run_mask, SIGHUP);
}

/* Read and print one ready EFD: 1 when a value was read, 0 when another
 * reader took it first, -1 when stdout is gone (follow mode). */
static int
consume(struct waiter *w, int i)
{
	char line[64 + PATH_MAX];
	uint64_t v;
	ssize_t r;
	int n;

	while ((r = t_efd_read_nowait(w->fds[i], &v)) < 0 && errno == EINTR)
		;
	if (r < 0 && errno == EAGAIN)
		return 0;
	if (r < 0)
		msg_die_e(EXIT_FAIL, w->as[i].text, "%s", "");
	if (w->n == 1)
		n = snprintf(line, sizeof(line), "%" PRIu64 "\n", v);
	else
		n = snprintf(line, sizeof(line), "%s %" PRIu64 "\n",
		    w->as[i].text, v);
	if (write_all(STDOUT_FILENO, line, (size_t)n) == 0)
		return 1;
	if (w->follow && (errno == EPIPE || got_signal))
		return -1;
	msg_die_e(EXIT_FAIL, "stdout",
	    "write error (%s read %" PRIu64 " from %s)", msg_verb(), v,
	    w->as[i].text);
}

static int
wait_loop(struct waiter *w, int ep, const struct timespec *timeout)
{
	struct epoll_event *evs = xcalloc(w->n + 1, sizeof(*evs));
	int64_t span = timeout
	    ? (int64_t)timeout->tv_sec * 1000000000 + timeout->tv_nsec
	    : -1;
	int64_t deadline = span >= 0 ? now_ns() + span : -1;
	char *ready = xcalloc(w->n, 1);
	int done = 0;

	while (!done) {
		int r, i, k, got = 0;

		/* A signal that came before the wait is seen here; one that
		 * comes during it ends the wait (epoll_pwait unblocks them
		 * for its duration only). */
		if (w->follow)
			sigprocmask(SIG_BLOCK, &w->block, NULL);
		if (got_signal)
			break;
		r = t_epoll_pwait(ep, evs, w->n + 1, ms_left(deadline),
		    w->follow ? &w->run_mask : NULL);
		if (w->follow)
			sigprocmask(SIG_UNBLOCK, &w->block, NULL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			msg_die_e(EXIT_FAIL, NULL, "epoll_pwait");
		if (r == 0) {
			if (deadline >= 0 && ms_left(deadline) > 0)
				continue;
			/* As the user wrote it, as semctl says it. */
			msg_die(EXIT_TIMEOUT, w->n == 1 ? w->as[0].text : NULL,
			    "timed out after %s", w->t_text);
		}
		memset(ready, 0, w->n);
		for (k = 0; k < r; k++) {
			if (w->watch_stdout && evs[k].data.fd == STDOUT_FILENO)
				done = 1; /* the reader went away */
			for (i = 0; i < w->n; i++)
				if (w->fds[i] == evs[k].data.fd)
					ready[i] = 1;
		}
		/* In the order given, so that a busy EFD cannot hide the
		 * others; without -f, the first one read is the answer. */
		for (i = 0; i < w->n && !done; i++) {
			if (!ready[i])
				continue;
			k = consume(w, i);
			done = k < 0 || (k > 0 && !w->follow);
			got += k > 0;
		}
		if (got > 0 && span >= 0)
			deadline = now_ns() +
			    span; /* -f: TIMEOUT is idle time */
	}
	free(ready);
	free(evs);
	return EXIT_DONE;
}

static int
same_addr(const struct addr *x, const struct addr *y)
{
	return x->kind == y->kind && x->fd == y->fd && x->pid == y->pid &&
	    strcmp(x->name, y->name) == 0;
}

static int
do_wait(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "follow", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct waiter w;
	struct timespec timeout;
	struct cli c;
	const char *t_text = NULL, *errstr;
	int ch, i, j, pass, ep, rc;

	memset(&w, 0, sizeof(w));
	cli_init(&c, argc, argv, "t:f", lopts, 0);
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 't')
			t_text = optarg;
		else if (ch == 'f')
			w.follow = 1;
	}
	cli_operands(&c, 1, -1);
	if (t_text != NULL && parse_time(t_text, &timeout, &errstr) != 0)
		cli_bad_value("timeout", t_text, errstr);
	w.n = c.nops;
	w.as = xcalloc(w.n, sizeof(*w.as));
	w.fds = xcalloc(w.n, sizeof(int));
	for (i = 0; i < w.n; i++) {
		addr_parse_or_die(c.ops[i], ACCEPT, &w.as[i]);
		for (j = 0; j < i; j++)
			if (same_addr(&w.as[i], &w.as[j]))
				cli_usage(w.as[i].text, "named twice");
	}
	/* Inherited descriptors first: a descriptor taken from another
	 * process or the fd store must not land on a number the user
	 * named. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < w.n; i++)
			if ((w.as[i].kind != ADDR_FD) == pass)
				w.fds[i] = fdaddr_open_or_die(&w.as[i],
				    FD_EVENTFD, 0);
	for (i = 0; i < w.n; i++)
		for (j = 0; j < i; j++)
			if (w.fds[i] == w.fds[j])
				cli_usage(w.as[i].text,
				    "the same descriptor "
				    "as %s",
				    w.as[j].text);
	ep = t_epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		msg_die_e(EXIT_FAIL, NULL, "epoll_create1");
	for (i = 0; i < w.n; i++) {
		struct epoll_event ev = { .events = EPOLLIN };

		ev.data.fd = w.fds[i];
		if (t_epoll_ctl(ep, EPOLL_CTL_ADD, w.fds[i], &ev) != 0)
			msg_die_e(EXIT_FAIL, w.as[i].text, "epoll_ctl");
	}
	if (w.follow) {
		struct epoll_event ev = { .events = 0 };

		/* EPOLLERR on a pipe whose reader is gone: EOF on stdout.
		 * Files cannot be watched (EPERM): a failed write ends. */
		ev.data.fd = STDOUT_FILENO;
		w.watch_stdout = t_epoll_ctl(ep, EPOLL_CTL_ADD, STDOUT_FILENO,
				     &ev) == 0;
		follow_signals(&w);
	}
	w.t_text = t_text;
	rc = wait_loop(&w, ep, t_text ? &timeout : NULL);
	t_close(ep);
	free(w.fds);
	free(w.as);
	return rc;
}

static const int cols[] = { IC_PID, IC_COMMAND, IC_FD, IC_COUNT, IC_SEMAPHORE,
	IC_ID, IC_ADDRESS };

static const struct ipccol_help help[] = {
	{ IC_ID, "eventfd id: the same id is the same eventfd" },
};

static const int ls_defaults[] = { IC_PID, IC_COMMAND, IC_FD, IC_COUNT,
	IC_SEMAPHORE, IC_ID };

static const struct ipcview ls_view = {
	.name = "eventfds",
	IPCVIEW_ARRAYS(cols, help, ls_defaults),
	.types = IPC_T(IPC_EVENTFD),
	.style = IPCVIEW_FDROWS,
};

static int
do_ls(int argc, char **argv)
{
	return ipccols_ls(argc, argv, &ls_view);
}

static const struct verb verbs[] = {
	{ "new", NULL, do_new,
	    "new [-c INIT] [--semaphore] [--fd N] -- CMD [ARG...]",
	    "make an eventfd (counter INIT, default 0) and run CMD with it "
	    "at fd N (default 3)" },
	{ "create", NULL, do_create,
	    "create @NAME [-c INIT] [--semaphore] [-m MODE] [--replace] "
	    "[-S SOCKET]",
	    "make an eventfd and put it in the fd store under NAME (mode "
	    "default 0600)" },
	{ "signal", NULL, do_signal, "signal EFD [-n N] [-S SOCKET]",
	    "add N (default 1, up to 18446744073709551614) to the counter" },
	{ "wait", NULL, do_wait, "wait EFD... [-t TIMEOUT] [-f] [-S SOCKET]",
	    "wait for a non-zero counter, consume it and print the value "
	    "read;\n      several EFDs: the first to fire, as 'EFD VALUE'; "
	    "-f: every event until\n      EOF on stdout, a signal, or "
	    "TIMEOUT without an event" },
	{ "get", NULL, do_get, "get EFD [-S SOCKET]",
	    "print the counter without consuming it" },
	{ "ls", NULL, do_ls, "ls [--json] [--raw] [-n] [-o COLS]",
	    "list every eventfd of every process this user may see" },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct applet efd_applet = {
	"efd",
	"eventfd counters",
	verbs,
	"Eventfds (EFD):\n"
	"  N, fd:N            descriptor N of this process (inherited)\n"
	"  pid:PID:N          descriptor N of process PID (pidfd_getfd: "
	"needs ptrace access)\n"
	"  @NAME              the eventfd the fd store holds under NAME "
	"(see fdstore(1);\n"
	"                     -S SOCKET: the store's socket)\n"
	"Timeouts: 1.5, 250ms, 2s, 1m.  Exit 3: timed out.\n",
	efd_main,
};

int
efd_main(int argc, char **argv)
{
	cli_store_socket();
	return applet_run(&efd_applet, argc, argv);
}
