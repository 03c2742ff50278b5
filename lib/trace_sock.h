/* trace_sock: traced wrappers for the Unix sockets of the fd store
 * (socket, bind, listen, accept4, connect) and for the messages that
 * carry descriptors (sendmsg and recvmsg with SCM_RIGHTS), printed as the
 * C call with its result when tracing is on; each keeps errno:
 *
 *   connect(3, {AF_UNIX, "/run/user/0/ipcbox/fdstore.sock"}, 110) = 0
 *   sendmsg(3, {"1 get ev", [SCM_RIGHTS]}, 0) = 8
 *   recvmsg(3, {"ok", [SCM_RIGHTS 4]}, MSG_CMSG_CLOEXEC) = 2
 */
#ifndef IPCBOX_TRACE_SOCK_H
#define IPCBOX_TRACE_SOCK_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

int t_socket(int domain, int type, int proto);
int t_bind_un(int s, const struct sockaddr_un *sa, socklen_t len);
int t_listen(int s, int backlog);
int t_accept4(int s, int flags);
int t_connect_un(int s, const struct sockaddr_un *sa, socklen_t len);

/* One message of n bytes, with descriptor fd in SCM_RIGHTS when fd >= 0. */
ssize_t t_send_fd(int s, const void *buf, size_t n, int fd, int flags);
/* One message into buf (len bytes); *fd gets the one descriptor passed
 * (-1 when none).  Descriptors past the first are closed, and a message
 * longer than len or whose control data was cut (MSG_TRUNC, MSG_CTRUNC)
 * fails with EMSGSIZE, none of its descriptors kept.  MSG_CMSG_CLOEXEC
 * is always set. */
ssize_t t_recv_fd(int s, void *buf, size_t len, int *fd, int flags);

#endif
