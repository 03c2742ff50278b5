/* parse: sizes, offsets, counts, modes and times. */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libutil.h>
#include <unistd.h>

#include "parse.h"
#include "sem.h"

#define LIBBSD_NETBSD_VIS 1
#include <vis.h>

/* Split "0x1fK", "12MiB", "7" into digits and a one-letter suffix, the
 * only forms expand_number(3) is given, since it would take "010" as
 * octal and "-1" as a huge number. */
int
parse_size(const char *s, uint64_t max, uint64_t *out, const char **errstr)
{
	char norm[64];
	const char *p = s, *digits;
	size_t nd;
	int hex = 0;
	uint64_t v;

	if (*p == '-') {
		*errstr = "is negative";
		return -1;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		hex = 1;
		p += 2;
	}
	digits = p;
	while (hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p))
		p++;
	nd = p - digits;
	if (nd == 0)
		goto invalid;
	if (!hex)
		while (nd > 1 && *digits == '0')
			digits++, nd--;
	if (nd + 4 >= sizeof(norm)) {
		*errstr = "is too large";
		return -1;
	}
	snprintf(norm, sizeof(norm), "%s%.*s", hex ? "0x" : "", (int)nd,
	    digits);
	if (*p != '\0') {
		if (strchr("kKmMgGtTpPeE", *p) == NULL)
			goto invalid;
		norm[strlen(norm) + 1] = '\0';
		norm[strlen(norm)] = *p++;
		/* K, KB, KiB: all 1024-based. */
		if (strcmp(p, "iB") == 0 || strcmp(p, "B") == 0)
			p += strlen(p);
		if (*p != '\0')
			goto invalid;
	}
	/* expand_number(3) gives UINT64_MAX for digits past it, with no
	 * error: an overflow only max below UINT64_MAX would catch. */
	errno = 0;
	(void)strtoull(norm, NULL, hex ? 16 : 10);
	if (errno == ERANGE) {
		*errstr = "is too large";
		return -1;
	}
	errno = 0;
	if (expand_number(norm, &v) != 0) {
		*errstr = errno == ERANGE ? "is too large" : "is invalid";
		return -1;
	}
	if (v > max) {
		*errstr = "is too large";
		return -1;
	}
	*out = v;
	return 0;
invalid:
	*errstr = "is invalid";
	return -1;
}

int
parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
    const char **errstr)
{
	const char *p = s;
	char *end;
	unsigned long long v;
	int base = 10;

	if (*p == '-') {
		*errstr = "is negative";
		return -1;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	/* strtoull takes a second 0x after the first in base 16: 0x0x12. */
	if (!(base == 16 ? isxdigit((unsigned char)*p)
			 : isdigit((unsigned char)*p)) ||
	    (base == 16 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))) {
		*errstr = "is invalid";
		return -1;
	}
	errno = 0;
	v = strtoull(p, &end, base);
	if (*end != '\0') {
		*errstr = "is invalid";
		return -1;
	}
	if (errno == ERANGE || v > max) {
		*errstr = "is too large";
		return -1;
	}
	if (v < min) {
		*errstr = "is too small";
		return -1;
	}
	*out = v;
	return 0;
}

int
parse_udec(const char *s, uint64_t min, uint64_t max, uint64_t *out,
    const char **errstr)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p)) {
			*errstr = "is invalid";
			return -1;
		}
	return parse_u64(s, min, max, out, errstr);
}

int
parse_long(const char *s, long long min, long long max, long long *out,
    const char **errstr)
{
	long long v = strtonum(s, min, max, errstr);

	if (*errstr != NULL)
		return -1;
	*out = v;
	return 0;
}

/* Whether a symbolic mode adds or sets s or t: setmode(3) drops the ones
 * it has no bit for (o+t, o+s), which would pass for a mode without them. */
static int
adds_special(const char *s)
{
	char op = 0;

	for (; *s != '\0'; s++) {
		if (*s == '+' || *s == '-' || *s == '=')
			op = *s;
		else if (*s == ',')
			op = 0;
		else if ((*s == 's' || *s == 't') && op != '-')
			return 1;
	}
	return 0;
}

int
parse_mode(const char *s, mode_t base, mode_t *out, const char **errstr)
{
	void *set;
	mode_t m;

	if (*s >= '0' && *s <= '7') {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(s, &end, 8);
		if (*end != '\0' || errno != 0) {
			*errstr = "is invalid";
			return -1;
		}
		if (v > 0777) {
			*errstr = "is out of range (0 to 0777)";
			return -1;
		}
		*out = v;
		return 0;
	}
	if (*s == '\0' || strspn(s, "ugoa+-=rwxXst,") != strlen(s)) {
		*errstr = "is invalid";
		return -1;
	}
	if (adds_special(s)) {
		*errstr = "is out of range (no setuid, setgid or sticky bits)";
		return -1;
	}
	set = setmode(s);
	if (set == NULL) {
		*errstr = "is invalid";
		return -1;
	}
	m = getmode(set, base) & 07777;
	free(set);
	if (m > 0777) {
		*errstr = "is out of range (no setuid, setgid or sticky bits)";
		return -1;
	}
	*out = m;
	return 0;
}

