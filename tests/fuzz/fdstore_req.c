/* fdstore_req: the fd store holder's request decoder (lib/fdstore.c
 * fdstore_req_decode), given any message of up to FDSTORE_REQ_MAX + 1
 * bytes in a buffer of exactly its size.  The answer code is one of the
 * protocol's; a decoded request has a valid name and mode, and its
 * canonical text ("1 put NAME 0644 1") decodes to the same request. */
#include <errno.h>

#include "fdstore.h"
#include "fuzz.h"

static int
same(const struct fdstore_req *a, const struct fdstore_req *b)
{
	return a->verb == b->verb && strcmp(a->name, b->name) == 0 &&
	    a->mode == b->mode && a->replace == b->replace;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const verbs[] = { "put", "get", "rm", "ls", "stop" };
	struct fdstore_req r, again;
	const char *errstr;
	char text[FDSTORE_REQ_MAX + 64];
	char *msg;
	int err, n;

	if (size > FDSTORE_REQ_MAX + 1)
		return 0;
	msg = fuzz_copy(data, size);
	err = fdstore_req_decode(msg, size, &r);
	free(msg);
	FUZZ_CHECK(err == 0 || err == EPROTO || err == EPROTONOSUPPORT ||
	    err == EINVAL);
	FUZZ_CHECK(r.verb >= FDSTORE_NONE && r.verb <= FDSTORE_STOP);
	FUZZ_CHECK(err == EINVAL || err == 0 || r.verb == FDSTORE_NONE);
	if (err != 0)
		return 0;
	FUZZ_CHECK(size <= FDSTORE_REQ_MAX && r.verb != FDSTORE_NONE);
	FUZZ_CHECK(r.mode <= 0777 && (r.replace == 0 || r.replace == 1));
	if (r.verb != FDSTORE_LS && r.verb != FDSTORE_STOP)
		FUZZ_CHECK(fdstore_name_check(r.name, &errstr) == 0);
	if (r.name[0] != '\0')
		FUZZ_CHECK(fdstore_name_check(r.name, &errstr) == 0);
	n = snprintf(text, sizeof(text), "1 %s", verbs[r.verb]);
	if (r.name[0] != '\0')
		n += snprintf(text + n, sizeof(text) - n, " %s", r.name);
	if (r.verb == FDSTORE_PUT)
		n += snprintf(text + n, sizeof(text) - n, " %04o %d",
		    (unsigned)r.mode, r.replace);
	FUZZ_CHECK(n > 0 && (size_t)n <= FDSTORE_REQ_MAX);
	FUZZ_CHECK(fdstore_req_decode(text, (size_t)n, &again) == 0);
	FUZZ_CHECK(same(&r, &again));
	return 0;
}
