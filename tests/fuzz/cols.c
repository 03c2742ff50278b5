/* cols: -o column lists (lib/table.c table_select_parse) over the
 * column set of every listing (lib/cols.c).  A selection has 1 to
 * TABLE_MAXCOLS columns, each one of the set; an unknown name is a piece
 * of the list that names no column. */
#include <strings.h>

#include "cols.h"
#include "fuzz.h"
#include "table.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct col cols[IC_NCOLS];
	static const int defaults[] = { IC_TYPE, IC_NAME, IC_SIZE };
	char *s = fuzz_str(data, size);
	const char *bad = NULL, *why = NULL;
	struct colsel sel;
	size_t i, badlen = 0;

	for (i = 0; i < IC_NCOLS; i++)
		cols[i].name = ipccols_name((int)i);
	if (table_select_parse(&sel, cols, IC_NCOLS, defaults, 3, s, &bad,
		&badlen, &why) == 0) {
		FUZZ_CHECK(sel.n >= 1 && sel.n <= TABLE_MAXCOLS);
		for (i = 0; i < sel.n; i++)
			FUZZ_CHECK(sel.ids[i] >= 0 && sel.ids[i] < IC_NCOLS);
	} else {
		FUZZ_CHECK(why != NULL);
		if (bad != NULL) {
			FUZZ_CHECK(bad >= s && bad + badlen <= s + strlen(s));
			FUZZ_CHECK(
			    badlen > 0 && memchr(bad, ',', badlen) == NULL);
			for (i = 0; i < IC_NCOLS; i++)
				FUZZ_CHECK(strlen(cols[i].name) != badlen ||
				    strncasecmp(cols[i].name, bad, badlen) !=
					0);
		}
	}
	free(s);
	return 0;
}
