/* table: libsmartcols, loaded on first use. */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	__typeof__(&scols_column_set_wrapfunc) set_wrapfunc;
	__typeof__(&scols_wrapnl_chunksize) wrapnl_chunksize;
	__typeof__(&scols_wrapnl_nextchunk) wrapnl_nextchunk;
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
	SYM(set_wrapfunc, "scols_column_set_wrapfunc");
	SYM(wrapnl_chunksize, "scols_wrapnl_chunksize");
	SYM(wrapnl_nextchunk, "scols_wrapnl_nextchunk");
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
	/* Plain text to a file or pipe is kept here and printed by
	 * plain_print, unless a cell needs libsmartcols (see plain_ok). */
	const char *name;
	int deferred;
	int plain; /* every cell so far is plain */
	char *text; /* the cells, each NUL-terminated */
	size_t tlen, tcap;
	uint32_t *cells; /* row * sel.n + position: offset in text + 1, or 0 */
	size_t nrows, caprows;
};

static void plain_set(struct table *t, size_t pos, const char *value);

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
	}
	if (list == NULL)
		return;
	if (*list == '+')
		list++;
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

/* lib: through libsmartcols, whatever the output. */
static struct table *
new_table(const char *name, const struct col *cols, const struct colsel *sel,
    unsigned flags, int lib)
{
	struct table *t = xcalloc(1, sizeof(*t));
	size_t i;

	/* Not JSON, not a terminal (whose width libsmartcols fits the table
	 * to): keep the cells; table_print decides. */
	if (!lib && !(flags & TABLE_JSON) && !isatty(STDOUT_FILENO) &&
	    getenv("IPCBOX_SMARTCOLS") == NULL) {
		t->name = name;
		t->cols = cols;
		t->flags = flags;
		t->sel = *sel;
		t->deferred = t->plain = 1;
		return t;
	}
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
		/* A JSON array is one element a line of the cell: only a
		 * column that wraps at newlines gives libsmartcols the
		 * elements (else it prints the cell as one string). */
		int array = (c->flags & COL_ARRAY) && (flags & TABLE_JSON);
		struct libscols_column *cl = sc.new_column(t->tb,
		    (flags & TABLE_JSON) ? lower(c->name, lname, sizeof(lname))
					 : c->name,
		    0,
		    ((c->flags & COL_RIGHT) ? SCOLS_FL_RIGHT : 0) |
			(array ? SCOLS_FL_WRAP : 0));

		if (cl == NULL)
			msg_die(EXIT_FAIL, NULL, "cannot make a column");
		if (array) {
			sc.set_json_type(cl, SCOLS_JSON_ARRAY_NUMBER);
			sc.set_wrapfunc(cl, sc.wrapnl_chunksize,
			    sc.wrapnl_nextchunk, NULL);
		} else if (c->flags & COL_NUMBER)
			sc.set_json_type(cl, SCOLS_JSON_NUMBER);
		else if (c->flags & COL_BOOL)
			sc.set_json_type(cl, SCOLS_JSON_BOOLEAN);
		if (t->pos[sel->ids[i]] < 0)
			t->pos[sel->ids[i]] = (int)i;
	}
	return t;
}

struct table *
table_new(const char *name, const struct col *cols, const struct colsel *sel,
    unsigned flags)
{
	return new_table(name, cols, sel, flags, 0);
}

void
table_load(void)
{
	load();
}

