/* semctl: POSIX named semaphores and System V semaphore sets from the
 * shell, and `run`, which holds one while a command runs. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "addr.h"
#include "applets.h"
#include "cli.h"
#include "msg.h"
#include "parse.h"
#include "sem.h"
#include "table.h"
#include "trace.h"
#include "unlink.h"

#define ACCEPT (ADDR_ACCEPT_POSIX | ADDR_ACCEPT_SYSV)
#define NSEMS_MAX 65535
#define RUN_SYNOPSIS \
	"run SEM [-n COUNT] [-t TIMEOUT] [-i IDX] [--create VALUE " \
	"[-m MODE]] -- CMD [ARG...]"

/* --- Arguments ----------------------------------------------------- */

static void
sem_addr(const char *s, struct addr *a)
{
	const char *errstr;

	addr_parse_or_die(s, ACCEPT, a);
	if (semobj_check_addr(a, &errstr) != 0)
		cli_usage(s, "%s", errstr);
}

static unsigned
num_arg(const char *what, const char *s, unsigned min, unsigned max)
{
	const char *errstr;
	uint64_t v;

	if (parse_u64(s, min, max, &v, &errstr) != 0)
		cli_bad_value(what, s, errstr);
	return (unsigned)v;
}

static void
time_arg(const char *s, struct timespec *t)
{
	const char *errstr;

	if (parse_time(s, t, &errstr) != 0)
		cli_bad_value("timeout", s, errstr);
}

static mode_t
mode_arg(const char *s)
{
	const char *errstr;
	mode_t m;

	if (parse_mode(s, 0, &m, &errstr) != 0)
		cli_bad_value("mode", s, errstr);
	return m;
}

/* -i IDX, 0 when not given. */
static int
index_arg(const char *s)
{
	return s != NULL ? (int)num_arg("index", s, 0, NSEMS_MAX - 1) : 0;
}

/* Options and verbs that only System V sets take are usage errors on a
 * POSIX semaphore, which is one value. */
static void
sysv_only(const struct addr *a, const char *what)
{
	if (!addr_is_sysv(a))
		cli_usage(a->text,
		    "%s: System V sets only (a POSIX semaphore "
		    "is one value)",
		    what);
}

static void
no_index_on_posix(const struct addr *a, const char *idx_text)
{
	if (idx_text != NULL)
		sysv_only(a, "-i");
}

/* key:0 is IPC_PRIVATE: create makes a new private set with it, but it
 * names no existing one. */
static void
check_not_private(const struct addr *a)
{
	if (a->kind == ADDR_KEY && a->key == IPC_PRIVATE)
		cli_usage(a->text,
		    "key 0 (IPC_PRIVATE) names no set: use its id:");
}

/* A semaphore to remove: key:0 names none. */
static void
sem_rm_addr(const char *s, struct addr *a)
{
	sem_addr(s, a);
	check_not_private(a);
}

static void
open_or_die(struct semobj *o, const struct addr *a)
{
	const char *why = NULL;

	check_not_private(a);
	if (semobj_open(o, a, &why) != 0)
		msg_fail(a->text, why);
}

/* --- Signals: waits that stop cleanly, and run's forwarding -------- */

static const int caught[] = { SIGINT, SIGTERM, SIGHUP };
#define NCAUGHT (sizeof(caught) / sizeof(caught[0]))

static struct sigaction caught_old[NCAUGHT];
static volatile sig_atomic_t got_signal; /* before CMD runs */
static volatile pid_t child; /* run: CMD, while it runs */

static void
on_signal(int sig, siginfo_t *si, void *ctx)
{
	int e = errno;

	(void)ctx;
	if (child > 0) {
		/* What the terminal sends its foreground group reached CMD
		 * as well: pass on only what was sent to us. */
		if (si->si_code != SI_KERNEL)
			kill(child, sig);
	} else
		got_signal = sig;
	errno = e;
}

/* Catch SIGINT, SIGTERM and SIGHUP (those not ignored) without
 * SA_RESTART, so that a wait returns EINTR and gives back what it took. */
static void
catch_signals(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NCAUGHT; i++) {
		sigaction(caught[i], NULL, &caught_old[i]);
		if (caught_old[i].sa_handler != SIG_IGN)
			sigaction(caught[i], &sa, NULL);
	}
}

