/* run: commands started as a shell starts them, for `semctl run`, `efd
 * new` and `memfd new`, and the signals that end a wait.  Part of the
 * command-line layer: a command that cannot be started is reported here,
 * with the shell's exit codes (127 not found, 126 cannot run).
 *
 * Two ways to run CMD:
 * - in place (run_exec): CMD becomes this process.  What it holds stays
 *   held for as long as CMD runs and no longer: a descriptor at fd N, a
 *   System V semaphore taken with SEM_UNDO (the kernel keeps semadj
 *   across execve(2) and gives the count back when CMD ends, however it
 *   ends).  Its status is CMD's own.
 * - as a child (run_child): for what must be undone by us when CMD ends
 *   (a POSIX semaphore has no kernel undo).  SIGINT, SIGTERM and SIGHUP
 *   sent to us are passed on to CMD.
 */
#ifndef IPCBOX_RUN_H
#define IPCBOX_RUN_H

#include <signal.h>
#include <stdnoreturn.h>

/* The first of SIGINT, SIGTERM and SIGHUP caught while no command ran. */
extern volatile sig_atomic_t run_signal;

/* Catch SIGINT, SIGTERM and SIGHUP (those not ignored) without
 * SA_RESTART, so that a blocking call returns EINTR and run_signal says
 * which; while run_child's CMD runs they are passed on to it instead. */
void run_catch_signals(void);

/* End as sig would have ended us (its default action), else 128+sig. */
noreturn void run_die_of_signal(int sig);

/* Exec cmd with the signals we caught back to what they were.  When it
 * cannot be run: the message and exit 127 or 126.  If a caught signal
 * came first, end by it instead: nothing is started. */
noreturn void run_exec(char **cmd);

/* fd at target (dup2, or its close-on-exec flag cleared), then run_exec. */
noreturn void run_exec_at(int fd, int target, char **cmd);

/* cmd as a child; wait for it.  Its status as a shell reports it: 128+N
 * for signal N, 127 not found, 126 not executable (said on stderr); -1
 * when it could not be started or waited for (said).  A caught signal
 * that came before it started: 128+that signal, and nothing started. */
int run_child(char **cmd);

#endif
