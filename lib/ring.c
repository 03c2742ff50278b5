/* ring: a byte stream through a shared-memory object (see ring.h).
 *
 * Waiting: futexes on two sequence words in the header, not
 * process-shared semaphores.  A semaphore counts posts, so a writer that
 * moves head a thousand times while the reader sleeps leaves a thousand
 * posts to consume, or needs the same "is anyone waiting" flag a futex
 * needs anyway to skip the post; a sequence word coalesces them: each
 * side bumps its word after moving its counter and calls FUTEX_WAKE only
 * when the other side said it sleeps.  Measured on 1 GiB file to file
 * through a 1 MiB ring (bench/ring.sh prints the counts): about 2,050
 * futex calls a side, against the sender's 2,052 reads and the
 * receiver's 1,026 writes: one wait or wake per chunk of up to 1 MiB,
 * never one per byte or per message.  Semaphores would also put
 * glibc's sem_t layout into the documented header, and a C peer would
 * need sem_init on memory it did not make.
 *
 * Copies: the writer read(2)s from its input straight into the ring and
 * the reader write(2)s straight from it, one copy each side; a fifo
 * between two cats makes four.  The kernel's copy into or out of the
 * mapping faults (EFAULT) rather than raising SIGBUS when another process
 * shrinks the object; our own loads of the header are guarded by a
 * SIGBUS handler.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "ring.h"
#include "shm.h"
#include "trace.h"
#include "trace_ring.h"

#define RING_MAGIC 0x31474e5242435049ULL /* "IPCBRNG1" little-endian */
#define RING_VERSION 1u
#define F_EOF 1u

struct ring_hdr {
	uint64_t magic; /* 0 */
	uint32_t version; /* 8 */
	uint32_t data_off; /* 12 */
	uint64_t cap; /* 16 */
	uint64_t flags; /* 24 */
	uint64_t writer; /* 32 */
	uint64_t reader; /* 40 */
	uint64_t pad0[2]; /* 48 */
	uint64_t head; /* 64 */
	uint32_t wseq; /* 72 */
	uint32_t rwaiting; /* 76 */
	uint64_t pad1[6]; /* 80 */
	uint64_t tail; /* 128 */
	uint32_t rseq; /* 136 */
	uint32_t wwaiting; /* 140 */
};

_Static_assert(sizeof(struct ring_hdr) == 144, "ring header layout");

/* A header whose head and tail are further apart than the capacity (the
 * writer is never more than cap ahead): written by someone else. */
static const char corrupt[] = "the ring's header is corrupt (head and tail "
			      "further apart than its capacity)";

/* The longest a side sleeps before it looks whether the other lives. */
#define POLL_NS 250000000L

#define LOAD(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

static sigjmp_buf bus_jmp;
static volatile sig_atomic_t bus_armed;

static void
on_sigbus(int sig)
{
	(void)sig;
	if (bus_armed)
		siglongjmp(bus_jmp, 1);
	signal(SIGBUS, SIG_DFL);
	raise(SIGBUS);
}

/* This process's owner word. */
static uint64_t
owner_word(void)
{
	uint64_t start = 0;
	pid_t pid = getpid();

	(void)proc_starttime(pid, &start);
	return (uint64_t)(uint32_t)pid | (start & 0xffffffffu) << 32;
}

static pid_t
word_pid(uint64_t w)
{
	return (pid_t)(uint32_t)w;
}

/* The process of an owner word runs (the same one: its start time). */
static int
word_alive(uint64_t w)
{
	uint64_t start;

	if (w == 0)
		return 0;
	if (proc_starttime(word_pid(w), &start) != 0)
		return 0;
	return (start & 0xffffffffu) == w >> 32;
}

/* Claim a slot: free, or left by a dead process.  0, or -1 with the
 * live holder's word in *other. */