int
parse_time(const char *s, struct timespec *out, const char **errstr)
{
	static const struct {
		const char *unit;
		long double ns;
	} units[] = {
		{ "", 1e9L },
		{ "s", 1e9L },
		{ "ms", 1e6L },
		{ "us", 1e3L },
		{ "ns", 1L },
		{ "m", 60e9L },
		{ "h", 3600e9L },
		{ "d", 86400e9L },
	};
	const char *p = s;
	long double v = 0, scale = 1, ns;
	size_t i;
	int digits = 0;

	if (*p == '-') {
		*errstr = "is negative";
		return -1;
	}
	for (; isdigit((unsigned char)*p); p++, digits++)
		v = v * 10 + (*p - '0');
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++, digits++)
			v += (*p - '0') * (scale /= 10);
	if (digits == 0)
		goto invalid;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(p, units[i].unit) == 0)
			break;
	if (i == sizeof(units) / sizeof(units[0]))
		goto invalid;
	ns = v * units[i].ns;
	if (ns > 1e9L * 86400 * 366 * 100) {
		*errstr = "is too large";
		return -1;
	}
	out->tv_sec = (time_t)(ns / 1e9L);
	out->tv_nsec = (long)(ns - (long double)out->tv_sec * 1e9L);
	if (out->tv_nsec < 0)
		out->tv_nsec = 0;
	if (out->tv_nsec > 999999999)
		out->tv_nsec = 999999999;
	return 0;
invalid:
	*errstr = "is invalid";
	return -1;
}

_Static_assert(SEMOBJ_SYSV_MAX == 32767, "parse_semop's message");

int
parse_semop(const char *s, struct sembuf *op, const char **why)
{
	static const char digits[] = "0123456789";
	const char *colon = strchr(s, ':'), *d, *errstr;
	size_t n = colon != NULL ? (size_t)(colon - s) : 0;
	char idx[16];
	uint64_t i, v;

	if (n == 0 || n >= sizeof(idx) || strspn(s, digits) != n)
		goto invalid;
	memcpy(idx, s, n);
	idx[n] = '\0';
	d = colon + 1 + (colon[1] == '+' || colon[1] == '-');
	if (*d == '\0' || strspn(d, digits) != strlen(d) ||
	    parse_u64(idx, 0, UINT64_MAX, &i, &errstr) != 0)
		goto invalid;
	if (i > SEMOBJ_NSEMS_MAX - 1) {
		*why = ": index is too large";
		return -1;
	}
	if (parse_u64(d, 0, UINT64_MAX, &v, &errstr) != 0 ||
	    v > SEMOBJ_SYSV_MAX) {
		*why = ": delta is too large (at most 32767 either way)";
		return -1;
	}
	op->sem_num = (unsigned short)i;
	op->sem_op = (short)(colon[1] == '-' ? -(int)v : (int)v);
	op->sem_flg = 0;
	return 0;
invalid:
	*why = " is invalid: want IDX:DELTA, like 0:-1, 1:+1 or 2:0";
	return -1;
}

int
parse_msgunvis(char *dst, const char *src, size_t n, size_t *out,
    const char **errstr)
{
	const char *bs = memchr(src, '\\', n), *end = src + n;
	char *d = dst, c;
	int state = 0, r;

	if (bs == NULL) { /* nothing escaped: most lines */
		memcpy(dst, src, n);
		*out = n;
		return 0;
	}
	memcpy(d, src, (size_t)(bs - src));
	d += bs - src;
	for (src = bs; src < end; src++) {
	again:
		r = unvis(&c, (unsigned char)*src, &state, 0);
		switch (r) {
		case UNVIS_VALID:
			*d++ = c;
			break;
		case UNVIS_VALIDPUSH:
			*d++ = c;
			goto again;
		case 0:
		case UNVIS_NOCHAR:
			break;
		default:
			*errstr = "has an invalid escape";
			return -1;
		}
	}
	if (unvis(&c, '\0', &state, UNVIS_END) == UNVIS_VALID)
		*d++ = c;
	else if (state != 0) {
		*errstr = "ends in an unfinished escape";
		return -1;
	}
	*out = (size_t)(d - dst);
	return 0;
}
