/* trace: traced system-call wrappers. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>
#define LIBBSD_NETBSD_VIS 1 /* strnvisx(dst, dlen, src, len, flags) */
#include <vis.h>

#include "fmt.h"
#include "parse.h"
#include "trace.h"

int trace_on;

void
trace_from_env(void)
{
	const char *e = getenv("IPCBOX_TRACE");

	if (e != NULL && *e != '\0' && strcmp(e, "0") != 0)
		trace_on = 1;
}

void
trace_emit(const char *call, long ret, int err, int ptr)
{
	char line[1024];
	int n;

	if (ret == -1 && err != 0)
		n = snprintf(line, sizeof(line), "%s = -1 %s (%s)\n", call,
		    strerrorname_np(err) ? strerrorname_np(err) : "E?",
		    strerror(err));
	else if (ptr)
		n = snprintf(line, sizeof(line), "%s = %#lx\n", call, ret);
	else
		n = snprintf(line, sizeof(line), "%s = %ld\n", call, ret);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1, line[n - 1] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

void
trace_note(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	if (!trace_on)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

/* A C string literal for a name or a data preview ("hello\n"...). */
const char *
trace_quote(char *buf, size_t len, const void *p, size_t n)
{
	size_t max = n > 32 ? 32 : n;
	char v[32 * 4 + 1];

	/* The names' escaping, with quotes escaped too. */
	fmt_visx(v, sizeof(v), p, max, VIS_DQ);
	snprintf(buf, len, "\"%s\"%s", v, n > max ? "..." : "");
	return buf;
}

const char *
trace_qstr(char *buf, size_t len, const char *s)
{
	return trace_quote(buf, len, s, strlen(s));
}

const char *
trace_open_flags(char *buf, size_t len, int f)
{
	static const struct {
		int flag;
		const char *name;
	} fl[] = {
		{ O_CREAT, "O_CREAT" },
		{ O_EXCL, "O_EXCL" },
		{ O_TRUNC, "O_TRUNC" },
		{ O_APPEND, "O_APPEND" },
		{ O_NOFOLLOW, "O_NOFOLLOW" },
		{ O_CLOEXEC, "O_CLOEXEC" },
		{ O_NONBLOCK, "O_NONBLOCK" },
	};
	size_t i;
	int acc = f & O_ACCMODE;

	snprintf(buf, len, "%s",
	    acc == O_RDWR	  ? "O_RDWR"
		: acc == O_WRONLY ? "O_WRONLY"
				  : "O_RDONLY");
	for (i = 0; i < sizeof(fl) / sizeof(fl[0]); i++)
		if (f & fl[i].flag)
			strlcat(buf, "|", len), strlcat(buf, fl[i].name, len);
	return buf;
}

const char *
trace_ipc_flags(char *buf, size_t len, int f)
{
	buf[0] = '\0';
	if (f & IPC_CREAT)
		strlcat(buf, "IPC_CREAT|", len);
	if (f & IPC_EXCL)
		strlcat(buf, "IPC_EXCL|", len);
	snprintf(buf + strlen(buf), len - strlen(buf), "%04o", f & 0777);
	return buf;
}

const char *
trace_ipc_key(char *buf, size_t len, key_t k)
{
	if (k == IPC_PRIVATE)
		snprintf(buf, len, "IPC_PRIVATE");
	else
		snprintf(buf, len, "%#x", (unsigned)k);
	return buf;
}

const char *
trace_offp(char *buf, size_t len, const off_t *off)
{
	if (off == NULL)
		snprintf(buf, len, "NULL");
	else
		snprintf(buf, len, "[%lld]", (long long)*off);
	return buf;
}