static int
claim(uint64_t *slot, uint64_t me, uint64_t *other, int *took_dead)
{
	uint64_t w = LOAD(slot);

	*took_dead = 0;
	for (;;) {
		if (w != 0 && word_alive(w)) {
			*other = w;
			return -1;
		}
		if (__atomic_compare_exchange_n(slot, &w, me, 0,
			__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			*took_dead = w != 0;
			return 0;
		}
	}
}

static void
release(uint64_t *slot, uint64_t me)
{
	uint64_t w = me;

	__atomic_compare_exchange_n(slot, &w, 0, 0, __ATOMIC_ACQ_REL,
	    __ATOMIC_ACQUIRE);
}

static void
ring_init(struct ring *r)
{
	struct ring_hdr *h = r->h;

	h->version = RING_VERSION;
	h->data_off = RING_HDR;
	h->cap = r->cap;
	STORE(&h->magic, RING_MAGIC);
}

static int
map(struct ring *r, const char **why)
{
	if (r->o.size < RING_HDR + RING_MIN) {
		*why = "too small for a ring (a 4 KiB header and 4 KiB of "
		       "data at least)";
		errno = EINVAL;
		return -1;
	}
	if (r->o.size > SIZE_MAX) {
		errno = EFBIG;
		return -1;
	}
	r->maplen = (size_t)r->o.size;
	if (r->o.fd >= 0) {
		r->map = t_mmap_shared(r->o.fd, r->maplen);
		if (r->map == (void *)-1) {
			r->map = NULL;
			return -1;
		}
		r->h = r->map;
	} else
		r->h = r->o.mem;
	r->data = (unsigned char *)r->h + RING_HDR;
	return 0;
}

int
ring_attach(struct ring *r, void *mem, size_t maplen, const char **why)
{
	struct ring_hdr *h = mem;
	uint64_t cap;

	/* Each field read once: another process may write them meanwhile. */
	if (maplen < RING_HDR + RING_MIN || LOAD(&h->magic) != RING_MAGIC ||
	    LOAD(&h->version) != RING_VERSION ||
	    LOAD(&h->data_off) != RING_HDR ||
	    (cap = LOAD(&h->cap)) < RING_MIN || cap > maplen - RING_HDR) {
		*why = "not a ring (no ipcbox ring header: 'shmctl create OBJ "
		       "SIZE --ring' makes one)";
		errno = EINVAL;
		return -1;
	}
	r->h = h;
	r->data = (unsigned char *)mem + RING_HDR;
	r->cap = cap;
	return 0;
}

/* An existing object: a ring, made by us or another, once its maker has
 * written the header (wait up to a second for that). */
static int
check_ring(struct ring *r, const char **why)
{
	struct timespec ts = { 0, 10000000 };
	int i;

	for (i = 0; i < 100; i++) {
		if (shm_refresh(&r->o) != 0)
			return -1;
		if (r->o.size >= RING_HDR + RING_MIN && r->h == NULL &&
		    map(r, why) != 0)
			return -1;
		if (r->h != NULL && LOAD(&r->h->magic) != 0)
			break;
		nanosleep(&ts, NULL);
	}
	return ring_attach(r, r->h, r->h != NULL ? r->maplen : 0, why);
}

int
ring_open(struct ring *r, const struct addr *a, uint64_t cap, mode_t mode,
    int how, const char **why)
{
	struct sigaction sa;
	int created = 0, tries;

	memset(r, 0, sizeof(*r));
	r->o.fd = -1;
	r->me = owner_word();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	for (tries = 0; tries < 3; tries++) {
		if (how != RING_MAKE && shm_open_obj(&r->o, a, 1, why) == 0)
			break;
		/* how 0 (an id:): nothing to make. */
		if (how == 0 || (how == RING_MAKE_OK && errno != ENOENT))
			return -1;
		*why = NULL;
		if (shm_create(&r->o, a, RING_HDR + cap, mode, 0, &created,
			why) == 0)
			break;
		/* Made by the other side meanwhile: open it. */
		if (errno != EEXIST || how == RING_MAKE)
			return -1;
		*why = NULL;
	}
	if (tries == 3)
		return -1;
	r->created = created;
	if (created && addr_is_sysv(a)) { /* attach it */
		shm_close(&r->o);
		if (shm_open_obj(&r->o, a, 1, why) != 0)
			return -1;
	}
	if (created) {
		r->cap = cap;
		/* Every page of a ring is written: take them now, so that a
		 * full /dev/shm is ENOSPC here, not SIGBUS in the header or
		 * EFAULT in the first read(2) into the data. */
		if (r->o.fd >= 0 &&
		    t_fallocate(r->o.fd, 0, (off_t)r->o.size) != 0) {
			int e = errno;

			shm_close(&r->o);
			(void)shm_remove(a, why);
			*why = NULL;
			errno = e;
			return -1;
		}
		if (map(r, why) != 0)
			return -1;
		ring_init(r);
		return 0;
	}
	return check_ring(r, why);
}

void
ring_close(struct ring *r)
{
	if (r->map != NULL)
		t_munmap(r->map, r->maplen);
	r->map = NULL;
	r->h = NULL;
	shm_close(&r->o);
}

static int
ts_le(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec);
}

/* How long to sleep: the poll interval, or less when the stall bound
 * (deadline) comes first.  0 when it has passed. */
static int
sleep_for(const struct timespec *deadline, struct timespec *rel)
{
	struct timespec now;
	long long ns;

	rel->tv_sec = 0;
	rel->tv_nsec = POLL_NS;
	if (deadline == NULL)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (ts_le(deadline, &now))
		return 0;
	ns = (long long)(deadline->tv_sec - now.tv_sec) * 1000000000LL +
	    (deadline->tv_nsec - now.tv_nsec);
	if (ns < POLL_NS)
		rel->tv_nsec = (long)ns;
	return 1;
}

