/* shmctl: POSIX and System V shared memory from the shell. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>

#include "addr.h"
#include "applets.h"
#include "cli.h"
#include "cols.h"
#include "fmt.h"
#include "ipcscan.h"
#include "msg.h"
#include "parse.h"
#include "ring.h"
#include "rw.h"
#include "shm.h"
#include "table.h"
#include "unlink.h"

#define ACCEPT (ADDR_ACCEPT_POSIX | ADDR_ACCEPT_SYSV)

/* A bad size or mode is a usage error that names the object. */
static uint64_t
size_arg(const struct addr *a, const char *s)
{
	const char *errstr;
	uint64_t v;

	if (parse_size(s, INT64_MAX, &v, &errstr) != 0)
		cli_usage(a->text, "size '%s' %s", s, errstr);
	return v;
}

static mode_t
mode_arg(const struct addr *a, const char *s, mode_t base)
{
	const char *errstr;
	mode_t m;

	if (parse_mode(s, base, &m, &errstr) != 0)
		cli_usage(a->text, "mode '%s' %s", s, errstr);
	return m;
}

/* key:0 is IPC_PRIVATE: create makes a new private segment with it, but
 * it names no existing one. */
static void
check_not_private(const struct addr *a)
{
	if (a->kind == ADDR_KEY && a->key == IPC_PRIVATE)
		cli_usage(a->text,
		    "key 0 is IPC_PRIVATE and names no segment: "
		    "use id:");
}

/* A POSIX name that is a semaphore's file is a usage error. */
static void
check_name(const struct addr *a)
{
	const char *errstr;

	if (shm_check_addr(a, &errstr) != 0)
		cli_usage(a->text, "%s", errstr);
}

static void
parse_addr(const char *s, struct addr *a)
{
	addr_parse_or_die(s, ACCEPT, a);
	check_name(a);
}

/* An object to remove: key:0 names none. */
static void
shm_addr(const char *s, struct addr *a)
{
	parse_addr(s, a);
	check_not_private(a);
}

static void
open_or_die(struct shmobj *o, const struct addr *a, int rw)
{
	const char *why = NULL;

	check_name(a);
	check_not_private(a);
	if (shm_open_obj(o, a, rw, &why) != 0)
		msg_fail(a->text, why);
}

static void
open_meta_or_die(struct shmobj *o, const struct addr *a)
{
	const char *why = NULL;

	check_name(a);
	check_not_private(a);
	if (shm_open_meta(o, a, &why) != 0)
		msg_fail(a->text, why);
}

static const struct rw_ops rw_ops = { ACCEPT, open_or_die };

static int
do_read(int argc, char **argv)
{
	return rw_read(&rw_ops, argc, argv);
}

static int
do_write(int argc, char **argv)
{
	return rw_write(&rw_ops, argc, argv);
}

/* --- send and recv: a stream through a ring (lib/ring.h) ------------- */

static uint64_t
ring_size_arg(const struct addr *a, const char *s)
{
	uint64_t v = size_arg(a, s);

	if (v < RING_MIN || v > INT64_MAX - RING_HDR)
		cli_usage(a->text, "ring size '%s' %s", s,
		    v < RING_MIN ? "is below 4K" : "is too large");
	return v;
}

static int
create_ring(const struct addr *a, uint64_t size, mode_t mode, int exist_ok)
{
	struct ring r;
	const char *why = NULL;
	int id;

	if (size < RING_MIN || size > INT64_MAX - RING_HDR)
		cli_usage(a->text, "ring size %s",
		    size < RING_MIN ? "is below 4K" : "is too large");
	if (ring_open(&r, a, size, mode, exist_ok ? RING_MAKE_OK : RING_MAKE,
		&why) != 0)
		msg_fail(a->text, why);
	id = r.o.id;
	ring_close(&r);
	return create_report_id(a, id, r.created, shm_remove);
}

