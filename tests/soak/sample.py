#!/usr/bin/env python3
"""tests/soak/sample.py — sample a running ssmprobe every 50 ms.

    sample.py PIDFILE NDJSON OUT [INTERVAL_S]

Start it before the probe: it prints "ready" on stderr, then waits for
PIDFILE to hold bench/runstat's PID; the probe is runstat's child (found
through /proc/PARENT/task/PARENT/children, polled every 0.5 ms so the first
sample is taken before the first connection). Every INTERVAL_S (0.05; every 5 ms during
the first 300 ms, to catch the state before the first connection ends)
until the probe is gone, one line to OUT (only once the child has
exec'd ssmprobe: /proc/PID/comm):
    t_ms open_fds vmrss_kb conns_done targets_done
open_fds: entries of /proc/PID/fd; vmrss_kb: VmRSS of /proc/PID/status;
conns_done: connections whose last NDJSON event ("http_response" or
"failed") is out, counted once per (host, address); targets_done:
"target_done" events. The NDJSON file (the probe's stdout) is read
incrementally. Standard library only.
"""
import json
import os
import sys
import time


def child_of(ppid):
    try:
        with open("/proc/%d/task/%d/children" % (ppid, ppid)) as f:
            kids = f.read().split()
        return int(kids[0]) if kids else None
    except OSError:
        return None


def main():
    pidfile, ndjson, out = sys.argv[1], sys.argv[2], sys.argv[3]
    interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.05
    print("ready", file=sys.stderr, flush=True)
    t0 = time.monotonic()
    ppid = None
    while ppid is None:
        try:
            with open(pidfile) as f:
                ppid = int(f.read().strip())
        except (OSError, ValueError):
            if time.monotonic() - t0 > 30:
                print("sample.py: no PID in %s" % pidfile, file=sys.stderr)
                return 1
            time.sleep(0.001)
    t0 = time.monotonic()
    pid = None
    while pid is None:
        pid = child_of(ppid)
        if pid is None:
            if not os.path.exists("/proc/%d" % ppid) or time.monotonic() - t0 > 10:
                print("sample.py: no child of %d" % ppid, file=sys.stderr)
                return 1
            time.sleep(0.0005)
    done, targets, buf, pos = set(), 0, b"", 0
    with open(out, "w") as o:
        while True:
            t = (time.monotonic() - t0) * 1000
            try:
                nfd = len(os.listdir("/proc/%d/fd" % pid))
                rss = 0
                with open("/proc/%d/status" % pid) as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            rss = int(line.split()[1])
                            break
                state = open("/proc/%d/stat" % pid).read().split(") ")[1][0]
                comm = open("/proc/%d/comm" % pid).read().strip()
            except (OSError, IndexError, ValueError):
                break
            if state == "Z":
                break
            if comm != "ssmprobe":
                time.sleep(0.0005)
                continue
            try:
                with open(ndjson, "rb") as f:
                    f.seek(pos)
                    chunk = f.read()
                pos += len(chunk)
                buf += chunk
                *lines, buf = buf.split(b"\n")
                for l in lines:
                    if b'"http_response"' not in l and b'"failed"' not in l and b'"target_done"' not in l:
                        continue
                    try:
                        e = json.loads(l)
                    except ValueError:
                        continue
                    ev = e.get("event")
                    if ev in ("http_response", "failed"):
                        done.add((e.get("host"), e.get("address")))
                    elif ev == "target_done":
                        targets += 1
            except OSError:
                pass
            o.write("%.0f %d %d %d %d\n" % (t, nfd, rss, len(done), targets))
            o.flush()
            time.sleep(interval if t > 300 else 0.005)
    return 0


if __name__ == "__main__":
    sys.exit(main())
