/* cli: applets, verbs, options and operands. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "cli.h"
#include "fdstore.h"
#include "msg.h"
#include "trace.h"

static const struct applet *cur_applet;
static const struct verb *cur_verb;
static void (*help_extra)(FILE *);
static int store_socket;

void
cli_store_socket(void)
{
	store_socket = 1;
}

/* -S SOCKET, -SSOCKET, --socket SOCKET, --socket=SOCKET at argv[optind]:
 * taken (optind moved past it) and 1, else 0. */
static int
socket_option(struct cli *c)
{
	const char *a = c->argv[optind];

	if (!store_socket)
		return 0;
	if (strcmp(a, "-S") == 0 || strcmp(a, "--socket") == 0) {
		if (optind + 1 >= c->argc)
			cli_usage(NULL, "%s: option needs a value", a);
		fdstore_use_socket(c->argv[optind + 1]);
		optind += 2;
		return 1;
	}
	if (strncmp(a, "--socket=", 9) == 0 ||
	    (strncmp(a, "-S", 2) == 0 && a[2] != '\0')) {
		fdstore_use_socket(a + (a[1] == '-' ? 9 : 2));
		optind++;
		return 1;
	}
	return 0;
}

void
cli_help_extra(void (*fn)(FILE *))
{
	help_extra = fn;
}

static void
verb_help(const struct applet *ap, const struct verb *v, FILE *f)
{
	if (ap->verbs == NULL) { /* an applet without verbs */
		fprintf(f, "Usage: %s [--trace] %s\n\n%s\n", ap->name,
		    v->synopsis, v->help);
		if (ap->options != NULL)
			fprintf(f, "\n%s", ap->options);
		fprintf(f,
		    "\nExit status: 0 done, 1 failed, 2 usage.\n"
		    "See %s(1).\n",
		    ap->name);
		return;
	}
	fprintf(f, "Usage: %s %s\n       %s [--trace] %s %s\n\n", ap->name,
	    v->synopsis, ap->name, v->name,
	    strchr(v->synopsis, ' ') ? strchr(v->synopsis, ' ') + 1 : "");
	/* The help text is indented for the applet's list: not here. */
	for (const char *p = v->help; *p != '\0'; p++) {
		fputc(*p, f);
		if (*p == '\n')
			p += strspn(p + 1, " ");
	}
	fprintf(f, "\n%s%s%s", v->alias ? "Alias: " : "",
	    v->alias ? v->alias : "", v->alias ? "\n" : "");
	if (help_extra != NULL) {
		fputc('\n', f);
		help_extra(f);
	}
}

/* Exit 3 (timed out) comes from the verbs that take a TIMEOUT only. */
static int
may_time_out(const struct applet *ap)
{
	const struct verb *v;

	for (v = ap->verbs; v->name != NULL; v++)
		if (strstr(v->synopsis, "TIMEOUT") != NULL)
			return 1;
	return 0;
}

void
applet_help(const struct applet *ap, int fd)
{
	const struct verb *v;
	FILE *f = fd == 1 ? stdout : stderr;

	fprintf(f, "Usage: %s [--trace] VERB [ARGS...]\n\n%s.\n\nVerbs:\n",
	    ap->name, ap->summary);
	for (v = ap->verbs; v->name != NULL; v++)
		fprintf(f, "  %s\n      %s\n", v->synopsis, v->help);
	fprintf(f,
	    "\nGlobal options (before the verb):\n"
	    "  --trace        print each IPC system call and its result "
	    "on stderr\n"
	    "  -h, --help     show this help; VERB --help shows one "
	    "verb\n"
	    "  --version      print the version\n");
	if (ap->options != NULL)
		fprintf(f, "\n%s", ap->options);
	fprintf(f, "\nExit status: 0 done, 1 failed, 2 usage%s.\nSee %s(1).\n",
	    may_time_out(ap) ? ", 3 timed out" : "", ap->name);
}

