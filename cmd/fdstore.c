/* fdstore: named descriptors held for unrelated processes. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addr.h"
#include "applets.h"
#include "cli.h"
#include "cols.h"
#include "fdarg.h"
#include "fdstore.h"
#include "fdstore_serve.h"
#include "msg.h"
#include "parse.h"
#include "run.h"
#include "seals.h"

#define MAX_DEFAULT 4096 /* entries a holder keeps without --max */
#define TIMEOUT_DEFAULT_MS 5000 /* a connection idle this long is closed */

static void
store_addr(const char *s, struct addr *a)
{
	addr_parse_or_die(s, ADDR_ACCEPT_STORE, a);
}

/* The socket in use, or exit 2 (a path a socket cannot have). */
static void
socket_path(char *buf, size_t len)
{
	char why[FDSTORE_WHY_LEN];

	if (fdstore_socket(buf, len, why, sizeof(why)) != 0)
		cli_usage(NULL, "%s", why);
}

/* A TIME option in ms, or exit 2. */
static int
ms_arg(const char *what, const char *text)
{
	struct timespec ts;
	const char *errstr;

	if (parse_time(text, &ts, &errstr) != 0)
		cli_bad_value(what, text, errstr);
	if (ts.tv_sec > INT_MAX / 1000 - 1)
		cli_bad_value(what, text, "is too large");
	return (int)(ts.tv_sec * 1000 + (ts.tv_nsec + 999999) / 1000000);
}

static int
do_serve(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "max", required_argument, NULL, 'M' },
		{ "idle-exit", required_argument, NULL, 'I' },
		{ "timeout", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	struct fdstore_serve_opts o = { NULL, 0, MAX_DEFAULT, -1,
		TIMEOUT_DEFAULT_MS };
	char path[PATH_MAX], why[FDSTORE_WHY_LEN];
	const char *errstr;
	struct cli c;
	uint64_t v;
	int ch;

	cli_init(&c, argc, argv, "f", lopts, 0);
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 'f')
			o.foreground = 1;
		else if (ch == 'M') {
			if (parse_udec(optarg, 1, 1000000, &v, &errstr) != 0)
				cli_bad_value("--max", optarg, errstr);
			o.max = (size_t)v;
		} else if (ch == 'I')
			o.idle_exit_ms = ms_arg("--idle-exit", optarg);
		else if (ch == 'T')
			o.timeout_ms = ms_arg("--timeout", optarg);
	}
	cli_operands(&c, 0, 0);
	socket_path(path, sizeof(path));
	o.path = path;
	if (fdstore_serve(&o, why, sizeof(why)) != 0)
		msg_die(EXIT_FAIL, path, "%s", why);
	return EXIT_DONE;
}

static int
do_stop(int argc, char **argv)
{
	char path[PATH_MAX], why[FDSTORE_WHY_LEN];
	struct cli c;
	pid_t pid;

	cli_operands_only(&c, argc, argv, 0, 0);
	socket_path(path, sizeof(path));
	/* "no fd store running at PATH" names it already. */
	if (fdstore_stop(&pid, why, sizeof(why)) != 0)
		msg_die(EXIT_FAIL, errno == ECONNREFUSED ? NULL : path, "%s",
		    why);
	return EXIT_DONE;
}

static int
do_put(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "replace", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	struct addr a, f;
	struct cli c;
	mode_t mode = 0600;
	int ch, replace = 0;

	cli_init(&c, argc, argv, "m:", lopts, 0);
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 'm')
			mode = fdstore_mode_or_die(optarg);
		else if (ch == 'R')
			replace = 1;
	}
	cli_operands(&c, 2, 2);
	store_addr(c.ops[0], &a);
	addr_parse_or_die(c.ops[1], ADDR_ACCEPT_FD, &f);
	if (f.kind != ADDR_FD)
		cli_usage(f.text,
		    "want a descriptor of this process: N or fd:N");
	if (fcntl(f.fd, F_GETFD) < 0)
		msg_die(EXIT_FAIL, f.text, "not an open descriptor");
	fdstore_put_or_die(&a, f.fd, mode, replace);
	return EXIT_DONE;
}

static int
do_get(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "fd", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct addr a;
	struct cli c;
	int ch, target = 3;

	cli_init(&c, argc, argv, "", lopts, CLI_CMD);
	while ((ch = cli_next(&c)) != -1)
		if (ch == 'F')
			target = fd_target_or_die(optarg);
	cli_operands(&c, 1, 1);
	if (c.ncmd == 0)
		cli_usage(NULL, "missing CMD after '--'");
	store_addr(c.ops[0], &a);
	run_exec_at(fdstore_get_or_die(&a), target, c.cmd);
}

