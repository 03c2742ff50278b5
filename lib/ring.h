/* ring: a byte stream between two unrelated processes through a
 * shared-memory object (POSIX or System V): one writer (shmctl send), one
 * reader (shmctl recv), started in either order.
 *
 * The object holds a header page, then the ring's bytes.  The layout is
 * part of the interface (shmctl(1) documents it, so that a C program can
 * speak it); every field is little-endian as the machine stores it, and
 * is read and written with atomic operations:
 *
 *   offset  size  field
 *        0     8  magic "IPCBRNG1", stored last when the ring is made
 *        8     4  version, 1
 *       12     4  offset of the data, 4096
 *       16     8  capacity: bytes of data (the object is 4096 larger)
 *       24     8  flags: 1 end of stream (the writer closed)
 *       32     8  the writer running: pid | (start time & 0xffffffff) << 32,
 *                 0 none (start time: /proc/PID/stat field 22)
 *       40     8  the reader running, the same way
 *       64     8  head: bytes written since the ring was made
 *       72     4  wseq: futex word, bumped after head or flags move
 *       76     4  1 while the reader sleeps on wseq
 *      128     8  tail: bytes read since the ring was made
 *      136     4  rseq: futex word, bumped after tail moves
 *      140     4  1 while the writer sleeps on rseq
 *
 * Byte n of the stream is at data + n % capacity.  The writer owns head,
 * the reader tail; the writer waits while head - tail == capacity, the
 * reader while head == tail.  End of stream: the writer sets flag 1
 * after its last byte; the reader, once it has read everything, clears
 * it, which lets the next writer start.  A writer or reader that dies
 * leaves its word with a dead pid: the other side sees it (checked at
 * least every 250 ms while waiting) and gives up; the next one takes the
 * word over.  Both sides must see each other's pids (one pid namespace).
 */
#ifndef IPCBOX_RING_H
#define IPCBOX_RING_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "addr.h"
#include "shm.h"

#define RING_HDR 4096u
#define RING_DEFAULT ((uint64_t)1 << 20) /* 1 MiB of data */
#define RING_MIN 4096u

struct ring_hdr;

struct ring {
	struct shmobj o;
	struct ring_hdr *h;
	unsigned char *data;
	uint64_t cap;
	size_t maplen;
	void *map; /* POSIX: our mapping, else NULL */
	uint64_t me; /* our owner word */
	uint64_t peer; /* the other side's, as first seen */
	int created;
};

enum {
	RING_MAKE = 1, /* create it; it must not exist (shmctl create) */
	RING_MAKE_OK = 2, /* create it, or take an existing ring as is */
};

/* Open the ring at a; make it (cap bytes of data, mode) when it does not
 * exist and how allows.  0, or -1 with errno and *why set ("not a ring"
 * and such; NULL: errno says it). */
int ring_open(struct ring *r, const struct addr *a, uint64_t cap, mode_t mode,
    int how, const char **why);
void ring_close(struct ring *r);
/* Take the maplen bytes at mem (mapped by the caller) as a ring: check
 * its header (magic, version, data offset, a capacity that fits), then
 * set r->h, r->data and r->cap.  0, or -1 with errno EINVAL and *why.
 * ring_open does this for an existing object; tests/fuzz/ring_hdr.c
 * gives it headers nobody wrote. */
int ring_attach(struct ring *r, void *mem, size_t maplen, const char **why);

/* What send and recv did. */
struct ring_stats {
	uint64_t bytes;
	uint64_t waits; /* futex waits */
	uint64_t wakes; /* futex wakes */
	pid_t peer; /* the other side, when it died */
};

#define RING_TIMEDOUT 3

/* Copy in into the ring until its end, then mark the end of the stream;
 * copy the stream from the ring to out until its end.  stall (NULL:
 * none) bounds a wait for the other side.  0, RING_TIMEDOUT, or -1 with
 * errno and *why set. */
int ring_send(struct ring *r, int in, const struct timespec *stall,
    struct ring_stats *st, const char **why);
int ring_recv(struct ring *r, int out, const struct timespec *stall,
    struct ring_stats *st, const char **why);

#endif
