/* ipcls-holder: make or open IPC objects, hold them, say "ready" and sleep
 * until killed: the holders that ipcls and ipcgc must see.  Compiled by
 * tests/ipcls.bats and tests/ipcgc.bats.
 *
 *   shm NAME SIZE        create a POSIX object, map it, close the fd
 *   shm-fd NAME          open an existing POSIX object, hold the fd only
 *   shm-map NAME         map an existing POSIX object, close the fd
 *   fill NAME SIZE       create a POSIX object, write every page through a
 *                        shared mapping, close the fd (the mapping holds it)
 *   fill-fd NAME SIZE    create a POSIX object, write every page with
 *                        pwrite, hold the fd only
 *   unlink NAME          shm_unlink: the object has no name left
 *   sysv-fill KEY SIZE   create a System V segment (KEY 0: private),
 *                        attach it read-write, write every page; print
 *                        "shmid ID"
 *   sem NAME VALUE       sem_open a POSIX semaphore (create) and keep it
 *   mq NAME NMSGS        create a POSIX queue, send NMSGS, hold the fd
 *   sysv KEY SIZE        create a System V segment and attach it
 *   attach ID            attach an existing System V segment
 *   touch ID             attach and detach it: its last pid is ours
 *   shmget KEY SIZE      create a System V segment, not attached
 *   msgrcv ID            say "ready", then wait in msgrcv(2) for a
 *                        message on a System V queue; print what it
 *                        returned and exit
 *   semop ID             add 1 to semaphore 0 of a System V set
 *   msgsnd ID            send one message to a System V queue
 *   efd COUNT            an eventfd with that counter
 *   memfd NAME SIZE SEALS  a memfd of SIZE bytes with those seals (a number)
 *   memfd-map NAME SIZE SEALS  the same, mapped, its descriptor closed
 *   fork                 fork: the child goes on with the actions after
 *                        it, the parent prints "child PID" and goes on too
 *   exit                 exit now, after the actions before it
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

static void
map(int fd)
{
	off_t size = lseek(fd, 0, SEEK_END);

	if (mmap(NULL, size ? size : 1, PROT_READ, MAP_SHARED, fd, 0) ==
	    MAP_FAILED)
		die("mmap");
	close(fd);
}

int
main(int argc, char **argv)
{
	int i, fd, id;

	closefrom(3); /* the objects' descriptors from 3 on, in order */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "shm") == 0 && i + 2 < argc) {
			fd = shm_open(argv[i + 1], O_CREAT | O_RDWR, 0600);
			if (fd < 0 || ftruncate(fd, atol(argv[i + 2])) != 0)
				die("shm");
			map(fd);
			i += 2;
		} else if (strcmp(a, "shm-fd") == 0 && i + 1 < argc) {
			if (shm_open(argv[++i], O_RDONLY, 0) < 0)
				die("shm-fd");
		} else if (strcmp(a, "shm-map") == 0 && i + 1 < argc) {
			if ((fd = shm_open(argv[++i], O_RDONLY, 0)) < 0)
				die("shm-map");
			map(fd);
		} else if ((strcmp(a, "fill") == 0 ||
			       strcmp(a, "fill-fd") == 0) &&
		    i + 2 < argc) {
			size_t n = (size_t)atol(argv[i + 2]), k;
			char page[4096];
			char *p;

			memset(page, 'x', sizeof(page));
			fd = shm_open(argv[i + 1], O_CREAT | O_EXCL | O_RDWR,
			    0600);
			if (fd < 0 || ftruncate(fd, (off_t)n) != 0)
				die("fill");
			if (strcmp(a, "fill-fd") == 0) {
				for (k = 0; k < n; k += sizeof(page))
					if (pwrite(fd, page, sizeof(page),
						(off_t)k) < 0)
						die("fill-fd");
			} else {
				p = mmap(NULL, n, PROT_READ | PROT_WRITE,
				    MAP_SHARED, fd, 0);
				if (p == MAP_FAILED)
					die("fill");
				memset(p, 'x', n);
				close(fd);
			}
			i += 2;
		} else if (strcmp(a, "unlink") == 0 && i + 1 < argc) {
			if (shm_unlink(argv[++i]) != 0)
				die("unlink");
		} else if (strcmp(a, "sysv-fill") == 0 && i + 2 < argc) {
			size_t n = (size_t)atol(argv[i + 2]);
			char *p;

			id = shmget((key_t)strtol(argv[i + 1], NULL, 0), n,
			    IPC_CREAT | 0600);
			if (id < 0 || (p = shmat(id, NULL, 0)) == (void *)-1)
				die("sysv-fill");
			memset(p, 'x', n);
			printf("shmid %d\n", id);
			fflush(stdout);
			i += 2;
		} else if (strcmp(a, "sem") == 0 && i + 2 < argc) {
			if (sem_open(argv[i + 1], O_CREAT, 0600,
				atoi(argv[i + 2])) == SEM_FAILED)
				die("sem");
			i += 2;
		} else if (strcmp(a, "mq") == 0 && i + 2 < argc) {
			mqd_t q = mq_open(argv[i + 1], O_CREAT | O_RDWR, 0600,
			    NULL);
			int n = atoi(argv[i + 2]);

			if (q == (mqd_t)-1)
				die("mq");
			while (n-- > 0)
				if (mq_send(q, "x", 1, 0) != 0)
					die("mq_send");
			i += 2;
		} else if (strcmp(a, "sysv") == 0 && i + 2 < argc) {
			id = shmget((key_t)strtol(argv[i + 1], NULL, 0),
			    (size_t)atol(argv[i + 2]), IPC_CREAT | 0600);
			if (id < 0 || shmat(id, NULL, SHM_RDONLY) == (void *)-1)
				die("sysv");
			i += 2;
		} else if (strcmp(a, "attach") == 0 && i + 1 < argc) {
			if (shmat(atoi(argv[++i]), NULL, SHM_RDONLY) ==
			    (void *)-1)
				die("attach");
		} else if (strcmp(a, "touch") == 0 && i + 1 < argc) {
			void *p = shmat(atoi(argv[++i]), NULL, SHM_RDONLY);

			if (p == (void *)-1 || shmdt(p) != 0)
				die("touch");
		} else if (strcmp(a, "shmget") == 0 && i + 2 < argc) {
			if (shmget((key_t)strtol(argv[i + 1], NULL, 0),
				(size_t)atol(argv[i + 2]),
				IPC_CREAT | 0600) < 0)
				die("shmget");
			i += 2;
		} else if (strcmp(a, "msgrcv") == 0 && i + 1 < argc) {
			struct {
				long type;
				char text[64];
			} m;
			ssize_t n;

			printf("ready\n");
			fflush(stdout);
			n = msgrcv(atoi(argv[++i]), &m, sizeof(m.text), 0, 0);
			if (n < 0)
				perror("msgrcv");
			else
				printf("msgrcv %zd\n", n);
			return n < 0;
		} else if (strcmp(a, "semop") == 0 && i + 1 < argc) {
			struct sembuf op = { 0, 1, 0 };

			if (semop(atoi(argv[++i]), &op, 1) != 0)
				die("semop");
		} else if (strcmp(a, "msgsnd") == 0 && i + 1 < argc) {
			struct {
				long type;
				char text[1];
			} m = { 1, { 'x' } };

			if (msgsnd(atoi(argv[++i]), &m, 1, 0) != 0)
				die("msgsnd");
		} else if (strcmp(a, "efd") == 0 && i + 1 < argc) {
			if (eventfd((unsigned)atoi(argv[++i]), 0) < 0)
				die("eventfd");
		} else if ((strcmp(a, "memfd") == 0 ||
			       strcmp(a, "memfd-map") == 0) &&
		    i + 3 < argc) {
			fd = memfd_create(argv[i + 1], MFD_ALLOW_SEALING);
			if (fd < 0 || ftruncate(fd, atol(argv[i + 2])) != 0 ||
			    (atoi(argv[i + 3]) &&
				fcntl(fd, F_ADD_SEALS, atoi(argv[i + 3])) != 0))
				die("memfd");
			if (strcmp(a, "memfd-map") == 0)
				map(fd);
			i += 3;
		} else if (strcmp(a, "fork") == 0) {
			pid_t p = fork();

			if (p < 0)
				die("fork");
			if (p > 0) {
				printf("child %d\n", (int)p);
				fflush(stdout);
			}
		} else if (strcmp(a, "exit") == 0) {
			return 0;
		} else {
			fprintf(stderr, "ipcls-holder: %s: bad action\n", a);
			return 2;
		}
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
