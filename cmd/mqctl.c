/* mqctl: POSIX and System V message queues from the shell: send and
 * receive messages (one a line, escaped, or raw), follow a queue, run a
 * command when a message arrives. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
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
#include "fmt.h"
#include "io.h"
#include "ipcscan.h"
#include "mq.h"
#include "msg.h"
#include "parse.h"
#include "run.h"
#include "table.h"
#include "unlink.h"

#define ACCEPT (ADDR_ACCEPT_POSIX | ADDR_ACCEPT_SYSV)
#define NOTIFY_SIGNAL SIGUSR1

/* --- Arguments ----------------------------------------------------- */

static void
mq_addr(const char *s, struct addr *a)
{
	addr_parse_or_die(s, ACCEPT, a);
}

/* key:0 is IPC_PRIVATE: create makes a new private queue with it, but it
 * names no existing one. */
static void
check_not_private(const struct addr *a)
{
	if (a->kind == ADDR_KEY && a->key == IPC_PRIVATE)
		cli_usage(a->text,
		    "key 0 (IPC_PRIVATE) names no queue: use its id:");
}

static void
rm_addr(const char *s, struct addr *a)
{
	mq_addr(s, a);
	check_not_private(a);
}

/* A number in [min, max], reported as the other parsers do ("is too
 * large"; strtonum says "too large"). */
static long
num_arg(const char *what, const char *s, long long min, long long max)
{
	const char *errstr;
	char why[32];
	long long v;

	if (parse_long(s, min, max, &v, &errstr) != 0) {
		snprintf(why, sizeof(why), "%s%s",
		    strncmp(errstr, "is ", 3) != 0 ? "is " : "", errstr);
		cli_bad_value(what, s, why);
	}
	return (long)v;
}

static long
size_arg(const char *what, const char *s)
{
	const char *errstr;
	uint64_t v;

	if (parse_size(s, INT_MAX, &v, &errstr) != 0)
		cli_bad_value(what, s, errstr);
	if (v == 0)
		cli_bad_value(what, s, "is too small");
	return (long)v;
}

static void
time_arg(const char *s, struct timespec *t)
{
	const char *errstr;

	if (parse_time(s, t, &errstr) != 0)
		cli_bad_value("timeout", s, errstr);
}

/* Options for one kind of queue only are usage errors on the other. */
static void
only(const struct addr *a, int sysv, const char *opt)
{
	if (addr_is_sysv(a) != sysv)
		cli_usage(a->text, "%s: %s queues only", opt,
		    sysv ? "System V" : "POSIX");
}

static void
open_or_die(struct mqobj *o, const struct addr *a, int what)
{
	const char *why = NULL;

	check_not_private(a);
	if (mqobj_open(o, a, what, &why) != 0)
		msg_fail(a->text, why);
}

/* -t TIMEOUT as the user wrote it, for the message when it runs out. */
struct wait {
	const char *text;
	struct timespec t, *tp; /* tp: &t with -t, else NULL (for ever) */
};

/* A send or receive failed: a signal ends us as it would have; EAGAIN
 * exits 3, saying how long was waited. */
static noreturn void
op_failed(const struct addr *a, const struct wait *w, const char *what,
    const char *why)
{
	if (errno == EINTR && run_signal)
		run_die_of_signal(run_signal);
	if (errno == EAGAIN && w->tp != NULL && w->t.tv_sec == 0 &&
	    w->t.tv_nsec == 0)
		msg_die(EXIT_TIMEOUT, a->text, "%s", what);
	if (errno == EAGAIN)
		msg_die(EXIT_TIMEOUT, a->text, "%s: timed out after %s", what,
		    w->text);
	msg_fail(a->text, why);
}

/* --- create -------------------------------------------------------- */

