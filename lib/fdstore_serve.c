/* fdstore_serve: the fd store's holder. */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <libutil.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "fdaddr.h"
#include "fdstore.h"
#include "fdstore_serve.h"
#include "proc.h"
#include "trace.h"
#include "trace_fd.h"
#include "trace_sock.h"

#define MAXCONNS 256 /* at once; a new one past them drops the idlest */
#define FD_MARGIN 8 /* descriptors a put leaves free, for connections */

struct entry {
	char name[FDSTORE_NAME_MAX + 1];
	int fd;
	enum fdstore_type type;
	uid_t uid;
	gid_t gid;
	mode_t mode;
	time_t ctime;
};

struct conn {
	int fd;
	int64_t deadline; /* ms, monotonic */
};

struct holder {
	const struct fdstore_serve_opts *o;
	struct entry *ents; /* sorted by name */
	size_t n, cap;
	struct pollfd pfd[MAXCONNS + 1]; /* [0]: the listening socket */
	struct conn conns[MAXCONNS];
	size_t nconns;
	time_t restarted; /* when it replaced a dead holder's socket, or 0 */
	int stop;
	struct pidfh *pfh;
	ino_t sock_ino;
	int64_t idle_since;
	rlim_t nofile; /* RLIMIT_NOFILE's soft limit */
	int spare; /* "/" (O_PATH), given up to accept one past EMFILE */
};

