/* The applets ipcbox dispatches to. */
#ifndef IPCBOX_APPLETS_H
#define IPCBOX_APPLETS_H

int efd_main(int argc, char **argv);
int ipcgc_main(int argc, char **argv);
int ipcls_main(int argc, char **argv);
int memfd_main(int argc, char **argv);
int semctl_main(int argc, char **argv);
int shmctl_main(int argc, char **argv);

#endif