static int
do_create(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "exist-ok", no_argument, NULL, 'e' },
		{ "maxmsg", required_argument, NULL, 'M' },
		{ "msgsize", required_argument, NULL, 'S' },
		{ "qbytes", required_argument, NULL, 'Q' },
		{ NULL, 0, NULL, 0 },
	};
	struct mqattr attr = { 0, 0, 0 };
	struct mqobj o;
	struct addr a;
	struct cli c;
	const char *mode_text = NULL, *maxmsg = NULL, *msgsize = NULL,
		   *qbytes = NULL, *why = NULL, *errstr;
	mode_t mode = 0600;
	int ch, exist_ok = 0, created, id;

	cli_init(&c, argc, argv, "m:", lopts, 0);
	cli_exclusive(&c, "QMQS");
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 'm')
			mode_text = optarg;
		else if (ch == 'e')
			exist_ok = 1;
		else if (ch == 'M')
			maxmsg = optarg;
		else if (ch == 'S')
			msgsize = optarg;
		else if (ch == 'Q')
			qbytes = optarg;
	}
	cli_operands(&c, 1, 1);
	mq_addr(c.ops[0], &a);
	if (a.kind == ADDR_ID)
		cli_usage(a.text,
		    "an id names an existing queue: create by key: or "
		    "ftok:");
	if (maxmsg != NULL) {
		only(&a, 0, "--maxmsg");
		attr.maxmsg = num_arg("maxmsg", maxmsg, 1, INT_MAX);
	}
	if (msgsize != NULL) {
		only(&a, 0, "--msgsize");
		attr.msgsize = size_arg("msgsize", msgsize);
	}
	if (qbytes != NULL) {
		only(&a, 1, "--qbytes");
		attr.qbytes = size_arg("qbytes", qbytes);
	}
	if (mode_text != NULL && parse_mode(mode_text, 0, &mode, &errstr) != 0)
		cli_bad_value("mode", mode_text, errstr);
	if (mqobj_create(&o, &a, mode, &attr, exist_ok, &created, &why) != 0)
		msg_fail(a.text, why);
	id = o.id;
	mqobj_close(&o);
	return create_report_id(&a, id, created, mqobj_remove);
}

/* --- send ---------------------------------------------------------- */

/* All of stdin as one message, refused whole when it is longer than the
 * queue takes. */
static char *
read_message(struct mqobj *o, size_t *n)
{
	size_t max = (size_t)o->msgsize;
	char *p = xmalloc(max + 1), scratch[65536];
	const char *why = NULL;
	enum io_side side;
	uint64_t done;
	ssize_t r;
	int more;

	if (io_fd_to_mem(0, p, max, &done, &more, &side) != 0)
		msg_die_e(EXIT_FAIL, "stdin", "read");
	if (more) { /* count the rest, for the message */
		done++;
		while ((r = read(0, scratch, sizeof(scratch))) > 0 ||
		    (r < 0 && errno == EINTR))
			done += r > 0 ? (uint64_t)r : 0;
	}
	if (mqobj_fits(o, (size_t)done, &why) != 0)
		msg_fail(o->addr.text, why);
	*n = (size_t)done;
	return p;
}

