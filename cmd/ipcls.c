/* ipcls: every IPC object in one view, with its holders. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "applets.h"
#include "cli.h"
#include "cols.h"
#include "fmt.h"
#include "ipcscan.h"
#include "ipclimits.h"
#include "msg.h"
#include "orphan.h"
#include "parse.h"
#include "table.h"
#include "trace.h"
#include "trace_ipc.h"
#include "usage.h"

/* ipcls's view of the column set (lib/cols.h): -o, --help and the
 * output. */
static const int cols[] = { IC_TYPE, IC_NAME, IC_KEY, IC_ID, IC_SIZE, IC_PERMS,
	IC_OWNER, IC_GROUP, IC_HOLDERS, IC_NATTCH, IC_CPID, IC_LPID, IC_ATIME,
	IC_CTIME, IC_MTIME, IC_AGE, IC_FDS, IC_SEALS, IC_HOLDS, IC_USED };

static const struct ipccol_help help[] = {
	{ IC_TYPE,
	    "the kind of object (Types above); \"(deleted)\": no name left" },
	{ IC_SIZE,
	    "bytes (exact with -b); posix-sem: value, sysv-sem: semaphores,\n"
	    "              queues: messages, eventfd: counter" },
	{ IC_PERMS, "permissions" },
	{ IC_OWNER, "owner (eventfd: its first holder's)" },
	{ IC_NATTCH, "attachments (sysv-shm)" },
	{ IC_CPID, "creator pid (sysv-shm)" },
	{ IC_LPID,
	    "last pid to attach or detach (sysv-shm),\n"
	    "              to send or receive (sysv-msg)" },
	{ IC_ATIME, "last access (sysv-shm: attach, sysv-msg: receive)" },
	{ IC_MTIME,
	    "last change of data (sysv-shm: detach, sysv-sem: operation)" },
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static const int defaults[] = { IC_TYPE, IC_NAME, IC_ID, IC_SIZE, IC_PERMS,
	IC_OWNER, IC_NATTCH, IC_MTIME };
static const int orphan_defaults[] = { IC_TYPE, IC_NAME, IC_ID, IC_SIZE,
	IC_PERMS, IC_OWNER, IC_MTIME, IC_AGE };

static const struct ipcview view = {
	.name = "ipc",
	IPCVIEW_ARRAYS(cols, help, defaults),
	.types = IPC_ALL,
};

/* --summary: limits and usage. */
enum { S_RESOURCE, S_DESCRIPTION, S_LIMIT, S_USED, S_USE };

static const struct col scols[] = {
	[S_RESOURCE] = { "RESOURCE", "the limit's name", 0 },
	[S_DESCRIPTION] = { "DESCRIPTION", "what it limits", 0 },
	[S_LIMIT] = { "LIMIT", "the limit", COL_RIGHT | COL_NUMBER },
	[S_USED] = { "USED", "in use", COL_RIGHT | COL_NUMBER },
	[S_USE] = { "USE%", "use in percent", COL_RIGHT | COL_NUMBER },
};
#define NSCOLS (sizeof(scols) / sizeof(scols[0]))

static const int sdefaults[] = { S_RESOURCE, S_DESCRIPTION, S_LIMIT, S_USED,
	S_USE };

/* --usage: shared memory in use, by owner, process, cgroup or type. */
enum {
	U_OWNER,
	U_PID,
	U_COMMAND,
	U_CGROUP,
	U_TYPE,
	U_PROCS,
	U_OBJECTS,
	U_SIZE,
	U_USED,
	U_ONLY,
	U_DELETED,
	U_SHARE
};

static const struct col ucols[] = {
	[U_OWNER] = { "OWNER", "the objects' owner (--by owner)", 0 },
	[U_PID] = { "PID", "a process that maps or holds them (--by process)",
	    COL_RIGHT | COL_NUMBER },
	[U_COMMAND] = { "COMMAND", "its name", 0 },
	[U_CGROUP] = { "CGROUP", "the cgroup v2 of their holders (--by cgroup)",
	    COL_STRING },
	[U_TYPE] = { "TYPE", "their type (--by type)", 0 },
	[U_PROCS] = { "PROCS", "processes that map or hold them",
	    COL_RIGHT | COL_NUMBER },
	[U_OBJECTS] = { "OBJECTS", "objects", COL_RIGHT | COL_NUMBER },
	[U_SIZE] = { "SIZE", "their apparent size", COL_RIGHT | COL_NUMBER },
	[U_USED] = { "USED", "the memory they take", COL_RIGHT | COL_NUMBER },
	[U_ONLY] = { "ONLY", "of USED, what this process or cgroup alone holds",
	    COL_RIGHT | COL_NUMBER },
	[U_DELETED] = { "DELETED", "of USED, objects with no name left",
	    COL_RIGHT | COL_NUMBER },
	[U_SHARE] = { "USE%", "USED in percent of all counted",
	    COL_RIGHT | COL_NUMBER },
};
#define NUCOLS (sizeof(ucols) / sizeof(ucols[0]))

static const int udefaults[][7] = {
	[USAGE_OWNER] = { U_OWNER, U_PROCS, U_OBJECTS, U_SIZE, U_USED,
	    U_DELETED, U_SHARE },
	[USAGE_PROCESS] = { U_PID, U_COMMAND, U_OBJECTS, U_SIZE, U_USED, U_ONLY,
	    U_DELETED },
	[USAGE_CGROUP] = { U_CGROUP, U_PROCS, U_OBJECTS, U_SIZE, U_USED, U_ONLY,
	    U_DELETED },
	[USAGE_TYPE] = { U_TYPE, U_PROCS, U_OBJECTS, U_SIZE, U_USED, U_DELETED,
	    U_SHARE },
};

struct opts {
	unsigned types;
	unsigned tflags; /* TABLE_* */
	int bytes, orphans, summary, typed, sort, usage, by, watch;
	enum ipcsort key;
	struct timespec period; /* --watch */
	const char *list, *target, *period_text;
	time_t now;
};

static void
mq_note(const struct ipcscan *s, const struct opts *op)
{
	if ((op->types & IPC_T(IPC_POSIX_MQ)) && op->typed && !s->mq_found)
		msg_warn("/dev/mqueue",
		    "no mqueue file system mounted: POSIX "
		    "message queues are not listed");
}

/* What removing the orphans would free. */
static void
orphans_total(const struct ipcscan *s, uint64_t *total, size_t *n)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (orphan_is(s, &s->v[i])) {
			*total += ipcscan_bytes(&s->v[i]);
			(*n)++;
		}
}

