/* cols: the one column set over the object record. */
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cols.h"
#include "fdaddr.h"
#include "fmt.h"
#include "ns.h"
#include "orphan.h"
#include "seals.h"
#include "msg.h"
#include "parse.h"

static const struct col ipccols[IC_NCOLS] = {
	[IC_TYPE] = { "TYPE", "the kind of object", 0 },
	[IC_NAME] = { "NAME",
	    "name or address: /name, key:0x.., id:N, memfd:NAME, pid:P:N", 0 },
	[IC_KEY] = { "KEY", "System V key", 0 },
	[IC_ID] = { "ID", "System V id, eventfd id, memfd inode",
	    COL_RIGHT | COL_NUMBER },
	[IC_SIZE] = { "SIZE", "size (bytes with -b or --json)",
	    COL_RIGHT | COL_NUMBER },
	[IC_PERMS] = { "PERMS", "permissions, symbolic", 0 },
	[IC_MODE] = { "MODE", "permissions, octal", 0 },
	[IC_OWNER] = { "OWNER", "owner", 0 },
	[IC_GROUP] = { "GROUP", "group", 0 },
	[IC_CUID] = { "CUID", "creator's user id", COL_RIGHT | COL_NUMBER },
	[IC_CGID] = { "CGID", "creator's group id", COL_RIGHT | COL_NUMBER },
	[IC_HOLDERS] = { "HOLDERS", "pids that map or hold it", COL_ARRAY },
	[IC_NATTCH] = { "NATTCH", "attachments (System V)",
	    COL_RIGHT | COL_NUMBER },
	[IC_CPID] = { "CPID", "creator pid (System V)",
	    COL_RIGHT | COL_NUMBER },
	[IC_LPID] = { "LPID", "last pid to use it (System V)",
	    COL_RIGHT | COL_NUMBER },
	[IC_ATIME] = { "ATIME", "last access", 0 },
	[IC_MTIME] = { "MTIME", "last change of data", 0 },
	[IC_CTIME] = { "CTIME", "last change of status", 0 },
	[IC_OTIME] = { "OTIME", "last semop (System V)", 0 },
	[IC_AGE] = { "AGE", "time since the last use (seconds in JSON)",
	    COL_RIGHT | COL_NUMBER },
	[IC_FDS] = { "FDS", "descriptors that hold it, as pid:P:N", 0 },
	[IC_SEALS] = { "SEALS", "memfd seals", 0 },
	[IC_NSEMS] = { "NSEMS", "semaphores in the set",
	    COL_RIGHT | COL_NUMBER },
	[IC_VALUE] = { "VALUE", "the values, comma-separated", COL_ARRAY },
	[IC_PID] = { "PID", "process id", COL_RIGHT | COL_NUMBER },
	[IC_COMMAND] = { "COMMAND", "process name", 0 },
	[IC_FD] = { "FD", "descriptor number", COL_RIGHT | COL_NUMBER },
	[IC_COUNT] = { "COUNT", "counter value", COL_RIGHT | COL_NUMBER },
	[IC_SEMAPHORE] = { "SEMAPHORE", "semaphore mode (EFD_SEMAPHORE)",
	    COL_BOOL },
	[IC_INODE] = { "INODE", "inode: the same inode is the same memfd",
	    COL_RIGHT | COL_NUMBER },
	[IC_ADDRESS] = { "ADDRESS", "its address: pid:PID:FD", 0 },
	[IC_HOLDS] = { "HOLDS", "what a stored entry holds: eventfd, memfd",
	    0 },
	[IC_USED] = { "USED",
	    "memory it takes: pages written, in memory or swap",
	    COL_RIGHT | COL_NUMBER },
};

const char *
ipccols_name(int col)
{
	return ipccols[col].name;
}

/* --- Owner and group names, looked up once each -------------------- */

struct name_cache {
	unsigned id;
	char name[64];
};

static struct {
	struct name_cache *v;
	size_t n;
} users, groups;
static int names_from_files;

static const char *
cache_get(const struct name_cache *v, size_t n, unsigned id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].id == id)
			return v[i].name;
	return NULL;
}

static const char *
cache_put(struct name_cache **v, size_t *n, unsigned id, const char *name)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].id = id;
	snprintf((*v)[*n].name, sizeof((*v)[*n].name), "%s", name);
	return (*v)[(*n)++].name;
}

