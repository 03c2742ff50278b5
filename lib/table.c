/* table: libsmartcols, loaded on first use.
 *
 * Why dlopen and not a link: a hot verb (shmctl read, semctl post, efd
 * signal) prints no table, and a binary linked with libsmartcols maps and
 * relocates it at every start.  Measured on `shmctl read /x -n 4096`
 * (callgrind instructions, perf page faults, one interleaved hyperfine
 * run): this build 163k instructions and 59 faults; the same objects
 * linked with libsmartcols 367k and 69, 8% slower; with libbsd and libmd
 * as shared libraries 342k and 72, 12% slower; an empty dynamic C
 * program 126k and 48.  A listing pays for the dlopen once, when its
 * first table is made. */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libsmartcols.h>

#include "cli.h"
#include "fmt.h"
#include "msg.h"
#include "parse.h"
#include "table.h"

/* The few libsmartcols calls we make, resolved from the library. */
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
	__typeof__(&scols_table_enable_noencoding) enable_noencoding;
	__typeof__(&scols_print_table) print_table;
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
#define SYM(field, name) \
	do { \
		*(void **)&sc.field = dlsym(sc.h, name); \
		if (sc.field == NULL) \
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
	SYM(enable_noencoding, "scols_table_enable_noencoding");
	SYM(print_table, "scols_print_table");
#undef SYM
}

