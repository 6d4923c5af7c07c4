"""Exits 0 once 127.0.0.1:PORT accepts a connection; 1 after SECONDS (default 60).
Usage: python scripts/wait-for-port.py PORT WHAT [SECONDS]"""
import socket
import sys
import time

port, what = int(sys.argv[1]), sys.argv[2]
deadline = time.monotonic() + (float(sys.argv[3]) if len(sys.argv) > 3 else 60)
while True:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(f"{what} did not answer on 127.0.0.1:{port} in time")
        time.sleep(0.2)
