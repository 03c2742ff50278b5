/* rw: the read and write verbs, one implementation for every
 * shared-memory-like applet (shmctl, memfd). */
#ifndef IPCBOX_RW_H
#define IPCBOX_RW_H

#include "shm.h"

/* Open the object the address text names, for reading or writing too;
 * on failure print the message and exit.  grow_ok tells whether
 * --grow can work for this address (System V segments cannot grow). */
struct rw_ops {
	unsigned accept; /* the address forms (ADDR_ACCEPT_*) */
	void (*open)(struct shmobj *o, const struct addr *a, int rw);
};

#define RW_READ_SYNOPSIS "[-o OFFSET] [-n LEN] [--hex | --string]"
#define RW_WRITE_SYNOPSIS "[STRING] [-o OFFSET] [--grow]"

int rw_read_main(int argc, char **argv, const struct rw_ops *ops);
int rw_write_main(int argc, char **argv, const struct rw_ops *ops);

/* The hexdump -C layout of len bytes at off, streamed. */
int rw_hexdump(struct shmobj *o, uint64_t off, uint64_t len);

#endif
