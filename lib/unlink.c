/* unlink: the unlink verb. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "msg.h"
#include "unlink.h"

int
unlink_main(int argc, char **argv, void (*parse)(const char *s, struct addr *a),
    int (*rm)(const struct addr *a, const char **why))
{
	static const struct option lopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct addr *as;
	struct cli c;
	int ch, i, force = 0, rc = EXIT_DONE;

	cli_init(&c, argc, argv, "f", lopts, 0);
	while ((ch = cli_next(&c)) != -1)
		force = 1;
	cli_operands(&c, 1, -1);
	/* Every name is checked before any object is removed. */
	as = xcalloc(c.nops, sizeof(*as));
	for (i = 0; i < c.nops; i++)
		parse(c.ops[i], &as[i]);
	for (i = 0; i < c.nops; i++) {
		const char *why = NULL;

		if (rm(&as[i], &why) == 0 || (force && errno == ENOENT))
			continue;
		msg_warn_why(as[i].text, why);
		rc = EXIT_FAIL;
	}
	free(as);
	return rc;
}

int
create_report_id(const struct addr *a, int id, int created,
    int (*rm)(const struct addr *a, const char **why))
{
	if (addr_is_sysv(a) &&
	    (printf("%d\n", id) < 0 || fflush(stdout) == EOF ||
		ferror(stdout)) &&
	    created) {
		struct addr made = { .kind = ADDR_ID, .text = a->text };
		const char *why;
		int e = errno;

		made.id = id;
		(void)rm(&made, &why);
		errno = e;
	}
	return EXIT_DONE;
}