static void
restore_signals(void)
{
	size_t i;

	for (i = 0; i < NCAUGHT; i++)
		sigaction(caught[i], &caught_old[i], NULL);
}

/* End as the signal would have ended us. */
static noreturn void
die_of_signal(int sig)
{
	sigset_t s;

	restore_signals();
	signal(sig, SIG_DFL);
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	raise(sig);
	exit(128 + sig);
}

/* --- What post, wait, trywait, op and run share ------------------- */

/* SEM, -n COUNT, -i IDX and -t TIMEOUT. */
struct semargs {
	struct addr a;
	const char *count_text, *idx_text, *t_text;
	struct timespec t, *tp; /* tp: &t with -t, else NULL (no limit) */
	unsigned count;
	int idx;
};
#define SEMARGS_INIT \
	{ \
		.count_text = "1", .t_text = "0" \
	}

/* The options of post, wait and trywait; post and trywait take no
 * --timeout: theirs start after it. */
static const struct option count_lopts[] = {
	{ "timeout", required_argument, NULL, 't' },
	{ "count", required_argument, NULL, 'n' },
	{ "index", required_argument, NULL, 'i' },
	{ NULL, 0, NULL, 0 },
};

/* Keep one of those options; 0 when ch is none of them. */
static int
semargs_opt(struct semargs *s, int ch)
{
	if (ch == 'n')
		s->count_text = optarg;
	else if (ch == 'i')
		s->idx_text = optarg;
	else if (ch == 't') {
		s->t_text = optarg;
		time_arg(optarg, &s->t);
		s->tp = &s->t;
	} else
		return 0;
	return 1;
}

/* SEM, then -n COUNT and -i IDX, which its kind bounds. */
static void
sem_target(struct semargs *s, const char *sem)
{
	sem_addr(sem, &s->a);
	s->count = num_arg("count", s->count_text, 1, semobj_max(&s->a));
	no_index_on_posix(&s->a, s->idx_text);
	s->idx = index_arg(s->idx_text);
}

/* post, wait, trywait: SEM [-n COUNT] [-i IDX] [-t TIMEOUT], then open
 * SEM. */
static void
count_verb_args(struct semargs *s, struct semobj *o, int argc, char **argv,
    int timeout)
{
	struct cli c;
	int ch;

	cli_init(&c, argc, argv, timeout ? "n:i:t:" : "n:i:",
	    timeout ? count_lopts : count_lopts + 1, 0);
	while ((ch = cli_next(&c)) != -1)
		semargs_opt(s, ch);
	cli_operands(&c, 1, 1);
	sem_target(s, c.ops[0]);
	open_or_die(o, &s->a);
}

/* A wait or semop failed: a signal ends us as it would have; EAGAIN
 * exits 3, saying how long was waited. */
static noreturn void
wait_failed(const struct semargs *s, const char *why)
{
	const struct timespec *t = s->tp;

	if (errno == EINTR && got_signal)
		die_of_signal(got_signal);
	if (errno == EAGAIN && t != NULL && t->tv_sec == 0 && t->tv_nsec == 0)
		msg_die(EXIT_TIMEOUT, s->a.text, "would block");
	if (errno == EAGAIN)
		msg_die(EXIT_TIMEOUT, s->a.text, "timed out after %s",
		    s->t_text);
	msg_fail(s->a.text, why);
}

/* --- Verbs --------------------------------------------------------- */

