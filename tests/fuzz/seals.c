/* seals: seal lists (lib/seals.c seals_parse), with a buffer for the
 * offending name of a size from the input.  A parsed list names known
 * seals; seals_fmt of its mask reads back as the same mask; an error's
 * name is cut to fit. */
#include <fcntl.h>

#include "fuzz.h"
#include "seals.h"
#include "trace_fd.h" /* F_SEAL_EXEC */

#define ALL \
	(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | \
	    F_SEAL_FUTURE_WRITE | F_SEAL_EXEC)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	char *s, *bad, fmt[128];
	size_t badlen;
	int mask, again;

	if (size < 1)
		return 0;
	badlen = 1 + data[0] % 64;
	s = fuzz_str(data + 1, size - 1);
	bad = malloc(badlen);
	if (bad == NULL)
		abort();
	if (seals_parse(s, &mask, bad, badlen, &why) == 0) {
		FUZZ_CHECK(mask != 0 && (mask & ~ALL) == 0);
		FUZZ_CHECK(bad[0] == '\0');
		seals_fmt(mask, fmt, sizeof(fmt));
		FUZZ_CHECK(seals_parse(fmt, &again, bad, badlen, &why) == 0);
		FUZZ_CHECK(again == mask);
	} else {
		FUZZ_CHECK(why != NULL);
		FUZZ_CHECK(memchr(bad, '\0', badlen) != NULL);
	}
	free(bad);
	free(s);
	return 0;
}
