/* ipclimits: the kernel's IPC limits (/proc/sys/kernel, /proc/sys/fs/mqueue,
 * /dev/shm) and what the scan found in use against each. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "ipclimits.h"

static int
read_u64s(const char *path, uint64_t *v, int n)
{
	char buf[256], *p = buf, *end;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC), i;

	if (fd < 0)
		return -1;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = '\0';
	for (i = 0; i < n; i++) {
		errno = 0;
		v[i] = strtoull(p, &end, 10);
		if (end == p || errno != 0)
			return -1;
		p = end;
	}
	return 0;
}

int
ipclimits_read(const char *path, uint64_t *v, int n)
{
	return read_u64s(path, v, n);
}

size_t
ipc_limits(const struct ipcscan *s, struct ipc_limit *out, size_t max)
{
	struct statvfs sv;
	uint64_t shmmax = 0, shmall = 0, shmmni = 0, sem[4] = { 0 };
	uint64_t msgmax = 0, msgmnb = 0, msgmni = 0, mq[3] = { 0 };
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	unsigned __int128 shm_pages = 0, nsems = 0;
	uint64_t n[IPC_NTYPES] = { 0 };
	int have_shm, have_sem, have_msg, have_mq[3], have_sv;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct ipcobj *o = &s->v[i];

		n[o->type]++;
		if (o->type == IPC_SYSV_SHM)
			shm_pages += (o->size + page - 1) / page;
		else if (o->type == IPC_SYSV_SEM)
			nsems += o->size;
	}
	have_shm = read_u64s("/proc/sys/kernel/shmmax", &shmmax, 1) == 0 &&
	    read_u64s("/proc/sys/kernel/shmall", &shmall, 1) == 0 &&
	    read_u64s("/proc/sys/kernel/shmmni", &shmmni, 1) == 0;
	have_sem = read_u64s("/proc/sys/kernel/sem", sem, 4) == 0;
	have_msg = read_u64s("/proc/sys/kernel/msgmax", &msgmax, 1) == 0 &&
	    read_u64s("/proc/sys/kernel/msgmnb", &msgmnb, 1) == 0 &&
	    read_u64s("/proc/sys/kernel/msgmni", &msgmni, 1) == 0;
	have_mq[0] = read_u64s("/proc/sys/fs/mqueue/queues_max", &mq[0], 1) ==
	    0;
	have_mq[1] = read_u64s("/proc/sys/fs/mqueue/msg_max", &mq[1], 1) == 0;
	have_mq[2] = read_u64s("/proc/sys/fs/mqueue/msgsize_max", &mq[2], 1) ==
	    0;
	have_sv = statvfs("/dev/shm", &sv) == 0;
	{
		/* shmall is in pages: times the page size it can pass 2^64
		 * (the default is 2^64 - 2^24 - 1 pages), so 128 bits. */
		const struct ipc_limit rows[] = {
			{ "SHMMNI", "System V shared memory segments", 0,
			    have_shm, 1, shmmni, n[IPC_SYSV_SHM] },
			{ "SHMALL", "System V shared memory in all segments", 1,
			    have_shm, 1, (unsigned __int128)shmall * page,
			    shm_pages * page },
			{ "SHMMAX", "Max size of a System V segment", 1,
			    have_shm, 0, shmmax, 0 },
			{ "SHMMIN", "Min size of a System V segment", 1, 1, 0,
			    1, 0 },
			{ "SEMMNI", "System V semaphore sets", 0, have_sem, 1,
			    sem[3], n[IPC_SYSV_SEM] },
			{ "SEMMNS", "System V semaphores in all sets", 0,
			    have_sem, 1, sem[1], nsems },
			{ "SEMMSL", "Max semaphores in a set", 0, have_sem, 0,
			    sem[0], 0 },
			{ "SEMOPM", "Max operations in one semop(2)", 0,
			    have_sem, 0, sem[2], 0 },
			{ "SEMVMX", "Max value of a System V semaphore", 0, 1,
			    0, 32767, 0 },
			{ "MSGMNI", "System V message queues", 0, have_msg, 1,
			    msgmni, n[IPC_SYSV_MSG] },
			{ "MSGMAX", "Max size of a System V message", 1,
			    have_msg, 0, msgmax, 0 },
			{ "MSGMNB", "Default max bytes in a System V queue", 1,
			    have_msg, 0, msgmnb, 0 },
			{ "SHMFS", "Size of /dev/shm (POSIX shm and sems)", 1,
			    have_sv, have_sv,
			    (unsigned __int128)sv.f_blocks * sv.f_frsize,
			    (unsigned __int128)(sv.f_blocks - sv.f_bfree) *
				sv.f_frsize },
			{ "SHMFILES", "Files in /dev/shm", 0,
			    have_sv && sv.f_files > 0, have_sv, sv.f_files,
			    n[IPC_POSIX_SHM] + n[IPC_POSIX_SEM] },
			{ "MQUEUES", "POSIX message queues", 0, have_mq[0],
			    s->mq_found, mq[0], n[IPC_POSIX_MQ] },
			{ "MQMSGMAX", "Max messages in a POSIX queue", 0,
			    have_mq[1], 0, mq[1], 0 },
			{ "MQMSGSIZE", "Max size of a POSIX message", 1,
			    have_mq[2], 0, mq[2], 0 },
		};

		for (i = 0; i < sizeof(rows) / sizeof(rows[0]) && i < max; i++)
			out[i] = rows[i];
	}
	return i;
}
