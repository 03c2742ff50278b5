/* seals: memfd seal names, and why a sealed memfd refuses. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "seals.h"
#include "trace_fd.h"

static const struct {
	const char *name;
	int bit;
} seal_tab[] = {
	{ "seal", F_SEAL_SEAL },
	{ "shrink", F_SEAL_SHRINK },
	{ "grow", F_SEAL_GROW },
	{ "write", F_SEAL_WRITE },
	{ "future-write", F_SEAL_FUTURE_WRITE },
	{ "exec", F_SEAL_EXEC },
};
#define NSEALS (sizeof(seal_tab) / sizeof(seal_tab[0]))

static int
seal_bit(const char *name)
{
	size_t i;

	for (i = 0; i < NSEALS; i++)
		if (strcmp(name, seal_tab[i].name) == 0)
			return seal_tab[i].bit;
	return 0;
}

int
seals_parse(const char *list, int *mask, char *bad, size_t badlen,
    const char **why)
{
	const char *p = list, *end;
	char tok[32];
	int bit;

	*mask = 0;
	*bad = '\0';
	do {
		end = strchrnul(p, ',');
		if (end == p) {
			*bad = '\0';
			*why = "has an empty name (valid: " SEAL_NAMES ")";
			return -1;
		}
		snprintf(tok, sizeof(tok), "%.*s", (int)(end - p), p);
		snprintf(bad, badlen, "%.*s", (int)(end - p), p);
		if ((size_t)(end - p) >= sizeof(tok) ||
		    (bit = seal_bit(tok)) == 0) {
			*why = "unknown seal (valid: " SEAL_NAMES ")";
			return -1;
		}
		if (*mask & bit) {
			*why = "seal named twice";
			return -1;
		}
		*mask |= bit;
		p = *end == ',' ? end + 1 : end;
	} while (*end != '\0');
	*bad = '\0';
	return 0;
}

void
seals_fmt(int seals, char *buf, size_t len)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < NSEALS; i++)
		if (seals & seal_tab[i].bit) {
			if (buf[0] != '\0')
				strlcat(buf, ",", len);
			strlcat(buf, seal_tab[i].name, len);
		}
	if (buf[0] == '\0')
		snprintf(buf, len, "-");
}

const char *
seals_why(int fd, int err, int adding)
{
	int cur;

	if (err == EBUSY && (adding & F_SEAL_WRITE))
		return "cannot seal against writing while a writable shared "
		       "mapping exists";
	if (err == EINVAL && (adding & F_SEAL_EXEC))
		return "this kernel has no exec seal (Linux 6.3 and later do)";
	if (err != EPERM || (cur = t_get_seals(fd)) < 0)
		return NULL;
	if (adding) {
		if (cur & F_SEAL_SEAL)
			return "sealed against sealing";
		if ((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY)
			return "open read-only, and sealing needs write access";
		return NULL;
	}
	if (cur & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return "sealed against writing";
	if (cur & F_SEAL_GROW)
		return "sealed against growing";
	if (cur & F_SEAL_SHRINK)
		return "sealed against shrinking";
	return NULL;
}
