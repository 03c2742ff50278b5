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
#include "msg.h"
#include "parse.h"
#include "proc.h"
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
do_create(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "exist-ok", no_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	struct shmobj o;
	struct addr a;
	struct cli c;
	const char *mode_text = NULL, *why = NULL;
	mode_t mode = 0600;
	uint64_t size;
	int ch, exist_ok = 0, created, id;

	cli_init(&c, argc, argv, "m:", lopts, 0);
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 'm')
			mode_text = optarg;
		else if (ch == 'e')
			exist_ok = 1;
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
	if (shm_create(&o, &a, size, mode, exist_ok, &created, &why) != 0)
		msg_fail(a.text, why);
	id = o.id;
	shm_close(&o);
	/* A segment whose id cannot be reported is one nobody can find:
	 * remove it, so that a retry does not fail with "File exists". */
	if (addr_is_sysv(&a) &&
	    (printf("%d\n", id) < 0 || fflush(stdout) == EOF ||
		ferror(stdout)) &&
	    created) {
		struct addr made = { .kind = ADDR_ID, .text = a.text };
		int e = errno;

		made.id = id;
		(void)shm_remove(&made, &why);
		errno = e;
	}
	return EXIT_DONE; /* the dispatcher reports the lost stdout */
}

/* stat and ls share one column table: stat prints a row as "key: value"
 * lines, or JSON. */
enum {
	C_TYPE,
	C_NAME,
	C_KEY,
	C_ID,
	C_SIZE,
	C_PERMS,
	C_MODE,
	C_OWNER,
	C_GROUP,
	C_CUID,
	C_CGID,
	C_NATTCH,
	C_CPID,
	C_LPID,
	C_ATIME,
	C_MTIME,
	C_CTIME,
	C_HOLDERS,
};

