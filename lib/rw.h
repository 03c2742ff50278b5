/* rw: the read and write verbs, one implementation for every
 * shared-memory-like applet (shmctl, memfd). */
#ifndef IPCBOX_RW_H
#define IPCBOX_RW_H

#include "shm.h"

/* How an applet's objects are named and opened: open takes the object
 * an address names, for reading or (rw) writing too; on failure it
 * prints the message and exits. */
struct rw_ops {
	unsigned accept; /* the address forms (ADDR_ACCEPT_*) */
	void (*open)(struct shmobj *o, const struct addr *a, int rw);
};

/* The read and write verbs of an applet, opening objects with its ops
 * (the applet's verb functions pass them on), with their synopsis
 * (after "read OBJ ") and help. */
int rw_read(const struct rw_ops *ops, int argc, char **argv);
int rw_write(const struct rw_ops *ops, int argc, char **argv);

#define RW_READ_SYNOPSIS "[-o OFFSET] [-n LEN] [--hex | --string]"
#define RW_READ_HELP \
	"write LEN bytes from OFFSET to stdout: raw, as hexdump -C, or up to " \
	"a NUL"
#define RW_WRITE_SYNOPSIS "[STRING] [-o OFFSET] [--grow]"
#define RW_WRITE_HELP \
	"write STRING, or stdin, at OFFSET; past the end is an error unless " \
	"--grow"

/* The hexdump -C layout of len bytes at off, streamed; *done is less than
 * len when the object shrank meanwhile. */
int rw_hexdump(struct shmobj *o, uint64_t off, uint64_t len, uint64_t *done);

#endif
