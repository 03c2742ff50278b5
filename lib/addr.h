/* addr: object addresses, the one syntax every verb takes.
 *
 *   /name, name         POSIX named object (shm: /dev/shm/name)
 *   key:0x1234, key:N   System V object by key
 *   id:N                System V object by id
 *   ftok:PATH:PROJ      System V object by ftok(PATH, PROJ), PROJ 1..255
 *   N, fd:N             a descriptor this process inherited
 *   pid:P:N             descriptor N of process P (pidfd_getfd)
 *   @name               a descriptor held by the fd store
 */
#ifndef IPCBOX_ADDR_H
#define IPCBOX_ADDR_H

#include <limits.h>
#include <sys/types.h>

enum addr_kind {
	ADDR_POSIX, /* name holds "/name" */
	ADDR_KEY, /* key (also from ftok:) */
	ADDR_ID, /* id */
	ADDR_FD, /* fd */
	ADDR_PIDFD, /* pid, fd */
	ADDR_STORE, /* name holds "name" without the @ */
};

/* Which forms a verb accepts. */
enum {
	ADDR_ACCEPT_POSIX = 1 << 0,
	ADDR_ACCEPT_SYSV = 1 << 1, /* key:, id:, ftok: */
	ADDR_ACCEPT_FD = 1 << 2, /* N, fd:N, pid:P:N */
	ADDR_ACCEPT_STORE = 1 << 3,
};

struct addr {
	enum addr_kind kind;
	const char *text; /* as the user wrote it, for messages */
	char name[NAME_MAX + 2];
	key_t key;
	int id;
	int fd;
	pid_t pid;
	int ftok; /* the key came from ftok: */
};

/* Parse s.  On error returns -1 and sets *errstr and *code: EXIT_USAGE
 * for a malformed address, EXIT_FAIL when ftok(3) cannot read PATH. */
int addr_parse(const char *s, unsigned accept, struct addr *a,
    const char **errstr, int *code);

/* Check a POSIX object name ("/name" or "name") and store "/name". */
int addr_posix_name(const char *s, char out[NAME_MAX + 2], const char **errstr);

static inline int
addr_is_sysv(const struct addr *a)
{
	return a->kind == ADDR_KEY || a->kind == ADDR_ID;
}

#endif