void
ipccols_names_from_files(void)
{
	struct passwd *pw;
	struct group *gr;
	FILE *f;

	names_from_files = 1;
	if ((f = fopen("/etc/passwd", "re")) != NULL) {
		while ((pw = fgetpwent(f)) != NULL)
			if (cache_get(users.v, users.n, pw->pw_uid) == NULL)
				cache_put(&users.v, &users.n, pw->pw_uid,
				    pw->pw_name);
		fclose(f);
	}
	if ((f = fopen("/etc/group", "re")) != NULL) {
		while ((gr = fgetgrent(f)) != NULL)
			if (cache_get(groups.v, groups.n, gr->gr_gid) == NULL)
				cache_put(&groups.v, &groups.n, gr->gr_gid,
				    gr->gr_name);
		fclose(f);
	}
}

/* The name of a user (or a group) id, once looked up. */
static const char *
id_name(int group, unsigned id)
{
	struct name_cache **v = group ? &groups.v : &users.v;
	size_t *n = group ? &groups.n : &users.n;
	const char *s = cache_get(*v, *n, id);
	char buf[64];

	if (s != NULL)
		return s;
	if (names_from_files)
		snprintf(buf, sizeof(buf), "%u", id);
	else if (group)
		fmt_group((gid_t)id, buf, sizeof(buf));
	else
		fmt_user((uid_t)id, buf, sizeof(buf));
	return cache_put(v, n, id, buf);
}

/* --- Cells ---------------------------------------------------------- */

/* A number in decimal: snprintf's cost shows in a table of thousands. */
static void
dec(char *buf, size_t len, long long v)
{
	char tmp[24];
	size_t i = sizeof(tmp) - 1;
	unsigned long long u = v < 0 ? -(unsigned long long)v
				     : (unsigned long long)v;

	tmp[i] = '\0';
	do {
		tmp[--i] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u != 0);
	if (v < 0)
		tmp[--i] = '-';
	strlcpy(buf, tmp + i, len);
}

/* fmt_size and fmt_time, remembering the last value: a large table
 * repeats them (sizes of one kind, times of one second). */
static void
size_text(uint64_t v, char *buf, size_t len)
{
	static uint64_t last = UINT64_MAX;
	static char text[16];

	if (v != last) {
		fmt_size(v, text, sizeof(text));
		last = v;
	}
	strlcpy(buf, text, len);
}

static void
time_text(time_t t, char *buf, size_t len)
{
	static time_t last = -1;
	static char text[64];

	if (t != last) {
		fmt_time(t, text, sizeof(text));
		last = t;
	}
	strlcpy(buf, text, len);
}

/* A System V key as ipcs(1) and lsipc(1) print it: 0x%08x, key 0 too. */
static void
key_text(key_t key, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned k = (unsigned)key;
	char tmp[11];
	int i;

	tmp[0] = '0', tmp[1] = 'x';
	for (i = 0; i < 8; i++)
		tmp[2 + i] = hex[(k >> (28 - 4 * i)) & 0xf];
	tmp[10] = '\0';
	strlcpy(buf, tmp, len);
}

static int
is_sysv(int type)
{
	return type == IPC_SYSV_SHM || type == IPC_SYSV_SEM ||
	    type == IPC_SYSV_MSG;
}

/* Sizes in bytes, printed 4.0K unless -b. */
static int
is_bytes(int type)
{
	return type == IPC_POSIX_SHM || type == IPC_SYSV_SHM ||
	    type == IPC_MEMFD;
}

/* What a stored entry holds, by name. */
static const char *
holds_name(const struct ipcobj *o)
{
	return o->holds >= 0 ? ipc_type_name(o->holds) : "other";
}

/* The kind of object o is, or, stored in the fd store, holds. */
static int
kind_of(const struct ipcobj *o)
{
	return o->type == IPC_STORED ? o->holds : o->type;
}

/* "123,456" (holders), "pid:P:N,..." (descriptors) or "1,0,2" (a set's
 * values), or "-". */
static const char *
list_text(const struct ipcobj *o, int col, char *buf, size_t len, char **own)
{
	size_t n, i, k = 0, cap;
	char *s;

	n = col == IC_FDS     ? o->nfds
	    : col == IC_VALUE ? (o->semvals != NULL ? (size_t)o->size : 0)
			      : o->nholders;
	if (n == 0)
		return strlcpy(buf, "-", len), buf;
	cap = n * 24 + 2;
	s = cap <= len ? buf : (*own = xmalloc(cap));
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			s[k++] = ',';
		if (col == IC_FDS) {
			memcpy(s + k, "pid:", 4);
			dec(s + k + 4, cap - k - 4, o->fds[i].pid);
			k += strlen(s + k);
			s[k++] = ':';
			dec(s + k, cap - k, o->fds[i].fd);
		} else
			dec(s + k, cap - k,
			    col == IC_VALUE ? o->semvals[i] : o->holders[i]);
		k += strlen(s + k);
	}
	return s;
}

