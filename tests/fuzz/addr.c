/* addr: object addresses (lib/addr.c), with each set of accepted forms:
 * an error has a reason and a usage code (1 only when ftok(3) fails);
 * a success is a form the verb accepts, and a POSIX name is "/name" of 1
 * to NAME_MAX bytes with no other '/'. */
#include <limits.h>

#include "addr.h"
#include "fdstore.h"
#include "fuzz.h"
#include "msg.h"

static void
check(const char *s, unsigned accept)
{
	struct addr a;
	const char *errstr = NULL;
	int code = 0;
	size_t len;

	if (addr_parse(s, accept, &a, &errstr, &code) != 0) {
		FUZZ_CHECK(errstr != NULL && *errstr != '\0');
		FUZZ_CHECK(code == EXIT_USAGE ||
		    (code == EXIT_FAIL && strncmp(s, "ftok:", 5) == 0));
		return;
	}
	FUZZ_CHECK(a.text == s);
	switch (a.kind) {
	case ADDR_POSIX:
		FUZZ_CHECK(accept & ADDR_ACCEPT_POSIX);
		len = strlen(a.name);
		FUZZ_CHECK(a.name[0] == '/' && len >= 2 && len <= NAME_MAX + 1);
		FUZZ_CHECK(strchr(a.name + 1, '/') == NULL);
		FUZZ_CHECK(
		    strcmp(a.name, "/.") != 0 && strcmp(a.name, "/..") != 0);
		break;
	case ADDR_KEY:
	case ADDR_ID:
		FUZZ_CHECK(accept & ADDR_ACCEPT_SYSV);
		FUZZ_CHECK(a.id >= 0);
		break;
	case ADDR_FD:
	case ADDR_PIDFD:
		FUZZ_CHECK(accept & ADDR_ACCEPT_FD);
		FUZZ_CHECK(a.fd >= 0);
		FUZZ_CHECK(a.kind == ADDR_FD || a.pid > 0);
		break;
	case ADDR_STORE:
		FUZZ_CHECK(accept & ADDR_ACCEPT_STORE);
		FUZZ_CHECK(fdstore_name_check(a.name, &errstr) == 0);
		break;
	default:
		FUZZ_CHECK(!"an addr_kind");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	unsigned accept;

	check(s,
	    ADDR_ACCEPT_POSIX | ADDR_ACCEPT_SYSV | ADDR_ACCEPT_FD |
		ADDR_ACCEPT_STORE);
	for (accept = ADDR_ACCEPT_POSIX; accept <= ADDR_ACCEPT_STORE;
	     accept <<= 1)
		check(s, accept);
	free(s);
	return 0;
}
