#!/usr/bin/env python3
"""A hostile fd store client for tests/fdstore.bats.

  fdstore-client.py SOCKET send MESSAGE [NFDS]
      send MESSAGE (Python escapes: \\x00, \\n) with NFDS descriptors of
      /dev/null in SCM_RIGHTS, print the answer (its text, then
      " +fd" when it carried a descriptor), or EOF when the holder closed
      the connection without one
  fdstore-client.py SOCKET big N
      send a message of N bytes
  fdstore-client.py SOCKET idle SECONDS
      connect, send nothing, print EOF when the holder closes the
      connection (or TIMEOUT after SECONDS)
"""
import array
import os
import socket
import sys


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(5)
    s.connect(path)
    return s


def answer(s):
    try:
        msg, anc, flags, _ = s.recvmsg(65536, socket.CMSG_SPACE(64))
    except (ConnectionResetError, BrokenPipeError):
        return "EOF"
    fds = []
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            a = array.array("i")
            a.frombytes(data[: len(data) - len(data) % a.itemsize])
            fds.extend(a)
    for fd in fds:
        os.close(fd)
    if not msg and not fds:
        return "EOF"
    return msg.decode("ascii", "backslashreplace") + (" +fd" if fds else "")


def main():
    path, what = sys.argv[1], sys.argv[2]
    s = connect(path)
    if what == "send":
        msg = sys.argv[3].encode().decode("unicode_escape").encode("latin-1")
        n = int(sys.argv[4]) if len(sys.argv) > 4 else 0
        fds = [os.open("/dev/null", os.O_RDONLY) for _ in range(n)]
        anc = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))] if fds else []
        s.sendmsg([msg], anc)
        for fd in fds:
            os.close(fd)
        print(answer(s))
    elif what == "big":
        s.sendmsg([b"1 get " + b"x" * int(sys.argv[3])])
        print(answer(s))
    elif what == "idle":
        s.settimeout(float(sys.argv[3]))
        try:
            print(answer(s))
        except socket.timeout:
            print("TIMEOUT")


main()