const char *
ipccols_text(const struct ipcfmt *f, int col, const struct ipcrow *r, char *buf,
    size_t len, char **own)
{
	const struct ipcobj *o = r->o;
	int fdrows = f->v != NULL && (f->v->style & IPCVIEW_FDROWS);
	int store = f->v != NULL && (f->v->style & IPCVIEW_STORE);
	time_t last;

	*own = NULL;
	strlcpy(buf, "-", len);
	switch (col) {
	case IC_TYPE:
		strlcpy(buf,
		    store && o->type == IPC_STORED ? holds_name(o)
						   : ipc_type_name(o->type),
		    len);
		if (o->deleted)
			strlcat(buf, " (deleted)", len);
		break;
	case IC_NAME:
		if (fdrows && o->type == IPC_MEMFD)
			strlcpy(buf, o->name, len);
		else
			ipcscan_name(o, buf, len);
		break;
	case IC_KEY:
		if (is_sysv(o->type))
			key_text(o->key, buf, len);
		break;
	case IC_ID:
		if (o->id >= 0)
			dec(buf, len, o->id);
		break;
	case IC_SIZE:
		if (!o->has_size || (store && o->holds != IPC_MEMFD))
			break;
		if (is_bytes(kind_of(o)) && !f->bytes)
			size_text(o->size, buf, len);
		else if (o->size > INT64_MAX)
			snprintf(buf, len, "%" PRIu64, o->size);
		else
			dec(buf, len, (long long)o->size);
		break;
	case IC_USED:
		if (!o->has_used ||
		    !(is_bytes(o->type) || o->type == IPC_POSIX_SEM))
			break;
		if (f->bytes)
			dec(buf, len, (long long)o->used);
		else
			size_text(o->used, buf, len);
		break;
	case IC_PERMS:
		if (o->has_mode && o->type != IPC_EVENTFD)
			fmt_mode(o->mode, buf);
		break;
	case IC_MODE:
		if (o->has_mode && o->type != IPC_EVENTFD)
			snprintf(buf, len, "%04o", (unsigned)o->mode & 0777);
		break;
	case IC_OWNER:
		if (o->has_owner)
			strlcpy(buf, id_name(0, o->uid), len);
		break;
	case IC_GROUP:
		if (o->has_owner)
			strlcpy(buf, id_name(1, o->gid), len);
		break;
	case IC_CUID:
		if (o->has_owner)
			dec(buf, len, (long long)o->cuid);
		break;
	case IC_CGID:
		if (o->has_owner)
			dec(buf, len, (long long)o->cgid);
		break;
	case IC_HOLDERS:
	case IC_FDS:
	case IC_VALUE:
		if (col == IC_VALUE && o->type == IPC_POSIX_SEM) {
			if (o->has_size)
				dec(buf, len, (long long)o->size);
			break;
		}
		return list_text(o, col, buf, len, own);
	case IC_NATTCH:
		if (o->type == IPC_SYSV_SHM)
			dec(buf, len, (long long)o->nattch);
		break;
	case IC_CPID:
		if (o->type == IPC_SYSV_SHM)
			dec(buf, len, o->cpid);
		break;
	case IC_LPID:
		if (o->type == IPC_SYSV_SHM || o->type == IPC_SYSV_MSG)
			dec(buf, len, o->lpid);
		break;
	case IC_ATIME:
		time_text(o->atime, buf, len);
		break;
	case IC_MTIME:
		time_text(o->mtime, buf, len);
		break;
	case IC_CTIME:
		time_text(o->ctime, buf, len);
		break;
	case IC_OTIME:
		if (o->type == IPC_SYSV_SEM)
			time_text(o->mtime, buf, len);
		break;
	case IC_AGE:
		last = ipcscan_last_use(o);
		if (last <= 0 || o->type == IPC_EVENTFD || o->type == IPC_MEMFD)
			break;
		if (f->json)
			dec(buf, len, f->now > last ? f->now - last : 0);
		else
			fmt_duration(f->now - last, buf, len);
		break;
	case IC_SEALS:
		if (kind_of(o) != IPC_MEMFD)
			break;
		if (!o->has_seals)
			strlcpy(buf, fdrows ? "?" : "-", len);
		else if (o->seals == 0 && !fdrows)
			strlcpy(buf, "none", len);
		else
			seals_fmt((int)o->seals, buf, len);
		break;
	case IC_NSEMS:
		if (o->type == IPC_POSIX_SEM)
			strlcpy(buf, "1", len);
		else if (o->type == IPC_SYSV_SEM)
			dec(buf, len, (long long)o->size);
		break;
	case IC_PID:
		if (r->pid > 0)
			dec(buf, len, r->pid);
		break;
	case IC_COMMAND:
		if (r->pid > 0)
			strlcpy(buf,
			    f->s != NULL ? ipcscan_comm(f->s, r->pid) : "?",
			    len);
		break;
	case IC_FD:
		if (r->pid > 0 && r->fd >= 0)
			dec(buf, len, r->fd);
		break;
	case IC_COUNT:
		if (kind_of(o) == IPC_EVENTFD && o->has_size)
			snprintf(buf, len, "%" PRIu64, o->size);
		break;
	case IC_SEMAPHORE:
		if (o->type == IPC_EVENTFD && o->efd_semaphore >= 0)
			strlcpy(buf, o->efd_semaphore ? "yes" : "no", len);
		break;
	case IC_INODE:
		if (o->ino != 0)
			dec(buf, len, (long long)o->ino);
		break;
	case IC_ADDRESS:
		if (r->pid > 0 && r->fd >= 0)
			snprintf(buf, len, "pid:%d:%d", (int)r->pid, r->fd);
		break;
	case IC_HOLDS:
		if (o->type == IPC_STORED)
			strlcpy(buf, holds_name(o), len);
		break;
	}
	return buf;
}

