/* parse: sizes, offsets, counts, modes and times from the command line.
 *
 * Each parser returns 0, or -1 with *errstr set to a short reason
 * ("is invalid", "is negative", "is too large") that callers print as
 * "WHAT 'TEXT' REASON".  None of them prints or exits.
 */
#ifndef IPCBOX_PARSE_H
#define IPCBOX_PARSE_H

#include <stdint.h>
#include <sys/sem.h>
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

/* A semop(2) operation IDX:DELTA (0:-1, 1:+1, 2:0): decimal, DELTA
 * optionally signed, IDX below SEMOBJ_NSEMS_MAX, |DELTA| at most
 * SEMOBJ_SYSV_MAX (lib/sem.h); sem_flg 0.  0, or -1 with *why the end of
 * "operation 'TEXT'WHY": " is invalid: want IDX:DELTA, ...", ": index is
 * too large", ": delta is too large (...)". */
int parse_semop(const char *s, struct sembuf *op, const char **why);

/* A line of text back into a message's bytes: the strvis(3) escapes
 * (\\, \n, \0, \ooo, \t, \xHH, ...) undone, other bytes as they are;
 * what fmt_msgvis writes reads back unchanged.  dst holds n bytes; *out
 * its length.  0, or -1 with *errstr ("has an invalid escape") for a
 * backslash that starts no escape. */
int parse_msgunvis(char *dst, const char *src, size_t n, size_t *out,
    const char **errstr);

#endif