static void
deadline_from(const struct timespec *stall, struct timespec *d)
{
	clock_gettime(CLOCK_MONOTONIC, d);
	d->tv_sec += stall->tv_sec;
	d->tv_nsec += stall->tv_nsec;
	if (d->tv_nsec >= 1000000000L) {
		d->tv_sec++;
		d->tv_nsec -= 1000000000L;
	}
}

/* Sleep on seq while cond says to; flag tells the other side.  1 when
 * woken or the poll interval passed, 0 when the stall bound passed. */
static int
nap(uint32_t *seq, uint32_t *flag, uint32_t was,
    const struct timespec *deadline, struct ring_stats *st)
{
	struct timespec rel;

	if (!sleep_for(deadline, &rel))
		return 0;
	st->waits++;
	(void)t_futex_wait(seq, was, &rel);
	__atomic_store_n(flag, 0, __ATOMIC_SEQ_CST);
	return 1;
}

static void
bump(uint32_t *seq, uint32_t *waiting, struct ring_stats *st)
{
	__atomic_add_fetch(seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(waiting, __ATOMIC_SEQ_CST)) {
		st->wakes++;
		(void)t_futex_wake(seq);
	}
}

static uint64_t
min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The other side: the first live word seen is the one we pair with
 * (r->peer, which may also start as a dead word left behind).  1 it runs
 * (or none came yet), 0 it died or another took its place. */
static int
peer_ok(struct ring *r, uint64_t *slot, struct ring_stats *st)
{
	uint64_t w = LOAD(slot);

	if (r->peer == 0) {
		if (w != 0 && word_alive(w))
			r->peer = w;
		return 1;
	}
	if (w == r->peer && word_alive(w))
		return 1;
	st->peer = word_pid(r->peer);
	return 0;
}

static int
send_loop(struct ring *r, int in, const struct timespec *stall,
    struct ring_stats *st, const char **why)
{
	struct ring_hdr *h = r->h;
	struct timespec deadline, *dl = NULL;
	uint64_t other, head, tail, off, n;
	int took_dead, rc = -1;
	ssize_t got;

	if (claim(&h->writer, r->me, &other, &took_dead) != 0) {
		static char buf[96];

		snprintf(buf, sizeof(buf), "another send is running (pid %d)",
		    (int)word_pid(other));
		*why = buf;
		errno = EBUSY;
		goto out;
	}
	if (stall != NULL)
		deadline_from(stall, &deadline), dl = &deadline;
	/* The stream before ours: wait until it is read, or, when its
	 * writer died, drop what it left once no reader reads it. */
	for (;;) {
		uint32_t seq = LOAD(&h->rseq);
		uint64_t rd = LOAD(&h->reader);
		int reader_live = word_alive(rd);

		if (!(LOAD(&h->flags) & F_EOF) &&
		    (!took_dead || LOAD(&h->head) == LOAD(&h->tail)))
			break;
		if (took_dead && !(LOAD(&h->flags) & F_EOF) && !reader_live) {
			int t;

			if (claim(&h->reader, r->me, &other, &t) == 0) {
				STORE(&h->tail, LOAD(&h->head));
				release(&h->reader, r->me);
				break;
			}
			continue;
		}
		__atomic_store_n(&h->wwaiting, 1, __ATOMIC_SEQ_CST);
		if (!nap(&h->rseq, &h->wwaiting, seq, dl, st)) {
			rc = RING_TIMEDOUT;
			*why = "timed out waiting for the stream before ours "
			       "to be read";
			goto done;
		}
	}
	r->peer = 0;
	for (;;) {
		head = h->head; /* ours */
		tail = LOAD(&h->tail);
		if (head - tail > r->cap) { /* as recv_loop says */
			*why = corrupt;
			errno = EPROTO;
			goto done;
		}
		if (head - tail == r->cap) { /* full */
			uint32_t seq = LOAD(&h->rseq);

			__atomic_store_n(&h->wwaiting, 1, __ATOMIC_SEQ_CST);
			if (head - LOAD(&h->tail) < r->cap) {
				__atomic_store_n(&h->wwaiting, 0,
				    __ATOMIC_SEQ_CST);
				continue;
			}
			if (!peer_ok(r, &h->reader, st)) {
				*why = "the receiver died before the end of "
				       "the stream";
				errno = EPIPE;
				goto done;
			}
			if (!nap(&h->rseq, &h->wwaiting, seq, dl, st)) {
				rc = RING_TIMEDOUT;
				*why = "timed out: the ring stayed full";
				goto done;
			}
			continue;
		}
		off = head % r->cap;
		n = min64(r->cap - (head - tail), r->cap - off);
		got = read(in, r->data + off, (size_t)min64(n, SSIZE_MAX));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			goto done;
		if (got == 0)
			break;
		STORE(&h->head, head + (uint64_t)got);
		st->bytes += (uint64_t)got;
		bump(&h->wseq, &h->rwaiting, st);
		if (dl != NULL)
			deadline_from(stall, &deadline);
	}
	__atomic_or_fetch(&h->flags, F_EOF, __ATOMIC_ACQ_REL);
	bump(&h->wseq, &h->rwaiting, st);
	rc = 0;
done:
	release(&h->writer, r->me);
out:
	return rc;
}

