/* ipcgc: remove orphaned IPC objects, and nothing a live process uses. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "applets.h"
#include "addr.h"
#include "cli.h"
#include "cols.h"
#include "fmt.h"
#include "ipcscan.h"
#include "orphan.h"
#include "msg.h"
#include "parse.h"
#include "trace.h"
#include "trace_ipc.h"

#define SHM_DIR "/dev/shm"

struct gc {
	unsigned types;
	const char *prefix;
	struct addr *names; /* operands */
	size_t nnames;
	unsigned char *found; /* names[i] named an object */
	int owner_set;
	uid_t owner;
	time_t older; /* seconds, or -1 */
	int yes;
	int sort;
	enum ipcsort key;
	const char *target;
	time_t now;
	int blind; /* some processes may not be inspected */
};

/* The user named the objects to consider: by prefix, name or owner. */
static int
naming(const struct gc *g)
{
	return g->prefix != NULL || g->nnames > 0 || g->owner_set;
}

static int
is_posix(const struct ipcobj *o)
{
	return o->type <= IPC_POSIX_MQ;
}

static int
name_matches(const struct gc *g, const struct ipcobj *o)
{
	size_t i;
	int hit = 0;

	for (i = 0; i < g->nnames; i++) {
		const struct addr *a = &g->names[i];

		if ((a->kind == ADDR_POSIX && is_posix(o) &&
			strcmp(a->name, o->name) == 0) ||
		    (a->kind == ADDR_KEY && !is_posix(o) && a->key != 0 &&
			o->key == a->key) ||
		    (a->kind == ADDR_ID && !is_posix(o) && o->id == a->id)) {
			g->found[i] = 1;
			hit = 1;
		}
	}
	return hit;
}

/* o passes every filter given. */
static int
selected(const struct gc *g, const struct ipcobj *o)
{
	time_t last = ipcscan_last_use(o);

	/* A name is looked for first: one that names nothing is reported. */
	if (g->nnames > 0 && !name_matches(g, o))
		return 0;
	if (!(g->types & IPC_T(o->type)))
		return 0;
	/* System V objects have no name: a prefix leaves them out. */
	if (g->prefix != NULL &&
	    (!is_posix(o) ||
		strncmp(o->name + 1, g->prefix, strlen(g->prefix)) != 0))
		return 0;
	if (g->owner_set && o->uid != g->owner)
		return 0;
	if (g->older >= 0 && (last <= 0 || g->now - last < g->older))
		return 0;
	return 1;
}

/* What to do with a selected object: remove it (an orphan, or an unheld
 * object the user named), or keep it. */
static int
removable(const struct gc *g, const struct orphan *w)
{
	return w->verdict == ORPHAN ||
	    (w->verdict == ORPHAN_UNHELD && naming(g));
}

/* The same file, not one made anew under the name since the scan. */
static int
same_file(const char *path, const struct ipcobj *o)
{
	struct stat st;

	return lstat(path, &st) == 0 && st.st_dev == o->dev &&
	    st.st_ino == o->ino && st.st_mtime == o->mtime;
}

/* Check o once more, right before removing it, and remove it.  Returns 0
 * when removed, 1 when skipped (why set), -1 when the removal failed. */
