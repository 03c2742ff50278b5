/* fmt: numbers, sizes, modes, times, owners and names as ipcbox shows
 * them; lib/parse.h reads what the user writes. */
#ifndef IPCBOX_FMT_H
#define IPCBOX_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* A name as every message, listing and --trace line shows it: strvis(3)
 * C-style escapes (a\nb, \033, \377, \\) for what is not printable ASCII, so
 * that a name cannot start a new line or reach the terminal as a control
 * sequence.  buf of FMT_VIS_LEN bytes holds any name; a longer s is cut
 * at FMT_VIS_MAXIN bytes and ends in "...".  fmt_visx escapes n bytes
 * (NULs too), with extra strvis flags (VIS_DQ inside quotes). */
#define FMT_VIS_MAXIN 1024
#define FMT_VIS_LEN (FMT_VIS_MAXIN * 4 + 4)
const char *fmt_vis(char *buf, size_t len, const char *s);
const char *fmt_visx(char *buf, size_t len, const void *s, size_t n, int extra);

/* A message as one line of text (mqctl recv): backslash, newline and NUL
 * escaped as strvis(3) writes them (\\, \n, \0, or \000 before a digit),
 * every other byte as it is, so that parse_msgunvis (and strunvis(3))
 * gives the bytes back.  dst holds FMT_MSGVIS_LEN(n) bytes; returns the
 * length written (no NUL added). */
#define FMT_MSGVIS_LEN(n) ((n)*4 + 1)
/* ascii: every other byte that is not printable ASCII too, as \ooo (for
 * JSON, whose strings must be UTF-8). */
size_t fmt_msgvis(char *dst, const void *src, size_t n, int ascii);

/* "u=rw,g=r" style letters and "0640": both shown by stat and ls. */
void fmt_mode(mode_t mode, char buf[11]);
/* 4.0K, 1.5M: humanize_number(3) with a 1024 base. */
void fmt_size(uint64_t n, char *buf, size_t len);
/* 2026-11-23 05:49:11 in local time, or "-" for 0. */
void fmt_time(time_t t, char *buf, size_t len);
/* A duration in its two largest units: 3d4h, 5h2m, 12m3s, 45s. */
void fmt_duration(time_t secs, char *buf, size_t len);
/* The user or group name, or the number when it has none. */
void fmt_user(uid_t uid, char *buf, size_t len);
void fmt_group(gid_t gid, char *buf, size_t len);

/* An exact unsigned 128-bit number in decimal (limits past 2^64). */
void fmt_u128(unsigned __int128 v, char *buf, size_t len);
/* As fmt_size, past 2^63 too: 16E, 64Z. */
void fmt_big(unsigned __int128 v, char *buf, size_t len);

#endif
