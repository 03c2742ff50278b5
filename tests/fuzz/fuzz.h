/* fuzz.h: what the harnesses in tests/fuzz/ share.
 *
 * A harness is one file, NAME.c, defining LLVMFuzzerTestOneInput: it
 * feeds the input to one parser or decoder of lib/ and checks what a
 * caller relies on (bounds, round trips), aborting through FUZZ_CHECK
 * when it does not hold.  `make fuzz` links it with libFuzzer, ASan and
 * UBSan (build-fuzz/fuzz/NAME); `make` links it with driver.c
 * (build/fuzz/NAME FILE...), which tests/fuzz.bats runs on the seeds in
 * tests/fuzz/NAME/ and the regressions in tests/fuzz/regress/NAME/.
 */
#ifndef IPCBOX_FUZZ_H
#define IPCBOX_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
			    __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/* The input as a C string in a buffer of exactly its size + 1 (so that
 * ASan sees a read past its end), cut at its first NUL as argv would. */
static inline char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A copy of the input in a buffer of exactly its size (1 when empty). */
static inline void *
fuzz_copy(const uint8_t *data, size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		abort();
	memcpy(p, data, size);
	return p;
}

#endif