static int
do_create(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "exist-ok", no_argument, NULL, 'e' },
		{ "nsems", required_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 },
	};
	struct semobj o;
	struct addr a;
	struct cli c;
	const char *nsems_text = NULL, *why = NULL;
	unsigned *values;
	mode_t mode = 0600;
	int ch, i, nsems = 1, nvalues, exist_ok = 0, created, id;

	cli_init(&c, argc, argv, "m:N:", lopts, 0);
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 'm')
			mode = mode_arg(optarg);
		else if (ch == 'e')
			exist_ok = 1;
		else if (ch == 'N')
			nsems_text = optarg;
	}
	cli_operands(&c, 1, -1);
	sem_addr(c.ops[0], &a);
	nvalues = c.nops - 1;
	if (addr_is_sysv(&a)) {
		if (nsems_text == NULL)
			cli_usage(a.text, "a System V set needs -N NSEMS");
		if (a.kind == ADDR_ID)
			cli_usage(a.text,
			    "an id names an existing set: create "
			    "by key: or ftok:");
		nsems = (int)num_arg("NSEMS", nsems_text, 1, NSEMS_MAX);
		if (nvalues > 1 && nvalues != nsems)
			cli_usage(NULL,
			    "%d values for %d semaphores: give one "
			    "VALUE for all, or one for each",
			    nvalues, nsems);
	} else {
		if (nsems_text != NULL)
			sysv_only(&a, "-N");
		cli_operands(&c, 1, 2);
	}
	values = xcalloc(nsems, sizeof(*values));
	for (i = 0; i < nsems && nvalues > 0; i++)
		values[i] = num_arg("value", c.ops[nvalues == 1 ? 1 : i + 1], 0,
		    semobj_max(&a));
	if (semobj_create(&o, &a, nsems, values, mode, exist_ok, &created,
		&why) != 0)
		msg_fail(a.text, why);
	free(values);
	id = o.id;
	semobj_close(&o);
	/* A set whose id cannot be reported is one nobody can find: remove
	 * it, so that a retry does not fail with "File exists". */
	if (addr_is_sysv(&a) &&
	    (printf("%d\n", id) < 0 || fflush(stdout) == EOF ||
		ferror(stdout)) &&
	    created) {
		struct addr made = { .kind = ADDR_ID, .text = a.text };
		int e = errno;

		made.id = id;
		(void)semobj_remove(&made, &why);
		errno = e;
	}
	return EXIT_DONE; /* the dispatcher reports the lost stdout */
}

static int
do_post(int argc, char **argv)
{
	struct semargs s = SEMARGS_INIT;
	struct semobj o;
	const char *why = NULL;

	count_verb_args(&s, &o, argc, argv, 0);
	if (semobj_post(&o, s.idx, s.count, 0, &why) != 0)
		msg_fail(s.a.text, why);
	semobj_close(&o);
	return EXIT_DONE;
}

/* wait and trywait. */
static int
wait_main(int argc, char **argv, int try)
{
	struct semargs s = SEMARGS_INIT;
	struct semobj o;
	const char *why = NULL;

	count_verb_args(&s, &o, argc, argv, !try);
	if (try)
		s.tp = &s.t; /* zero: do not block */
	/* A wait that may block, or take part of COUNT, stops cleanly on a
	 * signal; one trywait of 1 has nothing to give back. */
	if (!try || s.count > 1)
		catch_signals();
	if (semobj_wait(&o, s.idx, s.count, s.tp, 0, &got_signal, &why) != 0)
		wait_failed(&s, why);
	semobj_close(&o);
	if (got_signal)
		die_of_signal(got_signal);
	return EXIT_DONE;
}

static int
do_wait(int argc, char **argv)
{
	return wait_main(argc, argv, 0);
}

static int
do_trywait(int argc, char **argv)
{
	return wait_main(argc, argv, 1);
}

/* get --all: one row an index. */
enum { S_INDEX, S_VALUE, S_NCNT, S_ZCNT, S_PID };

static const struct col state_cols[] = {
	[S_INDEX] = { "INDEX", "index in the set", COL_RIGHT | COL_NUMBER },
	[S_VALUE] = { "VALUE", "value", COL_RIGHT | COL_NUMBER },
	[S_NCNT] = { "NCNT", "processes waiting for the value to grow",
	    COL_RIGHT | COL_NUMBER },
	[S_ZCNT] = { "ZCNT", "processes waiting for it to be zero",
	    COL_RIGHT | COL_NUMBER },
	[S_PID] = { "PID", "the last process that changed it",
	    COL_RIGHT | COL_NUMBER },
};

static void
print_state(struct semobj *o, unsigned flags)
{
	struct colsel sel = { .n = 0 };
	struct semstate *st;
	struct table *t;
	const char *why = NULL;
	int i, n;

	if (semobj_state(o, &st, &n, &why) != 0)
		msg_fail(o->addr.text, why);
	for (i = 0; i < (int)(sizeof(state_cols) / sizeof(state_cols[0])); i++)
		sel.ids[sel.n++] = i;
	t = table_new("semaphores", state_cols, &sel, flags);
	for (i = 0; i < n; i++) {
		table_row(t);
		table_setf(t, S_INDEX, "%d", i);
		table_setf(t, S_VALUE, "%d", st[i].value);
		table_setf(t, S_NCNT, "%d", st[i].ncnt);
		table_setf(t, S_ZCNT, "%d", st[i].zcnt);
		table_setf(t, S_PID, "%d", (int)st[i].pid);
	}
	free(st);
	table_print(t);
}

