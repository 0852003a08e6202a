#!/usr/bin/env python3
"""tests/lib/hostile.py — hostile peers for ssmprobe's integration tests.

Python 3 standard library only; loopback only; one process per server,
stopped by PID (tests/lib/common.sh start_bg). Every server prints
"ready PORT" on stdout once it listens (port 0 picks a free port).

    hostile.py MODE --port P [--addr 127.0.0.1] [options]

TLS modes (a TCP listener; certificate from --cert/--key, e.g. the test
PKI's multi.chain.pem / multi.key):
  tls-ok          a normal TLS server answering like AWS (404 +
                  x-amzn-RequestId + <UnknownOperationException/>); with a
                  --cert holding a huge or long chain this is the
                  "100 KB chain" / "50 certificates" peer
  tls-garbage     reads the ClientHello, answers with --garbage bytes
                  (default: 4 KB of pseudo-random bytes) and closes
  tls-dribble     a real handshake whose server flight is sent one byte
                  every --interval seconds (default 0.1): slowloris
  tls-hang        accepts and never sends a byte (holds the socket)
  http-file       TLS; after the request head, sends the bytes of --file
                  (re-read for every connection, so a test can change it
                  between runs) and closes
  http-endless    TLS; a status line, then header lines forever
  http-bigline    TLS; a status line, then one --size byte header line
                  (default 1 MB), then the rest of an AWS answer

  tcp-blackhole   (plain TCP) a listener whose accept queue is full: SYNs
                  are dropped, connects hang (use --addr 0.0.0.0 to cover
                  all of 127.0.0.0/8)

Proxy modes (plain TCP, an HTTP proxy's CONNECT reply):
  proxy-file      after the CONNECT head, sends --file's bytes and closes
  proxy-endless   a 200 status line then header lines forever

DNS mode (UDP):
  dns --kind K    answers every query per K:
    truncated     over UDP the TC bit and no answer; over TCP (c-ares
                  retries there) a good answer
    tcpcut        over UDP TC, over TCP an answer cut short
    tcpclose      over UDP TC, over TCP one answer then close (the
                  other pipelined queries of the connection get none)
    cut           a correct answer cut in the middle of its A record
    garbage       random bytes after a copy of the query ID
    short         a 5-byte datagram
    empty         a zero-byte datagram
    ptrloop       an answer whose owner name is a compression pointer to
                  itself
    huge          --count A (or AAAA) records (default 3000, ~50 KB; at
                  most what fits in 65000 bytes); c-ares takes > 512 bytes
                  over TCP
    cnamechain    --count CNAMEs (default 40) then one A record
    cnameloop     a -> b -> a CNAMEs, no address
    badcount      ANCOUNT 65535 with one record present
    wrongid       a correct answer with another ID (ignored: timeout)
    ctrl          a CNAME whose target labels hold control characters,
                  ESC, NUL, '.', '\\' and bytes >= 0x80
"""
import argparse
import os
import random
import select
import socket
import ssl
import struct
import sys
import threading
import time

AWS_BODY = b"<UnknownOperationException/>\n"


def aws_answer():
    return (b"HTTP/1.1 404 Not Found\r\n"
            b"Date: " + time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime()).encode() + b"\r\n"
            b"Server: Server\r\n"
            b"x-amzn-RequestId: 0123456789abcdef0123456789abcdef\r\n"
            b"Content-Type: application/x-amz-json-1.1\r\n"
            b"Content-Length: " + str(len(AWS_BODY)).encode() + b"\r\n"
            b"Connection: close\r\n\r\n" + AWS_BODY)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def read_head(conn, limit=65536, timeout=10.0):
    """Read until the blank line ending a request head (or EOF/limit)."""
    conn.settimeout(timeout)
    buf = b""
    try:
        while b"\r\n\r\n" not in buf and b"\n\n" not in buf and len(buf) < limit:
            d = conn.recv(4096)
            if not d:
                break
            buf += d
    except (OSError, ssl.SSLError):
        pass
    return buf


