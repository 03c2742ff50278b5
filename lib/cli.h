/* cli: applets, verbs, options and operands.
 *
 * An applet is a table of verbs; each verb's synopsis is the single source
 * of its --help text, and operand counts are checked in one place.
 */
#ifndef IPCBOX_CLI_H
#define IPCBOX_CLI_H

#include <getopt.h>
#include <stdio.h>
#include <stdnoreturn.h>

struct verb {
	const char *name;
	const char *alias;
	int (*fn)(int argc, char **argv); /* argv[0] is the verb */
	const char *synopsis; /* after "APPLET VERB " */
	const char *help; /* one line */
};

/* An applet, registered once (cmd/applets.h): ipcbox's list and the
 * applet's own --help take its name and summary from here. */
struct applet {
	const char *name;
	const char *summary; /* one line, no full stop */
	const struct verb *verbs; /* ends with a NULL name */
	const char *options; /* the option and address notes for --help */
	int (*main)(int argc, char **argv);
};

/* Global options (--trace, -h/--help, --version), then the verb. */
int applet_run(const struct applet *ap, int argc, char **argv);
void applet_help(const struct applet *ap, int fd);
/* An applet without verbs (ipcls, ipcgc; its verbs NULL): v->fn gets the
 * options as a verb does, after a leading --trace or --version; -h and
 * --help print "Usage: APPLET [--trace] SYNOPSIS", v's help and the
 * applet's options text. */
int applet_run_one(const struct applet *ap, const struct verb *v, int argc,
    char **argv);

/* The same, with an options text made by help() only when -h or --help
 * is asked for (a text with generated lists: ipcls, ipcbench). */
int applet_run_one_help(const struct applet *ap, const struct verb *v,
    char *(*help)(void), int argc, char **argv);

enum { CLI_CMD = 1 }; /* operands after "--" are a command */

/* Every verb of the applet running takes -S SOCKET (--socket SOCKET),
 * the fd store's socket for @name (lib/fdstore.h): efd, memfd and
 * fdstore call this before applet_run. */
void cli_store_socket(void);

struct cli {
	int argc;
	char **argv;
	char opts[64];
	const struct option *lopts;
	unsigned flags;
	char **ops; /* operands, in order */
	int nops;
	char **cmd; /* CLI_CMD: the command after "--", else NULL */
	int ncmd;
	const char *excl; /* cli_exclusive's pairs */
	short seen[128]; /* option char -> its argv index + 1 */
};

void cli_init(struct cli *c, int argc, char **argv, const char *opts,
    const struct option *lopts, unsigned flags);
/* The next option (optarg set), or -1 when all are read. */
int cli_next(struct cli *c);
/* More for this verb's --help (a column list): set before cli_next. */
void cli_help_extra(void (*fn)(FILE *));
/* Options that exclude each other, declared with the verb after
 * cli_init: pairs of option characters ("xs": -x and -s, or their long
 * forms).  Checked once, by cli_operands (or cli_check_exclusive): exit 2
 * with "OPT and OPT exclude each other", each as the user wrote it. */
void cli_exclusive(struct cli *c, const char *pairs);
void cli_check_exclusive(const struct cli *c);
/* Exit 2 unless min <= operands <= max (max -1: any). */
void cli_operands(struct cli *c, int min, int max);
/* A verb without options: cli_init, cli_next and cli_operands in one. */
void cli_operands_only(struct cli *c, int argc, char **argv, int min, int max);
/* Exit 2 for an option whose value does not parse. */
noreturn void
cli_bad_value(const char *what, const char *text, const char *errstr);
/* An object address (lib/addr.h), or exit with "APPLET: VERB: TEXT:
 * reason" (2 for a usage error, 1 when ftok fails). */
struct addr;
void addr_parse_or_die(const char *s, unsigned accept, struct addr *a);
noreturn void cli_usage(const char *obj, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