static int
do_send(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "priority", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 'T' },
		{ "timeout", required_argument, NULL, 't' },
		{ "lines", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct wait w = { NULL, { 0, 0 }, NULL };
	struct io_lines in;
	struct mqobj o;
	struct addr a;
	struct cli c;
	const char *prio_text = NULL, *type_text = NULL, *why = NULL, *errstr;
	const char *line;
	char *msg = NULL, *unvis = NULL;
	size_t n, len, cap = 0;
	unsigned long long lineno = 0;
	long prio = 0;
	int ch, lines = 0, r;

	cli_init(&c, argc, argv, "p:t:l", lopts, 0);
	cli_exclusive(&c, "pT");
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 'p')
			prio_text = optarg;
		else if (ch == 'T')
			type_text = optarg;
		else if (ch == 't') {
			w.text = optarg;
			time_arg(optarg, &w.t);
			w.tp = &w.t;
		} else if (ch == 'l')
			lines = 1;
	}
	cli_operands(&c, 1, 2);
	mq_addr(c.ops[0], &a);
	if (lines && c.nops == 2)
		cli_usage(NULL,
		    "-l reads the messages from stdin: give no MSG");
	if (prio_text != NULL) {
		only(&a, 0, "-p");
		prio = num_arg("priority", prio_text, 0, MQOBJ_PRIO_MAX - 1);
	}
	if (type_text != NULL) {
		only(&a, 1, "--type");
		prio = num_arg("type", type_text, 1, LONG_MAX);
	} else if (addr_is_sysv(&a))
		prio = 1;
	open_or_die(&o, &a,
	    MQOBJ_SEND | (c.nops == 1 && !lines ? MQOBJ_SIZE : 0));

	if (!lines) {
		if (c.nops == 2)
			msg = c.ops[1], n = strlen(msg);
		else
			msg = read_message(&o, &n);
		if (mqobj_send(&o, msg, n, prio, w.tp, NULL, &why) != 0)
			op_failed(&a, &w, "the queue is full", why);
		if (c.nops == 1)
			free(msg);
		mqobj_close(&o);
		return EXIT_DONE;
	}

	/* One message a line, the escapes of recv undone. */
	io_lines_init(&in, 0);
	while ((r = io_line(&in, &line, &len)) > 0) {
		lineno++;
		if (len + 1 > cap) /* + 1: an empty line has a buffer too */
			unvis = xreallocarray(unvis, cap = len + 1, 1);
		if (parse_msgunvis(unvis, line, len, &n, &errstr) != 0)
			msg_die(EXIT_FAIL, a.text,
			    "line %llu %s (%llu sent before it)", lineno,
			    errstr, lineno - 1);
		if (mqobj_send(&o, unvis, n, prio, w.tp, NULL, &why) != 0) {
			if (errno == EAGAIN || errno == EINTR)
				op_failed(&a, &w, "the queue is full", why);
			msg_die(EXIT_FAIL, a.text,
			    "line %llu: %s (%llu sent before it)", lineno,
			    why != NULL ? why : strerror(errno), lineno - 1);
		}
	}
	if (r < 0)
		msg_die_e(EXIT_FAIL, "stdin", "read");
	io_lines_free(&in);
	free(unvis);
	mqobj_close(&o);
	return EXIT_DONE;
}

/* --- recv ---------------------------------------------------------- */

enum { R_PRIO, R_TYPE, R_SIZE, R_MESSAGE };

static const struct col msg_cols[] = {
	[R_PRIO] = { "PRIORITY", "the message's priority (POSIX)",
	    COL_RIGHT | COL_NUMBER },
	[R_TYPE] = { "TYPE", "the message's type (System V)",
	    COL_RIGHT | COL_NUMBER },
	[R_SIZE] = { "SIZE", "its length in bytes", COL_RIGHT | COL_NUMBER },
	[R_MESSAGE] = { "MESSAGE", "the message, escaped as one line",
	    COL_STRING },
};

enum { OUT_TEXT, OUT_RAW, OUT_JSON };

struct out {
	int mode, verbose, sysv;
	char *vis; /* small, or from the heap */
	size_t cap;
	char small[FMT_MSGVIS_LEN(1024)];
	unsigned long pending; /* messages written since the last flush */
};

/* The messages taken so far are on stdout, or we fail saying how many
 * may not be. */
static void
out_flush(struct out *out)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		msg_die_e(EXIT_FAIL, "stdout",
		    "write (%lu message%s taken may not have been written)",
		    out->pending, out->pending == 1 ? "" : "s");
	out->pending = 0;
}

