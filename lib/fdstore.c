/* fdstore: the fd store's client side, its socket path, its protocol. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fdstore.h"
#include "trace.h"
#include "trace_sock.h"

#define CLIENT_TIMEOUT_S 10 /* a holder that does not answer */
#define START_WAIT_MS 5000 /* for an autostarted holder to listen */

extern char **environ;

static const char *socket_opt; /* -S */

static const struct {
	int err;
	const char *name;
} codes[] = {
	{ ENOENT, "noent" },
	{ EEXIST, "exist" },
	{ EACCES, "perm" },
	{ ENOSPC, "full" },
	{ EINVAL, "inval" },
	{ EPROTO, "proto" },
	{ EPROTONOSUPPORT, "version" },
	{ EMSGSIZE, "toobig" },
	{ EMFILE, "nofile" },
};

const char *
fdstore_code_name(int err)
{
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].err == err)
			return codes[i].name;
	return "proto";
}

int
fdstore_code_errno(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(codes[i].name, name) == 0)
			return codes[i].err;
	return EPROTO;
}

int
fdstore_name_check(const char *name, const char **errstr)
{
	size_t n = strspn(name,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789._-");

	if (name[0] == '\0')
		*errstr = "invalid name: empty";
	else if (name[n] != '\0')
		*errstr = "invalid name: only A-Z a-z 0-9 . _ - may be used";
	else if (n > FDSTORE_NAME_MAX)
		*errstr = "invalid name: longer than 255 bytes";
	else
		return 0;
	return -1;
}

/* Split req (NUL-terminated) into at most max words at single spaces;
 * -1 when it is not printable ASCII words. */
static int
split(char *req, char **w, int max)
{
	char *p;
	int k;

	for (p = req; *p != '\0'; p++)
		if (*p < ' ' || *p > '~')
			return -1;
	for (p = req, k = 0; k < max; k++) {
		w[k] = p;
		p = strchr(p, ' ');
		if (w[k][0] == ' ' || w[k][0] == '\0')
			return -1;
		if (p == NULL)
			return k + 1;
		*p++ = '\0';
	}
	return -1;
}

static int
req_name(const char *s, struct fdstore_req *r)
{
	const char *errstr;

	if (fdstore_name_check(s, &errstr) != 0)
		return EINVAL;
	memcpy(r->name, s, strlen(s) + 1);
	return 0;
}

int
fdstore_req_decode(const char *msg, size_t n, struct fdstore_req *r)
{
	static const char *const verbs[] = { "put", "get", "rm", "ls", "stop" };
	/* "put" takes 3 arguments, get and rm 1, ls 0 or 1, stop none. */
	static const int amin[] = { 3, 1, 1, 0, 0 }, amax[] = { 3, 1, 1, 1, 0 };
	char req[FDSTORE_REQ_MAX + 1], *w[8];
	int nw, nargs;
	size_t v;

	memset(r, 0, sizeof(*r));
	r->verb = FDSTORE_NONE;
	if (n > FDSTORE_REQ_MAX || memchr(msg, '\0', n) != NULL)
		return EPROTO;
	memcpy(req, msg, n);
	req[n] = '\0';
	if ((nw = split(req, w, 8)) < 2)
		return EPROTO;
	if (strcmp(w[0], "1") != 0)
		return EPROTONOSUPPORT;
	for (v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++)
		if (strcmp(w[1], verbs[v]) == 0)
			break;
	if (v == sizeof(verbs) / sizeof(verbs[0]))
		return EINVAL;
	r->verb = (enum fdstore_verb)v;
	nargs = nw - 2;
	if (nargs < amin[v] || nargs > amax[v])
		return EINVAL;
	if (nargs > 0 && req_name(w[2], r) != 0)
		return EINVAL;
	if (r->verb == FDSTORE_PUT) {
		unsigned long mode;

		/* MODE octal, 0 to 0777; REPLACE 0 or 1. */
		if (w[3][strspn(w[3], "01234567")] != '\0' ||
		    (mode = strtoul(w[3], NULL, 8)) > 0777 ||
		    (strcmp(w[4], "0") != 0 && strcmp(w[4], "1") != 0))
			return EINVAL;
		r->mode = (mode_t)mode;
		r->replace = w[4][0] == '1';
	}
	return 0;
}

const char *
fdstore_type_name(enum fdstore_type t)
{
	return t == FDSTORE_EVENTFD ? "eventfd"
	    : t == FDSTORE_MEMFD    ? "memfd"
				    : "other";
}

void
fdstore_use_socket(const char *path)
{
	socket_opt = path;
}

static int
default_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (xdg != NULL && xdg[0] == '/')
		return snprintf(buf, len, "%s/ipcbox/fdstore.sock", xdg);
	return snprintf(buf, len, "/tmp/ipcbox-%u/fdstore.sock",
	    (unsigned)geteuid());
}