static int
stream(int argc, char **argv, int send)
{
	static const struct option lopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct ring r;
	struct ring_stats st;
	struct timespec stall;
	struct addr a;
	struct cli c;
	const char *size_text = NULL, *mode_text = NULL, *t_text = NULL;
	const char *why = NULL, *errstr;
	uint64_t cap = RING_DEFAULT;
	mode_t mode = 0600;
	int ch, rc;

	cli_init(&c, argc, argv, "s:m:t:", lopts, 0);
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 's')
			size_text = optarg;
		else if (ch == 'm')
			mode_text = optarg;
		else if (ch == 't')
			t_text = optarg;
	}
	cli_operands(&c, 1, 1);
	parse_addr(c.ops[0], &a);
	check_not_private(&a);
	if (size_text != NULL)
		cap = ring_size_arg(&a, size_text);
	if (mode_text != NULL)
		mode = mode_arg(&a, mode_text, 0);
	if (t_text != NULL && parse_time(t_text, &stall, &errstr) != 0)
		cli_bad_value("-t", t_text, errstr);
	if (ring_open(&r, &a, cap, mode, a.kind == ADDR_ID ? 0 : RING_MAKE_OK,
		&why) != 0)
		msg_fail(a.text, why);
	rc = send ? ring_send(&r, 0, t_text ? &stall : NULL, &st, &why)
		  : ring_recv(&r, 1, t_text ? &stall : NULL, &st, &why);
	ring_close(&r);
	if (rc == RING_TIMEDOUT)
		msg_die(EXIT_TIMEOUT, a.text, "%s (after %" PRIu64 " bytes)",
		    why, st.bytes);
	if (rc != 0 && st.peer > 0)
		msg_die(EXIT_FAIL, a.text,
		    "the %s (pid %d) died before the end "
		    "of the stream (after %" PRIu64 " bytes)",
		    send ? "receiver" : "sender", (int)st.peer, st.bytes);
	if (rc != 0 && why == NULL)
		msg_die_e(EXIT_FAIL, a.text, "cannot %s %s",
		    send ? "read" : "write",
		    send ? "standard input" : "standard output");
	if (rc != 0)
		msg_fail(a.text, why);
	return EXIT_DONE;
}

static int
do_send(int argc, char **argv)
{
	return stream(argc, argv, 1);
}

static int
do_recv(int argc, char **argv)
{
	return stream(argc, argv, 0);
}

static int
do_create(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "exist-ok", no_argument, NULL, 'e' },
		{ "ring", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	struct shmobj o;
	struct addr a;
	struct cli c;
	const char *mode_text = NULL, *why = NULL;
	mode_t mode = 0600;
	uint64_t size;
	int ch, exist_ok = 0, created, id, ring = 0;

	cli_init(&c, argc, argv, "m:", lopts, 0);
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 'm')
			mode_text = optarg;
		else if (ch == 'e')
			exist_ok = 1;
		else if (ch == 'R')
			ring = 1;
	}
	cli_operands(&c, 2, 2);
	parse_addr(c.ops[0], &a);
	if (a.kind == ADDR_ID)
		cli_usage(a.text,
		    "an id names an existing segment: create by "
		    "key: or ftok:");
	size = size_arg(&a, c.ops[1]);
	if (mode_text != NULL)
		mode = mode_arg(&a, mode_text, 0);
	if (ring)
		return create_ring(&a, size, mode, exist_ok);
	if (shm_create(&o, &a, size, mode, exist_ok, &created, &why) != 0)
		msg_fail(a.text, why);
	id = o.id;
	shm_close(&o);
	return create_report_id(&a, id, created, shm_remove);
}

/* stat and ls share one view of the column set: stat prints a row as
 * "key: value" lines, or JSON. */
static const int cols[] = { IC_TYPE, IC_NAME, IC_KEY, IC_ID, IC_SIZE, IC_PERMS,
	IC_MODE, IC_OWNER, IC_GROUP, IC_CUID, IC_CGID, IC_NATTCH, IC_CPID,
	IC_LPID, IC_ATIME, IC_MTIME, IC_CTIME, IC_HOLDERS };

static const struct ipccol_help help[] = {
	{ IC_TYPE, "posix-shm or sysv-shm" },
	{ IC_NAME, "name, or key: address for System V" },
	{ IC_ID, "System V id" },
	{ IC_LPID, "last shmat/shmdt pid (System V)" },
	{ IC_ATIME, "last access (System V: attach)" },
	{ IC_MTIME, "last change of data (System V: detach)" },
};