def send_all(conn, data):
    try:
        conn.sendall(data)
    except (OSError, ssl.SSLError):
        pass


def close(conn):
    try:
        conn.close()
    except OSError:
        pass


def tcp_listener(addr, port):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(64)
    return s


def serve_tcp(args, handler):
    s = tcp_listener(args.addr, args.port)
    print("ready", s.getsockname()[1], flush=True)
    while True:
        conn, peer = s.accept()
        t = threading.Thread(target=handler, args=(conn, args), daemon=True)
        t.start()


def server_ctx(args):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    return ctx


# ---------------- TLS handlers ----------------

def h_tls_ok(conn, args):
    try:
        tls = args.ctx.wrap_socket(conn, server_side=True)
    except (OSError, ssl.SSLError) as e:
        log("handshake failed:", e)
        close(conn)
        return
    read_head(tls)
    send_all(tls, aws_answer())
    close(tls)


def h_tls_garbage(conn, args):
    read_head(conn, limit=1, timeout=5)       # the first bytes of the ClientHello
    if args.garbage is not None:
        data = args.garbage.encode("latin-1").decode("unicode_escape").encode("latin-1")
    else:
        rnd = random.Random(42)
        data = bytes(rnd.randrange(256) for _ in range(4096))
    send_all(conn, data)
    time.sleep(0.2)
    close(conn)


def h_tls_dribble(conn, args):
    inb, outb = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = args.ctx.wrap_bio(inb, outb, server_side=True)
    pending = b""
    conn.setblocking(False)
    deadline = time.monotonic() + 120
    done = False
    try:
        while time.monotonic() < deadline:
            r, _, _ = select.select([conn], [], [], args.interval)
            if r:
                d = conn.recv(65536)
                if not d:
                    break
                inb.write(d)
            if not done:
                try:
                    obj.do_handshake()
                    done = True
                except ssl.SSLWantReadError:
                    pass
                except ssl.SSLError as e:
                    log("dribble handshake error:", e)
                    break
            pending += outb.read()
            if pending:
                conn.send(pending[:1])
                pending = pending[1:]
    except OSError:
        pass
    close(conn)


def h_tls_hang(conn, args):
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass
    close(conn)


def h_http_file(conn, args):
    try:
        tls = args.ctx.wrap_socket(conn, server_side=True)
    except (OSError, ssl.SSLError) as e:
        log("handshake failed:", e)
        close(conn)
        return
    read_head(tls)
    with open(args.file, "rb") as f:
        data = f.read()
    send_all(tls, data)
    time.sleep(0.1)
    close(tls)


def endless(conn, status):
    send_all(conn, status)
    i = 0
    try:
        conn.settimeout(30)
        while True:
            conn.sendall(b"".join(b"X-Endless-%d: %s\r\n" % (i + k, b"v" * 40) for k in range(64)))
            i += 64
    except (OSError, ssl.SSLError):
        pass
    close(conn)


def h_http_endless(conn, args):
    try:
        tls = args.ctx.wrap_socket(conn, server_side=True)
    except (OSError, ssl.SSLError):
        close(conn)
        return
    read_head(tls)
    endless(tls, b"HTTP/1.1 200 OK\r\n")


def h_http_bigline(conn, args):
    try:
        tls = args.ctx.wrap_socket(conn, server_side=True)
    except (OSError, ssl.SSLError):
        close(conn)
        return
    read_head(tls)
    send_all(tls, b"HTTP/1.1 404 Not Found\r\nX-Big: " + b"A" * args.size + b"\r\n"
             b"x-amzn-RequestId: 0123\r\n\r\n" + AWS_BODY)
    time.sleep(0.1)
    close(tls)


def h_proxy_file(conn, args):
    read_head(conn)
    with open(args.file, "rb") as f:
        data = f.read()
    send_all(conn, data)
    time.sleep(0.1)
    close(conn)


def h_proxy_endless(conn, args):
    read_head(conn)
    endless(conn, b"HTTP/1.1 200 Connection established\r\n")


# ---------------- DNS ----------------