static int
list(const struct opts *op)
{
	struct col vcols[NCOLS];
	struct colsel sel;
	struct ipcscan s;
	struct ipcfmt f = { &view, &s, op->bytes, !!(op->tflags & TABLE_JSON),
		op->now };
	struct table *t;
	const char *what;
	int ids[sizeof(orphan_defaults) / sizeof(int)];
	unsigned flags;
	uint64_t total = 0;
	size_t n = 0;
	char buf[32];

	ipccols_view(&view, vcols);
	ipccols_view_defaults(&view, op->orphans ? orphan_defaults : defaults,
	    sizeof(ids) / sizeof(int), ids);
	table_select(&sel, vcols, NCOLS, ids, sizeof(ids) / sizeof(int),
	    op->list);
	flags = ipccols_scanflags(&view, &sel);
	/* Objects with no name left are found by the walk over processes:
	 * listed whenever it is made anyway (for holders, eventfds or
	 * memfds), so that ipcls -t posix-shm stays one read of /dev/shm. */
	if ((flags & IPCSCAN_HOLDERS) || (op->types & IPC_FDOBJ))
		flags |= IPCSCAN_DELETED;
	if (op->orphans)
		flags |= IPCSCAN_HOLDERS | IPCSCAN_PIDS | IPCSCAN_OWNERS;
	t = table_new("ipc", vcols, &sel, op->tflags);
	if (op->target != NULL)
		ipccols_target_enter(op->target);
	if (ipcscan(&s, op->types, flags, &what) != 0)
		msg_die_e(EXIT_FAIL, what, "cannot read");
	mq_note(&s, op);
	if (op->orphans && ipcscan_blind(&s))
		msg_warn(NULL,
		    "%zu processes may not be inspected: what they "
		    "map or hold is unknown (run as root)",
		    s.uninspected);
	if (op->sort)
		ipcscan_sort(&s, op->key);
	ipccols_rows(t, &sel, &f, op->orphans ? orphan_is : NULL);
	if (op->orphans)
		orphans_total(&s, &total, &n);
	ipcscan_free(&s);
	if (table_print(t) != 0)
		msg_die(EXIT_FAIL, NULL, "cannot print the table");
	/* The sum, under the table only: -n, --raw and --json are for
	 * programs, which add it up themselves. */
	if (op->orphans &&
	    !(op->tflags & (TABLE_JSON | TABLE_RAW | TABLE_NOHEADINGS))) {
		fmt_size(total, buf, sizeof(buf));
		printf("%zu %s, %s of shared memory\n", n,
		    n == 1 ? "orphan" : "orphans", buf);
	}
	return EXIT_DONE;
}