static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The index of name, or -1; *at: where it would go. */
static long
find(const struct holder *h, const char *name, size_t *at)
{
	size_t lo = 0, hi = h->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(h->ents[mid].name, name);

		if (c == 0) {
			*at = mid;
			return (long)mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return -1;
}

/* Whether uid/gid may do what bit (4 read: get; 2 write: replace, rm)
 * asks of e.  Root may do everything. */
static int
allowed(const struct entry *e, uid_t uid, gid_t gid, unsigned bit)
{
	if (uid == 0)
		return 1;
	if (uid == e->uid)
		return (e->mode >> 6) & bit;
	if (gid == e->gid)
		return (e->mode >> 3) & bit;
	return e->mode & bit;
}

static int say(char *ans, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
say(char *ans, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(ans, len, fmt, ap);
	va_end(ap);
	return n < 0 ? 0 : (size_t)n >= len ? (int)len - 1 : n;
}

static int
refuse(char *ans, size_t len, int err, const struct entry *e)
{
	if (err == EACCES && e != NULL)
		return say(ans, len, "err perm %u %04o", (unsigned)e->uid,
		    (unsigned)e->mode);
	return say(ans, len, "err %s", fdstore_code_name(err));
}

static enum fdstore_type
type_of(int fd)
{
	char what[PATH_MAX + 64];

	switch (fd_identify(fd, what, sizeof(what))) {
	case FD_EVENTFD:
		return FDSTORE_EVENTFD;
	case FD_MEMFD:
		return FDSTORE_MEMFD;
	default:
		return FDSTORE_OTHER;
	}
}

static int
do_put(struct holder *h, const struct fdstore_req *q, int *fd, uid_t uid,
    gid_t gid, char *ans, size_t len)
{
	struct entry *e;
	size_t at;
	long i;

	if (*fd < 0)
		return refuse(ans, len, EINVAL, NULL);
	/* Keep descriptors for connections: a store that took the last
	 * one could not be asked to give any back. */
	if ((rlim_t)*fd + FD_MARGIN >= h->nofile)
		return refuse(ans, len, EMFILE, NULL);
	if ((i = find(h, q->name, &at)) >= 0) {
		e = &h->ents[i];
		if (!q->replace)
			return refuse(ans, len, EEXIST, NULL);
		if (!allowed(e, uid, gid, 2))
			return refuse(ans, len, EACCES, e);
		t_close(e->fd);
	} else {
		if (h->n >= h->o->max)
			return say(ans, len, "err full %zu", h->o->max);
		if (h->n == h->cap) {
			size_t cap = h->cap ? h->cap * 2 : 64;
			void *p = reallocarray(h->ents, cap, sizeof(*h->ents));

			if (p == NULL)
				return say(ans, len, "err full %zu", h->n);
			h->ents = p;
			h->cap = cap;
		}
		memmove(&h->ents[at + 1], &h->ents[at],
		    (h->n - at) * sizeof(*h->ents));
		h->n++;
		e = &h->ents[at];
		memcpy(e->name, q->name, strlen(q->name) + 1);
	}
	e->fd = *fd;
	*fd = -1; /* kept */
	e->type = type_of(e->fd);
	e->uid = uid;
	e->gid = gid;
	e->mode = q->mode;
	e->ctime = time(NULL);
	return say(ans, len, "ok");
}

/* The entry a request names, if uid/gid may do what bit asks of it:
 * its index, or -1 with the error answer in ans (its length in *n). */
static long
named(struct holder *h, const struct fdstore_req *q, uid_t uid, gid_t gid,
    unsigned bit, char *ans, size_t len, int *n)
{
	size_t at;
	long i;

	if ((i = find(h, q->name, &at)) < 0)
		*n = say(ans, len, "err noent %lld", (long long)h->restarted);
	else if (!allowed(&h->ents[i], uid, gid, bit))
		*n = refuse(ans, len, EACCES, &h->ents[i]);
	else
		return i;
	return -1;
}

static int
do_get(struct holder *h, const struct fdstore_req *q, int *out, uid_t uid,
    gid_t gid, char *ans, size_t len)
{
	long i;
	int n;

	if ((i = named(h, q, uid, gid, 4, ans, len, &n)) < 0)
		return n;
	*out = h->ents[i].fd;
	return say(ans, len, "ok %s", fdstore_type_name(h->ents[i].type));
}

static int
do_rm(struct holder *h, const struct fdstore_req *q, uid_t uid, gid_t gid,
    char *ans, size_t len)
{
	long i;
	int n;

	if ((i = named(h, q, uid, gid, 2, ans, len, &n)) < 0)
		return n;
	t_close(h->ents[i].fd);
	memmove(&h->ents[i], &h->ents[i + 1],
	    (h->n - (size_t)i - 1) * sizeof(*h->ents));
	h->n--;
	return say(ans, len, "ok");
}

/* An entry's line of an ls answer. */
static int
entry_line(const struct entry *e, char *buf, size_t len)
{
	long long size = -1, count = -1, seals = -1;

	if (e->type == FDSTORE_MEMFD) {
		struct stat st;

		if (t_fstat(e->fd, &st) == 0)
			size = (long long)st.st_size;
		seals = t_get_seals(e->fd);
	} else if (e->type == FDSTORE_EVENTFD) {
		struct proc_fdinfo fi;
		char path[64];
		int info;

		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", e->fd);
		info = t_open_proc(path, O_RDONLY | O_CLOEXEC);
		if (info >= 0 && proc_fdinfo_parse(info, &fi) == 0 &&
		    fi.eventfd)
			count = (long long)fi.efd_count;
		if (info >= 0)
			t_close(info);
	}
	return snprintf(buf, len, "\n%s %s %u %u %04o %lld %lld %lld %lld",
	    e->name, fdstore_type_name(e->type), (unsigned)e->uid,
	    (unsigned)e->gid, (unsigned)e->mode, (long long)e->ctime, size,
	    count, seals);
}

/* A page of the entries after q->name ("": from the first) that the
 * peer owns or may read. */
static int
do_ls(struct holder *h, const struct fdstore_req *q, uid_t uid, gid_t gid,
    char *ans, size_t len)
{
	char line[FDSTORE_NAME_MAX + 160];
	size_t at = 0, i, used, shown = 0;
	int more = 0;

	if (q->name[0] != '\0' && find(h, q->name, &at) >= 0)
		at++;
	used = (size_t)say(ans, len, "ok %ld 0", (long)getpid());
	for (i = at; i < h->n; i++) {
		const struct entry *e = &h->ents[i];
		int n;

		if (uid != e->uid && !allowed(e, uid, gid, 4))
			continue;
		n = entry_line(e, line, sizeof(line));
		if (shown == FDSTORE_LS_PAGE || used + (size_t)n >= len) {
			more = 1;
			break;
		}
		memcpy(ans + used, line, (size_t)n + 1);
		used += (size_t)n;
		shown++;
	}
	if (more) /* "ok PID 0" to "ok PID 1" */
		ans[strcspn(ans, "\n") - 1] = '1';
	return (int)used;
}

static void
cleanup(struct holder *h)
{
	struct stat st;

	if (h->pfd[0].fd >= 0) {
		if (lstat(h->o->path, &st) == 0 && st.st_ino == h->sock_ino)
			unlink(h->o->path);
		t_close(h->pfd[0].fd);
		h->pfd[0].fd = -1;
	}
	if (h->pfh != NULL) {
		pidfile_remove(h->pfh);
		h->pfh = NULL;
	}
}

static int
do_stop(struct holder *h, uid_t uid, char *ans, size_t len)
{
	if (uid != 0 && uid != geteuid())
		return say(ans, len, "err perm %u", (unsigned)geteuid());
	/* Gone before the answer: a new holder may start at once. */
	cleanup(h);
	h->stop = 1;
	return say(ans, len, "ok %ld", (long)getpid());
}

/* One request on connection c: 0 to keep it, -1 to close it. */
static int
serve_one(struct holder *h, int c)
{
	char req[FDSTORE_REQ_MAX], ans[FDSTORE_ANSWER_MAX];
	struct fdstore_req q;
	int fd = -1, out = -1, err, n;
	uid_t uid;
	gid_t gid;
	ssize_t r;

	r = t_recv_fd(c, req, FDSTORE_REQ_MAX, &fd, MSG_DONTWAIT);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (r < 0 && errno == EMSGSIZE) { /* too long, or more descriptors */
		n = say(ans, sizeof(ans), "err toobig");
		t_send_fd(c, ans, (size_t)n, -1, MSG_DONTWAIT);
		return -1;
	}
	if (r < 0 && errno == EMFILE) { /* no room for the put's descriptor */
		n = refuse(ans, sizeof(ans), EMFILE, NULL);
		t_send_fd(c, ans, (size_t)n, -1, MSG_DONTWAIT);
		return -1;
	}
	if (r <= 0)
		return -1;
	/* Who asks, for this request: the peer's credentials. */
	if (getpeereid(c, &uid, &gid) != 0) {
		if (fd >= 0)
			t_close(fd);
		return -1;
	}
	err = fdstore_req_decode(req, (size_t)r, &q);
	if (err == EPROTONOSUPPORT)
		n = say(ans, sizeof(ans), "err version %d", FDSTORE_VERSION);
	else if (err == EPROTO ||
	    (fd >= 0 && q.verb != FDSTORE_PUT)) /* only put carries one */
		n = refuse(ans, sizeof(ans), EPROTO, NULL);
	else if (err != 0)
		n = refuse(ans, sizeof(ans), err, NULL);
	else if (q.verb == FDSTORE_PUT)
		n = do_put(h, &q, &fd, uid, gid, ans, sizeof(ans));
	else if (q.verb == FDSTORE_GET)
		n = do_get(h, &q, &out, uid, gid, ans, sizeof(ans));
	else if (q.verb == FDSTORE_RM)
		n = do_rm(h, &q, uid, gid, ans, sizeof(ans));
	else if (q.verb == FDSTORE_LS)
		n = do_ls(h, &q, uid, gid, ans, sizeof(ans));
	else
		n = do_stop(h, uid, ans, sizeof(ans));
	if (fd >= 0) /* not kept */
		t_close(fd);
	/* At once or not at all: a peer that does not read is dropped. */
	if (t_send_fd(c, ans, (size_t)n, out, MSG_DONTWAIT) < 0)
		return -1;
	return 0;
}

static void
drop(struct holder *h, size_t i)
{
	t_close(h->conns[i].fd);
	h->conns[i] = h->conns[--h->nconns];
}

/* The connection that has waited longest for its deadline: the first
 * to give way to a new one. */
static size_t
idlest(const struct holder *h)
{
	size_t i, k = 0;

	for (i = 1; i < h->nconns; i++)
		if (h->conns[i].deadline < h->conns[k].deadline)
			k = i;
	return k;
}

/* Accept one connection when the holder has no descriptor left (EMFILE,
 * ENFILE): a connection that sends nothing gives way; with none to drop,
 * the spare descriptor does, and the new connection is closed at once.
 * Either way the listening socket is not left readable, which would make
 * the loop spin. */
static int
accept_full(struct holder *h)
{
	int c;

	if (h->nconns > 0) {
		drop(h, idlest(h));
		return t_accept4(h->pfd[0].fd, SOCK_CLOEXEC | SOCK_NONBLOCK);
	}
	if (h->spare >= 0) {
		t_close(h->spare);
		c = t_accept4(h->pfd[0].fd, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (c >= 0)
			t_close(c);
		h->spare = open("/", O_PATH | O_CLOEXEC);
	}
	errno = EAGAIN;
	return -1;
}

static void
accept_all(struct holder *h)
{
	int c;

	for (;;) {
		c = t_accept4(h->pfd[0].fd, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (c < 0 && (errno == EMFILE || errno == ENFILE))
			c = accept_full(h);
		if (c < 0 && errno == EINTR)
			continue;
		if (c < 0)
			break;
		/* Full: a connection that has been silent longest goes. */
		if (h->nconns == MAXCONNS)
			drop(h, idlest(h));
		h->conns[h->nconns].fd = c;
		h->conns[h->nconns].deadline = now_ms() + h->o->timeout_ms;
		h->nconns++;
	}
}

static int
poll_ms(const struct holder *h, int64_t now)
{
	int64_t next = -1;
	size_t i;

	for (i = 0; i < h->nconns; i++)
		if (next < 0 || h->conns[i].deadline < next)
			next = h->conns[i].deadline;
	if (h->o->idle_exit_ms >= 0 && h->n == 0 && h->nconns == 0)
		next = h->idle_since + h->o->idle_exit_ms;
	if (next < 0)
		return -1;
	return next <= now	   ? 0
	    : next - now > INT_MAX ? INT_MAX
				   : (int)(next - now);
}

static void
loop(struct holder *h)
{
	sigset_t none;
	size_t i;

	sigemptyset(&none);
	h->idle_since = now_ms();
	while (!h->stop && !got_signal) {
		int64_t now = now_ms();
		int r, ms;

		for (i = 0; i < h->nconns; i++) {
			h->pfd[i + 1].fd = h->conns[i].fd;
			h->pfd[i + 1].events = POLLIN;
			h->pfd[i + 1].revents = 0;
		}
		h->pfd[0].events = POLLIN;
		h->pfd[0].revents = 0;
		ms = poll_ms(h, now);
		if (ms >= 0) {
			struct timespec ts = { ms / 1000,
				(long)(ms % 1000) * 1000000 };

			r = ppoll(h->pfd, h->nconns + 1, &ts, &none);
		} else
			r = ppoll(h->pfd, h->nconns + 1, NULL, &none);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		now = now_ms();
		/* From the last, so that a drop moves one already seen. */
		for (i = h->nconns; i-- > 0;) {
			short re = h->pfd[i + 1].revents;

			if (re & POLLIN) {
				if (serve_one(h, h->conns[i].fd) != 0 ||
				    h->stop) {
					drop(h, i);
					continue;
				}
				h->conns[i].deadline = now + h->o->timeout_ms;
			} else if (re & (POLLHUP | POLLERR | POLLNVAL) ||
			    h->conns[i].deadline <= now)
				drop(h, i);
		}
		if (!h->stop && (h->pfd[0].revents & POLLIN))
			accept_all(h);
		if (h->n > 0 || h->nconns > 0)
			h->idle_since = now;
		else if (h->o->idle_exit_ms >= 0 &&
		    now - h->idle_since >= h->o->idle_exit_ms)
			break;
	}
	while (h->nconns > 0)
		drop(h, h->nconns - 1);
	cleanup(h);
}

/* Signals: SIGTERM, SIGINT and SIGHUP end the loop (blocked but in
 * ppoll), SIGPIPE is ignored (every send has MSG_NOSIGNAL anyway). */
static void
signals(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa;
	sigset_t block;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&block, sigs[i]);
	}
	signal(SIGPIPE, SIG_IGN);
	sigprocmask(SIG_BLOCK, &block, NULL);
}

/* The socket: a stale one (its holder dead: we hold the pidfile) is
 * replaced; anything else at the path is refused. */
static int
listen_on(struct holder *h, char *why, size_t len)
{
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;
	int s;

	if (lstat(h->o->path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(why, len, "exists and is not a socket");
			return errno = EEXIST, -1;
		}
		if (unlink(h->o->path) != 0) {
			snprintf(why, len, "%s", strerror(errno));
			return -1;
		}
		h->restarted = time(NULL);
	}
	s = t_socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0) {
		snprintf(why, len, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", h->o->path);
	/* 0666: who may connect is the directory's to say. */
	old = umask(0111);
	if (t_bind_un(s, &sa, sizeof(sa)) != 0 || t_listen(s, 128) != 0) {
		int e = errno;

		umask(old);
		snprintf(why, len, "%s", strerror(e));
		t_close(s);
		return errno = e, -1;
	}
	umask(old);
	if (lstat(h->o->path, &st) == 0)
		h->sock_ino = st.st_ino;
	h->pfd[0].fd = s;
	return 0;
}

static void
detach(void)
{
	int nul = open("/dev/null", O_RDWR);

	setsid();
	if (chdir("/") != 0)
		_exit(1);
	if (nul >= 0) {
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
		if (nul > 2)
			close(nul);
	}
}

int
fdstore_serve(const struct fdstore_serve_opts *o, char *why, size_t len)
{
	static struct holder h;
	struct rlimit rl;
	char pidpath[PATH_MAX];
	pid_t other = 0;

	memset(&h, 0, sizeof(h));
	h.o = o;
	h.pfd[0].fd = -1;
	closefrom(3);
	h.spare = open("/", O_PATH | O_CLOEXEC);
	/* As many descriptors as the hard limit allows: each entry is one. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
		h.nofile = rl.rlim_cur;
	} else
		h.nofile = RLIM_INFINITY;
	if (fdstore_check_dir(o->path, fdstore_is_default(o->path), why, len) !=
	    0)
		return -1;
	if ((size_t)snprintf(pidpath, sizeof(pidpath), "%s.pid", o->path) >=
	    sizeof(pidpath)) {
		snprintf(why, len, "socket path too long");
		return errno = ENAMETOOLONG, -1;
	}
	h.pfh = pidfile_open(pidpath, 0600, &other);
	if (h.pfh == NULL) {
		int e = errno;

		if (e == EEXIST && other > 0)
			snprintf(why, len, "a holder is running (pid %ld)",
			    (long)other);
		else if (e == EEXIST)
			snprintf(why, len, "a holder is starting");
		else
			snprintf(why, len, "%s: %s", pidpath, strerror(e));
		return errno = e, -1;
	}
	if (listen_on(&h, why, len) != 0) {
		int e = errno;

		pidfile_remove(h.pfh);
		return errno = e, -1;
	}
	signals();
	if (!o->foreground) {
		int ready[2];
		pid_t pid;
		char c;

		if (pipe2(ready, O_CLOEXEC) != 0 || (pid = fork()) < 0) {
			int e = errno;

			snprintf(why, len, "fork: %s", strerror(e));
			cleanup(&h);
			return errno = e, -1;
		}
		if (pid > 0) {
			/* Back once the child has written its pid: the
			 * caller may read the pidfile at once. */
			close(ready[1]);
			while (read(ready[0], &c, 1) < 0 && errno == EINTR)
				;
			close(ready[0]);
			return 0;
		}
		close(ready[0]);
		detach();
		pidfile_write(h.pfh);
		close(ready[1]);
	} else
		pidfile_write(h.pfh);
	/* What ps, efd ls and ipcls's holders show for it. */
	prctl(PR_SET_NAME, "fdstore", 0, 0, 0);
	loop(&h);
	return 0;
}
