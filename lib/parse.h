/* parse: sizes, offsets, counts, modes and times from the command line.
 *
 * Each parser returns 0, or -1 with *errstr set to a short reason
 * ("is invalid", "is negative", "is too large") that callers print as
 * "WHAT 'TEXT' REASON".  None of them prints or exits.
 */
#ifndef IPCBOX_PARSE_H
#define IPCBOX_PARSE_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* Decimal or 0x hex, optional K/M/G/T/P/E suffix (1024-based) written as
 * K, KB or KiB.  Rejects negatives, trailing junk and overflow past max. */
int parse_size(const char *s, uint64_t max, uint64_t *out, const char **errstr);

/* A plain decimal or 0x number in [min, max] (no suffix). */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out,
    const char **errstr);
/* Decimal digits only (an id, a pid, a descriptor number), as parse_u64. */
int parse_udec(const char *s, uint64_t min, uint64_t max, uint64_t *out,
    const char **errstr);
int parse_long(const char *s, long long min, long long max, long long *out,
    const char **errstr);

/* Octal (0644, 644) or symbolic (u=rw,g=r, g+w).  Symbolic modes apply to
 * base: 0 for a new object, its current mode for chmod.  Result <= 0777. */
int parse_mode(const char *s, mode_t base, mode_t *out, const char **errstr);

/* A duration: 1.5 or 2s (seconds), 250ms, 10us, 1m, 1h, 1d. */
int parse_time(const char *s, struct timespec *out, const char **errstr);

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

#endif
