/* semop: semctl op's IDX:DELTA (lib/parse.c parse_semop).  A parsed
 * operation is in range and its text ("%u:%+d") reads back as itself. */
#include "fuzz.h"
#include "parse.h"
#include "sem.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), buf[32];
	const char *why = NULL;
	struct sembuf op, again;

	if (parse_semop(s, &op, &why) == 0) {
		FUZZ_CHECK(op.sem_num < SEMOBJ_NSEMS_MAX);
		FUZZ_CHECK(op.sem_op >= -(int)SEMOBJ_SYSV_MAX &&
		    op.sem_op <= (int)SEMOBJ_SYSV_MAX);
		FUZZ_CHECK(op.sem_flg == 0);
		snprintf(buf, sizeof(buf), "%u:%+d", (unsigned)op.sem_num,
		    (int)op.sem_op);
		FUZZ_CHECK(parse_semop(buf, &again, &why) == 0);
		FUZZ_CHECK(
		    again.sem_num == op.sem_num && again.sem_op == op.sem_op);
	} else
		FUZZ_CHECK(why != NULL && (why[0] == ' ' || why[0] == ':'));
	free(s);
	return 0;
}
