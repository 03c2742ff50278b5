/* run: commands started as a shell starts them. */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "run.h"
#include "trace.h"
#include "trace_fd.h"

extern char **environ;

static const int caught[] = { SIGINT, SIGTERM, SIGHUP };
#define NCAUGHT (sizeof(caught) / sizeof(caught[0]))

volatile sig_atomic_t run_signal;
static struct sigaction caught_old[NCAUGHT];
static int catching;
static volatile pid_t child; /* run_child's CMD, while it runs */

static void
on_signal(int sig, siginfo_t *si, void *ctx)
{
	int e = errno;

	(void)ctx;
	if (child > 0) {
		/* What the terminal sends its foreground group reached CMD
		 * as well: pass on only what was sent to us. */
		if (si->si_code != SI_KERNEL)
			kill(child, sig);
	} else if (run_signal == 0)
		run_signal = sig;
	errno = e;
}

void
run_catch_signals(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NCAUGHT; i++) {
		sigaction(caught[i], NULL, &caught_old[i]);
		if (caught_old[i].sa_handler != SIG_IGN)
			sigaction(caught[i], &sa, NULL);
	}
	catching = 1;
}

static void
restore_signals(void)
{
	size_t i;

	if (!catching)
		return;
	for (i = 0; i < NCAUGHT; i++)
		sigaction(caught[i], &caught_old[i], NULL);
	catching = 0;
}

static void
block_caught(sigset_t *prev)
{
	sigset_t block;
	size_t i;

	sigemptyset(&block);
	for (i = 0; i < NCAUGHT; i++)
		sigaddset(&block, caught[i]);
	sigprocmask(SIG_BLOCK, &block, prev);
}

noreturn void
run_die_of_signal(int sig)
{
	sigset_t s;

	restore_signals();
	signal(sig, SIG_DFL);
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	raise(sig);
	exit(128 + sig);
}

/* The shell's status for an exec that failed with e, said on stderr. */
static int
cannot_run(const char *cmd, int e)
{
	if (e == ENOENT) {
		msg_warn(cmd, "command not found");
		return 127;
	}
	msg_warn(cmd, "%s", strerror(e));
	return 126;
}

noreturn void
run_exec(char **cmd)
{
	sigset_t prev;
	int e;

	/* A signal caught after the last check of run_signal (the wait
	 * returned) must not be lost: look under the block, then let the
	 * old dispositions take what is pending. */
	block_caught(&prev);
	if (run_signal)
		run_die_of_signal(run_signal);
	restore_signals();
	signal(SIGXFSZ, SIG_DFL); /* main ignores it; CMD gets the default */
	sigprocmask(SIG_SETMASK, &prev, NULL);
	fflush(stdout);
	execvp(cmd[0], cmd);
	e = errno;
	exit(cannot_run(cmd[0], e));
}

noreturn void
run_exec_at(int fd, int target, char **cmd)
{
	if (fd != target) {
		if (t_dup2(fd, target) < 0)
			msg_die_e(EXIT_FAIL, NULL, "dup2 to %d", target);
		t_close(fd);
	} else if (t_clear_cloexec(fd) < 0)
		msg_die_e(EXIT_FAIL, NULL, "fcntl");
	run_exec(cmd);
}

int
run_child(char **cmd)
{
	posix_spawnattr_t at;
	sigset_t prev, dfl;
	pid_t pid, r;
	int st, e;

	/* As in run_exec: a signal that came after the wait is not lost,
	 * and one that comes from here on is passed on to CMD. */
	block_caught(&prev);
	if (run_signal) {
		sigprocmask(SIG_SETMASK, &prev, NULL);
		return 128 + run_signal;
	}
	/* posix_spawn: the child starts with our old signal mask, exec
	 * resets the signals we catch (those ignored stay ignored), and
	 * SIGXFSZ, which main ignores, is CMD's default again. */
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGXFSZ);
	if ((e = posix_spawnattr_init(&at)) != 0 ||
	    (e = posix_spawnattr_setsigmask(&at, &prev)) != 0 ||
	    (e = posix_spawnattr_setsigdefault(&at, &dfl)) != 0 ||
	    (e = posix_spawnattr_setflags(&at,
		 POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)) != 0) {
		sigprocmask(SIG_SETMASK, &prev, NULL);
		errno = e;
		msg_warn_e(cmd[0], "cannot start");
		return -1;
	}
	fflush(stdout);
	e = posix_spawnp(&pid, cmd[0], NULL, &at, cmd, environ);
	posix_spawnattr_destroy(&at);
	if (e != 0) {
		trace_note("posix_spawnp(\"%s\") = -1 (%s)", cmd[0],
		    strerror(e));
		sigprocmask(SIG_SETMASK, &prev, NULL);
		return cannot_run(cmd[0], e);
	}
	trace_note("posix_spawnp(\"%s\") = %d", cmd[0], (int)pid);
	child = pid;
	sigprocmask(SIG_SETMASK, &prev, NULL);
	while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	child = 0;
	if (r < 0) {
		msg_warn_e(cmd[0], "waitpid");
		return -1;
	}
	if (WIFSIGNALED(st)) {
		trace_note("waitpid(%d, [{WIFSIGNALED(s) && WTERMSIG(s) == "
			   "%d}], 0) = %d",
		    (int)pid, WTERMSIG(st), (int)pid);
		return 128 + WTERMSIG(st);
	}
	trace_note("waitpid(%d, [{WIFEXITED(s) && WEXITSTATUS(s) == %d}], 0) "
		   "= %d",
	    (int)pid, WEXITSTATUS(st), (int)pid);
	return WEXITSTATUS(st);
}
