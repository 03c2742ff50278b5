/* The applets ipcbox dispatches to. */
#ifndef IPCBOX_APPLETS_H
#define IPCBOX_APPLETS_H

int shmctl_main(int argc, char **argv);

#endif
