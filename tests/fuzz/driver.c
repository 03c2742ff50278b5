/* driver: a main for a harness without libFuzzer.  Each argument is a
 * file, or a directory whose files are each given to the harness's
 * LLVMFuzzerTestOneInput once; a failed check aborts.  Prints how many
 * inputs ran.  Exit 0, or 1 when a file cannot be read. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL) {
		fprintf(stderr, "driver: %s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((buf = realloc(buf, cap)) == NULL)
				abort();
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		fprintf(stderr, "driver: %s: read error\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	/* An exact copy, so that a read past the input's end is seen. */
	{
		uint8_t *exact = fuzz_copy(buf, len);

		free(buf);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	return 0;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	unsigned long runs = 0;
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		struct dirent *d;
		char **names = NULL, path[4096];
		size_t n = 0, k;
		DIR *dir;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "driver: %s: %s\n", argv[i],
			    strerror(errno));
			rc = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (run_file(argv[i]) != 0)
				rc = 1;
			else
				runs++;
			continue;
		}
		if ((dir = opendir(argv[i])) == NULL) {
			fprintf(stderr, "driver: %s: %s\n", argv[i],
			    strerror(errno));
			rc = 1;
			continue;
		}
		while ((d = readdir(dir)) != NULL) {
			if (d->d_name[0] == '.')
				continue;
			if ((names = realloc(names,
				 (n + 1) * sizeof(*names))) == NULL)
				abort();
			if ((names[n++] = strdup(d->d_name)) == NULL)
				abort();
		}
		closedir(dir);
		qsort(names, n, sizeof(*names), cmp);
		for (k = 0; k < n; k++) {
			snprintf(path, sizeof(path), "%s/%s", argv[i],
			    names[k]);
			if (run_file(path) != 0)
				rc = 1;
			else
				runs++;
			free(names[k]);
		}
		free(names);
	}
	printf("%lu inputs\n", runs);
	return rc;
}