/* --usage */

/* A size as the table shows it: exact with -b and --json. */
static const char *
usage_size(const struct opts *op, uint64_t v, char *buf, size_t len)
{
	if (op->bytes)
		snprintf(buf, len, "%" PRIu64, v);
	else
		fmt_size(v, buf, len);
	return buf;
}

static void
urow_print(struct table *t, const struct usage *u, const struct usage_row *r,
    const struct opts *op)
{
	char buf[64];

	table_row(t);
	fmt_user(r->uid, buf, sizeof(buf));
	table_set(t, U_OWNER, op->by == USAGE_OWNER ? buf : "-");
	if (op->by == USAGE_PROCESS && r->pid > 0) {
		table_setf(t, U_PID, "%d", (int)r->pid);
		table_set(t, U_COMMAND,
		    fmt_vis(buf, sizeof(buf), r->comm != NULL ? r->comm : "?"));
	} else {
		table_set(t, U_PID, "-");
		table_set(t, U_COMMAND,
		    op->by == USAGE_PROCESS ? "(no holder)" : "-");
	}
	table_set(t, U_CGROUP,
	    op->by != USAGE_CGROUP  ? "-"
		: r->cgroup != NULL ? r->cgroup
				    : "(no holder)");
	if (op->by == USAGE_TYPE) {
		snprintf(buf, sizeof(buf), "%s%s", ipc_type_name(r->type),
		    r->deleted ? " (deleted)" : "");
		table_set(t, U_TYPE, buf);
	} else
		table_set(t, U_TYPE, "-");
	table_setf(t, U_PROCS, "%zu", r->procs);
	table_setf(t, U_OBJECTS, "%zu", r->objects);
	table_set(t, U_SIZE, usage_size(op, r->size, buf, sizeof(buf)));
	table_set(t, U_USED, usage_size(op, r->used, buf, sizeof(buf)));
	if (op->by == USAGE_PROCESS || op->by == USAGE_CGROUP)
		table_set(t, U_ONLY, usage_size(op, r->only, buf, sizeof(buf)));
	else
		table_set(t, U_ONLY, "-");
	table_set(t, U_DELETED,
	    usage_size(op, r->deleted_used, buf, sizeof(buf)));
	if (u->all.used > 0)
		table_setf(t, U_SHARE,
		    (op->tflags & TABLE_JSON) ? "%.2f" : "%.1f%%",
		    (double)r->used * 100 / (double)u->all.used);
	else
		table_set(t, U_SHARE, "-");
}

