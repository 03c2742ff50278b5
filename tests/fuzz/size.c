/* size: sizes and plain numbers (lib/parse.c: parse_size, parse_u64,
 * parse_udec, parse_long).  Every result is within its bounds; a size
 * without a suffix is the number strtoull(3) reads; one with K is 1024
 * times the one without; a decimal accepted by parse_udec is what
 * parse_u64 reads. */
#include <ctype.h>
#include <errno.h>

#include "fuzz.h"
#include "parse.h"

static int
all(const char *s, int (*is)(int))
{
	for (; *s != '\0'; s++)
		if (!is((unsigned char)*s))
			return 0;
	return 1;
}

/* Decimal digits, or 0x and hex digits: no suffix. */
static int
plain(const char *s)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return s[2] != '\0' && all(s + 2, isxdigit);
	return *s != '\0' && all(s, isdigit);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	const char *errstr = NULL;
	uint64_t v, w, max = UINT64_MAX >> (size % 64);
	long long l;

	if (parse_size(s, max, &v, &errstr) == 0) {
		FUZZ_CHECK(v <= max);
		if (*s != '\0' && all(s, isdigit)) {
			errno = 0;
			FUZZ_CHECK(strtoull(s, NULL, 10) == v && errno == 0);
		}
		if (strlen(s) < 60 && plain(s)) {
			char k[64];

			/* "12K" is 1024 * "12". */
			snprintf(k, sizeof(k), "%sK", s);
			if (v <= UINT64_MAX / 1024) {
				FUZZ_CHECK(parse_size(k, UINT64_MAX, &w,
					       &errstr) == 0);
				FUZZ_CHECK(w == v * 1024);
			} else
				FUZZ_CHECK(parse_size(k, UINT64_MAX, &w,
					       &errstr) != 0);
		}
	} else
		FUZZ_CHECK(errstr != NULL);
	errstr = NULL;
	if (parse_u64(s, 1, max, &v, &errstr) == 0)
		FUZZ_CHECK(v >= 1 && v <= max);
	else
		FUZZ_CHECK(errstr != NULL);
	errstr = NULL;
	if (parse_udec(s, 0, max, &v, &errstr) == 0) {
		FUZZ_CHECK(all(s, isdigit) && v <= max);
		FUZZ_CHECK(parse_u64(s, 0, max, &w, &errstr) == 0 && w == v);
	} else
		FUZZ_CHECK(errstr != NULL);
	errstr = NULL;
	if (parse_long(s, -1000, 1000000, &l, &errstr) == 0)
		FUZZ_CHECK(l >= -1000 && l <= 1000000);
	else
		FUZZ_CHECK(errstr != NULL);
	free(s);
	return 0;
}