/* --- Views and rows -------------------------------------------------- */

void
ipccols_view(const struct ipcview *v, struct col *cols)
{
	size_t i, k;

	for (i = 0; i < v->ncols; i++) {
		cols[i] = ipccols[v->cols[i]];
		for (k = 0; k < v->nhelp; k++)
			if (v->help[k].col == v->cols[i])
				cols[i].help = v->help[k].help;
	}
}

void
ipccols_view_defaults(const struct ipcview *v, const int *defaults,
    size_t ndefaults, int *ids)
{
	size_t i, k;

	for (i = 0; i < ndefaults; i++)
		for (k = 0; k < v->ncols; k++)
			if (v->cols[k] == defaults[i])
				ids[i] = (int)k;
}

unsigned
ipccols_scanflags(const struct ipcview *v, const struct colsel *sel)
{
	unsigned flags = 0;
	size_t k;

	if (v->style & IPCVIEW_FDROWS)
		flags |= IPCSCAN_SELF;
	for (k = 0; k < sel->n; k++)
		switch (v->cols[sel->ids[k]]) {
		case IC_HOLDERS:
		case IC_FDS:
			flags |= IPCSCAN_HOLDERS;
			break;
		case IC_SIZE:
			flags |= IPCSCAN_VALUES;
			break;
		case IC_VALUE:
			flags |= IPCSCAN_VALUES | IPCSCAN_SEMVALS;
			break;
		case IC_SEALS:
			flags |= IPCSCAN_SEALS;
			break;
		case IC_COMMAND:
			flags |= IPCSCAN_COMM;
			break;
		}
	return flags;
}

static void
row_out(struct table *t, const struct colsel *sel, const struct ipcfmt *f,
    const struct ipcrow *r)
{
	char buf[4096], *own;
	size_t k;

	table_row(t);
	for (k = 0; k < sel->n; k++) {
		int id = sel->ids[k];

		table_set(t, id,
		    ipccols_text(f, f->v->cols[id], r, buf, sizeof(buf), &own));
		free(own);
	}
}

static int
cmp_row(const void *a, const void *b)
{
	const struct ipcrow *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	/* A mapping (fd -1) after the descriptors. */
	return ((unsigned)x->fd > (unsigned)y->fd) -
	    ((unsigned)x->fd < (unsigned)y->fd);
}

/* A row a descriptor, and a row a process that only maps the object, in
 * pid then descriptor order. */