static const struct col cols[] = {
	[C_TYPE] = { "TYPE", "posix-shm or sysv-shm", 0 },
	[C_NAME] = { "NAME", "name, or key: address for System V", 0 },
	[C_KEY] = { "KEY", "System V key", 0 },
	[C_ID] = { "ID", "System V id", COL_RIGHT | COL_NUMBER },
	[C_SIZE] = { "SIZE", "size (bytes with -b or --json)",
	    COL_RIGHT | COL_NUMBER },
	[C_PERMS] = { "PERMS", "permissions, symbolic", 0 },
	[C_MODE] = { "MODE", "permissions, octal", 0 },
	[C_OWNER] = { "OWNER", "owner", 0 },
	[C_GROUP] = { "GROUP", "group", 0 },
	[C_CUID] = { "CUID", "creator's user id", COL_RIGHT | COL_NUMBER },
	[C_CGID] = { "CGID", "creator's group id", COL_RIGHT | COL_NUMBER },
	[C_NATTCH] = { "NATTCH", "attachments (System V)",
	    COL_RIGHT | COL_NUMBER },
	[C_CPID] = { "CPID", "creator pid (System V)", COL_RIGHT | COL_NUMBER },
	[C_LPID] = { "LPID", "last shmat/shmdt pid (System V)",
	    COL_RIGHT | COL_NUMBER },
	[C_ATIME] = { "ATIME", "last access (System V: attach)", 0 },
	[C_MTIME] = { "MTIME", "last change of data (System V: detach)", 0 },
	[C_CTIME] = { "CTIME", "last change of status", 0 },
	[C_HOLDERS] = { "HOLDERS", "pids that map or hold it", COL_ARRAY },
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static const int ls_defaults[] = { C_TYPE, C_NAME, C_ID, C_SIZE, C_PERMS,
	C_OWNER, C_NATTCH, C_MTIME };

/* The value of column id for an object (a struct shmdesc), as text. */
static void
field(const void *obj, int id, int bytes, char *buf, size_t len)
{
	const struct shmdesc *in = obj;
	pid_t *pids;
	size_t n;

	switch (id) {
	case C_TYPE:
		snprintf(buf, len, in->sysv ? "sysv-shm" : "posix-shm");
		break;
	case C_NAME:
		/* An address the user can paste: a private segment
		 * (key 0) is reachable by id only. */
		if (in->sysv && in->key == IPC_PRIVATE)
			snprintf(buf, len, "id:%d", in->id);
		else if (in->sysv)
			snprintf(buf, len, "key:%#010x", (unsigned)in->key);
		else
			snprintf(buf, len, "%s", in->name);
		break;
	case C_KEY:
		snprintf(buf, len, in->sysv ? "0x%08x" : "-",
		    (unsigned)in->key);
		break;
	case C_ID:
		snprintf(buf, len, in->sysv ? "%d" : "-", in->id);
		break;
	case C_SIZE:
		if (bytes)
			snprintf(buf, len, "%" PRIu64, in->size);
		else
			fmt_size(in->size, buf, len);
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
	case C_NATTCH:
		snprintf(buf, len, in->sysv ? "%lu" : "-", in->nattch);
		break;
	case C_CPID:
		snprintf(buf, len, in->sysv ? "%d" : "-", (int)in->cpid);
		break;
	case C_LPID:
		snprintf(buf, len, in->sysv ? "%d" : "-", (int)in->lpid);
		break;
	case C_ATIME:
		fmt_time(in->atime, buf, len);
		break;
	case C_MTIME:
		fmt_time(in->mtime, buf, len);
		break;
	case C_CTIME:
		fmt_time(in->ctime, buf, len);
		break;
	case C_HOLDERS: {
		struct proc_match m = { in->sysv, in->id, in->dev, in->ino };

		n = proc_holders(&m, &pids);
		proc_fmt_pids(n ? pids : NULL, n, buf, len);
		if (n)
			free(pids);
		break;
	}
	}
}

static int
do_stat(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	static const int posix_fields[] = { C_TYPE, C_NAME, C_SIZE, C_PERMS,
		C_MODE, C_OWNER, C_GROUP, C_ATIME, C_MTIME, C_CTIME,
		C_HOLDERS };
	static const int sysv_fields[] = { C_TYPE, C_KEY, C_ID, C_SIZE, C_PERMS,
		C_MODE, C_OWNER, C_GROUP, C_CUID, C_CGID, C_NATTCH, C_CPID,
		C_LPID, C_ATIME, C_MTIME, C_CTIME, C_HOLDERS };
	struct shmobj o;
	struct shmdesc in;
	struct addr a;
	struct cli c;
	struct colsel sel = { .n = 0 };
	struct table *t;
	const int *fields;
	char buf[4096], human[16], shown[FMT_VIS_LEN];
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
	if (json) {
		for (i = 0; i < nf; i++)
			sel.ids[sel.n++] = fields[i];
		t = table_new("shm", cols, &sel, TABLE_JSON | TABLE_BYTES);
		table_row_fields(t, field, &in);
		table_print(t);
	}
	for (i = 0; i < nf && !json; i++) {
		int id = fields[i];

		field(&in, id, 1, buf, sizeof(buf));
		if (id == C_SIZE) {
			fmt_size(in.size, human, sizeof(human));
			printf("size: %s (%s)\n", buf, human);
			continue;
		}
		for (char *p = (char *)cols[id].name; *p; p++)
			putchar(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		if (id == C_NAME) /* the one field a user chose */
			fmt_vis(shown, sizeof(shown), buf);
		printf(": %s\n", id == C_NAME ? shown : buf);
	}
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

static const struct table_spec ls_spec = {
	.name = "shm",
	.cols = cols,
	.ncols = NCOLS,
	.defaults = ls_defaults,
	.ndefaults = sizeof(ls_defaults) / sizeof(int),
	.bytes_opt = 1,
	.help_columns = 1,
};

static int
ls_one(const struct shmdesc *in, void *t)
{
	table_row_fields(t, field, in);
	return 0;
}

static int
do_ls(int argc, char **argv)
{
	struct table *t = table_ls(argc, argv, &ls_spec);

	if (shm_list(ls_one, t) != 0)
		msg_die_e(EXIT_FAIL, SHM_DIR, "%s", "");
	table_print(t);
	return EXIT_DONE;
}

static const struct verb verbs[] = {
	{ "create", NULL, do_create, "create OBJ SIZE [-m MODE] [--exist-ok]",
	    "create an object of SIZE bytes, exclusively, with exactly MODE "
	    "(default 0600);\n      a System V create prints the new id" },
	{ "write", NULL, rw_write_verb, "write OBJ " RW_WRITE_SYNOPSIS,
	    RW_WRITE_HELP },
	{ "read", NULL, rw_read_verb, "read OBJ " RW_READ_SYNOPSIS,
	    RW_READ_HELP },
	{ "stat", NULL, do_stat, "stat OBJ [--json]",
	    "print size, mode, owner, times, attachments and holder pids" },
	{ "resize", NULL, do_resize, "resize OBJ SIZE",
	    "change the size of a POSIX object" },
	{ "chmod", NULL, do_chmod, "chmod OBJ MODE",
	    "change the mode (octal, or symbolic like g+r)" },
	{ "unlink", "rm", do_unlink, "unlink OBJ... [-f]",
	    "remove objects; -f ignores missing ones" },
	{ "ls", NULL, do_ls, "ls [--json] [--raw] [-n] [-b] [-o COLS]",
	    "list POSIX objects and System V segments" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct applet shmctl = {
	"shmctl",
	"POSIX and System V shared memory.",
	verbs,
	"Objects (OBJ):\n"
	"  /name, name        POSIX object, /dev/shm/name\n"
	"  key:0x1234, key:N  System V segment by key\n"
	"  id:N               System V segment by id\n"
	"  ftok:PATH:PROJ     System V segment by ftok(PATH, PROJ)\n"
	"Sizes and offsets: 4096, 0x1000, 4K, 4KiB, 1M, 2G (1024-based).\n"
	"Modes: 0640 or u=rw,g=r.\n",
};

int
shmctl_main(int argc, char **argv)
{
	rw_set_ops(&rw_ops);
	return applet_run(&shmctl, argc, argv);
}
