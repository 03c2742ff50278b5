/* escape: mqctl's one-line messages (lib/fmt.c fmt_msgvis, lib/parse.c
 * parse_msgunvis).  Escaping any bytes gives one line (no newline, no
 * NUL; printable ASCII and tabs only with ascii) that unescapes to the
 * same bytes; unescaping any line stays within its buffers (exactly the
 * sizes mqctl gives: FMT_MSGVIS_LEN, and the line's length). */
#include "fmt.h"
#include "fuzz.h"
#include "parse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *errstr = NULL;
	char *vis, *back, *raw;
	size_t len, n, i;
	int ascii;

	for (ascii = 0; ascii <= 1; ascii++) {
		vis = malloc(FMT_MSGVIS_LEN(size));
		if (vis == NULL)
			abort();
		len = fmt_msgvis(vis, data, size, ascii);
		FUZZ_CHECK(len < FMT_MSGVIS_LEN(size));
		FUZZ_CHECK(memchr(vis, '\n', len) == NULL);
		FUZZ_CHECK(memchr(vis, '\0', len) == NULL);
		for (i = 0; ascii && i < len; i++)
			FUZZ_CHECK(
			    (vis[i] >= ' ' && vis[i] <= '~') || vis[i] == '\t');
		back = fuzz_copy((const uint8_t *)vis, len);
		FUZZ_CHECK(parse_msgunvis(back, vis, len, &n, &errstr) == 0);
		FUZZ_CHECK(n == size && memcmp(back, data, size) == 0);
		free(back);
		free(vis);
	}
	/* Any line: within bounds, and an error has a reason. */
	raw = fuzz_copy(data, size);
	if (parse_msgunvis(raw, (const char *)data, size, &n, &errstr) == 0)
		FUZZ_CHECK(n <= size);
	else
		FUZZ_CHECK(errstr != NULL);
	free(raw);
	return 0;
}
