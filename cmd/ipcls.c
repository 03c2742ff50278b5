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
#include "ipcscan.h"
#include "msg.h"
#include "ns.h"
#include "parse.h"
#include "table.h"
#include "trace.h"
#include "trace_ipc.h"

/* ipcls's view of the column set (lib/cols.h): -o, --help and the
 * output. */
static const int cols[] = { IC_TYPE, IC_NAME, IC_KEY, IC_ID, IC_SIZE, IC_PERMS,
	IC_OWNER, IC_GROUP, IC_HOLDERS, IC_NATTCH, IC_CPID, IC_LPID, IC_ATIME,
	IC_CTIME, IC_MTIME, IC_AGE, IC_FDS, IC_SEALS };

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
	int bytes, orphans, summary, typed;
	const char *list, *target;
	time_t now;
};

/* Enter the --target process's IPC and mount namespaces, root and
 * working directory. */
static void
enter_target(const char *text)
{
	const char *why;
	char obj[64];

	snprintf(obj, sizeof(obj), "--target %s", text);
	table_load(); /* from our root, not the target's */
	if (ns_enter((pid_t)strtol(text, NULL, 10), &why) != 0)
		msg_die_e(EXIT_FAIL, obj, "%s", why);
	ipccols_names_from_files();
}

static void
check_target(const char *text)
{
	const char *errstr;
	uint64_t pid;

	if (parse_u64(text, 1, INT_MAX, &pid, &errstr) != 0)
		cli_bad_value("--target", text, errstr);
	if (!ipcscan_pid_alive((pid_t)pid))
		cli_usage(NULL, "--target %s: no such process", text);
}

static void
mq_note(const struct ipcscan *s, const struct opts *op)
{
	if ((op->types & IPC_T(IPC_POSIX_MQ)) && op->typed && !s->mq_found)
		msg_warn("/dev/mqueue",
		    "no mqueue file system mounted: POSIX "
		    "message queues are not listed");
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

	ipccols_view(&view, vcols);
	ipccols_view_defaults(&view, op->orphans ? orphan_defaults : defaults,
	    sizeof(ids) / sizeof(int), ids);
	table_select(&sel, vcols, NCOLS, ids, sizeof(ids) / sizeof(int),
	    op->list);
	flags = ipccols_scanflags(&view, &sel);
	if (op->orphans)
		flags |= IPCSCAN_HOLDERS | IPCSCAN_PIDS;
	t = table_new("ipc", vcols, &sel, op->tflags);
	if (op->target != NULL)
		enter_target(op->target);
	if (ipcscan(&s, op->types, flags, &what) != 0)
		msg_die_e(EXIT_FAIL, what, "cannot read");
	mq_note(&s, op);
	if (op->orphans && ipcscan_blind(&s))
		msg_warn(NULL,
		    "%zu processes may not be inspected: what they "
		    "map or hold is unknown (run as root)",
		    s.uninspected);
	ipccols_rows(t, &sel, &f, op->orphans ? ipcscan_orphan : NULL);
	ipcscan_free(&s);
	if (table_print(t) != 0)
		msg_die(EXIT_FAIL, NULL, "cannot print the table");
	return EXIT_DONE;
}

/* --summary */

static int
read_u64s(const char *path, uint64_t *v, int n)
{
	char buf[256], *p = buf, *end;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC), i;

	if (fd < 0)
		return -1;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = '\0';
	for (i = 0; i < n; i++) {
		errno = 0;
		v[i] = strtoull(p, &end, 10);
		if (end == p || errno != 0)
			return -1;
		p = end;
	}
	return 0;
}

/* An exact unsigned 128-bit number in decimal. */
static void
fmt_u128(unsigned __int128 v, char *buf, size_t len)
{
	char tmp[48];
	size_t i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v != 0);
	snprintf(buf, len, "%s", tmp + i);
}

/* 4.0K, 16E, 64Z: humanize_number(3) stops at 2^63. */
static void
fmt_big(unsigned __int128 v, char *buf, size_t len)
{
	static const char units[] = "BKMGTPEZY";
	long double x = (long double)v;
	int u = 0;

	if (v <= INT64_MAX) {
		fmt_size((uint64_t)v, buf, len);
		return;
	}
	while (x >= 1024 && units[u + 1] != '\0')
		x /= 1024, u++;
	snprintf(buf, len, x < 10 ? "%.1Lf%c" : "%.0Lf%c", x, units[u]);
}

struct srow {
	const char *name, *desc;
	int bytes; /* LIMIT and USED are bytes */
	int have_limit, have_used;
	unsigned __int128 limit, used;
};

