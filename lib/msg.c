/* msg: messages and exit codes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "msg.h"
#include "parse.h"

static const char *applet = "ipcbox";
static const char *verb;

void
msg_set_applet(const char *a)
{
	applet = a;
}

void
msg_set_verb(const char *v)
{
	verb = v;
}

const char *
msg_applet(void)
{
	return applet;
}

const char *
msg_verb(void)
{
	return verb;
}

void
msg_vwarn(const char *obj, int errnum, const char *fmt, va_list ap)
{
	char buf[1024], name[FMT_VIS_LEN];
	size_t n = 0;

	/* Build the line first so that it reaches stderr in one write. */
	n += snprintf(buf + n, sizeof(buf) - n, "%s: ", applet);
	if (verb != NULL && n < sizeof(buf))
		n += snprintf(buf + n, sizeof(buf) - n, "%s: ", verb);
	if (obj != NULL && n < sizeof(buf))
		n += snprintf(buf + n, sizeof(buf) - n,
		    "%s: ", fmt_vis(name, sizeof(name), obj));
	if (n < sizeof(buf)) {
		size_t m = vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);

		/* An empty reason means strerror alone. */
		if (errnum != 0 && m == 0 && n >= 2)
			n -= 2;
		n += m;
	}
	if (errnum != 0 && n < sizeof(buf))
		n += snprintf(buf + n, sizeof(buf) - n, ": %s",
		    strerror(errnum));
	if (n >= sizeof(buf) - 1)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	fflush(stdout);
	(void)!write(STDERR_FILENO, buf, n);
}

void
msg_warn(const char *obj, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vwarn(obj, 0, fmt, ap);
	va_end(ap);
}

void
msg_warn_e(const char *obj, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	msg_vwarn(obj, e, fmt, ap);
	va_end(ap);
}

void
msg_die(int code, const char *obj, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vwarn(obj, 0, fmt, ap);
	va_end(ap);
	exit(code);
}

void
msg_die_e(int code, const char *obj, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	msg_vwarn(obj, e, fmt, ap);
	va_end(ap);
	exit(code);
}

void
msg_warn_why(const char *obj, const char *why)
{
	if (why != NULL)
		msg_warn(obj, "%s", why);
	else
		msg_warn_e(obj, "%s", "");
}

void
msg_fail(const char *obj, const char *why)
{
	msg_warn_why(obj, why);
	exit(EXIT_FAIL);
}

int
msg_errno_code(int errnum)
{
	return errnum == EAGAIN || errnum == ETIMEDOUT ? EXIT_TIMEOUT
						       : EXIT_FAIL;
}

int
msg_close_stdout(int code)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		int e = errno;

		verb = NULL;
		errno = e;
		msg_warn_e("stdout", "write error");
		return code == EXIT_DONE ? EXIT_FAIL : code;
	}
	return code;
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		msg_die_e(EXIT_FAIL, NULL, "malloc");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		msg_die_e(EXIT_FAIL, NULL, "calloc");
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	p = reallocarray(p, n ? n : 1, size ? size : 1);
	if (p == NULL)
		msg_die_e(EXIT_FAIL, NULL, "realloc");
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		msg_die_e(EXIT_FAIL, NULL, "strdup");
	return p;
}

int
xasprintf(char **out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(out, fmt, ap);
	va_end(ap);
	if (n < 0)
		msg_die_e(EXIT_FAIL, NULL, "vasprintf");
	return n;
}
