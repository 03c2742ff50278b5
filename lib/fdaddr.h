/* fdaddr: descriptor addresses (N, fd:N, pid:P:N) resolved into an open
 * descriptor; what a descriptor is.
 *
 *   N, fd:N   the descriptor this process inherited, used as it is
 *   @name     the descriptor the fd store holds under name (lib/fdstore.h)
 *   pid:P:N   descriptor N of process P, taken with pidfd_open and
 *             pidfd_getfd (ptrace access to P is needed); a memfd falls
 *             back to reopening /proc/P/fd/N, read-only unless the verb
 *             writes, since such a reopen can upgrade a read-only memfd
 *
 * lib/fdarg.h has the command-line layer's forms, which exit.
 */
#ifndef IPCBOX_FDADDR_H
#define IPCBOX_FDADDR_H

#include <stddef.h>

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
 * descriptor the caller may close, or -1 with the reason in why and the
 * exit code it calls for in *code (EXIT_USAGE for an address that is not
 * a descriptor's, else EXIT_FAIL). */
int fdaddr_open(const struct addr *a, enum fd_kind want, int rw, int *code,
    char *why, size_t len);

#endif
