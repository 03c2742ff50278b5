/* time: durations (lib/parse.c parse_time).  A result is a valid
 * timespec of at most 100 years; N and Ns are the same, and Nms is a
 * thousandth of Ns. */
#include "fuzz.h"
#include "parse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), buf[80];
	const char *errstr = NULL;
	struct timespec t, u;

	if (parse_time(s, &t, &errstr) == 0) {
		FUZZ_CHECK(t.tv_sec >= 0 && t.tv_sec <= 86400LL * 366 * 100);
		FUZZ_CHECK(t.tv_nsec >= 0 && t.tv_nsec <= 999999999);
		if (size < 64 && s[strspn(s, "0123456789.")] == '\0') {
			snprintf(buf, sizeof(buf), "%ss", s);
			FUZZ_CHECK(parse_time(buf, &u, &errstr) == 0);
			FUZZ_CHECK(
			    u.tv_sec == t.tv_sec && u.tv_nsec == t.tv_nsec);
		}
	} else
		FUZZ_CHECK(errstr != NULL);
	free(s);
	return 0;
}
