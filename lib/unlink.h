/* unlink: the unlink verb of the applets whose objects have names or
 * keys (shmctl, semctl). */
#ifndef IPCBOX_UNLINK_H
#define IPCBOX_UNLINK_H

#include "addr.h"

/* unlink OBJ... [-f]: parse takes each OBJ (exiting 2 on a bad one)
 * before rm removes any; -f: a missing object is no error.  Returns
 * EXIT_DONE, or EXIT_FAIL when one was not removed (each said why). */
int
unlink_main(int argc, char **argv, void (*parse)(const char *s, struct addr *a),
    int (*rm)(const struct addr *a, const char **why));

#endif
