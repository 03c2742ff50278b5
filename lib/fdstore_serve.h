/* fdstore_serve: the fd store's holder.  It listens on a Unix
 * SOCK_SEQPACKET socket and keeps descriptors under names, each with an
 * owner and a mode checked against the credentials of the peer of every
 * request (SO_PEERCRED); see lib/fdstore.h and man/fdstore.1 for the
 * protocol.  One poll(2) loop, no thread: every connection has its own
 * deadline, a request is one message, and an answer that cannot be sent
 * at once closes the connection, so no client can stall the others. */
#ifndef IPCBOX_FDSTORE_SERVE_H
#define IPCBOX_FDSTORE_SERVE_H

#include <stddef.h>

struct fdstore_serve_opts {
	const char *path; /* the socket */
	int foreground; /* else: fork, setsid, chdir /, stdio to /dev/null */
	size_t max; /* entries at most (a put past it: "full") */
	int idle_exit_ms; /* end when empty and idle this long; -1: never */
	int timeout_ms; /* a connection idle this long is closed */
};

/* Serve until stopped (SIGTERM, SIGINT, SIGHUP, a stop request, or
 * idle_exit): 0.  -1 with errno and the reason in why when it cannot
 * start (unsafe directory, another holder running: EEXIST and its pid
 * in the reason).  Without foreground, returns 0 in the parent once the
 * child listens, and the child serves. */
int fdstore_serve(const struct fdstore_serve_opts *o, char *why, size_t len);

#endif