static int
recv_loop(struct ring *r, int out, const struct timespec *stall,
    struct ring_stats *st, const char **why)
{
	struct ring_hdr *h = r->h;
	struct timespec deadline, *dl = NULL;
	uint64_t other, head, tail, off, n;
	int took_dead, rc = -1;
	ssize_t put;

	if (claim(&h->reader, r->me, &other, &took_dead) != 0) {
		static char buf[96];

		snprintf(buf, sizeof(buf), "another recv is running (pid %d)",
		    (int)word_pid(other));
		*why = buf;
		errno = EBUSY;
		goto out;
	}
	if (stall != NULL)
		deadline_from(stall, &deadline), dl = &deadline;
	/* A writer word left by a process that died mid-stream, with bytes
	 * of its stream unread: they are read, then the stream ends in an
	 * error.  With nothing unread, the next writer is waited for. */
	other = LOAD(&h->writer);
	r->peer = other != 0 && (word_alive(other) || LOAD(&h->head) != h->tail)
	    ? other
	    : 0;
	for (;;) {
		tail = h->tail; /* ours */
		head = LOAD(&h->head);
		if (head == tail) {
			uint32_t seq = LOAD(&h->wseq);

			if (LOAD(&h->flags) & F_EOF) {
				if (LOAD(&h->head) != tail)
					continue;
				/* The end: let the next writer in. */
				__atomic_and_fetch(&h->flags, ~(uint64_t)F_EOF,
				    __ATOMIC_ACQ_REL);
				bump(&h->rseq, &h->wwaiting, st);
				rc = 0;
				goto done;
			}
			__atomic_store_n(&h->rwaiting, 1, __ATOMIC_SEQ_CST);
			if (LOAD(&h->head) != tail ||
			    (LOAD(&h->flags) & F_EOF)) {
				__atomic_store_n(&h->rwaiting, 0,
				    __ATOMIC_SEQ_CST);
				continue;
			}
			if (!peer_ok(r, &h->writer, st)) {
				/* It may have ended the stream and left. */
				if (LOAD(&h->head) != tail ||
				    (LOAD(&h->flags) & F_EOF))
					continue;
				*why = "the sender died before the end of the "
				       "stream";
				errno = EPIPE;
				goto done;
			}
			if (!nap(&h->wseq, &h->rwaiting, seq, dl, st)) {
				rc = RING_TIMEDOUT;
				*why = "timed out waiting for data";
				goto done;
			}
			continue;
		}
		/* Reading on would copy stale bytes for as long as the
		 * header claims: 2^64, when tail is past head. */
		if (head - tail > r->cap) {
			*why = corrupt;
			errno = EPROTO;
			goto done;
		}
		off = tail % r->cap;
		n = min64(head - tail, r->cap - off);
		put = write(out, r->data + off, (size_t)min64(n, SSIZE_MAX));
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0) {
			if (put == 0)
				errno = EIO;
			goto done;
		}
		STORE(&h->tail, tail + (uint64_t)put);
		st->bytes += (uint64_t)put;
		bump(&h->rseq, &h->wwaiting, st);
		if (dl != NULL)
			deadline_from(stall, &deadline);
	}
done:
	release(&h->reader, r->me);
out:
	return rc;
}

/* Run a loop with SIGBUS turned into an error: the object shrank. */
static int
guarded(int (*loop)(struct ring *, int, const struct timespec *,
	    struct ring_stats *, const char **),
    struct ring *r, int fd, const struct timespec *stall, struct ring_stats *st,
    const char **why)
{
	int rc;

	memset(st, 0, sizeof(*st));
	if (sigsetjmp(bus_jmp, 1) != 0) {
		bus_armed = 0;
		*why = "the object shrank under the ring (truncated by another "
		       "process)";
		errno = EFAULT;
		return -1;
	}
	bus_armed = 1;
	rc = loop(r, fd, stall, st, why);
	bus_armed = 0;
	return rc;
}

int
ring_send(struct ring *r, int in, const struct timespec *stall,
    struct ring_stats *st, const char **why)
{
	return guarded(send_loop, r, in, stall, st, why);
}

int
ring_recv(struct ring *r, int out, const struct timespec *stall,
    struct ring_stats *st, const char **why)
{
	return guarded(recv_loop, r, out, stall, st, why);
}
