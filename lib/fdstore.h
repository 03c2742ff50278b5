/* fdstore: the fd store's client side, its socket path and its
 * protocol's names (man/fdstore.1 describes the protocol).
 *
 * A holder (lib/fdstore_serve.h) keeps descriptors under names for
 * unrelated processes; clients reach it through a Unix SOCK_SEQPACKET
 * socket, one request and one answer a message, descriptors passed with
 * SCM_RIGHTS.  The socket is -S SOCKET (fdstore_use_socket), else
 * $IPCBOX_FDSTORE, else $XDG_RUNTIME_DIR/ipcbox/fdstore.sock, else
 * /tmp/ipcbox-UID/fdstore.sock.  A client that finds no holder starts
 * one (`ipcbox fdstore serve -S SOCKET`) unless IPCBOX_NO_AUTOSTART is set.
 *
 * Every call returns 0, or -1 with errno set (ENOENT no such entry,
 * EEXIST name taken, EACCES, ENOSPC store full, ECONNREFUSED no holder,
 * EPROTO a bad answer, ...) and the whole reason in why.
 */
#ifndef IPCBOX_FDSTORE_H
#define IPCBOX_FDSTORE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define FDSTORE_VERSION 1
#define FDSTORE_NAME_MAX 255
#define FDSTORE_REQ_MAX 512 /* the longest request a holder reads */
#define FDSTORE_LS_PAGE 32 /* entries an ls answer carries at most */
#define FDSTORE_ANSWER_MAX 16384 /* the longest answer */
#define FDSTORE_WHY_LEN 512 /* room for any reason */

/* What an entry holds. */
enum fdstore_type {
	FDSTORE_OTHER,
	FDSTORE_EVENTFD,
	FDSTORE_MEMFD,
};

struct fdstore_entry {
	char name[FDSTORE_NAME_MAX + 1];
	enum fdstore_type type;
	uid_t uid; /* the owner: who put it */
	gid_t gid;
	mode_t mode; /* r: get, w: replace and rm, for owner/group/others */
	time_t ctime; /* when it was put */
	int64_t size; /* memfd: its size; else -1 */
	int64_t count; /* eventfd: its counter; else -1 */
	int seals; /* memfd: F_SEAL_* bits; else -1 */
	pid_t holder; /* the holder's pid (filled by fdstore_ls) */
};

/* A request, as the holder reads it (man/fdstore.1, PROTOCOL). */
enum fdstore_verb {
	FDSTORE_NONE = -1, /* not a verb of the protocol */
	FDSTORE_PUT,
	FDSTORE_GET,
	FDSTORE_RM,
	FDSTORE_LS,
	FDSTORE_STOP,
};

struct fdstore_req {
	enum fdstore_verb verb;
	char name[FDSTORE_NAME_MAX + 1]; /* put, get, rm; ls: after it ("") */
	mode_t mode; /* put */
	int replace; /* put */
};

/* Decode a request of n bytes (one message, not NUL-terminated, n at
 * most FDSTORE_REQ_MAX), without I/O: 0, or the code of the answer
 * (EPROTO: not words of printable ASCII; EPROTONOSUPPORT: another
 * version; EINVAL: a verb, name, mode or argument count that is not
 * valid).  r->verb is set once the version is read, also for EINVAL
 * when the verb is one of the protocol's (FDSTORE_NONE otherwise): a
 * request whose verb takes no descriptor but came with one is a
 * protocol error before it is an invalid one. */
int fdstore_req_decode(const char *msg, size_t n, struct fdstore_req *r);

/* A name: 1 to 255 of A-Za-z0-9._-; 0, or -1 with the reason. */
int fdstore_name_check(const char *name, const char **errstr);
const char *fdstore_type_name(enum fdstore_type t);

/* -S SOCKET for this process's requests (NULL: the environment's). */
void fdstore_use_socket(const char *path);
/* The socket in use into buf; -1 with the reason (a path too long for
 * a Unix socket, no HOME for the default). */
int fdstore_socket(char *buf, size_t len, char *why, size_t wlen);
/* Whether path is the default socket (its directory may be made). */
int fdstore_is_default(const char *path);
/* The directory of socket path, checked: a directory, not a symbolic
 * link, owned by this user (or by root when it is not the default),
 * writable by nobody else.  create: make it (0700) when it is missing.
 * 0, or -1 with errno (ENOENT when it is missing) and the reason. */
int fdstore_check_dir(const char *path, int create, char *why, size_t len);

/* Requests. */
int fdstore_put(const char *name, int fd, mode_t mode, int replace, char *why,
    size_t len);
/* The descriptor, close-on-exec, in *fd. */
int fdstore_get(const char *name, int *fd, char *why, size_t len);
int fdstore_rm(const char *name, char *why, size_t len);
/* Every entry the caller may read or owns, sorted by name: *out is
 * malloc'd (free it), *n its length. */
int fdstore_ls(struct fdstore_entry **out, size_t *n, char *why, size_t len);
/* The same; start: start a holder when none runs (0: ECONNREFUSED). */
int fdstore_list(struct fdstore_entry **out, size_t *n, int start, char *why,
    size_t len);
/* End the holder; its pid in *pid.  -1 with ECONNREFUSED when none runs
 * (no holder is started for this). */
int fdstore_stop(pid_t *pid, char *why, size_t len);

/* The answer codes of the protocol, as errno values and back. */
const char *fdstore_code_name(int err);
int fdstore_code_errno(const char *name);

#endif
