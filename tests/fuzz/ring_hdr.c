/* ring_hdr: what shmctl recv does with a ring header it did not write
 * (lib/ring.c).  The input is the object: its first byte picks its size
 * (a header page and 4 KiB to 36 KiB of data, not always a whole number
 * of pages), the rest is its first bytes (the header, then data).  The
 * object is a heap buffer of exactly that size, so ASan sees any access
 * outside it; ring_attach checks the header, then ring_recv runs to
 * /dev/null with no time to wait: it must end (an error, a timeout or
 * the end of the stream), never crash, hang or read outside. */
#include <fcntl.h>
#include <unistd.h>

#include "fuzz.h"
#include "ring.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int out = -1;
	const struct timespec none = { 0, 0 };
	struct ring_stats st;
	struct ring r;
	const char *why = NULL;
	size_t len;
	void *obj;
	int rc;

	if (size < 1)
		return 0;
	if (out < 0 && (out = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0)
		abort();
	len = RING_HDR + RING_MIN + (size_t)(data[0] >> 3) * 1024 +
	    (data[0] & 7) * 3;
	obj = calloc(1, len);
	if (obj == NULL)
		abort();
	memcpy(obj, data + 1, size - 1 < len ? size - 1 : len);
	memset(&r, 0, sizeof(r));
	r.o.fd = -1;
	r.me = 0xfffffffeu; /* no process's word */
	if (ring_attach(&r, obj, len, &why) != 0) {
		FUZZ_CHECK(why != NULL);
		free(obj);
		return 0;
	}
	FUZZ_CHECK(r.cap >= RING_MIN && r.cap <= len - RING_HDR);
	FUZZ_CHECK(r.data == (unsigned char *)obj + RING_HDR);
	rc = ring_recv(&r, out, &none, &st, &why);
	FUZZ_CHECK(rc == 0 || rc == RING_TIMEDOUT || (rc == -1 && why != NULL));
	free(obj);
	return 0;
}