static int
remove_one(const struct ipcobj *o, const char *mq_dir, const char **why)
{
	char path[PATH_MAX + NAME_MAX + 16];
	struct shmid_ds sds;
	struct semid_ds ems;
	struct msqid_ds mds;
	struct stat st;
	mqd_t q;
	int r;

	*why = "changed since the scan";
	switch (o->type) {
	case IPC_POSIX_SHM:
		snprintf(path, sizeof(path), SHM_DIR "%s", o->name);
		if (!same_file(path, o))
			return 1;
		return t_shm_unlink(o->name) == 0 ? 0 : -1;
	case IPC_POSIX_SEM:
		snprintf(path, sizeof(path), SHM_DIR "/sem.%s", o->name + 1);
		if (!same_file(path, o))
			return 1;
		return t_unlink(path) == 0 ? 0 : -1;
	case IPC_POSIX_MQ:
		/* mq_unlink works in our IPC namespace: make sure that the
		 * queue of that name there is the one listed. */
		snprintf(path, sizeof(path), "%s%s", mq_dir, o->name);
		if (!same_file(path, o))
			return 1;
		if ((q = t_mq_open(o->name, O_RDONLY | O_NONBLOCK)) ==
		    (mqd_t)-1)
			return -1;
		r = fstat((int)q, &st) == 0 && st.st_dev == o->dev &&
		    st.st_ino == o->ino;
		t_mq_close(q);
		if (!r)
			return 1;
		return t_mq_unlink(o->name) == 0 ? 0 : -1;
	case IPC_SYSV_SHM:
		if (t_shmctl((int)o->id, IPC_STAT, &sds) != 0)
			return -1;
		if (sds.shm_nattch != 0) {
			*why = "attached since the scan";
			return 1;
		}
		if (sds.shm_lpid != o->lpid || sds.shm_ctime != o->ctime ||
		    sds.shm_perm.__key != o->key)
			return 1;
		return t_shmctl((int)o->id, IPC_RMID, NULL) == 0 ? 0 : -1;
	case IPC_SYSV_SEM:
		if (t_semctl_stat((int)o->id, &ems) != 0)
			return -1;
		if (ems.sem_otime != o->mtime || ems.sem_ctime != o->ctime ||
		    ems.sem_perm.__key != o->key)
			return 1;
		return t_semctl_rmid((int)o->id) == 0 ? 0 : -1;
	case IPC_SYSV_MSG:
		if (t_msgctl((int)o->id, IPC_STAT, &mds) != 0)
			return -1;
		if (mds.msg_stime != o->mtime || mds.msg_rtime != o->atime ||
		    mds.msg_ctime != o->ctime || mds.msg_perm.__key != o->key)
			return 1;
		return t_msgctl((int)o->id, IPC_RMID, NULL) == 0 ? 0 : -1;
	}
	*why = "cannot be removed";
	return 1;
}

/* "posix-shm /name (2.0M, idle 3d)" */
static void
describe(const struct gc *g, const struct ipcobj *o, char *buf, size_t len)
{
	char name[NAME_MAX + 32], shown[FMT_VIS_LEN], size[32], idle[32];
	time_t last = ipcscan_last_use(o);

	ipcscan_name(o, name, sizeof(name));
	size[0] = idle[0] = '\0';
	if (ipcscan_bytes(o) > 0 || o->type == IPC_POSIX_SHM ||
	    o->type == IPC_SYSV_SHM)
		fmt_size(ipcscan_bytes(o), size, sizeof(size));
	if (last > 0)
		fmt_duration(g->now > last ? g->now - last : 0, idle,
		    sizeof(idle));
	snprintf(buf, len, "%s %s%s%s%s%s%s%s", ipc_type_name(o->type),
	    fmt_vis(shown, sizeof(shown), name), *size || *idle ? " (" : "",
	    size, *size && *idle ? ", " : "", *idle ? "idle " : "", idle,
	    *size || *idle ? ")" : "");
}

/* Print nothing for an object in use by a mapping, a hold or an
 * attachment that nobody named: a machine has many. */
static int
quiet(const struct gc *g, const struct orphan *w)
{
	return w->verdict == ORPHAN_INUSE &&
	    (w->reason == OR_HELD || w->reason == OR_ATTACHED ||
		w->reason == OR_FDOBJ) &&
	    !naming(g);
}

struct sums {
	size_t n, kept;
	uint64_t bytes, kept_bytes;
};

static void
report(const struct gc *g, const struct sums *t, size_t removed,
    uint64_t removed_bytes)
{
	char a[32], b[32];

	fmt_size(g->yes ? removed_bytes : t->bytes, a, sizeof(a));
	fmt_size(t->kept_bytes, b, sizeof(b));
	printf("%zu %s %s (%s of shared memory); %zu kept (%s)\n",
	    g->yes ? removed : t->n,
	    (g->yes ? removed : t->n) == 1 ? "object" : "objects",
	    g->yes ? "removed" : "would be removed", a, t->kept, b);
}