static const int ls_defaults[] = { IC_TYPE, IC_NAME, IC_ID, IC_SIZE, IC_PERMS,
	IC_OWNER, IC_NATTCH, IC_MTIME };

static const struct ipcview ls_view = {
	.name = "shm",
	IPCVIEW_ARRAYS(cols, help, ls_defaults),
	.types = IPC_T(IPC_POSIX_SHM) | IPC_T(IPC_SYSV_SHM),
	.bytes_opt = 1,
	.help_columns = 1,
};

/* The object stat describes as the scanner's record, with its holders
 * from the scanner's one walk of /proc. */
static void
stat_scan(const struct shmdesc *in, struct ipcscan *s)
{
	struct ipcobj o;

	memset(&o, 0, sizeof(o));
	o.type = in->sysv ? IPC_SYSV_SHM : IPC_POSIX_SHM;
	o.name = in->sysv ? "" : in->name;
	o.key = in->key;
	o.id = in->sysv ? in->id : -1;
	o.size = in->size;
	o.mode = in->mode;
	o.uid = in->uid, o.cuid = in->cuid;
	o.gid = in->gid, o.cgid = in->cgid;
	o.has_size = o.has_mode = o.has_owner = 1;
	o.nattch = in->nattch;
	o.cpid = in->cpid, o.lpid = in->lpid;
	o.atime = in->atime, o.mtime = in->mtime, o.ctime = in->ctime;
	o.dev = in->dev, o.ino = in->ino;
	o.efd_semaphore = -1;
	ipcscan_one(s, &o);
}

