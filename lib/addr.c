/* addr: object addresses. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>

#include "addr.h"
#include "fdstore.h"
#include "msg.h"
#include "parse.h"
#include "trace.h"

int
addr_posix_name(const char *s, char out[NAME_MAX + 2], const char **errstr)
{
	const char *n = *s == '/' ? s + 1 : s;
	size_t len = strlen(n);

	if (len == 0) {
		*errstr = "invalid name: empty";
		return -1;
	}
	if (strchr(n, '/') != NULL) {
		*errstr = "invalid name: a '/' after the first";
		return -1;
	}
	if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0) {
		*errstr = "invalid name: '.' and '..' are not objects";
		return -1;
	}
	if (len > NAME_MAX) {
		*errstr = "invalid name: longer than 255 bytes";
		return -1;
	}
	out[0] = '/';
	memcpy(out + 1, n, len + 1);
	return 0;
}

static int
parse_fdnum(const char *s, int *fd, const char **errstr)
{
	uint64_t v;

	if (parse_udec(s, 0, INT_MAX, &v, errstr) != 0) {
		*errstr = "invalid descriptor number";
		return -1;
	}
	*fd = (int)v;
	return 0;
}

static int
parse_ftok(const char *s, struct addr *a, const char **errstr, int *code)
{
	const char *colon = strrchr(s, ':');
	char path[PATH_MAX];
	const char *proj;
	uint64_t v;
	key_t k;

	if (colon == NULL || colon == s || strlen(s) >= sizeof(path)) {
		*errstr = "invalid ftok address: want ftok:PATH:PROJ";
		return -1;
	}
	memcpy(path, s, colon - s);
	path[colon - s] = '\0';
	proj = colon + 1;
	if (proj[0] != '\0' && proj[1] == '\0' &&
	    !isdigit((unsigned char)*proj))
		v = (unsigned char)*proj;
	else if (parse_u64(proj, 1, 255, &v, errstr) != 0) {
		*errstr = "invalid ftok project: want a character or 1 to 255";
		return -1;
	}
	k = t_ftok(path, (int)v);
	if (k == (key_t)-1) {
		*errstr = strerror(errno);
		*code = EXIT_FAIL;
		return -1;
	}
	a->kind = ADDR_KEY;
	a->key = k;
	a->ftok = 1;
	return 0;
}

int
addr_parse(const char *s, unsigned accept, struct addr *a, const char **errstr,
    int *code)
{
	uint64_t v;

	memset(a, 0, sizeof(*a));
	a->text = s;
	*code = EXIT_USAGE;
	if (strncmp(s, "key:", 4) == 0 || strncmp(s, "id:", 3) == 0 ||
	    strncmp(s, "ftok:", 5) == 0) {
		if (!(accept & ADDR_ACCEPT_SYSV)) {
			*errstr = "System V addresses are not accepted here";
			return -1;
		}
		if (s[0] == 'k') {
			if (parse_u64(s + 4, 0, UINT32_MAX, &v, errstr) != 0) {
				*errstr = "invalid key: want key:0xHEX or "
					  "key:DECIMAL up to 0xffffffff";
				return -1;
			}
			a->kind = ADDR_KEY;
			a->key = (key_t)(uint32_t)v;
			return 0;
		}
		if (s[0] == 'i') {
			if (parse_udec(s + 3, 0, INT_MAX, &v, errstr) != 0) {
				*errstr = "invalid id: want id:DECIMAL";
				return -1;
			}
			a->kind = ADDR_ID;
			a->id = (int)v;
			return 0;
		}
		return parse_ftok(s + 5, a, errstr, code);
	}
	if (strncmp(s, "pid:", 4) == 0) {
		const char *colon = strchr(s + 4, ':');
		char pid[16];

		if (!(accept & ADDR_ACCEPT_FD)) {
			*errstr = "descriptor addresses are not accepted here";
			return -1;
		}
		if (colon == NULL || colon - (s + 4) >= (int)sizeof(pid)) {
			*errstr = "invalid address: want pid:PID:FD";
			return -1;
		}
		memcpy(pid, s + 4, colon - (s + 4));
		pid[colon - (s + 4)] = '\0';
		if (parse_udec(pid, 1, INT_MAX, &v, errstr) != 0) {
			*errstr = "invalid process id";
			return -1;
		}
		a->kind = ADDR_PIDFD;
		a->pid = (pid_t)v;
		return parse_fdnum(colon + 1, &a->fd, errstr);
	}
	if (strncmp(s, "fd:", 3) == 0 ||
	    ((isdigit((unsigned char)*s) ||
		 (*s == '-' && isdigit((unsigned char)s[1]))) &&
		(accept & ADDR_ACCEPT_FD))) {
		if (!(accept & ADDR_ACCEPT_FD)) {
			*errstr = "descriptor addresses are not accepted here";
			return -1;
		}
		a->kind = ADDR_FD;
		return parse_fdnum(s + (s[0] == 'f' ? 3 : 0), &a->fd, errstr);
	}
	if (*s == '@') {
		if (!(accept & ADDR_ACCEPT_STORE)) {
			*errstr = "fd-store names are not accepted here";
			return -1;
		}
		if (fdstore_name_check(s + 1, errstr) != 0)
			return -1;
		memcpy(a->name, s + 1, strlen(s + 1) + 1);
		a->kind = ADDR_STORE;
		return 0;
	}
	if (!(accept & ADDR_ACCEPT_POSIX)) {
		*errstr = "not an address this verb accepts";
		return -1;
	}
	a->kind = ADDR_POSIX;
	return addr_posix_name(s, a->name, errstr);
}