static const struct verb *
find_verb(const struct applet *ap, const char *name)
{
	const struct verb *v;

	for (v = ap->verbs; v->name != NULL; v++)
		if (strcmp(v->name, name) == 0 ||
		    (v->alias != NULL && strcmp(v->alias, name) == 0))
			return v;
	return NULL;
}

int
applet_run(const struct applet *ap, int argc, char **argv)
{
	const struct verb *v;
	int i;

	cur_applet = ap;
	msg_set_applet(ap->name);
	trace_from_env();
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--trace") == 0)
			trace_on = 1;
		else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			applet_help(ap, 1);
			return msg_close_stdout(EXIT_DONE);
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("%s (ipcbox) %s\n", ap->name, IPCBOX_VERSION);
			return msg_close_stdout(EXIT_DONE);
		} else
			cli_usage(argv[i], "unknown option (try '%s --help')",
			    ap->name);
	}
	if (i == argc)
		cli_usage(NULL, "missing verb (try '%s --help')", ap->name);
	v = find_verb(ap, argv[i]);
	if (v == NULL)
		cli_usage(argv[i], "unknown verb (try '%s --help')", ap->name);
	cur_verb = v;
	msg_set_verb(v->name);
	return msg_close_stdout(v->fn(argc - i, argv + i));
}

int
applet_run_one(const struct applet *ap, const struct verb *v, int argc,
    char **argv)
{
	int i;

	cur_applet = ap;
	cur_verb = v;
	msg_set_applet(ap->name);
	trace_from_env();
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--trace") == 0)
			trace_on = 1;
		else if (strcmp(argv[i], "--version") == 0) {
			printf("%s (ipcbox) %s\n", ap->name, IPCBOX_VERSION);
			return msg_close_stdout(EXIT_DONE);
		} else
			break;
	}
	/* The options start at argv[1], as a verb's do. */
	return msg_close_stdout(v->fn(argc - i + 1, argv + i - 1));
}

int
applet_run_one_help(const struct applet *ap, const struct verb *v,
    char *(*help)(void), int argc, char **argv)
{
	struct applet copy = *ap;
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)
			copy.options = help();
	return applet_run_one(&copy, v, argc, argv);
}

void
cli_usage(const char *obj, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vwarn(obj, 0, fmt, ap);
	va_end(ap);
	exit(EXIT_USAGE);
}

void
cli_bad_value(const char *what, const char *text, const char *errstr)
{
	cli_usage(NULL, "%s '%s' %s", what, text, errstr);
}

void
cli_init(struct cli *c, int argc, char **argv, const char *opts,
    const struct option *lopts, unsigned flags)
{
	memset(c, 0, sizeof(*c));
	c->argc = argc;
	c->argv = argv;
	/* '+': stop at each operand so that operands, negative numbers
	 * among them, are collected here in order; ':' to report a missing
	 * value ourselves. */
	c->opts[0] = '+';
	c->opts[1] = ':';
	if (strlcpy(c->opts + 2, opts, sizeof(c->opts) - 2) >=
	    sizeof(c->opts) - 2)
		msg_die(EXIT_FAIL, NULL, "cli_init: option string too long");
	c->lopts = lopts;
	c->flags = flags;
	/* Operands are moved down into argv itself: the slot an operand
	 * goes to has always been read already, and getopt does not permute
	 * in '+' mode. */
	c->ops = argv + 1;
	optind = 0; /* glibc: a full reset */
	opterr = 0;
}

static int
is_negative_number(const char *s)
{
	return s[0] == '-' && (isdigit((unsigned char)s[1]) || s[1] == '.');
}