static void
out_message(struct out *out, const char *p, size_t n, long prio)
{
	size_t len;

	out->pending++;
	if (out->mode == OUT_RAW) {
		fwrite(p, 1, n, stdout);
		return;
	}
	if (FMT_MSGVIS_LEN(n) > out->cap) {
		if (out->vis == out->small)
			out->vis = NULL;
		out->vis = xreallocarray(out->vis, out->cap = FMT_MSGVIS_LEN(n),
		    1);
	}
	len = fmt_msgvis(out->vis, p, n, out->mode == OUT_JSON);
	if (out->mode == OUT_JSON) {
		struct colsel sel = { .n = 3 };
		struct table *t;

		out->vis[len] = '\0';
		sel.ids[0] = out->sysv ? R_TYPE : R_PRIO;
		sel.ids[1] = R_SIZE;
		sel.ids[2] = R_MESSAGE;
		t = table_new("messages", msg_cols, &sel, TABLE_JSON);
		table_row(t);
		table_setf(t, sel.ids[0], "%ld", prio);
		table_setf(t, R_SIZE, "%zu", n);
		table_set(t, R_MESSAGE, out->vis);
		table_print(t);
		return;
	}
	if (out->verbose)
		printf("%ld ", prio);
	out->vis[len] = '\n';
	fwrite(out->vis, 1, len + 1, stdout);
}

/* Nothing is taken that cannot be written: stdout closed (or read-only)
 * fails before the first message. */
static void
check_stdout(void)
{
	int fl = fcntl(STDOUT_FILENO, F_GETFL);

	if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY) {
		errno = fl < 0 ? errno : EBADF;
		msg_die_e(EXIT_FAIL, "stdout", "cannot write");
	}
}

static int
do_recv(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'n' },
		{ "follow", no_argument, NULL, 'f' },
		{ "type", required_argument, NULL, 'T' },
		{ "except", no_argument, NULL, 'x' },
		{ "raw", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'J' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct timespec zero = { 0, 0 };
	struct wait w = { NULL, { 0, 0 }, NULL };
	static char obuf[64 << 10];
	static struct out out;
	struct mqobj o;
	struct addr a;
	struct cli c;
	const char *count_text = NULL, *type_text = NULL, *why = NULL, *p;
	unsigned long long count = 1, taken = 0;
	long type = 0, prio;
	size_t n;
	int ch, follow = 0, except = 0, r;

	out.vis = out.small;
	out.cap = sizeof(out.small);
	/* stdout's buffer: no malloc for one message, fewer writes for
	 * many. */
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	cli_init(&c, argc, argv, "t:n:fv", lopts, 0);
	cli_exclusive(&c, "nfrnrfrJrv");
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 't') {
			w.text = optarg;
			time_arg(optarg, &w.t);
			w.tp = &w.t;
		} else if (ch == 'n')
			count_text = optarg;
		else if (ch == 'f')
			follow = 1;
		else if (ch == 'T')
			type_text = optarg;
		else if (ch == 'x')
			except = 1;
		else if (ch == 'r')
			out.mode = OUT_RAW;
		else if (ch == 'J')
			out.mode = OUT_JSON;
		else if (ch == 'v')
			out.verbose = 1;
	}
	cli_operands(&c, 1, 1);
	mq_addr(c.ops[0], &a);
	out.sysv = addr_is_sysv(&a);
	if (count_text != NULL)
		count = (unsigned long long)num_arg("count", count_text, 1,
		    LONG_MAX);
	if (type_text != NULL) {
		only(&a, 1, "--type");
		type = num_arg("type", type_text, -LONG_MAX, LONG_MAX);
	}
	if (except) {
		only(&a, 1, "--except");
		if (type <= 0)
			cli_usage(NULL, "--except goes with --type N, N > 0");
	}
	check_stdout();
	open_or_die(&o, &a, MQOBJ_RECV);
	/* A signal ends a wait, after the messages taken are written; one
	 * message taken without waiting has nothing to write before it. */
	if (follow || count > 1 || w.tp == NULL || w.t.tv_sec != 0 ||
	    w.t.tv_nsec != 0)
		run_catch_signals();
	while (follow || taken < count) {
		/* Written messages wait in stdout's buffer only while more
		 * come at once: before a wait, they go out. */
		const struct timespec *tp = w.tp;

		if (out.pending > 0 &&
		    (tp == NULL || tp->tv_sec != 0 || tp->tv_nsec != 0))
			tp = &zero;
		r = mqobj_recv(&o, type, except, tp, &run_signal, &p, &n, &prio,
		    &why);
		if (r != 0 && errno == EAGAIN && tp != w.tp) {
			out_flush(&out);
			r = mqobj_recv(&o, type, except, w.tp, &run_signal, &p,
			    &n, &prio, &why);
		}
		if (r != 0) {
			out_flush(&out);
			op_failed(&a, &w, "no message", why);
		}
		out_message(&out, p, n, prio);
		taken++;
		if (run_signal) {
			out_flush(&out);
			run_die_of_signal(run_signal);
		}
	}
	out_flush(&out);
	if (out.vis != out.small)
		free(out.vis);
	mqobj_close(&o);
	return EXIT_DONE;
}