static int
do_rm(int argc, char **argv)
{
	char why[FDSTORE_WHY_LEN];
	struct addr *as;
	struct cli c;
	int i, rc = EXIT_DONE;

	cli_operands_only(&c, argc, argv, 1, -1);
	/* Every name checked before any is removed. */
	as = xcalloc(c.nops, sizeof(*as));
	for (i = 0; i < c.nops; i++)
		store_addr(c.ops[i], &as[i]);
	for (i = 0; i < c.nops; i++)
		if (fdstore_rm(as[i].name, why, sizeof(why)) != 0) {
			msg_warn(as[i].text, "%s", why);
			rc = EXIT_FAIL;
		}
	free(as);
	return rc;
}

static const int cols[] = { IC_NAME, IC_TYPE, IC_OWNER, IC_GROUP, IC_MODE,
	IC_PERMS, IC_AGE, IC_CTIME, IC_COUNT, IC_SIZE, IC_SEALS, IC_HOLDERS };

static const struct ipccol_help help[] = {
	{ IC_NAME, "the entry's name, as @name" },
	{ IC_TYPE, "what it holds: eventfd, memfd or other" },
	{ IC_OWNER, "who put it" },
	{ IC_MODE, "its mode: r gets it, w replaces or removes it" },
	{ IC_AGE, "time since it was put (seconds in JSON)" },
	{ IC_CTIME, "when it was put" },
	{ IC_COUNT, "an eventfd's counter" },
	{ IC_SIZE, "a memfd's size (bytes with -b or --json)" },
	{ IC_SEALS, "a memfd's seals: " SEAL_NAMES },
	{ IC_HOLDERS, "the holder's pid" },
};

static const int ls_defaults[] = { IC_NAME, IC_TYPE, IC_OWNER, IC_MODE, IC_AGE,
	IC_COUNT, IC_SIZE, IC_SEALS };

static const struct ipcview ls_view = {
	.name = "entries",
	IPCVIEW_ARRAYS(cols, help, ls_defaults),
	.types = IPC_T(IPC_STORED),
	.style = IPCVIEW_STORE,
	.bytes_opt = 1,
	.help_columns = 1,
};

static int
do_ls(int argc, char **argv)
{
	return ipccols_ls(argc, argv, &ls_view);
}

static const struct verb verbs[] = {
	{ "serve", NULL, do_serve,
	    "serve [-S SOCKET] [-f] [--max N] [--idle-exit TIME] "
	    "[--timeout TIME]",
	    "hold descriptors for others at SOCKET (daemonized unless -f); "
	    "at most N\n      entries (default 4096); end when empty and "
	    "idle for TIME; close a\n      connection idle for --timeout "
	    "(default 5s)" },
	{ "stop", NULL, do_stop, "stop [-S SOCKET]",
	    "end the holder (its owner or root); what it held is closed" },
	{ "put", NULL, do_put, "put @NAME FD [-m MODE] [--replace] [-S SOCKET]",
	    "store a duplicate of descriptor FD under NAME (mode default "
	    "0600)" },
	{ "get", NULL, do_get, "get @NAME [--fd N] [-S SOCKET] -- CMD [ARG...]",
	    "run CMD with the descriptor held under NAME at fd N (default "
	    "3)" },
	{ "rm", NULL, do_rm, "rm @NAME... [-S SOCKET]",
	    "close and forget the descriptors held under these names" },
	{ "ls", NULL, do_ls,
	    "ls [--json] [--raw] [-n] [-b] [-o COLS] [-S SOCKET]",
	    "list the entries this user owns or may get (none: no holder "
	    "runs)" },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct applet fdstore_applet = {
	"fdstore",
	"named descriptors held for unrelated processes",
	verbs,
	"Names (@NAME): 1 to 255 of A-Z a-z 0-9 . _ -.\n"
	"Socket (-S SOCKET, --socket SOCKET): else $IPCBOX_FDSTORE, else\n"
	"  $XDG_RUNTIME_DIR/ipcbox/fdstore.sock, else "
	"/tmp/ipcbox-UID/fdstore.sock.\n"
	"A client that finds no holder starts one, unless "
	"IPCBOX_NO_AUTOSTART is set.\n"
	"Modes: octal or symbolic; r gets an entry, w replaces or removes "
	"it.\n"
	"Times: 1.5, 250ms, 2s, 1m.\n",
	fdstore_main,
};

int
fdstore_main(int argc, char **argv)
{
	cli_store_socket();
	return applet_run(&fdstore_applet, argc, argv);
}