static int
do_get(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	struct semobj o;
	struct addr a;
	struct cli c;
	const char *idx_text = NULL, *why = NULL;
	int ch, idx, all = 0, json = 0, value;

	cli_init(&c, argc, argv, "i:a", lopts, 0);
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 'i')
			idx_text = optarg;
		else if (ch == 'a')
			all = 1;
		else if (ch == 'J')
			json = 1;
	}
	cli_operands(&c, 1, 1);
	sem_addr(c.ops[0], &a);
	no_index_on_posix(&a, idx_text);
	if (all)
		sysv_only(&a, "--all");
	if (all && idx_text != NULL)
		cli_usage(NULL, "-i and --all exclude each other");
	if (json && !all)
		cli_usage(NULL, "--json goes with --all");
	idx = index_arg(idx_text);
	open_or_die(&o, &a);
	if (all)
		print_state(&o, json ? TABLE_JSON : 0);
	else if (semobj_get(&o, idx, &value, &why) != 0)
		msg_fail(a.text, why);
	else
		printf("%d\n", value);
	semobj_close(&o);
	return EXIT_DONE;
}

static int
do_set(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "index", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	struct semobj o;
	struct addr a;
	struct cli c;
	const char *idx_text = NULL, *why = NULL;
	unsigned value;
	int ch, idx;

	cli_init(&c, argc, argv, "i:", lopts, 0);
	while ((ch = cli_next(&c)) != -1)
		idx_text = optarg;
	cli_operands(&c, 2, 2);
	sem_addr(c.ops[0], &a);
	sysv_only(&a, "set");
	value = num_arg("value", c.ops[1], 0, SEMOBJ_SYSV_MAX);
	idx = index_arg(idx_text);
	open_or_die(&o, &a);
	if (semobj_set(&o, idx, (int)value, &why) != 0)
		msg_fail(a.text, why);
	semobj_close(&o);
	return EXIT_DONE;
}

/* IDX:DELTA, decimal, DELTA optionally signed: 0:-1, 1:+1, 2:0. */
static void
op_arg(const char *s, struct sembuf *op)
{
	static const char digits[] = "0123456789";
	const char *colon = strchr(s, ':'), *d, *errstr;
	size_t n = colon != NULL ? (size_t)(colon - s) : 0;
	char idx[16];
	uint64_t i, v;

	if (n == 0 || n >= sizeof(idx) || strspn(s, digits) != n)
		goto invalid;
	memcpy(idx, s, n);
	idx[n] = '\0';
	d = colon + 1 + (colon[1] == '+' || colon[1] == '-');
	if (*d == '\0' || strspn(d, digits) != strlen(d) ||
	    parse_u64(idx, 0, UINT64_MAX, &i, &errstr) != 0)
		goto invalid;
	if (i > NSEMS_MAX - 1)
		cli_usage(NULL, "operation '%s': index is too large", s);
	if (parse_u64(d, 0, UINT64_MAX, &v, &errstr) != 0 ||
	    v > SEMOBJ_SYSV_MAX)
		cli_usage(NULL,
		    "operation '%s': delta is too large (at most "
		    "%u either way)",
		    s, SEMOBJ_SYSV_MAX);
	op->sem_num = (unsigned short)i;
	op->sem_op = (short)(colon[1] == '-' ? -(int)v : (int)v);
	op->sem_flg = 0;
	return;
invalid:
	cli_usage(NULL,
	    "operation '%s' is invalid: want IDX:DELTA, like "
	    "0:-1, 1:+1 or 2:0",
	    s);
}

