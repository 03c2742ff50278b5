/* mode: octal and symbolic modes (lib/parse.c parse_mode), applied to
 * a base mode taken from the input's first two bytes.  A result is at
 * most 0777; its octal text reads back as itself. */
#include "fuzz.h"
#include "parse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *errstr = NULL;
	mode_t base, m, again;
	char *s, oct[16];

	if (size < 2)
		return 0;
	base = (mode_t)((data[0] << 8 | data[1]) & 0777);
	s = fuzz_str(data + 2, size - 2);
	if (parse_mode(s, base, &m, &errstr) == 0) {
		FUZZ_CHECK(m <= 0777);
		snprintf(oct, sizeof(oct), "%o", (unsigned)m);
		FUZZ_CHECK(parse_mode(oct, 0, &again, &errstr) == 0);
		FUZZ_CHECK(again == m);
	} else
		FUZZ_CHECK(errstr != NULL);
	free(s);
	return 0;
}
