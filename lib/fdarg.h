/* fdarg: descriptor arguments for the command-line layer (efd, memfd):
 * a descriptor address opened, a seal list, --fd N.  Each prints
 * "APPLET: VERB: ADDR: reason" and exits on failure: 1 for a failed
 * operation, 2 for a usage error. */
#ifndef IPCBOX_FDARG_H
#define IPCBOX_FDARG_H

#include "addr.h"
#include "fdaddr.h"

/* fdaddr_open, or exit. */
int fdaddr_open_or_die(const struct addr *a, enum fd_kind want, int rw);
/* seals_parse, or exit 2. */
int seals_parse_or_die(const char *list);
/* --fd N for "new -- CMD": 3 and up, within RLIMIT_NOFILE; 0, 1 and 2
 * would shadow stdio and are refused (exit 2). */
int fd_target_or_die(const char *text);

/* The fd store (lib/fdstore.h), for @name addresses: each exits 1 with
 * "APPLET: VERB: @name: reason" when the holder refuses or cannot be
 * reached. */
/* The descriptor held under a's name, whatever it is. */
int fdstore_get_or_die(const struct addr *a);
/* Put fd under a's name (mode: the entry's; replace: --replace). */
void fdstore_put_or_die(const struct addr *a, int fd, mode_t mode, int replace);
/* -m MODE of an entry (octal or symbolic, from 0), or exit 2. */
mode_t fdstore_mode_or_die(const char *text);

#endif