static int
do_op(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "undo", no_argument, NULL, 'u' },
		{ "nowait", no_argument, NULL, 'w' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct semargs s = SEMARGS_INIT;
	struct semobj o;
	struct sembuf *ops;
	struct cli c;
	const char *why = NULL;
	int ch, i, n, undo = 0, nowait = 0;

	cli_init(&c, argc, argv, "t:", lopts, 0);
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 'u')
			undo = 1;
		else if (ch == 'w')
			nowait = 1;
		else
			semargs_opt(&s, ch);
	}
	cli_operands(&c, 2, -1);
	sem_addr(c.ops[0], &s.a);
	sysv_only(&s.a, "op");
	if (nowait && s.tp != NULL)
		cli_usage(NULL, "--nowait and -t exclude each other");
	if (nowait)
		s.tp = &s.t;
	n = c.nops - 1;
	ops = xcalloc(n, sizeof(*ops));
	for (i = 0; i < n; i++) {
		op_arg(c.ops[i + 1], &ops[i]);
		if (undo)
			ops[i].sem_flg |= SEM_UNDO;
	}
	open_or_die(&o, &s.a);
	catch_signals();
	if (semobj_op(&o, ops, n, s.tp, &got_signal, &why) != 0)
		wait_failed(&s, why);
	free(ops);
	semobj_close(&o);
	return EXIT_DONE;
}

/* Run CMD as a child with SIGINT, SIGTERM and SIGHUP passed on; CMD gets
 * SIGKILL if we die first (our hold on the semaphore may end with us).
 * vfork(2): the child shares our memory until it execs, which is how it
 * hands back exec's errno.  Returns CMD's status as a shell reports it:
 * 128+N for signal N, 127 not found, 126 not executable. */
static int
run_child(char **cmd)
{
	static volatile int exec_errno;
	sigset_t block, prev;
	pid_t pid, parent = getpid(), r;
	size_t i;
	int st, e;

	sigemptyset(&block);
	for (i = 0; i < NCAUGHT; i++)
		sigaddset(&block, caught[i]);
	sigprocmask(SIG_BLOCK, &block, &prev);
	fflush(stdout);
	exec_errno = 0;
	pid = vfork();
	if (pid == 0) {
		restore_signals();
		signal(SIGXFSZ, SIG_DFL); /* main ignores it */
		sigprocmask(SIG_SETMASK, &prev, NULL);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
		    getppid() != parent)
			_exit(128 + SIGKILL);
		execvp(cmd[0], cmd);
		exec_errno = errno;
		_exit(errno == ENOENT ? 127 : 126);
	}
	e = errno;
	trace_note("vfork() = %d", (int)pid);
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &prev, NULL);
		errno = e;
		msg_warn_e(cmd[0], "cannot start");
		return -1;
	}
	child = pid;
	sigprocmask(SIG_SETMASK, &prev, NULL);
	if (exec_errno == ENOENT)
		msg_warn(cmd[0], "command not found");
	else if (exec_errno != 0)
		msg_warn(cmd[0], "%s", strerror(exec_errno));
	while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	child = 0;
	if (r < 0) {
		msg_warn_e(cmd[0], "waitpid");
		return -1;
	}
	if (WIFSIGNALED(st)) {
		trace_note("waitpid(%d, [{WIFSIGNALED(s) && WTERMSIG(s) == "
			   "%d}], 0) = %d",
		    (int)pid, WTERMSIG(st), (int)pid);
		return 128 + WTERMSIG(st);
	}
	trace_note("waitpid(%d, [{WIFEXITED(s) && WEXITSTATUS(s) == %d}], 0) "
		   "= %d",
	    (int)pid, WEXITSTATUS(st), (int)pid);
	return WEXITSTATUS(st);
}

