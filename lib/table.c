/* table: libsmartcols, loaded on first use. */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols.h>

#include "cli.h"
#include "msg.h"
#include "table.h"

/* The few libsmartcols calls we make, resolved from the library; free is
 * the library's own, which matters in the static build where it brings
 * its own libc. */
static struct {
	void *h;
	__typeof__(&scols_new_table) new_table;
	__typeof__(&scols_unref_table) unref_table;
	__typeof__(&scols_table_new_column) new_column;
	__typeof__(&scols_table_new_line) new_line;
	__typeof__(&scols_line_set_data) set_data;
	__typeof__(&scols_column_set_json_type) set_json_type;
	__typeof__(&scols_table_set_name) set_name;
	__typeof__(&scols_table_enable_json) enable_json;
	__typeof__(&scols_table_enable_raw) enable_raw;
	__typeof__(&scols_table_enable_noheadings) enable_noheadings;
	__typeof__(&scols_print_table_to_string) print_to_string;
	void (*free)(void *);
} sc;

static void
load(void)
{
	static const char *const lib = "libsmartcols.so.1";

	if (sc.h != NULL)
		return;
	sc.h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (sc.h == NULL)
		msg_die(EXIT_FAIL, NULL, "cannot load %s: %s", lib, dlerror());
#define SYM(field, name)                                                  \
	do {                                                              \
		*(void **)&sc.field = dlsym(sc.h, name);                  \
		if (sc.field == NULL)                                     \
			msg_die(EXIT_FAIL, NULL, "%s: missing %s", lib, name); \
	} while (0)
	SYM(new_table, "scols_new_table");
	SYM(unref_table, "scols_unref_table");
	SYM(new_column, "scols_table_new_column");
	SYM(new_line, "scols_table_new_line");
	SYM(set_data, "scols_line_set_data");
	SYM(set_json_type, "scols_column_set_json_type");
	SYM(set_name, "scols_table_set_name");
	SYM(enable_json, "scols_table_enable_json");
	SYM(enable_raw, "scols_table_enable_raw");
	SYM(enable_noheadings, "scols_table_enable_noheadings");
	SYM(print_to_string, "scols_print_table_to_string");
#ifdef IPCBOX_STATIC
	/* The library brought its own libc: free what it allocated there. */
	SYM(free, "free");
#else
	sc.free = free;
#endif
#undef SYM
}

struct table {
	struct libscols_table *tb;
	struct libscols_line *ln;
	const struct col *cols;
	unsigned flags;
	struct colsel sel;
	int pos[TABLE_MAXCOLS * 2]; /* column id -> position, or -1 */
	size_t npos;
};

void
table_help_columns(FILE *f, const struct col *cols, size_t ncols)
{
	size_t i;

	fprintf(f, "Columns (-o LIST, -o +LIST to add):\n");
	for (i = 0; i < ncols; i++)
		fprintf(f, "  %10s  %s\n", cols[i].name, cols[i].help);
}

void
table_select(struct colsel *sel, const struct col *cols, size_t ncols,
    const int *defaults, size_t ndefaults, const char *list)
{
	char *copy, *tok, *save;
	size_t i;

	sel->n = 0;
	if (list == NULL || *list == '+') {
		for (i = 0; i < ndefaults; i++)
			sel->ids[sel->n++] = defaults[i];
		if (list == NULL)
			return;
		list++;
	}
	copy = xstrdup(list);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ncols; i++)
			if (strcasecmp(tok, cols[i].name) == 0)
				break;
		if (i == ncols) {
			char valid[1024] = "";

			for (i = 0; i < ncols; i++)
				strlcat(valid, i ? "," : "", sizeof(valid)),
				    strlcat(valid, cols[i].name, sizeof(valid));
			cli_usage(tok, "unknown column (valid: %s)", valid);
		}
		if (sel->n < TABLE_MAXCOLS)
			sel->ids[sel->n++] = (int)i;
	}
	free(copy);
	if (sel->n == 0)
		cli_usage(NULL, "no columns selected");
}

static char *
lower(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		buf[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i];
	buf[i] = '\0';
	return buf;
}

struct table *
table_new(const char *name, const struct col *cols, const struct colsel *sel,
    unsigned flags)
{
	struct table *t = xcalloc(1, sizeof(*t));
	size_t i;

	load();
	t->tb = sc.new_table();
	if (t->tb == NULL)
		msg_die(EXIT_FAIL, NULL, "cannot make a table");
	t->cols = cols;
	t->flags = flags;
	t->sel = *sel;
	memset(t->pos, -1, sizeof(t->pos));
	sc.set_name(t->tb, name);
	sc.enable_json(t->tb, !!(flags & TABLE_JSON));
	sc.enable_raw(t->tb, !!(flags & TABLE_RAW));
	sc.enable_noheadings(t->tb, !!(flags & TABLE_NOHEADINGS));
	for (i = 0; i < sel->n; i++) {
		const struct col *c = &cols[sel->ids[i]];
		char lname[32];
		struct libscols_column *cl = sc.new_column(t->tb,
		    (flags & TABLE_JSON) ? lower(c->name, lname, sizeof(lname))
					 : c->name,
		    0, (c->flags & COL_RIGHT) ? SCOLS_FL_RIGHT : 0);

		if (cl == NULL)
			msg_die(EXIT_FAIL, NULL, "cannot make a column");
		if (c->flags & COL_ARRAY)
			sc.set_json_type(cl, SCOLS_JSON_ARRAY_NUMBER);
		else if (c->flags & COL_NUMBER)
			sc.set_json_type(cl, SCOLS_JSON_NUMBER);
		if (t->pos[sel->ids[i]] < 0)
			t->pos[sel->ids[i]] = (int)i;
	}
	return t;
}

void
table_row(struct table *t)
{
	t->ln = sc.new_line(t->tb, NULL);
	if (t->ln == NULL)
		msg_die(EXIT_FAIL, NULL, "cannot add a row");
}

int
table_selected(const struct table *t, int id)
{
	size_t i;

	for (i = 0; i < t->sel.n; i++)
		if (t->sel.ids[i] == id)
			return 1;
	return 0;
}

void
table_set(struct table *t, int id, const char *value)
{
	size_t i;

	/* A column may be selected twice: fill each place. */
	for (i = 0; i < t->sel.n; i++) {
		if (t->sel.ids[i] != id)
			continue;
		int array = (t->cols[id].flags & COL_ARRAY) &&
		    (t->flags & TABLE_JSON);

		/* "-" stands for nothing: JSON says null (or []). */
		if ((t->flags & TABLE_JSON) && strcmp(value, "-") == 0 &&
		    (t->cols[id].flags & (COL_NUMBER | COL_ARRAY)))
			continue;
		if (array && strchr(value, ',')) {
			/* libsmartcols splits JSON arrays at newlines. */
			char *v = xstrdup(value), *p;

			for (p = v; *p; p++)
				if (*p == ',')
					*p = '\n';
			sc.set_data(t->ln, i, v);
			free(v);
		} else
			sc.set_data(t->ln, i, value);
	}
}

void
table_setf(struct table *t, int id, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	table_set(t, id, buf);
}

int
table_print(struct table *t)
{
	char *s = NULL;
	size_t n;
	int rc = 0;

	if (sc.print_to_string(t->tb, &s) != 0 || s == NULL)
		rc = -1;
	else {
		n = strlen(s);
		fwrite(s, 1, n, stdout);
		if (n > 0 && s[n - 1] != '\n')
			putchar('\n');
		sc.free(s);
	}
	sc.unref_table(t->tb);
	free(t);
	return rc;
}