static int
do_stat(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	static const int posix_fields[] = { IC_TYPE, IC_NAME, IC_SIZE, IC_PERMS,
		IC_MODE, IC_OWNER, IC_GROUP, IC_ATIME, IC_MTIME, IC_CTIME,
		IC_HOLDERS };
	static const int sysv_fields[] = { IC_TYPE, IC_KEY, IC_ID, IC_SIZE,
		IC_PERMS, IC_MODE, IC_OWNER, IC_GROUP, IC_CUID, IC_CGID,
		IC_NATTCH, IC_CPID, IC_LPID, IC_ATIME, IC_MTIME, IC_CTIME,
		IC_HOLDERS };
	struct shmobj o;
	struct shmdesc in;
	struct addr a;
	struct cli c;
	struct colsel sel = { .n = 0 };
	struct col vcols[sizeof(cols) / sizeof(cols[0])];
	struct ipcscan s;
	struct ipcfmt f = { &ls_view, NULL, 1, 0, 0 };
	struct ipcrow r;
	struct table *t;
	const int *fields;
	char buf[4096], human[16], shown[FMT_VIS_LEN], *own;
	size_t i, nf;
	int ch, json = 0;

	cli_init(&c, argc, argv, "", lopts, 0);
	while ((ch = cli_next(&c)) != -1)
		json = 1;
	cli_operands(&c, 1, 1);
	parse_addr(c.ops[0], &a);
	open_meta_or_die(&o, &a);
	if (shm_describe(&o, &in) != 0)
		msg_fail(a.text, NULL);
	fields = in.sysv ? sysv_fields : posix_fields;
	nf = in.sysv ? sizeof(sysv_fields) / sizeof(int)
		     : sizeof(posix_fields) / sizeof(int);
	stat_scan(&in, &s);
	f.s = &s;
	r = (struct ipcrow){ &s.v[0], 0, -1 };
	if (json) {
		ipccols_view(&ls_view, vcols);
		ipccols_view_defaults(&ls_view, fields, nf, sel.ids);
		sel.n = nf;
		t = table_new("shm", vcols, &sel, TABLE_JSON | TABLE_BYTES);
		f.json = 1;
		ipccols_rows(t, &sel, &f, NULL);
		table_print(t);
	}
	for (i = 0; i < nf && !json; i++) {
		const char *v = ipccols_text(&f, fields[i], &r, buf,
		    sizeof(buf), &own);

		if (fields[i] == IC_SIZE) {
			fmt_size(in.size, human, sizeof(human));
			printf("size: %s (%s)\n", v, human);
			continue;
		}
		for (const char *p = ipccols_name(fields[i]); *p; p++)
			putchar(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		if (fields[i] == IC_NAME) /* the one field a user chose */
			v = fmt_vis(shown, sizeof(shown), v);
		printf(": %s\n", v);
		free(own);
	}
	ipcscan_free(&s);
	shm_close(&o);
	return EXIT_DONE;
}

static int
do_resize(int argc, char **argv)
{
	struct shmobj o;
	struct addr a;
	struct cli c;
	const char *why = NULL;
	uint64_t size;

	cli_operands_only(&c, argc, argv, 2, 2);
	parse_addr(c.ops[0], &a);
	size = size_arg(&a, c.ops[1]);
	if (addr_is_sysv(&a))
		cli_usage(a.text, "System V segments cannot be resized");
	open_or_die(&o, &a, 1);
	if (shm_resize(&o, size, &why) != 0)
		msg_fail(a.text, why);
	shm_close(&o);
	return EXIT_DONE;
}

static int
do_chmod(int argc, char **argv)
{
	struct shmobj o;
	struct shmdesc in;
	struct addr a;
	struct cli c;

	cli_operands_only(&c, argc, argv, 2, 2);
	parse_addr(c.ops[0], &a);
	(void)mode_arg(&a, c.ops[1], 0); /* a bad mode is a usage error first */
	open_meta_or_die(&o, &a);
	if (shm_describe(&o, &in) != 0 ||
	    shm_chmod(&o, mode_arg(&a, c.ops[1], in.mode)) != 0)
		msg_fail(a.text, NULL);
	shm_close(&o);
	return EXIT_DONE;
}

static int
do_unlink(int argc, char **argv)
{
	return unlink_main(argc, argv, shm_addr, shm_remove);
}

static int
do_ls(int argc, char **argv)
{
	return ipccols_ls(argc, argv, &ls_view);
}

static const struct verb verbs[] = {
	{ "create", NULL, do_create,
	    "create OBJ SIZE [-m MODE] [--exist-ok] [--ring]",
	    "create an object of SIZE bytes, exclusively, with exactly MODE "
	    "(default 0600);\n      a System V create prints the new id; "
	    "--ring: a ring of SIZE bytes for send\n      and recv" },
	{ "write", NULL, do_write, "write OBJ " RW_WRITE_SYNOPSIS,
	    RW_WRITE_HELP },
	{ "read", NULL, do_read, "read OBJ " RW_READ_SYNOPSIS, RW_READ_HELP },
	{ "stat", NULL, do_stat, "stat OBJ [--json]",
	    "print size, mode, owner, times, attachments and holder pids" },
	{ "resize", NULL, do_resize, "resize OBJ SIZE",
	    "change the size of a POSIX object" },
	{ "chmod", NULL, do_chmod, "chmod OBJ MODE",
	    "change the mode (octal, or symbolic like g+r)" },
	{ "send", NULL, do_send, "send OBJ [-s SIZE] [-m MODE] [-t TIMEOUT]",
	    "copy standard input into the ring OBJ, for one recv; the ring is "
	    "made\n      (SIZE, default 1M) when it does not exist" },
	{ "recv", NULL, do_recv, "recv OBJ [-s SIZE] [-m MODE] [-t TIMEOUT]",
	    "copy one stream from the ring OBJ to standard output, until its "
	    "end;\n      -t bounds a wait for the other side (exit 3)" },
	{ "unlink", "rm", do_unlink, "unlink OBJ... [-f]",
	    "remove objects; -f ignores missing ones" },
	{ "ls", NULL, do_ls, "ls [--json] [--raw] [-n] [-b] [-o COLS]",
	    "list POSIX objects and System V segments" },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct applet shmctl_applet = {
	"shmctl",
	"POSIX and System V shared memory",
	verbs,
	"Objects (OBJ):\n"
	"  /name, name        POSIX object, /dev/shm/name\n"
	"  key:0x1234, key:N  System V segment by key\n"
	"  id:N               System V segment by id\n"
	"  ftok:PATH:PROJ     System V segment by ftok(PATH, PROJ)\n"
	"Sizes and offsets: 4096, 0x1000, 4K, 4KiB, 1M, 2G (1024-based).\n"
	"Modes: 0640 or u=rw,g=r.\n",
	shmctl_main,
};

int
shmctl_main(int argc, char **argv)
{
	return applet_run(&shmctl_applet, argc, argv);
}
