/* fmt: what ipcbox shows, formatted once. */
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <libutil.h>
#define LIBBSD_NETBSD_VIS 1 /* strnvisx(dst, dlen, src, len, flags) */
#include <vis.h>

#include "fmt.h"

void
fmt_mode(mode_t mode, char buf[11])
{
	char tmp[12];

	strmode(S_IFREG | (mode & 0777), tmp);
	memcpy(buf, tmp + 1, 9);
	buf[9] = '\0';
}

void
fmt_size(uint64_t n, char *buf, size_t len)
{
	char h[5]; /* "4.0K": the width ls -h uses */

	if (humanize_number(h, sizeof(h), (int64_t)n, "", HN_AUTOSCALE,
		HN_B | HN_NOSPACE | HN_DECIMAL) < 0)
		snprintf(buf, len, "%" PRIu64, n);
	else
		snprintf(buf, len, "%s", h);
}

void
fmt_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (t == 0 || localtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "-");
		return;
	}
	strftime(buf, len, "%Y-%m-%dT%H:%M:%S%z", &tm);
}

/* The one escaping of names, C-style (\n, \t, \\, \ooo for other bytes
 * that are not printable ASCII), with strnvisx(3).  At most
 * FMT_VIS_MAXIN bytes of s are shown, then "...". */
const char *
fmt_visx(char *buf, size_t len, const void *s, size_t n, int extra)
{
	char v[FMT_VIS_MAXIN * 4 + 1];
	size_t max = n > FMT_VIS_MAXIN ? FMT_VIS_MAXIN : n;

	if (strnvisx(v, sizeof(v), s, max,
		VIS_CSTYLE | VIS_OCTAL | VIS_TAB | VIS_NL | extra) < 0)
		v[0] = '\0';
	snprintf(buf, len, "%s%s", v, n > max ? "..." : "");
	return buf;
}

size_t
fmt_msgvis(char *dst, const void *src, size_t n, int ascii)
{
	const unsigned char *s = src;
	char *d = dst;
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '\\':
			*d++ = '\\', *d++ = '\\';
			break;
		case '\n':
			*d++ = '\\', *d++ = 'n';
			break;
		case '\0':
			*d++ = '\\', *d++ = '0';
			/* "\012" would read as one octal escape */
			if (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')
				*d++ = '0', *d++ = '0';
			break;
		default:
			if (ascii && (s[i] < ' ' || s[i] > '~') &&
			    s[i] != '\t') {
				*d++ = '\\';
				*d++ = (char)('0' + (s[i] >> 6));
				*d++ = (char)('0' + ((s[i] >> 3) & 7));
				*d++ = (char)('0' + (s[i] & 7));
			} else
				*d++ = (char)s[i];
		}
	}
	return (size_t)(d - dst);
}

const char *
fmt_vis(char *buf, size_t len, const char *s)
{
	return fmt_visx(buf, len, s, strlen(s), 0);
}

/* A user's or group's name, or its number when it has none. */
static void
fmt_id_name(const char *name, unsigned id, char *buf, size_t len)
{
	if (name != NULL)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%u", id);
}

void
fmt_user(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	fmt_id_name(pw != NULL ? pw->pw_name : NULL, (unsigned)uid, buf, len);
}

void
fmt_group(gid_t gid, char *buf, size_t len)
{
	struct group *gr = getgrgid(gid);

	fmt_id_name(gr != NULL ? gr->gr_name : NULL, (unsigned)gid, buf, len);
}

void
fmt_duration(time_t secs, char *buf, size_t len)
{
	static const struct {
		char unit;
		time_t secs;
	} u[] = { { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
	size_t i;

	if (secs < 0)
		secs = 0;
	for (i = 0; i < 3 && secs < u[i].secs; i++)
		;
	if (i == 3 || secs % u[i].secs / u[i + 1].secs == 0)
		snprintf(buf, len, "%lld%c", (long long)(secs / u[i].secs),
		    u[i].unit);
	else
		snprintf(buf, len, "%lld%c%lld%c",
		    (long long)(secs / u[i].secs), u[i].unit,
		    (long long)(secs % u[i].secs / u[i + 1].secs),
		    u[i + 1].unit);
}

/* An exact unsigned 128-bit number in decimal. */
void
fmt_u128(unsigned __int128 v, char *buf, size_t len)
{
	char tmp[48];
	size_t i = sizeof(tmp) - 1;

	tmp[i] = '\0';
	do {
		tmp[--i] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v != 0);
	snprintf(buf, len, "%s", tmp + i);
}

/* 4.0K, 16E, 64Z: humanize_number(3) stops at 2^63. */
void
fmt_big(unsigned __int128 v, char *buf, size_t len)
{
	static const char units[] = "BKMGTPEZY";
	long double x = (long double)v;
	int u = 0;

	if (v <= INT64_MAX) {
		fmt_size((uint64_t)v, buf, len);
		return;
	}
	while (x >= 1024 && units[u + 1] != '\0')
		x /= 1024, u++;
	snprintf(buf, len, x < 10 ? "%.1Lf%c" : "%.0Lf%c", x, units[u]);
}