static void
srow_print(struct table *t, const struct srow *r, const struct opts *op)
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
	struct colsel sel;
	struct ipcscan s;
	struct statvfs sv;
	struct table *t;
	const char *what;
	uint64_t shmmax = 0, shmall = 0, shmmni = 0, sem[4] = { 0 };
	uint64_t msgmax = 0, msgmnb = 0, msgmni = 0, mq[3] = { 0 };
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	unsigned __int128 shm_pages = 0, nsems = 0, posix_bytes = 0;
	uint64_t n[IPC_NTYPES] = { 0 };
	int have_shm, have_sem, have_msg, have_mq[3], have_sv;
	size_t i;

	table_select(&sel, scols, NSCOLS, sdefaults,
	    sizeof(sdefaults) / sizeof(int), op->list);
	t = table_new("summary", scols, &sel, op->tflags);
	if (op->target != NULL)
		enter_target(op->target);
	if (ipcscan(&s, IPC_POSIX | IPC_SYSV, 0, &what) != 0)
		msg_die_e(EXIT_FAIL, what, "cannot read");
	for (i = 0; i < s.n; i++) {
		const struct ipcobj *o = &s.v[i];

		n[o->type]++;
		if (o->type == IPC_SYSV_SHM)
			shm_pages += (o->size + page - 1) / page;
		else if (o->type == IPC_SYSV_SEM)
			nsems += o->size;
		else if (o->type == IPC_POSIX_SHM || o->type == IPC_POSIX_SEM)
			posix_bytes += o->size;
	}
	have_shm = read_u64s("/proc/sys/kernel/shmmax", &shmmax, 1) == 0 &&
	    read_u64s("/proc/sys/kernel/shmall", &shmall, 1) == 0 &&
	    read_u64s("/proc/sys/kernel/shmmni", &shmmni, 1) == 0;
	have_sem = read_u64s("/proc/sys/kernel/sem", sem, 4) == 0;
	have_msg = read_u64s("/proc/sys/kernel/msgmax", &msgmax, 1) == 0 &&
	    read_u64s("/proc/sys/kernel/msgmnb", &msgmnb, 1) == 0 &&
	    read_u64s("/proc/sys/kernel/msgmni", &msgmni, 1) == 0;
	have_mq[0] = read_u64s("/proc/sys/fs/mqueue/queues_max", &mq[0], 1) ==
	    0;
	have_mq[1] = read_u64s("/proc/sys/fs/mqueue/msg_max", &mq[1], 1) == 0;
	have_mq[2] = read_u64s("/proc/sys/fs/mqueue/msgsize_max", &mq[2], 1) ==
	    0;
	have_sv = statvfs("/dev/shm", &sv) == 0;
	{
		/* shmall is in pages: times the page size it can pass 2^64
		 * (the default is 2^64 - 2^24 - 1 pages), so 128 bits. */
		const struct srow rows[] = {
			{ "SHMMNI", "System V shared memory segments", 0,
			    have_shm, 1, shmmni, n[IPC_SYSV_SHM] },
			{ "SHMALL", "System V shared memory in all segments", 1,
			    have_shm, 1, (unsigned __int128)shmall * page,
			    shm_pages * page },
			{ "SHMMAX", "Max size of a System V segment", 1,
			    have_shm, 0, shmmax, 0 },
			{ "SHMMIN", "Min size of a System V segment", 1, 1, 0,
			    1, 0 },
			{ "SEMMNI", "System V semaphore sets", 0, have_sem, 1,
			    sem[3], n[IPC_SYSV_SEM] },
			{ "SEMMNS", "System V semaphores in all sets", 0,
			    have_sem, 1, sem[1], nsems },
			{ "SEMMSL", "Max semaphores in a set", 0, have_sem, 0,
			    sem[0], 0 },
			{ "SEMOPM", "Max operations in one semop(2)", 0,
			    have_sem, 0, sem[2], 0 },
			{ "SEMVMX", "Max value of a System V semaphore", 0, 1,
			    0, 32767, 0 },
			{ "MSGMNI", "System V message queues", 0, have_msg, 1,
			    msgmni, n[IPC_SYSV_MSG] },
			{ "MSGMAX", "Max size of a System V message", 1,
			    have_msg, 0, msgmax, 0 },
			{ "MSGMNB", "Default max bytes in a System V queue", 1,
			    have_msg, 0, msgmnb, 0 },
			{ "SHMFS", "Size of /dev/shm (POSIX shm and sems)", 1,
			    have_sv, have_sv,
			    (unsigned __int128)sv.f_blocks * sv.f_frsize,
			    (unsigned __int128)(sv.f_blocks - sv.f_bfree) *
				sv.f_frsize },
			{ "SHMFILES", "Files in /dev/shm", 0,
			    have_sv && sv.f_files > 0, have_sv, sv.f_files,
			    n[IPC_POSIX_SHM] + n[IPC_POSIX_SEM] },
			{ "MQUEUES", "POSIX message queues", 0, have_mq[0],
			    s.mq_found, mq[0], n[IPC_POSIX_MQ] },
			{ "MQMSGMAX", "Max messages in a POSIX queue", 0,
			    have_mq[1], 0, mq[1], 0 },
			{ "MQMSGSIZE", "Max size of a POSIX message", 1,
			    have_mq[2], 0, mq[2], 0 },
		};

		(void)posix_bytes;
		for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
			srow_print(t, &rows[i], op);
	}
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
		{ NULL, 0, NULL, 0 },
	};
	struct opts op = { .types = IPC_ALL };
	const char *types = NULL;
	struct cli c;
	int ch;

	cli_init(&c, argc, argv, "t:o:nb", lopts, 0);
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
		}
	}
	if (c.nops > 0)
		cli_usage(c.ops[0], "unexpected operand (try 'ipcls --help')");
	if (op.summary && (op.orphans || types != NULL))
		cli_usage(NULL, "--summary takes no --orphans or -t");
	if ((op.tflags & TABLE_JSON) && (op.tflags & TABLE_RAW))
		cli_usage(NULL, "--json and --raw exclude each other");
	if (types != NULL) {
		op.types = cols_types_parse(types, IPC_ALL);
		op.typed = 1;
	}
	if (op.target != NULL)
		check_target(op.target);
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
	"                       [--target PID]\n"
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
	    "  --orphans           only objects no process maps or holds "
	    "(System V: not\n"
	    "                      attached, and the pids they recorded "
	    "gone), with AGE\n"
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
	struct applet ap = ipcls_applet;
	int i;

	/* The help text is made only when it may be printed. */
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)
			ap.options = help_text();
	return applet_run_one(&ap, &one, argc, argv);
}