int
cli_next(struct cli *c)
{
	int ch, idx;

	if (optind == 0)
		optind = 1;
	for (;;) {
		if (optind >= c->argc)
			return -1;
		const char *a = c->argv[optind];

		if (strcmp(a, "--") == 0) {
			optind++;
			if (c->flags & CLI_CMD) {
				c->cmd = c->argv + optind;
				c->ncmd = c->argc - optind;
			} else
				while (optind < c->argc)
					c->ops[c->nops++] = c->argv[optind++];
			optind = c->argc;
			return -1;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			verb_help(cur_applet, cur_verb, stdout);
			exit(msg_close_stdout(EXIT_DONE));
		}
		if (a[0] != '-' || a[1] == '\0' || is_negative_number(a)) {
			c->ops[c->nops++] = c->argv[optind++];
			continue;
		}
		if (socket_option(c))
			continue;
		break;
	}
	idx = optind;
	ch = getopt_long(c->argc, c->argv, c->opts, c->lopts, NULL);
	if (ch == '?') {
		/* An applet without verbs: its --help is the verb's. */
		const char *hint = cur_applet->verbs == NULL ? " (try '" : "";
		const char *name = cur_applet->verbs == NULL ? cur_applet->name
							     : "";
		const char *end = cur_applet->verbs == NULL ? " --help')" : "";

		if (optopt != 0)
			cli_usage(NULL, "-%c: unknown option%s%s%s", optopt,
			    hint, name, end);
		cli_usage(NULL, "%s: unknown option%s%s%s", c->argv[idx], hint,
		    name, end);
	}
	if (ch == ':') {
		if (optopt != 0 && !(c->argv[idx][1] == '-'))
			cli_usage(NULL, "-%c: option needs a value", optopt);
		cli_usage(NULL, "%s: option needs a value", c->argv[idx]);
	}
	if (ch > 0 && ch < 128)
		c->seen[ch] = (short)(idx + 1);
	return ch;
}

void
cli_exclusive(struct cli *c, const char *pairs)
{
	c->excl = pairs;
}

/* Option ch as the user wrote it: --name (without =VALUE), or -c. */
static void
opt_text(const struct cli *c, int ch, char *buf, size_t len)
{
	const char *t = c->argv[c->seen[ch] - 1];

	if (strncmp(t, "--", 2) == 0)
		snprintf(buf, len, "%.*s", (int)strcspn(t, "="), t);
	else
		snprintf(buf, len, "-%c", ch);
}

void
cli_check_exclusive(const struct cli *c)
{
	const char *p;
	char a[64], b[64];

	for (p = c->excl; p != NULL && p[0] != '\0' && p[1] != '\0'; p += 2)
		if (c->seen[(unsigned char)p[0] & 127] &&
		    c->seen[(unsigned char)p[1] & 127]) {
			/* In the order they were given. */
			int x = (unsigned char)p[0], y = (unsigned char)p[1];

			if (c->seen[y] < c->seen[x])
				x = (unsigned char)p[1],
				y = (unsigned char)p[0];
			opt_text(c, x, a, sizeof(a));
			opt_text(c, y, b, sizeof(b));
			cli_usage(NULL, "%s and %s exclude each other", a, b);
		}
}

void
cli_operands(struct cli *c, int min, int max)
{
	cli_check_exclusive(c);
	if (c->nops < min)
		cli_usage(NULL, "missing operand (usage: %s %s)",
		    cur_applet->name, cur_verb->synopsis);
	if (max >= 0 && c->nops > max)
		cli_usage(c->ops[max], "extra operand (usage: %s %s)",
		    cur_applet->name, cur_verb->synopsis);
	if ((c->flags & CLI_CMD) && c->cmd == NULL)
		cli_usage(NULL, "missing '-- CMD' (usage: %s %s)",
		    cur_applet->name, cur_verb->synopsis);
}

void
cli_operands_only(struct cli *c, int argc, char **argv, int min, int max)
{
	cli_init(c, argc, argv, "", NULL, 0);
	while (cli_next(c) != -1)
		;
	cli_operands(c, min, max);
}

void
addr_parse_or_die(const char *s, unsigned accept, struct addr *a)
{
	const char *errstr;
	int code;

	if (addr_parse(s, accept, a, &errstr, &code) != 0)
		msg_die(code, s, "%s", errstr);
}
