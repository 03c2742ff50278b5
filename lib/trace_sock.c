/* trace_sock: traced wrappers for Unix sockets and SCM_RIGHTS. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "trace.h"
#include "trace_sock.h"

#define MAXFDS 8 /* room for a sender's extra descriptors, to close them */

static const char *
sock_type(char *buf, size_t len, int type)
{
	int base = type & ~(SOCK_CLOEXEC | SOCK_NONBLOCK);

	snprintf(buf, len, "%s%s%s",
	    base == SOCK_SEQPACKET    ? "SOCK_SEQPACKET"
		: base == SOCK_STREAM ? "SOCK_STREAM"
		: base == SOCK_DGRAM  ? "SOCK_DGRAM"
				      : "?",
	    type & SOCK_CLOEXEC ? "|SOCK_CLOEXEC" : "",
	    type & SOCK_NONBLOCK ? "|SOCK_NONBLOCK" : "");
	return buf;
}

int
t_socket(int domain, int type, int proto)
{
	char t[64];
	int r = socket(domain, type, proto);

	TRACE(r, 0, "socket(%s, %s, %d)", domain == AF_UNIX ? "AF_UNIX" : "?",
	    sock_type(t, sizeof(t), type), proto);
	return r;
}

/* bind or connect to a Unix socket address, traced. */
static int
un_call(int (*fn)(int, const struct sockaddr *, socklen_t), const char *name,
    int s, const struct sockaddr_un *sa, socklen_t len)
{
	char q[160];
	int r = fn(s, (const struct sockaddr *)sa, len);

	TRACE(r, 0, "%s(%d, {AF_UNIX, %s}, %u)", name, s,
	    trace_qstr(q, sizeof(q), sa->sun_path), (unsigned)len);
	return r;
}

int
t_bind_un(int s, const struct sockaddr_un *sa, socklen_t len)
{
	return un_call(bind, "bind", s, sa, len);
}

int
t_connect_un(int s, const struct sockaddr_un *sa, socklen_t len)
{
	return un_call(connect, "connect", s, sa, len);
}

int
t_listen(int s, int backlog)
{
	int r = listen(s, backlog);

	TRACE(r, 0, "listen(%d, %d)", s, backlog);
	return r;
}

int
t_accept4(int s, int flags)
{
	int r = accept4(s, NULL, NULL, flags);

	TRACE(r, 0, "accept4(%d, NULL, NULL, %s)", s,
	    flags == (SOCK_CLOEXEC | SOCK_NONBLOCK)
		? "SOCK_CLOEXEC|SOCK_NONBLOCK"
		: flags == SOCK_CLOEXEC ? "SOCK_CLOEXEC"
					: "0");
	return r;
}

ssize_t
t_send_fd(int s, const void *buf, size_t n, int fd, int flags)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { (void *)buf, n };
	struct msghdr m;
	char q[160], rights[32] = "";
	ssize_t r;

	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (fd >= 0) {
		struct cmsghdr *c;

		memset(&u, 0, sizeof(u));
		m.msg_control = u.buf;
		m.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
		snprintf(rights, sizeof(rights), ", [SCM_RIGHTS %d]", fd);
	}
	r = sendmsg(s, &m, flags | MSG_NOSIGNAL);
	TRACE(r, 0, "sendmsg(%d, {%s%s}, MSG_NOSIGNAL%s)", s,
	    trace_quote(q, sizeof(q), buf, n), rights,
	    flags & MSG_DONTWAIT ? "|MSG_DONTWAIT" : "");
	return r;
}

/* Close every descriptor the control data of m carries. */
static int
take_fds(struct msghdr *m, int *fds, int max)
{
	struct cmsghdr *c;
	int n = 0;

	for (c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
		size_t k, cnt;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		cnt = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (k = 0; k < cnt; k++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + k * sizeof(int),
			    sizeof(int));
			if (n < max)
				fds[n++] = fd;
			else
				close(fd);
		}
	}
	return n;
}

ssize_t
t_recv_fd(int s, void *buf, size_t len, int *fd, int flags)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * MAXFDS)];
		struct cmsghdr align;
	} u;
	struct iovec iov = { buf, len };
	struct msghdr m;
	char q[160], rights[32] = "";
	int fds[MAXFDS], n, i;
	ssize_t r;

	*fd = -1;
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.buf;
	m.msg_controllen = sizeof(u.buf);
	r = recvmsg(s, &m, flags | MSG_CMSG_CLOEXEC);
	if (r < 0) {
		TRACE(r, 0, "recvmsg(%d, %p, MSG_CMSG_CLOEXEC)", s, buf);
		return r;
	}
	n = take_fds(&m, fds, MAXFDS);
	if (n > 0)
		snprintf(rights, sizeof(rights), ", [SCM_RIGHTS %d%s]", fds[0],
		    n > 1 ? ", ..." : "");
	TRACE(r, 0, "recvmsg(%d, {%s%s%s}, MSG_CMSG_CLOEXEC)", s,
	    trace_quote(q, sizeof(q), buf, (size_t)r), rights,
	    m.msg_flags & MSG_TRUNC	   ? ", MSG_TRUNC"
		: m.msg_flags & MSG_CTRUNC ? ", MSG_CTRUNC"
					   : "");
	if ((m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || n > 1) {
		for (i = 0; i < n; i++)
			close(fds[i]);
		/* Room for every descriptor sent, yet some were cut: the
		 * kernel could not install them here (EMFILE). */
		errno = !(m.msg_flags & MSG_TRUNC) &&
			(m.msg_flags & MSG_CTRUNC) && n < MAXFDS
		    ? EMFILE
		    : EMSGSIZE;
		return -1;
	}
	if (n == 1)
		*fd = fds[0];
	return r;
}
