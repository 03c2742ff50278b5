/* trace_ipc: traced wrappers for listing and cleanup. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "trace.h"
#include "trace_fd.h"
#include "trace_ipc.h"
#include "trace_sem.h"

int
t_semctl_stat(int id, struct semid_ds *ds)
{
	int r = semctl(id, 0, IPC_STAT, ds);

	if (r == 0)
		TRACE(r, 0,
		    "semctl(%d, 0, IPC_STAT, {sem_nsems=%lu, "
		    "sem_otime=%lld, sem_ctime=%lld, ...})",
		    id, (unsigned long)ds->sem_nsems, (long long)ds->sem_otime,
		    (long long)ds->sem_ctime);
	else
		TRACE(r, 0, "semctl(%d, 0, IPC_STAT, BUF)", id);
	return r;
}

int
t_semctl_getpid(int id, int num)
{
	return t_semctl(id, num, GETPID, (union semun){ .val = 0 });
}

int
t_semctl_rmid(int id)
{
	return t_semctl(id, 0, IPC_RMID, (union semun){ .val = 0 });
}

int
t_msgctl(int id, int cmd, struct msqid_ds *ds)
{
	int r = msgctl(id, cmd, ds);

	if (cmd == IPC_STAT && r == 0)
		TRACE(r, 0,
		    "msgctl(%d, IPC_STAT, {msg_qnum=%lu, "
		    "msg_lspid=%d, msg_lrpid=%d, ...})",
		    id, (unsigned long)ds->msg_qnum, (int)ds->msg_lspid,
		    (int)ds->msg_lrpid);
	else
		TRACE(r, 0, "msgctl(%d, %s, %s)", id,
		    cmd == IPC_STAT	  ? "IPC_STAT"
			: cmd == IPC_RMID ? "IPC_RMID"
					  : "?",
		    ds ? "BUF" : "NULL");
	return r;
}

mqd_t
t_mq_open(const char *name, int oflag)
{
	char q[160], f[128];
	mqd_t r = mq_open(name, oflag);

	TRACE(r, 0, "mq_open(%s, %s)", trace_qstr(q, sizeof(q), name),
	    trace_open_flags(f, sizeof(f), oflag));
	return r;
}

int
t_mq_getattr(mqd_t q, struct mq_attr *a)
{
	int r = mq_getattr(q, a);

	if (r == 0)
		TRACE(r, 0,
		    "mq_getattr(%d, {mq_maxmsg=%ld, mq_msgsize=%ld, "
		    "mq_curmsgs=%ld})",
		    (int)q, a->mq_maxmsg, a->mq_msgsize, a->mq_curmsgs);
	else
		TRACE(r, 0, "mq_getattr(%d, BUF)", (int)q);
	return r;
}

int
t_mq_close(mqd_t q)
{
	int r = mq_close(q);

	TRACE(r, 0, "mq_close(%d)", (int)q);
	return r;
}

int
t_mq_unlink(const char *name)
{
	char q[160];
	int r = mq_unlink(name);

	TRACE(r, 0, "mq_unlink(%s)", trace_qstr(q, sizeof(q), name));
	return r;
}

int
t_open_rdonly(const char *path)
{
	return t_open_proc(path, O_RDONLY | O_CLOEXEC);
}

int
t_unlink(const char *path)
{
	char q[160];
	int r = unlink(path);

	TRACE(r, 0, "unlink(%s)", trace_qstr(q, sizeof(q), path));
	return r;
}

int
t_seals_of(int fd)
{
	int r = fcntl(fd, F_GET_SEALS);

	TRACE(r, 0, "fcntl(%d, F_GET_SEALS)", fd);
	return r;
}

int
t_setns(int fd, int nstype)
{
	int r = setns(fd, nstype);

	TRACE(r, 0, "setns(%d, %s)", fd,
	    nstype == CLONE_NEWIPC	? "CLONE_NEWIPC"
		: nstype == CLONE_NEWNS ? "CLONE_NEWNS"
					: "0");
	return r;
}

int
t_open_dir(const char *path)
{
	int r = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	char q[160];

	TRACE(r, 0, "open(%s, O_PATH|O_DIRECTORY|O_CLOEXEC)",
	    trace_qstr(q, sizeof(q), path));
	return r;
}

int
t_fchdir(int fd)
{
	int r = fchdir(fd);

	TRACE(r, 0, "fchdir(%d)", fd);
	return r;
}

int
t_chroot(const char *path)
{
	int r = chroot(path);
	char q[160];

	TRACE(r, 0, "chroot(%s)", trace_qstr(q, sizeof(q), path));
	return r;
}