/* --- stat ---------------------------------------------------------- */

enum {
	S_TYPE,
	S_NAME,
	S_KEY,
	S_ID,
	S_MAXMSG,
	S_MSGSIZE,
	S_QBYTES,
	S_MESSAGES,
	S_BYTES,
	S_PERMS,
	S_MODE,
	S_OWNER,
	S_GROUP,
	S_CUID,
	S_CGID,
	S_MTIME,
	S_STIME,
	S_RTIME,
	S_CTIME,
	S_LSPID,
	S_LRPID,
	S_NOTIFY,
	S_HOLDERS,
};

static const struct col stat_cols[] = {
	[S_TYPE] = { "TYPE", "posix-mq or sysv-msg", 0 },
	[S_NAME] = { "NAME", "the queue's name", 0 },
	[S_KEY] = { "KEY", "System V key", 0 },
	[S_ID] = { "ID", "System V id", COL_RIGHT | COL_NUMBER },
	[S_MAXMSG] = { "MAXMSG", "most messages queued", COL_NUMBER },
	[S_MSGSIZE] = { "MSGSIZE", "longest message", COL_NUMBER },
	[S_QBYTES] = { "QBYTES", "most bytes queued", COL_NUMBER },
	[S_MESSAGES] = { "MESSAGES", "messages queued", COL_NUMBER },
	[S_BYTES] = { "BYTES", "bytes queued", COL_NUMBER },
	[S_PERMS] = { "PERMS", "permissions, symbolic", 0 },
	[S_MODE] = { "MODE", "permissions, octal", 0 },
	[S_OWNER] = { "OWNER", "owner", 0 },
	[S_GROUP] = { "GROUP", "group", 0 },
	[S_CUID] = { "CUID", "creator's user id", COL_NUMBER },
	[S_CGID] = { "CGID", "creator's group id", COL_NUMBER },
	[S_MTIME] = { "MTIME", "last send or receive", 0 },
	[S_STIME] = { "STIME", "last send", 0 },
	[S_RTIME] = { "RTIME", "last receive", 0 },
	[S_CTIME] = { "CTIME", "last change", 0 },
	[S_LSPID] = { "LSPID", "last sender's pid", COL_NUMBER },
	[S_LRPID] = { "LRPID", "last receiver's pid", COL_NUMBER },
	[S_NOTIFY] = { "NOTIFY", "pid registered for notification",
	    COL_NUMBER },
	[S_HOLDERS] = { "HOLDERS", "pids that hold it open", COL_ARRAY },
};