static int
do_run(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "index", required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, 't' },
		{ "create", required_argument, NULL, 'c' },
		{ "mode", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	struct semargs s = SEMARGS_INIT;
	struct semobj o;
	struct cli c;
	const char *create_text = NULL, *why = NULL;
	unsigned *values = NULL;
	mode_t mode = 0600;
	int ch, i, r, created, sysv, status, mode_set = 0;

	cli_init(&c, argc, argv, "n:i:t:m:", lopts, CLI_CMD);
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 'c')
			create_text = optarg;
		else if (ch == 'm') {
			mode = mode_arg(optarg);
			mode_set = 1;
		} else
			semargs_opt(&s, ch);
	}
	cli_operands(&c, 1, -1); /* "missing '-- CMD'" first */
	cli_operands(&c, 1, 1);
	if (c.ncmd == 0)
		cli_usage(NULL,
		    "missing CMD after '--' (usage: semctl " RUN_SYNOPSIS ")");
	sem_target(&s, c.ops[0]);
	sysv = addr_is_sysv(&s.a);
	if (mode_set && create_text == NULL)
		cli_usage(NULL, "-m goes with --create");
	if (create_text != NULL) {
		unsigned v = num_arg("value", create_text, 0, semobj_max(&s.a));

		if (s.a.kind == ADDR_ID)
			cli_usage(s.a.text,
			    "an id names an existing set: "
			    "--create needs key: or ftok:");
		values = xcalloc(s.idx + 1, sizeof(*values));
		for (i = 0; i <= s.idx; i++)
			values[i] = v;
		r = semobj_create(&o, &s.a, s.idx + 1, values, mode, 1,
		    &created, &why);
		free(values);
		if (r != 0)
			msg_fail(s.a.text, why);
	} else
		open_or_die(&o, &s.a);

	/* Take it (System V: with SEM_UNDO, so that the kernel gives it
	 * back if we die), run CMD, give it back. */
	catch_signals();
	if (semobj_wait(&o, s.idx, s.count, s.tp, sysv, &got_signal, &why) != 0)
		wait_failed(&s, why);
	status = got_signal ? 128 + got_signal : run_child(c.cmd);
	if (semobj_post(&o, s.idx, s.count, sysv, &why) != 0) {
		if (why != NULL)
			msg_warn(s.a.text, "cannot give it back: %s", why);
		else
			msg_warn_e(s.a.text, "cannot give it back");
		if (status == 0)
			status = EXIT_FAIL;
	}
	semobj_close(&o);
	if (status < 0)
		status = EXIT_FAIL;
	if (got_signal && status == 128 + got_signal)
		die_of_signal(got_signal);
	return status;
}

static int
do_unlink(int argc, char **argv)
{
	return unlink_main(argc, argv, sem_rm_addr, semobj_remove);
}

/* ls */
enum {
	C_TYPE,
	C_NAME,
	C_KEY,
	C_ID,
	C_NSEMS,
	C_VALUE,
	C_PERMS,
	C_MODE,
	C_OWNER,
	C_GROUP,
	C_CUID,
	C_CGID,
	C_OTIME,
	C_CTIME,
};