static int
gc(struct gc *g)
{
	struct ipcscan s, again;
	struct orphan w;
	struct sums t = { 0, 0, 0, 0 };
	const char *what;
	const unsigned flags = IPCSCAN_HOLDERS | IPCSCAN_PIDS | IPCSCAN_OWNERS;
	char line[NAME_MAX + 256], why[1024];
	size_t i, removed = 0;
	uint64_t removed_bytes = 0;
	unsigned char *go;
	int rc = EXIT_DONE;

	if (g->target != NULL)
		ipccols_target_enter(g->target);
	if (ipcscan(&s, g->types, flags, &what) != 0)
		msg_die_e(EXIT_FAIL, what, "cannot read");
	/* A process we may not inspect may map or hold any POSIX object:
	 * none is then known to be unused. */
	if (ipcscan_blind(&s) && (g->types & IPC_POSIX)) {
		msg_warn(NULL,
		    "%zu processes may not be inspected (run as "
		    "root): POSIX objects are left alone",
		    s.uninspected);
		g->blind = 1;
		rc = EXIT_FAIL;
	}
	if (g->sort)
		ipcscan_sort(&s, g->key);
	go = xcalloc(s.n + 1, 1);
	for (i = 0; i < s.n; i++) {
		const struct ipcobj *o = &s.v[i];

		if (!selected(g, o))
			continue;
		orphan_judge(&s, o, &w);
		if (quiet(g, &w))
			continue;
		describe(g, o, line, sizeof(line));
		if (!removable(g, &w)) {
			ipccols_why(&s, o, &w, naming(g), why, sizeof(why));
			printf("kept %s: %s\n", line, why);
			t.kept++;
			t.kept_bytes += ipcscan_bytes(o);
			continue;
		}
		go[i] = 1;
		t.n++;
		t.bytes += ipcscan_bytes(o);
		if (g->yes)
			continue;
		if (w.verdict == ORPHAN_UNHELD) {
			ipccols_why(&s, o, &w, 1, why, sizeof(why));
			printf("would remove %s: unheld, %s\n", line, why);
		} else
			printf("would remove %s\n", line);
	}
	for (i = 0; i < g->nnames; i++)
		if (!g->found[i]) {
			msg_warn(g->names[i].text, "no such object");
			rc = EXIT_FAIL;
		}
	if (!g->yes) {
		report(g, &t, 0, 0);
		free(go);
		ipcscan_free(&s);
		return rc;
	}
	/* Scan again, right before removing them: one walk over /proc for
	 * all of them. */
	if (ipcscan(&again, g->types, flags, &what) != 0)
		msg_die_e(EXIT_FAIL, what, "cannot read");
	for (i = 0; i < s.n; i++) {
		const struct ipcobj *o = &s.v[i], *now;
		const char *why2;
		char name[NAME_MAX + 32], shown[FMT_VIS_LEN];
		int r;

		if (!go[i])
			continue;
		ipcscan_name(o, name, sizeof(name));
		now = ipcscan_find(&again, o);
		if (now == NULL) {
			msg_warn(name, "skipped: gone since the scan");
			continue;
		}
		orphan_judge(&again, now, &w);
		if (!removable(g, &w)) {
			ipccols_why(&again, now, &w, 1, why, sizeof(why));
			msg_warn(name, "skipped: %s (since the scan)", why);
			continue;
		}
		if (ipcscan_last_use(now) != ipcscan_last_use(o)) {
			msg_warn(name, "skipped: used since the scan");
			continue;
		}
		r = remove_one(now, again.mq_dir, &why2);
		if (r == 0) {
			printf("removed %s %s\n", ipc_type_name(o->type),
			    fmt_vis(shown, sizeof(shown), name));
			removed++;
			removed_bytes += ipcscan_bytes(now);
		} else if (r > 0)
			msg_warn(name, "skipped: %s", why2);
		else {
			msg_warn_e(name, "cannot remove");
			rc = EXIT_FAIL;
		}
	}
	report(g, &t, removed, removed_bytes);
	free(go);
	ipcscan_free(&again);
	ipcscan_free(&s);
	return rc;
}