void
table_row(struct table *t)
{
	if (t->deferred) {
		if (t->nrows == t->caprows)
			t->cells = xreallocarray(t->cells,
			    t->caprows = t->caprows * 2 + 1024,
			    t->sel.n * sizeof(uint32_t));
		memset(t->cells + t->nrows++ * t->sel.n, 0,
		    t->sel.n * sizeof(uint32_t));
		return;
	}
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

unsigned
table_flags(const struct table *t)
{
	return t->flags;
}

void
table_set(struct table *t, int id, const char *value)
{
	size_t i;

	/* A column may be selected twice: fill each place. */
	for (i = 0; i < t->sel.n; i++) {
		if (t->sel.ids[i] != id)
			continue;
		if (t->deferred) {
			plain_set(t, i, value);
			continue;
		}
		int array = (t->cols[id].flags & COL_ARRAY) &&
		    (t->flags & TABLE_JSON);

		/* "-" stands for nothing: JSON says null (or [] for an
		 * array, see table_print). */
		if ((t->flags & TABLE_JSON) && strcmp(value, "-") == 0)
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

/* libsmartcols up to 2.38 prints an array cell with no data as
 * "[\n null\n ]", where later versions print "[]": make it [] here.
 * Outside strings, a '[' opens an array; "null" alone in one is that
 * empty cell.  In place: the text only shrinks. */
static void
json_empty_arrays(char *s)
{
	char *r = s, *w = s, *p;
	int in_str = 0;

	while (*r != '\0') {
		if (in_str) {
			if (*r == '\\' && r[1] != '\0')
				*w++ = *r++;
			else if (*r == '"')
				in_str = 0;
			*w++ = *r++;
			continue;
		}
		if (*r == '"')
			in_str = 1;
		else if (*r == '[') {
			p = r + 1 + strspn(r + 1, " \t\n");
			if (strncmp(p, "null", 4) == 0) {
				p += 4;
				p += strspn(p, " \t\n");
				if (*p == ']') {
					*w++ = '[';
					*w++ = ']';
					r = p + 1;
					continue;
				}
			}
		}
		*w++ = *r++;
	}
	*w = '\0';
}

/* Plain text without libsmartcols: the cost of a large table is then in
 * making its rows, not in printing them.  The layout is libsmartcols's
 * own for output that is not a terminal: each column as wide as its
 * widest cell or its heading, one space between columns, numbers
 * right-aligned, nothing after the last cell of a line; --raw: the cells
 * with one space between; no rows: nothing, not even the headings.
 * Only cells of printable ASCII (and no backslash, nor a blank with
 * --raw) are printed here: any other makes table_print hand every cell
 * to libsmartcols, which escapes them. */
static int
plain_ok(const struct table *t, const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < ' ' || *s > '~' || *s == '\\' ||
		    (*s == ' ' && (t->flags & TABLE_RAW)))
			return 0;
	return 1;
}

static void
plain_set(struct table *t, size_t pos, const char *value)
{
	size_t n = strlen(value) + 1;

	if (t->nrows == 0)
		msg_die(EXIT_FAIL, NULL, "table_set before table_row");
	if (t->plain && !plain_ok(t, value))
		t->plain = 0;
	if (t->tlen + n >= UINT32_MAX)
		msg_die(EXIT_FAIL, NULL, "table too large");
	if (t->tcap - t->tlen < n)
		t->text = xreallocarray(t->text,
		    t->tcap = (t->tcap + n) * 2 + 262144, 1);
	memcpy(t->text + t->tlen, value, n);
	t->cells[(t->nrows - 1) * t->sel.n + pos] = (uint32_t)t->tlen + 1;
	t->tlen += n;
}

static const char *
plain_cell(const struct table *t, size_t row, size_t pos)
{
	size_t off = t->cells[row * t->sel.n + pos];

	return off ? t->text + off - 1 : "";
}

/* One line into buf (which grows), then one write of it. */
static void
plain_line(const struct table *t, const char *const *v, const size_t *w,
    char **buf, size_t *cap)
{
	size_t i, n = t->sel.n, len, k = 0, need = 1;
	int raw = !!(t->flags & TABLE_RAW);

	for (i = 0; i < n; i++)
		need += w[i] + 1;
	if (need > *cap)
		*buf = xreallocarray(*buf, *cap = need * 2, 1);
	for (i = 0; i < n; i++) {
		int right = t->cols[t->sel.ids[i]].flags & COL_RIGHT;
		size_t fill = 0;

		len = strlen(v[i]);
		if (!raw && (i + 1 < n || (right && len > 0)))
			fill = w[i] - len; /* the last cell: nothing after */
		if (right && fill > 0)
			memset(*buf + k, ' ', fill), k += fill;
		memcpy(*buf + k, v[i], len);
		k += len;
		if (!right && fill > 0)
			memset(*buf + k, ' ', fill), k += fill;
		if (i + 1 < n)
			(*buf)[k++] = ' ';
	}
	(*buf)[k++] = '\n';
	fwrite_unlocked(*buf, 1, k, stdout);
}

static void
plain_print(struct table *t)
{
	size_t i, r, n = t->sel.n;
	size_t *w = xcalloc(n, sizeof(size_t));
	const char **v = xcalloc(n, sizeof(char *));
	char *buf = NULL;
	size_t cap = 0;

	for (i = 0; i < n; i++) {
		w[i] = strlen(t->cols[t->sel.ids[i]].name);
		for (r = 0; r < t->nrows; r++) {
			size_t len = strlen(plain_cell(t, r, i));

			if (len > w[i])
				w[i] = len;
		}
	}
	if (t->nrows > 0 && !(t->flags & TABLE_NOHEADINGS)) {
		for (i = 0; i < n; i++)
			v[i] = t->cols[t->sel.ids[i]].name;
		plain_line(t, v, w, &buf, &cap);
	}
	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < n; i++)
			v[i] = plain_cell(t, r, i);
		plain_line(t, v, w, &buf, &cap);
	}
	free(buf);
	free(v);
	free(w);
}

/* The cells kept, printed here or handed to libsmartcols. */
static void
deferred_print(struct table *t)
{
	struct table *lt;
	size_t r, i;

	if (t->plain) {
		plain_print(t);
	} else {
		lt = new_table(t->name, t->cols, &t->sel, t->flags, 1);
		for (r = 0; r < t->nrows; r++) {
			table_row(lt);
			for (i = 0; i < t->sel.n; i++)
				if (t->cells[r * t->sel.n + i] != 0)
					table_set(lt, t->sel.ids[i],
					    plain_cell(t, r, i));
		}
		table_print(lt);
	}
	free(t->text);
	free(t->cells);
	free(t);
}

int
table_print(struct table *t)
{
	char *s = NULL;
	size_t n;

	if (t->deferred) {
		deferred_print(t);
		return 0;
	}
	if (sc.print_to_string(t->tb, &s) != 0 || s == NULL)
		msg_die(EXIT_FAIL, NULL, "cannot print the table");
	if (t->flags & TABLE_JSON)
		json_empty_arrays(s);
	n = strlen(s);
	fwrite(s, 1, n, stdout);
	if (n > 0 && s[n - 1] != '\n')
		putchar('\n');
	sc.free(s);
	sc.unref_table(t->tb);
	free(t);
	return 0;
}
