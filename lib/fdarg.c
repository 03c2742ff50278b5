/* fdarg: descriptor arguments, or exit. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "cli.h"
#include "fdarg.h"
#include "fdstore.h"
#include "msg.h"
#include "parse.h"
#include "seals.h"

int
fdaddr_open_or_die(const struct addr *a, enum fd_kind want, int rw)
{
	char why[PATH_MAX + 128];
	int fd, code;

	if ((fd = fdaddr_open(a, want, rw, &code, why, sizeof(why))) < 0)
		msg_die(code, a->text, "%s", why);
	return fd;
}

int
seals_parse_or_die(const char *list)
{
	const char *why;
	char bad[256];
	int mask;

	if (seals_parse(list, &mask, bad, sizeof(bad), &why) == 0)
		return mask;
	if (bad[0] == '\0')
		cli_usage(NULL, "seal list '%s' %s", list, why);
	cli_usage(bad, "%s", why);
}

int
fd_target_or_die(const char *text)
{
	static const char *const stdio_names[] = { "stdin", "stdout",
		"stderr" };
	const char *errstr;
	struct rlimit rl;
	uint64_t v;
	char why[64];

	if (parse_u64(text, 0, INT_MAX, &v, &errstr) != 0)
		cli_bad_value("--fd", text, errstr);
	if (v <= 2) {
		snprintf(why, sizeof(why), "would shadow %s; use 3 or above",
		    stdio_names[v]);
		cli_bad_value("--fd", text, why);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY && v >= rl.rlim_cur) {
		snprintf(why, sizeof(why),
		    "is past the descriptor limit (%llu)",
		    (unsigned long long)rl.rlim_cur);
		cli_bad_value("--fd", text, why);
	}
	return (int)v;
}

int
fdstore_get_or_die(const struct addr *a)
{
	char why[FDSTORE_WHY_LEN];
	int fd;

	if (fdstore_get(a->name, &fd, why, sizeof(why)) != 0)
		msg_die(EXIT_FAIL, a->text, "%s", why);
	return fd;
}

void
fdstore_put_or_die(const struct addr *a, int fd, mode_t mode, int replace)
{
	char why[FDSTORE_WHY_LEN];

	if (fdstore_put(a->name, fd, mode, replace, why, sizeof(why)) != 0)
		msg_die(EXIT_FAIL, a->text, "%s", why);
}

mode_t
fdstore_mode_or_die(const char *text)
{
	const char *errstr;
	mode_t m;

	if (parse_mode(text, 0, &m, &errstr) != 0)
		cli_bad_value("mode", text, errstr);
	return m;
}