static const struct col cols[] = {
	[C_TYPE] = { "TYPE", "posix-sem or sysv-sem", 0 },
	[C_NAME] = { "NAME", "name, or key: or id: address for System V", 0 },
	[C_KEY] = { "KEY", "System V key", 0 },
	[C_ID] = { "ID", "System V id", COL_RIGHT | COL_NUMBER },
	[C_NSEMS] = { "NSEMS", "semaphores in the set",
	    COL_RIGHT | COL_NUMBER },
	[C_VALUE] = { "VALUE", "the values, comma-separated", COL_ARRAY },
	[C_PERMS] = { "PERMS", "permissions, symbolic", 0 },
	[C_MODE] = { "MODE", "permissions, octal", 0 },
	[C_OWNER] = { "OWNER", "owner", 0 },
	[C_GROUP] = { "GROUP", "group", 0 },
	[C_CUID] = { "CUID", "creator's user id", COL_RIGHT | COL_NUMBER },
	[C_CGID] = { "CGID", "creator's group id", COL_RIGHT | COL_NUMBER },
	[C_OTIME] = { "OTIME", "last semop (System V)", 0 },
	[C_CTIME] = { "CTIME", "last change of status", 0 },
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static const int ls_defaults[] = { C_TYPE, C_NAME, C_ID, C_NSEMS, C_VALUE,
	C_PERMS, C_OWNER, C_OTIME };

/* The value of column id for a semaphore (a struct semdesc), as text. */
static void
field(const void *obj, int id, int bytes, char *buf, size_t len)
{
	const struct semdesc *in = obj;
	size_t k = 0;
	int i;

	(void)bytes; /* no sizes here */

	switch (id) {
	case C_TYPE:
		snprintf(buf, len, in->sysv ? "sysv-sem" : "posix-sem");
		break;
	case C_NAME:
		if (in->sysv && in->key == IPC_PRIVATE)
			snprintf(buf, len, "id:%d", in->id);
		else if (in->sysv)
			snprintf(buf, len, "key:%#010x", (unsigned)in->key);
		else
			snprintf(buf, len, "%s", in->name);
		break;
	case C_KEY:
		snprintf(buf, len, in->sysv ? "%#010x" : "-",
		    (unsigned)in->key);
		break;
	case C_ID:
		snprintf(buf, len, in->sysv ? "%d" : "-", in->id);
		break;
	case C_NSEMS:
		snprintf(buf, len, "%d", in->nsems);
		break;
	case C_VALUE:
		snprintf(buf, len, "-");
		for (i = 0; in->values != NULL && i < in->nsems && k < len; i++)
			k += snprintf(buf + k, len - k, "%s%d", i ? "," : "",
			    in->values[i]);
		break;
	case C_PERMS:
		fmt_mode(in->mode, buf);
		break;
	case C_MODE:
		snprintf(buf, len, "%04o", (unsigned)in->mode);
		break;
	case C_OWNER:
		fmt_user(in->uid, buf, len);
		break;
	case C_GROUP:
		fmt_group(in->gid, buf, len);
		break;
	case C_CUID:
		snprintf(buf, len, "%u", (unsigned)in->cuid);
		break;
	case C_CGID:
		snprintf(buf, len, "%u", (unsigned)in->cgid);
		break;
	case C_OTIME:
		fmt_time(in->otime, buf, len);
		break;
	case C_CTIME:
		fmt_time(in->ctime, buf, len);
		break;
	}
}

static const struct table_spec ls_spec = {
	.name = "sem",
	.cols = cols,
	.ncols = NCOLS,
	.defaults = ls_defaults,
	.ndefaults = sizeof(ls_defaults) / sizeof(int),
};

static int
ls_one(const struct semdesc *in, void *t)
{
	table_row_fields(t, field, in);
	return 0;
}

static int
do_ls(int argc, char **argv)
{
	struct table *t = table_ls(argc, argv, &ls_spec);

	if (semobj_list(ls_one, t) != 0)
		msg_die_e(EXIT_FAIL, SEMOBJ_DIR, "%s", "");
	table_print(t);
	return EXIT_DONE;
}

static const struct verb verbs[] = {
	{ "create", NULL, do_create,
	    "create SEM [VALUE...] [-m MODE] [--exist-ok] [-N NSEMS]",
	    "create a semaphore exclusively, with exactly MODE (default "
	    "0600) and VALUE (default 0);\n      a System V set needs -N, "
	    "takes one VALUE for all or one each, and prints its id" },
	{ "post", NULL, do_post, "post SEM [-n COUNT] [-i IDX]",
	    "add COUNT (default 1) to the value" },
	{ "wait", NULL, do_wait, "wait SEM [-n COUNT] [-t TIMEOUT] [-i IDX]",
	    "take COUNT (default 1) from the value, waiting at most TIMEOUT "
	    "(exit 3 when it runs out)" },
	{ "trywait", NULL, do_trywait, "trywait SEM [-n COUNT] [-i IDX]",
	    "take COUNT if it can be taken now, else exit 3 (wait -t 0)" },
	{ "get", NULL, do_get, "get SEM [-i IDX] [--all [--json]]",
	    "print the value; --all: value, waiters and last pid of every "
	    "index of a System V set" },
	{ "set", NULL, do_set, "set SEM [-i IDX] VALUE",
	    "set the value of one semaphore of a System V set" },
	{ "op", NULL, do_op,
	    "op SEM IDX:DELTA... [--undo] [--nowait | -t TIMEOUT]",
	    "one atomic semop(2) on a System V set: 0:-1 takes, 1:+1 adds, "
	    "2:0 waits for zero" },
	{ "run", NULL, do_run, RUN_SYNOPSIS,
	    "take COUNT, run CMD, give COUNT back when it ends; exit with "
	    "CMD's status" },
	{ "unlink", "rm", do_unlink, "unlink SEM... [-f]",
	    "remove semaphores; -f ignores missing ones" },
	{ "ls", NULL, do_ls, "ls [--json] [--raw] [-n] [-o COLS]",
	    "list POSIX semaphores and System V sets with their values" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct applet applet = {
	"semctl",
	"POSIX named semaphores and System V semaphore sets.",
	verbs,
	"Semaphores (SEM):\n"
	"  /name, name        POSIX named semaphore, /dev/shm/sem.name\n"
	"  key:0x1234, key:N  System V set by key (-i IDX picks one, "
	"default 0)\n"
	"  id:N               System V set by id\n"
	"  ftok:PATH:PROJ     System V set by ftok(PATH, PROJ)\n"
	"Values: 0 to 2147483647 (POSIX), 0 to 32767 (System V).\n"
	"Timeouts: 1.5, 250ms, 2s, 1m.  Modes: 0640 or u=rw,g=r.\n",
};

int
semctl_main(int argc, char **argv)
{
	return applet_run(&applet, argc, argv);
}
