/*
 * bench/maker.c: many objects at once for the benchmarks, in one process
 * (thousands of runs of shmctl create would take longer than the
 * benchmark itself).
 *
 *   maker posix PREFIX FROM TO   /dev/shm/PREFIX-FROM .. PREFIX-(TO-1), empty
 *   maker sysv KEY0 N            System V segments of a page, keys KEY0..+N-1
 *   maker sysv-rm KEY0 N         remove those that exist
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <unistd.h>

/* maker posix PREFIX FROM TO | sysv KEY0 N | sysv-rm KEY0 N */
int
main(int argc, char **argv)
{
	char path[256];
	long i, from, to;
	int fd;

	if (argc == 5 && strcmp(argv[1], "posix") == 0) {
		from = atol(argv[3]), to = atol(argv[4]);
		for (i = from; i < to; i++) {
			snprintf(path, sizeof(path), "/dev/shm/%s-%ld",
			    argv[2], i);
			if ((fd = open(path, O_CREAT | O_WRONLY, 0600)) < 0)
				return perror(path), 1;
			close(fd);
		}
		return 0;
	}
	if (argc == 4 && strncmp(argv[1], "sysv", 4) == 0) {
		key_t k = (key_t)strtol(argv[2], NULL, 0);
		long n = atol(argv[3]);

		for (i = 0; i < n; i++) {
			int id = shmget(k + (key_t)i, 4096,
			    strcmp(argv[1], "sysv") == 0 ? IPC_CREAT | 0600 : 0);

			if (id < 0 && strcmp(argv[1], "sysv") == 0)
				return perror("shmget"), 1;
			if (id >= 0 && strcmp(argv[1], "sysv-rm") == 0)
				shmctl(id, IPC_RMID, NULL);
		}
		return 0;
	}
	fprintf(stderr, "usage: maker posix PREFIX FROM TO | sysv[-rm] KEY0 N\n");
	return 2;
}