/* Field id of the queue described as text: buf, or "-". */
static const char *
stat_text(const struct mqdesc *d, const struct addr *a,
    const struct ipcobj *held, int id, char *buf, size_t len)
{
	size_t i, k;

	snprintf(buf, len, "-");
	switch (id) {
	case S_TYPE:
		snprintf(buf, len, "%s", d->sysv ? "sysv-msg" : "posix-mq");
		break;
	case S_NAME:
		snprintf(buf, len, "%s", a->name);
		break;
	case S_KEY:
		snprintf(buf, len, "0x%08x", (unsigned)d->key);
		break;
	case S_ID:
		snprintf(buf, len, "%d", d->id);
		break;
	case S_MAXMSG:
		snprintf(buf, len, "%ld", d->maxmsg);
		break;
	case S_MSGSIZE:
		snprintf(buf, len, "%ld", d->msgsize);
		break;
	case S_QBYTES:
		snprintf(buf, len, "%ld", d->qbytes);
		break;
	case S_MESSAGES:
		snprintf(buf, len, "%ld", d->messages);
		break;
	case S_BYTES:
		if (d->bytes >= 0)
			snprintf(buf, len, "%ld", d->bytes);
		break;
	case S_PERMS:
		fmt_mode(d->mode, buf);
		break;
	case S_MODE:
		snprintf(buf, len, "%04o", (unsigned)d->mode & 0777);
		break;
	case S_OWNER:
		fmt_user(d->uid, buf, len);
		break;
	case S_GROUP:
		fmt_group(d->gid, buf, len);
		break;
	case S_CUID:
		snprintf(buf, len, "%u", (unsigned)d->cuid);
		break;
	case S_CGID:
		snprintf(buf, len, "%u", (unsigned)d->cgid);
		break;
	case S_MTIME:
	case S_STIME:
		fmt_time(d->stime, buf, len);
		break;
	case S_RTIME:
		fmt_time(d->rtime, buf, len);
		break;
	case S_CTIME:
		fmt_time(d->ctime, buf, len);
		break;
	case S_LSPID:
		snprintf(buf, len, "%d", (int)d->lspid);
		break;
	case S_LRPID:
		snprintf(buf, len, "%d", (int)d->lrpid);
		break;
	case S_NOTIFY:
		if (d->notify_pid > 0)
			snprintf(buf, len, "%d", (int)d->notify_pid);
		break;
	case S_HOLDERS:
		for (i = 0, k = 0;
		     held != NULL && i < held->nholders && k + 16 < len; i++)
			k += (size_t)snprintf(buf + k, len - k, "%s%d",
			    i > 0 ? "," : "", (int)held->holders[i]);
		if (k == 0)
			snprintf(buf, len, "-");
		break;
	}
	return buf;
}

