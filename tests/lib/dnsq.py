#!/usr/bin/env python3
"""Minimal DNS query over UDP (standard library only) for test set-up checks.

usage: dnsq.py SERVER PORT NAME [A|AAAA] [TIMEOUT]
prints: RCODE addr1 addr2 ...   (RCODE as text; TIMEOUT when no answer)
exit 0 when an answer came back (any rcode), 1 on timeout/error.
"""
import random
import socket
import struct
import sys

RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


def qname(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def skip_name(buf, off):
    while True:
        n = buf[off]
        if n == 0:
            return off + 1
        if n & 0xC0 == 0xC0:
            return off + 2
        off += 1 + n


def main():
    server, port, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    qtype = sys.argv[4] if len(sys.argv) > 4 else "A"
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 2.0
    t = 28 if qtype == "AAAA" else 1
    qid = random.randint(0, 65535)
    pkt = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + qname(name) + struct.pack(">HH", t, 1)
    fam = socket.AF_INET6 if ":" in server else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        s.sendto(pkt, (server, port))
        buf, _ = s.recvfrom(4096)
    except (socket.timeout, OSError) as e:
        print("TIMEOUT" if isinstance(e, socket.timeout) else "ERROR %s" % e)
        return 1
    _, flags, qd, an, _, _ = struct.unpack(">HHHHHH", buf[:12])
    off = 12
    for _ in range(qd):
        off = skip_name(buf, off) + 4
    addrs = []
    for _ in range(an):
        off = skip_name(buf, off)
        rtype, _, _, rdlen = struct.unpack(">HHIH", buf[off:off + 10])
        off += 10
        rdata = buf[off:off + rdlen]
        off += rdlen
        if rtype == 1:
            addrs.append(socket.inet_ntop(socket.AF_INET, rdata))
        elif rtype == 28:
            addrs.append(socket.inet_ntop(socket.AF_INET6, rdata))
    print(" ".join([RCODES.get(flags & 0xF, str(flags & 0xF))] + addrs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
