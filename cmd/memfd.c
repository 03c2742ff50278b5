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

#define ACCEPT ADDR_ACCEPT_FD
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

static int
do_new(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' },
		{ "seal", required_argument, NULL, 'S' },
		{ "fd", required_argument, NULL, 'F' },
		{ "exec", no_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c;
	const char *name = DEFAULT_NAME, *size_text = NULL, *from = NULL;
	const char *seal_text = NULL, *fd_text = NULL, *errstr;
	uint64_t size = 0;
	int ch, seals = 0, target = 3, in = -1, fd, exec = 0;

	cli_init(&c, argc, argv, "s:", lopts, CLI_CMD);
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 's')
			size_text = optarg;
		else if (ch == 'f')
			from = optarg;
		else if (ch == 'S')
			seal_text = optarg;
		else if (ch == 'F')
			fd_text = optarg;
		else if (ch == 'X')
			exec = 1;
	}
	cli_operands(&c, 0, 1);
	if (c.ncmd == 0)
		cli_usage(NULL, "missing CMD after '--'");
	if (c.nops == 1)
		name = c.ops[0];
	if (strlen(name) > NAME_MAX_MEMFD)
		cli_usage(NULL, "name is longer than %d bytes", NAME_MAX_MEMFD);
	if (size_text != NULL &&
	    parse_size(size_text, INT64_MAX, &size, &errstr) != 0)
		cli_bad_value("size", size_text, errstr);
	if (seal_text != NULL)
		seals = seals_parse_or_die(seal_text);
	if (fd_text != NULL)
		target = fd_target_or_die(fd_text);
	if (from != NULL && strcmp(from, "-") == 0) {
		in = STDIN_FILENO;
		from = "stdin";
	} else if (from != NULL && (in = open(from, O_RDONLY | O_CLOEXEC)) < 0)
		msg_die_e(EXIT_FAIL, from, "%s", "");
	/* --seal exec keeps the exec bits as they are: executable ones. */
	fd = make_memfd(name, exec || (seals & F_SEAL_EXEC));
	if (fd < 0)
		msg_die_e(EXIT_FAIL, name, "memfd_create");
	if (size_text != NULL && t_ftruncate(fd, (off_t)size) != 0)
		msg_die_e(EXIT_FAIL, name, "%s", "");
	if (in >= 0) {
		fill(fd, in, from, name, size_text ? size : IO_ALL,
		    size_text != NULL);
		if (in != STDIN_FILENO)
			close(in);
	}
	if (seals != 0)
		add_seals_or_die(fd, seals, name);
	run_exec_at(fd, target, c.cmd);
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
	{ "seal", NULL, do_seal, "seal MFD LIST",
	    "add the seals in LIST (" SEAL_NAMES ")" },
	{ "seals", NULL, do_seals, "seals MFD",
	    "print the seals, comma-separated, or - for none" },
	{ "read", NULL, do_read, "read MFD " RW_READ_SYNOPSIS, RW_READ_HELP },
	{ "write", NULL, do_write, "write MFD " RW_WRITE_SYNOPSIS,
	    RW_WRITE_HELP },
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
	"Seals (LIST, comma-separated): " SEAL_NAMES ".\n"
	"Sizes and offsets: 4096, 0x1000, 4K, 4KiB, 1M, 2G (1024-based).\n",
	memfd_main,
};

int
memfd_main(int argc, char **argv)
{
	return applet_run(&memfd_applet, argc, argv);
}