def dname(n):
    out = b""
    for label in n.split(b"."):
        if label:
            out += bytes([len(label)]) + label
    return out + b"\0"


def rr(owner, rtype, ttl, rdata):
    return owner + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata


def parse_query(q):
    """(id, flags, question bytes, qname bytes, qtype) or None."""
    if len(q) < 12:
        return None
    qid, flags = struct.unpack(">HH", q[:4])
    p = 12
    labels = []
    while p < len(q) and q[p] != 0:
        ln = q[p]
        labels.append(q[p + 1:p + 1 + ln])
        p += 1 + ln
    p += 1
    if p + 4 > len(q):
        return None
    qtype = struct.unpack(">H", q[p:p + 2])[0]
    return qid, flags, q[12:p + 4], b".".join(labels), qtype


def dns_answer(kind, q, count):
    pq = parse_query(q)
    if pq is None:
        return None
    qid, qflags, question, qname, qtype = pq
    rd = qflags & 0x0100
    flags = 0x8080 | rd

    def hdr(an=0, fl=flags, ident=qid, ns=0, qd=1):
        return struct.pack(">HHHHHH", ident, fl, qd, an, ns, 0)

    def addr_rr(owner, i=1):
        if qtype == 28:
            return rr(owner, 28, 60, b"\xfd\x00" + b"\0" * 10 + struct.pack(">I", i))
        return rr(owner, 1, 60, bytes([127, 0, (i >> 8) & 255, i & 255 or 1]))

    if kind == "truncated":
        return hdr(fl=flags | 0x0200) + question
    if kind == "cut":
        full = hdr(an=1) + question + addr_rr(b"\xc0\x0c")
        return full[:len(full) - 3]
    if kind == "garbage":
        rnd = random.Random(qid)
        return q[:2] + bytes(rnd.randrange(256) for _ in range(300))
    if kind == "short":
        return q[:2] + b"\x81\x80\x00"
    if kind == "empty":
        return b""
    if kind == "ptrloop":
        off = 12 + len(question)
        return hdr(an=1) + question + struct.pack(">H", 0xC000 | off) + struct.pack(">HHIH", 1, 1, 60, 4) + b"\x7f\0\0\1"
    if kind == "ok":
        return hdr(an=1) + question + addr_rr(b"\xc0\x0c")
    if kind == "huge":
        count = min(count, (65000 - len(question)) // (28 if qtype == 28 else 16))
        body = b"".join(addr_rr(b"\xc0\x0c", i + 1) for i in range(count))
        return hdr(an=count) + question + body
    if kind == "cnamechain":
        body = b""
        owner = b"\xc0\x0c"
        for i in range(count):
            target = dname(b"c%d.chain.example.test" % i)
            body += rr(owner, 5, 60, target)
            owner = target
        body += addr_rr(owner)
        return hdr(an=count + 1) + question + body
    if kind == "cnameloop":
        a, b = dname(b"loop-a.example.test"), dname(b"loop-b.example.test")
        body = rr(b"\xc0\x0c", 5, 60, a) + rr(a, 5, 60, b) + rr(b, 5, 60, a)
        return hdr(an=3) + question + body
    if kind == "badcount":
        return hdr(an=65535) + question + addr_rr(b"\xc0\x0c")
    if kind == "wrongid":
        return hdr(an=1, ident=qid ^ 0x5555) + question + addr_rr(b"\xc0\x0c")
    if kind == "ctrl":
        evil = bytes([3]) + b"a\x1bb" + bytes([4]) + b"\x00\x07.\\" + bytes([5]) + b"\xff\xfe\r\n\x7f" + b"\x04test\x00"
        body = rr(b"\xc0\x0c", 5, 60, evil) + addr_rr(evil)
        return hdr(an=2) + question + body
    raise SystemExit("unknown dns kind " + kind)


def recv_exact(c, n):
    buf = b""
    while len(buf) < n:
        d = c.recv(n - len(buf))
        if not d:
            return None
        buf += d
    return buf


def serve_dns(args):
    fam = socket.AF_INET6 if ":" in args.addr else socket.AF_INET
    # UDP and TCP on the same port (c-ares retries a truncated or > 512-byte
    # UDP answer over TCP). Port 0: retry until both binds succeed.
    for attempt in range(50):
        u = socket.socket(fam, socket.SOCK_DGRAM)
        u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        u.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        u.bind((args.addr, args.port))
        port = u.getsockname()[1]
        try:
            t = tcp_listener(args.addr, port)
            break
        except OSError:
            u.close()
            if args.port:
                raise
    else:
        raise SystemExit("no port free for UDP and TCP")

    # Over TCP: "truncated" answers properly (the fallback works), "tcpcut"
    # sends a cut answer, "tcpclose" answers the first query of a connection
    # and closes it (c-ares pipelines queries on one connection); every other
    # kind answers as over UDP, for every query of the connection.
    tcp_kind = {"truncated": "ok", "tcpcut": "cut", "tcpclose": "ok"}.get(args.kind, args.kind)

    def tcp_conn(c):
        try:
            c.settimeout(10)
            while True:
                ln = recv_exact(c, 2)
                if ln is None:
                    break
                q = recv_exact(c, struct.unpack(">H", ln)[0])
                if q is None:
                    break
                a = dns_answer(tcp_kind, q, args.count)
                if a is not None:
                    c.sendall(struct.pack(">H", len(a) & 0xFFFF) + a)
                if args.kind == "tcpclose":
                    break
        except (OSError, struct.error):
            pass
        close(c)

    def tcp_loop():
        while True:
            c, _ = t.accept()
            threading.Thread(target=tcp_conn, args=(c,), daemon=True).start()
    threading.Thread(target=tcp_loop, daemon=True).start()
    print("ready", port, flush=True)
    udp_kind = {"tcpcut": "truncated", "tcpclose": "truncated"}.get(args.kind, args.kind)
    while True:
        q, peer = u.recvfrom(65536)
        try:
            a = dns_answer(udp_kind, q, args.count)
        except SystemExit:
            raise
        except Exception as e:   # a malformed query: ignore it
            log("dns:", e)
            continue
        if a is None:
            continue
        try:
            u.sendto(a, peer)
        except OSError as e:
            log("dns send:", e)


def serve_blackhole(args):
    """A listener whose accept queue is full and never drained: every
    further SYN is dropped, so connects hang as behind a silent firewall.
    Bound to --addr (0.0.0.0 reaches every 127.0.0.0/8 address)."""
    s = tcp_listener(args.addr, args.port)
    s.listen(0)
    port = s.getsockname()[1]
    fill = []
    for _ in range(4):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setblocking(False)
        try:
            c.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fill.append(c)
    time.sleep(0.2)
    print("ready", port, flush=True)
    while True:
        time.sleep(3600)


MODES = {
    "tls-ok": h_tls_ok, "tls-garbage": h_tls_garbage, "tls-dribble": h_tls_dribble,
    "tls-hang": h_tls_hang, "http-file": h_http_file, "http-endless": h_http_endless,
    "http-bigline": h_http_bigline, "proxy-file": h_proxy_file,
    "proxy-endless": h_proxy_endless,
}
NEEDS_TLS = {"tls-ok", "tls-dribble", "http-file", "http-endless", "http-bigline"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=sorted(MODES) + ["dns", "tcp-blackhole"])
    ap.add_argument("--addr", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--file")
    ap.add_argument("--garbage")
    ap.add_argument("--interval", type=float, default=0.1)
    ap.add_argument("--size", type=int, default=1 << 20)
    ap.add_argument("--kind", default="cut")
    ap.add_argument("--count", type=int, default=0)
    args = ap.parse_args()
    if args.mode == "dns":
        if not args.count:
            args.count = {"huge": 3000, "cnamechain": 40}.get(args.kind, 1)
        serve_dns(args)
        return
    if args.mode == "tcp-blackhole":
        serve_blackhole(args)
        return
    if args.mode in NEEDS_TLS:
        args.ctx = server_ctx(args)
    serve_tcp(args, MODES[args.mode])


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
