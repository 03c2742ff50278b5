/* semctl: POSIX named semaphores and System V semaphore sets from the
 * shell, and `run`, which holds one while a command runs. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <unistd.h>

#include "addr.h"
#include "applets.h"
#include "cli.h"
#include "cols.h"
#include "msg.h"
#include "parse.h"
#include "run.h"
#include "sem.h"
#include "table.h"
#include "trace.h"
#include "unlink.h"

#define ACCEPT (ADDR_ACCEPT_POSIX | ADDR_ACCEPT_SYSV)
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
	return s != NULL ? (int)num_arg("index", s, 0, SEMOBJ_NSEMS_MAX - 1)
			 : 0;
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

	if (errno == EINTR && run_signal)
		run_die_of_signal(run_signal);
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
		nsems = (int)num_arg("NSEMS", nsems_text, 1, SEMOBJ_NSEMS_MAX);
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
	return create_report_id(&a, id, created, semobj_remove);
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
		run_catch_signals();
	if (semobj_wait(&o, s.idx, s.count, s.tp, 0, &run_signal, &why) != 0)
		wait_failed(&s, why);
	semobj_close(&o);
	if (run_signal)
		run_die_of_signal(run_signal);
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
	cli_exclusive(&c, "ia");
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

/* IDX:DELTA (lib/parse.h), or exit 2. */
static void
op_arg(const char *s, struct sembuf *op)
{
	const char *why;

	if (parse_semop(s, op, &why) != 0)
		cli_usage(NULL, "operation '%s'%s", s, why);
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
	cli_exclusive(&c, "wt");
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
	run_catch_signals();
	if (semobj_op(&o, ops, n, s.tp, &run_signal, &why) != 0)
		wait_failed(&s, why);
	free(ops);
	semobj_close(&o);
	return EXIT_DONE;
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
	int ch, i, created, sysv, status, mode_set = 0;

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
		i = semobj_create(&o, &s.a, s.idx + 1, values, mode, 1,
		    &created, &why);
		free(values);
		if (i != 0)
			msg_fail(s.a.text, why);
	} else
		open_or_die(&o, &s.a);

	/* System V: take it with SEM_UNDO and become CMD.  The kernel keeps
	 * the undo across execve(2) and gives the count back when CMD ends,
	 * however it ends, so nothing is left for us to do.  POSIX has no
	 * undo: take it, run CMD as a child, give it back. */
	run_catch_signals();
	if (semobj_wait(&o, s.idx, s.count, s.tp, sysv, &run_signal, &why) != 0)
		wait_failed(&s, why);
	if (sysv) {
		semobj_close(&o);
		run_exec(c.cmd);
	}
	status = run_child(c.cmd);
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
	if (run_signal && status == 128 + run_signal)
		run_die_of_signal(run_signal);
	return status;
}

static int
do_unlink(int argc, char **argv)
{
	return unlink_main(argc, argv, sem_rm_addr, semobj_remove);
}

/* ls */
static const int cols[] = { IC_TYPE, IC_NAME, IC_KEY, IC_ID, IC_NSEMS, IC_VALUE,
	IC_PERMS, IC_MODE, IC_OWNER, IC_GROUP, IC_CUID, IC_CGID, IC_OTIME,
	IC_CTIME };

static const struct ipccol_help help[] = {
	{ IC_TYPE, "posix-sem or sysv-sem" },
	{ IC_NAME, "name, or key: or id: address for System V" },
	{ IC_ID, "System V id" },
};

static const int ls_defaults[] = { IC_TYPE, IC_NAME, IC_ID, IC_NSEMS, IC_VALUE,
	IC_PERMS, IC_OWNER, IC_OTIME };

static const struct ipcview ls_view = {
	.name = "sem",
	IPCVIEW_ARRAYS(cols, help, ls_defaults),
	.types = IPC_T(IPC_POSIX_SEM) | IPC_T(IPC_SYSV_SEM),
};

static int
do_ls(int argc, char **argv)
{
	return ipccols_ls(argc, argv, &ls_view);
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

const struct applet semctl_applet = {
	"semctl",
	"POSIX and System V semaphores",
	verbs,
	"Semaphores (SEM):\n"
	"  /name, name        POSIX named semaphore, /dev/shm/sem.name\n"
	"  key:0x1234, key:N  System V set by key (-i IDX picks one, "
	"default 0)\n"
	"  id:N               System V set by id\n"
	"  ftok:PATH:PROJ     System V set by ftok(PATH, PROJ)\n"
	"Values: 0 to 2147483647 (POSIX), 0 to 32767 (System V).\n"
	"Timeouts: 1.5, 250ms, 2s, 1m.  Modes: 0640 or u=rw,g=r.\n",
	semctl_main,
};

int
semctl_main(int argc, char **argv)
{
	return applet_run(&semctl_applet, argc, argv);
}