static void
fd_rows(struct table *t, const struct colsel *sel, const struct ipcfmt *f)
{
	const struct ipcscan *s = f->s;
	struct ipcrow *rows = NULL;
	size_t n = 0, cap = 0, i, j, k;

	for (i = 0; i < s->n; i++) {
		const struct ipcobj *o = &s->v[i];

		for (j = 0; j < o->nfds + o->nholders; j++) {
			struct ipcrow r = { o, 0, -1 };

			if (j < o->nfds)
				r.pid = o->fds[j].pid, r.fd = o->fds[j].fd;
			else {
				r.pid = o->holders[j - o->nfds];
				for (k = 0; k < o->nfds; k++)
					if (o->fds[k].pid == r.pid)
						break;
				if (k < o->nfds)
					continue;
			}
			if (n == cap)
				rows = xreallocarray(rows, cap = cap * 2 + 64,
				    sizeof(*rows));
			rows[n++] = r;
		}
	}
	if (n > 1)
		qsort(rows, n, sizeof(*rows), cmp_row);
	for (i = 0; i < n; i++)
		row_out(t, sel, f, &rows[i]);
	free(rows);
}

void
ipccols_rows(struct table *t, const struct colsel *sel, const struct ipcfmt *f,
    int (*keep)(const struct ipcscan *, const struct ipcobj *))
{
	size_t i;

	if (f->v->style & IPCVIEW_FDROWS) {
		fd_rows(t, sel, f);
		return;
	}
	for (i = 0; i < f->s->n; i++) {
		struct ipcrow r = { &f->s->v[i], 0, -1 };

		if (keep == NULL || keep(f->s, r.o))
			row_out(t, sel, f, &r);
	}
}

/* --- Orphans ---------------------------------------------------------- */

/* Text appended to a buffer, cut at its end. */
struct fmtbuf {
	char *buf;
	size_t len, at;
};

static void __attribute__((format(printf, 2, 3)))
fmtbuf_add(struct fmtbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->at + 1 >= b->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->buf + b->at, b->len - b->at, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->at += (size_t)n < b->len - b->at ? (size_t)n
						    : b->len - b->at - 1;
}

/* ", 123 postgres" for each of w's pids (detail), or the distinct
 * commands: " (postgres, psql)". */
static void
why_procs(const struct ipcscan *s, const struct orphan *w, int detail,
    struct fmtbuf *b)
{
	char shown[FMT_VIS_LEN];
	size_t i, k;

	if (w->npids == 0)
		return;
	fmtbuf_add(b, " (");
	for (i = 0; i < w->npids; i++) {
		const char *c = ipcscan_comm(s, w->pids[i]);

		if (!detail) {
			for (k = 0; k < i; k++)
				if (strcmp(ipcscan_comm(s, w->pids[k]), c) == 0)
					break;
			if (k < i)
				continue;
		}
		fmtbuf_add(b, "%s", i > 0 ? ", " : "");
		if (detail)
			fmtbuf_add(b, "%d ", (int)w->pids[i]);
		fmtbuf_add(b, "%s", fmt_vis(shown, sizeof(shown), c));
	}
	fmtbuf_add(b, "%s)", w->n > w->npids ? ", ..." : "");
}

static const char *
plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void
ipccols_why(const struct ipcscan *s, const struct ipcobj *o,
    const struct orphan *w, int detail, char *buf, size_t len)
{
	struct fmtbuf b = { buf, len, 0 };
	char shown[FMT_VIS_LEN];

	(void)o;
	buf[0] = '\0';
	switch (w->reason) {
	case OR_GONE:
		fmtbuf_add(&b, "no live process of its owner %s",
		    id_name(0, o->uid));
		break;
	case OR_FDOBJ:
		fmtbuf_add(&b, "it lives only while a process holds it");
		break;
	case OR_HELD:
		fmtbuf_add(&b, "held by %zu %s", w->n,
		    plural(w->n, "process", "processes"));
		why_procs(s, w, 1, &b);
		break;
	case OR_ATTACHED:
		fmtbuf_add(&b, "attached %zu %s", w->n,
		    plural(w->n, "time", "times"));
		why_procs(s, w, 1, &b);
		break;
	case OR_WAITERS:
		fmtbuf_add(&b, "%zu %s on it", w->n,
		    plural(w->n, "process waits", "processes wait"));
		break;
	case OR_BLOCKED:
		fmtbuf_add(&b, "%zu %s blocked in %s on it", w->n,
		    plural(w->n, "process is", "processes are"),
		    w->msgsnd ? "msgsnd" : "msgrcv");
		why_procs(s, w, 1, &b);
		break;
	case OR_BLIND:
		fmtbuf_add(&b, "%zu %s may not be inspected (run as root)",
		    w->n, plural(w->n, "process", "processes"));
		break;
	case OR_OWNER:
	case OR_CREATOR:
		fmtbuf_add(&b, "%s %s has %zu live %s",
		    w->reason == OR_OWNER ? "owner" : "creator",
		    fmt_vis(shown, sizeof(shown), id_name(0, w->uid)), w->n,
		    plural(w->n, "process", "processes"));
		why_procs(s, w, detail, &b);
		break;
	case OR_PID:
		fmtbuf_add(&b, "%s pid %d (%s) is alive",
		    w->creator ? "its creator," : "the last to use it,",
		    (int)w->pids[0],
		    fmt_vis(shown, sizeof(shown), ipcscan_comm(s, w->pids[0])));
		break;
	case OR_NOPID:
		fmtbuf_add(&b,
		    "its creator is in a pid namespace not seen "
		    "from here");
		break;
	}
}

