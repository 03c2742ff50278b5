/* trace_shm: the shared-memory wrappers that work on a POSIX object by its
 * path in /dev/shm rather than through a descriptor (lib/trace.h declares
 * the others).  They need no permission on the object itself, only search
 * permission on the directory, so its owner can stat it and chmod it
 * whatever its mode, as stat(1) and chmod(1) can:
 *
 *   fstatat(AT_FDCWD, "/dev/shm/demo", {st_mode=0000, st_size=4096, ...}, AT_SYMLINK_NOFOLLOW) = 0
 *   fchmodat(AT_FDCWD, "/dev/shm/demo", 0600, AT_SYMLINK_NOFOLLOW) = 0
 *
 * Every wrapper keeps the errno of the call it wraps.
 */
#ifndef IPCBOX_TRACE_SHM_H
#define IPCBOX_TRACE_SHM_H

#include <sys/stat.h>
#include <sys/types.h>

int t_fstatat(int dir, const char *path, struct stat *st, int flags);
int t_fchmodat(int dir, const char *path, mode_t mode, int flags);

#endif
