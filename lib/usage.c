/* usage: shared memory in use, summed by owner, process, cgroup or type. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg.h"
#include "proc.h"
#include "usage.h"

static const char *const by_names[] = {
	[USAGE_OWNER] = "owner",
	[USAGE_PROCESS] = "process",
	[USAGE_CGROUP] = "cgroup",
	[USAGE_TYPE] = "type",
};

const char usage_by_names[] = "owner, process, cgroup, type";

int
usage_by_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(by_names) / sizeof(by_names[0]); i++)
		if (strcasecmp(name, by_names[i]) == 0)
			return (int)i;
	return -1;
}

/* A holder's cgroup, read once a process. */
struct pcg {
	pid_t pid;
	const char *name;
};

struct sums {
	struct usage *u;
	enum usage_by by;
	const struct ipcscan *s;
	struct pcg *pcg; /* by pid */
	size_t npcg;
	struct pair {
		size_t row;
		pid_t pid;
	} * pairs; /* (row, holder): for PROCS */
	size_t npairs, cappairs;
};

static const char *
intern(struct usage *u, const char *name)
{
	size_t i;

	for (i = 0; i < u->nnames; i++)
		if (strcmp(u->names[i], name) == 0)
			return u->names[i];
	if (u->nnames % 16 == 0)
		u->names = xreallocarray(u->names, u->nnames + 16,
		    sizeof(*u->names));
	return u->names[u->nnames++] = xstrdup(name);
}

static int
cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* The cgroup of every holder, once each. */
static void
read_cgroups(struct sums *w)
{
	const struct ipcscan *s = w->s;
	pid_t *pids = NULL;
	size_t n = 0, i, k;
	char buf[4096];

	for (i = 0; i < s->n; i++) {
		if (!(USAGE_TYPES & IPC_T(s->v[i].type)) ||
		    s->v[i].nholders == 0)
			continue;
		pids = xreallocarray(pids, n + s->v[i].nholders + 1,
		    sizeof(*pids));
		memcpy(pids + n, s->v[i].holders,
		    s->v[i].nholders * sizeof(*pids));
		n += s->v[i].nholders;
	}
	if (n > 1)
		qsort(pids, n, sizeof(*pids), cmp_pid);
	w->pcg = xreallocarray(NULL, n + 1, sizeof(*w->pcg));
	for (i = 0; i < n; i = k) {
		for (k = i + 1; k < n && pids[k] == pids[i]; k++)
			;
		w->pcg[w->npcg].pid = pids[i];
		w->pcg[w->npcg++].name = intern(w->u,
		    proc_cgroup(pids[i], buf, sizeof(buf)) == 0 ? buf : "?");
	}
	free(pids);
}

static const char *
cgroup_of(const struct sums *w, pid_t pid)
{
	struct pcg k = { pid, NULL }, *p;

	p = bsearch(&k, w->pcg, w->npcg, sizeof(k), cmp_pid);
	return p != NULL ? p->name : "?";
}

/* The row of this key, made on first use. */
static size_t
row_of(struct sums *w, const struct ipcobj *o, pid_t pid, const char *cg)
{
	struct usage *u = w->u;
	struct usage_row *r;
	size_t i;

	for (i = 0; i < u->n; i++) {
		r = &u->rows[i];
		switch (w->by) {
		case USAGE_OWNER:
			if (r->uid == o->uid)
				return i;
			break;
		case USAGE_PROCESS:
			if (r->pid == pid)
				return i;
			break;
		case USAGE_CGROUP:
			if (r->cgroup == cg) /* interned */
				return i;
			break;
		case USAGE_TYPE:
			if (r->type == o->type && r->deleted == o->deleted)
				return i;
			break;
		}
	}
	if (u->n % 64 == 0)
		u->rows = xreallocarray(u->rows, u->n + 64, sizeof(*u->rows));
	r = &u->rows[u->n];
	memset(r, 0, sizeof(*r));
	r->uid = o->uid;
	r->pid = pid;
	r->comm = pid > 0 ? ipcscan_comm(w->s, pid) : "-";
	r->cgroup = cg;
	r->type = o->type;
	r->deleted = o->deleted;
	return u->n++;
}

static void
pair_add(struct sums *w, size_t row, pid_t pid)
{
	if (w->npairs == w->cappairs)
		w->pairs = xreallocarray(w->pairs,
		    w->cappairs = w->cappairs * 2 + 64, sizeof(*w->pairs));
	w->pairs[w->npairs].row = row;
	w->pairs[w->npairs++].pid = pid;
}

static void
charge(struct sums *w, size_t row, const struct ipcobj *o, int alone)
{
	struct usage_row *r = &w->u->rows[row];
	uint64_t used = ipcscan_used(o);
	size_t i;

	r->objects++;
	r->size += ipcscan_bytes(o);
	r->used += used;
	if (alone)
		r->only += used;
	if (o->deleted)
		r->deleted_used += used;
	if (w->by != USAGE_PROCESS)
		for (i = 0; i < o->nholders; i++)
			pair_add(w, row, o->holders[i]);
}

