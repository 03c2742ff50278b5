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

#endif