/* The limit of that name among ipc_limits' rows, or NULL. */
static const struct ipc_limit *
limit_of(const struct ipc_limit *rows, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(rows[i].name, name) == 0)
			return &rows[i];
	return NULL;
}

static void
percent_of(const struct ipc_limit *l, char *buf, size_t len)
{
	if (l != NULL && l->have_limit && l->have_used && l->limit > 0)
		snprintf(buf, len, " (%.1Lf%%)",
		    (long double)l->used * 100 / (long double)l->limit);
	else
		buf[0] = '\0';
}

/* The sums under the table: each object once, against the limits. */
static void
usage_totals(const struct ipcscan *s, const struct usage *u,
    const struct opts *op)
{
	struct ipc_limit rows[IPC_NLIMITS];
	const struct ipc_limit *fs, *all;
	char a[32], b[32], c[32], pct[32];
	size_t n = ipc_limits(s, rows, IPC_NLIMITS);

	printf("total: %zu %s, %s used (size %s)", u->all.objects,
	    u->all.objects == 1 ? "object" : "objects",
	    usage_size(op, u->all.used, a, sizeof(a)),
	    usage_size(op, u->all.size, b, sizeof(b)));
	if (u->all.deleted > 0)
		printf(", %s of it in %zu %s with no name left",
		    usage_size(op, u->all.deleted_used, c, sizeof(c)),
		    u->all.deleted, u->all.deleted == 1 ? "object" : "objects");
	printf("\n");
	if (s->types & (IPC_T(IPC_POSIX_SHM) | IPC_T(IPC_POSIX_SEM))) {
		fs = limit_of(rows, n, "SHMFS");
		printf("/dev/shm: %s in %zu %s",
		    usage_size(op, u->shm.used, a, sizeof(a)), u->shm.objects,
		    u->shm.objects == 1 ? "object" : "objects");
		if (fs != NULL && fs->have_used && fs->have_limit) {
			percent_of(fs, pct, sizeof(pct));
			printf("; the file system: %s used of %s%s",
			    usage_size(op, (uint64_t)fs->used, b, sizeof(b)),
			    usage_size(op, (uint64_t)fs->limit, c, sizeof(c)),
			    pct);
		}
		printf("\n");
	}
	if (s->types & IPC_T(IPC_SYSV_SHM)) {
		all = limit_of(rows, n, "SHMALL");
		printf("System V: %s in %zu %s",
		    usage_size(op, u->sysv.used, a, sizeof(a)), u->sysv.objects,
		    u->sysv.objects == 1 ? "segment" : "segments");
		if (all != NULL && all->have_limit) {
			char big[48];

			percent_of(all, pct, sizeof(pct));
			if (op->bytes)
				fmt_u128(all->limit, big, sizeof(big));
			else
				fmt_big(all->limit, big, sizeof(big));
			printf("; segments' sizes %s of SHMALL %s%s",
			    usage_size(op, (uint64_t)all->used, b, sizeof(b)),
			    big, pct);
		}
		printf("\n");
	}
	if (s->types & IPC_T(IPC_MEMFD))
		printf("memfd: %s in %zu %s (memory: no limit of its own)\n",
		    usage_size(op, u->memfd.used, a, sizeof(a)),
		    u->memfd.objects,
		    u->memfd.objects == 1 ? "memfd" : "memfds");
}

