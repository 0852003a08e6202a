#!/usr/bin/env python3
"""bench/stats.py — the arithmetic of bench/run (standard library only).

  stats.py col FILE COL                  median min max of column COL (0-based)
                                         of a whitespace table
  stats.py sum FILE COLS                 per-line sum of COLS (e.g. 1+2), then
                                         median min max
  stats.py sweep JSON...                 per ssmprobe report: targets, ok
                                         connections, slowest total_ms, slowest
                                         own work (dns+tcp+tls+http) — one line
                                         per file
  stats.py conns JSON...                 completed TLS connections (tls.verify ok)
                                         summed over the files
  stats.py phases JSON                   "dns tcp tls http total" of the first
                                         connection (ms, -1 when null)
  stats.py curlphases FILE               curl -w lines "nl connect app start
                                         total code" → per-phase medians
  stats.py err FILE COL EXPECT           error = value - EXPECT: median p95 (of
                                         |error|) and median of signed error
Numbers are printed with 3 decimals; "-" when there is nothing.
"""
import json
import sys


def med(v):
    v = sorted(v)
    n = len(v)
    if not n:
        return None
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def pct(v, q):
    v = sorted(v)
    if not v:
        return None
    k = min(len(v) - 1, max(0, int(round(q * (len(v) - 1)))))
    return v[k]


def f(x):
    return "-" if x is None else "%.3f" % x


def rows(path):
    out = []
    with open(path) as fh:
        for line in fh:
            p = line.split()
            if p:
                out.append(p)
    return out


def load(path):
    try:
        with open(path) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def ms(x):
    return x if isinstance(x, (int, float)) else None


def main(a):
    cmd = a[0]
    if cmd == "col":
        v = [float(r[int(a[2])]) for r in rows(a[1]) if len(r) > int(a[2])]
        print(f(med(v)), f(min(v) if v else None), f(max(v) if v else None))
    elif cmd == "sum":
        cols = [int(c) for c in a[2].split("+")]
        v = [sum(float(r[c]) for c in cols) for r in rows(a[1])]
        print(f(med(v)), f(min(v) if v else None), f(max(v) if v else None))
    elif cmd == "sweep":
        for p in a[1:]:
            d = load(p)
            if not d:
                print("0 0 - -")
                continue
            tot, own, ok = [], [], 0
            for t in d.get("targets", []):
                for c in t.get("connections", []) or []:
                    if c.get("status") == "ok":
                        ok += 1
                    if ms(c.get("total_ms")) is not None:
                        tot.append(c["total_ms"])
                    dn = ms((t.get("dns") or {}).get("ms")) or 0.0
                    parts = [ms(c.get(k)) or 0.0 for k in ("tcp_ms", "tls_ms", "http_ms")]
                    own.append(dn + sum(parts))
            print(len(d.get("targets", [])), ok, f(max(tot) if tot else None), f(max(own) if own else None))
    elif cmd == "conns":
        n = 0
        for p in a[1:]:
            d = load(p) or {}
            for t in d.get("targets", []):
                for c in t.get("connections", []) or []:
                    if (c.get("tls") or {}).get("verify") == "ok":
                        n += 1
        print(n)
    elif cmd == "phases":
        d = load(a[1]) or {}
        t = (d.get("targets") or [{}])[0]
        c = (t.get("connections") or [{}])[0]
        vals = [ms((t.get("dns") or {}).get("ms")), ms(c.get("tcp_ms")), ms(c.get("tls_ms")),
                ms(c.get("http_ms")), ms(c.get("total_ms"))]
        print(" ".join("-1" if x is None else "%.3f" % x for x in vals))
    elif cmd == "curlphases":
        r = [[float(x) * 1000 for x in row[:5]] for row in rows(a[1]) if len(row) >= 5]
        dns = [x[0] for x in r]
        tcp = [x[1] - x[0] for x in r]
        tls = [x[2] - x[1] for x in r]
        http = [x[3] - x[2] for x in r]
        tot = [x[4] for x in r]
        print(f(med(dns)), f(med(tcp)), f(med(tls)), f(med(http)), f(med(tot)), f(sum(tot)), len(r))
    elif cmd == "err":
        col, exp = int(a[2]), float(a[3])
        e = [float(r[col]) - exp for r in rows(a[1]) if len(r) > col and float(r[col]) >= 0]
        print(f(med([abs(x) for x in e])), f(pct([abs(x) for x in e], 0.95)), f(med(e)), len(e))
    else:
        print("unknown command", cmd, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