static uid_t
owner_parse(const char *text)
{
	const char *errstr;
	struct passwd *pw;
	uint64_t v;

	if ((pw = getpwnam(text)) != NULL)
		return pw->pw_uid;
	if (parse_udec(text, 0, UINT32_MAX - 1, &v, &errstr) == 0)
		return (uid_t)v;
	cli_usage(NULL, "--owner '%s': no such user", text);
}

static int
ipcgc(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "older-than", required_argument, NULL, 'a' },
		{ "yes", no_argument, NULL, 'y' },
		{ "owner", required_argument, NULL, 'u' },
		{ "sort", required_argument, NULL, 's' },
		{ "target", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	struct gc g = { .types = IPC_REMOVABLE, .older = -1 };
	int i;
	struct timespec ts;
	const char *errstr;
	struct cli c;
	int ch;

	cli_init(&c, argc, argv, "t:", lopts, 0);
	while ((ch = cli_next(&c)) != -1) {
		switch (ch) {
		case 't':
			g.types = cols_types_parse(optarg, IPC_REMOVABLE);
			break;
		case 'p':
			if (strchr(optarg, '/') != NULL || *optarg == '\0')
				cli_usage(NULL, "--prefix '%s' %s", optarg,
				    *optarg ? "has a slash (it is the start "
					      "of a name, without /)"
					    : "is empty");
			g.prefix = optarg;
			break;
		case 'a':
			if (parse_time(optarg, &ts, &errstr) != 0)
				cli_bad_value("--older-than", optarg, errstr);
			g.older = ts.tv_sec;
			break;
		case 'y':
			g.yes = 1;
			break;
		case 'u':
			g.owner = owner_parse(optarg);
			g.owner_set = 1;
			break;
		case 's':
			g.key = cols_sort_parse(optarg);
			g.sort = 1;
			break;
		case 'T':
			g.target = optarg;
			break;
		}
	}
	/* The names: every one checked before anything is touched. */
	g.names = xcalloc((size_t)c.nops + 1, sizeof(*g.names));
	g.found = xcalloc((size_t)c.nops + 1, 1);
	for (i = 0; i < c.nops; i++)
		addr_parse_or_die(c.ops[i],
		    ADDR_ACCEPT_POSIX | ADDR_ACCEPT_SYSV, &g.names[g.nnames++]);
	if (g.target != NULL)
		ipccols_target_check(g.target);
	g.now = time(NULL);
	i = gc(&g);
	free(g.names);
	free(g.found);
	return i;
}

static const struct verb one = {
	"ipcgc",
	NULL,
	ipcgc,
	"[-t TYPES] [--prefix P] [--owner USER] [--older-than TIME]\n"
	"                       [--sort KEY] [--target PID] [--yes] "
	"[NAME...]",
	"Remove orphaned IPC objects: those nothing uses and no live program "
	"may\nstill want (nothing maps, holds or waits on it, its owner has "
	"no live\nprocess, System V: the pids it recorded are gone).  An "
	"object nothing\nuses whose owner lives is kept, with the reason, "
	"unless named by\n--prefix, --owner or NAME.  A dry run unless "
	"--yes.  Each object is\nchecked again right before its removal.",
};

const struct applet ipcgc_applet = {
	"ipcgc",
	"remove orphaned IPC objects, never one a live program may want",
	NULL,
	"Options:\n"
	"  -t, --type TYPES     only these types, comma-separated: posix-shm,\n"
	"                       posix-sem, posix-mq, sysv-shm, sysv-sem, "
	"sysv-msg\n"
	"  --prefix P           only POSIX objects whose name starts with P "
	"(no /)\n"
	"  --owner USER         only objects USER owns (a name or a uid)\n"
	"  NAME...              only these: /name, key:KEY, id:ID\n"
	"  --older-than TIME    only objects unused for TIME: 90s, 30m, 12h, "
	"7d\n"
	"  --sort KEY           SIZE (largest first), AGE (longest unused "
	"first), NAME\n"
	"  --target PID         the IPC and mount namespaces and root of "
	"PID\n"
	"  --yes                remove them (without it: print what would "
	"go)\n",
	ipcgc_main,
};

int
ipcgc_main(int argc, char **argv)
{
	return applet_run_one(&ipcgc_applet, &one, argc, argv);
}