static int
usage_once(const struct opts *op)
{
	const int *defs = udefaults[op->by];
	struct colsel sel;
	struct ipcscan s;
	struct usage u;
	struct table *t;
	const char *what;
	size_t i;

	table_select(&sel, ucols, NUCOLS, defs,
	    sizeof(udefaults[0]) / sizeof(int), op->list);
	t = table_new("usage", ucols, &sel, op->tflags);
	if (ipcscan(&s, op->types,
		IPCSCAN_HOLDERS | IPCSCAN_COMM | IPCSCAN_DELETED, &what) != 0)
		msg_die_e(EXIT_FAIL, what, "cannot read");
	mq_note(&s, op);
	if (ipcscan_blind(&s))
		msg_warn(NULL,
		    "%zu processes may not be inspected: what they "
		    "map or hold is not counted (run as root)",
		    s.uninspected);
	usage_sum(&s, (enum usage_by)op->by, &u);
	for (i = 0; i < u.n; i++)
		urow_print(t, &u, &u.rows[i], op);
	if (table_print(t) != 0)
		msg_die(EXIT_FAIL, NULL, "cannot print the table");
	if (!(op->tflags & (TABLE_JSON | TABLE_RAW | TABLE_NOHEADINGS)))
		usage_totals(&s, &u, op);
	usage_free(&u);
	ipcscan_free(&s);
	return fflush(stdout) == 0 ? 0 : -1;
}

static volatile sig_atomic_t stop;

static void
on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

