/* unlink: the unlink verb of the applets whose objects have names or
 * keys (shmctl, semctl), and the undoing of a create nobody saw. */
#ifndef IPCBOX_UNLINK_H
#define IPCBOX_UNLINK_H

#include "addr.h"

/* unlink OBJ... [-f]: parse takes each OBJ (exiting 2 on a bad one)
 * before rm removes any; -f: a missing object is no error.  Returns
 * EXIT_DONE, or EXIT_FAIL when one was not removed (each said why). */
int
unlink_main(int argc, char **argv, void (*parse)(const char *s, struct addr *a),
    int (*rm)(const struct addr *a, const char **why));

/* After a create: print a System V object's new id on stdout; when it
 * cannot be printed (stdout full or closed) and this call made it, rm
 * removes it again, since an object whose id nobody saw is one nobody
 * can find, and a retry would fail with "File exists".  Returns
 * EXIT_DONE: the dispatcher reports the lost stdout. */
int create_report_id(const struct addr *a, int id, int created,
    int (*rm)(const struct addr *a, const char **why));

#endif
