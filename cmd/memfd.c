/* memfd: sealed anonymous memory files from the shell. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addr.h"
#include "applets.h"
#include "cli.h"
#include "cols.h"
#include "fdarg.h"
#include "io.h"
#include "msg.h"
#include "parse.h"
#include "run.h"
#include "rw.h"
#include "seals.h"
#include "shm.h"
#include "table.h"
#include "trace.h"
#include "trace_fd.h"

#ifndef MFD_NOEXEC_SEAL /* Linux 6.3 */
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

#define ACCEPT (ADDR_ACCEPT_FD | ADDR_ACCEPT_STORE)
#define NAME_MAX_MEMFD 249 /* memfd_create(2): longer names are EINVAL */
#define DEFAULT_NAME "ipcbox"

static void
open_mfd(struct shmobj *o, const struct addr *a, int rw)
{
	shm_from_fd(o, a, fdaddr_open_or_die(a, FD_MEMFD, rw), rw);
}

static const struct rw_ops rw_ops = { ACCEPT, open_mfd };

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

/* A new memfd, not executable (mode 0666, the exec bits sealed) unless
 * exec asks for it; a kernel before 6.3 knows neither flag and makes
 * every memfd executable. */
static int
make_memfd(const char *name, int exec)
{
	unsigned flags = MFD_CLOEXEC | MFD_ALLOW_SEALING;
	int fd = t_memfd_create(name,
	    flags | (exec ? MFD_EXEC : MFD_NOEXEC_SEAL));

	if (fd < 0 && errno == EINVAL)
		fd = t_memfd_create(name, flags);
	return fd;
}

/* Add seals, or exit 1 saying why the kernel refused. */
static void
add_seals_or_die(int fd, int seals, const char *obj)
{
	if (t_add_seals(fd, seals) != 0)
		msg_fail(obj, seals_why(fd, errno, seals));
}

/* Fill the new memfd from in: at most max bytes (the -s SIZE). */
static void
fill(int fd, int in, const char *from, const char *name, uint64_t max,
    int sized)
{
	enum io_side side = IO_OBJ;
	uint64_t done;
	int more;

	if (io_fd_to_obj(in, fd, 0, max, &done, &more, &side) != 0) {
		if (side == IO_FD)
			msg_die_e(EXIT_FAIL, from, "%s", "");
		msg_die_e(EXIT_FAIL, name, "%s", "");
	}
	if (more && sized)
		msg_die(EXIT_FAIL, from,
		    "more than the %" PRIu64 " bytes of "
		    "-s SIZE",
		    max);
}

/* What new and create make: a memfd named name, sized, filled and
 * sealed as the options say. */
struct making {
	const char *size_text, *from, *seal_text;
	int exec;
};

/* An option of new and create: 1 when ch was one. */
static int
making_opt(struct making *m, int ch)
{
	if (ch == 's')
		m->size_text = optarg;
	else if (ch == 'f')
		m->from = optarg;
	else if (ch == 'S')
		m->seal_text = optarg;
	else if (ch == 'X')
		m->exec = 1;
	else
		return 0;
	return 1;
}

/* name is the memfd's, obj what messages call it (create: the @name). */
static int
make(const struct making *m, const char *name, const char *obj)
{
	const char *from = m->from, *errstr;
	uint64_t size = 0;
	int seals = 0, in = -1, fd;

	if (strlen(name) > NAME_MAX_MEMFD)
		cli_usage(NULL, "name is longer than %d bytes", NAME_MAX_MEMFD);
	if (m->size_text != NULL &&
	    parse_size(m->size_text, INT64_MAX, &size, &errstr) != 0)
		cli_bad_value("size", m->size_text, errstr);
	if (m->seal_text != NULL)
		seals = seals_parse_or_die(m->seal_text);
	if (from != NULL && strcmp(from, "-") == 0) {
		in = STDIN_FILENO;
		from = "stdin";
	} else if (from != NULL && (in = open(from, O_RDONLY | O_CLOEXEC)) < 0)
		msg_die_e(EXIT_FAIL, from, "%s", "");
	/* --seal exec keeps the exec bits as they are: executable ones. */
	fd = make_memfd(name, m->exec || (seals & F_SEAL_EXEC));
	if (fd < 0)
		msg_die_e(EXIT_FAIL, obj, "memfd_create");
	if (m->size_text != NULL && t_ftruncate(fd, (off_t)size) != 0)
		msg_die_e(EXIT_FAIL, obj, "%s", "");
	if (in >= 0) {
		fill(fd, in, from, obj, m->size_text ? size : IO_ALL,
		    m->size_text != NULL);
		if (in != STDIN_FILENO)
			close(in);
	}
	if (seals != 0)
		add_seals_or_die(fd, seals, obj);
	return fd;
}

