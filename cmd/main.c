/* ipcbox: the multi-call binary.  Dispatch on basename(argv[0]), then on
 * argv[1] when called as ipcbox. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "applets.h"
#include "cli.h"
#include "msg.h"
#include "trace.h"

static const struct applet *const applets[] = {
	/* sorted */
	&efd_applet,
	&fdstore_applet,
	&ipcbench_applet,
	&ipcgc_applet,
	&ipcls_applet,
	&memfd_applet,
	&mqctl_applet,
	&semctl_applet,
	&shmctl_applet,
};

#define NAPPLETS (sizeof(applets) / sizeof(applets[0]))

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f,
	    "Usage: ipcbox [--trace] APPLET [ARGS...]\n"
	    "       APPLET [ARGS...]   (through a symlink named "
	    "APPLET)\n"
	    "       ipcbox --list | --help | --version\n\n"
	    "Linux IPC objects from the shell.  Applets:\n");
	for (i = 0; i < NAPPLETS; i++)
		fprintf(f, "  %-10s %s\n", applets[i]->name,
		    applets[i]->summary);
	fprintf(f,
	    "\nAPPLET --help describes each.  Exit status: 0 done, "
	    "1 failed, 2 usage, 3 timed out.\nSee ipcbox(1).\n");
}

static int
dispatch(int argc, char **argv)
{
	const char *slash = strrchr(argv[0], '/');
	const char *name = slash ? slash + 1 : argv[0];
	size_t i;

	for (i = 0; i < NAPPLETS; i++)
		if (strcmp(name, applets[i]->name) == 0)
			return applets[i]->main(argc, argv);
	return -1;
}

/* A descriptor 0, 1 or 2 that is closed at start would be taken by the
 * first object opened, and a message or the trace written to stderr would
 * then go into the object.  Fill each closed one with /dev/null opened the
 * other way round (stdin for writing, stdout and stderr for reading), so
 * that using it still fails with EBADF, as a closed one does: a System V
 * create whose id cannot be printed still fails. */
static void
fill_closed_stdio(void)
{
	/* One poll(2) for the three, not three fcntl(2)s: this runs on
	 * every start, and a closed descriptor is POLLNVAL. */
	struct pollfd p[3] = { { 0, 0, 0 }, { 1, 0, 0 }, { 2, 0, 0 } };
	int fd, nul;

	if (poll(p, 3, 0) <= 0)
		return;
	for (fd = 0; fd <= 2; fd++) {
		if (!(p[fd].revents & POLLNVAL))
			continue;
		nul = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
		if (nul < 0)
			_exit(EXIT_FAIL); /* nowhere to say why */
		if (nul != fd) { /* a lower one was closed too: cannot be */
			dup2(nul, fd);
			close(nul);
		}
	}
}

int
main(int argc, char **argv)
{
	int i, rc;

	fill_closed_stdio();
	/* Past RLIMIT_FSIZE, fail with EFBIG (and undo a create) rather
	 * than die of SIGXFSZ leaving a half-made object. */
	signal(SIGXFSZ, SIG_IGN);
	if (argc < 1)
		return EXIT_USAGE;
	if ((rc = dispatch(argc, argv)) >= 0)
		return rc;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--trace") == 0)
			trace_on = 1;
		else if (strcmp(argv[i], "--list") == 0) {
			for (size_t k = 0; k < NAPPLETS; k++)
				puts(applets[k]->name);
			return msg_close_stdout(EXIT_DONE);
		} else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return msg_close_stdout(EXIT_DONE);
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("ipcbox %s\n", IPCBOX_VERSION);
			return msg_close_stdout(EXIT_DONE);
		} else if (argv[i][0] == '-')
			cli_usage(argv[i],
			    "unknown option (try 'ipcbox "
			    "--help')");
		else
			break;
	}
	if (i == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if ((rc = dispatch(argc - i, argv + i)) >= 0)
		return rc;
	cli_usage(argv[i], "unknown applet (try 'ipcbox --list')");
}