struct table {
	struct libscols_table *tb;
	struct libscols_line *ln;
	const struct col *cols;
	unsigned flags;
	struct colsel sel;
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
table_args(int argc, char **argv, int bytes_opt, struct table_args *ta)
{
	/* --bytes first: without bytes_opt the table starts after it, so
	 * that it is as unknown as any other option. */
	static const struct option lopts[] = {
		{ "bytes", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c;
	int ch;

	memset(ta, 0, sizeof(*ta));
	cli_init(&c, argc, argv,
	    bytes_opt ? "nbo:" : "no:", bytes_opt ? lopts : lopts + 1, 0);
	cli_exclusive(&c, "Jr");
	while ((ch = cli_next(&c)) != -1) {
		if (ch == 'J')
			ta->flags |= TABLE_JSON | TABLE_BYTES;
		else if (ch == 'r')
			ta->flags |= TABLE_RAW;
		else if (ch == 'n')
			ta->flags |= TABLE_NOHEADINGS;
		else if (ch == 'o')
			ta->list = optarg;
		else if (ch == 'b')
			ta->flags |= TABLE_BYTES;
	}
	cli_operands(&c, 0, 0);
}

/* The columns of the ls verb running, for its --help. */
static const struct table_spec *help_spec;

static void
help_columns(FILE *f)
{
	table_help_columns(f, help_spec->cols, help_spec->ncols);
}

struct table *
table_ls(int argc, char **argv, const struct table_spec *spec)
{
	struct table_args ta;
	struct colsel sel;

	if (spec->help_columns) {
		help_spec = spec;
		cli_help_extra(help_columns);
	}
	table_args(argc, argv, spec->bytes_opt, &ta);
	table_select(&sel, spec->cols, spec->ncols, spec->defaults,
	    spec->ndefaults, ta.list);
	return table_new(spec->name, spec->cols, &sel, ta.flags);
}

int
table_select_parse(struct colsel *sel, const struct col *cols, size_t ncols,
    const int *defaults, size_t ndefaults, const char *list, const char **bad,
    size_t *badlen, const char **why)
{
	const char *tok;
	size_t i, n;

	sel->n = 0;
	if (list == NULL || *list == '+') {
		for (i = 0; i < ndefaults && sel->n < TABLE_MAXCOLS; i++)
			sel->ids[sel->n++] = defaults[i];
	}
	if (list == NULL)
		return 0;
	if (*list == '+')
		list++;
	for (tok = list; *tok != '\0'; tok += n) {
		if (*tok == ',') { /* empty names are skipped */
			n = 1;
			continue;
		}
		n = strcspn(tok, ",");
		for (i = 0; i < ncols; i++)
			if (strncasecmp(tok, cols[i].name, n) == 0 &&
			    cols[i].name[n] == '\0')
				break;
		if (i == ncols) {
			*bad = tok;
			*badlen = n;
			*why = "unknown column";
			return -1;
		}
		if (sel->n < TABLE_MAXCOLS)
			sel->ids[sel->n++] = (int)i;
	}
	if (sel->n == 0) {
		*bad = NULL;
		*badlen = 0;
		*why = "no columns selected";
		return -1;
	}
	return 0;
}

void
table_select(struct colsel *sel, const struct col *cols, size_t ncols,
    const int *defaults, size_t ndefaults, const char *list)
{
	const char *bad, *why;
	char valid[1024] = "", name[256];
	size_t i, badlen;

	if (table_select_parse(sel, cols, ncols, defaults, ndefaults, list,
		&bad, &badlen, &why) == 0)
		return;
	if (bad == NULL)
		cli_usage(NULL, "%s", why);
	for (i = 0; i < ncols; i++)
		strlcat(valid, i ? "," : "", sizeof(valid)),
		    strlcat(valid, cols[i].name, sizeof(valid));
	/* On the stack: cli_usage exits, and a copy on the heap would be
	 * a leak under valgrind.  A longer name is cut. */
	snprintf(name, sizeof(name), "%.*s",
	    (int)(badlen < sizeof(name) ? badlen : sizeof(name) - 1), bad);
	cli_usage(name, "%s (valid: %s)", why, valid);
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
	sc.set_name(t->tb, name);
	sc.enable_json(t->tb, !!(flags & TABLE_JSON));
	sc.enable_raw(t->tb, !!(flags & TABLE_RAW));
	sc.enable_noheadings(t->tb, !!(flags & TABLE_NOHEADINGS));
	/* An aligned table's cells are escaped by table_set as every message
	 * escapes names (fmt_vis), and libsmartcols must not escape that
	 * again.  --raw keeps libsmartcols's \xHH for blanks, backslashes
	 * and what is not printable, as lsipc --raw does, so that a raw line
	 * splits at its blanks. */
	sc.enable_noencoding(t->tb, !(flags & (TABLE_JSON | TABLE_RAW)));
	for (i = 0; i < sel->n; i++) {
		const struct col *c = &cols[sel->ids[i]];
		char lname[32];
		struct libscols_column *cl = sc.new_column(t->tb,
		    (flags & TABLE_JSON) ? lower(c->name, lname, sizeof(lname))
					 : c->name,
		    0, (c->flags & COL_RIGHT) ? SCOLS_FL_RIGHT : 0);

		if (cl == NULL)
			msg_die(EXIT_FAIL, NULL, "cannot make a column");
		/* An array is given whole as its JSON text (table_set):
		 * libsmartcols prints a "number" cell as it is, where its
		 * own array type (2.38) prints an empty cell as [null]. */
		if (c->flags & (COL_NUMBER | COL_ARRAY))
			sc.set_json_type(cl, SCOLS_JSON_NUMBER);
		else if (c->flags & COL_BOOL)
			sc.set_json_type(cl, SCOLS_JSON_BOOLEAN);
		else if (c->flags & COL_STRING)
			sc.set_json_type(cl, SCOLS_JSON_STRING);
	}
	return t;
}

void
table_load(void)
{
	load();
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

const struct colsel *
table_sel(const struct table *t)
{
	return &t->sel;
}

unsigned
table_flags(const struct table *t)
{
	return t->flags;
}

/* The length of the valid UTF-8 sequence at s, or 0 when it is not one
 * (overlong forms, surrogates and code points past U+10FFFF included). */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

/* JSON strings are UTF-8: a byte that is not part of a valid sequence is
 * written as the four characters \ooo (libsmartcols then escapes the
 * backslash), as the plain table shows it.  NULL when value is valid. */
static char *
json_text(const char *value)
{
	const unsigned char *s = (const unsigned char *)value;
	size_t i, n, len = strlen(value);
	char *out = NULL, *w = NULL;

	for (i = 0; i < len; i += n) {
		if ((n = utf8_len(s + i)) > 0)
			continue;
		if (out == NULL) {
			out = xreallocarray(NULL, len + 1, 4);
			memcpy(out, value, i);
			w = out + i;
		}
		break;
	}
	if (out == NULL)
		return NULL;
	for (; i < len; i += n) {
		if ((n = utf8_len(s + i)) > 0) {
			memcpy(w, s + i, n);
			w += n;
		} else {
			w += sprintf(w, "\\%03o", s[i]);
			n = 1;
		}
	}
	*w = '\0';
	return out;
}

/* A cell that is not all printable ASCII, or holds a backslash. */
static int
needs_vis(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < ' ' || *s > '~' || *s == '\\')
			return 1;
	return 0;
}

void
table_set(struct table *t, int id, const char *value)
{
	char *own = NULL;
	size_t i;

	if (t->flags & TABLE_JSON) {
		if (t->cols[id].flags & COL_ARRAY) {
			/* "1,2" is [1,2]; "-" or "" is []. */
			int empty = *value == '\0' || strcmp(value, "-") == 0;

			own = xreallocarray(NULL, strlen(value) + 3, 1);
			sprintf(own, "[%s]", empty ? "" : value);
		} else if (strcmp(value, "-") == 0 &&
		    !(t->cols[id].flags & COL_STRING))
			return; /* "-" stands for nothing: JSON null */
		else
			own = json_text(value);
		if (own != NULL)
			value = own;
	} else if (!(t->flags & TABLE_RAW) && needs_vis(value)) {
		size_t n = strlen(value);

		own = xreallocarray(NULL, n + 1, 4);
		value = fmt_visx(own, n * 4 + 4, value, n, 0);
	}
	/* A column may be selected twice: fill each place. */
	for (i = 0; i < t->sel.n; i++)
		if (t->sel.ids[i] == id && sc.set_data(t->ln, i, value) != 0)
			msg_die(EXIT_FAIL, NULL, "cannot fill a cell");
	free(own);
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

void
table_row_fields(struct table *t, table_field_fn *field, const void *obj)
{
	char buf[8192];
	size_t i;

	table_row(t);
	for (i = 0; i < t->sel.n; i++) {
		field(obj, t->sel.ids[i], !!(t->flags & TABLE_BYTES), buf,
		    sizeof(buf));
		table_set(t, t->sel.ids[i], buf);
	}
}

int
table_print(struct table *t)
{
	/* libsmartcols writes to our stdout; a write error shows in
	 * ferror(stdout), which main checks at exit. */
	if (sc.print_table(t->tb) != 0 && !ferror(stdout))
		msg_die(EXIT_FAIL, NULL, "cannot print the table");
	sc.unref_table(t->tb);
	free(t);
	return 0;
}
