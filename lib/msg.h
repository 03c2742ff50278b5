/* msg: messages and exit codes.
 *
 * Every message is one line on stderr: "APPLET: VERB: OBJECT: reason".
 * The applet and verb are set once by the dispatcher; callers name the
 * object and the reason.
 */
#ifndef IPCBOX_MSG_H
#define IPCBOX_MSG_H

#include <stdarg.h>
#include <stdnoreturn.h>

enum {
	EXIT_DONE = 0, /* done */
	EXIT_FAIL = 1, /* the operation failed */
	EXIT_USAGE = 2, /* bad option, argument, name, size, mode, time */
	EXIT_TIMEOUT = 3, /* timed out or would block */
};

void msg_set_applet(const char *applet);
void msg_set_verb(const char *verb);
const char *msg_applet(void);
const char *msg_verb(void);

/* "APPLET: VERB: OBJ: fmt" (OBJ may be NULL); the _e forms append
 * ": strerror(errno)". */
void msg_warn(const char *obj, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void msg_warn_e(const char *obj, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
noreturn void msg_die(int code, const char *obj, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
noreturn void msg_die_e(int code, const char *obj, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void msg_vwarn(const char *obj, int errnum, const char *fmt, va_list ap);
/* What a lib call that failed gave as why (its reason), or, when it gave
 * NULL, strerror(errno); msg_fail exits 1. */
void msg_warn_why(const char *obj, const char *why);
noreturn void msg_fail(const char *obj, const char *why);

/* The exit code for a failed system call: 1, or 3 for EAGAIN/ETIMEDOUT. */
int msg_errno_code(int errnum);

/* Flush stdout and fail with exit 1 if anything written to it was lost
 * (stdout on /dev/full).  Called by the dispatcher on every normal exit. */
int msg_close_stdout(int code);

/* Allocation that cannot fail (exit 1 with a message). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
int xasprintf(char **out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
