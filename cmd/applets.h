/* The applets ipcbox dispatches to, each registered once: its struct
 * applet (lib/cli.h) holds its name, summary, verbs and main, and
 * cmd/main.c lists them. */
#ifndef IPCBOX_APPLETS_H
#define IPCBOX_APPLETS_H

#include "cli.h"

extern const struct applet efd_applet, ipcgc_applet, ipcls_applet, memfd_applet,
    semctl_applet, shmctl_applet;
extern const struct applet fdstore_applet;
extern const struct applet mqctl_applet;
extern const struct applet ipcbench_applet;

int efd_main(int argc, char **argv);
int fdstore_main(int argc, char **argv);
int ipcbench_main(int argc, char **argv);
int ipcgc_main(int argc, char **argv);
int ipcls_main(int argc, char **argv);
int memfd_main(int argc, char **argv);
int mqctl_main(int argc, char **argv);
int semctl_main(int argc, char **argv);
int shmctl_main(int argc, char **argv);

#endif