/* --usage, once or, with --watch, every period until a signal. */
static int
usage(const struct opts *op)
{
	struct sigaction sa;
	char when[64];
	int tty;

	if (op->target != NULL)
		ipccols_target_enter(op->target);
	if (!op->watch) {
		if (usage_once(op) != 0)
			msg_die_e(EXIT_FAIL, "stdout", "write error");
		return EXIT_DONE;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop; /* no SA_RESTART: the sleep ends */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	tty = isatty(STDOUT_FILENO);
	while (!stop) {
		fmt_time(time(NULL), when, sizeof(when));
		/* On a terminal, the screen redrawn as watch(1) does; else a
		 * table a period, each after its time, for a log. */
		if (tty)
			printf("\033[H\033[2JEvery %s: ipcls --usage%*s%s\n\n",
			    op->period_text, 20, "", when);
		else if (!(op->tflags & TABLE_JSON))
			printf("%s\n", when);
		if (usage_once(op) != 0)
			msg_die_e(EXIT_FAIL, "stdout", "write error");
		if (!tty && !(op->tflags & TABLE_JSON))
			printf("\n");
		if (!stop)
			nanosleep(&op->period, NULL);
	}
	return EXIT_DONE;
}

/* --summary */

static void
srow_print(struct table *t, const struct ipc_limit *r, const struct opts *op)
{
	char buf[64];
	int exact = op->bytes || (op->tflags & TABLE_JSON);

	table_row(t);
	table_set(t, S_RESOURCE, r->name);
	table_set(t, S_DESCRIPTION, r->desc);
	if (!r->have_limit)
		table_set(t, S_LIMIT, "-");
	else if (r->bytes && !exact)
		fmt_big(r->limit, buf, sizeof(buf)), table_set(t, S_LIMIT, buf);
	else
		fmt_u128(r->limit, buf, sizeof(buf)),
		    table_set(t, S_LIMIT, buf);
	if (!r->have_used)
		table_set(t, S_USED, "-");
	else if (r->bytes && !exact)
		fmt_big(r->used, buf, sizeof(buf)), table_set(t, S_USED, buf);
	else
		fmt_u128(r->used, buf, sizeof(buf)), table_set(t, S_USED, buf);
	if (r->have_limit && r->have_used && r->limit > 0)
		table_setf(t, S_USE,
		    (op->tflags & TABLE_JSON) ? "%.2Lf" : "%.2Lf%%",
		    (long double)r->used * 100 / (long double)r->limit);
	else
		table_set(t, S_USE, "-");
}

static int
summary(const struct opts *op)
{
	struct ipc_limit rows[IPC_NLIMITS];
	struct colsel sel;
	struct ipcscan s;
	struct table *t;
	const char *what;
	size_t i, n;

	table_select(&sel, scols, NSCOLS, sdefaults,
	    sizeof(sdefaults) / sizeof(int), op->list);
	t = table_new("summary", scols, &sel, op->tflags);
	if (op->target != NULL)
		ipccols_target_enter(op->target);
	if (ipcscan(&s, IPC_POSIX | IPC_SYSV, 0, &what) != 0)
		msg_die_e(EXIT_FAIL, what, "cannot read");
	n = ipc_limits(&s, rows, IPC_NLIMITS);
	for (i = 0; i < n; i++)
		srow_print(t, &rows[i], op);
	ipcscan_free(&s);
	if (table_print(t) != 0)
		msg_die(EXIT_FAIL, NULL, "cannot print the table");
	return EXIT_DONE;
}

static int
ipcls(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "orphans", no_argument, NULL, 'O' },
		{ "summary", no_argument, NULL, 'S' },
		{ "target", required_argument, NULL, 'T' },
		{ "sort", required_argument, NULL, 's' },
		{ "usage", no_argument, NULL, 'U' },
		{ "by", required_argument, NULL, 'B' },
		{ "watch", optional_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts op = { .types = IPC_ALL };
	const char *types = NULL, *by = NULL, *errstr;
	struct cli c;
	int ch;

	cli_init(&c, argc, argv, "t:o:nbw", lopts, 0);
	cli_exclusive(&c, "Jr");
	while ((ch = cli_next(&c)) != -1) {
		switch (ch) {
		case 't':
			types = optarg;
			break;
		case 'o':
			op.list = optarg;
			break;
		case 'J':
			op.tflags |= TABLE_JSON;
			break;
		case 'r':
			op.tflags |= TABLE_RAW;
			break;
		case 'n':
			op.tflags |= TABLE_NOHEADINGS;
			break;
		case 'b':
			op.bytes = 1;
			break;
		case 'O':
			op.orphans = 1;
			break;
		case 'S':
			op.summary = 1;
			break;
		case 'T':
			op.target = optarg;
			break;
		case 's':
			op.key = cols_sort_parse(optarg);
			op.sort = 1;
			break;
		case 'U':
			op.usage = 1;
			break;
		case 'B':
			by = optarg;
			break;
		case 'w':
			op.watch = 1;
			op.period_text = optarg;
			break;
		}
	}
	if (c.nops > 0)
		cli_usage(c.ops[0], "unexpected operand (try 'ipcls --help')");
	if (op.summary && (op.orphans || types != NULL || op.sort))
		cli_usage(NULL, "--summary takes no --orphans, -t or --sort");
	if (op.usage && (op.summary || op.orphans || op.sort))
		cli_usage(NULL,
		    "--usage takes no --summary, --orphans or --sort");
	if (!op.usage && (by != NULL || op.watch))
		cli_usage(NULL, "--by and --watch go with --usage");
	cli_check_exclusive(&c);
	if (by != NULL && (op.by = usage_by_lookup(by)) < 0)
		cli_usage(by, "unknown --by (valid: %s)", usage_by_names);
	if (op.watch) {
		if (op.period_text == NULL)
			op.period_text = "2s";
		if (parse_time(op.period_text, &op.period, &errstr) != 0)
			cli_bad_value("--watch", op.period_text, errstr);
		if (op.period.tv_sec == 0 && op.period.tv_nsec < 100000000)
			cli_usage(op.period_text,
			    "--watch period is less than 0.1s");
	}
	if (types != NULL) {
		op.types = cols_types_parse(types, IPC_ALL);
		op.typed = 1;
		if (op.usage && (op.types & ~USAGE_TYPES))
			cli_usage(types,
			    "--usage counts shared memory: posix-shm, "
			    "posix-sem, sysv-shm, memfd");
	} else if (op.usage)
		op.types = USAGE_TYPES;
	if (op.target != NULL)
		ipccols_target_check(op.target);
	if (op.tflags & TABLE_JSON)
		op.bytes = 1;
	op.now = time(NULL);
	return op.summary ? summary(&op) : op.usage ? usage(&op) : list(&op);
}

static const struct verb one = {
	"ipcls",
	NULL,
	ipcls,
	"[-t TYPES] [-o COLS] [--json|--raw] [-n] [-b] [--orphans]\n"
	"                       [--sort KEY] [--target PID]\n"
	"       ipcls [--trace] --usage [--by KEY] [-w|--watch[=SECONDS]] [-t "
	"TYPES]\n"
	"                       [-o COLS] [--json|--raw] [-n] [-b] [--target "
	"PID]\n"
	"       ipcls [--trace] --summary [-o COLS] [--json|--raw] [-n] [-b]\n"
	"                       [--target PID]",
	"List every IPC object of the host: POSIX and System V shared "
	"memory,\nsemaphores and message queues, eventfds and memfds, with "
	"the pids that\nmap or hold them.",
};

const struct applet ipcls_applet = {
	"ipcls",
	"every IPC object, with its holders",
	NULL,
	NULL,
	ipcls_main,
};

/* The options, the types and the column tables, for --help. */
static char *
help_text(void)
{
	struct col vcols[NCOLS];
	char *help = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&help, &len);

	if (f == NULL)
		return NULL;
	fprintf(f,
	    "Options:\n"
	    "  -t, --type TYPES    only these types, comma-separated\n"
	    "  -o, --output COLS   these columns; +COLS adds to the "
	    "defaults\n"
	    "  --json              JSON (sizes in bytes)\n"
	    "  --raw               no alignment\n"
	    "  -n, --noheadings    no heading line\n"
	    "  -b, --bytes         sizes in bytes\n"
	    "  --orphans           only objects nothing uses or may still "
	    "want: no process\n"
	    "                      maps, holds or waits on it, its owner has "
	    "no live\n"
	    "                      process, System V: the pids it recorded "
	    "are gone;\n"
	    "                      with AGE, and their sum under the table\n"
	    "  --sort KEY          SIZE (largest first), AGE (longest unused "
	    "first), NAME\n"
	    "  --usage             shared memory in use, largest first, with "
	    "the sums\n"
	    "                      against /dev/shm's size and SHMALL; "
	    "objects with no\n"
	    "                      name left (deleted, still held) included\n"
	    "  --by KEY            --usage by owner (default), process, "
	    "cgroup or type\n"
	    "  -w, --watch[=SECS]  --usage again every SECS (2s): redrawn on "
	    "a terminal,\n"
	    "                      else a table a period, each after its "
	    "time\n"
	    "  --summary           limits and usage instead of objects\n"
	    "  --target PID        the IPC and mount namespaces and root of "
	    "PID\n"
	    "\nTypes: ");
	for (i = 0; i < IPC_NTYPES; i++)
		fprintf(f, "%s%s",
		    i == 0	 ? ""
			: i == 4 ? ",\n       "
				 : ", ",
		    ipc_type_name((int)i));
	fprintf(f, "\n\n");
	ipccols_view(&view, vcols);
	table_help_columns(f, vcols, NCOLS);
	fprintf(f, "Default columns:");
	for (i = 0; i < sizeof(defaults) / sizeof(int); i++)
		fprintf(f, "%s%s", i ? "," : " ", ipccols_name(defaults[i]));
	fprintf(f,
	    "\n  (--orphans: AGE instead of NATTCH)\n"
	    "--summary columns:");
	for (i = 0; i < NSCOLS; i++)
		fprintf(f, "%s%s", i ? "," : " ", scols[i].name);
	fprintf(f, "\n\n--usage columns:\n");
	table_help_columns(f, ucols, NUCOLS);
	fclose(f);
	return help;
}

int
ipcls_main(int argc, char **argv)
{
	/* The help text is made only when it may be printed. */
	return applet_run_one_help(&ipcls_applet, &one, help_text, argc, argv);
}
