/* cols: the one column set over the object record (struct ipcobj), for
 * every listing: shmctl ls and stat, semctl ls, efd ls, memfd ls, ipcls.
 *
 * Each column is named, typed (for JSON) and formatted here, once.  An
 * applet's listing is a view: the columns it offers, in its order, with
 * its own help text where it has one, and its defaults; the rows are the
 * scan's objects (lib/ipcscan.h), or, for efd ls and memfd ls, one row a
 * descriptor that holds one (and one a process that only maps it).
 *
 * Part of the command-line layer: it prints tables through lib/table.h,
 * which parses the ls options and raises their usage errors; the
 * mechanism modules (lib/ipcscan.c among them) do not include it.
 */
#ifndef IPCBOX_COLS_H
#define IPCBOX_COLS_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "ipcscan.h"
#include "table.h"

enum ipccol {
	IC_TYPE,
	IC_NAME,
	IC_KEY,
	IC_ID,
	IC_SIZE,
	IC_PERMS,
	IC_MODE,
	IC_OWNER,
	IC_GROUP,
	IC_CUID,
	IC_CGID,
	IC_HOLDERS,
	IC_NATTCH,
	IC_CPID,
	IC_LPID,
	IC_ATIME,
	IC_MTIME,
	IC_CTIME,
	IC_OTIME,
	IC_AGE,
	IC_FDS,
	IC_SEALS,
	IC_NSEMS,
	IC_VALUE,
	IC_PID,
	IC_COMMAND,
	IC_FD,
	IC_COUNT,
	IC_SEMAPHORE,
	IC_INODE,
	IC_ADDRESS,
	IC_HOLDS,
	IC_USED,
	IC_NCOLS
};

/* A view's own help text for one of its columns. */
struct ipccol_help {
	int col;
	const char *help;
};

enum {
	IPCVIEW_FDROWS = 1 << 0, /* a row a descriptor (efd ls, memfd ls):
				    NAME is the memfd's own name, SEALS
				    "-" for none and "?" when unknown */
	IPCVIEW_STORE = 1 << 1, /* the fd store's entries (fdstore ls): TYPE
				   is what one holds, SIZE a memfd's only */
};

/* An applet's listing. */
struct ipcview {
	const char *name; /* the JSON member holding the rows */
	const int *cols; /* offered (IC_*), in -o's and --help's order */
	size_t ncols;
	const struct ipccol_help *help; /* where the column's own will not do */
	size_t nhelp;
	const int *defaults; /* IC_* */
	size_t ndefaults;
	unsigned types; /* the kinds scanned (IPC_T()) */
	unsigned style; /* IPCVIEW_* */
	int bytes_opt; /* takes -b/--bytes */
	int help_columns; /* --help lists the columns */
	/* After the scan, before the rows: a note on stderr (mqctl ls: no
	 * mqueue file system mounted), or NULL. */
	void (*after_scan)(const struct ipcscan *s);
};

/* A view's three arrays, counted. */
#define IPCVIEW_ARRAYS(c, h, d) \
	.cols = (c), .ncols = sizeof(c) / sizeof((c)[0]), .help = (h), \
	.nhelp = sizeof(h) / sizeof((h)[0]), .defaults = (d), \
	.ndefaults = sizeof(d) / sizeof((d)[0])

/* How the cells read. */
struct ipcfmt {
	const struct ipcview *v;
	const struct ipcscan *s; /* for COMMAND; NULL: "?" */
	int bytes; /* sizes in bytes */
	int json; /* AGE in seconds */
	time_t now; /* for AGE */
};

/* One row: an object, or (pid > 0) one process's hold of it, by
 * descriptor fd, or by a mapping only (fd -1). */
struct ipcrow {
	const struct ipcobj *o;
	pid_t pid;
	int fd;
};

/* The ls verb of a view: its options (table_args), the scan its columns
 * need, the rows, the table.  Exit 1 naming the view that could not be
 * read. */
int ipccols_ls(int argc, char **argv, const struct ipcview *v);

/* The view's columns as table.h wants them (cols: v->ncols of them). */
void ipccols_view(const struct ipcview *v, struct col *cols);
/* Its defaults as indices into those; n: v->ndefaults of them. */
void ipccols_view_defaults(const struct ipcview *v, const int *defaults,
    size_t ndefaults, int *ids);
/* What ipcscan() must read for the columns selected (indices of the
 * view's). */
unsigned ipccols_scanflags(const struct ipcview *v, const struct colsel *sel);
/* Add the rows of s that keep accepts (NULL: all) to t, made with the
 * view's columns and sel. */
void
ipccols_rows(struct table *t, const struct colsel *sel, const struct ipcfmt *f,
    int (*keep)(const struct ipcscan *, const struct ipcobj *));

/* Column col (IC_*) of r as text: buf, or a string the caller frees
 * through *own (set, else NULL) when buf is too small. */
const char *ipccols_text(const struct ipcfmt *f, int col,
    const struct ipcrow *r, char *buf, size_t len, char **own);
/* Its name ("SIZE"). */
const char *ipccols_name(int col);

/* Why o is kept, or is an orphan (lib/orphan.h), as a line's end:
 * "owner postgres has 9 live processes (postgres)"; detail: each
 * process's pid and command. */
struct orphan;
void ipccols_why(const struct ipcscan *s, const struct ipcobj *o,
    const struct orphan *w, int detail, char *buf, size_t len);

/* --target PID of ipcls and ipcgc: check it (a usage error), then enter
 * that process's IPC and mount namespaces, root and working directory
 * (exit 1 when it cannot), after loading what is needed from our root. */
void ipccols_target_check(const char *text);
void ipccols_target_enter(const char *text);

/* Owner and group names from /etc/passwd and /etc/group read as files
 * (in another root: no NSS module is loaded from it). */
void ipccols_names_from_files(void);

/* --sort KEY: SIZE, AGE or NAME (any case); another exits 2. */
enum ipcsort cols_sort_parse(const char *key);

/* -t TYPES: "posix-shm,sysv-sem" into a mask of types among allowed; an
 * unknown name exits 2 with the valid ones listed. */
unsigned cols_types_parse(const char *list, unsigned allowed);

#endif
