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
  fdstore-client.py SOCKET hangup MESSAGE [NFDS [COUNT]]
      send MESSAGE (with NFDS descriptors of /dev/null) and close the
      connection without reading the answer; COUNT times, on COUNT
      connections one after another
  fdstore-client.py SOCKET flood N
      open N more connections, say nothing on any, print "ready" and hold
      them until standard input ends
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


def send(s, text, nfds):
    msg = text.encode().decode("unicode_escape").encode("latin-1")
    fds = [os.open("/dev/null", os.O_RDONLY) for _ in range(nfds)]
    anc = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))] if fds else []
    s.sendmsg([msg], anc)
    for fd in fds:
        os.close(fd)


def main():
    path, what = sys.argv[1], sys.argv[2]
    if what == "hangup":
        nfds = int(sys.argv[4]) if len(sys.argv) > 4 else 0
        for _ in range(int(sys.argv[5]) if len(sys.argv) > 5 else 1):
            s = connect(path)
            send(s, sys.argv[3], nfds)
            s.close()
        return
    if what == "flood":
        # Blocking connects: they wait while the holder's backlog is full.
        held = []
        for _ in range(int(sys.argv[3])):
            c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            c.connect(path)
            held.append(c)
        print("ready", flush=True)
        sys.stdin.read()
        for c in held:
            c.close()
        return
    s = connect(path)
    if what == "send":
        send(s, sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 0)
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