static int
do_new(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' },
		{ "seal", required_argument, NULL, 'S' },
		{ "exec", no_argument, NULL, 'X' },
		{ "fd", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct making m = { NULL, NULL, NULL, 0 };
	struct cli c;
	const char *name = DEFAULT_NAME, *fd_text = NULL;
	int ch, target = 3, fd;

	cli_init(&c, argc, argv, "s:", lopts, CLI_CMD);
	while ((ch = cli_next(&c)) != -1)
		if (!making_opt(&m, ch) && ch == 'F')
			fd_text = optarg;
	cli_operands(&c, 0, 1);
	if (c.ncmd == 0)
		cli_usage(NULL, "missing CMD after '--'");
	if (c.nops == 1)
		name = c.ops[0];
	if (fd_text != NULL)
		target = fd_target_or_die(fd_text);
	fd = make(&m, name, name);
	run_exec_at(fd, target, c.cmd);
}

/* create @name: a new memfd straight into the fd store, named NAME. */
static int
do_create(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' },
		{ "seal", required_argument, NULL, 'S' },
		{ "exec", no_argument, NULL, 'X' },
		{ "mode", required_argument, NULL, 'm' },
		{ "replace", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	struct making m = { NULL, NULL, NULL, 0 };
	struct addr a;
	struct cli c;
	mode_t mode = 0600;
	int ch, replace = 0, fd;

	cli_init(&c, argc, argv, "s:m:", lopts, 0);
	while ((ch = cli_next(&c)) != -1)
		if (!making_opt(&m, ch) && ch == 'm')
			mode = fdstore_mode_or_die(optarg);
		else if (ch == 'R')
			replace = 1;
	cli_operands(&c, 1, 1);
	addr_parse_or_die(c.ops[0], ADDR_ACCEPT_STORE, &a);
	fd = make(&m, a.name, a.text);
	fdstore_put_or_die(&a, fd, mode, replace);
	return EXIT_DONE;
}

static int
do_seal(int argc, char **argv)
{
	struct addr a;
	struct cli c;
	int seals, fd;

	cli_operands_only(&c, argc, argv, 2, 2);
	addr_parse_or_die(c.ops[0], ACCEPT, &a);
	seals = seals_parse_or_die(c.ops[1]);
	/* The kernel takes seals only through a writable descriptor. */
	fd = fdaddr_open_or_die(&a, FD_MEMFD, 1);
	add_seals_or_die(fd, seals, a.text);
	return EXIT_DONE;
}

static int
do_seals(int argc, char **argv)
{
	struct addr a;
	struct cli c;
	char buf[128];
	int fd, seals;

	cli_operands_only(&c, argc, argv, 1, 1);
	addr_parse_or_die(c.ops[0], ACCEPT, &a);
	fd = fdaddr_open_or_die(&a, FD_MEMFD, 0);
	if ((seals = t_get_seals(fd)) < 0)
		msg_die_e(EXIT_FAIL, a.text, "%s", "");
	seals_fmt(seals, buf, sizeof(buf));
	puts(buf);
	return EXIT_DONE;
}

static const int cols[] = { IC_PID, IC_COMMAND, IC_FD, IC_NAME, IC_SIZE,
	IC_SEALS, IC_INODE, IC_ADDRESS };

static const struct ipccol_help help[] = {
	{ IC_NAME, "the name given to memfd_create" },
	{ IC_SEALS, "seals: " SEAL_NAMES },
};

static const int ls_defaults[] = { IC_PID, IC_COMMAND, IC_FD, IC_NAME, IC_SIZE,
	IC_SEALS };

/* A row a descriptor, and a row a process that maps a memfd it holds no
 * descriptor of (FD and ADDRESS "-"). */
static const struct ipcview ls_view = {
	.name = "memfds",
	IPCVIEW_ARRAYS(cols, help, ls_defaults),
	.types = IPC_T(IPC_MEMFD),
	.style = IPCVIEW_FDROWS,
	.bytes_opt = 1,
};

static int
do_ls(int argc, char **argv)
{
	return ipccols_ls(argc, argv, &ls_view);
}

static const struct verb verbs[] = {
	{ "new", NULL, do_new,
	    "new [NAME] [-s SIZE] [--from FILE|-] [--seal LIST] [--exec] "
	    "[--fd N] -- CMD [ARG...]",
	    "make a memfd (NAME default " DEFAULT_NAME "), size or fill it, "
	    "seal it, and run CMD\n      with it at fd N (default 3); "
	    "executable only with --exec or --seal exec" },
	{ "create", NULL, do_create,
	    "create @NAME [-s SIZE] [--from FILE|-] [--seal LIST] [--exec] "
	    "[-m MODE] [--replace] [-S SOCKET]",
	    "make a memfd as new does and put it in the fd store under NAME "
	    "(mode\n      default 0600)" },
	{ "seal", NULL, do_seal, "seal MFD LIST [-S SOCKET]",
	    "add the seals in LIST (" SEAL_NAMES ")" },
	{ "seals", NULL, do_seals, "seals MFD [-S SOCKET]",
	    "print the seals, comma-separated, or - for none" },
	{ "read", NULL, do_read, "read MFD " RW_READ_SYNOPSIS " [-S SOCKET]",
	    RW_READ_HELP },
	{ "write", NULL, do_write,
	    "write MFD " RW_WRITE_SYNOPSIS " [-S SOCKET]", RW_WRITE_HELP },
	{ "ls", NULL, do_ls, "ls [--json] [--raw] [-n] [-b] [-o COLS]",
	    "list every memfd of every process this user may see" },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct applet memfd_applet = {
	"memfd",
	"memfd files and their seals",
	verbs,
	"Memfds (MFD):\n"
	"  N, fd:N            descriptor N of this process (inherited)\n"
	"  pid:PID:N          descriptor N of process PID (pidfd_getfd, or a "
	"reopen of\n"
	"                     /proc/PID/fd/N: read-only unless the verb "
	"writes)\n"
	"  @NAME              the memfd the fd store holds under NAME (see "
	"fdstore(1);\n"
	"                     -S SOCKET: the store's socket)\n"
	"Seals (LIST, comma-separated): " SEAL_NAMES ".\n"
	"Sizes and offsets: 4096, 0x1000, 4K, 4KiB, 1M, 2G (1024-based).\n",
	memfd_main,
};

int
memfd_main(int argc, char **argv)
{
	cli_store_socket();
	return applet_run(&memfd_applet, argc, argv);
}
