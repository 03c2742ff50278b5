/* seals: memfd seals by name (fcntl(2) F_ADD_SEALS), and the reasons a
 * sealed memfd refuses an operation. */
#ifndef IPCBOX_SEALS_H
#define IPCBOX_SEALS_H

#include <stddef.h>

#define SEAL_NAMES "seal,shrink,grow,write,future-write,exec"

/* A comma-separated LIST into F_SEAL_* bits in *mask: 0, or -1 with the
 * offending name in *bad ("" for an empty name) and the reason, whole,
 * in *why ("unknown seal (valid: ...)", "seal named twice", "has an
 * empty name (valid: ...)"). */
int seals_parse(const char *list, int *mask, char *bad, size_t badlen,
    const char **why);
/* "shrink,grow,write" in SEAL_NAMES order, or "-" for none. */
void seals_fmt(int seals, char *buf, size_t len);
/* The reason an operation on memfd fd failed with err (a seal, the
 * kernel lacking the exec seal, a read-only descriptor), or NULL when
 * errno says it plainly.  adding: the seals being added (F_ADD_SEALS),
 * else 0 for a write, grow or shrink. */
const char *seals_why(int fd, int err, int adding);

#endif