enum ipcsort
cols_sort_parse(const char *key)
{
	if (strcasecmp(key, "size") == 0)
		return IPCSORT_SIZE;
	if (strcasecmp(key, "age") == 0)
		return IPCSORT_AGE;
	if (strcasecmp(key, "name") == 0)
		return IPCSORT_NAME;
	cli_usage(NULL, "--sort '%s': no such key (SIZE, AGE or NAME)", key);
}

/* --target PID: a usage error unless a process. */
void
ipccols_target_check(const char *text)
{
	const char *errstr;
	uint64_t pid;

	if (parse_u64(text, 1, INT_MAX, &pid, &errstr) != 0)
		cli_bad_value("--target", text, errstr);
	if (!ipcscan_pid_alive((pid_t)pid))
		cli_usage(NULL, "--target %s: no such process", text);
}

void
ipccols_target_enter(const char *text)
{
	const char *why;
	char obj[64];

	snprintf(obj, sizeof(obj), "--target %s", text);
	table_load(); /* from our root, not the target's */
	if (ns_enter((pid_t)strtol(text, NULL, 10), &why) != 0)
		msg_die_e(EXIT_FAIL, obj, "%s", why);
	ipccols_names_from_files();
}

/* The view of the ls verb running, for its --help (table_ls keeps it). */
static struct col view_cols[IC_NCOLS];
static int view_defaults[IC_NCOLS];
static struct table_spec view_spec;

int
ipccols_ls(int argc, char **argv, const struct ipcview *v)
{
	struct ipcscan s;
	struct ipcfmt f = { v, &s, 0, 0, time(NULL) };
	struct table *t;
	const char *what;

	ipccols_view(v, view_cols);
	ipccols_view_defaults(v, v->defaults, v->ndefaults, view_defaults);
	view_spec = (struct table_spec){ v->name, view_cols, v->ncols,
		view_defaults, v->ndefaults, v->bytes_opt, v->help_columns };
	t = table_ls(argc, argv, &view_spec);
	f.bytes = !!(table_flags(t) & TABLE_BYTES);
	f.json = !!(table_flags(t) & TABLE_JSON);
	if (ipcscan(&s, v->types, ipccols_scanflags(v, table_sel(t)), &what) !=
	    0)
		msg_die_e(EXIT_FAIL, what, "%s", "");
	if (v->after_scan != NULL)
		v->after_scan(&s);
	ipccols_rows(t, table_sel(t), &f, NULL);
	ipcscan_free(&s);
	return table_print(t);
}

unsigned
cols_types_parse(const char *list, unsigned allowed)
{
	char *copy = xstrdup(list), *tok, *save;
	unsigned mask = 0;
	int t;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if ((t = ipc_type_lookup(tok, allowed)) < 0) {
			char valid[256] = "";

			for (t = 0; t < IPC_NTYPES; t++)
				if (allowed & IPC_T(t)) {
					if (valid[0] != '\0')
						strlcat(valid, ",",
						    sizeof(valid));
					strlcat(valid, ipc_type_name(t),
					    sizeof(valid));
				}
			cli_usage(tok, "unknown type (valid: %s)", valid);
		}
		mask |= IPC_T(t);
	}
	free(copy);
	if (mask == 0)
		cli_usage(NULL, "no type selected");
	return mask;
}
