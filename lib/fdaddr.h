/* fdaddr: descriptor addresses (N, fd:N, pid:P:N) resolved into an open
 * descriptor; what a descriptor is; memfd seal names; a descriptor handed
 * to a command at a chosen number.
 *
 *   N, fd:N   the descriptor this process inherited, used as it is
 *   pid:P:N   descriptor N of process P, taken with pidfd_open and
 *             pidfd_getfd (ptrace access to P is needed); a memfd falls
 *             back to reopening /proc/P/fd/N, read-only unless the verb
 *             writes, since such a reopen can upgrade a read-only memfd
 *
 * The functions that end in _or_die print "APPLET: VERB: ADDR: reason"
 * and exit on failure: 1 for a failed operation, 2 for a usage error.
 */
#ifndef IPCBOX_FDADDR_H
#define IPCBOX_FDADDR_H

#include <stddef.h>
#include <stdnoreturn.h>

#include "addr.h"

enum fd_kind {
	FD_CLOSED = -1, /* not an open descriptor */
	FD_OTHER = 0,
	FD_EVENTFD,
	FD_MEMFD,
};

/* What descriptor fd of this process is, with a phrase for messages
 * ("an eventfd", "a pipe", "a regular file (/etc/passwd)") in what. */
enum fd_kind fd_identify(int fd, char *what, size_t len);
/* NAME from a memfd's link "/memfd:NAME (deleted)" into buf, or NULL when
 * the link is not a memfd's. */
const char *fd_memfd_name(const char *link, char *buf, size_t len);

/* The descriptor address a names, checked to be of kind want; rw: the
 * verb writes through it (it must not be open read-only).  Returns a
 * descriptor the caller may close. */
int fdaddr_open_or_die(const struct addr *a, enum fd_kind want, int rw);

/* memfd seals by name: seal, shrink, grow, write, future-write, exec. */
#define SEAL_NAMES "seal,shrink,grow,write,future-write,exec"

/* Parse a comma-separated LIST into F_SEAL_* bits; a misspelt, repeated
 * or empty name is a usage error (exit 2). */
int seals_parse_or_die(const char *list);
/* "shrink,grow,write" in SEAL_NAMES order, or "-" for none. */
void seals_fmt(int seals, char *buf, size_t len);
/* The reason an operation on memfd fd failed with err (a seal, the
 * kernel lacking the exec seal, a read-only descriptor), or NULL when
 * errno says it plainly.  adding: the seals being added (F_ADD_SEALS),
 * else 0 for a write, grow or shrink. */
const char *seals_why(int fd, int err, int adding);

/* --fd N for "new -- CMD": 3 and up, within RLIMIT_NOFILE; 0, 1 and 2
 * would shadow stdio and are refused (exit 2). */
int fd_target_or_die(const char *text);

#endif
