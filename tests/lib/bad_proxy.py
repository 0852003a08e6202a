#!/usr/bin/env python3
"""bad_proxy.py — a misbehaving HTTP CONNECT proxy for ssmprobe's tests.

    python3 bad_proxy.py --mode MODE [--listen 127.0.0.1] --port N [--record FILE]

Reads each client's request head (CONNECT ..., at most 64 KiB), appends it
to --record (when given; one block per request, ending in a blank line),
then, by MODE:

  garbage    a complete "head" that is not HTTP ("SSH-2.0-..." and binary
             bytes, ended by CRLF CRLF); the connection stays open
  endless    "HTTP/1.1 200 Connection established" and then header lines
             without end (never the empty line), as fast as the client reads
  hang       nothing at all; the connection stays open
  auth407    407 Proxy Authentication Required with
             Proxy-Authenticate: Basic realm="corp-proxy"; stays open
  close      closes the connection without answering
  status     a well-formed answer with --status N and --reason TEXT
             (e.g. 502 Bad Gateway), Content-Length: 0; stays open

Every connection is bounded (--max-secs, default 30 s; endless also by
--max-bytes, default 64 MiB), so nothing outlives a test even if the
client misbehaves. Python 3 standard library only.
"""
import argparse
import socket
import socketserver
import sys
import threading
import time

HEAD_CAP = 64 * 1024


class Handler(socketserver.BaseRequestHandler):
    def read_head(self):
        data = b""
        self.request.settimeout(self.server.max_secs)
        while b"\r\n\r\n" not in data and len(data) < HEAD_CAP:
            try:
                chunk = self.request.recv(4096)
            except OSError:
                return data
            if not chunk:
                break
            data += chunk
        return data

    def hold(self, deadline):
        """Keep the connection open until the client closes it or the deadline."""
        while time.monotonic() < deadline:
            self.request.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                if not self.request.recv(4096):
                    return
            except socket.timeout:
                return
            except OSError:
                return

    def handle(self):
        srv = self.server
        deadline = time.monotonic() + srv.max_secs
        head = self.read_head()
        if srv.record:
            with srv.lock, open(srv.record, "ab") as f:
                f.write(head.split(b"\r\n\r\n")[0] + b"\r\n\r\n")
        mode = srv.mode
        try:
            if mode == "garbage":
                self.request.sendall(b"SSH-2.0-OpenSSH_9.2\x00\xff\xfe\x01garbage\r\n\r\n")
                self.hold(deadline)
            elif mode == "endless":
                self.request.sendall(b"HTTP/1.1 200 Connection established\r\n")
                sent, i = 0, 0
                self.request.settimeout(2)
                while sent < srv.max_bytes and time.monotonic() < deadline:
                    line = b"X-Filler-%d: %s\r\n" % (i, b"a" * 100)
                    self.request.sendall(line)
                    sent += len(line)
                    i += 1
            elif mode == "hang":
                self.hold(deadline)
            elif mode == "auth407":
                body = b"<html><body>proxy authentication required</body></html>\n"
                self.request.sendall(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                    b"Proxy-Authenticate: Basic realm=\"corp-proxy\"\r\n"
                    b"Content-Type: text/html\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
                self.hold(deadline)
            elif mode == "status":
                self.request.sendall(b"HTTP/1.1 %d %s\r\nContent-Length: 0\r\n\r\n"
                                     % (srv.status, srv.reason.encode()))
                self.hold(deadline)
            elif mode == "close":
                pass
        except OSError:
            pass   # the client went away: fine


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", required=True,
                    choices=["garbage", "endless", "hang", "auth407", "close", "status"])
    ap.add_argument("--status", type=int, default=502)
    ap.add_argument("--reason", default="Bad Gateway")
    ap.add_argument("--listen", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--record", default=None)
    ap.add_argument("--max-secs", type=float, default=30.0)
    ap.add_argument("--max-bytes", type=int, default=64 * 1024 * 1024)
    a = ap.parse_args()
    fam = socket.AF_INET6 if ":" in a.listen else socket.AF_INET
    Server.address_family = fam
    srv = Server((a.listen, a.port), Handler)
    srv.mode, srv.record, srv.lock = a.mode, a.record, threading.Lock()
    srv.max_secs, srv.max_bytes = a.max_secs, a.max_bytes
    srv.status, srv.reason = a.status, a.reason
    print("bad_proxy: mode %s on %s:%d" % (a.mode, a.listen, a.port), flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