static int
do_stat(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	static const int posix_fields[] = { S_TYPE, S_NAME, S_MAXMSG, S_MSGSIZE,
		S_MESSAGES, S_BYTES, S_PERMS, S_MODE, S_OWNER, S_GROUP, S_MTIME,
		S_CTIME, S_NOTIFY, S_HOLDERS };
	static const int sysv_fields[] = { S_TYPE, S_KEY, S_ID, S_QBYTES,
		S_MSGSIZE, S_MESSAGES, S_BYTES, S_PERMS, S_MODE, S_OWNER,
		S_GROUP, S_CUID, S_CGID, S_STIME, S_RTIME, S_CTIME, S_LSPID,
		S_LRPID };
	struct colsel sel = { .n = 0 };
	struct ipcscan s;
	struct ipcobj held;
	struct mqdesc d;
	struct mqobj o;
	struct addr a;
	struct cli c;
	struct table *t = NULL;
	const char *why = NULL;
	const int *fields;
	char buf[4096], shown[FMT_VIS_LEN];
	size_t i, nf;
	int ch, json = 0;

	cli_init(&c, argc, argv, "", lopts, 0);
	while ((ch = cli_next(&c)) != -1)
		json = 1;
	cli_operands(&c, 1, 1);
	mq_addr(c.ops[0], &a);
	open_or_die(&o, &a, MQOBJ_SIZE);
	if (mqobj_describe(&o, &d, &why) != 0)
		msg_fail(a.text, why);
	if (d.sysv)
		d.msgsize = o.msgsize; /* what one message may be */
	fields = d.sysv ? sysv_fields : posix_fields;
	nf = d.sysv ? sizeof(sysv_fields) / sizeof(int)
		    : sizeof(posix_fields) / sizeof(int);
	memset(&held, 0, sizeof(held));
	if (!d.sysv) { /* who holds it: the scanner's one walk of /proc */
		held.type = IPC_POSIX_MQ;
		held.name = a.name;
		held.id = -1;
		held.dev = d.dev, held.ino = d.ino;
		held.efd_semaphore = -1;
		ipcscan_one(&s, &held);
	}
	if (json) {
		for (i = 0; i < nf; i++)
			sel.ids[sel.n++] = fields[i];
		t = table_new("queue", stat_cols, &sel, TABLE_JSON);
		table_row(t);
	}
	for (i = 0; i < nf; i++) {
		const char *v = stat_text(&d, &a, d.sysv ? NULL : &s.v[0],
		    fields[i], buf, sizeof(buf));

		if (json) {
			table_set(t, fields[i], v);
			continue;
		}
		if (fields[i] == S_NAME)
			v = fmt_vis(shown, sizeof(shown), v);
		for (const char *q = stat_cols[fields[i]].name; *q; q++)
			putchar(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
		printf(": %s\n", v);
	}
	if (json)
		table_print(t);
	if (!d.sysv)
		ipcscan_free(&s);
	mqobj_close(&o);
	return EXIT_DONE;
}

/* --- notify -------------------------------------------------------- */

static volatile sig_atomic_t notified;

static void
on_notify(int sig, siginfo_t *si, void *ctx)
{
	(void)sig, (void)ctx;
	if (si->si_code == SI_MESGQ)
		notified = 1;
}

static int
do_notify(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t block, old;
	struct mqobj o;
	struct addr a;
	struct cli c;
	const char *why = NULL;
	int status;

	cli_init(&c, argc, argv, "", NULL, CLI_CMD);
	while (cli_next(&c) != -1)
		;
	cli_operands(&c, 1, 1);
	if (c.ncmd == 0)
		cli_usage(NULL,
		    "missing CMD after '--' (usage: mqctl notify Q "
		    "-- CMD [ARG...])");
	mq_addr(c.ops[0], &a);
	only(&a, 0, "notify");
	open_or_die(&o, &a, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_notify;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(NOTIFY_SIGNAL, &sa, NULL);
	run_catch_signals();
	sigemptyset(&block);
	sigaddset(&block, NOTIFY_SIGNAL);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	if (mqobj_notify(&o, NOTIFY_SIGNAL, &why) != 0)
		msg_fail(a.text, why);
	for (;;) {
		sigprocmask(SIG_BLOCK, &block, &old);
		while (!notified && !run_signal)
			sigsuspend(&old);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (run_signal)
			run_die_of_signal(run_signal);
		notified = 0;
		/* Registered again before CMD runs (a notification ends the
		 * registration): a message that arrives while it runs, in a
		 * queue it emptied, is not missed, and no other process can
		 * take the registration meanwhile. */
		if (mqobj_notify(&o, NOTIFY_SIGNAL, &why) != 0)
			msg_fail(a.text, why);
		status = run_child(c.cmd);
		if (status != 0) {
			if (run_signal && status == 128 + run_signal)
				run_die_of_signal(run_signal);
			mqobj_close(&o);
			return status < 0 ? EXIT_FAIL : status;
		}
		if (run_signal)
			run_die_of_signal(run_signal);
	}
}

/* --- unlink, ls ---------------------------------------------------- */

static int
do_unlink(int argc, char **argv)
{
	return unlink_main(argc, argv, rm_addr, mqobj_remove);
}

static const int cols[] = { IC_TYPE, IC_NAME, IC_KEY, IC_ID, IC_SIZE, IC_PERMS,
	IC_MODE, IC_OWNER, IC_GROUP, IC_CUID, IC_CGID, IC_LPID, IC_ATIME,
	IC_MTIME, IC_CTIME, IC_HOLDERS };

static const struct ipccol_help help[] = {
	{ IC_TYPE, "posix-mq or sysv-msg" },
	{ IC_NAME, "name, or key: or id: address for System V" },
	{ IC_ID, "System V id" },
	{ IC_SIZE, "messages queued" },
	{ IC_LPID, "last msgsnd or msgrcv pid (System V)" },
	{ IC_ATIME, "last receive (System V)" },
	{ IC_MTIME, "last send (System V), last change (POSIX)" },
	{ IC_HOLDERS, "pids that hold it open (POSIX)" },
};

static const int ls_defaults[] = { IC_TYPE, IC_NAME, IC_ID, IC_SIZE, IC_PERMS,
	IC_OWNER, IC_MTIME };

static void
mq_note(const struct ipcscan *s)
{
	if (!s->mq_found)
		msg_warn("/dev/mqueue",
		    "no mqueue file system mounted: POSIX queues are not "
		    "listed (mount -t mqueue none /dev/mqueue)");
}

static const struct ipcview ls_view = {
	.name = "queues",
	IPCVIEW_ARRAYS(cols, help, ls_defaults),
	.types = IPC_T(IPC_POSIX_MQ) | IPC_T(IPC_SYSV_MSG),
	.help_columns = 1,
	.after_scan = mq_note,
};

static int
do_ls(int argc, char **argv)
{
	return ipccols_ls(argc, argv, &ls_view);
}

static const struct verb verbs[] = {
	{ "create", NULL, do_create,
	    "create Q [-m MODE] [--exist-ok] [--maxmsg N] [--msgsize N] "
	    "[--qbytes N]",
	    "create a queue exclusively, with exactly MODE (default 0600); "
	    "POSIX: at most N\n      messages of N bytes; System V: N bytes "
	    "in all, and prints the new id" },
	{ "send", NULL, do_send,
	    "send Q [MSG] [-p PRIO | --type N] [-t TIMEOUT] [-l]",
	    "send MSG, or stdin as one message, or with -l one message a line "
	    "(escapes undone);\n      waits for room at most TIMEOUT (exit 3 "
	    "when it runs out)" },
	{ "recv", NULL, do_recv,
	    "recv Q [-t TIMEOUT] [-n COUNT | -f] [--type N [--except]] "
	    "[-v] [--raw | --json]",
	    "take a message and print it as one line (newline, NUL and "
	    "backslash escaped);\n      -n takes COUNT, -f every one until "
	    "interrupted; -v prefixes the priority or type" },
	{ "stat", NULL, do_stat, "stat Q [--json]",
	    "print sizes, messages and bytes queued, mode, owner, times, pids "
	    "and holders" },
	{ "notify", NULL, do_notify, "notify Q -- CMD [ARG...]",
	    "run CMD each time a message arrives in the empty POSIX queue, "
	    "without taking it;\n      exit when CMD fails" },
	{ "unlink", "rm", do_unlink, "unlink Q... [-f]",
	    "remove queues; -f ignores missing ones" },
	{ "ls", NULL, do_ls, "ls [--json] [--raw] [-n] [-o COLS]",
	    "list POSIX and System V queues with the messages queued" },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct applet mqctl_applet = {
	"mqctl",
	"POSIX and System V message queues",
	verbs,
	"Queues (Q):\n"
	"  /name, name        POSIX queue (mq_open(3); /dev/mqueue/name when "
	"mounted)\n"
	"  key:0x1234, key:N  System V queue by key\n"
	"  id:N               System V queue by id\n"
	"  ftok:PATH:PROJ     System V queue by ftok(PATH, PROJ)\n"
	"Priorities: 0 to 32767 (POSIX, -p); types: 1 or more (System V, "
	"--type; recv: 0 any,\n"
	"N that type, -N the lowest type up to N).  Sizes: 8192, 8K.  "
	"Timeouts: 1.5, 250ms, 2s.\n",
	mqctl_main,
};

int
mqctl_main(int argc, char **argv)
{
	return applet_run(&mqctl_applet, argc, argv);
}