int
fdstore_is_default(const char *path)
{
	char def[PATH_MAX];
	int n = default_path(def, sizeof(def));

	return n > 0 && (size_t)n < sizeof(def) && strcmp(path, def) == 0;
}

int
fdstore_socket(char *buf, size_t len, char *why, size_t wlen)
{
	const char *env = getenv("IPCBOX_FDSTORE");
	struct sockaddr_un sa;
	int n;

	if (socket_opt != NULL)
		n = snprintf(buf, len, "%s", socket_opt);
	else if (env != NULL && env[0] != '\0')
		n = snprintf(buf, len, "%s", env);
	else
		n = default_path(buf, len);
	if (n < 0 || (size_t)n >= len || (size_t)n >= sizeof(sa.sun_path)) {
		snprintf(why, wlen,
		    "socket path longer than a Unix socket takes (%zu bytes)",
		    sizeof(sa.sun_path) - 1);
		errno = ENAMETOOLONG;
		return -1;
	}
	/* The holder changes to / and removes its socket at exit. */
	if (buf[0] != '/') {
		snprintf(why, wlen, "socket path '%.*s' is not absolute", 200,
		    buf);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
fdstore_check_dir(const char *path, int create, char *why, size_t len)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct stat st;
	uid_t me = geteuid();
	int def = fdstore_is_default(path);

	snprintf(dir, sizeof(dir), "%.*s",
	    slash == path ? 1 : (int)(slash - path), path);
	if (lstat(dir, &st) != 0 && errno == ENOENT && create) {
		/* The default's parent (/tmp, $XDG_RUNTIME_DIR) exists. */
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			snprintf(why, len, "%s: %s", dir, strerror(errno));
			return -1;
		}
	}
	if (lstat(dir, &st) != 0) {
		int e = errno;

		snprintf(why, len, "%s: %s", dir, strerror(e));
		errno = e;
		return -1;
	}
	if (S_ISLNK(st.st_mode))
		snprintf(why, len, "unsafe directory %s: a symbolic link", dir);
	else if (!S_ISDIR(st.st_mode))
		snprintf(why, len, "%s: not a directory", dir);
	else if (st.st_uid != me && (def || st.st_uid != 0))
		snprintf(why, len,
		    "unsafe directory %s: owned by uid %u, not by %s", dir,
		    (unsigned)st.st_uid,
		    def ? "this user" : "this user or root");
	else if (st.st_mode & 022)
		snprintf(why, len,
		    "unsafe directory %s: mode %04o, writable by others", dir,
		    (unsigned)(st.st_mode & 07777));
	else
		return 0;
	errno = EPERM;
	return -1;
}

/* Start a holder for path: `ipcbox fdstore serve -S path` from our own
 * executable, its output to /dev/null, and wait for it (it returns
 * once it listens, or at once when another holder won the race).  The
 * executable is the file /proc/self/exe links to while that file is
 * there (a program run by valgrind has valgrind's tool as
 * /proc/self/exe, and its readlink answers with the program), else
 * /proc/self/exe itself (the file was replaced or removed meanwhile). */
