#!/usr/bin/env python3
"""A stand-in for systemd's notify socket: binds a datagram socket at PATH (what NOTIFY_SOCKET
names), lets any user send to it, and appends every datagram to LOG, one variable a line
(READY=1, STATUS=..., STOPPING=1, WATCHDOG=1), until killed.

    notify_listener.py PATH LOG
"""
import os
import socket
import sys


def main() -> None:
    path, log = sys.argv[1], sys.argv[2]
    if os.path.exists(path):
        os.unlink(path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    os.chmod(path, 0o666)  # the host runs as the micro-order user
    with open(log, "a", encoding="utf-8") as out:
        out.write("LISTENING\n")
        out.flush()
        while True:
            data = sock.recv(65536)
            for line in data.decode("utf-8", "replace").splitlines():
                out.write(line + "\n")
            out.flush()


if __name__ == "__main__":
    main()
