/* ipcgc: remove orphaned IPC objects, and nothing a live process uses. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "applets.h"
#include "cli.h"
#include "cols.h"
#include "fmt.h"
#include "ipcscan.h"
#include "msg.h"
#include "parse.h"
#include "trace.h"
#include "trace_ipc.h"

#define SHM_DIR "/dev/shm"

struct gc {
	unsigned types;
	const char *prefix;
	time_t older; /* seconds, or -1 */
	int yes;
	time_t now;
	int blind; /* some processes may not be inspected */
};

static int
wanted(const struct gc *g, const struct ipcobj *o)
{
	int posix = o->type <= IPC_POSIX_MQ;
	time_t last = ipcscan_last_use(o);

	if (!(g->types & IPC_T(o->type)) || !ipcscan_orphan(o))
		return 0;
	if (posix && g->blind)
		return 0;
	/* System V objects have no name: a prefix leaves them out. */
	if (g->prefix != NULL &&
	    (!posix || strncmp(o->name + 1, g->prefix, strlen(g->prefix)) != 0))
		return 0;
	if (g->older >= 0 && (last <= 0 || g->now - last < g->older))
		return 0;
	return 1;
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

static void
describe(const struct gc *g, const struct ipcobj *o, char *name, size_t len,
    char *idle, size_t ilen)
{
	ipcscan_name(o, name, len);
	fmt_duration(g->now - ipcscan_last_use(o), idle, ilen);
}

static int
gc(struct gc *g)
{
	struct ipcscan s, again;
	const char *what;
	char name[NAME_MAX + 32], idle[32], shown[FMT_VIS_LEN];
	size_t i;
	int rc = EXIT_DONE;

	if (ipcscan(&s, g->types, IPCSCAN_HOLDERS | IPCSCAN_PIDS, &what) != 0)
		msg_die_e(EXIT_FAIL, what, "cannot read");
	/* A process we may not inspect may map or hold any POSIX object:
	 * none is then known to be an orphan. */
	if (ipcscan_blind(&s) && (g->types & IPC_POSIX)) {
		msg_warn(NULL,
		    "%zu processes may not be inspected (run as "
		    "root): POSIX objects are left alone",
		    s.uninspected);
		g->blind = 1;
		rc = EXIT_FAIL;
	}
	if (!g->yes) {
		for (i = 0; i < s.n; i++) {
			if (!wanted(g, &s.v[i]))
				continue;
			describe(g, &s.v[i], name, sizeof(name), idle,
			    sizeof(idle));
			printf("would remove %s %s (idle %s)\n",
			    ipc_type_name(s.v[i].type),
			    fmt_vis(shown, sizeof(shown), name), idle);
		}
		ipcscan_free(&s);
		return rc;
	}
	/* Scan the holders again, for the objects to remove, right before
	 * removing them: one walk over /proc for all of them. */
	if (ipcscan(&again, g->types, IPCSCAN_HOLDERS | IPCSCAN_PIDS, &what) !=
	    0)
		msg_die_e(EXIT_FAIL, what, "cannot read");
	for (i = 0; i < s.n; i++) {
		const struct ipcobj *o = &s.v[i], *now;
		const char *why;
		int r;

		if (!wanted(g, o))
			continue;
		describe(g, o, name, sizeof(name), idle, sizeof(idle));
		now = ipcscan_find(&again, o);
		if (now == NULL) {
			msg_warn(name, "skipped: gone since the scan");
			continue;
		}
		if (now->type <= IPC_POSIX_MQ && ipcscan_blind(&again)) {
			msg_warn(name,
			    "skipped: a process that may not be "
			    "inspected appeared");
			continue;
		}
		if (!ipcscan_orphan(now) ||
		    ipcscan_last_use(now) != ipcscan_last_use(o)) {
			msg_warn(name, "skipped: %s since the scan",
			    now->nholders > 0 || now->nattch > 0 ? "in use"
								 : "changed");
			continue;
		}
		r = remove_one(now, again.mq_dir, &why);
		if (r == 0)
			printf("removed %s %s\n", ipc_type_name(o->type),
			    fmt_vis(shown, sizeof(shown), name));
		else if (r > 0)
			msg_warn(name, "skipped: %s", why);
		else {
			msg_warn_e(name, "cannot remove");
			rc = EXIT_FAIL;
		}
	}
	ipcscan_free(&again);
	ipcscan_free(&s);
	return rc;
}

static int
ipcgc(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "older-than", required_argument, NULL, 'a' },
		{ "yes", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	struct gc g = { .types = IPC_REMOVABLE, .older = -1 };
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
		}
	}
	if (c.nops > 0)
		cli_usage(c.ops[0], "unexpected operand (try 'ipcgc --help')");
	g.now = time(NULL);
	return gc(&g);
}

static const struct verb one = {
	"ipcgc",
	NULL,
	ipcgc,
	"[-t TYPES] [--prefix P] [--older-than TIME] [--yes]",
	"Remove orphaned IPC objects: those no process maps or holds (System "
	"V: not\nattached, and the pids they recorded gone).  A dry run "
	"unless --yes: it\nprints what it would remove.  Each object is "
	"checked again right before\nits removal, and skipped when it "
	"changed.",
};

const struct applet ipcgc_applet = {
	"ipcgc",
	"remove orphaned IPC objects, nothing in use",
	NULL,
	"Options:\n"
	"  -t, --type TYPES     only these types, comma-separated: posix-shm,\n"
	"                       posix-sem, posix-mq, sysv-shm, sysv-sem, "
	"sysv-msg\n"
	"  --prefix P           only POSIX objects whose name starts with P "
	"(no /)\n"
	"  --older-than TIME    only objects unused for TIME: 90s, 30m, 12h, "
	"7d\n"
	"  --yes                remove them (without it: print what would "
	"go)\n",
	ipcgc_main,
};

int
ipcgc_main(int argc, char **argv)
{
	return applet_run_one(&ipcgc_applet, &one, argc, argv);
}
