/* ipcls: every IPC object in one view, with its holders. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
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

/* ipcls's view of the column set (lib/cols.h): -o, --help and the
 * output. */
static const int cols[] = { IC_TYPE, IC_NAME, IC_KEY, IC_ID, IC_SIZE, IC_PERMS,
	IC_OWNER, IC_GROUP, IC_HOLDERS, IC_NATTCH, IC_CPID, IC_LPID, IC_ATIME,
	IC_CTIME, IC_MTIME, IC_AGE, IC_FDS, IC_SEALS, IC_HOLDS };

static const struct ipccol_help help[] = {
	{ IC_TYPE, "the kind of object (Types above)" },
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

struct opts {
	unsigned types;
	unsigned tflags; /* TABLE_* */
	int bytes, orphans, summary, typed, sort;
	enum ipcsort key;
	const char *list, *target;
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
		{ NULL, 0, NULL, 0 },
	};
	struct opts op = { .types = IPC_ALL };
	const char *types = NULL;
	struct cli c;
	int ch;

	cli_init(&c, argc, argv, "t:o:nb", lopts, 0);
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
		}
	}
	if (c.nops > 0)
		cli_usage(c.ops[0], "unexpected operand (try 'ipcls --help')");
	if (op.summary && (op.orphans || types != NULL || op.sort))
		cli_usage(NULL, "--summary takes no --orphans, -t or --sort");
	cli_check_exclusive(&c);
	if (types != NULL) {
		op.types = cols_types_parse(types, IPC_ALL);
		op.typed = 1;
	}
	if (op.target != NULL)
		ipccols_target_check(op.target);
	if (op.tflags & TABLE_JSON)
		op.bytes = 1;
	op.now = time(NULL);
	return op.summary ? summary(&op) : list(&op);
}

static const struct verb one = {
	"ipcls",
	NULL,
	ipcls,
	"[-t TYPES] [-o COLS] [--json|--raw] [-n] [-b] [--orphans]\n"
	"                       [--sort KEY] [--target PID]\n"
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
	fprintf(f, "\n");
	fclose(f);
	return help;
}

int
ipcls_main(int argc, char **argv)
{
	/* The help text is made only when it may be printed. */
	return applet_run_one_help(&ipcls_applet, &one, help_text, argc, argv);
}