static void
add_sum(struct usage_sum *m, const struct ipcobj *o)
{
	m->objects++;
	m->size += ipcscan_bytes(o);
	m->used += ipcscan_used(o);
	if (o->deleted) {
		m->deleted++;
		m->deleted_used += ipcscan_used(o);
	}
}

/* One object, charged to the groups of its holders (each group once). */
static void
by_holders(struct sums *w, const struct ipcobj *o)
{
	const char *cgs[64];
	size_t i, k, n = 0;

	if (o->nholders == 0) {
		charge(w, row_of(w, o, 0, NULL), o, 1);
		return;
	}
	if (w->by == USAGE_PROCESS) {
		for (i = 0; i < o->nholders; i++)
			charge(w, row_of(w, o, o->holders[i], NULL), o,
			    o->nholders == 1);
		return;
	}
	/* The holders' cgroups, each once: the first 64 distinct ones (an
	 * object held from more cgroups than that is not charged to the
	 * rest; its ONLY is 0 either way). */
	for (i = 0; i < o->nholders; i++) {
		const char *cg = cgroup_of(w, o->holders[i]);

		for (k = 0; k < n && cgs[k] != cg; k++)
			;
		if (k == n && n < sizeof(cgs) / sizeof(cgs[0]))
			cgs[n++] = cg;
	}
	for (k = 0; k < n; k++)
		charge(w, row_of(w, o, 0, cgs[k]), o, n == 1);
}

static int
cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static enum usage_by sort_by;

static int
cmp_row(const void *a, const void *b)
{
	const struct usage_row *x = a, *y = b;

	if (x->used != y->used)
		return x->used > y->used ? -1 : 1;
	if (x->objects != y->objects)
		return x->objects > y->objects ? -1 : 1;
	switch (sort_by) {
	case USAGE_OWNER:
		return (x->uid > y->uid) - (x->uid < y->uid);
	case USAGE_PROCESS:
		return (x->pid > y->pid) - (x->pid < y->pid);
	case USAGE_CGROUP:
		if ((x->cgroup == NULL) != (y->cgroup == NULL))
			return x->cgroup == NULL ? 1 : -1;
		return x->cgroup == NULL ? 0 : strcmp(x->cgroup, y->cgroup);
	case USAGE_TYPE:
		if (x->type != y->type)
			return x->type - y->type;
		return x->deleted - y->deleted;
	}
	return 0;
}

int
usage_sum(const struct ipcscan *s, enum usage_by by, struct usage *u)
{
	struct sums w;
	size_t i, k;

	memset(u, 0, sizeof(*u));
	memset(&w, 0, sizeof(w));
	w.u = u;
	w.by = by;
	w.s = s;
	if (by == USAGE_CGROUP)
		read_cgroups(&w);
	for (i = 0; i < s->n; i++) {
		const struct ipcobj *o = &s->v[i];

		if (!(USAGE_TYPES & IPC_T(o->type)))
			continue;
		add_sum(&u->all, o);
		add_sum(o->type == IPC_SYSV_SHM ? &u->sysv
			: o->type == IPC_MEMFD	? &u->memfd
						: &u->shm,
		    o);
		if (by == USAGE_PROCESS || by == USAGE_CGROUP)
			by_holders(&w, o);
		else
			charge(&w, row_of(&w, o, 0, NULL), o, 0);
	}
	/* PROCS: the distinct holders of a row's objects (a cgroup's: those
	 * in it). */
	if (w.npairs > 1)
		qsort(w.pairs, w.npairs, sizeof(*w.pairs), cmp_pair);
	for (i = 0; i < w.npairs; i = k) {
		struct usage_row *r = &u->rows[w.pairs[i].row];

		for (k = i + 1;
		     k < w.npairs && w.pairs[k].row == w.pairs[i].row &&
		     w.pairs[k].pid == w.pairs[i].pid;
		     k++)
			;
		if (by != USAGE_CGROUP ||
		    cgroup_of(&w, w.pairs[i].pid) == r->cgroup)
			r->procs++;
	}
	if (by == USAGE_PROCESS)
		for (i = 0; i < u->n; i++)
			u->rows[i].procs = u->rows[i].pid > 0;
	free(w.pairs);
	free(w.pcg);
	sort_by = by;
	if (u->n > 1)
		qsort(u->rows, u->n, sizeof(*u->rows), cmp_row);
	return 0;
}

void
usage_free(struct usage *u)
{
	size_t i;

	for (i = 0; i < u->nnames; i++)
		free(u->names[i]);
	free(u->names);
	free(u->rows);
	memset(u, 0, sizeof(*u));
}
