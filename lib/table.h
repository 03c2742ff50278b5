/* table: columns, aligned tables and JSON through libsmartcols.
 *
 * libsmartcols is loaded with dlopen(3) when the first table is made, so
 * the verbs that print no table (the hot ones) never pay for it.
 *
 * One column table drives -o, --help's column list and the output, in the
 * way of util-linux lsipc.
 */
#ifndef IPCBOX_TABLE_H
#define IPCBOX_TABLE_H

#include <stddef.h>
#include <stdio.h>

enum {
	COL_RIGHT = 1 << 0, /* numbers: right-aligned */
	COL_NUMBER = 1 << 1, /* a JSON number */
	COL_ARRAY = 1 << 2, /* a JSON array of numbers (comma-separated) */
	COL_BOOL = 1 << 3, /* a JSON true or false ("yes" or "no") */
	COL_STRING = 1 << 4, /* always a JSON string: "-" and "" too */
};

struct col {
	const char *name;
	const char *help;
	unsigned flags;
};

enum {
	TABLE_JSON = 1 << 0,
	TABLE_RAW = 1 << 1,
	TABLE_NOHEADINGS = 1 << 2,
	TABLE_BYTES = 1 << 3, /* sizes in bytes, not 4.0K: for the caller */
};

#define TABLE_MAXCOLS 64

/* Which columns, in order: "A,B" replaces the defaults, "+A,B" adds. */
struct colsel {
	int ids[TABLE_MAXCOLS];
	size_t n;
};

/* Parse -o LIST; on an unknown name exit 2 with the valid ones listed. */
void table_select(struct colsel *sel, const struct col *cols, size_t ncols,
    const int *defaults, size_t ndefaults, const char *list);
/* The same, without exiting: 0, or -1 with *why ("unknown column", the
 * name at *bad, *badlen bytes long; "no columns selected", *bad NULL). */
int table_select_parse(struct colsel *sel, const struct col *cols, size_t ncols,
    const int *defaults, size_t ndefaults, const char *list, const char **bad,
    size_t *badlen, const char **why);
void table_help_columns(FILE *f, const struct col *cols, size_t ncols);

/* The options every ls verb takes, parsed with no operands allowed:
 * --json, --raw, -n/--noheadings, -o/--output COLS, and -b/--bytes when
 * bytes_opt (--json implies bytes). */
struct table_args {
	unsigned flags; /* TABLE_JSON, TABLE_RAW, ... TABLE_BYTES */
	const char *list; /* -o COLS, or NULL */
};
void table_args(int argc, char **argv, int bytes_opt, struct table_args *ta);

/* An ls verb's table: the JSON member holding the rows, the columns and
 * those -o starts from. */
struct table_spec {
	const char *name;
	const struct col *cols;
	size_t ncols;
	const int *defaults;
	size_t ndefaults;
	int bytes_opt; /* takes -b/--bytes */
	int help_columns; /* --help lists the columns */
};

/* ls: its options (table_args), then the table they select. */
struct table *table_ls(int argc, char **argv, const struct table_spec *spec);

struct table;

/* name: the JSON member holding the rows.  Every table, aligned, raw or
 * JSON, is printed by libsmartcols (escaping what is not printable); in
 * JSON, "-" is null, an array column's "1,2" is [1,2], and bytes that are
 * not UTF-8 are written as \ooo (octal, as fmt_vis escapes).  Aligned
 * cells are escaped with fmt_vis, --raw cells by libsmartcols (\xHH). */
struct table *table_new(const char *name, const struct col *cols,
    const struct colsel *sel, unsigned flags);
/* Load libsmartcols now: before setns(2) into another mount namespace,
 * where the library may not be. */
void table_load(void);
void table_row(struct table *t);
/* Set column id of the current row, when selected. */
void table_set(struct table *t, int id, const char *value);
void table_setf(struct table *t, int id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int table_selected(const struct table *t, int id);
/* The columns selected, in order. */
const struct colsel *table_sel(const struct table *t);
/* The flags the table was made with. */
unsigned table_flags(const struct table *t);

/* A new row whose selected cells field formats from obj (the caller's
 * object): bytes tells TABLE_BYTES. */
typedef void
table_field_fn(const void *obj, int id, int bytes, char *buf, size_t len);
void table_row_fields(struct table *t, table_field_fn *field, const void *obj);

/* Print to stdout and free; 0, or exit 1 when it cannot. */
int table_print(struct table *t);

#endif