static int
autostart(const char *path)
{
	char *argv[] = { "ipcbox", "fdstore", "serve", "-S", (char *)path,
		NULL };
	char self[PATH_MAX];
	const char *exe = "/proc/self/exe";
	posix_spawn_file_actions_t fa;
	ssize_t n;
	pid_t pid;
	int st, e;

	n = readlink(exe, self, sizeof(self));
	if (n > 0 && (size_t)n < sizeof(self)) {
		self[n] = '\0';
		if (access(self, X_OK) == 0)
			exe = self;
	}
	if ((e = posix_spawn_file_actions_init(&fa)) != 0)
		return errno = e, -1;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	e = posix_spawn(&pid, exe, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e != 0) {
		trace_note("posix_spawn(\"%s\", [\"ipcbox\", \"fdstore\", "
			   "\"serve\", \"-S\", ...]) = -1 (%s)",
		    exe, strerror(e));
		return errno = e, -1;
	}
	trace_note("posix_spawn(\"%s\", [\"ipcbox\", \"fdstore\", "
		   "\"serve\", \"-S\", ...]) = %d",
	    exe, (int)pid);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return 0;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* One connection to the holder, started when none runs (unless
 * autostart is 0 or IPCBOX_NO_AUTOSTART is set). */
static int
connect_store(int start, char *why, size_t len)
{
	struct sockaddr_un sa;
	struct timeval tv = { CLIENT_TIMEOUT_S, 0 };
	const char *no = getenv("IPCBOX_NO_AUTOSTART");
	char path[sizeof(sa.sun_path)];
	int s, waited = 0, started = 0, step = 2;

	if (fdstore_socket(path, sizeof(path), why, len) != 0)
		return -1;
	if (fdstore_check_dir(path, 0, why, len) != 0 && errno != ENOENT)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	for (;;) {
		s = t_socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (s < 0) {
			snprintf(why, len, "socket: %s", strerror(errno));
			return -1;
		}
		if (t_connect_un(s, &sa, sizeof(sa)) == 0)
			break;
		int e = errno;

		t_close(s);
		if (e != ENOENT && e != ECONNREFUSED && e != EAGAIN) {
			snprintf(why, len, "%s: %s", path, strerror(e));
			return errno = e, -1;
		}
		if (!start || (no != NULL && no[0] != '\0')) {
			snprintf(why, len, "no fd store running at %s%s", path,
			    start ? " (IPCBOX_NO_AUTOSTART is set)" : "");
			return errno = ECONNREFUSED, -1;
		}
		if (!started) {
			/* The directory as the holder will make it. */
			if (fdstore_check_dir(path, fdstore_is_default(path),
				why, len) != 0)
				return -1;
			if (autostart(path) != 0) {
				snprintf(why, len, "cannot start a holder: %s",
				    strerror(errno));
				return -1;
			}
			started = 1;
			continue;
		}
		if (waited >= START_WAIT_MS) {
			snprintf(why, len,
			    "no fd store running at %s (a holder was started "
			    "and did not listen in %d s)",
			    path, START_WAIT_MS / 1000);
			return errno = ECONNREFUSED, -1;
		}
		sleep_ms(step);
		waited += step;
		step = step < 50 ? step * 2 : 50;
	}
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return s;
}

/* The reason for an error answer "err CODE DETAIL...", errno set. */
static void
answer_error(const char *ans, const char *name, char *why, size_t len)
{
	char code[16] = "";
	long long a = 0;
	unsigned long long b = 0;
	int n = sscanf(ans, "err %15s %lld %llo", code, &a, &b);
	int e = fdstore_code_errno(code);

	(void)name;
	if (e == ENOENT && n >= 2 && a > 0) {
		struct tm tm;
		char t[32];
		time_t when = (time_t)a;

		strftime(t, sizeof(t), "%H:%M:%S", localtime_r(&when, &tm));
		snprintf(why, len,
		    "no such entry (the fd store restarted at %s; what the "
		    "old one held is gone)",
		    t);
	} else if (e == ENOENT)
		snprintf(why, len, "no such entry");
	else if (e == EEXIST)
		snprintf(why, len, "the name is taken (--replace replaces it)");
	else if (e == EACCES && n >= 3)
		snprintf(why, len,
		    "permission denied (the entry is uid %lld's, mode %04llo)",
		    a, b);
	else if (e == EACCES && n == 2) /* stop */
		snprintf(why, len,
		    "permission denied (the holder runs as uid %lld: only "
		    "that user and root may stop it)",
		    a);
	else if (e == EACCES)
		snprintf(why, len, "permission denied");
	else if (e == ENOSPC && n >= 2)
		snprintf(why, len, "the fd store is full (%lld entries)", a);
	else if (e == EPROTONOSUPPORT)
		snprintf(why, len,
		    "the holder speaks another protocol version (%lld)", a);
	else if (e == EINVAL)
		snprintf(why, len, "the holder refused the request as invalid");
	else if (e == EMFILE)
		snprintf(why, len,
		    "the holder has no descriptor left (its RLIMIT_NOFILE)");
	else
		snprintf(why, len, "the holder answered '%.40s'", ans);
	errno = e;
}

/* Send req (with fd when >= 0) on s and read the answer into ans; its
 * descriptor, if any, into *rfd (NULL: none is wanted; closed).  The
 * answer's length, or -1. */
static ssize_t
exchange(int s, const char *req, int fd, char *ans, size_t alen, int *rfd,
    char *why, size_t len)
{
	ssize_t r;
	int got;

	if (t_send_fd(s, req, strlen(req), fd, 0) < 0) {
		snprintf(why, len, "sending the request: %s", strerror(errno));
		return -1;
	}
	while ((r = t_recv_fd(s, ans, alen - 1, &got, 0)) < 0 && errno == EINTR)
		;
	if (r < 0) {
		int e = errno;

		if (e == EMFILE)
			snprintf(why, len,
			    "the descriptor in the answer cannot be received: "
			    "%s",
			    strerror(e));
		else
			snprintf(why, len, "reading the answer: %s",
			    e == EAGAIN ? "the fd store did not answer in 10 s"
					: strerror(e));
		return errno = e, -1;
	}
	if (r == 0) {
		snprintf(why, len, "the fd store closed the connection");
		return errno = ECONNRESET, -1;
	}
	ans[r] = '\0';
	if (rfd != NULL)
		*rfd = got;
	else if (got >= 0)
		t_close(got);
	return r;
}

/* One request and its answer on a new connection: 0 for "ok", -1. */
static int
request(const char *req, int fd, char *ans, size_t alen, int *rfd,
    const char *name, char *why, size_t len)
{
	int s, got = -1;

	if (rfd != NULL)
		*rfd = -1;
	if ((s = connect_store(1, why, len)) < 0)
		return -1;
	if (exchange(s, req, fd, ans, alen, &got, why, len) < 0) {
		int e = errno;

		t_close(s);
		return errno = e, -1;
	}
	t_close(s);
	if (strncmp(ans, "ok", 2) == 0 && (ans[2] == '\0' || ans[2] == ' ')) {
		if (rfd != NULL)
			*rfd = got;
		else if (got >= 0)
			t_close(got);
		return 0;
	}
	if (got >= 0)
		t_close(got);
	answer_error(ans, name, why, len);
	return -1;
}

int
fdstore_put(const char *name, int fd, mode_t mode, int replace, char *why,
    size_t len)
{
	char req[FDSTORE_REQ_MAX], ans[256];

	snprintf(req, sizeof(req), "%d put %s %04o %d", FDSTORE_VERSION, name,
	    (unsigned)mode, replace);
	return request(req, fd, ans, sizeof(ans), NULL, name, why, len);
}

int
fdstore_get(const char *name, int *fd, char *why, size_t len)
{
	char req[FDSTORE_REQ_MAX], ans[256];

	snprintf(req, sizeof(req), "%d get %s", FDSTORE_VERSION, name);
	if (request(req, -1, ans, sizeof(ans), fd, name, why, len) != 0)
		return -1;
	if (*fd < 0) {
		snprintf(why, len, "the holder answered without a descriptor");
		return errno = EPROTO, -1;
	}
	return 0;
}

int
fdstore_rm(const char *name, char *why, size_t len)
{
	char req[FDSTORE_REQ_MAX], ans[256];

	snprintf(req, sizeof(req), "%d rm %s", FDSTORE_VERSION, name);
	return request(req, -1, ans, sizeof(ans), NULL, name, why, len);
}

static enum fdstore_type
type_from_name(const char *s)
{
	return strcmp(s, "eventfd") == 0 ? FDSTORE_EVENTFD
	    : strcmp(s, "memfd") == 0	 ? FDSTORE_MEMFD
					 : FDSTORE_OTHER;
}

/* One line of an ls answer into e; 0, or -1 when malformed. */
static int
parse_entry(const char *line, struct fdstore_entry *e)
{
	char name[FDSTORE_NAME_MAX + 2], type[16];
	unsigned long long uid, gid, mode;
	long long ctime, size, count, seals;
	const char *errstr;

	if (sscanf(line, "%256s %15s %llu %llu %llo %lld %lld %lld %lld", name,
		type, &uid, &gid, &mode, &ctime, &size, &count, &seals) != 9 ||
	    fdstore_name_check(name, &errstr) != 0)
		return -1;
	memset(e, 0, sizeof(*e));
	memcpy(e->name, name, strlen(name) + 1);
	e->type = type_from_name(type);
	e->uid = (uid_t)uid;
	e->gid = (gid_t)gid;
	e->mode = (mode_t)(mode & 0777);
	e->ctime = (time_t)ctime;
	e->size = size;
	e->count = count;
	e->seals = (int)seals;
	return 0;
}

int
fdstore_ls(struct fdstore_entry **out, size_t *n, char *why, size_t len)
{
	return fdstore_list(out, n, 1, why, len);
}

int
fdstore_list(struct fdstore_entry **out, size_t *n, int start, char *why,
    size_t len)
{
	char req[FDSTORE_REQ_MAX], last[FDSTORE_NAME_MAX + 1] = "";
	char *ans = malloc(FDSTORE_ANSWER_MAX);
	struct fdstore_entry *es = NULL;
	size_t cnt = 0, cap = 0;
	int s, more = 1;
	long pid = 0;

	*out = NULL;
	*n = 0;
	if (ans == NULL) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	if ((s = connect_store(start, why, len)) < 0)
		goto fail;
	/* A page at a time, each after the last name seen. */
	while (more) {
		char *line, *next;

		snprintf(req, sizeof(req), "%d ls%s%s", FDSTORE_VERSION,
		    last[0] ? " " : "", last);
		if (exchange(s, req, -1, ans, FDSTORE_ANSWER_MAX, NULL, why,
			len) < 0)
			goto fail;
		if (strncmp(ans, "ok ", 3) != 0) {
			answer_error(ans, NULL, why, len);
			goto fail;
		}
		next = strchr(ans, '\n');
		if (sscanf(ans, "ok %ld %d", &pid, &more) != 2)
			goto bad;
		for (line = next; line != NULL; line = next) {
			line++;
			next = strchr(line, '\n');
			if (next != NULL)
				*next = '\0';
			if (cnt == cap) {
				void *p;

				cap = cap ? cap * 2 : 64;
				p = reallocarray(es, cap, sizeof(*es));
				if (p == NULL) {
					snprintf(why, len, "%s",
					    strerror(errno));
					goto fail;
				}
				es = p;
			}
			if (parse_entry(line, &es[cnt]) != 0)
				goto bad;
			es[cnt].holder = (pid_t)pid;
			memcpy(last, es[cnt].name, strlen(es[cnt].name) + 1);
			cnt++;
		}
		if (more && last[0] == '\0')
			goto bad;
	}
	t_close(s);
	free(ans);
	*out = es;
	*n = cnt;
	return 0;
bad:
	snprintf(why, len, "a malformed answer from the holder");
	errno = EPROTO;
fail:
	if (s >= 0)
		t_close(s);
	free(ans);
	free(es);
	return -1;
}

int
fdstore_stop(pid_t *pid, char *why, size_t len)
{
	char req[32], ans[256];
	long p = 0;
	int s;

	if ((s = connect_store(0, why, len)) < 0)
		return -1;
	snprintf(req, sizeof(req), "%d stop", FDSTORE_VERSION);
	if (exchange(s, req, -1, ans, sizeof(ans), NULL, why, len) < 0) {
		t_close(s);
		return -1;
	}
	t_close(s);
	if (sscanf(ans, "ok %ld", &p) != 1) {
		answer_error(ans, NULL, why, len);
		return -1;
	}
	*pid = (pid_t)p;
	return 0;
}
